/* One run for people (`ecometer show`): header, domains, regions, per-item
 * energy, CO2e; and the flat CSV views of `show` (one row per domain and per
 * region) and `export --format csv` (the power series, one row per sample). */
#ifndef ECO_RENDER_RUN_VIEW_H
#define ECO_RENDER_RUN_VIEW_H

#include <stdio.h>

#include "meter/result.h"

void eco_run_view_text(FILE *out, const struct eco_run_result *r);
/* run_id,domain,kind,method,top_level,t_s,watts */
void eco_series_csv(FILE *out, const struct eco_run_result *r);
/* "2026-11-26 12:00:00 UTC" */
const char *eco_fmt_utc(double unix_s, char *buf, size_t len);
/* How outputs title a run: "teacher (20261126T100000Z-1a2b3c4d)" when it
 * has a name (--name), else its id. */
const char *eco_run_title(const struct eco_run_result *r, char *buf, size_t len);
/* The run's label for people: "project reid; tags kd, reid" ("" if none). */
const char *eco_run_label_text(const struct eco_run_result *r, char *buf, size_t len);

#endif
