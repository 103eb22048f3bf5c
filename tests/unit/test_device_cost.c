/* Device estimate (src/model/device_cost.c) with numbers worked out by hand:
 * a made-up GPU and region through the table override files, and one
 * built-in row checked against its datasheet figures. */
#include <stdio.h>
#include <stdlib.h>

#include "model/device_cost.h"
#include "test.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
}

/* "Test GPU T100": 250 W, 10 TFLOPS fp32, 100 TFLOPS fp16, no int8 figure;
 * region "XX-TEST" at 500 g/kWh. Must run before the tables load (each
 * test is its own process). */
static void use_test_tables(void)
{
    char gpus[4096], carbon[4096];
    snprintf(gpus, sizeof gpus, "%s/gpus.tsv", eco_test_tmpdir());
    snprintf(carbon, sizeof carbon, "%s/carbon.tsv", eco_test_tmpdir());
    write_file(gpus, "name\taliases\tvendor\tkind\ttdp_w\tmemory_gb\tfp32_tflops\tfp16_tflops\tint8_tops\tsource\tyear\n"
                     "Test GPU T100\tT100\tTestVendor\tdatacenter\t250\t16\t10\t100\t0\tunit test\t2024\n");
    write_file(carbon, "code\tname\tkind\tgrid\tg_per_kwh\tsource\tyear\n"
                       "XX-TEST\tTestland\tcountry\t\t500\tunit test\t2024\n");
    setenv("ECOMETER_GPU_TABLE", gpus, 1);
    setenv("ECOMETER_CARBON_TABLE", carbon, 1);
}

ECO_TEST(device_cost_hand_computed)
{
    use_test_tables();
    struct eco_device_cost d;
    struct eco_err e;
    eco_err_clear(&e);
    /* 1e13 FLOPs at fp32: 1e13 / (10e12 x 0.5) = 2 s; 2 s x 250 W = 500 J;
     * 500 J = 1/7200 kWh; x 500 g/kWh = 0.069444 g */
    if (eco_device_cost(1e13, "T100", NULL, 0.5, "XX-TEST", &d, &e) != 0)
        eco_test_fail(__FILE__, __LINE__, "%s (%s)", e.msg, e.hint);
    CHECK_STR(d.gpu->name, "Test GPU T100");
    CHECK_STR(d.precision, "fp32");
    CHECK_NEAR(d.peak_flops, 10e12, 1e-12);
    CHECK_NEAR(d.seconds, 2.0, 1e-12);
    CHECK_NEAR(d.power_w, 250, 1e-12);
    CHECK_NEAR(d.energy_j, 500, 1e-12);
    CHECK_NEAR(d.intensity.g_per_kwh, 500, 1e-12);
    CHECK_NEAR(d.co2e_g, 500.0 / 7200.0, 1e-12);
    CHECK(!d.intensity.is_default);
    /* bf16 reads the fp16 column: 1e13 / (100e12 x 0.25) = 0.4 s, 100 J */
    CHECK(eco_device_cost(1e13, "Test GPU T100", "bf16", 0.25, "XX-TEST", &d, &e) == 0);
    CHECK_STR(d.precision, "fp16");
    CHECK_NEAR(d.seconds, 0.4, 1e-12);
    CHECK_NEAR(d.energy_j, 100, 1e-12);
    /* zero FLOPs cost nothing */
    CHECK(eco_device_cost(0, "T100", "fp32", 1, "XX-TEST", &d, &e) == 0);
    CHECK_NEAR(d.energy_j, 0, 1e-12);
}

ECO_TEST(device_cost_refuses_what_it_cannot_know)
{
    use_test_tables();
    struct eco_device_cost d;
    struct eco_err e;
    eco_err_clear(&e);
    CHECK(eco_device_cost(1e12, "T100", "int8", 0.5, NULL, &d, &e) == -1); /* no int8 figure */
    CHECK_INT(e.code, 2);
    CHECK(strstr(e.msg, "int8") != NULL && e.hint[0]);
    CHECK(eco_device_cost(1e12, "T100", "fp8", 0.5, NULL, &d, &e) == -1);
    CHECK_INT(e.code, 2);
    CHECK(eco_device_cost(1e12, "T100", NULL, 0, NULL, &d, &e) == -1);
    CHECK(eco_device_cost(1e12, "T100", NULL, 1.5, NULL, &d, &e) == -1);
    CHECK(eco_device_cost(-1, "T100", NULL, 0.5, NULL, &d, &e) == -1);
    CHECK(eco_device_cost(NAN, "T100", NULL, 0.5, NULL, &d, &e) == -1);
    CHECK(eco_device_cost(1e12, "no such accelerator 9000", NULL, 0.5, NULL, &d, &e) == -1);
    CHECK_INT(e.code, 2);
    CHECK(eco_device_cost(1e12, "T100", NULL, 0.5, "XX-NOWHERE", &d, &e) == -1);
    CHECK_INT(e.code, 2);
}

ECO_TEST(device_cost_builtin_a100_datasheet)
{
    /* NVIDIA A100 SXM4 40GB datasheet: 312 TFLOPS dense FP16 tensor, 400 W.
     * 3.12e14 FLOPs at full utilization = 1 s = 400 J; France (Ember) 56 g/kWh:
     * 400 / 3.6e6 x 56 = 0.0062222 g. No region: the world average, flagged. */
    struct eco_device_cost d;
    struct eco_err e;
    eco_err_clear(&e);
    if (eco_device_cost(3.12e14, "A100", "fp16", 1.0, "FR", &d, &e) != 0)
        eco_test_fail(__FILE__, __LINE__, "%s (%s)", e.msg, e.hint);
    CHECK_STR(d.gpu->name, "NVIDIA A100 SXM4 40GB");
    CHECK_NEAR(d.seconds, 1.0, 1e-12);
    CHECK_NEAR(d.energy_j, 400, 1e-12);
    CHECK_NEAR(d.co2e_g, 0.0062222222, 1e-8);
    CHECK_NEAR(d.intensity.g_per_kwh, 56, 1e-12);
    CHECK(eco_device_cost(3.12e14, "A100", "fp16", 1.0, NULL, &d, &e) == 0);
    CHECK(d.intensity.is_default);
}
