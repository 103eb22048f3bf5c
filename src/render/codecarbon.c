#include "render/codecarbon.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "carbon/intensity.h"
#include "carbon/iso3166.h"
#include "core/format.h"
#include "core/units.h"
#include "meter/run_derive.h"

/* Every column of CodeCarbon's emissions.csv, in the order its CSV output
 * writes them (codecarbon/output_methods/emissions_data.py, class
 * EmissionsData), with the layouts that hold it: CC3 = 3.x (3.0 to 3.3),
 * CC24 = 2.4 to 2.8 (before water, utilisation and wue), CC20 = 2.0 to 2.3
 * (no experiment_id: recognised in a file's header to say what it is, never
 * written). A layout is the rows with its bit, in this order. */
enum { CC3 = 1, CC24 = 2, CC20 = 4, ALL = CC3 | CC24 | CC20 };
static const struct cc_column {
    const char *name;
    unsigned in; /* CC3 | CC24 | CC20: the layouts that hold it */
} columns[ECO_CODECARBON_MAX_COLUMNS] = {
    {"timestamp", ALL}, {"project_name", ALL}, {"run_id", ALL}, {"experiment_id", CC3 | CC24},
    {"duration", ALL}, {"emissions", ALL}, {"emissions_rate", ALL}, {"cpu_power", ALL}, {"gpu_power", ALL},
    {"ram_power", ALL}, {"cpu_energy", ALL}, {"gpu_energy", ALL}, {"ram_energy", ALL},
    {"energy_consumed", ALL}, {"water_consumed", CC3}, {"country_name", ALL}, {"country_iso_code", ALL},
    {"region", ALL}, {"cloud_provider", ALL}, {"cloud_region", ALL}, {"os", ALL}, {"python_version", ALL},
    {"codecarbon_version", ALL}, {"cpu_count", ALL}, {"cpu_model", ALL}, {"gpu_count", ALL},
    {"gpu_model", ALL}, {"longitude", ALL}, {"latitude", ALL}, {"ram_total_size", ALL},
    {"tracking_mode", ALL}, {"cpu_utilization_percent", CC3}, {"gpu_utilization_percent", CC3},
    {"ram_utilization_percent", CC3}, {"ram_used_gb", CC3}, {"on_cloud", ALL}, {"pue", ALL}, {"wue", CC3},
};

/* The columns of the layouts in `mask` (one bit), in order, into cols; their count. */
static size_t layout(unsigned mask, const char **cols)
{
    size_t n = 0;
    for (size_t i = 0; i < ECO_CODECARBON_MAX_COLUMNS; i++)
        if (columns[i].in & mask)
            cols[n++] = columns[i].name;
    return n;
}

size_t eco_codecarbon_columns(int version, const char **cols)
{
    if (version == 0)
        version = ECO_CODECARBON_DEFAULT_VERSION;
    return version == 3 ? layout(CC3, cols) : version == 2 ? layout(CC24, cols) : 0;
}

void eco_codecarbon_row(const struct eco_run_result *r, struct eco_codecarbon_row *o)
{
    memset(o, 0, sizeof *o);
    double cpu_j = 0, gpu_j = 0, ram_j = 0;
    for (size_t d = 0; d < r->n_domains; d++) {
        const struct eco_domain_result *dr = &r->domains[d];
        if (!dr->top_level)
            continue; /* contained in another domain: counting it would add it twice */
        switch (dr->kind) {
        case ECO_KIND_GPU: gpu_j += dr->energy_j; break;
        case ECO_KIND_DRAM:
        case ECO_KIND_MEMORY: ram_j += dr->energy_j; break;
        default: cpu_j += dr->energy_j; break; /* CodeCarbon has no column for SoC or board */
        }
    }
    o->duration_s = r->duration_s;
    o->cpu_energy_kwh = eco_j_to_kwh(cpu_j);
    o->gpu_energy_kwh = eco_j_to_kwh(gpu_j);
    o->ram_energy_kwh = eco_j_to_kwh(ram_j);
    o->energy_consumed_kwh = o->cpu_energy_kwh + o->gpu_energy_kwh + o->ram_energy_kwh;
    o->cpu_power_w = eco_rate_per_s(cpu_j, r->duration_s);
    o->gpu_power_w = eco_rate_per_s(gpu_j, r->duration_s);
    o->ram_power_w = eco_rate_per_s(ram_j, r->duration_s);
    /* The columns hold every top-level domain, so their energy is the run's
     * total and the emissions are the record's CO2e (computed once). */
    o->emissions_kg = eco_g_to_kg(r->co2e_g);
    o->emissions_rate_kg_s = eco_rate_per_s(o->emissions_kg, r->duration_s);
}

