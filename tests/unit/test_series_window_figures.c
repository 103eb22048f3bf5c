/* `ecometer carbon --best-window`'s figures come from carbon/series_time.c:
 * a window's CO2e at a given power (energy x its mean intensity, through
 * the one CO2e function) and the best window's saving over the worst. */
#include <math.h>

#include "carbon/co2e.h"
#include "carbon/series.h"
#include "test.h"

ECO_TEST(series_window_co2e_and_saving)
{
    /* 2 hours at 500 W = 1 kWh; at 300 g/kWh: 300 g; at 100 g/kWh: 100 g */
    struct eco_series_window best = {.start = 1700000000, .end = 1700007200, .mean_g = 100};
    struct eco_series_window worst = {.start = 1700010000, .end = 1700017200, .mean_g = 300};
    CHECK_NEAR(eco_series_window_co2e_g(&best, 500), 100, 1e-12);
    CHECK_NEAR(eco_series_window_co2e_g(&worst, 500), 300, 1e-12);
    CHECK_NEAR(eco_series_window_co2e_g(&worst, 500), eco_co2e_g(3.6e6, 300), 1e-12);
    CHECK_NEAR(eco_series_window_co2e_g(&best, -1), -1, 1e-12); /* no --power: no grams */
    CHECK_NEAR(eco_series_saving_pct(&best, &worst), 200.0 / 3, 1e-12);
    struct eco_series_window zero = {.mean_g = 0};
    CHECK_NEAR(eco_series_saving_pct(&zero, &zero), 0, 1e-12);
}
