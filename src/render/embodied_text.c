/* The embodied-emissions lines of the text outputs (see embodied_text.h). */
#include "render/embodied_text.h"

#include "core/units.h"

void eco_embodied_text(FILE *out, const struct eco_run_result *r, const char *indent, int label_width)
{
    char a[32], b[32], c[32];
    if (r->embodied_co2e_g < 0) {
        fprintf(out, "%s%-*snone: the run was recorded before ecometer counted embodied emissions\n", indent,
                label_width, "embodied");
        return;
    }
    double years = r->embodied_lifetime_s / (365.25 * 86400);
    fprintf(out, "%s%-*s%s CO2e of manufacturing: %.4g kg of hardware x run time / %.3g-year life x share %.3g%s\n",
            indent, label_width, "embodied", eco_fmt_mass(r->embodied_co2e_g, a, sizeof a), r->embodied_footprint_kg,
            years, r->embodied_share, r->embodied_is_default ? " (partly DEFAULT figures, no published one)" : "");
    fprintf(out, "%s%-*s%s\n", indent, label_width, "", r->embodied_basis);
    if (r->total_lifecycle_co2e_g < 0)
        fprintf(out, "%s%-*snot measured (no operational energy)\n", indent, label_width, "lifecycle");
    else
        fprintf(out, "%s%-*s%s CO2e: operational %s + embodied %s, each shown on its own above\n", indent,
                label_width, "lifecycle", eco_fmt_mass(r->total_lifecycle_co2e_g, a, sizeof a),
                eco_fmt_mass(r->co2e_g, b, sizeof b), eco_fmt_mass(r->embodied_co2e_g, c, sizeof c));
}
