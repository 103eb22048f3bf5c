/* Rows of the hardware tables from TSV text, each checked (required fields,
 * numbers in range, unique names): data/gpus.tsv and data/cpus.tsv at build
 * time (tools/hw_gen.c), the user's override files at run time. */
#include "hw/hw_table.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/numparse.h"
#include "hw/fuzzy.h"

/* ---- field parsing ------------------------------------------------------ */

struct cursor {
    const struct eco_tsv *t;
    const char *origin;
    size_t row;
    struct eco_err *err;
};

static int col(const struct eco_tsv *t, const char *origin, const char *name, struct eco_err *err)
{
    int c = eco_tsv_col(t, name);
    if (c < 0) {
        eco_err_set(err, 2, "%s: no column '%s' in the header", origin, name);
        eco_err_hint(err, "the header line must name the columns; see the '#' lines at the top "
                          "of ecometer's data/gpus.tsv or data/cpus.tsv");
    }
    return c;
}

static const char *text(const struct cursor *c, int column, int required, const char *name)
{
    const char *v = c->t->rows[c->row][column];
    if (required && !*v) {
        eco_err_set(c->err, 2, "%s:%zu: empty '%s'", c->origin, c->t->line_of[c->row], name);
        eco_err_hint(c->err, "every row needs a %s", name);
        return NULL;
    }
    return v;
}

static int number(const struct cursor *c, int column, const char *name, double lo, double hi,
                  double *out)
{
    const char *v = c->t->rows[c->row][column];
    double d;
    if (eco_num_double(v, lo, hi, 0, &d) != ECO_NUM_OK) { /* "0x10" is no TDP */
        eco_err_set(c->err, 2, "%s:%zu: %s '%s' is not a number in %g..%g", c->origin,
                    c->t->line_of[c->row], name, v, lo, hi);
        eco_err_hint(c->err, "write plain decimal numbers (e.g. 250 or 19.5), without units");
        return -1;
    }
    *out = d;
    return 0;
}

static int integer(const struct cursor *c, int column, const char *name, long lo, long hi, int *out)
{
    double d;
    if (number(c, column, name, (double)lo, (double)hi, &d) != 0)
        return -1;
    if (d != (double)(long)d) {
        eco_err_set(c->err, 2, "%s:%zu: %s '%s' must be a whole number", c->origin,
                    c->t->line_of[c->row], name, c->t->rows[c->row][column]);
        return -1;
    }
    *out = (int)d;
    return 0;
}

/* ---- one row of each kind ----------------------------------------------- */

/* Required columns first, then the optional device columns (G_REQ / C_REQ
 * mark the split): override files written before those columns existed
 * still load, their rows simply have no bandwidth or CPU device figures. */
enum { G_NAME, G_ALIASES, G_VENDOR, G_KIND, G_TDP, G_MEM, G_FP32, G_FP16, G_INT8, G_SOURCE, G_YEAR, G_REQ,
       G_BW = G_REQ, G_BW_SOURCE, G_N };
static const char *const gpu_cols[G_N] = {"name", "aliases", "vendor", "kind", "tdp_w", "memory_gb",
                                          "fp32_tflops", "fp16_tflops", "int8_tops", "source", "year",
                                          "mem_bw_gbs", "mem_bw_source"};
enum { C_NAME, C_ALIASES, C_VENDOR, C_CORES, C_THREADS, C_TDP, C_SOURCE, C_YEAR, C_REQ,
       C_GHZ = C_REQ, C_FLOPS_CYCLE, C_CHANNELS, C_MTS, C_DEV_SOURCE, C_N };
static const char *const cpu_cols[C_N] = {"name", "aliases", "vendor", "cores", "threads", "tdp_w",
                                          "source", "year", "base_ghz", "fp32_flops_per_cycle",
                                          "mem_channels", "mem_mts", "device_source"};

/* An optional column: its text, or "" when the file has no such column. */
static const char *opt_text(const struct cursor *c, int column)
{
    return column < 0 ? "" : c->t->rows[c->row][column];
}

