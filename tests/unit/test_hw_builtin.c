/* The built-in hardware tables as tools/hw_gen.c compiled them in: the same
 * rows as the run-time loader makes from the embedded TSV text, and lookups
 * through the build-time index (exact names and aliases) and the lazily
 * tokenised keys (fuzzy) giving the row, match kind and score of the scan
 * every lookup did before the index: `reference_find` below is that scan,
 * kept here as the yardstick. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hw/fuzzy.h"
#include "hw/hardware.h"
#include "hw/hw_table.h"
#include "test.h"

extern const char eco_data_gpus[];
extern const size_t eco_data_gpus_len;
extern const char eco_data_cpus[];
extern const size_t eco_data_cpus_len;

static void builtin_only(void)
{
    unsetenv("ECOMETER_GPU_TABLE");
    unsetenv("ECOMETER_CPU_TABLE");
    eco_hw_reset();
}

static int same_text(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int same_gpu(const struct eco_gpu *a, const struct eco_gpu *b)
{
    return same_text(a->name, b->name) && same_text(a->aliases, b->aliases) && same_text(a->vendor, b->vendor) &&
           same_text(a->kind, b->kind) && a->tdp_w == b->tdp_w && a->memory_gb == b->memory_gb &&
           a->fp32_tflops == b->fp32_tflops && a->fp16_tflops == b->fp16_tflops && a->int8_tops == b->int8_tops &&
           same_text(a->source, b->source) && a->year == b->year && a->mem_bw_gbs == b->mem_bw_gbs &&
           same_text(a->mem_bw_source, b->mem_bw_source);
}

static int same_cpu(const struct eco_cpu *a, const struct eco_cpu *b)
{
    return same_text(a->name, b->name) && same_text(a->aliases, b->aliases) && same_text(a->vendor, b->vendor) &&
           a->cores == b->cores && a->threads == b->threads && a->tdp_w == b->tdp_w &&
           same_text(a->source, b->source) && a->year == b->year && a->base_ghz == b->base_ghz &&
           a->fp32_flops_per_cycle == b->fp32_flops_per_cycle && a->mem_channels == b->mem_channels &&
           a->mem_mts == b->mem_mts && same_text(a->device_source, b->device_source);
}

/* The embedded TSV parsed and checked now, by the code the generator ran. */
static void check_rows_match_tsv(int is_gpu, const char *text, size_t len, const void *rows, size_t n)
{
    struct eco_tsv tsv = {0};
    struct eco_hw_rows r = {0};
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_tsv_parse(text, len, "embedded", &tsv, &err) != 0 || eco_hw_rows_init(&r, is_gpu, NULL, 0, &err) != 0 ||
        eco_hw_rows_add(&r, &tsv, "embedded", 0, &err) != 0)
        eco_test_fail(__FILE__, __LINE__, "the embedded table does not load: %s", err.msg);
    CHECK_INT(r.n, n);
    for (size_t i = 0; i < n && i < r.n; i++) {
        int same = is_gpu ? same_gpu((const struct eco_gpu *)rows + i, (const struct eco_gpu *)r.rows + i)
                          : same_cpu((const struct eco_cpu *)rows + i, (const struct eco_cpu *)r.rows + i);
        if (!same)
            eco_test_fail(__FILE__, __LINE__, "built-in row %zu (%s) differs from the TSV", i,
                          eco_hw_row_name(is_gpu, r.rows, i));
    }
    eco_hw_rows_free(&r);
    eco_tsv_free(&tsv);
}

ECO_TEST(hw_builtin_rows_equal_the_loaded_tsv)
{
    builtin_only();
    size_t ng, nc;
    const struct eco_gpu *g = eco_gpu_table(&ng);
    const struct eco_cpu *c = eco_cpu_table(&nc);
    CHECK(g && c && ng > 0 && nc > 0);
    check_rows_match_tsv(1, eco_data_gpus, eco_data_gpus_len, g, ng);
    check_rows_match_tsv(0, eco_data_cpus, eco_data_cpus_len, c, nc);
}

/* ---- the lookup as it was: every key tokenised and scored ------------- */

struct ref {
    long row;
    enum eco_hw_match_kind kind;
    double score;
};

static int ref_laptop(int is_gpu, const char *q)
{
    static const char *const words[] = {"laptop", "mobile", "notebook", "max-q", "maxq", "max q", NULL};
    if (!is_gpu)
        return -1;
    for (size_t i = 0; words[i]; i++)
        if (strcasestr(q, words[i]))
            return 1;
    return 0;
}

