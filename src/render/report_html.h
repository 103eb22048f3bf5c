/* The HTML report: one self-contained file (inline CSS and SVG, no script,
 * nothing fetched at view time) about one or several stored runs. */
#ifndef ECO_RENDER_REPORT_HTML_H
#define ECO_RENDER_REPORT_HTML_H

#include <stdio.h>

#include "core/err.h"
#include "meter/result.h"

/* For each run: summary, power over time per domain (stacked, regions
 * shaded), energy breakdown, per-region and per-item energy, CO2e here and
 * in other places, and what the a-posteriori methods would have estimated;
 * with several runs, a comparison first. */
int eco_html_report(FILE *out, const struct eco_run_result *runs, size_t n, struct eco_err *err);

#endif
