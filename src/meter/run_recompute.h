/* A stored run's CO2e for another place (show/compare/export/report
 * --region or --carbon-intensity): the stored energy stays as it is; the
 * intensity becomes the other place's, every CO2e figure is derived again
 * (eco_run_derive, through the one formula carbon/co2e.c), and the record
 * says so: intensity_recomputed = 1, recorded_intensity_g_per_kwh = the
 * intensity it was stored with. Nothing is written to the history. */
#ifndef ECO_METER_RUN_RECOMPUTE_H
#define ECO_METER_RUN_RECOMPUTE_H

#include <stddef.h>

#include "carbon/intensity.h"
#include "meter/result.h"

void eco_run_recompute(struct eco_run_result *r, const struct eco_intensity *in);

/* "CO2e recomputed for DE (...): 381 g/kWh instead of the 56 g/kWh
 * recorded (FR ...); the stored energy is unchanged" into buf, or "" when
 * the run was not recomputed. For the text outputs. */
const char *eco_run_recomputed_note(const struct eco_run_result *r, char *buf, size_t len);

#endif
