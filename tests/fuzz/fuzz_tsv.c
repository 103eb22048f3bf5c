/* Harness: the TSV parser every data table and user override file goes
 * through (src/core/tsv.c). Invariants: a table that parses has a header,
 * every row has exactly n_cols fields and a line number, and an error always
 * has a message and the bad-input code 2 (or 1 for out of memory). */
#include "core/tsv.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct eco_tsv t;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_tsv_parse((const char *)data, size, "fuzz.tsv", &t, &err) == 0) {
        FUZZ_ASSERT(t.header && t.n_cols >= 1);
        size_t last_line = 0;
        for (size_t i = 0; i < t.n_rows; i++) {
            FUZZ_ASSERT(t.line_of[i] > last_line);
            last_line = t.line_of[i];
            for (size_t j = 0; j < t.n_cols; j++)
                FUZZ_ASSERT(t.rows[i][j] && !strchr(t.rows[i][j], '\t') && !strchr(t.rows[i][j], '\n'));
        }
        for (size_t j = 0; j < t.n_cols; j++)
            FUZZ_ASSERT(eco_tsv_col(&t, t.header[j]) <= (int)j);
        eco_tsv_free(&t);
    } else {
        FUZZ_ASSERT(err.msg[0] && (err.code == 1 || err.code == 2));
    }
    return 0;
}
