/* Harness: the hardware tables' user override files (ECOMETER_GPU_TABLE,
 * ECOMETER_CPU_TABLE, src/hw/hardware.c) read through the real file path
 * (an in-memory file), merged over the built-in tables, then looked up.
 * The first byte picks the table. Invariants: a failed load says why with
 * code 1 or 2 and leaves empty tables; a good one keeps every built-in row
 * (user rows replace or add, never remove) and every value in its range. */
#include "hw/hardware.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t builtin_gpus, builtin_cpus;

static void count_builtin(void)
{
    if (builtin_gpus)
        return;
    unsetenv("ECOMETER_GPU_TABLE");
    unsetenv("ECOMETER_CPU_TABLE");
    eco_hw_reset();
    eco_gpu_table(&builtin_gpus);
    eco_cpu_table(&builtin_cpus);
    FUZZ_ASSERT(builtin_gpus > 0 && builtin_cpus > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (size < 1)
        return 0;
    count_builtin();
    int gpu = data[0] & 1;
    const char *path = fuzz_file(&fd, data + 1, size - 1);
    setenv(gpu ? "ECOMETER_GPU_TABLE" : "ECOMETER_CPU_TABLE", path, 1);
    unsetenv(gpu ? "ECOMETER_CPU_TABLE" : "ECOMETER_GPU_TABLE");
    eco_hw_reset();
    struct eco_err err;
    eco_err_clear(&err);
    size_t ng = 0, nc = 0;
    if (eco_hw_load(&err) != 0) {
        FUZZ_ASSERT(err.msg[0] && (err.code == 1 || err.code == 2));
        FUZZ_ASSERT(eco_gpu_table(&ng) == NULL && ng == 0);
        FUZZ_ASSERT(eco_cpu_find("Xeon", &err) == NULL);
        return 0;
    }
    const struct eco_gpu *g = eco_gpu_table(&ng);
    const struct eco_cpu *c = eco_cpu_table(&nc);
    FUZZ_ASSERT(ng >= builtin_gpus && nc >= builtin_cpus);
    for (size_t i = 0; i < ng; i++)
        FUZZ_ASSERT(g[i].name[0] && g[i].tdp_w >= 1 && g[i].tdp_w <= 1500 && g[i].year >= 1990);
    for (size_t i = 0; i < nc; i++)
        FUZZ_ASSERT(c[i].name[0] && c[i].threads >= c[i].cores && c[i].cores >= 1);
    /* Lookups walk the tokenised names and aliases of the user's rows. */
    const char *q = gpu ? g[ng - 1].name : c[nc - 1].name;
    struct eco_hw_hit hits[5];
    if (gpu) {
        FUZZ_ASSERT(eco_gpu_find(q, &err) != NULL);
        eco_gpu_search(q, hits, 5);
        eco_gpu_find("A100 SXM4 40GB", &err);
    } else {
        FUZZ_ASSERT(eco_cpu_find(q, &err) != NULL);
        eco_cpu_search(q, hits, 5);
        eco_cpu_find("Intel(R) Xeon(R) CPU E5-2678 v3 @ 2.50GHz", &err);
    }
    return 0;
}
