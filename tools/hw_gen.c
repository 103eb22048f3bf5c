/* hw_gen: build the GPU and CPU tables from data/gpus.tsv and data/cpus.tsv
 * at build time, with the same code the binary uses at run time for a user's
 * override file (src/hw/hw_rows.c: every row checked, names unique;
 * src/hw/hw_index.c: every name and alias normalised and sorted), and print
 * them as C: the built-in tables the binary then uses as they are, without
 * parsing, checking, tokenising or allocating at start (loading them was 90%
 * of `ecometer run`'s start-up instructions, docs/PERFORMANCE.md). The TSVs
 * stay the single source; a bad row fails the build with the loader's own
 * message. Usage: hw_gen > hw_builtin.c */
#include <stdio.h>

#include "hw/hw_table.h"

extern const char eco_data_gpus[];
extern const size_t eco_data_gpus_len;
extern const char eco_data_cpus[];
extern const size_t eco_data_cpus_len;

/* A C string literal of s: printable ASCII as is, everything else (UTF-8 bytes,
 * quotes, backslashes, '?' of trigraphs) as three-digit octal escapes. */
static void put_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != '?')
            putchar(*p);
        else
            printf("\\%03o", *p);
    }
    putchar('"');
}

/* A string field ", .field = "..."" of a row. */
static void put_field(const char *field, const char *s)
{
    printf(", .%s = ", field);
    put_string(s);
}

/* Doubles as %a: exactly as the loader parsed them. */
static void put_gpu(const struct eco_gpu *g)
{
    printf("    {.name = ");
    put_string(g->name);
    put_field("aliases", g->aliases);
    put_field("vendor", g->vendor);
    put_field("kind", g->kind);
    printf(", .tdp_w = %a, .memory_gb = %a, .fp32_tflops = %a, .fp16_tflops = %a, .int8_tops = %a",
           g->tdp_w, g->memory_gb, g->fp32_tflops, g->fp16_tflops, g->int8_tops);
    put_field("source", g->source);
    printf(", .year = %d, .mem_bw_gbs = %a", g->year, g->mem_bw_gbs);
    put_field("mem_bw_source", g->mem_bw_source);
    printf("},\n");
}

static void put_cpu(const struct eco_cpu *c)
{
    printf("    {.name = ");
    put_string(c->name);
    put_field("aliases", c->aliases);
    put_field("vendor", c->vendor);
    printf(", .cores = %d, .threads = %d, .tdp_w = %a", c->cores, c->threads, c->tdp_w);
    put_field("source", c->source);
    printf(", .year = %d, .base_ghz = %a, .fp32_flops_per_cycle = %a, .mem_channels = %d, .mem_mts = %a",
           c->year, c->base_ghz, c->fp32_flops_per_cycle, c->mem_channels, c->mem_mts);
    put_field("device_source", c->device_source);
    printf("},\n");
}

/* One table: parse, check and index it as the run-time loader does, print it. */
static int put_table(int is_gpu, const char *text, size_t len, const char *origin, const char *prefix,
                     struct eco_err *err)
{
    struct eco_tsv tsv = {0};
    struct eco_hw_rows r = {0};
    struct eco_hw_index ix = {0};
    int rc = -1;
    if (eco_tsv_parse(text, len, origin, &tsv, err) != 0 || eco_hw_rows_init(&r, is_gpu, NULL, 0, err) != 0 ||
        eco_hw_rows_add(&r, &tsv, origin, 0, err) != 0 || eco_hw_index_build(is_gpu, r.rows, r.n, &ix, err) != 0)
        goto out;
    printf("static const struct eco_%s %s_rows[%zu] = {\n", is_gpu ? "gpu" : "cpu", prefix, r.n);
    for (size_t i = 0; i < r.n; i++) {
        if (is_gpu)
            put_gpu((const struct eco_gpu *)r.rows + i);
        else
            put_cpu((const struct eco_cpu *)r.rows + i);
    }
    printf("};\n\nstatic const struct eco_hw_key %s_keys[%zu] = {\n", prefix, ix.n);
    for (size_t k = 0; k < ix.n; k++) {
        printf("    {");
        put_string(ix.keys[k].norm);
        printf(", %u, %u},\n", ix.keys[k].row, (unsigned)ix.keys[k].alias);
    }
    printf("};\n\nconst struct eco_hw_table eco_hw_builtin_%s = {\n    .rows = %s_rows,\n    .n = %zu,\n"
           "    .keys = %s_keys,\n    .n_keys = %zu,\n};\n\n",
           prefix, prefix, r.n, prefix, ix.n);
    rc = 0;
out:
    eco_hw_index_free(&ix);
    eco_hw_rows_free(&r);
    eco_tsv_free(&tsv);
    return rc;
}

int main(void)
{
    struct eco_err err;
    eco_err_clear(&err);
    printf("/* generated from data/gpus.tsv and data/cpus.tsv by tools/hw_gen.c; do not edit */\n");
    printf("#include <stddef.h>\n\n#include \"hw/hw_table.h\"\n\n");
    if (put_table(1, eco_data_gpus, eco_data_gpus_len, "data/gpus.tsv (built in)", "gpus", &err) != 0 ||
        put_table(0, eco_data_cpus, eco_data_cpus_len, "data/cpus.tsv (built in)", "cpus", &err) != 0) {
        fprintf(stderr, "hw_gen: %s\n", err.msg);
        if (err.hint[0])
            fprintf(stderr, "hw_gen: hint: %s\n", err.hint);
        return 1;
    }
    return ferror(stdout) ? 1 : 0;
}
