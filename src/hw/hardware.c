/* The GPU and CPU tables: parsed once from the compiled-in TSV
 * (data/gpus.tsv, data/cpus.tsv), validated row by row, merged with the
 * user's override files, and looked up by name, alias or fuzzy tokens. */
#include "hw/hardware.h"

#include <pthread.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/tsv.h"
#include "hw/fuzzy.h"

extern const char eco_data_gpus[];
extern const size_t eco_data_gpus_len;
extern const char eco_data_cpus[];
extern const size_t eco_data_cpus_len;

/* What both tables share, so loading and lookup are written once. */
struct table {
    const char *what;         /* "GPU" / "CPU", for messages */
    const char *env;          /* override variable */
    struct eco_tsv builtin, user;
    size_t n;
    const char **names;       /* row i's name and aliases, for matching */
    const char **aliases;
    unsigned char *from_user; /* row came from the override file */
    void *rows;               /* struct eco_gpu[n] or struct eco_cpu[n] */
    /* Names and aliases tokenised once at load: keys[key_first[i] ..
     * key_first[i+1]) belong to row i, the first being its name. */
    struct eco_fz_tokens *keys;
    size_t *key_first;
};

static struct table gpus = {.what = "GPU", .env = "ECOMETER_GPU_TABLE"};
static struct table cpus = {.what = "CPU", .env = "ECOMETER_CPU_TABLE"};
static int loaded;       /* 0 not yet, 1 ok, -1 failed (load_err says why) */
static struct eco_err load_err;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

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
    char *end = NULL;
    double d = strtod(v, &end);
    if (!*v || *end || d != d || d < lo || d > hi) {
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

static size_t row_size(const struct table *tb)
{
    return tb == &gpus ? sizeof(struct eco_gpu) : sizeof(struct eco_cpu);
}

static void *row_at(const struct table *tb, size_t i)
{
    return (char *)tb->rows + i * row_size(tb);
}

static const char *row_name(const struct table *tb, const void *r)
{
    return tb == &gpus ? ((const struct eco_gpu *)r)->name : ((const struct eco_cpu *)r)->name;
}

static const char *row_aliases(const struct table *tb, const void *r)
{
    return tb == &gpus ? ((const struct eco_gpu *)r)->aliases : ((const struct eco_cpu *)r)->aliases;
}

/* Names are matched case-insensitively; an open-addressing hash of the rows
 * already in the table keeps loading linear (a pairwise check cost more than
 * the rest of `ecometer run -- true`). */
static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)tolower((unsigned char)*s)) * 1099511628211u;
    return h;
}

/* slots: power of two, SIZE_MAX = empty; returns the row with that name or SIZE_MAX. */
static size_t name_find(const struct table *tb, const size_t *slots, size_t mask, const char *name,
                        size_t *slot)
{
    size_t i = name_hash(name) & mask;
    while (slots[i] != SIZE_MAX) {
        if (strcasecmp(row_name(tb, row_at(tb, slots[i])), name) == 0)
            break;
        i = (i + 1) & mask;
    }
    *slot = i;
    return slots[i];
}

static int add_row(struct table *tb, const struct eco_tsv *t, const char *origin, int from_user,
                   struct eco_err *err, const int *ix, int is_gpu, size_t first_of_file,
                   size_t *slots, size_t mask, size_t i);

