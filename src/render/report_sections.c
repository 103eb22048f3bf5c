#include "render/report_sections.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "carbon/co2e.h"
#include "carbon/intensity.h"
#include "carbon/posteriori.h"
#include "core/units.h"
#include "hw/hardware.h"
#include "carbon/posteriori_check.h"
#include "render/svg.h"

void eco_html_section_places(FILE *out, const struct eco_run_result *r)
{
    fputs("<h3>CO2e of this energy in other places</h3>\n", out);
    struct eco_svg_bar bars[16];
    char labels[16][96], values[16][64];
    size_t n = 0;
    /* The run's own intensity first, as recorded at run time. */
    snprintf(labels[n], sizeof labels[n], "this run%s: %s", r->intensity_recomputed ? " (recomputed)" : "",
             r->region_code[0] ? r->region_code : r->intensity_recomputed ? "given" : "?");
    char m[32];
    snprintf(values[n], sizeof values[n], "%s (%.0f g/kWh)", eco_fmt_mass(r->co2e_g, m, sizeof m),
             r->intensity_g_per_kwh);
    bars[n] = (struct eco_svg_bar){labels[n], r->co2e_g, values[n], "#0072B2", 0};
    n++;
    struct eco_co2e_place elsewhere[15];
    size_t k = eco_co2e_elsewhere(r->total_energy_j, r->region_code, elsewhere, 15);
    for (size_t i = 0; i < k; i++) {
        const struct eco_region *g = elsewhere[i].region;
        double co2 = elsewhere[i].co2e_g;
        snprintf(labels[n], sizeof labels[n], "%s (%s)", g->name, g->code);
        snprintf(values[n], sizeof values[n], "%s (%.0f g/kWh, %d)", eco_fmt_mass(co2, m, sizeof m),
                 g->g_per_kwh, g->year);
        bars[n] = (struct eco_svg_bar){labels[n], co2, values[n], "#999999", 0};
        n++;
    }
    if (n == 1) {
        fputs("<p class=\"note\">The carbon-intensity table could not be read, so only this run's own "
              "figure is shown.</p>\n", out);
    }
    eco_svg_hbars(out, bars, n, 1000);
    fputs("<p class=\"note\">Same energy (the run's total), yearly average intensity of each place "
          "from ecometer's table (<code>ecometer carbon</code> lists the sources).</p>\n", out);
}

void eco_html_section_posteriori(FILE *out, const struct eco_run_result *r)
{
    fputs("<h3>Measured energy and a-posteriori estimates</h3>\n", out);
    struct eco_posteriori_check c;
    eco_posteriori_check(r, &c);
    if (!c.possible) {
        fputs("<p class=\"note\">No estimate: ", out);
        eco_xml_escape(out, c.why);
        fputs("</p>\n", out);
        return;
    }
    struct eco_svg_bar bars[3];
    char values[3][96], m[32];
    snprintf(values[0], sizeof values[0], "%s%s", eco_fmt_energy(r->total_energy_j, m, sizeof m),
             c.measured_has_estimates ? " (partly estimated)" : "");
    bars[0] = (struct eco_svg_bar){"measured by ecometer", r->total_energy_j, values[0], "#0072B2", 0};
    for (int k = 0; k < 2; k++) {
        snprintf(values[k + 1], sizeof values[k + 1], "%s (%+.0f%% vs measured)",
                 eco_fmt_energy(c.estimate[k].total_j, m, sizeof m), c.error_pct[k]);
        bars[k + 1] = (struct eco_svg_bar){k == 0 ? "Green Algorithms" : "ML CO2 Impact",
                                           c.estimate[k].total_j, values[k + 1], "#E69F00", 1};
    }
    eco_svg_hbars(out, bars, 3, 1000);
    fputs("<table><tr><th>method</th><th class=\"num\">energy</th><th class=\"num\">error</th>"
          "<th class=\"num\">CO2e</th><th>inputs</th></tr>\n", out);
    for (int k = 0; k < 2; k++) {
        const struct eco_post_result *e = &c.estimate[k];
        char en[32], co[32], pct[32];
        snprintf(pct, sizeof pct, "%+.1f %%", c.error_pct[k]);
        fprintf(out, "<tr><td><b>%s</b><br><span class=\"note\">", k == 0 ? "Green Algorithms" : "ML CO2 Impact");
        eco_xml_escape(out, eco_post_method_citation((enum eco_post_method)k));
        fputs("</span>", out);
        fprintf(out, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"note\">",
                eco_fmt_energy(e->total_j, en, sizeof en), pct,
                eco_fmt_mass(c.co2e_g[k], co, sizeof co));
        for (size_t i = 0; i < e->n_inputs; i++) {
            char line[320];
            snprintf(line, sizeof line, "%s%s = %g %s (%s)", i ? "; " : "", e->inputs[i].name, e->inputs[i].value,
                     e->inputs[i].unit, e->inputs[i].source);
            eco_xml_escape(out, line);
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n<p class=\"note\">", out);
    eco_xml_escape(out, c.assumptions);
    fputs("</p>\n", out);
}
