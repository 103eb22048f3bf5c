/* The CPU estimate on cloud VMs and in containers: hidden model names get a
 * generic per-thread figure derived from the CPU table, the estimate is
 * scaled to the CPUs usable here (online, cgroup v2 cpu.max and cpuset), and
 * --cpu / --cpu-tdp / ECOMETER_CPU / ECOMETER_CPU_TDP choose the figures. */
#include <math.h>

#include "sensors/cpu_choice.h"
#include "sensors/cpu_estimate.h"
#include "sensors/cpu_quota.h"
#include "sensors_fixture.h"
#include "test.h"

ECO_TEST(cpu_quota_list_and_max_parse)
{
    CHECK_INT(eco_cpu_list_count("0-3,8,10-11\n"), 7);
    CHECK_INT(eco_cpu_list_count("0\n"), 1);
    CHECK_INT(eco_cpu_list_count("\n"), 0);
    CHECK_INT(eco_cpu_list_count("3-1"), -1);
    CHECK_INT(eco_cpu_list_count("0-"), -1);
    CHECK_INT(eco_cpu_list_count("zero"), -1);
    CHECK_NEAR(eco_cpu_max_parse("200000 100000\n"), 2.0, 0);
    CHECK_NEAR(eco_cpu_max_parse("50000 100000"), 0.5, 0);
    CHECK_NEAR(eco_cpu_max_parse("max 100000\n"), 0, 0);
    CHECK_NEAR(eco_cpu_max_parse("abc 100000"), -1, 0);
    CHECK_NEAR(eco_cpu_max_parse("200000 0"), -1, 0);
    CHECK_NEAR(eco_cpu_max_parse(""), -1, 0);
    unsigned long long u = 0;
    CHECK_INT(eco_cpu_stat_usage("usage_usec 8250000\nuser_usec 6000000\n", &u), 0);
    CHECK_INT(u, 8250000);
    CHECK_INT(eco_cpu_stat_usage("nr_periods 1\n", &u), -1);
    CHECK_NEAR(eco_memory_max_parse("4294967296\n"), 4.0, 0);
    CHECK_NEAR(eco_memory_max_parse("max\n"), 0, 0);
    CHECK_NEAR(eco_memory_max_parse("4G"), -1, 0);
    CHECK_NEAR(eco_memory_max_parse(""), -1, 0);
    /* 1 CPU-second over 1 s with 2 CPUs: half loaded; clamped at 1 */
    CHECK_NEAR(eco_cgroup_load(1000000, 1.0, 2), 0.5, 1e-12);
    CHECK_NEAR(eco_cgroup_load(9000000, 1.0, 2), 1.0, 0);
    CHECK_NEAR(eco_cgroup_load(1, 0, 2), -1, 0);
}

ECO_TEST(cpu_hidden_model_names)
{
    CHECK_INT(eco_cpu_hidden_kind("Intel Xeon Processor (Icelake)"), ECO_CPU_HIDDEN_XEON);
    CHECK_INT(eco_cpu_hidden_kind("Intel(R) Xeon(R) CPU @ 2.20GHz"), ECO_CPU_HIDDEN_XEON);
    CHECK_INT(eco_cpu_hidden_kind("Intel Xeon Processor (Cascadelake, IBRS)"), ECO_CPU_HIDDEN_XEON);
    CHECK_INT(eco_cpu_hidden_kind("AMD EPYC Processor"), ECO_CPU_HIDDEN_EPYC);
    CHECK_INT(eco_cpu_hidden_kind("AMD EPYC-Rome Processor"), ECO_CPU_HIDDEN_EPYC);
    CHECK_INT(eco_cpu_hidden_kind("Common KVM processor"), ECO_CPU_HIDDEN_SERVER);
    CHECK_INT(eco_cpu_hidden_kind("QEMU Virtual CPU version 2.5+"), ECO_CPU_HIDDEN_SERVER);
    CHECK_INT(eco_cpu_hidden_kind("Intel Core Processor (Haswell, no TSX)"), ECO_CPU_HIDDEN_SERVER);
    CHECK_INT(eco_cpu_hidden_kind("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz"), ECO_CPU_NAMED);
    CHECK_INT(eco_cpu_hidden_kind("AMD EPYC 7B12"), ECO_CPU_NAMED);
}

/* The median of TDP/threads recomputed from data/cpus.tsv's text by this
 * test's own parser (columns by header name), not by the table loader. */
