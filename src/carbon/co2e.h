/* The one CO2e formula: mass of CO2e of an energy at a carbon intensity.
 * Every output, estimate and live figure calls this; nothing else in src/
 * multiplies energy by intensity (see issue 12: copies drifted). */
#ifndef ECO_CARBON_CO2E_H
#define ECO_CARBON_CO2E_H

/* grams CO2e of `energy_j` joules at `g_per_kwh` grams CO2e per kWh. */
double eco_co2e_g(double energy_j, double g_per_kwh);

/* grams CO2e per hour of a steady power of `watts`. */
double eco_co2e_g_per_hour(double watts, double g_per_kwh);

#endif
