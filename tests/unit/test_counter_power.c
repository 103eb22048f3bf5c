/* `ecometer sensors` reads a counter's power through the ledger's counter
 * rule (eco_counter_power_w over eco_counter_diff), not its own: a 32-bit
 * counter in units of 1/16384 J that wraps once, and one that goes
 * backwards. */
#include "meter/ledger.h"
#include "test.h"

ECO_TEST(counter_power_through_the_ledger_rule)
{
    struct eco_domain d = {.type = ECO_VALUE_ENERGY_COUNTER, .unit_j = 1.0 / 16384, .counter_max = 4294967296.0};
    struct eco_reading a = {.ok = 1, .value = 4294967296.0 - 16384 * 10, .t = 100};
    struct eco_reading b = {.ok = 1, .value = 16384 * 30, .t = 102};
    CHECK_NEAR(eco_counter_power_w(&d, &a, &b), 20.0, 1e-12); /* 40 J over 2 s, across the wrap */
    struct eco_reading c = {.ok = 1, .value = 4294967296.0 - 16384 * 5, .t = 103};
    CHECK_NEAR(eco_counter_power_w(&d, &a, &c), 5.0 / 3, 1e-12);
    CHECK_NEAR(eco_counter_power_w(&d, &a, &a), -1, 1e-12); /* no time passed */
    d.counter_max = 0; /* a counter that does not wrap went backwards: no figure */
    CHECK_NEAR(eco_counter_power_w(&d, &a, &b), -1, 1e-12);
}
