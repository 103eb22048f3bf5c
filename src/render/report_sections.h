/* Report sections that draw on other parts of ecometer: CO2e of the same
 * energy in other places (carbon-intensity table) and what the a-posteriori
 * methods (Green Algorithms, ML CO2 Impact) would have estimated for the run. */
#ifndef ECO_RENDER_REPORT_SECTIONS_H
#define ECO_RENDER_REPORT_SECTIONS_H

#include <stdio.h>

#include "meter/result.h"

void eco_html_section_places(FILE *out, const struct eco_run_result *r);
void eco_html_section_posteriori(FILE *out, const struct eco_run_result *r);

#endif
