/* `ecometer carbon --best-window` (see carbon_window.h). */
#include "cli/carbon_window.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/duration.h"
#include "core/units.h"

/* The earliest start considered; *why says where it came from. */
static int start_from(const struct eco_window_request *q, const struct eco_series *s, double *from, const char **why)
{
    double now = (double)time(NULL);
    if (q->from && strcmp(q->from, "now") != 0) {
        char msg[256];
        if (eco_series_parse_time(q->from, 0, from, msg, sizeof msg) != 0)
            return eco_cli_usage_error("carbon", "--from %s: %s", q->from, msg);
        *why = "from --from";
        return 0;
    }
    if (q->from || eco_series_end(s) > now + q->dur_s) {
        *from = now;
        *why = "from now";
        return 0;
    }
    *from = -INFINITY;
    *why = "the series ends before now: every start in it";
    return 0;
}

static cJSON *window_json(const struct eco_series_window *w, double power_w)
{
    char t[40];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "start", eco_series_format_time(w->start, t, sizeof t));
    cJSON_AddStringToObject(o, "end", eco_series_format_time(w->end, t, sizeof t));
    cJSON_AddNumberToObject(o, "start_unix", w->start);
    cJSON_AddNumberToObject(o, "g_per_kwh", w->mean_g);
    if (power_w >= 0)
        cJSON_AddNumberToObject(o, "co2e_g", eco_series_window_co2e_g(w, power_w));
    return o;
}

static int print_json(const struct eco_window_request *q, const struct eco_series *s, const struct eco_series_window *b,
                      const struct eco_series_window *w, size_t tried, const char *why)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "series", s->name);
    cJSON_AddStringToObject(o, "format", eco_series_format_name(s->format));
    cJSON_AddStringToObject(o, "basis", s->format == ECO_SERIES_EMAPS ? eco_series_basis_name(s->basis) : "as written");
    cJSON_AddNumberToObject(o, "window_s", q->dur_s);
    cJSON_AddStringToObject(o, "starts", why);
    cJSON_AddNumberToObject(o, "candidates", (double)tried);
    cJSON_AddItemToObject(o, "best", window_json(b, q->power_w));
    cJSON_AddItemToObject(o, "worst", window_json(w, q->power_w));
    cJSON_AddNumberToObject(o, "saving_vs_worst_pct", eco_series_saving_pct(b, w));
    cJSON_AddStringToObject(o, "note", "arithmetic on the series: piecewise-constant intensity, windows it covers "
                                       "without a gap; not a forecast by ecometer");
    return eco_json_emit(stdout, o) == 0 ? 0 : ECO_EXIT_RUNTIME;
}

static void print_text(const struct eco_window_request *q, const struct eco_series *s,
                       const struct eco_series_window *b, const struct eco_series_window *w, const char *why)
{
    char t0[40], t1[40], d[32];
    printf("series        %s: %s (%s), %zu points, %zu gaps\n", s->name, eco_series_format_name(s->format),
           s->format == ECO_SERIES_EMAPS ? eco_series_basis_name(s->basis) : "as written", s->n, s->n_gaps);
    printf("window        %s, starts %s\n", eco_format_duration(q->dur_s, d, sizeof d), why);
    const struct eco_series_window *rows[2] = {b, w};
    for (int k = 0; k < 2; k++) {
        printf("%-13s %s .. %s  %.4g gCO2e/kWh", k ? "worst start" : "best start",
               eco_series_format_time(rows[k]->start, t0, sizeof t0), eco_series_format_time(rows[k]->end, t1, sizeof t1),
               rows[k]->mean_g);
        if (q->power_w >= 0) {
            char m[32];
            printf(", %s at %g W", eco_fmt_mass(eco_series_window_co2e_g(rows[k], q->power_w), m, sizeof m),
                   q->power_w);
        }
        putchar('\n');
    }
    printf("difference    the best start emits %.1f%% less than the worst\n", eco_series_saving_pct(b, w));
    puts("note          arithmetic on the series (each point holds until the next; windows it covers without a gap);"
         " not a forecast by ecometer");
}

int eco_carbon_best_window(const struct eco_window_request *q)
{
    struct eco_series s;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_series_load(q->series, q->basis, &s, &err) != 0)
        return eco_err_print(&err);
    double from;
    const char *why;
    int rc = start_from(q, &s, &from, &why);
    if (rc != 0) {
        eco_series_free(&s);
        return rc;
    }
    struct eco_series_window best, worst;
    size_t tried = eco_series_best_window(&s, q->dur_s, from, INFINITY, &best, &worst);
    if (tried == 0) {
        char d[32];
        fprintf(stderr, "ecometer: no window of %s in %s (%s) without a gap\n",
                eco_format_duration(q->dur_s, d, sizeof d), q->series, why);
        fprintf(stderr, "ecometer: hint: a shorter --best-window, an earlier --from, or a series covering more time\n");
        eco_series_free(&s);
        return ECO_EXIT_USAGE;
    }
    if (q->fmt == ECO_FMT_JSON)
        rc = print_json(q, &s, &best, &worst, tried, why);
    else
        print_text(q, &s, &best, &worst, why);
    eco_series_free(&s);
    return rc;
}
