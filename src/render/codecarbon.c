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

/* CodeCarbon 3.x: codecarbon/output_methods/emissions_data.py, class
 * EmissionsData (3.0 to 3.3), the order its CSV output writes. */
static const char *const columns_v3[] = {
    "timestamp", "project_name", "run_id", "experiment_id", "duration", "emissions",
    "emissions_rate", "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy",
    "ram_energy", "energy_consumed", "water_consumed", "country_name", "country_iso_code",
    "region", "cloud_provider", "cloud_region", "os", "python_version", "codecarbon_version",
    "cpu_count", "cpu_model", "gpu_count", "gpu_model", "longitude", "latitude",
    "ram_total_size", "tracking_mode", "cpu_utilization_percent", "gpu_utilization_percent",
    "ram_utilization_percent", "ram_used_gb", "on_cloud", "pue", "wue",
};

/* CodeCarbon 2.4 to 2.8: the same file before water, utilisation and wue. */
static const char *const columns_v2[] = {
    "timestamp", "project_name", "run_id", "experiment_id", "duration", "emissions",
    "emissions_rate", "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy",
    "ram_energy", "energy_consumed", "country_name", "country_iso_code", "region",
    "cloud_provider", "cloud_region", "os", "python_version", "codecarbon_version", "cpu_count",
    "cpu_model", "gpu_count", "gpu_model", "longitude", "latitude", "ram_total_size",
    "tracking_mode", "on_cloud", "pue",
};

/* CodeCarbon 2.0 to 2.3 (no experiment_id): recognised in a file's header
 * to say what it is, never written. */
static const char *const columns_v2_early[] = {
    "timestamp", "project_name", "run_id", "duration", "emissions", "emissions_rate",
    "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy", "ram_energy",
    "energy_consumed", "country_name", "country_iso_code", "region", "cloud_provider",
    "cloud_region", "os", "python_version", "codecarbon_version", "cpu_count", "cpu_model",
    "gpu_count", "gpu_model", "longitude", "latitude", "ram_total_size", "tracking_mode",
    "on_cloud", "pue",
};

#define N_OF(a) (sizeof a / sizeof a[0])

const char *const *eco_codecarbon_columns(int version, size_t *n)
{
    if (version == 0)
        version = ECO_CODECARBON_DEFAULT_VERSION;
    *n = version == 3 ? N_OF(columns_v3) : version == 2 ? N_OF(columns_v2) : 0;
    return version == 3 ? columns_v3 : version == 2 ? columns_v2 : NULL;
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
    if (r->duration_s > 0) {
        o->cpu_power_w = cpu_j / r->duration_s;
        o->gpu_power_w = gpu_j / r->duration_s;
        o->ram_power_w = ram_j / r->duration_s;
    }
    /* The columns hold every top-level domain, so their energy is the run's
     * total and the emissions are the record's CO2e (computed once). */
    o->emissions_kg = eco_g_to_kg(r->co2e_g);
    if (r->duration_s > 0)
        o->emissions_rate_kg_s = o->emissions_kg / r->duration_s;
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
    size_t nc;
    const char *const *cols = eco_codecarbon_columns(o->version, &nc);
    if (!cols) {
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
    size_t nc, diff;
    if (version == 0)
        version = ECO_CODECARBON_DEFAULT_VERSION;
    const char *const *cols = eco_codecarbon_columns(version, &nc);
    if (!cols)
        return eco_err_set(err, 2, "no CodeCarbon layout for version %d", version);
    if (same_columns(line, cols, nc, &diff))
        return 0;
    const char *is = "not a CodeCarbon emissions.csv layout ecometer knows";
    const char *hint = "write to a new file, or check the file's first line";
    size_t d;
    if (version != 3 && same_columns(line, columns_v3, N_OF(columns_v3), &d)) {
        is = "CodeCarbon 3.x's layout (38 columns)";
        hint = "append with --codecarbon-version 3 (the default)";
    } else if (version != 2 && same_columns(line, columns_v2, N_OF(columns_v2), &d)) {
        is = "CodeCarbon 2.4-2.8's layout (32 columns)";
        hint = "append with --codecarbon-version 2";
    } else if (same_columns(line, columns_v2_early, N_OF(columns_v2_early), &d)) {
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