static int opt_number(const struct cursor *c, int column, const char *name, double hi, double *out)
{
    *out = 0;
    return column < 0 || !*c->t->rows[c->row][column] ? 0 : number(c, column, name, 0, hi, out);
}

static int gpu_row(const struct cursor *c, const int *ix, struct eco_gpu *g)
{
    memset(g, 0, sizeof *g);
    if (!(g->name = text(c, ix[G_NAME], 1, "name")) || !(g->aliases = text(c, ix[G_ALIASES], 0, "")) ||
        !(g->vendor = text(c, ix[G_VENDOR], 1, "vendor")) || !(g->kind = text(c, ix[G_KIND], 1, "kind")) ||
        !(g->source = text(c, ix[G_SOURCE], 1, "source")))
        return -1;
    if (number(c, ix[G_TDP], "tdp_w", 1, 1500, &g->tdp_w) || number(c, ix[G_MEM], "memory_gb", 0, 4096, &g->memory_gb) ||
        number(c, ix[G_FP32], "fp32_tflops", 0, 1e4, &g->fp32_tflops) ||
        number(c, ix[G_FP16], "fp16_tflops", 0, 1e5, &g->fp16_tflops) ||
        number(c, ix[G_INT8], "int8_tops", 0, 1e5, &g->int8_tops) ||
        integer(c, ix[G_YEAR], "year", 1990, 2100, &g->year) ||
        opt_number(c, ix[G_BW], "mem_bw_gbs", 1e5, &g->mem_bw_gbs))
        return -1;
    g->mem_bw_source = opt_text(c, ix[G_BW_SOURCE]);
    return 0;
}

static int cpu_row(const struct cursor *c, const int *ix, struct eco_cpu *p)
{
    memset(p, 0, sizeof *p);
    if (!(p->name = text(c, ix[C_NAME], 1, "name")) || !(p->aliases = text(c, ix[C_ALIASES], 0, "")) ||
        !(p->vendor = text(c, ix[C_VENDOR], 1, "vendor")) || !(p->source = text(c, ix[C_SOURCE], 1, "source")))
        return -1;
    if (integer(c, ix[C_CORES], "cores", 1, 4096, &p->cores) ||
        integer(c, ix[C_THREADS], "threads", 1, 16384, &p->threads) ||
        number(c, ix[C_TDP], "tdp_w", 1, 1500, &p->tdp_w) || integer(c, ix[C_YEAR], "year", 1990, 2100, &p->year))
        return -1;
    double channels, mts;
    if (opt_number(c, ix[C_GHZ], "base_ghz", 10, &p->base_ghz) ||
        opt_number(c, ix[C_FLOPS_CYCLE], "fp32_flops_per_cycle", 1024, &p->fp32_flops_per_cycle) ||
        opt_number(c, ix[C_CHANNELS], "mem_channels", 64, &channels) ||
        opt_number(c, ix[C_MTS], "mem_mts", 20000, &mts))
        return -1;
    p->mem_channels = (int)channels;
    p->mem_mts = mts;
    p->device_source = opt_text(c, ix[C_DEV_SOURCE]);
    if (p->threads < p->cores) {
        eco_err_set(c->err, 2, "%s:%zu: %d threads is fewer than %d cores", c->origin,
                    c->t->line_of[c->row], p->threads, p->cores);
        eco_err_hint(c->err, "threads counts hardware threads (cores x threads per core)");
        return -1;
    }
    return 0;
}

/* ---- loading and merging ------------------------------------------------ */

size_t eco_hw_row_size(int is_gpu)
{
    return is_gpu ? sizeof(struct eco_gpu) : sizeof(struct eco_cpu);
}

const char *eco_hw_row_name(int is_gpu, const void *rows, size_t i)
{
    return is_gpu ? ((const struct eco_gpu *)rows)[i].name : ((const struct eco_cpu *)rows)[i].name;
}

const char *eco_hw_row_aliases(int is_gpu, const void *rows, size_t i)
{
    return is_gpu ? ((const struct eco_gpu *)rows)[i].aliases : ((const struct eco_cpu *)rows)[i].aliases;
}

