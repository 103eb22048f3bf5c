/* A run's carbon intensity over time (--intensity-series) for people: the
 * time-resolved CO2e beside the yearly-average figure, what the series
 * covered and assumed, and the carbon-aware advice, plainly labelled as
 * arithmetic on the series. Used by the end-of-run summary, `show` and the
 * HTML report; prints nothing for a run without a series. */
#ifndef ECO_RENDER_SERIES_VIEW_H
#define ECO_RENDER_SERIES_VIEW_H

#include <stdio.h>

#include "meter/result.h"

/* Text lines, each label padded to `width` after `indent`. */
void eco_series_view_text(FILE *out, const struct eco_run_result *r, const char *indent, int width);
void eco_html_section_series(FILE *out, const struct eco_run_result *r);

#endif
