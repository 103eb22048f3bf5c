/* One history handle saving several runs in turn: the run row's statement is
 * prepared once per handle and kept (store/history.c), so every save must
 * bind all of its own values and none of the previous run's. */
#include <stdio.h>
#include <string.h>

#include "store/history.h"
#include "synthetic_run.h"
#include "test.h"

static const char *reuse_db(void)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/reuse.db", eco_test_tmpdir());
    return buf;
}

static void check_back(struct eco_history *h, const struct eco_run_result *r)
{
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_run_result back;
    CHECK(eco_history_load(h, r->id, &back, &err) == 0);
    CHECK_STR(back.id, r->id);
    CHECK_STR(back.command, r->command);
    CHECK_STR(back.region_code, r->region_code);
    CHECK_INT(back.complete, r->complete);
    CHECK_INT(back.exit_status, r->exit_status);
    CHECK(back.duration_s == r->duration_s);
    CHECK(back.total_energy_j == r->total_energy_j);
    CHECK(back.co2e_g == r->co2e_g);
    CHECK(back.intensity_g_per_kwh == r->intensity_g_per_kwh);
    CHECK(back.baseline_w == r->baseline_w);
    eco_run_result_free(&back);
}

ECO_TEST(history_one_handle_saves_different_runs_each_with_its_own_values)
{
    struct eco_synth a = {.id = "reuse-a", .command = "python a.py", .duration_s = 30, .cpu_w = 40,
                          .baseline_w = 10, .region = "FR", .intensity = 56, .incomplete = 1};
    struct eco_synth b = {.id = "reuse-b", .command = "python b.py", .duration_s = 90, .cpu_w = 120,
                          .gpu_w = 300, .region = "PL", .intensity = 650};
    struct eco_run_result ra, rb;
    eco_synth_run(&a, &ra);
    eco_synth_run(&b, &rb);
    CHECK(ra.total_energy_j != rb.total_energy_j && ra.baseline_w != rb.baseline_w);
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_history *h = eco_history_open(reuse_db(), &err);
    CHECK(h != NULL);
    if (!h)
        return;
    CHECK(eco_history_save(h, &ra, &err) == 0);
    CHECK(eco_history_save(h, &rb, &err) == 0);
    ra.complete = 1; /* a checkpoint, then the final save of the first run */
    ra.exit_status = 3;
    ra.duration_s = 31;
    CHECK(eco_history_save(h, &ra, &err) == 0);
    check_back(h, &ra);
    check_back(h, &rb);
    eco_history_close(h);
    h = eco_history_open(reuse_db(), &err); /* what another process reads */
    CHECK(h != NULL);
    if (h) {
        check_back(h, &ra);
        check_back(h, &rb);
        eco_history_close(h);
    }
    eco_synth_free(&ra);
    eco_synth_free(&rb);
}