static const size_t gpu_strings[] = {
    offsetof(struct eco_gpu, name),   offsetof(struct eco_gpu, aliases), offsetof(struct eco_gpu, vendor),
    offsetof(struct eco_gpu, kind),   offsetof(struct eco_gpu, source),  offsetof(struct eco_gpu, mem_bw_source)};
static const size_t cpu_strings[] = {offsetof(struct eco_cpu, name), offsetof(struct eco_cpu, aliases),
                                     offsetof(struct eco_cpu, vendor), offsetof(struct eco_cpu, source),
                                     offsetof(struct eco_cpu, device_source)};
_Static_assert(sizeof gpu_strings / sizeof *gpu_strings <= ECO_HW_MAX_STRINGS, "room for the GPU strings");
_Static_assert(sizeof cpu_strings / sizeof *cpu_strings <= ECO_HW_MAX_STRINGS, "room for the CPU strings");

size_t eco_hw_string_fields(int is_gpu, const size_t **offsets)
{
    *offsets = is_gpu ? gpu_strings : cpu_strings;
    return is_gpu ? sizeof gpu_strings / sizeof *gpu_strings : sizeof cpu_strings / sizeof *cpu_strings;
}

void eco_hw_builtin_unpack(const struct eco_hw_builtin *b)
{
    const size_t *field;
    size_t n_fields = eco_hw_string_fields(b->is_gpu, &field), size = eco_hw_row_size(b->is_gpu);
    for (size_t i = 0; i < b->n; i++) {
        char *row = (char *)b->rows + i * size;
        const uint32_t *str;
        if (b->is_gpu) {
            const struct eco_hw_packed_gpu *g = (const struct eco_hw_packed_gpu *)b->packed + i;
            memcpy(row, &g->v, size);
            str = g->str;
        } else {
            const struct eco_hw_packed_cpu *c = (const struct eco_hw_packed_cpu *)b->packed + i;
            memcpy(row, &c->v, size);
            str = c->str;
        }
        for (size_t f = 0; f < n_fields; f++) {
            const char *s = b->text + str[f];
            memcpy(row + field[f], &s, sizeof s);
        }
    }
}

static void *row_at(const struct eco_hw_rows *r, size_t i)
{
    return (char *)r->rows + i * eco_hw_row_size(r->is_gpu);
}

int eco_hw_rows_init(struct eco_hw_rows *r, int is_gpu, const void *rows, size_t n, struct eco_err *err)
{
    memset(r, 0, sizeof *r);
    r->is_gpu = is_gpu;
    r->rows = malloc((n ? n : 1) * eco_hw_row_size(is_gpu));
    r->from_user = calloc(n + 1, 1);
    if (!r->rows || !r->from_user) {
        eco_hw_rows_free(r);
        return eco_err_set(err, 1, "out of memory");
    }
    if (n)
        memcpy(r->rows, rows, n * eco_hw_row_size(is_gpu));
    r->n = n;
    return 0;
}

void eco_hw_rows_free(struct eco_hw_rows *r)
{
    free(r->rows);
    free(r->from_user);
    r->rows = NULL;
    r->from_user = NULL;
    r->n = 0;
}

/* Names are matched case-insensitively; an open-addressing hash of the rows
 * already in the table keeps loading linear (a pairwise check cost more than
 * the rest of `ecometer run -- true` when it ran at every start). */
static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)tolower((unsigned char)*s)) * 1099511628211u;
    return h;
}

struct names {
    size_t *slots; /* power of two, SIZE_MAX = empty */
    size_t mask;
};

/* The row with that name or SIZE_MAX; *slot is where it is or would go. */
static size_t name_find(const struct eco_hw_rows *r, const struct names *h, const char *name, size_t *slot)
{
    size_t i = name_hash(name) & h->mask;
    while (h->slots[i] != SIZE_MAX) {
        if (strcasecmp(eco_hw_row_name(r->is_gpu, r->rows, h->slots[i]), name) == 0)
            break;
        i = (i + 1) & h->mask;
    }
    *slot = i;
    return h->slots[i];
}

