/* Opening a checked data table: the parse, column lookup and row allocation
 * that every typed table (embodied emissions, equivalents) needs, written once
 * so that their error messages and their cleanup cannot drift apart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tsv.h"

int eco_tsv_table_free(struct eco_tsv *tsv, void *rows)
{
    free(rows);
    if (tsv) {
        eco_tsv_free(tsv);
        free(tsv);
    }
    return -1;
}

/* "the columns are: a, b, c" for the hint of a missing column. */
static void hint_columns(struct eco_err *err, const char *const *columns, size_t n_columns)
{
    char list[512] = "";
    size_t used = 0;
    for (size_t c = 0; c < n_columns && used < sizeof list; c++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s", c ? ", " : "", columns[c]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    eco_err_hint(err, "the columns are: %s", list);
}

int eco_tsv_table_open(const char *text, size_t len, const char *origin, const char *const *columns,
                       size_t n_columns, size_t row_size, int *col, struct eco_tsv **tsv, void **rows,
                       struct eco_err *err)
{
    *tsv = NULL;
    *rows = NULL;
    struct eco_tsv *t = calloc(1, sizeof *t);
    if (!t)
        return eco_err_set(err, ECO_EXIT_RUNTIME, "out of memory reading %s", origin);
    if (eco_tsv_parse(text, len, origin, t, err)) {
        free(t);
        return -1;
    }
    for (size_t c = 0; c < n_columns; c++) {
        if ((col[c] = eco_tsv_col(t, columns[c])) < 0) {
            eco_err_set(err, ECO_EXIT_USAGE, "%s: no column '%s'", origin, columns[c]);
            hint_columns(err, columns, n_columns);
            return eco_tsv_table_free(t, NULL);
        }
    }
    void *r = calloc(t->n_rows ? t->n_rows : 1, row_size);
    if (!r) {
        eco_err_set(err, ECO_EXIT_RUNTIME, "out of memory reading %s", origin);
        return eco_tsv_table_free(t, NULL);
    }
    *tsv = t;
    *rows = r;
    return 0;
}
