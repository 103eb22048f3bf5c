/* Harness: the embodied-emissions table parser (src/carbon/embodied_table.c)
 * over arbitrary bytes. Invariants: a table that loads has every row with a
 * known kind, a footprint inside its kind's plausible range, a unit that fits
 * the kind, a source and what it covers, a year in 1990..2100, unique keys,
 * and its lookups return its own rows; a failure says why (code 1 or 2). */
#include <math.h>
#include <string.h>

#include "carbon/embodied.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct eco_embodied_table t;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_embodied_parse((const char *)data, size, "fuzz.tsv", &t, &err) != 0) {
        FUZZ_ASSERT(err.msg[0] && (err.code == 1 || err.code == 2));
        FUZZ_ASSERT(t.rows == NULL && t.n == 0);
        return 0;
    }
    for (size_t i = 0; i < t.n; i++) {
        const struct eco_embodied_row *r = &t.rows[i];
        double lo, hi;
        FUZZ_ASSERT(eco_embodied_plausible(r->kind, &lo, &hi));
        FUZZ_ASSERT(isfinite(r->kg) && r->kg >= lo && r->kg <= hi);
        FUZZ_ASSERT(*r->source && *r->covers && *r->key && *r->device);
        FUZZ_ASSERT(r->year >= 1990 && r->year <= 2100);
        FUZZ_ASSERT(r->is_default == 0 || r->is_default == 1);
        for (size_t j = 0; j < i; j++)
            FUZZ_ASSERT(strcmp(t.rows[j].key, r->key) != 0);
        const struct eco_embodied_row *f = strcmp(r->device, "*") == 0 ? eco_embodied_generic(&t, r->kind)
                                                                        : eco_embodied_find(&t, r->kind, r->device);
        FUZZ_ASSERT(f == r);
    }
    eco_embodied_free(&t);
    return 0;
}
