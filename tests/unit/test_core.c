/* Core helpers: durations, TSV tables, formats. */
#include <stdio.h>

#include "core/duration.h"
#include "core/format.h"
#include "core/suggest.h"
#include "core/tsv.h"
#include "core/units.h"
#include "test.h"

static double dur(const char *s)
{
    struct eco_err e;
    double v = -1;
    if (eco_parse_duration(s, &v, &e) != 0)
        return -1;
    return v;
}

ECO_TEST(duration_forms)
{
    CHECK_NEAR(dur("250ms"), 0.25, 1e-12);
    CHECK_NEAR(dur("500s"), 500, 1e-12);
    CHECK_NEAR(dur("90m"), 5400, 1e-12);
    CHECK_NEAR(dur("4h30m"), 16200, 1e-12);
    CHECK_NEAR(dur("1d"), 86400, 1e-12);
    CHECK_NEAR(dur("42"), 42, 1e-12);
    CHECK_NEAR(dur("1.5h"), 5400, 1e-12);
    CHECK_NEAR(dur("1h0m30s"), 3630, 1e-12);
    CHECK_NEAR(dur("0"), 0, 1e-12);
    CHECK_NEAR(dur(".5s"), 0.5, 1e-12);
    CHECK_NEAR(dur("36525d"), 3155760000.0, 1e-3); /* 100 years: the longest */
}

/* Issue 13: durations as people write them, and as ecometer prints them. */
ECO_TEST(duration_forms_people_write)
{
    CHECK_NEAR(dur("4h 30m"), 16200, 1e-12);
    CHECK_NEAR(dur("4h 30m 00s"), 16200, 1e-12);
    CHECK_NEAR(dur("1d 2h 03m 04s"), 93784, 1e-12);
    CHECK_NEAR(dur("12.34 s"), 12.34, 1e-12);
    CHECK_NEAR(dur("250 ms"), 0.25, 1e-12);
    CHECK_NEAR(dur("2 hours"), 7200, 1e-12);
    CHECK_NEAR(dur("1 hour 30 minutes"), 5400, 1e-12);
    CHECK_NEAR(dur("90min"), 5400, 1e-12);
    CHECK_NEAR(dur("90 Minutes"), 5400, 1e-12);
    CHECK_NEAR(dur("3 days"), 259200, 1e-12);
    CHECK_NEAR(dur("2 weeks"), 1209600, 1e-12);
    CHECK_NEAR(dur("45 secs"), 45, 1e-12);
    CHECK_NEAR(dur("2 years"), 2 * 365.25 * 86400, 1e-12);
    CHECK_NEAR(dur("01:30:00"), 5400, 1e-12);
    CHECK_NEAR(dur("100:00:00"), 360000, 1e-12); /* hours may exceed a day when first */
    CHECK_NEAR(dur("30:00"), 1800, 1e-12);        /* Slurm: minutes:seconds */
    CHECK_NEAR(dur("0:01.5"), 1.5, 1e-12);
    CHECK_NEAR(dur("2-03:00:00"), 183600, 1e-12); /* Slurm: days-hours:minutes:seconds */
    CHECK_NEAR(dur("2-03"), 183600, 1e-12);       /* days-hours */
    CHECK_NEAR(dur("1-00:30"), 88200, 1e-12);     /* days-hours:minutes */
    /* Every form eco_format_duration prints parses back to what it shows. */
    const double xs[] = {0.25, 12.34, 59.5, 330, 16200, 93784, 3155760000.0};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        char buf[64];
        eco_format_duration(xs[i], buf, sizeof buf);
        CHECK_NEAR(dur(buf), xs[i], 1e-9);
    }
}

