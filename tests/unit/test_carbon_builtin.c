/* The built-in carbon table (build/gen/carbon_builtin.c, made at build time by
 * tools/carbon_gen.c) is exactly what the run-time loader makes of the
 * embedded data/carbon.tsv: same rows in the same order, same figures to the
 * bit, same sources, same grid links. And the process-wide table is that
 * built-in one unless ECOMETER_CARBON_TABLE names an override. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carbon/intensity.h"
#include "carbon/intensity_table.h"
#include "test.h"

extern const char eco_data_carbon[];
extern const size_t eco_data_carbon_len;

ECO_TEST(carbon_builtin_equals_runtime_load_of_the_tsv)
{
    struct eco_carbon_table *t = NULL;
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_carbon_table_build(eco_data_carbon, eco_data_carbon_len, "data/carbon.tsv", NULL,
                                 &t, &err) == 0);
    const struct eco_carbon_table *b = &eco_carbon_builtin;
    CHECK_INT(b->n, t->n);
    CHECK(b->n > 400); /* the whole file, not a stub */
    for (size_t i = 0; i < t->n; i++) {
        const struct eco_region *x = &b->rows[i], *y = &t->rows[i];
        CHECK_STR(x->code, y->code);
        CHECK_STR(x->name, y->name);
        CHECK_STR(x->kind, y->kind);
        CHECK_STR(x->grid, y->grid);
        CHECK_STR(x->source, y->source);
        CHECK_INT(x->year, y->year);
        CHECK(memcmp(&x->g_per_kwh, &y->g_per_kwh, sizeof x->g_per_kwh) == 0);
        CHECK_INT(b->inherited[i], t->inherited[i]);
        CHECK_INT(b->grid_row[i] ? (long)(b->grid_row[i] - b->rows) : -1L,
                  t->grid_row[i] ? (long)(t->grid_row[i] - t->rows) : -1L);
    }
    eco_carbon_table_free(t);
}

ECO_TEST(carbon_table_is_builtin_without_override)
{
    unsetenv("ECOMETER_CARBON_TABLE");
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_carbon_table_get(&err) == &eco_carbon_builtin);
}

ECO_TEST(carbon_table_override_is_loaded_at_run_time)
{
    char path[] = "/tmp/eco_carbon_override_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    CHECK(f != NULL);
    fputs("code\tname\tkind\tgrid\tg_per_kwh\tsource\tyear\n"
          "FR\tFrance\tcountry\t\t99.5\tTest override 2024\t2024\n", f);
    fclose(f);
    setenv("ECOMETER_CARBON_TABLE", path, 1);
    struct eco_err err;
    eco_err_clear(&err);
    const struct eco_carbon_table *t = eco_carbon_table_get(&err);
    unlink(path);
    CHECK(t != NULL && t != &eco_carbon_builtin);
    CHECK_INT(t->n, eco_carbon_builtin.n);
    CHECK_NEAR(eco_region_find("FR", &err)->g_per_kwh, 99.5, 1e-12);
}
