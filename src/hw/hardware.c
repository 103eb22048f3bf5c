/* The GPU and CPU tables: the built-in rows as tools/hw_gen.c built them
 * from data/gpus.tsv and data/cpus.tsv (checked, indexed, nothing to parse at
 * start), merged at first use with the user's override files, and looked up
 * by name or alias (binary search of the normalised keys) or, when neither
 * matches, by fuzzy tokens. */
#include "hw/hardware.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hw/fuzzy.h"
#include "hw/hw_table.h"

/* What both tables share, so loading and lookup are written once. */
struct table {
    const char *what;  /* "GPU" / "CPU", for messages */
    const char *env;   /* override variable */
    int is_gpu;
    const struct eco_hw_builtin *builtin;
    int unpacked;                   /* builtin->rows filled (once: they never change) */
    struct eco_hw_table cur;        /* in use: the built-in table or the merged one */
    const unsigned char *from_user; /* per row, NULL when every row is built in */
    /* Only with an override file: its text (the user rows point into it),
     * the merged rows and their index. */
    struct eco_tsv user;
    struct eco_hw_rows merged;
    struct eco_hw_index merged_index;
    /* Names and aliases tokenised for fuzzy matching, on the first lookup
     * that needs them (exact ones do not): keys[key_first[i] ..
     * key_first[i+1]) belong to row i, the first being its name. */
    struct eco_fz_tokens *keys;
    size_t *key_first;
};

static struct table gpus = {.what = "GPU", .env = "ECOMETER_GPU_TABLE", .is_gpu = 1,
                            .builtin = &eco_hw_builtin_gpus};
static struct table cpus = {.what = "CPU", .env = "ECOMETER_CPU_TABLE", .is_gpu = 0,
                            .builtin = &eco_hw_builtin_cpus};
static int loaded;       /* 0 not yet, 1 ok, -1 failed (load_err says why) */
static struct eco_err load_err;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t tokens_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- loading and merging ------------------------------------------------ */

static const char *row_name(const struct table *tb, size_t i)
{
    return eco_hw_row_name(tb->is_gpu, tb->cur.rows, i);
}

static int from_user(const struct table *tb, size_t i)
{
    return tb->from_user ? tb->from_user[i] : 0;
}

/* The built-in table as is; with an override file, a copy of its rows with
 * the user's rows merged in (checked by the same code that checked the
 * built-in ones at build time) and a new index. */
static int load_table(struct table *tb, struct eco_err *err)
{
    const struct eco_hw_builtin *b = tb->builtin;
    if (!tb->unpacked) {
        eco_hw_builtin_unpack(b);
        tb->unpacked = 1;
    }
    tb->cur = (struct eco_hw_table){b->rows, b->n, b->keys, b->n_keys, b->text};
    tb->from_user = NULL;
    const char *path = getenv(tb->env);
    if (!path || !*path)
        return 0;
    if (eco_tsv_load_file(path, &tb->user, err) != 0) {
        eco_err_hint(err, "%s names this file; fix it or unset %s to use the built-in table", tb->env,
                     tb->env);
        return -1;
    }
    if (eco_hw_rows_init(&tb->merged, tb->is_gpu, b->rows, b->n, err) != 0)
        return -1;
    if (eco_hw_rows_add(&tb->merged, &tb->user, path, 1, err) != 0) {
        if (!err->hint[0])
            eco_err_hint(err, "%s names this file; fix it or unset %s", tb->env, tb->env);
        return -1;
    }
    if (eco_hw_index_build(tb->is_gpu, tb->merged.rows, tb->merged.n, &tb->merged_index, err) != 0)
        return -1;
    tb->cur = (struct eco_hw_table){tb->merged.rows, tb->merged.n, tb->merged_index.keys, tb->merged_index.n,
                                    tb->merged_index.text};
    tb->from_user = tb->merged.from_user;
    return 0;
}

static void free_tokens(struct table *tb)
{
    free(tb->keys);
    free(tb->key_first);
    tb->keys = NULL;
    tb->key_first = NULL;
}

static void free_table(struct table *tb)
{
    eco_tsv_free(&tb->user);
    eco_hw_rows_free(&tb->merged);
    eco_hw_index_free(&tb->merged_index);
    free_tokens(tb);
    memset(&tb->cur, 0, sizeof tb->cur);
    tb->from_user = NULL;
}

