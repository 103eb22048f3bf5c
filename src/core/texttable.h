/* Aligned plain-text tables for terminal output (the `--format text` view).
 * Columns whose header starts with '>' are right-aligned (numbers). */
#ifndef ECO_CORE_TEXTTABLE_H
#define ECO_CORE_TEXTTABLE_H

#include <stdio.h>

struct eco_table;

struct eco_table *eco_table_new(int n_cols, const char *const *headers);
/* Copies the n_cols cells (NULL prints as empty). */
void eco_table_row(struct eco_table *t, const char *const *cells);
/* printf-style row: one format per cell is awkward, so rows take strings. */
void eco_table_print(const struct eco_table *t, FILE *out);
void eco_table_free(struct eco_table *t);

#endif
