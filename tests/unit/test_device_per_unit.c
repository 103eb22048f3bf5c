/* An estimate's per-unit figures (per inference of a batch, per token) come
 * from model/device_cost.c, the same for the text, JSON and CSV writers of
 * `flops --device` (ONNX and GGUF). */
#include "model/device_cost.h"
#include "test.h"

ECO_TEST(device_per_unit_figures)
{
    struct eco_device_cost d = {.seconds = 0.5, .energy_j = 10, .co2e_g = 2};
    struct eco_device_per_unit u;
    eco_device_per_unit(&d, 4, &u);
    CHECK_NEAR(u.units, 4, 1e-12);
    CHECK_NEAR(u.units_per_s, 8, 1e-12);
    CHECK_NEAR(u.energy_j, 2.5, 1e-12);
    CHECK_NEAR(u.co2e_g, 0.5, 1e-12);
    eco_device_per_unit(&d, 0, &u); /* no batch given: one unit */
    CHECK_NEAR(u.units, 1, 1e-12);
    CHECK_NEAR(u.energy_j, 10, 1e-12);
    d.seconds = 0;
    eco_device_per_unit(&d, 4, &u);
    CHECK_NEAR(u.units_per_s, 0, 1e-12);
}
