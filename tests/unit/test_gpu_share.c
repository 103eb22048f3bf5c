/* The process tree's share of a GPU (src/meter/gpu_share.h), and the meter
 * using it through the stand-in NVML library. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "meter/gpu_share.h"
#include "core/clock.h"
#include "meter/meter.h"
#include "meter/sampler.h"
#include "test.h"

ECO_TEST(gpu_share_rules)
{
    pid_t tree[] = {100, 101};
    int per = -1;
    struct eco_gpu_proc util[] = {{100, 40, 10, 0}, {101, 20, 5, 0}, {555, 30, 0, 0}};
    CHECK_NEAR(eco_gpu_tree_share(util, 3, tree, 2, &per), 60.0 / 90.0, 1e-12);
    CHECK_INT(per, 1);
    struct eco_gpu_proc idle[] = {{100, 0, 0, 0}, {555, 0, 0, 0}};
    CHECK_NEAR(eco_gpu_tree_share(idle, 2, tree, 2, &per), 0, 0);
    /* old driver: only the list of compute processes */
    struct eco_gpu_proc only_ours[] = {{100, -1, -1, 1 << 30}, {101, -1, -1, 1 << 20}};
    CHECK_NEAR(eco_gpu_tree_share(only_ours, 2, tree, 2, &per), 1, 0);
    CHECK_INT(per, 0);
    struct eco_gpu_proc shared[] = {{100, -1, -1, 1 << 30}, {777, -1, -1, 1 << 20}};
    CHECK_NEAR(eco_gpu_tree_share(shared, 2, tree, 2, &per), 0, 0);
    CHECK_NEAR(eco_gpu_tree_share(NULL, 0, tree, 2, &per), 0, 0);
}

ECO_TEST(gpu_share_meter_with_nvml_standin)
{
    char lib[1024], sys[1024], procs[64];
    snprintf(lib, sizeof lib, "%s/build/tests/libnvml-standin.so", eco_test_srcdir());
    if (access(lib, R_OK) != 0)
        ECO_SKIP("stand-in NVML library not built (%s)", lib);
    snprintf(sys, sizeof sys, "%s/tests/fixtures/no-sensors/sys", eco_test_srcdir());
    /* this process holds 60 % of the SMs, another one 20 % */
    snprintf(procs, sizeof procs, "%d:60:10,999999:20:5", (int)getpid());
    setenv("ECOMETER_NVML_LIB", lib, 1);
    setenv("ECOMETER_SYSFS_ROOT", sys, 1);
    setenv("NVML_STANDIN_PROCS", procs, 1);
    setenv("NVML_STANDIN_POWER_MW", "200000", 1);
    struct eco_err err;
    struct eco_meter_options mo = {.interval_s = 0.02, .attribute = 1, .attr_root = getpid(),
                                   .attr_include_root = 1, .attr_period_s = 10};
    struct eco_meter *m = eco_meter_open(&mo, &err);
    CHECK(m != NULL);
    CHECK(eco_meter_start(m, &err) == 0);
    double t_end = eco_monotonic_s() + 0.5;
    while (eco_monotonic_s() < t_end)
        eco_meter_wait_and_sample(m);
    eco_meter_finish(m);
    struct eco_run_result r;
    memset(&r, 0, sizeof r);
    CHECK(eco_meter_result(m, 0, &r, &err) == 0);
    double gpu = 0, other = 0;
    for (size_t i = 0; i < r.n_domains; i++)
        if (r.domains[i].top_level)
            *(r.domains[i].kind == ECO_KIND_GPU ? &gpu : &other) += r.domains[i].energy_j;
    CHECK(gpu > 50);
    CHECK(strstr(r.attribution_method, "per-process SM share") != NULL);
    /* One scan at the start, one at the end (the stand-in reports its
     * process samples once): the GPU part is 0.75 of the GPU energy after the
     * first sample; the CPU part (estimated, this process's share) at most the rest. */
    CHECK(r.attributed_energy_j >= 0.75 * gpu * 0.9);
    CHECK(r.attributed_energy_j <= 0.75 * gpu + other + 1e-9);
    eco_run_result_free(&r);
    eco_meter_close(m);
}

/* top's per-process GPU power (issue 13): the GPU's power split by SM
 * utilisation, an attribution estimate; none without per-process figures. */
ECO_TEST(gpu_proc_power_split_by_sm)
{
    struct eco_gpu_proc p[3] = {{100, 60, 10, 0}, {200, 20, 5, 0}, {300, 0, 0, 0}};
    CHECK_NEAR(eco_gpu_proc_power_w(p, 3, 0, 100), 75, 1e-12);
    CHECK_NEAR(eco_gpu_proc_power_w(p, 3, 1, 100), 25, 1e-12);
    CHECK_NEAR(eco_gpu_proc_power_w(p, 3, 2, 100), 0, 1e-12);
    /* the parts add up to the GPU's power: nothing invented, nothing lost */
    CHECK_NEAR(eco_gpu_proc_power_w(p, 3, 0, 100) + eco_gpu_proc_power_w(p, 3, 1, 100) +
                   eco_gpu_proc_power_w(p, 3, 2, 100), 100, 1e-12);
    struct eco_gpu_proc idle[1] = {{100, 0, 0, 0}};
    CHECK_NEAR(eco_gpu_proc_power_w(idle, 1, 0, 50), 0, 1e-12);
    struct eco_gpu_proc old[1] = {{100, -1, -1, 1 << 20}}; /* old driver: memory only */
    CHECK(eco_gpu_proc_power_w(old, 1, 0, 50) < 0);
    CHECK(eco_gpu_proc_power_w(p, 3, 5, 100) < 0);
}
