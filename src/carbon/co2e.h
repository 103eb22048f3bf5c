/* The one CO2e formula: mass of CO2e of an energy at a carbon intensity.
 * Every output, estimate and live figure calls this; nothing else in src/
 * multiplies energy by intensity (see issue 12: copies drifted). */
#ifndef ECO_CARBON_CO2E_H
#define ECO_CARBON_CO2E_H

#include <stddef.h>

/* grams CO2e of `energy_j` joules at `g_per_kwh` grams CO2e per kWh. */
double eco_co2e_g(double energy_j, double g_per_kwh);

/* grams CO2e per hour of a steady power of `watts`. */
double eco_co2e_g_per_hour(double watts, double g_per_kwh);

/* The same energy's CO2e in other places, for comparison: a fixed list of
 * grids from low-carbon to coal-heavy (SE, FR, US-CA, GB, DE, US, CN, IN, PL,
 * WORLD), each at its yearly intensity from the carbon table, skipping the
 * code `skip` (the run's own place; may be ""). Returns how many were filled
 * (at most max; 0 when the table cannot be read). */
struct eco_region;
struct eco_co2e_place {
    const struct eco_region *region;
    double co2e_g;
};
size_t eco_co2e_elsewhere(double energy_j, const char *skip, struct eco_co2e_place *out, size_t max);

#endif
