/* RAPL layouts as the kernel writes them (fixtures written from
 * intel_rapl_tpmi.c / intel_rapl_common.c and the powercap ABI): TPMI
 * packages with sub-zones, multi-die names, zones ecometer does not know, a
 * top-level dram zone, per-zone permissions, and the fix texts when RAPL is
 * absent, checked word by word. */
#include <errno.h>
#include <grp.h>
#include <sys/stat.h>

#include "sensors/sensor.h"
#include "sensors_fixture.h"
#include "test.h"

static const struct eco_domain *dom(const struct eco_sensor *s, const char *name)
{
    int i = fx_domain(s, name);
    if (i < 0)
        eco_test_fail(__FILE__, __LINE__, "no domain %s", name);
    return &s->domains[i];
}

static const char *parent_of(const struct eco_sensor *s, const char *name)
{
    int p = dom(s, name)->parent;
    return p < 0 ? "" : s->domains[p].name;
}

ECO_TEST(sensors_rapl_tpmi_packages)
{
    fx_use("xeon6-tpmi");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 4);
    CHECK_STR(s->note, "");
    CHECK_INT(dom(s, "package-0")->kind, ECO_KIND_CPU_PACKAGE);
    CHECK_INT(dom(s, "package-1")->kind, ECO_KIND_CPU_PACKAGE);
    CHECK_INT(dom(s, "dram-1")->kind, ECO_KIND_DRAM);
    CHECK_STR(dom(s, "package-1")->device, "Intel(R) Xeon(R) 6980P (socket 1)");
    CHECK_STR(dom(s, "dram-0")->device, "memory of socket 0");
    /* dram is a sub-zone in sysfs, not part of the package's energy */
    CHECK_STR(parent_of(s, "dram-0"), "");
    CHECK_STR(parent_of(s, "package-0"), "");
    CHECK_NEAR(dom(s, "package-0")->counter_max, 262143328850.0 + 1, 0);
    /* limits 500 W (long) and 600 W (short): range / (2 x 600 W) */
    CHECK_NEAR(dom(s, "package-0")->max_interval_s, 262143.32885 / 1200.0, 1e-9);
    struct eco_sensor *est = eco_sensors_find(&set, "cpu-estimate");
    CHECK(est && !est->enabled);
    eco_sensors_close(&set);
}

/* The same package through MSR and TPMI is one domain, read through the
 * first control type; a sub-zone only TPMI has is kept. */
ECO_TEST(sensors_rapl_tpmi_repeat_of_msr)
{
    fx_copy("xeon6-tpmi");
    char d[PATH_MAX + 64];
    snprintf(d, sizeof d, "%s/sys/class/powercap/intel-rapl:0", fx_root);
    CHECK_INT(mkdir(d, 0755), 0);
    fx_write("sys/class/powercap/intel-rapl:0/name", "package-0\n");
    fx_write("sys/class/powercap/intel-rapl:0/energy_uj", "5\n");
    fx_write("sys/class/powercap/intel-rapl:0/max_energy_range_uj", "262143328850\n");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK_INT(s->n_domains, 4);
    struct eco_reading r[4];
    struct eco_err e;
    eco_err_clear(&e);
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK_NEAR(r[fx_domain(s, "package-0")].value, 5, 0);
    CHECK(fx_domain(s, "dram-0") >= 0);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_rapl_multi_die)
{
    fx_use("multi-die");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 12);
    CHECK_STR(dom(s, "package-0-die-1")->device, "Intel(R) Xeon(R) Platinum 9282 CPU @ 2.60GHz (socket 0, die 1)");
    CHECK_STR(dom(s, "core-1-die-0")->device, "Intel(R) Xeon(R) Platinum 9282 CPU @ 2.60GHz (socket 1, die 0)");
    CHECK_STR(dom(s, "dram-1-die-1")->device, "memory of socket 1, die 1");
    CHECK_STR(parent_of(s, "core-0-die-1"), "package-0-die-1");
    CHECK_STR(parent_of(s, "dram-0-die-1"), "");
    CHECK_STR(parent_of(s, "package-1-die-1"), "");
    CHECK_INT(dom(s, "package-1-die-0")->kind, ECO_KIND_CPU_PACKAGE);
    eco_sensors_close(&set);
}

