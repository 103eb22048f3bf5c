/* RAPL through powercap on fixture trees: zones found, kinds, parents (no
 * double counting), units, wrap modulus, values, vanishing, permission. */
#include <errno.h>
#include <grp.h>
#include <sys/stat.h>

#include "sensors/sensor.h"
#include "sensors_fixture.h"
#include "test.h"

ECO_TEST(sensors_rapl_server_domains)
{
    fx_use("intel-2s-server");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 6);
    int p0 = fx_domain(s, "package-0"), c0 = fx_domain(s, "core-0"), d0 = fx_domain(s, "dram-0");
    int p1 = fx_domain(s, "package-1"), c1 = fx_domain(s, "core-1"), d1 = fx_domain(s, "dram-1");
    CHECK(p0 >= 0 && c0 >= 0 && d0 >= 0 && p1 >= 0 && c1 >= 0 && d1 >= 0);
    CHECK_INT(s->domains[p0].kind, ECO_KIND_CPU_PACKAGE);
    CHECK_INT(s->domains[c0].kind, ECO_KIND_CPU_CORE);
    CHECK_INT(s->domains[d1].kind, ECO_KIND_DRAM);
    /* core inside its package; packages and dram are top-level (DRAM energy
     * is not part of the package's even though sysfs nests the zone). */
    CHECK_INT(s->domains[c0].parent, p0);
    CHECK_INT(s->domains[c1].parent, p1);
    CHECK_INT(s->domains[p0].parent, -1);
    CHECK_INT(s->domains[p1].parent, -1);
    CHECK_INT(s->domains[d0].parent, -1);
    CHECK_INT(s->domains[d1].parent, -1);
    for (size_t i = 0; i < s->n_domains; i++) {
        CHECK_INT(s->domains[i].method, ECO_MEASURED);
        CHECK_INT(s->domains[i].type, ECO_VALUE_ENERGY_COUNTER);
        CHECK_NEAR(s->domains[i].unit_j, 1e-6, 1e-12);
    }
    CHECK(strstr(s->domains[p1].device, "socket 1") != NULL);
    /* The estimate is not used when RAPL measures the CPU. */
    struct eco_sensor *est = eco_sensors_find(&set, "cpu-estimate");
    CHECK(est && !est->enabled);
    CHECK(strstr(est->why.msg, "rapl") != NULL);
    eco_sensors_close(&set);
}

/* The wrap modulus is max_energy_range_uj + 1 (see rapl.c). */
ECO_TEST(sensors_rapl_wrap_modulus)
{
    fx_use("intel-2s-server");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK_NEAR(s->domains[fx_domain(s, "package-0")].counter_max, 262143328850.0 + 1, 0);
    CHECK_NEAR(s->domains[fx_domain(s, "dram-1")].counter_max, 65712999613.0 + 1, 0);
    eco_sensors_close(&set);
}

/* Max interval: range / (2 x largest published power limit), else 1000 W. */
ECO_TEST(sensors_rapl_max_interval)
{
    fx_use("intel-2s-server");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    /* package: limits 150 W (long) and 180 W (short) -> 262143.32885 J / 360 W */
    CHECK_NEAR(s->domains[fx_domain(s, "package-0")].max_interval_s, 262143.32885 / 360.0, 1e-9);
    /* dram: no limit published -> 65712.999613 J / 1000 W */
    CHECK_NEAR(s->domains[fx_domain(s, "dram-0")].max_interval_s, 65.712999613, 1e-9);
    CHECK_NEAR(eco_sensors_max_interval(&set), 65.712999613, 1e-9);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_rapl_read_values)
{
    fx_copy("intel-2s-server");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    struct eco_reading r[6];
    struct eco_err e;
    eco_err_clear(&e);
    CHECK_INT(s->ops->read(s, r, &e), 0);
    int p0 = fx_domain(s, "package-0");
    CHECK(r[p0].ok);
    CHECK_NEAR(r[p0].value, 81234567890.0, 0);
    fx_write("sys/class/powercap/intel-rapl:0/energy_uj", "81244567890\n");
    double t0 = r[p0].t;
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK_NEAR(r[p0].value, 81244567890.0, 0);
    CHECK(r[p0].t >= t0);
    /* Garbage: that domain is a gap, the others still read. */
    fx_write("sys/class/powercap/intel-rapl:0/energy_uj", "12x4\n");
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK_INT(r[p0].ok, 0);
    CHECK(r[fx_domain(s, "package-1")].ok);
    CHECK(strstr(e.msg, "package-0") != NULL);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_rapl_vanish)
{
    const char *root = fx_copy("intel-2s-server");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof cmd, "%s/sys/class/powercap/intel-rapl:1/energy_uj", root);
    CHECK_INT(unlink(cmd), 0);
    struct eco_reading r[6];
    struct eco_err e;
    eco_err_clear(&e);
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK_INT(r[fx_domain(s, "package-1")].ok, 0);
    CHECK(r[fx_domain(s, "package-0")].ok);
    /* All gone: the source reports it vanished. */
    static const char *const z[] = {"intel-rapl:0", "intel-rapl:0:0", "intel-rapl:0:1",
                                    "intel-rapl:1:0", "intel-rapl:1:1"};
    for (size_t i = 0; i < 5; i++) {
        snprintf(cmd, sizeof cmd, "%s/sys/class/powercap/%s/energy_uj", root, z[i]);
        CHECK_INT(unlink(cmd), 0);
    }
    CHECK_INT(s->ops->read(s, r, &e), -1);
    CHECK(strstr(e.msg, "vanished") != NULL);
    eco_sensors_close(&set);
}