/* Append the rows of one parsed TSV; from_user rows replace same-named ones. */
static int add_rows(struct table *tb, const struct eco_tsv *t, const char *origin, int from_user,
                    struct eco_err *err)
{
    int is_gpu = tb == &gpus;
    const char *const *names = is_gpu ? gpu_cols : cpu_cols;
    int n_cols = is_gpu ? G_N : C_N;
    int ix[(int)G_N > (int)C_N ? (int)G_N : (int)C_N];
    int n_req = is_gpu ? G_REQ : C_REQ;
    for (int k = 0; k < n_cols; k++)
        if ((ix[k] = k < n_req ? col(t, origin, names[k], err) : eco_tsv_col(t, names[k])) < 0 && k < n_req)
            return -1;
    size_t first_of_file = tb->n;
    void *grown = realloc(tb->rows, (tb->n + t->n_rows) * row_size(tb));
    unsigned char *fu = realloc(tb->from_user, tb->n + t->n_rows + 1);
    if (grown)
        tb->rows = grown;
    if (fu)
        tb->from_user = fu;
    if (!grown || !fu)
        return eco_err_set(err, 1, "%s: out of memory", origin);
    size_t cap = 16;
    while (cap < 2 * (tb->n + t->n_rows))
        cap *= 2;
    size_t *slots = malloc(cap * sizeof *slots), mask = cap - 1, slot;
    if (!slots)
        return eco_err_set(err, 1, "%s: out of memory", origin);
    for (size_t k = 0; k < cap; k++)
        slots[k] = SIZE_MAX;
    for (size_t j = 0; j < tb->n; j++)
        if (name_find(tb, slots, mask, row_name(tb, row_at(tb, j)), &slot) == SIZE_MAX)
            slots[slot] = j;
    int rc = 0;
    for (size_t i = 0; i < t->n_rows && rc == 0; i++)
        rc = add_row(tb, t, origin, from_user, err, ix, is_gpu, first_of_file, slots, mask, i);
    free(slots);
    return rc;
}

static int add_row(struct table *tb, const struct eco_tsv *t, const char *origin, int from_user,
                   struct eco_err *err, const int *ix, int is_gpu, size_t first_of_file,
                   size_t *slots, size_t mask, size_t i)
{
    {
        struct cursor c = {t, origin, i, err};
        union {
            struct eco_gpu g;
            struct eco_cpu p;
        } row;
        if ((is_gpu ? gpu_row(&c, ix, &row.g) : cpu_row(&c, ix, &row.p)) != 0)
            return -1;
        const char *name = is_gpu ? row.g.name : row.p.name;
        /* A name that normalises to no token (punctuation, brand words,
         * bytes that are not letters) could never be looked up again. */
        struct eco_fz_tokens tk;
        eco_fz_tokenize(name, &tk);
        if (tk.n == 0) {
            eco_err_set(err, 2, "%s:%zu: the name '%s' has nothing to match on", origin, t->line_of[i], name);
            eco_err_hint(err, "a name needs a model word or number, e.g. 'Xeon Gold 6248' or 'RTX 4090'");
            return -1;
        }
        size_t dest = tb->n, slot;
        size_t j = name_find(tb, slots, mask, name, &slot);
        if (j != SIZE_MAX) {
            if (j >= first_of_file) {
                eco_err_set(err, 2, "%s:%zu: a second row named '%s'", origin, t->line_of[i], name);
                eco_err_hint(err, "each name may appear once per table; merge or rename the rows");
                return -1;
            }
            dest = j; /* the user's row replaces the built-in one */
        }
        memcpy(row_at(tb, dest), &row, row_size(tb));
        tb->from_user[dest] = (unsigned char)from_user;
        if (dest == tb->n) {
            slots[slot] = dest;
            tb->n++;
        }
    }
    return 0;
}

static int load_table(struct table *tb, const char *data, size_t len, const char *builtin_origin,
                      struct eco_err *err)
{
    if (eco_tsv_parse(data, len, builtin_origin, &tb->builtin, err) != 0)
        return -1;
    if (add_rows(tb, &tb->builtin, builtin_origin, 0, err) != 0)
        return -1;
    const char *path = getenv(tb->env);
    if (path && *path) {
        if (eco_tsv_load_file(path, &tb->user, err) != 0) {
            eco_err_hint(err, "%s names this file; fix it or unset %s to use the built-in table",
                         tb->env, tb->env);
            return -1;
        }
        if (add_rows(tb, &tb->user, path, 1, err) != 0) {
            if (!err->hint[0])
                eco_err_hint(err, "%s names this file; fix it or unset %s", tb->env, tb->env);
            return -1;
        }
    }
    tb->names = malloc((tb->n + 1) * sizeof *tb->names);
    tb->aliases = malloc((tb->n + 1) * sizeof *tb->aliases);
    tb->key_first = malloc((tb->n + 1) * sizeof *tb->key_first);
    size_t n_keys = 0;
    for (size_t i = 0; i < tb->n; i++) {
        const char *a = row_aliases(tb, row_at(tb, i));
        n_keys += 1 + (*a != 0);
        for (; *a; a++)
            n_keys += *a == '|';
    }
    tb->keys = malloc((n_keys + 1) * sizeof *tb->keys);
    if (!tb->names || !tb->aliases || !tb->key_first || !tb->keys)
        return eco_err_set(err, 1, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < tb->n; i++) {
        tb->names[i] = row_name(tb, row_at(tb, i));
        tb->aliases[i] = row_aliases(tb, row_at(tb, i));
        tb->key_first[i] = k;
        eco_fz_tokenize(tb->names[i], &tb->keys[k++]);
        const char *p = tb->aliases[i];
        while (*p) {
            const char *bar = strchr(p, '|');
            size_t l = bar ? (size_t)(bar - p) : strlen(p);
            char one[256];
            snprintf(one, sizeof one, "%.*s", (int)l, p);
            eco_fz_tokenize(one, &tb->keys[k++]);
            p = bar ? bar + 1 : p + l;
        }
    }
    tb->key_first[tb->n] = k;
    return 0;
}

