#include "render/codecarbon.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "carbon/intensity.h"
#include "core/format.h"
#include "core/units.h"

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

/* The place columns from the run's region code, through the carbon table:
 * "FR" -> FR, France; "US-CA" -> US, United States, California;
 * "aws:eu-west-3" -> aws, eu-west-3 and the country of its grid. Codes the
 * table does not know are split by their shape only. */
static void place_columns(const char *code, char *iso, size_t iso_len, char *name, size_t name_len,
                          char *region, size_t region_len, char *provider, size_t provider_len,
                          char *cloud_region, size_t cloud_len)
{
    const char *colon = strchr(code, ':');
    if (colon) {
        snprintf(provider, provider_len, "%.*s", (int)(colon - code), code);
        snprintf(cloud_region, cloud_len, "%s", colon + 1);
    }
    struct eco_err err;
    eco_err_clear(&err);
    const struct eco_region *g = code[0] ? eco_region_find(code, &err) : NULL;
    if (g && g->grid && g->grid[0]) { /* a cloud region: the place is its grid's */
        eco_err_clear(&err);
        g = eco_region_find(g->grid, &err);
    }
    const char *place = g ? g->code : colon ? "" : code;
    if (strcmp(place, "WORLD") == 0)
        return;
    const char *dash = strchr(place, '-');
    snprintf(iso, iso_len, "%.*s", dash ? (int)(dash - place) : (int)strlen(place), place);
    if (dash)
        snprintf(region, region_len, "%s", g ? g->name : dash + 1);
    eco_err_clear(&err);
    const struct eco_region *c = iso[0] ? eco_region_find(iso, &err) : NULL;
    if (c)
        snprintf(name, name_len, "%s", c->name);
}

static const char *const columns[] = {
    "timestamp", "project_name", "run_id", "duration", "emissions", "emissions_rate",
    "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy", "ram_energy",
    "energy_consumed", "country_name", "country_iso_code", "region", "cloud_provider",
    "cloud_region", "os", "python_version", "codecarbon_version", "cpu_count", "cpu_model",
    "gpu_count", "gpu_model", "longitude", "latitude", "ram_total_size", "tracking_mode",
    "on_cloud", "pue",
};

static void num(FILE *out, double v)
{
    fprintf(out, ",%.10g", v);
}

/* A run where nothing was measured: empty, not 0 (see eco_run_result_unmeasured). */
static void num_measured(FILE *out, double v, int measured)
{
    if (measured)
        num(out, v);
    else
        fputc(',', out);
}

static void text(FILE *out, const char *s)
{
    fputc(',', out);
    eco_csv_field(out, s);
}

void eco_codecarbon_write(FILE *out, const struct eco_run_result *runs, size_t n,
                          const char *project_name)
{
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++)
        fprintf(out, "%s%s", i ? "," : "", columns[i]);
    fputc('\n', out);
    for (size_t k = 0; k < n; k++) {
        const struct eco_run_result *r = &runs[k];
        struct eco_codecarbon_row row;
        eco_codecarbon_row(r, &row);
        char ts[32] = "";
        time_t t = (time_t)(r->end_unix > 0 ? r->end_unix : r->start_unix);
        struct tm tm;
        if (gmtime_r(&t, &tm))
            strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
        char country[48] = "", country_name[128] = "", region[128] = "", provider[16] = "",
             cloud_region[48] = "";
        place_columns(r->region_code, country, sizeof country, country_name, sizeof country_name,
                      region, sizeof region, provider, sizeof provider, cloud_region, sizeof cloud_region);
        int measured = !eco_run_result_unmeasured(r);
        eco_csv_field(out, ts);
        text(out, project_name);
        text(out, r->id);
        num(out, row.duration_s);
        num_measured(out, row.emissions_kg, measured);
        num_measured(out, row.emissions_rate_kg_s, measured);
        num_measured(out, row.cpu_power_w, measured);
        num_measured(out, row.gpu_power_w, measured);
        num_measured(out, row.ram_power_w, measured);
        num_measured(out, row.cpu_energy_kwh, measured);
        num_measured(out, row.gpu_energy_kwh, measured);
        num_measured(out, row.ram_energy_kwh, measured);
        num_measured(out, row.energy_consumed_kwh, measured);
        text(out, country_name);
        text(out, country);
        text(out, region);
        text(out, provider);
        text(out, cloud_region);
        text(out, r->os);
        text(out, ""); /* python_version: not a Python tool */
        text(out, ""); /* codecarbon_version: not written by CodeCarbon */
        fprintf(out, ",%d", r->cpu_count);
        text(out, r->cpu_model);
        fprintf(out, ",%d", r->gpu_count);
        text(out, r->gpu_model);
        text(out, ""); /* longitude, latitude: ecometer does not locate the machine */
        text(out, "");
        num(out, r->ram_gb);
        text(out, "machine"); /* the whole machine's sensors, as CodeCarbon's machine mode */
        text(out, provider[0] ? "Y" : "N");
        num(out, 1.0); /* measured at the device: no data-centre PUE applied */
        fputc('\n', out);
    }
}