/* One run's cells by column name; a column not set stays empty. */
#define CELL_MAX 48
struct cells {
    const char *name[CELL_MAX];
    char value[CELL_MAX][256];
    size_t n;
};

static void set(struct cells *c, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set(struct cells *c, const char *name, const char *fmt, ...)
{
    if (c->n >= CELL_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->value[c->n], sizeof c->value[c->n], fmt, ap);
    va_end(ap);
    c->name[c->n++] = name;
}

static const char *get(const struct cells *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->name[i], name) == 0)
            return c->value[i];
    return "";
}

/* The place columns from the run's region code, through the carbon table:
 * "FR" -> France, FRA; "US-CA" -> United States, USA, california;
 * "aws:eu-west-3" -> aws, eu-west-3, on_cloud Y and its grid's country.
 * A code the tables do not know leaves the columns empty rather than guess. */
static void place_cells(const char *code, struct cells *c)
{
    const char *colon = strchr(code, ':');
    if (colon) {
        set(c, "cloud_provider", "%.*s", (int)(colon - code), code);
        set(c, "cloud_region", "%s", colon + 1);
        set(c, "on_cloud", "Y");
    }
    struct eco_err err;
    eco_err_clear(&err);
    const struct eco_region *g = code[0] ? eco_region_find(code, &err) : NULL;
    if (g && g->grid && g->grid[0]) { /* a cloud region: the place is its grid's */
        eco_err_clear(&err);
        g = eco_region_find(g->grid, &err);
    }
    if (!g || strcmp(g->kind, "world") == 0)
        return;
    char iso2[3] = "";
    snprintf(iso2, sizeof iso2, "%s", g->code);
    const char *iso3 = strlen(g->code) == 2 || g->code[2] == '-' ? eco_iso_alpha3(iso2) : NULL;
    if (!iso3)
        return; /* an aggregate (EU) is no country */
    set(c, "country_iso_code", "%s", iso3);
    eco_err_clear(&err);
    const struct eco_region *country = eco_region_find(iso2, &err);
    if (country)
        set(c, "country_name", "%s", country->name);
    if (g->code[2] == '-') { /* a state or province: CodeCarbon writes it in lower case */
        char low[128];
        size_t i = 0;
        for (; g->name[i] && i + 1 < sizeof low; i++)
            low[i] = (char)tolower((unsigned char)g->name[i]);
        low[i] = 0;
        set(c, "region", "%s", low);
    }
}

static void fill_cells(const struct eco_run_result *r, const struct eco_codecarbon_opts *o, struct cells *c)
{
    struct eco_codecarbon_row row;
    eco_codecarbon_row(r, &row);
    time_t t = (time_t)(r->end_unix > 0 ? r->end_unix : r->start_unix);
    struct tm tm;
    char ts[32] = "";
    if (gmtime_r(&t, &tm))
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    set(c, "timestamp", "%s", ts);
    set(c, "project_name", "%s", o->project_name ? o->project_name : "ecometer");
    set(c, "run_id", "%s", r->id);
    if (o->experiment_id)
        set(c, "experiment_id", "%s", o->experiment_id);
    set(c, "duration", "%.10g", row.duration_s);
    if (!eco_run_result_unmeasured(r)) { /* nothing measured: empty, never 0 */
        set(c, "emissions", "%.10g", row.emissions_kg);
        set(c, "emissions_rate", "%.10g", row.emissions_rate_kg_s);
        set(c, "cpu_power", "%.10g", row.cpu_power_w);
        set(c, "gpu_power", "%.10g", row.gpu_power_w);
        set(c, "ram_power", "%.10g", row.ram_power_w);
        set(c, "cpu_energy", "%.10g", row.cpu_energy_kwh);
        set(c, "gpu_energy", "%.10g", row.gpu_energy_kwh);
        set(c, "ram_energy", "%.10g", row.ram_energy_kwh);
        set(c, "energy_consumed", "%.10g", row.energy_consumed_kwh);
        set(c, "pue", "1"); /* the factor applied to these figures: none */
    }
    place_cells(r->region_code, c);
    set(c, "os", "%s", r->os);
    if (r->cpu_count > 0)
        set(c, "cpu_count", "%d", r->cpu_count);
    set(c, "cpu_model", "%s", r->cpu_model);
    if (r->gpu_count > 0) { /* 0 GPU domains is not "no GPU": a GPU may lack a sensor */
        set(c, "gpu_count", "%d", r->gpu_count);
        set(c, "gpu_model", "%d x %s", r->gpu_count, r->gpu_model);
    }
    if (r->ram_gb > 0)
        set(c, "ram_total_size", "%.10g", r->ram_gb);
    set(c, "tracking_mode", "machine"); /* the whole machine's sensors */
}