static double table_median(const char *family, int *n_out)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/data/cpus.tsv", eco_test_srcdir());
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    char line[2048];
    int c_name = -1, c_thr = -1, c_tdp = -1, n = 0;
    static double v[4096];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\n")] = 0;
        char *cols[32];
        int k = 0;
        for (char *p = line, *tab; k < 32; p = tab + 1) {
            cols[k++] = p;
            if (!(tab = strchr(p, '\t')))
                break;
            *tab = 0;
        }
        if (c_name < 0) {
            for (int i = 0; i < k; i++) {
                c_name = strcmp(cols[i], "name") == 0 ? i : c_name;
                c_thr = strcmp(cols[i], "threads") == 0 ? i : c_thr;
                c_tdp = strcmp(cols[i], "tdp_w") == 0 ? i : c_tdp;
            }
            continue;
        }
        int in = family ? strstr(cols[c_name], family) != NULL
                        : strstr(cols[c_name], "Xeon") || strstr(cols[c_name], "EPYC");
        if (in && atof(cols[c_thr]) > 0 && atof(cols[c_tdp]) > 0 && n < 4096)
            v[n++] = atof(cols[c_tdp]) / atof(cols[c_thr]);
    }
    fclose(f);
    for (int i = 1; i < n; i++) /* insertion sort: small table */
        for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    *n_out = n;
    return n == 0 ? -1 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

ECO_TEST(cpu_generic_figure_is_the_table_median)
{
    static const struct { enum eco_cpu_hidden kind; const char *family; } cases[] = {
        {ECO_CPU_HIDDEN_XEON, "Xeon"}, {ECO_CPU_HIDDEN_EPYC, "EPYC"}, {ECO_CPU_HIDDEN_SERVER, NULL}};
    for (size_t i = 0; i < 3; i++) {
        struct eco_cpu_generic g;
        CHECK_INT(eco_cpu_generic_figure(cases[i].kind, &g), 0);
        int n = 0;
        double median = table_median(cases[i].family, &n);
        CHECK_INT(g.n_rows, n);
        CHECK_NEAR(g.w_per_thread, median, 1e-12);
        CHECK(g.lo <= g.w_per_thread && g.w_per_thread <= g.hi);
        CHECK(n >= 50); /* a median of a handful of rows would be no figure */
    }
}

/* Green Algorithms' TDP_cpu.csv gives TDP per physical core; with two
 * threads per core, its Xeon and EPYC medians halved should be near ours. */
ECO_TEST(cpu_generic_figure_near_green_algorithms)
{
    /* ECOMETER_REFERENCE (the sanitizer's copy of the tree sets it), else next to the source */
    const char *ref = getenv("ECOMETER_REFERENCE");
    char path[PATH_MAX];
    if (ref && *ref)
        snprintf(path, sizeof path, "%s/green-algorithms/TDP_cpu.csv", ref);
    else
        snprintf(path, sizeof path, "%s/../shared/reference/green-algorithms/TDP_cpu.csv", eco_test_srcdir());
    FILE *f = fopen(path, "r");
    if (!f)
        ECO_SKIP("%s is absent: no cross-check with Green Algorithms", path);
    static const struct { enum eco_cpu_hidden kind; const char *family; } cases[] = {
        {ECO_CPU_HIDDEN_XEON, "Xeon"}, {ECO_CPU_HIDDEN_EPYC, "EPYC"}};
    for (size_t c = 0; c < 2; c++) {
        double v[512];
        int n = 0;
        char line[1024];
        rewind(f);
        for (int row = 0; fgets(line, sizeof line, f); row++) {
            char *cols[8] = {0};
            int k = 0;
            for (char *p = line, *comma; k < 8; p = comma + 1) {
                cols[k++] = p;
                if (!(comma = strchr(p, ',')))
                    break;
                *comma = 0;
            }
            /* two header rows; columns model, TDP, n_cores, TDP_per_core */
            if (row >= 2 && k >= 4 && strstr(cols[0], cases[c].family) && atof(cols[3]) > 0 && n < 512)
                v[n++] = atof(cols[3]) / 2;
        }
        CHECK(n >= 5);
        for (int i = 1; i < n; i++)
            for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
                double t = v[j];
                v[j] = v[j - 1];
                v[j - 1] = t;
            }
        double ga = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        struct eco_cpu_generic g;
        CHECK_INT(eco_cpu_generic_figure(cases[c].kind, &g), 0);
        printf("    %s: ours %.3f W/thread (%d rows), Green Algorithms %.3f (%d rows, per core / 2)\n",
               cases[c].family, g.w_per_thread, g.n_rows, ga, n);
        CHECK(fabs(g.w_per_thread - ga) / ga < 0.40);
    }
    fclose(f);
}

