/* `ecometer baseline` measures through the run driver (eco_run_driver_idle),
 * the same measurement as run --baseline D: on the Jetson AGX Orin fixture,
 * whose rails hold still, the idle power is the sum of its top-level rails
 * (5.175 + 2.791 + 4.869 + 0.399 W, from the fixture's in/curr files). */
#include <stdlib.h>
#include <string.h>

#include "meter/baseline.h"
#include "meter/run_driver.h"
#include "test.h"

ECO_TEST(driver_idle_is_the_baseline_measurement)
{
    char sys[1024];
    snprintf(sys, sizeof sys, "%s/tests/fixtures/jetson-agx-orin/sys", eco_test_srcdir());
    setenv("ECOMETER_SYSFS_ROOT", sys, 1);
    unsetenv("ECOMETER_SOCKET");
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_run_setup setup = {.kind = "baseline", .intensity = 0, .baseline_s = 0.3,
                                  .meter = {.interval_s = 0.05}};
    struct eco_run_driver *d = eco_run_driver_open(&setup, &err);
    CHECK(d != NULL);
    struct eco_baseline b;
    CHECK(eco_run_driver_idle(d, &b, &err) == 0);
    CHECK_NEAR(b.watts, 5.17504 + 2.79104 + 4.86864 + 0.39872, 1e-3);
    CHECK(b.duration_s >= 0.3 && b.duration_s < 5);
    CHECK(!b.estimated);
    CHECK(strstr(b.sensors, "VDD_CPU_CV") != NULL);
    eco_run_driver_close(d);
    unsetenv("ECOMETER_SYSFS_ROOT");
}
