/* Harness: the carbon-intensity table loader (src/carbon/intensity_load.c).
 * First byte even: the input is a user override (ECOMETER_CARBON_TABLE,
 * read through its path) merged over the built-in table; odd: the input is
 * the whole table. Invariants: a table that loads is sorted by code, has a
 * WORLD row, every intensity is a number in 0..ECO_INTENSITY_MAX and every
 * cloud region points at a non-cloud grid row; a failure says why. */
#include <math.h>
#include <strings.h>

#include "carbon/intensity_table.h"

#include "fuzz_util.h"

extern const char eco_data_carbon[];
extern const size_t eco_data_carbon_len;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (size < 1)
        return 0;
    struct eco_carbon_table *t = NULL;
    struct eco_err err;
    eco_err_clear(&err);
    int rc;
    if ((data[0] & 1) == 0) {
        const char *path = fuzz_file(&fd, data + 1, size - 1);
        rc = eco_carbon_table_build(eco_data_carbon, eco_data_carbon_len, "builtin", path, &t, &err);
    } else {
        rc = eco_carbon_table_build((const char *)data + 1, size - 1, "fuzz.tsv", NULL, &t, &err);
    }
    if (rc != 0) {
        FUZZ_ASSERT(t == NULL && err.msg[0] && (err.code == 1 || err.code == 2));
        return 0;
    }
    int world = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct eco_region *r = &t->rows[i];
        FUZZ_ASSERT(isfinite(r->g_per_kwh) && r->g_per_kwh >= 0 && r->g_per_kwh <= ECO_INTENSITY_MAX);
        FUZZ_ASSERT(r->year >= 1990 && r->year <= 2100);
        FUZZ_ASSERT(i == 0 || strcasecmp(t->rows[i - 1].code, r->code) <= 0);
        if (*r->grid)
            FUZZ_ASSERT(t->grid_row[i] && strcmp(t->grid_row[i]->kind, "cloud") != 0);
        world |= strcmp(r->code, "WORLD") == 0;
    }
    FUZZ_ASSERT(world);
    eco_carbon_table_free(t);
    return 0;
}