static void add_zone(const char *id, const char *name)
{
    char d[PATH_MAX + 64], rel[128];
    snprintf(d, sizeof d, "%s/sys/class/powercap/%s", fx_root, id);
    CHECK_INT(mkdir(d, 0755), 0);
    snprintf(rel, sizeof rel, "sys/class/powercap/%s/name", id);
    fx_write(rel, name);
    snprintf(rel, sizeof rel, "sys/class/powercap/%s/energy_uj", id);
    fx_write(rel, "1000\n");
    snprintf(rel, sizeof rel, "sys/class/powercap/%s/max_energy_range_uj", id);
    fx_write(rel, "65712999613\n");
}

/* Unknown names: kind other, never added to the total without saying so. */
ECO_TEST(sensors_rapl_unknown_zones)
{
    fx_copy("intel-2s-server");
    add_zone("intel-rapl:2", "fabric\n");
    add_zone("intel-rapl:0:2", "hbm\n");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK_INT(s->n_domains, 8);
    CHECK_INT(dom(s, "fabric")->kind, ECO_KIND_OTHER);
    CHECK_INT(dom(s, "hbm-0")->kind, ECO_KIND_OTHER);
    CHECK_STR(parent_of(s, "hbm-0"), "package-0");
    CHECK_STR(parent_of(s, "fabric"), "");
    CHECK_STR(dom(s, "fabric")->device, "RAPL zone intel-rapl:2 (fabric): kind unknown, counted in the total on its own");
    CHECK_STR(dom(s, "hbm-0")->device, "RAPL zone intel-rapl:0:2 (hbm): kind unknown, not in the total (inside the zone named)");
    CHECK_STR(s->note, "zone 'hbm' (intel-rapl:0:2) is not a kind ecometer knows: listed inside package-0, not "
                       "added to the total; zone 'fabric' (intel-rapl:2) is not a kind ecometer knows: added to "
                       "the total as a zone of its own, as the kernel lists it beside the packages, not inside one");
    eco_sensors_close(&set);
}

/* With psys, an unknown top-level zone is inside it (psys holds the platform). */
ECO_TEST(sensors_rapl_unknown_zone_under_psys)
{
    fx_copy("laptop-psys");
    add_zone("intel-rapl:2", "fabric\n");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK_STR(parent_of(s, "fabric"), "psys");
    CHECK_STR(s->note, "zone 'fabric' (intel-rapl:2) is not a kind ecometer knows: listed inside psys, not added "
                       "to the total");
    eco_sensors_close(&set);
}

/* One psys per socket (psys, psys-1): each holds its own socket's zones. */
ECO_TEST(sensors_rapl_psys_per_socket)
{
    fx_copy("intel-2s-server");
    add_zone("intel-rapl:2", "psys\n");
    add_zone("intel-rapl:3", "psys-1\n");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK_STR(parent_of(s, "package-0"), "psys");
    CHECK_STR(parent_of(s, "dram-0"), "psys");
    CHECK_STR(parent_of(s, "package-1"), "psys-1");
    CHECK_STR(parent_of(s, "dram-1"), "psys-1");
    CHECK_STR(parent_of(s, "core-1"), "package-1");
    CHECK_STR(parent_of(s, "psys-1"), "");
    CHECK_INT(dom(s, "psys-1")->kind, ECO_KIND_PLATFORM);
    CHECK_STR(dom(s, "psys-1")->device, "platform of socket 1 (psys)");
    CHECK_STR(s->note, "");
    eco_sensors_close(&set);
}

/* A dram zone with no package above it is memory, not the CPU model. */
ECO_TEST(sensors_rapl_top_level_dram)
{
    fx_copy("amd-epyc");
    add_zone("intel-rapl:1", "dram\n");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK_INT(dom(s, "dram")->kind, ECO_KIND_DRAM);
    CHECK_STR(dom(s, "dram")->device, "memory");
    CHECK_STR(parent_of(s, "dram"), "");
    eco_sensors_close(&set);
}

/* Fork, drop to nobody when root (root reads any file whatever its mode, so
 * the product code must see a real EACCES), run fn; 3 = cannot drop. */
static int as_nobody(void (*fn)(void))
{
    CHECK_INT(chmod(eco_test_tmpdir(), 0755), 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
                               setresuid(65534, 65534, 65534) != 0))
            _exit(3);
        fn();
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
        ECO_SKIP("cannot switch to the nobody user to test permission denied");
    return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
}