int eco_codecarbon_write(FILE *out, const struct eco_run_result *runs, size_t n,
                         const struct eco_codecarbon_opts *opts, struct eco_err *err)
{
    static const struct eco_codecarbon_opts defaults = {0};
    const struct eco_codecarbon_opts *o = opts ? opts : &defaults;
    const char *cols[ECO_CODECARBON_MAX_COLUMNS];
    size_t nc = eco_codecarbon_columns(o->version, cols);
    if (!nc) {
        eco_err_set(err, 2, "no CodeCarbon layout for version %d", o->version);
        eco_err_hint(err, "--codecarbon-version takes 3 (CodeCarbon 3.x, the default) or 2 (2.4 to 2.8)");
        return -1;
    }
    if (!o->no_header)
        for (size_t i = 0; i < nc; i++)
            fprintf(out, "%s%s", cols[i], i + 1 < nc ? "," : "\n");
    for (size_t k = 0; k < n; k++) {
        struct cells c = {0};
        fill_cells(&runs[k], o, &c);
        for (size_t i = 0; i < nc; i++) {
            eco_csv_field(out, get(&c, cols[i]));
            fputc(i + 1 < nc ? ',' : '\n', out);
        }
    }
    return 0;
}

/* Whether the header line holds exactly these columns; *first_diff is the
 * first column (0-based) that differs. */
static int same_columns(const char *line, const char *const *cols, size_t nc, size_t *first_diff)
{
    const char *p = line;
    for (size_t i = 0; i < nc; i++) {
        size_t len = strcspn(p, ",\r\n");
        if (len != strlen(cols[i]) || strncmp(p, cols[i], len) != 0) {
            *first_diff = i;
            return 0;
        }
        p += len;
        if (i + 1 < nc) {
            if (*p != ',') {
                *first_diff = i + 1;
                return 0;
            }
            p++;
        }
    }
    *first_diff = nc;
    return *p == 0 || strcmp(p, "\n") == 0 || strcmp(p, "\r\n") == 0;
}

int eco_codecarbon_check_header(const char *line, int version, struct eco_err *err)
{
    size_t diff;
    if (version == 0)
        version = ECO_CODECARBON_DEFAULT_VERSION;
    const char *cols[ECO_CODECARBON_MAX_COLUMNS], *other[ECO_CODECARBON_MAX_COLUMNS];
    size_t nc = eco_codecarbon_columns(version, cols);
    if (!nc)
        return eco_err_set(err, 2, "no CodeCarbon layout for version %d", version);
    if (same_columns(line, cols, nc, &diff))
        return 0;
    const char *is = "not a CodeCarbon emissions.csv layout ecometer knows";
    const char *hint = "write to a new file, or check the file's first line";
    size_t d;
    if (version != 3 && same_columns(line, other, layout(CC3, other), &d)) {
        is = "CodeCarbon 3.x's layout (38 columns)";
        hint = "append with --codecarbon-version 3 (the default)";
    } else if (version != 2 && same_columns(line, other, layout(CC24, other), &d)) {
        is = "CodeCarbon 2.4-2.8's layout (32 columns)";
        hint = "append with --codecarbon-version 2";
    } else if (same_columns(line, other, layout(CC20, other), &d)) {
        is = "CodeCarbon 2.0-2.3's layout (31 columns, no experiment_id), which ecometer does not write";
        hint = "write to a new file (CodeCarbon itself moves a file of an older layout aside as .bak)";
    }
    const char *p = line;
    for (size_t i = 0; i < diff && *p; i++) /* the file's column at diff */
        p += strcspn(p, ",\r\n") + (p[strcspn(p, ",\r\n")] == ',');
    size_t plen = strcspn(p, ",\r\n");
    eco_err_set(err, 2, "the file's header differs from CodeCarbon %d.x's: column %zu is '%.*s', "
                "expected '%s'; the file is %s", version, diff + 1, (int)(plen < 64 ? plen : 64), p,
                diff < nc ? cols[diff] : "(end of line)", is);
    eco_err_hint(err, "%s; nothing was written", hint);
    return -1;
}
