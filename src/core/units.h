/* Human-readable numbers with their units. Energy is joules at the edges of
 * the program; these turn it into what people read (Wh, kWh, g, kg). */
#ifndef ECO_CORE_UNITS_H
#define ECO_CORE_UNITS_H

#include <stddef.h>

#define ECO_J_PER_WH 3600.0
#define ECO_J_PER_KWH 3.6e6

/* The unit conversions of energy and mass; every caller uses these. */
double eco_j_to_wh(double joules);
double eco_j_to_kwh(double joules);
double eco_wh_to_j(double wh);
double eco_kwh_to_j(double kwh);
double eco_g_to_kg(double grams);

/* "812 J", "3.42 Wh", "1.25 kWh", "4.1 MWh" */
const char *eco_fmt_energy(double joules, char *buf, size_t len);
/* "12.3 mW", "45.6 W", "1.20 kW" */
const char *eco_fmt_power(double watts, char *buf, size_t len);
/* "0.12 g", "12.3 g", "4.56 kg", "1.23 t" (CO2e mass) */
const char *eco_fmt_mass(double grams, char *buf, size_t len);
/* Engineering count: "1.23 G", "456 M", "12 k", "7" */
const char *eco_fmt_count(double n, char *buf, size_t len);

#endif
