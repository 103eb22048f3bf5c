/* Device estimate (src/model/device_cost.c) with numbers worked out by hand:
 * a made-up GPU and region through the table override files, and one
 * built-in row checked against its datasheet figures. */
#include <stdio.h>
#include <stdlib.h>

#include "model/device_cost.h"
#include "test.h"

/* "Test GPU T100": 250 W, 10 TFLOPS fp32, 100 TFLOPS fp16, no int8 figure,
 * 1000 GB/s; "Test CPU C8": 8 cores x 2 GHz x 32 FLOP/cycle = 512 GFLOPS,
 * 2 channels x 3200 MT/s x 8 B = 51.2 GB/s, 100 W; region "XX-TEST" at
 * 500 g/kWh. Must run before the tables load (each test is its own process). */
static void use_test_tables(void)
{
    char gpus[4096], cpus[4096], carbon[4096];
    snprintf(gpus, sizeof gpus, "%s/gpus.tsv", eco_test_tmpdir());
    snprintf(cpus, sizeof cpus, "%s/cpus.tsv", eco_test_tmpdir());
    snprintf(carbon, sizeof carbon, "%s/carbon.tsv", eco_test_tmpdir());
    eco_test_write_file(gpus, "name\taliases\tvendor\tkind\ttdp_w\tmemory_gb\tfp32_tflops\tfp16_tflops\tint8_tops\tsource\tyear"
                     "\tmem_bw_gbs\tmem_bw_source\n"
                     "Test GPU T100\tT100\tTestVendor\tdatacenter\t250\t16\t10\t100\t0\tunit test\t2024\t1000\tunit test\n"
                     "Test GPU NoBW\tNoBW\tTestVendor\tdatacenter\t250\t16\t10\t100\t0\tunit test\t2024\t0\t\n");
    eco_test_write_file(cpus, "name\taliases\tvendor\tcores\tthreads\ttdp_w\tsource\tyear\tbase_ghz\tfp32_flops_per_cycle"
                     "\tmem_channels\tmem_mts\tdevice_source\n"
                     "TestCo CPU C8\tC8\tTestCo\t8\t16\t100\tunit test\t2024\t2\t32\t2\t3200\tunit test\n"
                     "TestCo CPU Bare\tBare\tTestCo\t8\t16\t100\tunit test\t2024\t0\t0\t0\t0\t\n");
    eco_test_write_file(carbon, "code\tname\tkind\tgrid\tg_per_kwh\tsource\tyear\n"
                       "XX-TEST\tTestland\tcountry\t\t500\tunit test\t2024\n");
    setenv("ECOMETER_GPU_TABLE", gpus, 1);
    setenv("ECOMETER_CPU_TABLE", cpus, 1);
    setenv("ECOMETER_CARBON_TABLE", carbon, 1);
}

