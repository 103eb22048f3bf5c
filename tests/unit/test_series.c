/* Intensity series (src/carbon/series*.c): timestamps to UTC instants
 * (offsets, DST changes written with their offsets, unix seconds), both
 * readers (simple CSV, Electricity Maps' two header generations), bounds and
 * errors with line numbers, gaps, the exact time-mean over an interval that
 * straddles boundaries, and the best window on a series worked by hand.
 * Instants checked against Python's calendar.timegm (2026-03-29T00:00:00Z =
 * 1774742400; 2026-10-25T00:00:00Z = 1792886400). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon/series.h"
#include "test.h"

static int parse(const char *text, enum eco_series_basis b, struct eco_series *s, struct eco_err *err)
{
    eco_err_clear(err);
    return eco_series_parse(text, strlen(text), "t.csv", b, s, err);
}

ECO_TEST(series_time_iso_offsets_and_unix)
{
    double t;
    char why[256];
    CHECK(eco_series_parse_time("2026-03-29T00:00:00Z", 0, &t, why, sizeof why) == 0);
    CHECK(t == 1774742400.0);
    CHECK(eco_series_parse_time("2026-03-29T01:00:00+01:00", 0, &t, why, sizeof why) == 0);
    CHECK(t == 1774742400.0);
    CHECK(eco_series_parse_time("2026-03-28 19:00-0500", 0, &t, why, sizeof why) == 0);
    CHECK(t == 1774742400.0);
    CHECK(eco_series_parse_time("2026-03-29T00:00:00.5Z", 0, &t, why, sizeof why) == 0);
    CHECK(t == 1774742400.5);
    CHECK(eco_series_parse_time("1774742400", 0, &t, why, sizeof why) == 0);
    CHECK(t == 1774742400.0);
    /* no zone: refused unless the column says UTC */
    CHECK(eco_series_parse_time("2026-03-29 02:30:00", 0, &t, why, sizeof why) < 0);
    CHECK(strstr(why, "no time zone") != NULL);
    CHECK(eco_series_parse_time("2026-03-29 00:00:00", 1, &t, why, sizeof why) == 0);
    CHECK(t == 1774742400.0);
    /* impossible dates and times, milliseconds */
    CHECK(eco_series_parse_time("2026-02-29T00:00Z", 0, &t, why, sizeof why) < 0);
    CHECK(eco_series_parse_time("2024-02-29T00:00Z", 0, &t, why, sizeof why) == 0);
    CHECK(eco_series_parse_time("2026-03-29T24:00Z", 0, &t, why, sizeof why) < 0);
    CHECK(eco_series_parse_time("2026-03-29T00:00+19:00", 0, &t, why, sizeof why) < 0);
    CHECK(eco_series_parse_time("1774742400000", 0, &t, why, sizeof why) < 0);
    CHECK(strstr(why, "milliseconds") != NULL);
    char buf[32];
    CHECK_STR(eco_series_format_time(1774742400.0, buf, sizeof buf), "2026-03-29T00:00:00Z");
}

/* Paris springs forward at 01:00Z on 2026-03-29 (02:00 -> 03:00 local) and
 * falls back at 01:00Z on 2026-10-25 (03:00 -> 02:00): hourly rows written
 * in local time with their offsets are contiguous UTC hours, no gap, no
 * overlap; the repeated 02:00 in October is two instants. */
ECO_TEST(series_dst_changes_are_contiguous_in_utc)
{
    struct eco_series s;
    struct eco_err err;
    CHECK(parse("timestamp,g_per_kwh\n"
                "2026-03-29T00:00:00+01:00,100\n2026-03-29T01:00:00+01:00,200\n"
                "2026-03-29T03:00:00+02:00,300\n2026-03-29T04:00:00+02:00,400\n",
                ECO_SERIES_LIFECYCLE, &s, &err) == 0);
    CHECK_INT(s.n, 4);
    CHECK(s.step_s == 3600);
    CHECK_INT(s.n_gaps, 0);
    CHECK(s.p[2].t - s.p[1].t == 3600);
    CHECK(s.p[0].t == 1774738800.0);
    eco_series_free(&s);
    CHECK(parse("2026-10-25T01:00:00+02:00,10\n2026-10-25T02:00:00+02:00,20\n"
                "2026-10-25T02:00:00+01:00,30\n2026-10-25T03:00:00+01:00,40\n",
                ECO_SERIES_LIFECYCLE, &s, &err) == 0);
    CHECK_INT(s.n, 4);
    CHECK_INT(s.n_gaps, 0);
    CHECK(s.p[2].t == 1792886400.0 + 3600);
    eco_series_free(&s);
    /* the same autumn rows without offsets: refused, naming the line */
    CHECK(parse("timestamp,g\n2026-10-25 02:00:00,20\n", ECO_SERIES_LIFECYCLE, &s, &err) < 0);
    CHECK(strstr(err.msg, "line 2") && strstr(err.msg, "no time zone"));
}

