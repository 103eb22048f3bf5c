/* Test-only: build internally consistent eco_run_result values (energy =
 * the integral of the power series, regions = the integral over their span,
 * CO2e = energy x intensity) so the store, exports and reports can be tested
 * before and independently of real sampling. Never linked into the product. */
#ifndef ECO_TEST_SYNTHETIC_RUN_H
#define ECO_TEST_SYNTHETIC_RUN_H

#include "meter/result.h"

struct eco_synth {
    const char *id;
    const char *command;
    double start_unix;      /* 0: 2026-11-26 12:00 UTC */
    double duration_s;      /* default 60 */
    double interval_s;      /* default 0.5 */
    double cpu_w, dram_w, gpu_w; /* mean power of each domain (gpu 0: no GPU domain) */
    int epochs;             /* marker regions "epoch-1".. */
    long long items_per_epoch;
    double baseline_w;
    const char *region;     /* default "FR" */
    double intensity;       /* g/kWh, default 56 */
    int incomplete;         /* 1: complete = 0, exit_status -1 */
};

void eco_synth_run(const struct eco_synth *s, struct eco_run_result *r);
void eco_synth_free(struct eco_run_result *r);

#endif
