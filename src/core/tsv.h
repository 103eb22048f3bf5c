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

#endif