ECO_TEST(series_gap_is_counted_and_filled_by_the_fallback)
{
    struct eco_series s;
    struct eco_err err;
    /* hourly, the 02:00 row missing and the 04:00 value empty */
    CHECK(parse("2026-01-01T00:00Z,100\n2026-01-01T01:00Z,200\n2026-01-01T03:00Z,300\n"
                "2026-01-01T04:00Z,\n2026-01-01T05:00Z,500\n",
                ECO_SERIES_LIFECYCLE, &s, &err) == 0);
    CHECK_INT(s.n, 4);
    CHECK_INT(s.n_empty, 1);
    CHECK_INT(s.n_gaps, 2);
    CHECK(s.gap_s == 7200);
    double t0 = s.p[0].t, unc;
    /* 01:30..03:30: half an hour at 200, an hour of gap at 50, half an hour at 300 */
    CHECK_NEAR(eco_series_mean_g(&s, t0 + 5400, t0 + 12600, 50, &unc), (0.5 * 200 + 1 * 50 + 0.5 * 300) / 2, 1e-12);
    CHECK(unc == 3600);
    /* before the series and after its end (05:00 + 1 h) */
    CHECK_NEAR(eco_series_mean_g(&s, t0 - 3600, t0 + 3600, 50, &unc), 75, 1e-12);
    CHECK(unc == 3600);
    CHECK(eco_series_end(&s) == t0 + 6 * 3600);
    CHECK_NEAR(eco_series_mean_g(&s, t0 + 5.5 * 3600, t0 + 6.5 * 3600, 0, &unc), 250, 1e-12);
    /* an instant */
    CHECK(eco_series_mean_g(&s, t0 + 1800, t0 + 1800, 50, &unc) == 100);
    CHECK(eco_series_mean_g(&s, t0 + 2.5 * 3600, t0 + 2.5 * 3600, 50, &unc) == 50);
    eco_series_free(&s);
}

/* A sample that straddles a boundary: its energy splits by time. */
ECO_TEST(series_mean_straddling_boundaries_is_exact)
{
    struct eco_series s;
    struct eco_err err;
    CHECK(parse("1774742400,100\n1774742700,400\n1774743000,100\n", ECO_SERIES_LIFECYCLE, &s, &err) == 0);
    CHECK(s.step_s == 300);
    double t0 = 1774742400;
    /* 200 s at 100, 300 s at 400, 100 s at 100 */
    CHECK_NEAR(eco_series_mean_g(&s, t0 + 100, t0 + 700, 0, NULL), (200 * 100 + 300 * 400 + 100 * 100) / 600.0,
               1e-12);
    eco_series_free(&s);
}

