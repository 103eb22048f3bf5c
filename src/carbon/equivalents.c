#include "carbon/equivalents.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/numparse.h"
#include "core/tsv.h"

extern const char eco_data_equivalents[];
extern const size_t eco_data_equivalents_len;

static const char *const columns[] = {"key", "label", "g_co2e_per_unit", "basis", "source", "cite", "year"};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

int eco_equivalents_parse(const char *text, size_t len, const char *origin, struct eco_equiv_table *out,
                          struct eco_err *err)
{
    memset(out, 0, sizeof *out);
    struct eco_tsv *tsv;
    void *mem;
    int col[N_COLUMNS];
    if (eco_tsv_table_open(text, len, origin, columns, N_COLUMNS, sizeof(struct eco_equivalent), col, &tsv, &mem,
                           err))
        return -1;
    struct eco_equivalent *rows = mem;
    for (size_t i = 0; i < tsv->n_rows; i++) {
        char **f = tsv->rows[i];
        struct eco_equivalent *e = &rows[i];
        e->key = f[col[0]];
        e->label = f[col[1]];
        e->basis = f[col[3]];
        e->source = f[col[4]];
        e->cite = f[col[5]];
        const char *bad = NULL;
        int num = eco_num_double(f[col[2]], 0, INFINITY, 0, &e->g_per_unit);
        if (!*e->key)
            bad = "an empty key";
        else if (num != ECO_NUM_OK || e->g_per_unit <= 0)
            bad = "a g_co2e_per_unit that is not a positive number";
        else if (!*e->label || !*e->source || !*e->cite)
            bad = "an empty label, source or cite";
        if (!bad && eco_num_int(f[col[6]], 1990, 2100, 0, &e->year) != ECO_NUM_OK)
            bad = "a year that is not between 1990 and 2100";
        for (size_t j = 0; !bad && j < i; j++)
            if (strcmp(rows[j].key, e->key) == 0)
                bad = "a key used twice";
        if (bad) {
            eco_err_set(err, ECO_EXIT_USAGE, "%s:%zu: %s", origin, tsv->line_of[i], bad);
            eco_err_hint(err, "fix that row of the equivalents table");
            return eco_tsv_table_free(tsv, rows);
        }
    }
    out->n = tsv->n_rows;
    out->rows = rows;
    out->priv = tsv;
    return 0;
}

void eco_equivalents_free(struct eco_equiv_table *t)
{
    if (!t)
        return;
    eco_tsv_table_free(t->priv, t->rows);
    memset(t, 0, sizeof *t);
}

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static struct eco_equiv_table builtin;
static struct eco_err builtin_err;
static int builtin_ok;

static void load_builtin(void)
{
    eco_err_clear(&builtin_err);
    builtin_ok = eco_equivalents_parse(eco_data_equivalents, eco_data_equivalents_len,
                                       "data/equivalents.tsv", &builtin, &builtin_err) == 0;
}

const struct eco_equiv_table *eco_equivalents_builtin(struct eco_err *err)
{
    pthread_once(&builtin_once, load_builtin);
    if (!builtin_ok) {
        if (err)
            *err = builtin_err;
        return NULL;
    }
    return &builtin;
}

double eco_equivalent_count(const struct eco_equivalent *e, double grams)
{
    return grams / e->g_per_unit;
}
