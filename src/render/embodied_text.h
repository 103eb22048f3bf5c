/* The embodied-emissions lines of a run in the text outputs (summary,
 * show): the amortised manufacturing CO2e, how it was obtained (footprint,
 * service life, share, which table rows, DEFAULT where a figure is a
 * stand-in) and the lifecycle total, always beside the operational CO2e. */
#ifndef ECO_RENDER_EMBODIED_TEXT_H
#define ECO_RENDER_EMBODIED_TEXT_H

#include <stdio.h>

#include "meter/result.h"

/* Lines "<label>value"; label_width pads the labels ("embodied", "lifecycle")
 * as the caller's other lines are. */
void eco_embodied_text(FILE *out, const struct eco_run_result *r, const char *indent, int label_width);

#endif
