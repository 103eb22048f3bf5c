/* hw_gen: build the GPU and CPU tables from data/gpus.tsv and data/cpus.tsv
 * at build time, with the same code the binary uses at run time for a user's
 * override file (src/hw/hw_rows.c: every row checked, names unique;
 * src/hw/hw_index.c: every name and alias normalised and sorted), and print
 * them as C: the built-in tables the binary then uses as they are, without
 * parsing, checking or tokenising at start (loading them was 90% of
 * `ecometer run`'s start-up instructions, docs/PERFORMANCE.md). Strings are
 * offsets into one text, not pointers, so the tables add no relocation to
 * the start of every command. The TSVs stay the single source; a bad row
 * fails the build with the loader's own message.
 * Usage: hw_gen > hw_builtin.c */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw_table.h"

extern const char eco_data_gpus[];
extern const size_t eco_data_gpus_len;
extern const char eco_data_cpus[];
extern const size_t eco_data_cpus_len;

/* One table as the run-time loader makes it. */
struct loaded {
    int is_gpu;
    const char *prefix;
    struct eco_tsv tsv;
    struct eco_hw_rows r;
    struct eco_hw_index ix;
};

/* Every string of both tables once, in the order first seen. */
struct pool {
    const char **s;
    size_t n, cap, size;
    uint32_t *at;
};

static uint32_t pool_add(struct pool *p, const char *s)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->s[i], s) == 0)
            return p->at[i];
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 1024;
        p->s = realloc(p->s, p->cap * sizeof *p->s);
        p->at = realloc(p->at, p->cap * sizeof *p->at);
        if (!p->s || !p->at) {
            fprintf(stderr, "hw_gen: out of memory\n");
            exit(1);
        }
    }
    p->s[p->n] = s;
    p->at[p->n] = (uint32_t)p->size;
    p->size += strlen(s) + 1;
    return p->at[p->n++];
}

/* A C string literal of s: printable ASCII as is, everything else (UTF-8 bytes,
 * quotes, backslashes, '?' of trigraphs) as three-digit octal escapes. */
static void put_string(FILE *o, const char *s)
{
    fputc('"', o);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != '?')
            fputc(*p, o);
        else
            fprintf(o, "\\%03o", *p);
    }
    fputc('"', o);
}

static void put_text(FILE *o, const struct pool *p)
{
    fprintf(o, "static const char text[%zu] =\n", p->size + 1);
    for (size_t i = 0; i < p->n; i++) {
        fprintf(o, "    ");
        put_string(o, p->s[i]);
        fprintf(o, " \"\\000\"\n");
    }
    fprintf(o, "    ;\n\n");
}

/* The numbers of a row (doubles as %a: exactly as the loader parsed them). */
static void put_numbers(FILE *o, int is_gpu, const void *row)
{
    if (is_gpu) {
        const struct eco_gpu *g = row;
        fprintf(o, "{.tdp_w = %a, .memory_gb = %a, .fp32_tflops = %a, .fp16_tflops = %a, .int8_tops = %a, "
               ".year = %d, .mem_bw_gbs = %a}",
               g->tdp_w, g->memory_gb, g->fp32_tflops, g->fp16_tflops, g->int8_tops, g->year, g->mem_bw_gbs);
    } else {
        const struct eco_cpu *c = row;
        fprintf(o, "{.cores = %d, .threads = %d, .tdp_w = %a, .year = %d, .base_ghz = %a, "
               ".fp32_flops_per_cycle = %a, .mem_channels = %d, .mem_mts = %a}",
               c->cores, c->threads, c->tdp_w, c->year, c->base_ghz, c->fp32_flops_per_cycle, c->mem_channels,
               c->mem_mts);
    }
}

