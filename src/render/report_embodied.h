/* The report's embodied-emissions section: a chart of the run's two parts,
 * operational CO2e (its energy) and embodied CO2e (its share of making the
 * hardware), side by side and never stacked into one figure, with what the
 * embodied part rests on. */
#ifndef ECO_RENDER_REPORT_EMBODIED_H
#define ECO_RENDER_REPORT_EMBODIED_H

#include <stdio.h>

#include "meter/result.h"

void eco_html_section_embodied(FILE *out, const struct eco_run_result *r);

#endif
