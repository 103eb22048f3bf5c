/* The built-in hardware tables: size, unique keys, units in range, a
 * source and year on every row, and every name and alias finding its row. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/fuzzy.h"
#include "hw/hardware.h"
#include "test.h"

static void builtin_only(void)
{
    unsetenv("ECOMETER_GPU_TABLE");
    unsetenv("ECOMETER_CPU_TABLE");
    eco_hw_reset();
    struct eco_err e;
    if (eco_hw_load(&e) != 0)
        eco_test_fail(__FILE__, __LINE__, "built-in tables do not load: %s", e.msg);
}

ECO_TEST(hw_tables_have_enough_rows)
{
    builtin_only();
    size_t ng, nc;
    CHECK(eco_gpu_table(&ng) != NULL);
    CHECK(eco_cpu_table(&nc) != NULL);
    if (ng < 60 || nc < 200)
        eco_test_fail(__FILE__, __LINE__, "%zu GPUs (need 60), %zu CPUs (need 200)", ng, nc);
}

/* Every name and alias, normalised, belongs to one row only: otherwise a
 * lookup would depend on row order. */
struct key {
    char norm[128];
    size_t row;
    const char *text;
};

static size_t collect_keys(const char *const *names, const char *const *aliases, size_t n, struct key *keys)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct eco_fz_tokens t;
        eco_fz_tokenize(names[i], &t);
        eco_fz_join(&t, keys[k].norm, sizeof keys[k].norm);
        keys[k].row = i;
        keys[k++].text = names[i];
        const char *p = aliases[i];
        while (*p) {
            const char *bar = strchr(p, '|');
            size_t l = bar ? (size_t)(bar - p) : strlen(p);
            char one[160];
            snprintf(one, sizeof one, "%.*s", (int)l, p);
            CHECK(one[0] != 0); /* no empty alias ("a||b") */
            eco_fz_tokenize(one, &t);
            CHECK(t.n > 0);     /* an alias made only of dropped words matches nothing */
            eco_fz_join(&t, keys[k].norm, sizeof keys[k].norm);
            keys[k].row = i;
            keys[k++].text = names[i];
            p = bar ? bar + 1 : p + l;
        }
    }
    return k;
}

static void check_unique(const char *const *names, const char *const *aliases, size_t n)
{
    struct key *keys = calloc(n * 12, sizeof *keys);
    CHECK(keys != NULL);
    size_t k = collect_keys(names, aliases, n, keys);
    int bad = 0;
    for (size_t a = 0; a < k; a++)
        for (size_t b = a + 1; b < k; b++)
            /* within one row a repeat is dead weight (an alias that normalises
             * to the name); across rows it makes lookups depend on order */
            if (strcmp(keys[a].norm, keys[b].norm) == 0) {
                fprintf(stderr, "  '%s' names both '%s' and '%s'\n", keys[a].norm, keys[a].text, keys[b].text);
                bad++;
            }
    free(keys);
    if (bad)
        eco_test_fail(__FILE__, __LINE__, "%d names/aliases shared between rows", bad);
}

ECO_TEST(hw_gpu_names_and_aliases_unique)
{
    builtin_only();
    size_t n;
    const struct eco_gpu *g = eco_gpu_table(&n);
    const char **names = calloc(n, sizeof *names), **aliases = calloc(n, sizeof *aliases);
    for (size_t i = 0; i < n; i++)
        names[i] = g[i].name, aliases[i] = g[i].aliases;
    check_unique(names, aliases, n);
    free(names);
    free(aliases);
}

ECO_TEST(hw_cpu_names_and_aliases_unique)
{
    builtin_only();
    size_t n;
    const struct eco_cpu *c = eco_cpu_table(&n);
    const char **names = calloc(n, sizeof *names), **aliases = calloc(n, sizeof *aliases);
    for (size_t i = 0; i < n; i++)
        names[i] = c[i].name, aliases[i] = c[i].aliases;
    check_unique(names, aliases, n);
    free(names);
    free(aliases);
}

