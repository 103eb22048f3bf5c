/* The process-wide carbon-intensity table. Without ECOMETER_CARBON_TABLE it is
 * the built-in table that tools/carbon_gen.c built from data/carbon.tsv at
 * build time with the same loader (checked, sorted, cloud rows resolved): start-up
 * costs no parsing, sorting or allocation. With an override file, the
 * embedded TSV and the file are loaded and merged at first use as before,
 * since the user's rows are only known at run time. */
#include <pthread.h>
#include <stdlib.h>

#include "carbon/intensity_table.h"

extern const char eco_data_carbon[];
extern const size_t eco_data_carbon_len;

/* Built once on first use. A failure is remembered so every later call
 * reports the same error rather than retrying. */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static const struct eco_carbon_table *table;
static struct eco_err load_err;

static void load_once(void)
{
    const char *path = getenv("ECOMETER_CARBON_TABLE");
    eco_err_clear(&load_err);
    if (!path || !*path) {
        table = &eco_carbon_builtin;
        return;
    }
    struct eco_carbon_table *built = NULL;
    eco_carbon_table_build(eco_data_carbon, eco_data_carbon_len, "data/carbon.tsv (built in)",
                           path, &built, &load_err);
    table = built;
}

const struct eco_carbon_table *eco_carbon_table_get(struct eco_err *err)
{
    pthread_once(&once, load_once);
    if (!table && err)
        *err = load_err;
    return table;
}

int eco_carbon_load(struct eco_err *err)
{
    return eco_carbon_table_get(err) ? 0 : -1;
}
