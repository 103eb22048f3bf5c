/* Harness: the parsers of /proc and sysfs text the sensors and the process
 * attribution read (contents partly chosen by other users: a process's
 * comm, a container's cgroup path). The input is split on the line "@@"
 * into up to six files of a fake /proc (ECOMETER_PROC_ROOT) and cgroup fs:
 *   0 /proc/stat          eco_proc_stat_parse, eco_proc_busy_seconds, eco_attr_busy_cpu
 *   1 /proc/1/stat        eco_scan_processes, eco_attr_tree_cpu
 *   2 /proc/1/cgroup      eco_scan_cgroups, eco_cgroup_name
 *   3 /proc/cpuinfo text  eco_cpu_model_from_cpuinfo
 *   4 /proc/meminfo       eco_sensors_mem_gb
 *   5 a sysfs value file  eco_sysfs_read_u64 / eco_sysfs_read_i64
 * Invariants: results are finite and non-negative where they must be, and
 * names fit their buffers. */
#include <ftw.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "hw/hardware.h"
#include "meter/attribution.h"
#include "meter/consumers.h"
#include "sensors/cpu_estimate.h"
#include "sensors/cpuinfo.h"
#include "sensors/sysfs.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[256], cgroot[300];

static void put(const char *rel, const char *text, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(text, 1, len, f);
    fclose(f);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* The fake /proc lives on tmpfs: leave none behind (a docker /dev/shm is 64 MB). */
static void remove_root(void)
{
    nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
    if (root[0])
        return;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(root, sizeof root, "%s/eco-fuzz-procfs-%d", base, (int)getpid());
    snprintf(cgroot, sizeof cgroot, "%s/cgroup", root);
    char p[600];
    mkdir(root, 0700);
    atexit(remove_root);
    snprintf(p, sizeof p, "%s/1", root);
    mkdir(p, 0700);
    mkdir(cgroot, 0700);
    put("cgroup/cgroup.controllers", "cpu\n", 4);
    put("cgroup/cpu.stat", "usage_usec 123456\n", 18);
    setenv("ECOMETER_PROC_ROOT", root, 1);
    setenv("ECOMETER_CGROUP_ROOT", cgroot, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    char *s = fuzz_cstr(data, size);
    const char *part[6] = {"", "", "", "", "", ""};
    size_t plen[6] = {0};
    char *p = s;
    for (int i = 0; i < 6 && p; i++) {
        char *sep = strstr(p, "\n@@\n");
        part[i] = p;
        plen[i] = sep ? (size_t)(sep - p) : strlen(p);
        if (sep)
            *sep = 0;
        p = sep ? sep + 4 : NULL;
    }
    /* 0: /proc/stat */
    unsigned long long busy, total;
    if (eco_proc_stat_parse(part[0], &busy, &total) == 0)
        FUZZ_ASSERT(1);
    put("stat", part[0], plen[0]);
    struct eco_err err;
    double sec;
    if (eco_proc_busy_seconds(&sec, &err) == 0)
        FUZZ_ASSERT(sec >= 0);
    /* 1, 2: one process, its cgroup */
    put("1/stat", part[1], plen[1]);
    put("1/cgroup", part[2], plen[2]);
    struct eco_usage_set set = {0};
    if (eco_scan_processes(&set, &err) == 0)
        for (size_t i = 0; i < set.n; i++)
            FUZZ_ASSERT(strlen(set.v[i].name) < sizeof set.v[i].name && set.v[i].cpu_s >= 0);
    if (eco_scan_cgroups(&set, &err) == 0)
        for (size_t i = 0; i < set.n; i++)
            FUZZ_ASSERT(strlen(set.v[i].id) < sizeof set.v[i].id && set.v[i].cpu_s >= 0);
    eco_usage_set_free(&set);
    char name[128];
    eco_cgroup_name(part[2], name, sizeof name);
    FUZZ_ASSERT(strlen(name) < sizeof name);
    struct eco_attr a;
    eco_attr_init(&a, 1, 1, 1.0);
    if (eco_attr_tree_cpu(&a, &sec) == 0)
        FUZZ_ASSERT(sec >= 0);
    if (eco_attr_busy_cpu(&a, &sec) == 0)
        FUZZ_ASSERT(sec >= 0);
    eco_attr_free(&a);
    /* 3: cpuinfo */
    char model[160];
    if (eco_cpu_model_from_cpuinfo(part[3], model, sizeof model) == 0)
        FUZZ_ASSERT(strlen(model) < sizeof model);
    /* 4: meminfo */
    put("meminfo", part[4], plen[4]);
    double gb = eco_sensors_mem_gb();
    FUZZ_ASSERT(gb == -1 || gb >= 0);
    /* 5: a sysfs number file */
    put("value", part[5], plen[5]);
    char vp[512];
    snprintf(vp, sizeof vp, "%s/value", root);
    unsigned long long u;
    long long i64;
    eco_sysfs_read_u64(vp, &u);
    eco_sysfs_read_i64(vp, &i64);
    free(s);
    return 0;
}
