/* Outputs of a run in which nothing could be measured or estimated
 * (eco_run_result_unmeasured): "not measured" instead of zeros. */
#ifndef ECO_OUT_NOT_MEASURED_H
#define ECO_OUT_NOT_MEASURED_H

#include "meter/result.h"

struct cJSON;
/* In a run's JSON object: every energy and CO2e figure becomes null, and
 * "energy_method": "not measured" and "not_measured_why" are added. Nothing
 * is changed for a run that has domains. */
void eco_json_not_measured(struct cJSON *o, const struct eco_run_result *r);

#endif