/* Best score against a row's name and its aliases (each cut at 255 bytes). */
static double ref_row_score(const struct eco_fz_tokens *q, const char *name, const char *aliases, int *exact,
                            int *alias, int *name_len)
{
    struct eco_fz_tokens k;
    eco_fz_tokenize(name, &k);
    *name_len = k.n;
    *exact = *alias = 0;
    if (eco_fz_same(q, &k))
        return *exact = 1, 1.0;
    double best = eco_fz_score(q, &k);
    for (const char *p = aliases; *p;) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        char one[256];
        snprintf(one, sizeof one, "%.*s", (int)l, p);
        eco_fz_tokenize(one, &k);
        if (eco_fz_same(q, &k))
            return *exact = *alias = 1, 1.0;
        double s = eco_fz_score(q, &k);
        best = s > best ? s : best;
        p = bar ? bar + 1 : p + l;
    }
    return best;
}

static struct ref reference_find(int is_gpu, const char *query)
{
    struct ref r = {-1, ECO_HW_MATCH_FUZZY, 0};
    size_t n;
    const void *rows = is_gpu ? (const void *)eco_gpu_table(&n) : (const void *)eco_cpu_table(&n);
    struct eco_fz_tokens q;
    eco_fz_tokenize(query, &q);
    if (q.n == 0)
        return r;
    int laptop = ref_laptop(is_gpu, query), exact_rank = -1, fuzzy_len = 0;
    long exact_row = -1, fuzzy_row = -1;
    double fuzzy_best = 0;
    for (size_t i = 0; i < n; i++) {
        if (laptop >= 0 && (strcasecmp(((const struct eco_gpu *)rows)[i].kind, "laptop") == 0) != laptop)
            continue;
        int exact, alias, len;
        double s = ref_row_score(&q, eco_hw_row_name(is_gpu, rows, i), eco_hw_row_aliases(is_gpu, rows, i), &exact,
                                 &alias, &len);
        if (exact) {
            if ((!alias) > exact_rank) /* built-in rows only: rank = !alias */
                exact_rank = !alias, exact_row = (long)i;
            continue;
        }
        if (s > fuzzy_best + 1e-9 || (s > fuzzy_best - 1e-9 && fuzzy_row >= 0 && len < fuzzy_len))
            fuzzy_best = s, fuzzy_row = (long)i, fuzzy_len = len;
    }
    if (exact_row >= 0)
        return (struct ref){exact_row, exact_rank ? ECO_HW_MATCH_NAME : ECO_HW_MATCH_ALIAS, 1.0};
    if (fuzzy_row >= 0 && fuzzy_best >= ECO_FZ_ACCEPT)
        return (struct ref){fuzzy_row, ECO_HW_MATCH_FUZZY, fuzzy_best};
    return r;
}

static struct ref lookup(int is_gpu, const char *query)
{
    struct eco_hw_match how;
    struct eco_err err;
    size_t n;
    const void *found, *rows = is_gpu ? (const void *)eco_gpu_table(&n) : (const void *)eco_cpu_table(&n);
    found = is_gpu ? (const void *)eco_gpu_find_ex(query, &how, &err) : (const void *)eco_cpu_find_ex(query, &how, &err);
    if (!found)
        return (struct ref){-1, ECO_HW_MATCH_FUZZY, 0};
    size_t size = eco_hw_row_size(is_gpu);
    return (struct ref){(long)(((const char *)found - (const char *)rows) / (long)size), how.kind, how.score};
}

/* 0 when the lookup agrees with the reference scan, else 1 (and says how). */
static int compare(int is_gpu, const char *query)
{
    struct ref want = reference_find(is_gpu, query), got = lookup(is_gpu, query);
    if (want.row == got.row && (want.row < 0 || (want.kind == got.kind && want.score == got.score)))
        return 0;
    fprintf(stderr, "  %s '%s': row %ld kind %d score %g, before: row %ld kind %d score %g\n", is_gpu ? "GPU" : "CPU",
            query, got.row, (int)got.kind, got.score, want.row, (int)want.kind, want.score);
    return 1;
}

/* Every name finds its row as NAME, every alias (that has a token) as
 * ALIAS, and the old scan agrees. */
static int check_every_key(int is_gpu)
{
    size_t n;
    const void *rows = is_gpu ? (const void *)eco_gpu_table(&n) : (const void *)eco_cpu_table(&n);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = eco_hw_row_name(is_gpu, rows, i);
        struct ref got = lookup(is_gpu, name);
        if (got.row != (long)i || got.kind != ECO_HW_MATCH_NAME)
            bad++, fprintf(stderr, "  name '%s' -> row %ld kind %d, not row %zu NAME\n", name, got.row, (int)got.kind, i);
        bad += compare(is_gpu, name);
        for (const char *p = eco_hw_row_aliases(is_gpu, rows, i); *p;) {
            const char *bar = strchr(p, '|');
            size_t l = bar ? (size_t)(bar - p) : strlen(p);
            char one[256], norm[ECO_HW_NORM_LEN];
            snprintf(one, sizeof one, "%.*s", (int)l, p);
            got = lookup(is_gpu, one);
            if (eco_hw_normalise(one, norm) > 0 && (got.row != (long)i || got.kind != ECO_HW_MATCH_ALIAS))
                bad++, fprintf(stderr, "  alias '%s' -> row %ld kind %d, not row %zu ALIAS\n", one, got.row,
                               (int)got.kind, i);
            bad += compare(is_gpu, one);
            p = bar ? bar + 1 : p + l;
        }
    }
    return bad;
}