ECO_TEST(series_electricity_maps_both_header_generations)
{
    struct eco_series s;
    struct eco_err err;
    const char *v1 = "Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO\xe2\x82\x82" "eq/kWh (direct),"
                     "Carbon Intensity gCO\xe2\x82\x82" "eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,"
                     "Data Source,Data Estimated,Data Estimation Method\n"
                     "2022-01-01 00:00:00,France,France,FR,40.1,70.5,90,20,entsoe.eu,false,\n"
                     "2022-01-01 01:00:00,France,France,FR,42,72,90,20,entsoe.eu,true,TIME_SLICER_AVERAGE\n";
    CHECK(parse(v1, ECO_SERIES_LIFECYCLE, &s, &err) == 0);
    CHECK(s.format == ECO_SERIES_EMAPS);
    CHECK_INT(s.n, 2);
    CHECK(s.p[0].g == 70.5 && s.p[1].g == 72);
    CHECK(s.p[0].t == 1640995200.0);
    CHECK_INT(s.n_estimated, 1);
    eco_series_free(&s);
    CHECK(parse(v1, ECO_SERIES_DIRECT, &s, &err) == 0);
    CHECK(s.p[0].g == 40.1);
    eco_series_free(&s);
    const char *v2 = "\xEF\xBB\xBF" "Datetime (UTC),Country,Zone name,Zone id,Carbon intensity gCO\xe2\x82\x82"
                     "eq/kWh (direct),Carbon intensity gCO\xe2\x82\x82" "eq/kWh (Life cycle),"
                     "Carbon-free energy percentage (CFE%),Renewable energy percentage (RE%),Data source,"
                     "Data estimated,Data estimation method\r\n"
                     "2024-01-01 00:00:00,Germany,Germany,DE,300,350,50,45,\"entsoe.eu, opennem\",false,\r\n"
                     "2024-01-01 00:05:00,Germany,Germany,DE,310,360,50,45,entsoe.eu,false,\r\n"
                     "2024-01-01 00:10:00,Germany,Germany,DE,,,50,45,entsoe.eu,false,\r\n"
                     "2024-01-01 00:15:00,Germany,Germany,DE,320,370,50,45,entsoe.eu,false,\r\n";
    CHECK(parse(v2, ECO_SERIES_LIFECYCLE, &s, &err) == 0);
    CHECK_INT(s.n, 3);
    CHECK(s.step_s == 300);
    CHECK_INT(s.n_empty, 1);
    CHECK_INT(s.n_gaps, 1);
    CHECK(s.p[2].g == 370);
    CHECK(s.p[0].t == 1704067200.0);
    eco_series_free(&s);
    /* the column asked for is missing */
    CHECK(parse("Datetime (UTC),Carbon intensity gCO2eq/kWh (direct)\n2024-01-01 00:00:00,1\n",
                ECO_SERIES_LIFECYCLE, &s, &err) < 0);
    CHECK(strstr(err.msg, "lifecycle") && strstr(err.msg, "--series-basis"));
}

ECO_TEST(series_errors_name_the_line)
{
    struct eco_series s;
    struct eco_err err;
    CHECK(parse("t,g\n2026-01-01T01:00Z,1\n2026-01-01T00:00Z,2\n", ECO_SERIES_LIFECYCLE, &s, &err) < 0);
    CHECK(strstr(err.msg, "line 3") && strstr(err.msg, "line 2"));
    CHECK(parse("2026-01-01T00:00Z,1\n2026-01-01T00:00Z,2\n", ECO_SERIES_LIFECYCLE, &s, &err) < 0);
    CHECK(strstr(err.msg, "same instant"));
    CHECK(parse("2026-01-01T00:00Z,1\n2026-01-01T01:00Z,abc\n", ECO_SERIES_LIFECYCLE, &s, &err) < 0);
    CHECK(strstr(err.msg, "line 2") && strstr(err.msg, "abc"));
    CHECK(parse("2026-01-01T00:00Z,1\n2026-01-01T01:00Z,-3\n", ECO_SERIES_LIFECYCLE, &s, &err) < 0);
    /* the rule of --carbon-intensity: decimal only (strtod alone read 0x10 as 16 here) */
    CHECK(parse("2026-01-01T00:00Z,1\n2026-01-01T01:00Z,0x10\n", ECO_SERIES_LIFECYCLE, &s, &err) < 0);
    CHECK(strstr(err.msg, "line 2") && strstr(err.msg, "0x10"));
    CHECK(parse("2026-01-01T00:00Z,1\n2026-01-01T01:00Z,1,2\n", ECO_SERIES_LIFECYCLE, &s, &err) < 0);
    CHECK(strstr(err.msg, "line 2") && strstr(err.msg, "3 fields"));
    CHECK(parse("2026-01-01T00:00Z,1\n", ECO_SERIES_LIFECYCLE, &s, &err) < 0);
    CHECK(strstr(err.msg, "only one point"));
    CHECK(parse("timestamp,g_per_kwh\n", ECO_SERIES_LIFECYCLE, &s, &err) < 0);
    CHECK(strstr(err.msg, "no data rows"));
    char long_line[ECO_SERIES_MAX_LINE + 64];
    memset(long_line, 'x', sizeof long_line - 1);
    long_line[sizeof long_line - 1] = '\0';
    CHECK(parse(long_line, ECO_SERIES_LIFECYCLE, &s, &err) < 0);
    CHECK(strstr(err.msg, "line 1") && strstr(err.msg, "longer than"));
    CHECK(eco_series_parse("a\0b", 3, "t.csv", ECO_SERIES_LIFECYCLE, &s, &err) < 0);
    CHECK(strstr(err.msg, "NUL"));
}