static int one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

ECO_TEST(hw_gpu_rows_in_range)
{
    builtin_only();
    size_t n;
    const struct eco_gpu *g = eco_gpu_table(&n);
    static const char *const vendors[] = {"NVIDIA", "AMD", "Intel", "Apple", NULL};
    static const char *const kinds[] = {"datacenter", "workstation", "consumer", "jetson", "instinct", "radeon",
                                        "apple", "laptop", NULL};
    for (size_t i = 0; i < n; i++) {
        const struct eco_gpu *r = &g[i];
        /* Apple publishes no GPU TFLOPS for the M3 family: 0 = unknown there only */
        int fp32_ok = r->fp32_tflops > 0 ? r->fp32_tflops < 500 : strcmp(r->kind, "apple") == 0;
        if (!(r->tdp_w >= 1 && r->tdp_w <= 1500) || !(r->memory_gb > 0 && r->memory_gb <= 512) ||
            !fp32_ok || !one_of(r->vendor, vendors) ||
            !one_of(r->kind, kinds) || strlen(r->source) < 10 || r->year < 2010 || r->year > 2026)
            eco_test_fail(__FILE__, __LINE__, "GPU row '%s' out of range", r->name);
        /* tensor/packed FP16 is never slower than FP32, INT8 never slower than FP16 */
        if (r->fp16_tflops > 0 && r->fp16_tflops < r->fp32_tflops)
            eco_test_fail(__FILE__, __LINE__, "'%s': FP16 %g < FP32 %g", r->name, r->fp16_tflops, r->fp32_tflops);
        if (r->int8_tops > 0 && r->fp16_tflops > 0 && r->int8_tops < r->fp16_tflops)
            eco_test_fail(__FILE__, __LINE__, "'%s': INT8 %g < FP16 %g", r->name, r->int8_tops, r->fp16_tflops);
        /* peak FP32 per watt stays below 0.6 TFLOPS/W (L4: 0.42) for every GPU made so far */
        if (r->fp32_tflops / r->tdp_w > 0.6)
            eco_test_fail(__FILE__, __LINE__, "'%s': %g TFLOPS for %g W is implausible", r->name, r->fp32_tflops, r->tdp_w);
        /* an NVIDIA GPU with tensor cores (2018 on) has tensor FP16 at least 2x FP32 (L40: 2x, most: 4-16x) */
        if (strcmp(r->vendor, "NVIDIA") == 0 && r->year >= 2018 && strcmp(r->kind, "jetson") != 0 &&
            strstr(r->name, "GTX") == NULL && r->fp16_tflops < 2 * r->fp32_tflops)
            eco_test_fail(__FILE__, __LINE__, "'%s': tensor FP16 %g looks like a non-tensor rate", r->name, r->fp16_tflops);
    }
}

/* Every GPU has a memory bandwidth with its source, and bytes per FLOP in
 * the range of every accelerator made so far: GB/s per FP32 TFLOPS between
 * 5 (compute-heavy consumer cards: RTX 4090 12) and 150 (Jetson Nano 108,
 * B200 103). */
ECO_TEST(hw_gpu_bandwidth_present_and_plausible)
{
    builtin_only();
    size_t n;
    const struct eco_gpu *g = eco_gpu_table(&n);
    for (size_t i = 0; i < n; i++) {
        const struct eco_gpu *r = &g[i];
        if (!(r->mem_bw_gbs >= 20 && r->mem_bw_gbs <= 10000) || strlen(r->mem_bw_source) < 10)
            eco_test_fail(__FILE__, __LINE__, "GPU row '%s': bandwidth %g GB/s or its source missing", r->name,
                          r->mem_bw_gbs);
        double ratio = r->fp32_tflops > 0 ? r->mem_bw_gbs / r->fp32_tflops : 20;
        if (ratio < 5 || ratio > 150)
            eco_test_fail(__FILE__, __LINE__, "'%s': %g GB/s for %g TFLOPS is implausible", r->name, r->mem_bw_gbs,
                          r->fp32_tflops);
    }
}

