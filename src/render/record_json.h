/* The one JSON object of a run record, walked from its field tables
 * (meter/record_fields.h): `ecometer run --json`, `run --format json`,
 * `monitor`, `show --format json` and `export --format json` all print it. */
#ifndef ECO_RENDER_RECORD_JSON_H
#define ECO_RENDER_RECORD_JSON_H

#include "meter/result.h"

struct cJSON;

/* with_series: each domain's power series as [[t_s, watts], ...]. */
struct cJSON *eco_record_json(const struct eco_run_result *r, int with_series);
/* `ecometer runs --format json`: an array of the same objects cut to the
 * fields flagged ECO_FIELD_LIST (same keys, same values). */
struct cJSON *eco_record_list_json(const struct eco_run_result *runs, size_t n);

#endif