ECO_TEST(device_cost_compute_bound_hand_computed)
{
    use_test_tables();
    struct eco_device_cost d;
    struct eco_err e;
    eco_err_clear(&e);
    /* 1e13 FLOPs at fp32, compute efficiency 0.5: 1e13 / (10e12 x 0.5) = 2 s;
     * 1e9 bytes / (1e12 x 0.95) = 1.05 ms: compute-bound. Load = 0.5 (compute
     * busy the whole time): 125 W, 250 J; 250 J = 1/14400 kWh x 500 g/kWh. */
    if (eco_device_cost(1e13, 1e9, 0, "T100", NULL, 0.5, "XX-TEST", &d, &e) != 0)
        eco_test_fail(__FILE__, __LINE__, "%s (%s)", e.msg, e.hint);
    CHECK_STR(d.gpu->name, "Test GPU T100");
    CHECK(d.cpu == NULL);
    CHECK_STR(d.precision, "fp32");
    CHECK_STR(d.bound, "compute");
    CHECK_NEAR(d.peak_flops, 10e12, 1e-12);
    CHECK_NEAR(d.seconds, 2.0, 1e-12);
    CHECK_NEAR(d.memory_s, 1e9 / (1e12 * ECO_DEVICE_MEMORY_EFFICIENCY), 1e-15);
    CHECK_NEAR(d.load, 0.5, 1e-12);
    CHECK_NEAR(d.power_w, 125, 1e-12);
    CHECK_NEAR(d.energy_j, 250, 1e-12);
    CHECK_NEAR(d.co2e_g, 250.0 / 7200.0, 1e-12);
    CHECK(!d.intensity.is_default);
    /* bf16 reads the fp16 column: 1e13 / (100e12 x 0.25) = 0.4 s */
    CHECK(eco_device_cost(1e13, 0, 0, "Test GPU T100", "bf16", 0.25, "XX-TEST", &d, &e) == 0);
    CHECK_STR(d.precision, "fp16");
    CHECK_NEAR(d.seconds, 0.4, 1e-12);
    /* "auto" takes the tensor rate when it is the faster one */
    CHECK(eco_device_cost(1e13, 0, 0, "T100", "auto", 0.25, "XX-TEST", &d, &e) == 0);
    CHECK_STR(d.precision, "fp16");
    /* zero work costs nothing */
    CHECK(eco_device_cost(0, 0, 0, "T100", "fp32", 1, "XX-TEST", &d, &e) == 0);
    CHECK_NEAR(d.energy_j, 0, 1e-12);
}

ECO_TEST(device_cost_memory_bound_with_overhead)
{
    use_test_tables();
    struct eco_device_cost d;
    struct eco_err e;
    eco_err_clear(&e);
    /* 4 GB per token (a 7B model in Q4) and 14 GFLOPs: memory 4e9 / (1e12 x
     * 0.95) = 4.2105 ms, compute 14e9 / (10e12 x 0.4) = 3.5 ms; + 2 ms
     * overhead = 6.2105 ms. Load = memory busy share 0.95 x 4.2105 / 6.2105. */
    double mem = 4e9 / (1e12 * ECO_DEVICE_MEMORY_EFFICIENCY), total = mem + 0.002;
    if (eco_device_cost(14e9, 4e9, 0.002, "T100", NULL, 0.4, "XX-TEST", &d, &e) != 0)
        eco_test_fail(__FILE__, __LINE__, "%s (%s)", e.msg, e.hint);
    CHECK_STR(d.bound, "memory");
    CHECK_NEAR(d.compute_s, 3.5e-3, 1e-15);
    CHECK_NEAR(d.seconds, total, 1e-15);
    CHECK_NEAR(d.load, ECO_DEVICE_MEMORY_EFFICIENCY * mem / total, 1e-12);
    CHECK_NEAR(d.energy_j, total * 250 * d.load, 1e-12);
}

ECO_TEST(device_cost_cpu_row)
{
    use_test_tables();
    struct eco_device_cost d;
    struct eco_err e;
    eco_err_clear(&e);
    /* 512 GFLOPS peak, 51.2 GB/s: 1e9 bytes / (51.2e9 x 0.95) memory-bound */
    if (eco_device_cost(1e9, 1e9, 0, "cpu:C8", NULL, 0.4, "XX-TEST", &d, &e) != 0)
        eco_test_fail(__FILE__, __LINE__, "%s (%s)", e.msg, e.hint);
    CHECK(d.cpu != NULL && d.gpu == NULL);
    CHECK_STR(d.name, "TestCo CPU C8");
    CHECK_NEAR(d.peak_flops, 512e9, 1e-3);
    CHECK_NEAR(d.mem_bw, 51.2e9, 1e-3);
    CHECK_NEAR(d.seconds, 1e9 / (51.2e9 * ECO_DEVICE_MEMORY_EFFICIENCY), 1e-12);
    /* an exact CPU name resolves without the prefix */
    CHECK(eco_device_cost(1e9, 1e9, 0, "TestCo CPU C8", NULL, 0.4, "XX-TEST", &d, &e) == 0);
    CHECK(d.cpu != NULL);
    /* a CPU row without device figures, or a precision it has no rate for */
    CHECK(eco_device_cost(1e9, 1e9, 0, "cpu:Bare", NULL, 0.4, "XX-TEST", &d, &e) == -1);
    CHECK_INT(e.code, 2);
    CHECK(eco_device_cost(1e9, 1e9, 0, "cpu:C8", "int8", 0.4, "XX-TEST", &d, &e) == -1);
    CHECK_INT(e.code, 2);
}

