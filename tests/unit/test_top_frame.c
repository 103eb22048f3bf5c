/* `ecometer top`'s figures come from the library (meter/top_frame.c), not
 * from the command: per-process CPU-side power, GPU processes by power, bar
 * scales, and a whole frame from a run driver on a fixture board with a fake
 * /proc (ECOMETER_SYSFS_ROOT, ECOMETER_PROC_ROOT). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meter/run_driver.h"
#include "meter/top_frame.h"
#include "test.h"

ECO_TEST(top_frame_process_power_is_cpu_side_power_times_share)
{
    CHECK_NEAR(eco_top_proc_power_w(80, 0.75), 60, 1e-12);
    CHECK_NEAR(eco_top_proc_power_w(80, 0), 0, 1e-12);
    struct eco_top_frame f;
    memset(&f, 0, sizeof f);
    struct eco_proc_share s[2] = {{.pid = 100, .comm = "python3", .share = 0.75, .cpu_pct = 300},
                                  {.pid = 200, .comm = "cc1", .share = 0.25, .cpu_pct = 100}};
    eco_top_procs_fill(&f, s, 2, 80);
    CHECK_INT(f.n_procs, 2);
    CHECK_INT(f.procs[0].pid, 100);
    CHECK_STR(f.procs[0].comm, "python3");
    CHECK_NEAR(f.procs[0].cpu_pct, 300, 1e-12);
    CHECK_NEAR(f.procs[0].watts, 60, 1e-12);
    CHECK_NEAR(f.procs[1].watts, 20, 1e-12);
    eco_top_procs_fill(&f, s, -1, 80); /* /proc unreadable: nothing added */
    CHECK_INT(f.n_procs, 2);
}

ECO_TEST(top_frame_gpu_processes_largest_first_capped)
{
    struct eco_top_frame f;
    memset(&f, 0, sizeof f);
    for (int i = 0; i < ECO_TOP_MAX_PROCS + 3; i++) {
        struct eco_top_gpu_proc g = {.pid = 1000 + i, .watts = (double)((i * 7) % 17)};
        eco_top_gpu_proc_add(&f, &g);
    }
    CHECK_INT(f.n_gpu_procs, ECO_TOP_MAX_PROCS);
    for (size_t i = 1; i < f.n_gpu_procs; i++)
        CHECK(f.gpu_procs[i - 1].watts >= f.gpu_procs[i].watts);
    CHECK_NEAR(f.gpu_procs[0].watts, 16, 1e-12); /* the largest of 0..16 by steps of 7 mod 17 */
    struct eco_top_gpu_proc small = {.pid = 1, .watts = -1};
    eco_top_gpu_proc_add(&f, &small); /* below every kept one: dropped */
    for (size_t i = 0; i < f.n_gpu_procs; i++)
        CHECK(f.gpu_procs[i].pid != 1);
}

ECO_TEST(top_frame_bar_scale_limit_or_highest_seen)
{
    struct eco_top_domain t = {.watts = 100};
    double peak = 0;
    eco_top_domain_range(&t, 400, &peak);
    CHECK(t.range_is_limit);
    CHECK_NEAR(t.range_w, 400, 1e-12);
    t.watts = 481; /* more than 20 % over the limit: the limit is no scale */
    eco_top_domain_range(&t, 400, &peak);
    CHECK(!t.range_is_limit);
    CHECK_NEAR(t.range_w, 481, 1e-12);
    t.watts = 50; /* no limit: the highest seen stays the scale */
    eco_top_domain_range(&t, 0, &peak);
    CHECK_NEAR(t.range_w, 481, 1e-12);
}

static void fake_proc(const char *root, int pid, const char *comm, unsigned long long ut)
{
    char path[512], text[512];
    snprintf(path, sizeof path, "%s/%d", root, pid);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%d/stat", root, pid);
    snprintf(text, sizeof text, "%d (%s) R 1 %d %d 0 -1 4194304 100 0 0 0 %llu 0 0 0 20 0 1 0 100 0 0\n", pid,
             comm, pid, pid, ut);
    eco_test_write_file(path, text);
}

/* The Jetson AGX Orin fixture's rails (constant power: VDD_CPU_CV 2.79 W,
 * cpu-package; VDDQ_VDD2_1V8AO 0.40 W, dram) and a /proc where python3 used
 * 300 of the 400 busy ticks between two scans: its power is 3/4 of the
 * CPU-side domains' power in the frame. */
ECO_TEST(top_frame_from_a_run_driver_on_a_fixture_board)
{
    char sys[1024], root[600], stat[700];
    snprintf(sys, sizeof sys, "%s/tests/fixtures/jetson-agx-orin/sys", eco_test_srcdir());
    snprintf(root, sizeof root, "%s/topproc", eco_test_tmpdir());
    mkdir(root, 0755);
    snprintf(stat, sizeof stat, "%s/stat", root);
    eco_test_write_file(stat, "cpu  1000 0 500 9000 10 0 0 0 0 0\n");
    fake_proc(root, 100, "python3", 50);
    fake_proc(root, 200, "make", 10);
    setenv("ECOMETER_SYSFS_ROOT", sys, 1);
    setenv("ECOMETER_PROC_ROOT", root, 1);
    unsetenv("ECOMETER_SOCKET");
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_run_setup setup = {.kind = "top", .region = "FR", .intensity = -1, .meter = {.interval_s = 0.02}};
    struct eco_run_driver *d = eco_run_driver_open(&setup, &err);
    CHECK(d != NULL);
    CHECK(eco_run_driver_start(d, &err) == 0);
    struct eco_top_state st;
    eco_top_state_init(&st);
    eco_test_write_file(stat, "cpu  1400 0 500 9500 10 0 0 0 0 0\n");
    fake_proc(root, 100, "python3", 350);
    fake_proc(root, 200, "make", 110);
    for (int i = 0; i < 3; i++)
        eco_meter_wait_and_sample(eco_run_driver_meter(d));
    struct eco_top_frame *f = calloc(1, sizeof *f);
    CHECK(f != NULL);
    eco_top_frame_fill(d, &st, 1.0, 8, f);
    double cpu_side = 0;
    for (size_t i = 0; i < f->n_domains; i++)
        if (!strcmp(f->domains[i].kind, "cpu-package") || !strcmp(f->domains[i].kind, "dram"))
            cpu_side += f->domains[i].watts;
    CHECK(cpu_side > 3 && cpu_side < 3.4); /* 2.79 + 0.40 W */
    CHECK_INT(f->n_procs, 2);
    CHECK_STR(f->procs[0].comm, "python3");
    CHECK_NEAR(f->procs[0].watts, eco_top_proc_power_w(cpu_side, 0.75), 1e-9);
    CHECK_NEAR(f->procs[1].watts, eco_top_proc_power_w(cpu_side, 0.25), 1e-9);
    CHECK_STR(f->place, eco_run_driver_intensity(d)->label);
    CHECK(f->energy_j > 0 && f->co2e_g > 0);
    free(f);
    eco_top_state_free(&st);
    eco_run_driver_close(d);
    unsetenv("ECOMETER_PROC_ROOT");
    unsetenv("ECOMETER_SYSFS_ROOT");
}