/* CPU rows with device figures: an ISA's FLOPs per cycle (8 to 64 per
 * core), clocks and memory speeds of real parts, and a source. */
ECO_TEST(hw_cpu_device_figures_plausible)
{
    builtin_only();
    size_t n, filled = 0;
    const struct eco_cpu *c = eco_cpu_table(&n);
    for (size_t i = 0; i < n; i++) {
        const struct eco_cpu *r = &c[i];
        if (!(r->base_ghz > 0) && !(r->fp32_flops_per_cycle > 0) && r->mem_channels == 0 && !(r->mem_mts > 0))
            continue;
        filled++;
        if (!(r->base_ghz >= 1 && r->base_ghz <= 6) || !(r->fp32_flops_per_cycle >= 8 && r->fp32_flops_per_cycle <= 64) ||
            r->mem_channels < 1 || r->mem_channels > 24 || !(r->mem_mts >= 1333 && r->mem_mts <= 9600) ||
            strlen(r->device_source) < 20)
            eco_test_fail(__FILE__, __LINE__, "CPU row '%s': device figures incomplete or out of range", r->name);
    }
    if (filled < 15)
        eco_test_fail(__FILE__, __LINE__, "only %zu CPU rows have device figures (need 15)", filled);
    /* a row whose figures follow from its source: the EPYC 7763, 64 cores x
     * 2.45 GHz x 32 = 5017.6 GFLOPS, 8 x 3200 MT/s x 8 B = 204.8 GB/s */
    struct eco_err e;
    const struct eco_cpu *epyc = eco_cpu_find("EPYC 7763", &e);
    CHECK(epyc != NULL);
    CHECK(fabs(eco_cpu_peak_flops(epyc) - 5017.6e9) < 1e6);
    CHECK(fabs(eco_cpu_mem_bw_gbs(epyc) - 204.8) < 1e-9);
}

ECO_TEST(hw_cpu_rows_in_range)
{
    builtin_only();
    size_t n;
    const struct eco_cpu *c = eco_cpu_table(&n);
    static const char *const vendors[] = {"Intel", "AMD", "AWS", "Ampere", "NVIDIA", NULL};
    for (size_t i = 0; i < n; i++) {
        const struct eco_cpu *r = &c[i];
        if (!(r->tdp_w >= 1 && r->tdp_w <= 1500) || r->cores < 1 || r->cores > 512 ||
            r->threads < r->cores || r->threads > 2 * r->cores || !one_of(r->vendor, vendors) ||
            strlen(r->source) < 10 || r->year < 2010 || r->year > 2026)
            eco_test_fail(__FILE__, __LINE__, "CPU row '%s' out of range", r->name);
        double per_core = r->tdp_w / r->cores;
        if (per_core < 0.5 || per_core > 40)
            eco_test_fail(__FILE__, __LINE__, "'%s': %.1f W per core is implausible", r->name, per_core);
        /* the row's vendor starts its name, so listings read naturally */
        if (strncmp(r->name, r->vendor, strlen(r->vendor)) != 0)
            eco_test_fail(__FILE__, __LINE__, "'%s' does not start with its vendor '%s'", r->name, r->vendor);
    }
}