/* Hourly 500, 100, 400, 300, 300, 300 from t0. A 90-minute window:
 * starting at 1 h gives 1 h at 100 + 0.5 h at 400 = 200 g/kWh mean, the
 * lowest (a start at 0.5 h: (0.5x500 + 1x100)/1.5 = 233.3; at 1.5 h:
 * (0.5x100 + 1x400)/1.5 = 300); the worst starts at 0: (500 + 0.5x100)/1.5. */
ECO_TEST(series_best_window_exact_on_a_known_series)
{
    struct eco_series s;
    struct eco_err err;
    CHECK(parse("2026-01-01T00:00Z,500\n2026-01-01T01:00Z,100\n2026-01-01T02:00Z,400\n"
                "2026-01-01T03:00Z,300\n2026-01-01T04:00Z,300\n2026-01-01T05:00Z,300\n",
                ECO_SERIES_LIFECYCLE, &s, &err) == 0);
    double t0 = s.p[0].t;
    struct eco_series_window best, worst;
    CHECK(eco_series_best_window(&s, 5400, -INFINITY, INFINITY, &best, &worst) > 0);
    CHECK(best.start == t0 + 3600);
    CHECK(best.end == t0 + 3600 + 5400);
    CHECK_NEAR(best.mean_g, 200, 1e-12);
    CHECK(worst.start == t0);
    CHECK_NEAR(worst.mean_g, 550 / 1.5, 1e-12);
    /* starts from 2 h on: the flat 300 tail, its earliest start */
    CHECK(eco_series_best_window(&s, 5400, t0 + 7200, INFINITY, &best, &worst) > 0);
    CHECK(best.start == t0 + 3 * 3600);
    CHECK_NEAR(best.mean_g, 300, 1e-12);
    /* longer than the series: no window */
    CHECK(eco_series_best_window(&s, 7 * 3600, -INFINITY, INFINITY, &best, &worst) == 0);
    eco_series_free(&s);
    /* a gap: windows never cross it (1 h at 10 beside the gap would look
     * cheapest if the gap counted as nothing) */
    CHECK(parse("2026-01-01T00:00Z,900\n2026-01-01T01:00Z,10\n2026-01-01T03:00Z,20\n2026-01-01T04:00Z,900\n",
                ECO_SERIES_LIFECYCLE, &s, &err) == 0);
    CHECK(eco_series_best_window(&s, 2 * 3600, -INFINITY, INFINITY, &best, &worst) > 0);
    CHECK(best.start == s.p[0].t);
    CHECK_NEAR(best.mean_g, 455, 1e-12);
    CHECK(worst.start == s.p[2].t);
    CHECK_NEAR(worst.mean_g, 460, 1e-12);
    eco_series_free(&s);
}

/* Against brute force: on a pseudo-random 5-minute series with gaps, no
 * start on a 1-minute grid (nor any point boundary) has a lower or higher
 * gap-free window mean than the search's answers, whose means equal the
 * window's time-mean. */
ECO_TEST(series_best_window_matches_brute_force)
{
    char *text = malloc(64 * 600);
    size_t o = 0;
    unsigned x = 12345;
    for (int i = 0; i < 600; i++) {
        x = x * 1103515245u + 12345u;
        if (i % 97 == 50)
            continue; /* a gap */
        o += (size_t)snprintf(text + o, 64, "%d,%u\n", 1767225600 + 300 * i, (x >> 16) % 700);
    }
    struct eco_series s;
    struct eco_err err;
    CHECK(parse(text, ECO_SERIES_LIFECYCLE, &s, &err) == 0);
    free(text);
    const double dur = 47 * 60; /* not a multiple of the step */
    struct eco_series_window best, worst;
    CHECK(eco_series_best_window(&s, dur, -INFINITY, INFINITY, &best, &worst) > 0);
    CHECK_NEAR(best.mean_g, eco_series_mean_g(&s, best.start, best.end, 0, NULL), 1e-12);
    CHECK_NEAR(worst.mean_g, eco_series_mean_g(&s, worst.start, worst.end, 0, NULL), 1e-12);
    size_t windows = 0;
    for (double t = s.p[0].t; t + dur <= eco_series_end(&s); t += 60) {
        double unc, m = eco_series_mean_g(&s, t, t + dur, 0, &unc);
        if (unc > 0)
            continue;
        windows++;
        CHECK(m >= best.mean_g - 1e-9 && m <= worst.mean_g + 1e-9);
    }
    CHECK(windows > 1000);
    eco_series_free(&s);
}