/* Permission denied, as on Linux >= 5.10 (energy_uj is 0400 root). Root
 * reads any file whatever its mode, so when the tests run as root the probe
 * runs in a child that drops to the 'nobody' user: the product code sees a
 * real EACCES, nothing is faked. */
ECO_TEST(sensors_rapl_permission_denied)
{
    const char *root = fx_copy("intel-2s-server");
    char p[PATH_MAX + 64];
    /* The temporary folder is 0700: let nobody walk to the fixture. */
    CHECK_INT(chmod(eco_test_tmpdir(), 0755), 0);
    static const char *const z[] = {"intel-rapl:0", "intel-rapl:0:0", "intel-rapl:0:1",
                                    "intel-rapl:1", "intel-rapl:1:0", "intel-rapl:1:1"};
    for (size_t i = 0; i < 6; i++) {
        snprintf(p, sizeof p, "%s/sys/class/powercap/%s/energy_uj", root, z[i]);
        CHECK_INT(chmod(p, 0400), 0);
    }
    pid_t pid = fork();
    if (pid == 0) {
        if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
                               setresuid(65534, 65534, 65534) != 0))
            _exit(3);
        if (geteuid() == 0)
            _exit(4);
        struct eco_sensor_set set;
        struct eco_err e;
        eco_err_clear(&e);
        if (eco_sensors_open(&set, &e) != 0)
            _exit(5);
        struct eco_sensor *s = eco_sensors_find(&set, "rapl");
        int ok = s && !s->enabled && strstr(s->why.msg, "root only") &&
                 strstr(s->why.msg, "CVE-2020-8694") && strstr(s->why.hint, "udev") &&
                 strstr(s->why.hint, "group") && !strstr(s->why.hint, "o+r") &&
                 !strstr(s->why.hint, "chmod");
        if (!ok)
            fprintf(stderr, "    why: %s\n    hint: %s\n", s ? s->why.msg : "-", s ? s->why.hint : "-");
        /* The CPU falls back to the estimate (the Xeon Gold 6248 is in the table). */
        struct eco_sensor *est = eco_sensors_find(&set, "cpu-estimate");
        if (ok && !(est && est->enabled && est->domains[0].method == ECO_ESTIMATED)) {
            fprintf(stderr, "    estimate not used: %s\n", est ? est->why.msg : "-");
            ok = 0;
        }
        eco_sensors_close(&set);
        _exit(ok ? 0 : 6);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
        ECO_SKIP("cannot switch to the nobody user to test permission denied");
    CHECK(WIFEXITED(st));
    CHECK_INT(WEXITSTATUS(st), 0);
}

ECO_TEST(sensors_rapl_absent)
{
    fx_use("no-sensors");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK(!s->enabled);
    CHECK_INT(s->n_domains, 0);
    CHECK(strstr(s->why.msg, "powercap") != NULL);
    CHECK(s->why.hint[0] != 0);
    eco_sensors_close(&set);
}