ECO_TEST(duration_rejects_bad_people_forms)
{
    struct eco_err e;
    double v;
    const char *bad[] = {"4h 30", "1:60", "01:30:60", "1-24:00:00", "1:2:3:4", ":30", "30:",
                         "1.5:00", "2-", "-2-03", "2-3-4", "1:30 h", "4 h30", "2 hourz", "2  ",
                         "1 hour and 30 minutes", "30m 4h", "1-1.5", "1:00:00.5.5", "5 x", "h 5",
                         "12345678901:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eco_err_clear(&e);
        if (eco_parse_duration(bad[i], &v, &e) == 0)
            eco_test_fail(__FILE__, __LINE__, "accepted bad duration '%s' as %g", bad[i], v);
        CHECK_INT(e.code, 2);
        CHECK(e.hint[0] != 0);
    }
}

ECO_TEST(duration_rejects_bad_input)
{
    struct eco_err e;
    double v;
    const char *bad[] = {"", "-5", "-1h", "abc", "5x", "4h30", "30m4h", "h", "1.2.3s", "1e999",
                         /* issue 16: only the documented grammar, at most 100 years */
                         "1e300", "1e3s", "0x10", "0x10s", "+5", " 5", "5 ", ".", "inf", "nan",
                         "10000000000000000000d", "36525d1s", "5218w", "3155760001"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eco_err_clear(&e);
        if (eco_parse_duration(bad[i], &v, &e) == 0)
            eco_test_fail(__FILE__, __LINE__, "accepted bad duration '%s' as %g", bad[i], v);
        CHECK_INT(e.code, 2);
        CHECK(e.hint[0] != 0);
    }
}

ECO_TEST(tsv_parses_comments_and_rows)
{
    const char *text = "# comment\nname\tvalue\n\na\t1\n#x\nb\t\n";
    struct eco_tsv t;
    struct eco_err e;
    CHECK_INT(eco_tsv_parse(text, strlen(text), "t", &t, &e), 0);
    CHECK_INT(t.n_cols, 2);
    CHECK_INT(t.n_rows, 2);
    CHECK_STR(t.rows[0][0], "a");
    CHECK_STR(t.rows[1][1], "");
    CHECK_INT(t.line_of[1], 6);
    CHECK_INT(eco_tsv_col(&t, "value"), 1);
    CHECK_INT(eco_tsv_col(&t, "nope"), -1);
    eco_tsv_free(&t);
}

ECO_TEST(tsv_rejects_ragged_rows)
{
    const char *text = "a\tb\n1\t2\t3\n";
    struct eco_tsv t;
    struct eco_err e;
    CHECK(eco_tsv_parse(text, strlen(text), "x.tsv", &t, &e) != 0);
    CHECK(strstr(e.msg, "x.tsv:2") != NULL);
}

ECO_TEST(units_format)
{
    char b[64];
    CHECK_STR(eco_fmt_energy(3600, b, sizeof b), "1 Wh");
    CHECK_STR(eco_fmt_energy(7.2e6, b, sizeof b), "2 kWh");
    CHECK_STR(eco_fmt_mass(1500, b, sizeof b), "1.5 kg");
    CHECK_STR(eco_fmt_power(0.5, b, sizeof b), "500 mW");
}

ECO_TEST(format_names)
{
    enum eco_format f;
    struct eco_err e;
    CHECK_INT(eco_parse_format("json", &f, &e), 0);
    CHECK_INT(f, ECO_FMT_JSON);
    CHECK(eco_parse_format("xml", &f, &e) != 0);
    CHECK_INT(e.code, 2);
}

ECO_TEST(suggest_closest_command)
{
    const char *names[] = {"estimate", "hardware", "carbon", "run", "runs", "show", "export", "report", "top"};
    size_t n = sizeof names / sizeof names[0];
    CHECK_STR(eco_closest("exprot", names, n), "export");   /* two edits in six letters */
    CHECK_STR(eco_closest("estmate", names, n), "estimate");
    CHECK_STR(eco_closest("CARBON", names, n), "carbon");
    CHECK_STR(eco_closest("hard", names, n), "hardware");   /* a prefix of one name */
    CHECK(eco_closest("xyz", names, n) == NULL);            /* nothing near */
    CHECK_STR(eco_closest("rep", names, n), "report");      /* a prefix of one name */
    CHECK(eco_closest("r", names, n) == NULL);              /* one letter: no guess */
    CHECK(eco_closest("", names, n) == NULL);
}
