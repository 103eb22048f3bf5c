/* `ecometer carbon [REGION]`: list the carbon-intensity table, or show one
 * row. Thin: the table and lookups live in src/carbon/. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carbon/intensity.h"
#include "cli/carbon_window.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "core/numparse.h"
#include "core/duration.h"
#include "core/texttable.h"
#include "render/region_json.h"

static void help(FILE *out)
{
    fputs("usage: ecometer carbon [REGION] [--kind KIND] [--format text|json|csv]\n"
         "       ecometer carbon --best-window D --series FILE [--from TIME] [--power W]\n"
         "                       [--series-basis lifecycle|direct] [--format text|json]\n"
         "\n"
         "Carbon intensity of electricity (gCO2e/kWh, yearly average) by country, US state,\n"
         "Canadian province, Australian state and cloud region (AWS, Google Cloud, Azure).\n"
         "\n"
         "Without REGION, list every row (sorted by code). With REGION, show that row.\n"
         "REGION is a code (FR, US-CA, CA-QC, AU-NSW, aws:eu-west-3, gcp:europe-west1,\n"
         "azure:francecentral), a name (France), or a bare cloud region name (eu-west-3);\n"
         "case does not matter.\n"
         "\n"
         "options:\n"
         "  --kind KIND      list only: world, country, us-state, ca-province, au-state, cloud,\n"
         "                   union (the EU-27 aggregate)\n"
         "  --format FMT     text (default), json or csv\n"
         "\n"
         "Cloud regions use the figure of the grid they sit on (column grid).\n"
         "ECOMETER_CARBON_TABLE=FILE adds or replaces rows (same TSV columns as the\n"
         "built-in table: code name kind grid g_per_kwh source year).\n"
         "Sources and method: docs/METHODOLOGY.md, section \"Carbon intensity\".\n"
         "\n"
         "--best-window D --series FILE: for planning, the start in an intensity series (a\n"
         "timestamp,g_per_kwh CSV or an Electricity Maps export, e.g. a forecast for the next\n"
         "days) where a job of length D would emit least, and the worst one: arithmetic on\n"
         "the series (each point holds until the next; windows it covers without a gap),\n"
         "exact for piecewise-constant intensity. Starts from --from TIME (ISO 8601 with a\n"
         "zone, unix seconds, or now); by default from now when the series reaches past now,\n"
         "else every start in it. --power W also gives grams for a job drawing W watts.\n"
         "Method: docs/METHODOLOGY.md, section \"Carbon intensity over time\".\n", out);
}

static int known_kind(const char *k)
{
    for (size_t i = 0; eco_region_kinds[i]; i++)
        if (strcmp(eco_region_kinds[i], k) == 0)
            return 1;
    return 0;
}

static void csv_header(void)
{
    puts("code,name,kind,g_per_kwh,grid,source,year");
}

static void csv_row(const struct eco_region *r)
{
    eco_csv_field(stdout, r->code);
    putchar(',');
    eco_csv_field(stdout, r->name);
    putchar(',');
    eco_csv_field(stdout, r->kind);
    printf(",%.6g,", r->g_per_kwh);
    eco_csv_field(stdout, r->grid);
    putchar(',');
    eco_csv_field(stdout, r->source);
    printf(",%d\n", r->year);
}

static int show_one(const struct eco_region *r, enum eco_format fmt)
{
    if (fmt == ECO_FMT_JSON)
        return eco_json_emit(stdout, eco_region_json(r)) == 0 ? 0 : ECO_EXIT_RUNTIME;
    if (fmt == ECO_FMT_CSV) {
        csv_header();
        csv_row(r);
        return 0;
    }
    printf("code:       %s\n", r->code);
    printf("name:       %s\n", r->name);
    printf("kind:       %s\n", r->kind);
    printf("intensity:  %.6g gCO2e/kWh\n", r->g_per_kwh);
    if (*r->grid)
        printf("grid:       %s\n", r->grid);
    printf("source:     %s\n", r->source);
    printf("year:       %d\n", r->year);
    return 0;
}

static int list(const char *kind, enum eco_format fmt)
{
    size_t n;
    const struct eco_region *rows = eco_region_table(&n);
    if (fmt == ECO_FMT_JSON) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < n; i++)
            if (!kind || strcmp(rows[i].kind, kind) == 0)
                cJSON_AddItemToArray(arr, eco_region_json(&rows[i]));
        return eco_json_emit(stdout, arr) == 0 ? 0 : ECO_EXIT_RUNTIME;
    }
    if (fmt == ECO_FMT_CSV) {
        csv_header();
        for (size_t i = 0; i < n; i++)
            if (!kind || strcmp(rows[i].kind, kind) == 0)
                csv_row(&rows[i]);
        return 0;
    }
    const char *head[] = {"code", "name", "kind", ">gCO2e/kWh", "grid", ">year"};
    struct eco_table *t = eco_table_new(6, head);
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        const struct eco_region *r = &rows[i];
        if (kind && strcmp(r->kind, kind) != 0)
            continue;
        char g[32], y[16];
        snprintf(g, sizeof g, "%.0f", r->g_per_kwh);
        snprintf(y, sizeof y, "%d", r->year);
        const char *cells[] = {r->code, r->name, r->kind, g, r->grid, y};
        eco_table_row(t, cells);
        shown++;
    }
    eco_table_print(t, stdout);
    eco_table_free(t);
    printf("%zu regions. 'ecometer carbon REGION' shows a row with its source.\n", shown);
    return 0;
}

enum { O_KIND = ECO_O_OWN, O_BEST_WINDOW, O_SERIES, O_FROM, O_POWER };
static const struct eco_opt options[] = {
    {"--kind", NULL, "KIND", O_KIND, 0, NULL}, ECO_OPT_USE(format),
    {"--best-window", NULL, "D", O_BEST_WINDOW, 0, NULL}, {"--series", NULL, "FILE", O_SERIES, 0, NULL},
    {"--from", NULL, "TIME", O_FROM, 0, NULL}, {"--power", NULL, "W", O_POWER, 0, NULL},
    ECO_OPT_USE(series_basis), ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_carbon = {"carbon", options, NULL, help};

struct carbon_args {
    enum eco_format fmt;
    const char *kind, *region, *window;
    struct eco_window_request q;
};

/* --best-window, --series, --series-basis, --from, --power: 0, the usage
 * exit code, or ECO_OPTS_GO_ON when the id is not one of them. */
