/* A stored or measured run as JSON (cJSON): what `show --format json` and
 * `export --format json` print. Figures in joules, watts, grams, seconds. */
#ifndef ECO_OUT_RUN_JSON_H
#define ECO_OUT_RUN_JSON_H

#include "meter/result.h"

struct cJSON;
/* with_series: include each domain's power series as [[t, W], ...]. */
struct cJSON *eco_run_json(const struct eco_run_result *r, int with_series);

#endif
