/* The report's embodied-emissions section (see report_embodied.h). */
#include "render/report_embodied.h"

#include "core/units.h"
#include "render/svg.h"

void eco_html_section_embodied(FILE *out, const struct eco_run_result *r)
{
    fputs("<h3>Operational and embodied CO2e</h3>\n", out);
    if (r->embodied_co2e_g < 0) {
        fputs("<p class=\"note\">No embodied figure: the run was recorded before ecometer counted the "
              "emissions of making the hardware.</p>\n", out);
        return;
    }
    char op[64], emb[96], m[32];
    snprintf(op, sizeof op, "%s (its energy)", eco_fmt_mass(r->co2e_g, m, sizeof m));
    snprintf(emb, sizeof emb, "%s (%s)", eco_fmt_mass(r->embodied_co2e_g, m, sizeof m),
             r->embodied_is_default ? "partly DEFAULT figures" : "published figures");
    /* a default figure is drawn hatched: a stand-in, not a figure for this hardware */
    struct eco_svg_bar bars[2] = {
        {"operational", r->co2e_g, op, "#0072B2", 0},
        {"embodied (manufacturing, amortised)", r->embodied_co2e_g, emb, "#E69F00", r->embodied_is_default},
    };
    eco_svg_hbars(out, bars, 2, 1000);
    fprintf(out, "<p class=\"note\">Lifecycle total %s, shown as two parts: the run's CO2e "
                 "(<code>co2e_g</code>) is the operational part alone. Embodied: %.4g kg CO2e of hardware "
                 "x %.1f s / %.3g-year service life x share %.3g (Boavizta's linear allocation; "
                 "<code>--lifetime</code>, <code>--embodied-share</code>). Parts: ",
            eco_fmt_mass(r->total_lifecycle_co2e_g, m, sizeof m), r->embodied_footprint_kg, r->duration_s,
            r->embodied_lifetime_s / (365.25 * 86400), r->embodied_share);
    eco_xml_escape(out, r->embodied_basis);
    fputs(" (rows of data/embodied.tsv, each with its source; docs/METHODOLOGY.md).</p>\n", out);
}