static void put_table(FILE *o, const struct loaded *t, struct pool *p)
{
    const size_t *field;
    size_t n_fields = eco_hw_string_fields(t->is_gpu, &field), size = eco_hw_row_size(t->is_gpu);
    const char *kind = t->is_gpu ? "gpu" : "cpu";
    fprintf(o, "static const struct eco_hw_packed_%s %s_packed[%zu] = {\n", kind, t->prefix, t->r.n);
    for (size_t i = 0; i < t->r.n; i++) {
        const char *row = (const char *)t->r.rows + i * size;
        fprintf(o, "    {.v = ");
        put_numbers(o, t->is_gpu, row);
        fprintf(o, ", .str = {");
        for (size_t f = 0; f < n_fields; f++) {
            const char *s;
            memcpy(&s, row + field[f], sizeof s);
            fprintf(o, "%s%u", f ? ", " : "", (unsigned)pool_add(p, s));
        }
        fprintf(o, "}},\n");
    }
    fprintf(o, "};\n\nstatic struct eco_%s %s_rows[%zu];\n\n", kind, t->prefix, t->r.n);
    fprintf(o, "static const struct eco_hw_key %s_keys[%zu] = {\n", t->prefix, t->ix.n);
    for (size_t k = 0; k < t->ix.n; k++)
        fprintf(o, "    {%u, %u, %u},\n", (unsigned)pool_add(p, t->ix.text + t->ix.keys[k].norm),
               (unsigned)t->ix.keys[k].row, (unsigned)t->ix.keys[k].alias);
    fprintf(o, "};\n\nconst struct eco_hw_builtin eco_hw_builtin_%s = {\n    .is_gpu = %d,\n    .text = text,\n"
           "    .packed = %s_packed,\n    .rows = %s_rows,\n    .n = %zu,\n    .keys = %s_keys,\n"
           "    .n_keys = %zu,\n};\n\n",
           t->prefix, t->is_gpu, t->prefix, t->prefix, t->r.n, t->prefix, t->ix.n);
}

static int load(struct loaded *t, const char *text, size_t len, const char *origin, struct eco_err *err)
{
    return eco_tsv_parse(text, len, origin, &t->tsv, err) != 0 ||
                   eco_hw_rows_init(&t->r, t->is_gpu, NULL, 0, err) != 0 ||
                   eco_hw_rows_add(&t->r, &t->tsv, origin, 0, err) != 0 ||
                   eco_hw_index_build(t->is_gpu, t->r.rows, t->r.n, &t->ix, err) != 0
               ? -1
               : 0;
}

int main(void)
{
    struct loaded t[2] = {{.is_gpu = 1, .prefix = "gpus"}, {.is_gpu = 0, .prefix = "cpus"}};
    struct eco_err err;
    eco_err_clear(&err);
    if (load(&t[0], eco_data_gpus, eco_data_gpus_len, "data/gpus.tsv (built in)", &err) != 0 ||
        load(&t[1], eco_data_cpus, eco_data_cpus_len, "data/cpus.tsv (built in)", &err) != 0) {
        fprintf(stderr, "hw_gen: %s\n", err.msg);
        if (err.hint[0])
            fprintf(stderr, "hw_gen: hint: %s\n", err.hint);
        return 1;
    }
    /* The tables go to a buffer first: the text they point into is printed before them. */
    struct pool p = {0};
    char *tables = NULL;
    size_t tables_len = 0;
    FILE *mem = open_memstream(&tables, &tables_len);
    if (!mem)
        return 1;
    put_table(mem, &t[0], &p);
    put_table(mem, &t[1], &p);
    if (fclose(mem) != 0)
        return 1;
    printf("/* generated from data/gpus.tsv and data/cpus.tsv by tools/hw_gen.c; do not edit */\n");
    printf("#include <stddef.h>\n\n#include \"hw/hw_table.h\"\n\n");
    put_text(stdout, &p);
    fwrite(tables, 1, tables_len, stdout);
    for (int k = 0; k < 2; k++) {
        eco_hw_index_free(&t[k].ix);
        eco_hw_rows_free(&t[k].r);
        eco_tsv_free(&t[k].tsv);
    }
    free(tables);
    free(p.s);
    free(p.at);
    return ferror(stdout) ? 1 : 0;
}
