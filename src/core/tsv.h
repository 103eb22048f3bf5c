/* Tab-separated tables: the format of everything under data/ and of user
 * override files. Lines starting with '#' and blank lines are comments; the
 * first other line names the columns. Every row must have as many fields as
 * the header (empty fields allowed). Parsing never trusts the input: a bad
 * row is an error naming the origin and the line. */
#ifndef ECO_CORE_TSV_H
#define ECO_CORE_TSV_H

#include <stddef.h>

#include "core/err.h"

struct eco_tsv {
    char *buf;          /* owned copy of the text, fields point into it */
    size_t n_cols;
    char **header;      /* n_cols names */
    size_t n_rows;
    char ***rows;       /* rows[i][j], j < n_cols */
    size_t *line_of;    /* source line of each row, for messages */
};

int eco_tsv_parse(const char *text, size_t len, const char *origin, struct eco_tsv *out,
                  struct eco_err *err);
int eco_tsv_load_file(const char *path, struct eco_tsv *out, struct eco_err *err);
/* Column index by name, or -1. */
int eco_tsv_col(const struct eco_tsv *t, const char *name);
void eco_tsv_free(struct eco_tsv *t);

/* A checked data table of typed rows (data/embodied.tsv, data/equivalents.tsv...):
 * parses text, finds every named column (col[c] = index of columns[c]; a
 * missing one is an error listing them all) and allocates n_rows zeroed rows
 * of row_size bytes. On success *tsv owns the text the rows will point into;
 * free both with eco_tsv_table_free. On error nothing is left allocated. */
int eco_tsv_table_open(const char *text, size_t len, const char *origin, const char *const *columns,
                       size_t n_columns, size_t row_size, int *col, struct eco_tsv **tsv, void **rows,
                       struct eco_err *err);
/* Frees what eco_tsv_table_open gave (either may be NULL); returns -1 for `return` on errors. */
int eco_tsv_table_free(struct eco_tsv *tsv, void *rows);

#endif
