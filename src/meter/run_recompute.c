/* CO2e of a stored run for another place (see run_recompute.h). */
#include "meter/run_recompute.h"

#include <stdio.h>

#include "meter/run_derive.h"

void eco_run_recompute(struct eco_run_result *r, const struct eco_intensity *in)
{
    if (!r->intensity_recomputed) { /* recomputed twice: still the recorded one */
        r->recorded_intensity_g_per_kwh = r->intensity_g_per_kwh;
        snprintf(r->recorded_label, sizeof r->recorded_label, "%s",
                 r->intensity_label[0] ? r->intensity_label : r->region_code);
    }
    r->intensity_recomputed = 1;
    r->intensity_g_per_kwh = in->g_per_kwh;
    snprintf(r->region_code, sizeof r->region_code, "%s", in->region ? in->region->code : "");
    snprintf(r->intensity_label, sizeof r->intensity_label, "%s", in->label);
    r->intensity_is_default = in->is_default;
    eco_run_derive(r);
}

const char *eco_run_recomputed_note(const struct eco_run_result *r, char *buf, size_t len)
{
    if (!r->intensity_recomputed)
        snprintf(buf, len, "%s", "");
    else
        snprintf(buf, len, "CO2e recomputed at %.0f gCO2e/kWh (%s) instead of the %.0f gCO2e/kWh recorded (%s); "
                           "the stored energy is unchanged",
                 r->intensity_g_per_kwh, r->intensity_label, r->recorded_intensity_g_per_kwh, r->recorded_label);
    return buf;
}
