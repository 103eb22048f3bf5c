#include "out/report_sections.h"

/* Until the carbon-intensity table and the a-posteriori formulas are part of
 * this build, the report says so instead of inventing figures. */
void eco_report_section_places(FILE *out, const struct eco_run_result *r)
{
    (void)r;
    fputs("<h3>CO2e in other places</h3>\n<p class=\"note\">Not available in this build: the "
          "carbon-intensity table is not built in.</p>\n", out);
}

void eco_report_section_posteriori(FILE *out, const struct eco_run_result *r)
{
    (void)r;
    fputs("<h3>Measured and a-posteriori estimates</h3>\n<p class=\"note\">Not available in this "
          "build: the a-posteriori formulas are not built in.</p>\n", out);
}
