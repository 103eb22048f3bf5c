/* The everyday-equivalents table: every built-in row valid and sourced, the
 * conversion, and the parser's refusals. */
#include <stdio.h>
#include <string.h>

#include "carbon/equivalents.h"
#include "test.h"

ECO_TEST(equivalents_builtin_rows_are_sourced)
{
    struct eco_err e;
    eco_err_clear(&e);
    const struct eco_equiv_table *t = eco_equivalents_builtin(&e);
    if (!t)
        eco_test_fail(__FILE__, __LINE__, "built-in table: %s", e.msg);
    CHECK(t->n >= 4);
    const char *wanted[] = {"car_km_eu", "smartphone_charge", "tree_month", "flight_par_lon"};
    for (size_t w = 0; w < sizeof wanted / sizeof wanted[0]; w++) {
        int found = 0;
        for (size_t i = 0; i < t->n; i++)
            found |= strcmp(t->rows[i].key, wanted[w]) == 0;
        if (!found)
            eco_test_fail(__FILE__, __LINE__, "no row '%s'", wanted[w]);
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct eco_equivalent *q = &t->rows[i];
        CHECK(q->g_per_unit > 0);
        CHECK(strlen(q->source) > 10);
        CHECK(strlen(q->basis) > 10);
        CHECK(q->year >= 2015 && q->year <= 2030);
        /* units in a plausible range: from a few grams to a flight */
        CHECK(q->g_per_unit >= 1 && q->g_per_unit <= 1e7);
    }
}

ECO_TEST(equivalents_count)
{
    const char *text = "key\tlabel\tg_co2e_per_unit\tbasis\tsource\tcite\tyear\n"
                       "car\tkm\t108.1\tb\ts\tEEA 2023\t2023\n";
    struct eco_equiv_table t;
    struct eco_err e;
    CHECK_INT(eco_equivalents_parse(text, strlen(text), "t", &t, &e), 0);
    CHECK_INT(t.n, 1);
    /* 1081 g / 108.1 g per km = 10 km */
    CHECK_NEAR(eco_equivalent_count(&t.rows[0], 1081), 10, 1e-12);
    CHECK_STR(t.rows[0].cite, "EEA 2023");
    CHECK_INT(t.rows[0].year, 2023);
    eco_equivalents_free(&t);
}

ECO_TEST(equivalents_refuse_bad_rows)
{
    const char *head = "key\tlabel\tg_co2e_per_unit\tbasis\tsource\tcite\tyear\n";
    const char *bad_rows[] = {
        "a\tx\t0\tb\ts\tc\t2020\n",
        "a\tx\t-3\tb\ts\tc\t2020\n",
        "a\tx\tabc\tb\ts\tc\t2020\n",
        "a\tx\t5\tb\t\tc\t2020\n",
        "a\tx\t5\tb\ts\tc\t1800\n",
        "a\tx\t5\tb\ts\tc\t2020\na\ty\t6\tb\ts\tc\t2021\n",
        "\tx\t5\tb\ts\tc\t2020\n",
    };
    for (size_t i = 0; i < sizeof bad_rows / sizeof bad_rows[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "%s%s", head, bad_rows[i]);
        struct eco_equiv_table t;
        struct eco_err e;
        eco_err_clear(&e);
        if (eco_equivalents_parse(text, strlen(text), "t", &t, &e) == 0)
            eco_test_fail(__FILE__, __LINE__, "accepted bad row %zu", i);
        CHECK(strstr(e.msg, "t:") != NULL); /* names the origin and line */
    }
    const char *no_col = "key\tlabel\tg\n a\tb\t1\n";
    struct eco_equiv_table t;
    struct eco_err e;
    CHECK_INT(eco_equivalents_parse(no_col, strlen(no_col), "t", &t, &e), -1);
}