static void free_table(struct table *tb)
{
    eco_tsv_free(&tb->builtin);
    eco_tsv_free(&tb->user);
    free(tb->rows);
    free(tb->from_user);
    free(tb->names);
    free(tb->aliases);
    free(tb->keys);
    free(tb->key_first);
    tb->keys = NULL;
    tb->key_first = NULL;
    tb->rows = NULL;
    tb->from_user = NULL;
    tb->names = tb->aliases = NULL;
    tb->n = 0;
}

int eco_hw_load(struct eco_err *err)
{
    pthread_mutex_lock(&load_lock);
    if (loaded == 0) {
        eco_err_clear(&load_err);
        if (load_table(&gpus, eco_data_gpus, eco_data_gpus_len, "data/gpus.tsv (built in)", &load_err) == 0 &&
            load_table(&cpus, eco_data_cpus, eco_data_cpus_len, "data/cpus.tsv (built in)", &load_err) == 0) {
            loaded = 1;
        } else {
            free_table(&gpus);
            free_table(&cpus);
            loaded = -1;
        }
    }
    int ok = loaded == 1;
    if (!ok && err)
        *err = load_err;
    pthread_mutex_unlock(&load_lock);
    return ok ? 0 : -1;
}

void eco_hw_reset(void)
{
    pthread_mutex_lock(&load_lock);
    free_table(&gpus);
    free_table(&cpus);
    loaded = 0;
    pthread_mutex_unlock(&load_lock);
}

const struct eco_gpu *eco_gpu_table(size_t *n)
{
    if (eco_hw_load(NULL) != 0) {
        *n = 0;
        return NULL;
    }
    *n = gpus.n;
    return gpus.rows;
}

const struct eco_cpu *eco_cpu_table(size_t *n)
{
    if (eco_hw_load(NULL) != 0) {
        *n = 0;
        return NULL;
    }
    *n = cpus.n;
    return cpus.rows;
}

/* ---- lookup --------------------------------------------------------------- */

/* Best score of a query against row i's name and aliases; *exact when one
 * of them normalises to the query, *alias when that one is an alias. */
static double row_score(const struct table *tb, const struct eco_fz_tokens *q, size_t i, int *exact,
                        int *alias)
{
    double best = 0;
    *exact = *alias = 0;
    for (size_t k = tb->key_first[i]; k < tb->key_first[i + 1]; k++) {
        if (eco_fz_same(q, &tb->keys[k])) {
            *exact = 1;
            *alias = k != tb->key_first[i];
            return 1.0;
        }
        double s = eco_fz_score(q, &tb->keys[k]);
        if (s > best)
            best = s;
    }
    return best;
}

/* Laptop GPUs carry their desktop card's model number ("RTX 4070 Laptop
 * GPU") at a fraction of its power (115 W vs 200 W), so the two never stand
 * in for each other: a name that says laptop, mobile, notebook or Max-Q
 * matches only rows of kind "laptop", any other name only the other rows.
 * 1 for a laptop name, 0 for another GPU name, -1 for the CPU table. */
