/* The one CO2e formula (see co2e.h). */
#include "carbon/co2e.h"

#include <strings.h>

#include "carbon/intensity.h"
#include "core/units.h"

double eco_co2e_g(double energy_j, double g_per_kwh)
{
    return eco_j_to_kwh(energy_j) * g_per_kwh;
}

double eco_co2e_g_per_hour(double watts, double g_per_kwh)
{
    return eco_co2e_g(eco_wh_to_j(watts), g_per_kwh); /* W for 1 h = W Wh */
}

/* Low-carbon to coal-heavy grids, so a reader sees how much the place matters. */
static const char *const places[] = {"SE", "FR", "US-CA", "GB", "DE", "US", "CN", "IN", "PL", "WORLD"};

size_t eco_co2e_elsewhere(double energy_j, const char *skip, struct eco_co2e_place *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof places / sizeof places[0] && n < max; i++) {
        struct eco_err err;
        eco_err_clear(&err);
        const struct eco_region *g = eco_region_find(places[i], &err);
        if (!g || (skip && strcasecmp(g->code, skip) == 0))
            continue;
        out[n++] = (struct eco_co2e_place){g, eco_co2e_g(energy_j, g->g_per_kwh)};
    }
    return n;
}