static void one_socket_closed(void)
{
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 3);
    CHECK(fx_domain(s, "package-0") >= 0 && fx_domain(s, "core-0") >= 0 && fx_domain(s, "dram-0") >= 0);
    CHECK_STR(s->note, "left out, not readable: package-1 (intel-rapl:1), core-1 (intel-rapl:1:0), dram-1 "
                       "(intel-rapl:1:1): energy_uj is readable by root only (Linux 5.10 and later, "
                       "CVE-2020-8694). fix: run ecometer as root, or give a dedicated group (e.g. "
                       "'ecometer-rapl') read access to every RAPL zone at boot with systemd-tmpfiles or a udev "
                       "rule (docs/SECURITY.md); setcap does not help for sysfs files; never make energy_uj "
                       "world-readable");
    struct eco_reading r[3];
    struct eco_err e;
    eco_err_clear(&e);
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK(r[0].ok && r[1].ok && r[2].ok);
    eco_sensors_close(&set);
}

/* One unreadable socket leaves the other measuring, with its own reason. */
ECO_TEST(sensors_rapl_permission_per_zone)
{
    const char *root = fx_copy("intel-2s-server");
    static const char *const z[] = {"intel-rapl:1", "intel-rapl:1:0", "intel-rapl:1:1"};
    for (size_t i = 0; i < 3; i++) {
        char p[PATH_MAX + 64];
        snprintf(p, sizeof p, "%s/sys/class/powercap/%s/energy_uj", root, z[i]);
        CHECK_INT(chmod(p, 0400), 0);
    }
    CHECK_INT(as_nobody(one_socket_closed), 0);
}

static void mmio_repeat_closed(void)
{
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 4);
    CHECK_STR(s->note, "");
    eco_sensors_close(&set);
}

/* An unreadable MMIO zone that repeats a readable package costs nothing and
 * says nothing: the same energy is read through intel-rapl. */
ECO_TEST(sensors_rapl_unreadable_repeat_is_silent)
{
    const char *root = fx_copy("laptop-psys");
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/sys/class/powercap/intel-rapl-mmio:0/energy_uj", root);
    CHECK_INT(chmod(p, 0400), 0);
    CHECK_INT(as_nobody(mmio_repeat_closed), 0);
}

/* No RAPL at all: the fix fits the machine. */
static void absent_fix(const char *board, const char *cpuinfo_extra, const char *want)
{
    const char *root = fx_copy(board);
    char cmd[PATH_MAX * 2];
    snprintf(cmd, sizeof cmd, "%s/sys/class/powercap", root);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("rm", "rm", "-rf", "--", cmd, (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    if (cpuinfo_extra)
        fx_write("proc/cpuinfo", cpuinfo_extra);
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK(!s->enabled);
    char msg[PATH_MAX * 2 + 64];
    snprintf(msg, sizeof msg, "no RAPL: %s: No such file or directory", cmd);
    CHECK_STR(s->why.msg, msg);
    CHECK_STR(s->why.hint, want);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_rapl_absent_fix_tpmi)
{
    absent_fix("xeon6-tpmi", NULL,
               "this CPU exposes RAPL through TPMI (Xeon 6): load intel_rapl_tpmi ('modprobe intel_rapl_tpmi', "
               "Linux 6.5 or later); intel_rapl_msr does not read it");
}

ECO_TEST(sensors_rapl_absent_fix_intel)
{
    absent_fix("intel-2s-server", NULL, "load intel_rapl_msr ('modprobe intel_rapl_msr')");
}

ECO_TEST(sensors_rapl_absent_fix_amd)
{
    absent_fix("amd-epyc", NULL, "load intel_rapl_msr ('modprobe intel_rapl_msr'; AMD CPUs need Linux 5.11 or later)");
}

ECO_TEST(sensors_rapl_absent_fix_vm)
{
    absent_fix("intel-2s-server",
               "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6248 CPU @ "
               "2.50GHz\nflags\t\t: fpu vme msr hypervisor lahf_lm\n",
               "this is a virtual machine (the CPU flags include 'hypervisor'): hypervisors do not pass RAPL "
               "through, so no module can add it here; measure on bare metal for RAPL");
}

ECO_TEST(sensors_rapl_absent_fix_arm)
{
    absent_fix("jetson-orin-nx", NULL,
               "nothing to load: RAPL exists only on Intel and AMD x86 CPUs, and this one is not x86");
}
