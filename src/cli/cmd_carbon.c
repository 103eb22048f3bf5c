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
#include "core/duration.h"
#include "core/texttable.h"

static void help(void)
{
    puts("usage: ecometer carbon [REGION] [--kind KIND] [--format text|json|csv]\n"
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
         "  --kind KIND      list only: world, country, us-state, ca-province, au-state, cloud\n"
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
         "Method: docs/METHODOLOGY.md, section \"Carbon intensity over time\".");
}

static int known_kind(const char *k)
{
    for (size_t i = 0; eco_region_kinds[i]; i++)
        if (strcmp(eco_region_kinds[i], k) == 0)
            return 1;
    return 0;
}

static cJSON *row_json(const struct eco_region *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", r->code);
    cJSON_AddStringToObject(o, "name", r->name);
    cJSON_AddStringToObject(o, "kind", r->kind);
    cJSON_AddNumberToObject(o, "g_per_kwh", r->g_per_kwh);
    if (*r->grid)
        cJSON_AddStringToObject(o, "grid", r->grid);
    else
        cJSON_AddNullToObject(o, "grid");
    cJSON_AddStringToObject(o, "source", r->source);
    cJSON_AddNumberToObject(o, "year", r->year);
    return o;
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
        return eco_json_emit(stdout, row_json(r)) == 0 ? 0 : ECO_EXIT_RUNTIME;
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
                cJSON_AddItemToArray(arr, row_json(&rows[i]));
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

/* --best-window, --series, --series-basis, --from, --power ("--x v" or
 * "--x=v"): 1 if taken, 0 if not one of them, -1 after a usage error. */
static int window_option(int argc, char **argv, int *i, struct eco_window_request *q, const char **window)
{
    static const char *const names[] = {"--best-window", "--series", "--series-basis", "--from", "--power"};
    const char *a = argv[*i], *v = NULL;
    size_t k = 0;
    for (; k < sizeof names / sizeof names[0]; k++) {
        size_t n = strlen(names[k]);
        if (strncmp(a, names[k], n) == 0 && (a[n] == '=' || a[n] == '\0')) {
            v = a[n] == '=' ? a + n + 1 : *i + 1 < argc ? argv[++*i] : NULL;
            break;
        }
    }
    if (k == sizeof names / sizeof names[0])
        return 0;
    if (!v)
        return eco_cli_usage_error("carbon", "%s needs a value", names[k]), -1;
    struct eco_err err;
    eco_err_clear(&err);
    char *end;
    switch (k) {
    case 0: *window = v; break;
    case 1: q->series = v; break;
    case 2: return eco_series_basis_parse(v, &q->basis, &err) == 0 ? 1 : (eco_err_print(&err), -1);
    case 3: q->from = v; break;
    default:
        q->power_w = strtod(v, &end);
        if (end == v || *end || !(q->power_w >= 0 && q->power_w <= 1e7))
            return eco_cli_usage_error("carbon", "--power %s: give watts (e.g. 300)", v), -1;
    }
    return 1;
}

static int best_window(struct eco_window_request *q, const char *window, int listing, enum eco_format fmt)
{
    struct eco_err err;
    eco_err_clear(&err);
    if (!window || !q->series)
        return eco_cli_usage_error("carbon", "--best-window D and --series FILE go together");
    if (listing)
        return eco_cli_usage_error("carbon", "--best-window plans on a series; it takes no REGION or --kind");
    if (eco_parse_duration(window, &q->dur_s, &err) != 0 || !(q->dur_s > 0) || q->dur_s > 366 * 86400.0)
        return eco_cli_usage_error("carbon", "--best-window %s: give a duration up to a year (e.g. 4h, 90m)", window);
    if (fmt == ECO_FMT_CSV)
        return eco_cli_usage_error("carbon", "--best-window prints text or json");
    q->fmt = fmt;
    return eco_carbon_best_window(q);
}

int eco_cmd_carbon(int argc, char **argv)
{
    if (eco_cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    enum eco_format fmt = ECO_FMT_TEXT;
    const char *kind = NULL, *region = NULL, *window = NULL;
    struct eco_window_request q = {.power_w = -1};
    struct eco_err err;
    eco_err_clear(&err);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        int rc = window_option(argc, argv, &i, &q, &window);
        if (rc != 0) {
            if (rc < 0)
                return ECO_EXIT_USAGE;
            continue;
        }
        if (strcmp(a, "--format") == 0 || strcmp(a, "--kind") == 0) {
            if (i + 1 >= argc)
                return eco_cli_usage_error("carbon", "%s needs a value", a);
            val = argv[++i];
        } else if (strncmp(a, "--format=", 9) == 0 || strncmp(a, "--kind=", 7) == 0) {
            val = strchr(a, '=') + 1;
        }
        if (val && strncmp(a, "--format", 8) == 0) {
            if (eco_parse_format(val, &fmt, &err) != 0)
                return eco_err_print(&err);
        } else if (val) {
            if (!known_kind(val))
                return eco_cli_usage_error("carbon", "unknown kind '%s' (kinds: country, us-state, "
                                                     "ca-province, au-state, cloud, world)", val);
            kind = val;
        } else if (strcmp(a, "--") == 0 && i + 1 < argc && !region && i + 2 == argc) {
            region = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return eco_cli_usage_error("carbon", "unknown option '%s'", a);
        } else if (region) {
            return eco_cli_usage_error("carbon", "give one region, not '%s' and '%s'", region, a);
        } else {
            region = a;
        }
    }
    if (window || q.series)
        return best_window(&q, window, region || kind, fmt);
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