ECO_TEST(hw_builtin_every_name_and_alias_finds_its_row)
{
    builtin_only();
    int bad = check_every_key(1) + check_every_key(0);
    if (bad)
        eco_test_fail(__FILE__, __LINE__, "%d names or aliases found another row or kind", bad);
}

/* Queries of tests/unit/test_hw_match.c that go past the exact index: what
 * /proc/cpuinfo and nvidia-smi print, what people type, misses. */
static const char *const fuzzy_gpu_queries[] = {
    "NVIDIA A100-SXM4-40GB", "NVIDIA A100 80GB PCIe", "a100 pcie", "RTX4090", "rtx4060ti", "geforce rtx 3080",
    "3090", "h100 sxm", "NVIDIA H100 80GB HBM3", "Tesla V100-PCIE-32GB", "jetson orin", "Jetson Xavier",
    "Jetson-AGX", "NVIDIA Orin NX Developer Kit", "rtx 4070 mobile", "GeForce RTX 4070 Max-Q",
    "NVIDIA GeForce RTX 3080 Laptop GPU", "rtx 4095", "a1000", "h300", "tesla", "rtx", "titan", "", "@@@", NULL};
static const char *const fuzzy_cpu_queries[] = {
    "Intel(R) Xeon(R) CPU E5-2678 v3 @ 2.50GHz", "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz",
    "11th Gen Intel(R) Core(TM) i7-1185G7 @ 3.00GHz", "AMD EPYC 7763 64-Core Processor",
    "AMD Ryzen 7 5800U with Radeon Graphics", "AMD Ryzen AI 9 HX 370 w/ Radeon 890M", "ARM Neoverse-N1",
    "NVIDIA Carmel", "xeon 8380", "i7 8559U", "5800x3d", "altra max", "gold 6249", "xeon", "epyc 7764",
    "Intel Xeon Processor (Cascadelake)", "QEMU Virtual CPU version 2.5+", "ryzen 9", "(R)(TM) CPU @ 3GHz", NULL};

ECO_TEST(hw_builtin_fuzzy_lookups_as_before)
{
    builtin_only();
    int bad = 0, fuzzy = 0;
    for (int i = 0; fuzzy_gpu_queries[i]; i++) {
        bad += compare(1, fuzzy_gpu_queries[i]);
        fuzzy += lookup(1, fuzzy_gpu_queries[i]).kind == ECO_HW_MATCH_FUZZY;
    }
    for (int i = 0; fuzzy_cpu_queries[i]; i++) {
        bad += compare(0, fuzzy_cpu_queries[i]);
        fuzzy += lookup(0, fuzzy_cpu_queries[i]).kind == ECO_HW_MATCH_FUZZY;
    }
    if (bad)
        eco_test_fail(__FILE__, __LINE__, "%d lookups differ from the scan", bad);
    CHECK(fuzzy >= 20); /* the list does reach the fuzzy path */
    /* a fuzzy lookup first on fresh tables (its tokens built then) */
    builtin_only();
    CHECK_INT(compare(1, "Tesla V100-PCIE-32GB"), 0);
    CHECK(lookup(1, "a100").kind == ECO_HW_MATCH_ALIAS);
}

/* The index the generator compiled in is the one the run-time code builds. */
ECO_TEST(hw_builtin_index_equals_a_fresh_build)
{
    builtin_only();
    const struct eco_hw_builtin *b[2] = {&eco_hw_builtin_gpus, &eco_hw_builtin_cpus};
    size_t n;
    eco_gpu_table(&n); /* unpacks the rows */
    for (int t = 0; t < 2; t++) {
        struct eco_hw_index ix;
        struct eco_err err;
        CHECK_INT(eco_hw_index_build(b[t]->is_gpu, b[t]->rows, b[t]->n, &ix, &err), 0);
        CHECK_INT(ix.n, b[t]->n_keys);
        for (size_t k = 0; k < ix.n && k < b[t]->n_keys; k++)
            if (strcmp(ix.text + ix.keys[k].norm, b[t]->text + b[t]->keys[k].norm) != 0 ||
                ix.keys[k].row != b[t]->keys[k].row || ix.keys[k].alias != b[t]->keys[k].alias)
                eco_test_fail(__FILE__, __LINE__, "key %zu: '%s' row %u, built in '%s' row %u", k,
                              ix.text + ix.keys[k].norm, ix.keys[k].row, b[t]->text + b[t]->keys[k].norm,
                              b[t]->keys[k].row);
        eco_hw_index_free(&ix);
    }
}
