/* How a run's scenario is told in every output: fixed time (`run --for`,
 * stopped by ecometer; items per joule compares models) or fixed task (the
 * command ran to its end; energy per item compares models), and the warning
 * when two runs of different scenarios are compared. */
#ifndef ECO_RENDER_SCENARIO_H
#define ECO_RENDER_SCENARIO_H

#include <stddef.h>
#include <stdio.h>

#include "meter/result.h"

/* "fixed time: --for 2 s, then stopped by ecometer (SIGTERM)", "fixed task:
 * the command ran to its end", "not recorded (...)". */
const char *eco_scenario_label(const struct eco_run_result *r, char *buf, size_t len);
/* The window's figures of a fixed-time run ("2.00 s: 30.2 J, 120 items,
 * 3.97 items/J"); "" for other runs. */
const char *eco_scenario_window(const struct eco_run_result *r, char *buf, size_t len);
/* Why comparing a and b needs a word (different scenarios, or fixed-time
 * runs of different lengths), or NULL when they are alike. */
const char *eco_scenario_mismatch(const struct eco_run_result *a, const struct eco_run_result *b, char *buf,
                                  size_t len);
/* The summary's lines: "  scenario ...", "  window ...". */
void eco_scenario_summary(FILE *out, const struct eco_run_result *r, const char *indent);

#endif