static int laptop_query(const struct table *tb, const char *query)
{
    static const char *const words[] = {"laptop", "mobile", "notebook", "max-q", "maxq", "max q", NULL};
    if (tb != &gpus)
        return -1;
    for (size_t i = 0; words[i]; i++)
        if (strcasestr(query, words[i]))
            return 1;
    return 0;
}

static int row_allowed(const struct table *tb, size_t i, int laptop)
{
    if (laptop < 0 || tb != &gpus)
        return 1;
    const struct eco_gpu *g = row_at(tb, i);
    return (strcasecmp(g->kind, "laptop") == 0) == laptop;
}

/* Best row for a query: an exact name or alias (user rows first, names
 * before aliases), else the best fuzzy score above the threshold; ties go
 * to the row with the fewest tokens (the plain model over its variants). */
static long find_row(const struct table *tb, const char *query, struct eco_hw_match *how)
{
    struct eco_fz_tokens q;
    eco_fz_tokenize(query, &q);
    if (q.n == 0)
        return -1;
    long exact_row = -1, fuzzy_row = -1;
    int exact_rank = -1, exact_alias_of_best = 0, fuzzy_len = 0;
    double fuzzy_best = 0;
    int laptop = laptop_query(tb, query);
    for (size_t i = 0; i < tb->n; i++) {
        int exact, alias;
        if (!row_allowed(tb, i, laptop))
            continue;
        double s = row_score(tb, &q, i, &exact, &alias);
        if (exact) {
            int rank = tb->from_user[i] * 2 + !alias;
            if (rank > exact_rank) {
                exact_rank = rank;
                exact_row = (long)i;
                exact_alias_of_best = alias;
            }
            continue;
        }
        int len = tb->keys[tb->key_first[i]].n;
        if (s > fuzzy_best + 1e-9 || (s > fuzzy_best - 1e-9 && fuzzy_row >= 0 && len < fuzzy_len)) {
            fuzzy_best = s;
            fuzzy_row = (long)i;
            fuzzy_len = len;
        }
    }
    if (exact_row >= 0) {
        if (how) {
            how->kind = exact_alias_of_best ? ECO_HW_MATCH_ALIAS : ECO_HW_MATCH_NAME;
            how->score = 1.0;
            how->from_user = tb->from_user[exact_row];
        }
        return exact_row;
    }
    if (fuzzy_row >= 0 && fuzzy_best >= ECO_FZ_ACCEPT) {
        if (how) {
            how->kind = ECO_HW_MATCH_FUZZY;
            how->score = fuzzy_best;
            how->from_user = tb->from_user[fuzzy_row];
        }
        return fuzzy_row;
    }
    return -1;
}

struct ranked {
    size_t index;
    double score;
};