static int add_row(struct eco_hw_rows *r, const struct cursor *c, int from_user, const int *ix,
                   size_t first_of_file, struct names *h)
{
    union {
        struct eco_gpu g;
        struct eco_cpu p;
    } row;
    if ((r->is_gpu ? gpu_row(c, ix, &row.g) : cpu_row(c, ix, &row.p)) != 0)
        return -1;
    const char *name = r->is_gpu ? row.g.name : row.p.name;
    size_t line = c->t->line_of[c->row];
    /* A name that normalises to no token (punctuation, brand words,
     * bytes that are not letters) could never be looked up again. */
    struct eco_fz_tokens tk;
    eco_fz_tokenize(name, &tk);
    if (tk.n == 0) {
        eco_err_set(c->err, 2, "%s:%zu: the name '%s' has nothing to match on", c->origin, line, name);
        eco_err_hint(c->err, "a name needs a model word or number, e.g. 'Xeon Gold 6248' or 'RTX 4090'");
        return -1;
    }
    size_t dest = r->n, slot;
    size_t j = name_find(r, h, name, &slot);
    if (j != SIZE_MAX) {
        if (j >= first_of_file) {
            eco_err_set(c->err, 2, "%s:%zu: a second row named '%s'", c->origin, line, name);
            eco_err_hint(c->err, "each name may appear once per table; merge or rename the rows");
            return -1;
        }
        dest = j; /* the user's row replaces the built-in one */
    }
    memcpy(row_at(r, dest), &row, eco_hw_row_size(r->is_gpu));
    r->from_user[dest] = (unsigned char)from_user;
    if (dest == r->n) {
        h->slots[slot] = dest;
        r->n++;
    }
    return 0;
}

/* The hash of the names already in r, with room for extra more. */
static int names_init(const struct eco_hw_rows *r, size_t extra, struct names *h)
{
    size_t cap = 16, slot;
    while (cap < 2 * (r->n + extra))
        cap *= 2;
    if (!(h->slots = malloc(cap * sizeof *h->slots)))
        return -1;
    h->mask = cap - 1;
    for (size_t k = 0; k < cap; k++)
        h->slots[k] = SIZE_MAX;
    for (size_t j = 0; j < r->n; j++)
        if (name_find(r, h, eco_hw_row_name(r->is_gpu, r->rows, j), &slot) == SIZE_MAX)
            h->slots[slot] = j;
    return 0;
}

int eco_hw_rows_add(struct eco_hw_rows *r, const struct eco_tsv *t, const char *origin, int from_user,
                    struct eco_err *err)
{
    const char *const *names = r->is_gpu ? gpu_cols : cpu_cols;
    int n_cols = r->is_gpu ? G_N : C_N;
    int ix[(int)G_N > (int)C_N ? (int)G_N : (int)C_N];
    int n_req = r->is_gpu ? G_REQ : C_REQ;
    for (int k = 0; k < n_cols; k++)
        if ((ix[k] = k < n_req ? col(t, origin, names[k], err) : eco_tsv_col(t, names[k])) < 0 && k < n_req)
            return -1;
    size_t first_of_file = r->n;
    void *grown = realloc(r->rows, (r->n + t->n_rows + 1) * eco_hw_row_size(r->is_gpu));
    unsigned char *fu = realloc(r->from_user, r->n + t->n_rows + 1);
    if (grown)
        r->rows = grown;
    if (fu)
        r->from_user = fu;
    struct names h;
    if (!grown || !fu || names_init(r, t->n_rows, &h) != 0)
        return eco_err_set(err, 1, "%s: out of memory", origin);
    int rc = 0;
    for (size_t i = 0; i < t->n_rows && rc == 0; i++) {
        struct cursor c = {t, origin, i, err};
        rc = add_row(r, &c, from_user, ix, first_of_file, &h);
    }
    free(h.slots);
    return rc;
}