ECO_TEST(hw_every_name_and_alias_finds_its_row)
{
    builtin_only();
    size_t ng, nc;
    const struct eco_gpu *g = eco_gpu_table(&ng);
    const struct eco_cpu *c = eco_cpu_table(&nc);
    struct eco_err e;
    for (size_t i = 0; i < ng; i++) {
        struct eco_hw_match m;
        const struct eco_gpu *f = eco_gpu_find_ex(g[i].name, &m, &e);
        if (f != &g[i] || m.kind != ECO_HW_MATCH_NAME)
            eco_test_fail(__FILE__, __LINE__, "GPU name '%s' finds '%s'", g[i].name, f ? f->name : e.msg);
        char al[512];
        snprintf(al, sizeof al, "%s", g[i].aliases);
        for (char *save = NULL, *a = strtok_r(al, "|", &save); a; a = strtok_r(NULL, "|", &save))
            if (eco_gpu_find_ex(a, &m, &e) != &g[i] || m.kind != ECO_HW_MATCH_ALIAS)
                eco_test_fail(__FILE__, __LINE__, "GPU alias '%s' does not find '%s'", a, g[i].name);
    }
    for (size_t i = 0; i < nc; i++) {
        struct eco_hw_match m;
        const struct eco_cpu *f = eco_cpu_find_ex(c[i].name, &m, &e);
        if (f != &c[i] || m.kind != ECO_HW_MATCH_NAME)
            eco_test_fail(__FILE__, __LINE__, "CPU name '%s' finds '%s'", c[i].name, f ? f->name : e.msg);
        char al[512];
        snprintf(al, sizeof al, "%s", c[i].aliases);
        for (char *save = NULL, *a = strtok_r(al, "|", &save); a; a = strtok_r(NULL, "|", &save))
            if (eco_cpu_find_ex(a, &m, &e) != &c[i] || m.kind != ECO_HW_MATCH_ALIAS)
                eco_test_fail(__FILE__, __LINE__, "CPU alias '%s' does not find '%s'", a, c[i].name);
    }
}

/* Required coverage of the issue: each of these must resolve. */
ECO_TEST(hw_required_models_present)
{
    builtin_only();
    static const char *const gpus[] = {
        "P100", "V100", "T4", "A10", "A30", "A40", "A100 PCIe 40GB", "A100 PCIe 80GB", "A100 SXM4 40GB",
        "A100 SXM4 80GB", "H100 PCIe", "H100 SXM", "H100 NVL", "H200", "B200", "L4", "L40S",
        "GTX 1080 Ti", "RTX 2080", "RTX 2080 Ti", "RTX 3060", "RTX 3070", "RTX 3080", "RTX 3090",
        "RTX 4060", "RTX 4070", "RTX 4080", "RTX 4090", "RTX 5090", "Jetson Nano", "Jetson TX2",
        "Jetson Xavier NX", "Jetson AGX Xavier", "Jetson Orin Nano", "Jetson Orin NX", "Jetson AGX Orin",
        "MI100", "MI210", "MI250X", "MI300X", "RX 7900 XTX", NULL};
    static const char *const cpus[] = {
        "E5-2680 v2", "E5-2680 v3", "E5-2680 v4", "Gold 6148", "Gold 6248", "Platinum 8380",
        "Platinum 8480+", "Platinum 8592+", "i7-6700K", "i7-8559U", "i9-9900K", "i7-10700K",
        "i7-1185G7", "i9-12900K", "i9-13900K", "i9-14900K", "i3-10100", "i5-1135G7", "EPYC 7601",
        "EPYC 7742", "EPYC 7763", "EPYC 9654", "Ryzen 9 3950X", "Ryzen 7 5800X", "Ryzen 9 7950X",
        "Graviton2", "Graviton3", "Graviton4", "Altra Q80-30", "Grace", "Jetson Nano", "Jetson AGX Orin", NULL};
    struct eco_err e;
    for (int i = 0; gpus[i]; i++)
        if (!eco_gpu_find(gpus[i], &e))
            eco_test_fail(__FILE__, __LINE__, "GPU '%s' missing: %s", gpus[i], e.msg);
    for (int i = 0; cpus[i]; i++)
        if (!eco_cpu_find(cpus[i], &e))
            eco_test_fail(__FILE__, __LINE__, "CPU '%s' missing: %s", cpus[i], e.msg);
}