ECO_TEST(device_cost_refuses_what_it_cannot_know)
{
    use_test_tables();
    struct eco_device_cost d;
    struct eco_err e;
    eco_err_clear(&e);
    CHECK(eco_device_cost(1e12, 0, 0, "T100", "int8", 0.5, NULL, &d, &e) == -1); /* no int8 figure */
    CHECK_INT(e.code, 2);
    CHECK(strstr(e.msg, "int8") != NULL && e.hint[0]);
    CHECK(eco_device_cost(1e12, 0, 0, "T100", "fp8", 0.5, NULL, &d, &e) == -1);
    CHECK_INT(e.code, 2);
    CHECK(eco_device_cost(1e12, 0, 0, "T100", NULL, 1.5, NULL, &d, &e) == -1);
    CHECK(eco_device_cost(-1, 0, 0, "T100", NULL, 0.5, NULL, &d, &e) == -1);
    CHECK(eco_device_cost(NAN, 0, 0, "T100", NULL, 0.5, NULL, &d, &e) == -1);
    CHECK(eco_device_cost(1, NAN, 0, "T100", NULL, 0.5, NULL, &d, &e) == -1);
    CHECK(eco_device_cost(1e12, 0, 0, "NoBW", NULL, 0.5, NULL, &d, &e) == -1); /* no bandwidth */
    CHECK_INT(e.code, 2);
    CHECK(eco_device_cost(1e12, 0, 0, "no such accelerator 9000", NULL, 0.5, NULL, &d, &e) == -1);
    CHECK_INT(e.code, 2);
    CHECK(eco_device_cost(1e12, 0, 0, "T100", NULL, 0.5, "XX-NOWHERE", &d, &e) == -1);
    CHECK_INT(e.code, 2);
}

ECO_TEST(device_cost_builtin_a100_datasheet)
{
    /* NVIDIA A100 SXM4 40GB datasheet: 312 TFLOPS dense FP16 tensor, 1555
     * GB/s, 400 W. 3.12e14 FLOPs at full efficiency = 1 s at load 1 = 400 J;
     * France (Ember) 56 g/kWh: 400 / 3.6e6 x 56 = 0.0062222 g. No region:
     * the world average, flagged. */
    struct eco_device_cost d;
    struct eco_err e;
    eco_err_clear(&e);
    if (eco_device_cost(3.12e14, 0, 0, "A100", "fp16", 1.0, "FR", &d, &e) != 0)
        eco_test_fail(__FILE__, __LINE__, "%s (%s)", e.msg, e.hint);
    CHECK_STR(d.gpu->name, "NVIDIA A100 SXM4 40GB");
    CHECK_NEAR(d.mem_bw, 1555e9, 1e-3);
    CHECK_NEAR(d.seconds, 1.0, 1e-12);
    CHECK_NEAR(d.energy_j, 400, 1e-12);
    CHECK_NEAR(d.co2e_g, 0.0062222222, 1e-8);
    CHECK_NEAR(d.intensity.g_per_kwh, 56, 1e-12);
    CHECK(eco_device_cost(3.12e14, 0, 0, "A100", "fp16", 1.0, NULL, &d, &e) == 0);
    CHECK(d.intensity.is_default);
}