int eco_hw_load(struct eco_err *err)
{
    pthread_mutex_lock(&load_lock);
    if (loaded == 0) {
        eco_err_clear(&load_err);
        if (load_table(&gpus, &load_err) == 0 && load_table(&cpus, &load_err) == 0) {
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
    pthread_mutex_lock(&tokens_lock);
    free_table(&gpus);
    free_table(&cpus);
    loaded = 0;
    pthread_mutex_unlock(&tokens_lock);
    pthread_mutex_unlock(&load_lock);
}

const struct eco_gpu *eco_gpu_table(size_t *n)
{
    if (eco_hw_load(NULL) != 0) {
        *n = 0;
        return NULL;
    }
    *n = gpus.cur.n;
    return gpus.cur.rows;
}

const struct eco_cpu *eco_cpu_table(size_t *n)
{
    if (eco_hw_load(NULL) != 0) {
        *n = 0;
        return NULL;
    }
    *n = cpus.cur.n;
    return cpus.cur.rows;
}

/* ---- tokens for fuzzy matching ---------------------------------------- */

static int count_key(const char *key, int alias, void *n)
{
    (void)key, (void)alias;
    ++*(size_t *)n;
    return 0;
}

static int tokenise_key(const char *key, int alias, void *next)
{
    (void)alias;
    struct eco_fz_tokens **k = next;
    eco_fz_tokenize(key, (*k)++);
    return 0;
}

static int tokenise_keys_locked(struct table *tb)
{
    size_t n_keys = 0;
    for (size_t i = 0; i < tb->cur.n; i++)
        eco_hw_row_keys(tb->is_gpu, tb->cur.rows, i, count_key, &n_keys);
    struct eco_fz_tokens *keys = malloc((n_keys + 1) * sizeof *keys), *next = keys;
    size_t *first = malloc((tb->cur.n + 1) * sizeof *first);
    if (!keys || !first) {
        free(keys);
        free(first);
        return -1;
    }
    for (size_t i = 0; i < tb->cur.n; i++) {
        first[i] = (size_t)(next - keys);
        eco_hw_row_keys(tb->is_gpu, tb->cur.rows, i, tokenise_key, &next);
    }
    first[tb->cur.n] = (size_t)(next - keys);
    tb->keys = keys;
    tb->key_first = first;
    return 0;
}

/* 0 once tb->keys holds every row's tokens, -1 out of memory. */
static int need_tokens(struct table *tb)
{
    pthread_mutex_lock(&tokens_lock);
    int rc = tb->keys ? 0 : tokenise_keys_locked(tb);
    pthread_mutex_unlock(&tokens_lock);
    return rc;
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
    if (!tb->is_gpu)
        return -1;
    for (size_t i = 0; words[i]; i++)
        if (strcasestr(query, words[i]))
            return 1;
    return 0;
}

static int row_allowed(const struct table *tb, size_t i, int laptop)
{
    if (laptop < 0 || !tb->is_gpu)
        return 1;
    const struct eco_gpu *g = (const struct eco_gpu *)tb->cur.rows + i;
    return (strcasecmp(g->kind, "laptop") == 0) == laptop;
}

static void say_how(const struct table *tb, long row, enum eco_hw_match_kind kind, double score,
                    struct eco_hw_match *how)
{
    if (how) {
        how->kind = kind;
        how->score = score;
        how->from_user = from_user(tb, (size_t)row);
    }
}

/* A row whose name or alias normalises to norm: user rows first, names
 * before aliases, then the first row. */
static long find_exact(const struct table *tb, const char *norm, int laptop, int *alias)
{
    size_t first, k = eco_hw_index_find(&tb->cur, norm, &first);
    long row = -1;
    int best_rank = -1;
    for (size_t e = first; e < first + k; e++) {
        const struct eco_hw_key *key = &tb->cur.keys[e];
        if (!row_allowed(tb, key->row, laptop))
            continue;
        int rank = from_user(tb, key->row) * 2 + !key->alias;
        if (rank > best_rank || (rank == best_rank && (long)key->row < row)) {
            best_rank = rank;
            row = (long)key->row;
            *alias = key->alias;
        }
    }
    return row;
}

/* The best fuzzy score above the threshold; ties go to the row with the
 * fewest tokens (the plain model over its variants). */
static long find_fuzzy(struct table *tb, const char *query, int laptop, struct eco_hw_match *how)
{
    if (need_tokens(tb) != 0)
        return -1;
    struct eco_fz_tokens q;
    eco_fz_tokenize(query, &q);
    long fuzzy_row = -1;
    int fuzzy_len = 0;
    double fuzzy_best = 0;
    for (size_t i = 0; i < tb->cur.n; i++) {
        int exact, alias;
        if (!row_allowed(tb, i, laptop))
            continue;
        double s = row_score(tb, &q, i, &exact, &alias);
        int len = tb->keys[tb->key_first[i]].n;
        if (s > fuzzy_best + 1e-9 || (s > fuzzy_best - 1e-9 && fuzzy_row >= 0 && len < fuzzy_len)) {
            fuzzy_best = s;
            fuzzy_row = (long)i;
            fuzzy_len = len;
        }
    }
    if (fuzzy_row < 0 || fuzzy_best < ECO_FZ_ACCEPT)
        return -1;
    say_how(tb, fuzzy_row, ECO_HW_MATCH_FUZZY, fuzzy_best, how);
    return fuzzy_row;
}

/* Best row for a query: an exact name or alias, else a fuzzy match. */
static long find_row(struct table *tb, const char *query, struct eco_hw_match *how)
{
    char norm[ECO_HW_NORM_LEN];
    if (eco_hw_normalise(query, norm) == 0)
        return -1;
    int laptop = laptop_query(tb, query), alias = 0;
    long row = find_exact(tb, norm, laptop, &alias);
    if (row >= 0) {
        say_how(tb, row, alias ? ECO_HW_MATCH_ALIAS : ECO_HW_MATCH_NAME, 1.0, how);
        return row;
    }
    return find_fuzzy(tb, query, laptop, how);
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
static size_t rank(struct table *tb, const char *query, int closeness, int laptop,
                   struct eco_hw_hit *hits, size_t max)
{
    struct eco_fz_tokens q;
    eco_fz_tokenize(query, &q);
    if (q.n == 0 || tb->cur.n == 0 || max == 0 || need_tokens(tb) != 0)
        return 0;
    struct ranked *r = malloc(tb->cur.n * sizeof *r);
    if (!r)
        return 0;
    for (size_t i = 0; i < tb->cur.n; i++) {
        int exact, alias;
        double s = row_score(tb, &q, i, &exact, &alias);
        if (closeness)
            s = 0.6 * s + 0.4 * eco_fz_similarity(&q, &tb->keys[tb->key_first[i]]);
        if (!row_allowed(tb, i, laptop))
            s = 0; /* a laptop name's neighbours are laptop rows */
        r[i].index = i;
        r[i].score = s;
    }
    qsort(r, tb->cur.n, sizeof *r, by_score_desc);
    size_t k = 0;
    for (size_t i = 0; i < tb->cur.n && k < max; i++) {
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
                     row_name(tb, near[j].index));
        eco_err_hint(err, "a laptop GPU draws far less than the desktop card of the same name, so it is never "
                          "matched to it; the closest laptop rows are %s; or give the laptop's GPU power "
                          "(its TGP) with --gpu-power W", k ? names : "(none)");
    } else if (k == 0) {
        eco_err_hint(err, "see 'ecometer hardware list %s' for the known names", list);
    } else {
        char names[400] = "";
        for (size_t j = 0; j < k; j++) {
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s\"%s\"", j ? ", " : "", row_name(tb, near[j].index));
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
    return i < 0 ? NULL : (const struct eco_gpu *)(const struct eco_gpu *)gpus.cur.rows + i;
}

const struct eco_cpu *eco_cpu_find_ex(const char *query, struct eco_hw_match *how, struct eco_err *err)
{
    long i = lookup(&cpus, query, how, err);
    return i < 0 ? NULL : (const struct eco_cpu *)(const struct eco_cpu *)cpus.cur.rows + i;
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
static size_t search(struct table *tb, const char *query, struct eco_hw_hit *hits, size_t max)
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
