/* The embodied-emissions table (data/embodied.tsv): parsed once, every row
 * checked (kind, unit, plausible footprint, source, year, what it covers). */
#include "carbon/embodied.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/numparse.h"
#include "core/tsv.h"

extern const char eco_data_embodied[];
extern const size_t eco_data_embodied_len;

static const char *const columns[] = {"key", "kind", "device", "kg_co2e", "per", "default", "covers", "source", "year"};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

/* Per kind: its unit and the range a footprint of one unit can plausibly
 * take (kg CO2e). The bounds are wide (an order of magnitude around the
 * published figures) so they only catch a misplaced decimal point or a
 * figure in grams. */
static const struct {
    const char *kind, *per;
    double lo, hi;
} kinds[] = {
    {"gpu", "device", 5, 2000},    /* published accelerators: 128..284 kg */
    {"cpu", "device", 1, 300},     /* one package */
    {"memory", "GB", 0.005, 5},    /* DRAM/HBM per GB: 0.065 (DDR4 die) .. ~1 (HBM) */
    {"ssd", "TB", 1, 1000},
    {"hdd", "TB", 0.5, 200},
    {"server", "device", 50, 20000},
    {"board", "device", 1, 500},   /* Jetson modules, single-board computers */
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static int kind_index(const char *kind)
{
    for (size_t i = 0; i < N_KINDS; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return (int)i;
    return -1;
}

int eco_embodied_plausible(const char *kind, double *lo, double *hi)
{
    int k = kind ? kind_index(kind) : -1;
    if (k < 0)
        return 0;
    *lo = kinds[k].lo;
    *hi = kinds[k].hi;
    return 1;
}

/* What is wrong with row e (NULL: nothing); rows[0..i) are the ones before it. */
static const char *row_problem(struct eco_embodied_row *e, char **f, const int *col,
                               const struct eco_embodied_row *rows, size_t i)
{
    int k = kind_index(e->kind);
    if (!*e->key)
        return "an empty key";
    if (k < 0)
        return "a kind that is not gpu, cpu, memory, ssd, hdd, server or board";
    if (!*e->device)
        return "an empty device (write '*' for the whole kind)";
    if (strcmp(e->per, kinds[k].per) != 0)
        return "a unit ('per') that does not fit the kind (gpu, cpu, server, board: device; memory: GB; ssd, hdd: TB)";
    if (eco_num_double(f[col[3]], 0, INFINITY, 0, &e->kg) != ECO_NUM_OK || e->kg <= 0)
        return "a kg_co2e that is not a positive number";
    if (e->kg < kinds[k].lo || e->kg > kinds[k].hi)
        return "a kg_co2e outside the plausible range of its kind (see eco_embodied_plausible)";
    if (strcmp(f[col[5]], "yes") != 0 && strcmp(f[col[5]], "no") != 0)
        return "a default that is not 'yes' or 'no'";
    e->is_default = strcmp(f[col[5]], "yes") == 0;
    if (!*e->covers || !*e->source)
        return "an empty covers or source";
    if (eco_num_int(f[col[8]], 1990, 2100, 0, &e->year) != ECO_NUM_OK)
        return "a year that is not between 1990 and 2100";
    for (size_t j = 0; j < i; j++) {
        if (strcmp(rows[j].key, e->key) == 0)
            return "a key used twice";
        if (strcmp(rows[j].kind, e->kind) == 0 && strcasecmp(rows[j].device, e->device) == 0)
            return "a second row for the same kind and device";
    }
    return NULL;
}

int eco_embodied_parse(const char *text, size_t len, const char *origin, struct eco_embodied_table *out,
                       struct eco_err *err)
{
    memset(out, 0, sizeof *out);
    struct eco_tsv *tsv;
    void *mem;
    int col[N_COLUMNS];
    if (eco_tsv_table_open(text, len, origin, columns, N_COLUMNS, sizeof(struct eco_embodied_row), col, &tsv,
                           &mem, err))
        return -1;
    struct eco_embodied_row *rows = mem;
    for (size_t i = 0; i < tsv->n_rows; i++) {
        char **f = tsv->rows[i];
        struct eco_embodied_row *e = &rows[i];
        e->key = f[col[0]];
        e->kind = f[col[1]];
        e->device = f[col[2]];
        e->per = f[col[4]];
        e->covers = f[col[6]];
        e->source = f[col[7]];
        const char *bad = row_problem(e, f, col, rows, i);
        if (bad) {
            eco_err_set(err, ECO_EXIT_USAGE, "%s:%zu: %s", origin, tsv->line_of[i], bad);
            eco_err_hint(err, "fix that row of the embodied-emissions table");
            return eco_tsv_table_free(tsv, rows);
        }
    }
    out->n = tsv->n_rows;
    out->rows = rows;
    out->priv = tsv;
    return 0;
}

void eco_embodied_free(struct eco_embodied_table *t)
{
    if (!t)
        return;
    eco_tsv_table_free(t->priv, t->rows);
    memset(t, 0, sizeof *t);
}

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static struct eco_embodied_table builtin;
static struct eco_err builtin_err;
static int builtin_ok;

static void load_builtin(void)
{
    eco_err_clear(&builtin_err);
    builtin_ok = eco_embodied_parse(eco_data_embodied, eco_data_embodied_len, "data/embodied.tsv", &builtin,
                                    &builtin_err) == 0;
}

const struct eco_embodied_table *eco_embodied_builtin(struct eco_err *err)
{
    pthread_once(&builtin_once, load_builtin);
    if (!builtin_ok) {
        if (err)
            *err = builtin_err;
        return NULL;
    }
    return &builtin;
}

const struct eco_embodied_row *eco_embodied_find(const struct eco_embodied_table *t, const char *kind,
                                                 const char *device)
{
    if (!t || !device || !*device || strcmp(device, "*") == 0)
        return NULL;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].kind, kind) == 0 && strcasecmp(t->rows[i].device, device) == 0)
            return &t->rows[i];
    return NULL;
}

const struct eco_embodied_row *eco_embodied_generic(const struct eco_embodied_table *t, const char *kind)
{
    for (size_t i = 0; t && i < t->n; i++)
        if (strcmp(t->rows[i].kind, kind) == 0 && strcmp(t->rows[i].device, "*") == 0)
            return &t->rows[i];
    return NULL;
}