static int window_option(struct carbon_args *a, int id, const char *v)
{
    struct eco_err err;
    eco_err_clear(&err);
    switch (id) {
    case O_BEST_WINDOW: a->window = v; return 0;
    case O_SERIES: a->q.series = v; return 0;
    case O_FROM: a->q.from = v; return 0;
    case ECO_O_SERIES_BASIS: return eco_series_basis_parse(v, &a->q.basis, &err) != 0 ? eco_err_print(&err) : 0;
    case O_POWER:
        if (eco_num_double(v, 0, 1e7, 0, &a->q.power_w) != ECO_NUM_OK)
            return eco_cli_usage_error("carbon", "--power %s: give watts (e.g. 300)", v);
        return 0;
    default: return ECO_OPTS_GO_ON;
    }
}

static int best_window(struct carbon_args *a)
{
    struct eco_err err;
    eco_err_clear(&err);
    if (!a->window || !a->q.series)
        return eco_cli_usage_error("carbon", "--best-window D and --series FILE go together");
    if (a->region || a->kind)
        return eco_cli_usage_error("carbon", "--best-window plans on a series; it takes no REGION or --kind");
    if (eco_duration_arg("--best-window", a->window, ECO_DURATION_ABOVE_0, 366 * 86400.0, &a->q.dur_s, &err) != 0)
        return eco_err_print(&err);
    if (a->fmt == ECO_FMT_CSV)
        return eco_cli_usage_error("carbon", "--best-window prints text or json");
    a->q.fmt = a->fmt;
    return eco_carbon_best_window(&a->q);
}

static int take(void *ctx, int id, const char *v)
{
    struct carbon_args *a = ctx;
    struct eco_err err;
    eco_err_clear(&err);
    if (id == ECO_O_FORMAT)
        return eco_parse_format(v, &a->fmt, &err) != 0 ? eco_err_print(&err) : 0;
    int rc = window_option(a, id, v);
    if (rc != ECO_OPTS_GO_ON)
        return rc;
    if (id == O_KIND) {
        if (!known_kind(v))
            return eco_cli_usage_error("carbon", "unknown kind '%s' (kinds: country, us-state, "
                                                 "ca-province, au-state, cloud, union, world)", v);
        a->kind = v;
        return 0;
    }
    if (a->region)
        return eco_cli_usage_error("carbon", "give one region, not '%s' and '%s'", a->region, v);
    a->region = v;
    return 0;
}

int eco_cmd_carbon(int argc, char **argv)
{
    struct carbon_args a = {.fmt = ECO_FMT_TEXT, .q = {.power_w = -1}};
    int rc = eco_opts_parse(&eco_opts_carbon, argc, argv, take, &a, NULL);
    if (rc != ECO_OPTS_GO_ON)
        return rc;
    if (a.window || a.q.series)
        return best_window(&a);
    enum eco_format fmt = a.fmt;
    const char *kind = a.kind, *region = a.region;
    struct eco_err err;
    eco_err_clear(&err);
    if (region && kind)
        return eco_cli_usage_error("carbon", "--kind filters the list; it cannot be used with a REGION");
    if (eco_carbon_load(&err) != 0)
        return eco_err_print(&err);
    if (!region)
        return list(kind, fmt);
    const struct eco_region *r = eco_region_find(region, &err);
    if (!r)
        return eco_err_print(&err);
    return show_one(r, fmt);
}
