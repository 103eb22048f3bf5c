/* The one CO2e formula (see co2e.h). */
#include "carbon/co2e.h"

#include "core/units.h"

double eco_co2e_g(double energy_j, double g_per_kwh)
{
    return eco_j_to_kwh(energy_j) * g_per_kwh;
}

double eco_co2e_g_per_hour(double watts, double g_per_kwh)
{
    return eco_co2e_g(eco_wh_to_j(watts), g_per_kwh); /* W for 1 h = W Wh */
}