/* The VM fixture: hidden Icelake model, 8 vCPUs, cgroup cpu.max 2 CPUs. */
ECO_TEST(cpu_vm_fixture_scaled_to_the_cgroup_quota)
{
    fx_use("vm-hidden-model");
    struct eco_cpu_avail a;
    CHECK_INT(eco_cpu_avail_read(&a), 0);
    CHECK_INT(a.online, 8);
    CHECK_INT(a.cpuset, 8);
    CHECK_NEAR(a.quota, 2.0, 0);
    CHECK_NEAR(a.cpus, 2.0, 0);
    CHECK_NEAR(a.mem_max_gb, 4.0, 0);
    CHECK_INT(a.limited, 1);
    CHECK_STR(a.limit, "cgroup cpu.max 200000 100000 (/system.slice/ecometer-job.scope)");
    struct eco_cpu_generic g;
    CHECK_INT(eco_cpu_generic_figure(ECO_CPU_HIDDEN_XEON, &g), 0);
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "cpu-estimate");
    CHECK(s->enabled);
    CHECK_INT(s->domains[0].method, ECO_ESTIMATED);
    char want[640];
    snprintf(want, sizeof want, "Intel Xeon Processor (Icelake), %.3g W/thread x 2 CPUs", g.w_per_thread);
    CHECK_STR(s->domains[0].device, want);
    struct eco_reading r[2];
    struct eco_err e;
    eco_err_clear(&e);
    CHECK_INT(s->ops->read(s, r, &e), 0);
    /* cpu.stat does not move: load 0, P = W/thread x 2 CPUs x 0.10 */
    CHECK_NEAR(r[0].value, g.w_per_thread * 2 * ECO_CPU_IDLE_FRACTION, 1e-12);
    /* memory: the cgroup's memory.max (4 GiB), not the VM's MemTotal (15.6 GiB) */
    CHECK_NEAR(r[1].value, 4.0 * ECO_MEMORY_W_PER_GB, 1e-12);
    CHECK_STR(s->domains[1].device, "4.0 GB RAM (cgroup memory.max) at 0.3725 W/GB");
    const char *about = eco_cpu_estimate_about(&set);
    CHECK(about != NULL);
    snprintf(want, sizeof want,
             "CPU power estimated, not measured: model hidden (a VM), generic figure: the median "
             "TDP/threads of the %d Intel Xeon rows of the CPU table (range %.3g-%.3g W): %.3g W per "
             "thread x 2 CPUs (cgroup cpu.max 200000 100000 (/system.slice/ecometer-job.scope)) = %.4g W "
             "at full load",
             g.n_rows, g.lo, g.hi, g.w_per_thread, 2 * g.w_per_thread);
    CHECK_STR(about, want);
    eco_sensors_close(&set);
}

/* A cpuset smaller than the quota wins; a quota on a parent limits the child. */
ECO_TEST(cpu_vm_cpuset_and_parent_quota)
{
    fx_copy("vm-hidden-model");
    fx_write("sys/fs/cgroup/system.slice/ecometer-job.scope/cpu.max", "max 100000\n");
    fx_write("sys/fs/cgroup/system.slice/ecometer-job.scope/cpuset.cpus.effective", "2-4\n");
    struct eco_cpu_avail a;
    CHECK_INT(eco_cpu_avail_read(&a), 0);
    CHECK_NEAR(a.cpus, 3, 0);
    CHECK_STR(a.limit, "cgroup cpuset.cpus.effective: 3 CPUs");
    fx_write("sys/fs/cgroup/system.slice/cpu.max", "150000 100000\n");
    CHECK_INT(eco_cpu_avail_read(&a), 0);
    CHECK_NEAR(a.cpus, 1.5, 0);
    CHECK_STR(a.limit, "cgroup cpu.max 150000 100000 (/system.slice)");
    /* no cgroup line at all: all the CPUs online */
    fx_write("proc/self/cgroup", "");
    CHECK_INT(eco_cpu_avail_read(&a), 0);
    CHECK_NEAR(a.cpus, 8, 0);
    CHECK_INT(a.limited, 0);
    CHECK_STR(a.limit, "8 CPUs online");
}

/* Bare metal (no hypervisor flag) in a container of 1 CPU out of 4: a
 * quarter of the socket's TDP. */
ECO_TEST(cpu_bare_metal_in_a_container)
{
    fx_copy("no-sensors");
    CHECK_INT(system("mkdir -p \"$ECOMETER_SYSFS_ROOT/fs/cgroup/job\" \"$ECOMETER_PROC_ROOT/self\" "
                     "\"$ECOMETER_SYSFS_ROOT/devices/system/cpu\""), 0);
    fx_write("proc/self/cgroup", "0::/job\n");
    fx_write("sys/fs/cgroup/job/cpu.max", "100000 100000\n");
    fx_write("sys/devices/system/cpu/online", "0-3\n");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "cpu-estimate");
    CHECK(s->enabled);
    CHECK_STR(s->domains[0].device, "Intel Xeon Gold 6248, TDP 150 W x 1 socket x 1/4 CPUs");
    struct eco_reading r[2];
    struct eco_err e;
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK_NEAR(r[0].value, 150.0 / 4 * ECO_CPU_IDLE_FRACTION, 1e-12);
    eco_sensors_close(&set);
}