static int by_score_desc(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Ranks every row; with closeness set, blends in edit-distance similarity so
 * a misspelt name ("a1000", "xeon gold 624") still finds its neighbours. */
static size_t rank(const struct table *tb, const char *query, int closeness, int laptop,
                   struct eco_hw_hit *hits, size_t max)
{
    struct eco_fz_tokens q;
    eco_fz_tokenize(query, &q);
    if (q.n == 0 || tb->n == 0 || max == 0)
        return 0;
    struct ranked *r = malloc(tb->n * sizeof *r);
    if (!r)
        return 0;
    for (size_t i = 0; i < tb->n; i++) {
        int exact, alias;
        double s = row_score(tb, &q, i, &exact, &alias);
        if (closeness)
            s = 0.6 * s + 0.4 * eco_fz_similarity(&q, &tb->keys[tb->key_first[i]]);
        if (!row_allowed(tb, i, laptop))
            s = 0; /* a laptop name's neighbours are laptop rows */
        r[i].index = i;
        r[i].score = s;
    }
    qsort(r, tb->n, sizeof *r, by_score_desc);
    size_t k = 0;
    for (size_t i = 0; i < tb->n && k < max; i++) {
        if (r[i].score <= 0)
            break;
        hits[k].index = r[i].index;
        hits[k].score = r[i].score;
        k++;
    }
    free(r);
    return k;
}

static long lookup(struct table *tb, const char *query, struct eco_hw_match *how, struct eco_err *err)
{
    if (err)
        eco_err_clear(err);
    if (eco_hw_load(err) != 0)
        return -1;
    const char *q = query ? query : "";
    long i = find_row(tb, q, how);
    if (i >= 0 || !err)
        return i; /* without err nobody reads the hint: skip ranking for it */
    struct eco_hw_hit near[3];
    int laptop = laptop_query(tb, q);
    size_t k = rank(tb, q, 1, laptop, near, 3);
    eco_err_set(err, 2, "no %s in ecometer's table matches '%s'", laptop == 1 ? "laptop GPU" : tb->what, q);
    const char *list = tb == &gpus ? "gpus" : "cpus";
    if (laptop == 1) {
        char names[400] = "";
        for (size_t j = 0; j < k; j++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s\"%s\"", j ? ", " : "",
                     tb->names[near[j].index]);
        eco_err_hint(err, "a laptop GPU draws far less than the desktop card of the same name, so it is never "
                          "matched to it; the closest laptop rows are %s; or give the laptop's GPU power "
                          "(its TGP) with --gpu-power W", k ? names : "(none)");
    } else if (k == 0) {
        eco_err_hint(err, "see 'ecometer hardware list %s' for the known names", list);
    } else {
        char names[400] = "";
        for (size_t j = 0; j < k; j++) {
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s\"%s\"", j ? ", " : "", tb->names[near[j].index]);
        }
        struct eco_fz_tokens qt;
        eco_fz_tokenize(q, &qt);
        int has_number = 0;
        for (int j = 0; j < qt.n; j++)
            has_number |= strpbrk(qt.tok[j], "0123456789") != NULL;
        eco_err_hint(err, "%sthe closest names are %s; see 'ecometer hardware search TEXT', or add "
                          "the model to a file named by %s",
                     has_number       ? ""
                     : tb == &cpus    ? "the name has no model number (virtual machines often hide it); "
                                      : "the name has no model number; ",
                     names, tb->env);
    }
    return -1;
}

const struct eco_gpu *eco_gpu_find_ex(const char *query, struct eco_hw_match *how, struct eco_err *err)
{
    long i = lookup(&gpus, query, how, err);
    return i < 0 ? NULL : (const struct eco_gpu *)row_at(&gpus, (size_t)i);
}

const struct eco_cpu *eco_cpu_find_ex(const char *query, struct eco_hw_match *how, struct eco_err *err)
{
    long i = lookup(&cpus, query, how, err);
    return i < 0 ? NULL : (const struct eco_cpu *)row_at(&cpus, (size_t)i);
}

const struct eco_gpu *eco_gpu_find(const char *query, struct eco_err *err)
{
    return eco_gpu_find_ex(query, NULL, err);
}

const struct eco_cpu *eco_cpu_find(const char *query, struct eco_err *err)
{
    return eco_cpu_find_ex(query, NULL, err);
}

/* Search ranks by match score; when nothing would be accepted it ranks by
 * closeness instead (as the "closest names" hint does), so a misspelt
 * query still lists its likely rows. */
static size_t search(const struct table *tb, const char *query, struct eco_hw_hit *hits, size_t max)
{
    if (eco_hw_load(NULL) != 0)
        return 0;
    int laptop = laptop_query(tb, query) == 1 ? 1 : -1; /* a laptop name lists laptop rows only */
    size_t k = rank(tb, query, 0, laptop, hits, max);
    if (k == 0 || hits[0].score < ECO_FZ_ACCEPT)
        k = rank(tb, query, 1, laptop, hits, max);
    return k;
}

size_t eco_gpu_search(const char *query, struct eco_hw_hit *hits, size_t max)
{
    return search(&gpus, query, hits, max);
}

size_t eco_cpu_search(const char *query, struct eco_hw_hit *hits, size_t max)
{
    return search(&cpus, query, hits, max);
}

double eco_cpu_peak_flops(const struct eco_cpu *c)
{
    return (double)c->cores * c->base_ghz * 1e9 * c->fp32_flops_per_cycle;
}

double eco_cpu_mem_bw_gbs(const struct eco_cpu *c)
{
    return (double)c->mem_channels * c->mem_mts * 8 / 1000;
}
