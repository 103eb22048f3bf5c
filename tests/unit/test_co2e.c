/* The one CO2e formula and the unit conversions (src/carbon/co2e.c,
 * src/core/units.c), against figures worked by hand: 1 kWh is 3 600 000 J
 * (SI: 1 W = 1 J/s, 1 h = 3600 s). */
#include "carbon/co2e.h"
#include "core/units.h"
#include "test.h"

ECO_TEST(co2e_is_energy_times_intensity)
{
    CHECK_NEAR(eco_co2e_g(3600000.0, 56), 56.0, 1e-12);   /* 1 kWh in France (56 g/kWh) */
    CHECK_NEAR(eco_co2e_g(7200.0, 400), 0.8, 1e-12);      /* 2 Wh at 400 g/kWh */
    CHECK(eco_co2e_g(0, 400) == 0);
    CHECK_NEAR(eco_co2e_g_per_hour(250, 400), 100.0, 1e-12); /* 250 W for 1 h = 0.25 kWh */
}

ECO_TEST(units_convert_both_ways)
{
    CHECK_NEAR(eco_j_to_wh(3600), 1.0, 1e-15);
    CHECK_NEAR(eco_j_to_kwh(1.8e6), 0.5, 1e-15);
    CHECK_NEAR(eco_wh_to_j(2.5), 9000.0, 1e-15);
    CHECK_NEAR(eco_kwh_to_j(0.001), 3600.0, 1e-12);
    CHECK_NEAR(eco_g_to_kg(1234.0), 1.234, 1e-15);
    CHECK_NEAR(eco_j_to_kwh(eco_kwh_to_j(7.25)), 7.25, 1e-15);
}
