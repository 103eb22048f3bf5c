/* What a measured run looks like to a person (text summary) and to a
 * program (one JSON object, CSV rows of the domains). Sinks only read the
 * result; they compute no energy beyond ratios of what is in it. */
#ifndef ECO_OUT_RUN_REPORT_H
#define ECO_OUT_RUN_REPORT_H

#include <stdio.h>

#include "meter/result.h"

struct cJSON;

/* The end-of-run summary (text). */
void eco_report_text(FILE *out, const struct eco_run_result *r);
/* One JSON object: duration_s, exit_status, total_energy_j, co2e_g,
 * baseline_w, domains[], attributed{}, regions[] and more (docs in README). */
struct cJSON *eco_report_json(const struct eco_run_result *r);
/* CSV: one row per domain plus a "total" row. */
void eco_report_csv(FILE *out, const struct eco_run_result *r);

#endif
