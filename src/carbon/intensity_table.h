/* Internal to src/carbon/: the loaded carbon-intensity table. Kept apart from
 * the lookup code so parsing/validation (intensity_load.c) and searching
 * (intensity.c) each stay one job. */
#ifndef ECO_CARBON_INTENSITY_TABLE_H
#define ECO_CARBON_INTENSITY_TABLE_H

#include <stddef.h>

#include "carbon/intensity.h"
#include "core/err.h"

struct eco_carbon_table {
    struct eco_region *rows;  /* sorted by code (case-insensitive) */
    size_t n;
    /* Per row: the grid row whose figure a cloud region uses (NULL otherwise),
     * and 1 when g_per_kwh/year were taken from it rather than given. */
    const struct eco_region **grid_row;
    unsigned char *inherited;
};

/* The table, loaded once (thread-safe); NULL with err when loading failed.
 * Without ECOMETER_CARBON_TABLE it is eco_carbon_builtin (intensity_get.c). */
const struct eco_carbon_table *eco_carbon_table_get(struct eco_err *err);

/* data/carbon.tsv as eco_carbon_table_build makes it, built at build time by
 * tools/carbon_gen.c (build/gen/carbon_builtin.c). */
extern const struct eco_carbon_table eco_carbon_builtin;

/* Build a table from TSV text (the embedded one) and an optional override
 * (NULL for none). Exposed for tests; the result is freed with
 * eco_carbon_table_free. */
int eco_carbon_table_build(const char *text, size_t len, const char *origin,
                           const char *override_path, struct eco_carbon_table **out,
                           struct eco_err *err);
void eco_carbon_table_free(struct eco_carbon_table *t);

#endif
