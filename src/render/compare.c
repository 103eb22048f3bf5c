#include "render/compare.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/texttable.h"
#include "core/units.h"
#include "render/scenario.h"

double eco_change_pct(double a, double b)
{
    if (a == 0 || !isfinite(a) || !isfinite(b))
        return NAN;
    return (b - a) / fabs(a) * 100.0;
}

struct rows {
    struct eco_compare_row *v;
    size_t n, cap;
};

static void add(struct rows *rs, const char *metric, enum eco_compare_unit unit, int has_a,
                double a, int has_b, double b)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 32;
        struct eco_compare_row *v = realloc(rs->v, cap * sizeof *v);
        if (!v)
            return;
        rs->v = v;
        rs->cap = cap;
    }
    struct eco_compare_row *r = &rs->v[rs->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->metric, sizeof r->metric, "%s", metric);
    r->unit = unit;
    r->has_a = has_a;
    r->has_b = has_b;
    r->a = has_a ? a : NAN;
    r->b = has_b ? b : NAN;
    r->change_pct = has_a && has_b ? eco_change_pct(a, b) : NAN;
}

static const struct eco_domain_result *find_domain(const struct eco_run_result *r, const char *name)
{
    for (size_t i = 0; i < r->n_domains; i++)
        if (strcmp(r->domains[i].name, name) == 0)
            return &r->domains[i];
    return NULL;
}

static const struct eco_region_result *find_region(const struct eco_run_result *r, const char *name)
{
    for (size_t i = 0; i < r->n_regions; i++)
        if (strcmp(r->regions[i].name, name) == 0)
            return &r->regions[i];
    return NULL;
}

static void add_domain(struct rows *rs, const char *name, const struct eco_domain_result *da,
                       const struct eco_domain_result *db)
{
    char m[96];
    snprintf(m, sizeof m, "domain %s", name);
    add(rs, m, ECO_CMP_J, da != NULL, da ? da->energy_j : 0, db != NULL, db ? db->energy_j : 0);
}

static void add_region(struct rows *rs, const char *name, const struct eco_region_result *ga,
                       const struct eco_region_result *gb)
{
    char m[96];
    snprintf(m, sizeof m, "region %s", name);
    add(rs, m, ECO_CMP_J, ga != NULL, ga ? ga->energy_j : 0, gb != NULL, gb ? gb->energy_j : 0);
    int ia = ga && ga->items > 0, ib = gb && gb->items > 0;
    if (ia || ib) {
        snprintf(m, sizeof m, "region %s per item", name);
        add(rs, m, ECO_CMP_J_PER_ITEM, ia, ia ? ga->energy_j / (double)ga->items : 0, ib,
            ib ? gb->energy_j / (double)gb->items : 0);
    }
}

int eco_compare(const struct eco_run_result *a, const struct eco_run_result *b,
                struct eco_compare_row **out, size_t *n)
{
    struct rows rs = {0};
    add(&rs, "duration", ECO_CMP_S, 1, a->duration_s, 1, b->duration_s);
    add(&rs, "energy", ECO_CMP_J, 1, a->total_energy_j, 1, b->total_energy_j);
    add(&rs, "net of idle baseline", ECO_CMP_J, 1, a->net_energy_j, 1, b->net_energy_j);
    add(&rs, "attributed to the process tree", ECO_CMP_J, 1, a->attributed_energy_j, 1,
        b->attributed_energy_j);
    add(&rs, "average power", ECO_CMP_W, a->duration_s > 0,
        a->duration_s > 0 ? a->total_energy_j / a->duration_s : 0, b->duration_s > 0,
        b->duration_s > 0 ? b->total_energy_j / b->duration_s : 0);
    add(&rs, "CO2e", ECO_CMP_G, 1, a->co2e_g, 1, b->co2e_g);
    /* embodied: beside the operational CO2e; a run stored before it has none (-1) */
    add(&rs, "embodied CO2e", ECO_CMP_G, a->embodied_co2e_g >= 0, a->embodied_co2e_g, b->embodied_co2e_g >= 0,
        b->embodied_co2e_g);
    add(&rs, "lifecycle CO2e", ECO_CMP_G, a->total_lifecycle_co2e_g >= 0, a->total_lifecycle_co2e_g,
        b->total_lifecycle_co2e_g >= 0, b->total_lifecycle_co2e_g);
    add(&rs, "items", ECO_CMP_COUNT, a->items > 0, (double)a->items, b->items > 0, (double)b->items);
    add(&rs, "energy per item", ECO_CMP_J_PER_ITEM, a->items > 0,
        a->items > 0 ? a->total_energy_j / (double)a->items : 0, b->items > 0,
        b->items > 0 ? b->total_energy_j / (double)b->items : 0);
    /* the figure of fixed-time runs: items over the window's energy */
    if (a->items_per_j >= 0 || b->items_per_j >= 0)
        add(&rs, "items per joule", ECO_CMP_ITEMS_PER_J, a->items_per_j >= 0, a->items_per_j, b->items_per_j >= 0,
            b->items_per_j);
    for (size_t i = 0; i < a->n_domains; i++)
        add_domain(&rs, a->domains[i].name, &a->domains[i], find_domain(b, a->domains[i].name));
    for (size_t i = 0; i < b->n_domains; i++)
        if (!find_domain(a, b->domains[i].name))
            add_domain(&rs, b->domains[i].name, NULL, &b->domains[i]);
    for (size_t i = 0; i < a->n_regions; i++)
        add_region(&rs, a->regions[i].name, &a->regions[i], find_region(b, a->regions[i].name));
    for (size_t i = 0; i < b->n_regions; i++)
        if (!find_region(a, b->regions[i].name))
            add_region(&rs, b->regions[i].name, NULL, &b->regions[i]);
    *out = rs.v;
    *n = rs.n;
    return rs.v ? 0 : -1;
}

static const char *unit_name(enum eco_compare_unit u)
{
    switch (u) {
    case ECO_CMP_J: return "J";
    case ECO_CMP_W: return "W";
    case ECO_CMP_S: return "s";
    case ECO_CMP_G: return "g";
    case ECO_CMP_COUNT: return "";
    case ECO_CMP_J_PER_ITEM: return "J/item";
    case ECO_CMP_ITEMS_PER_J: return "items/J";
    }
    return "";
}

const char *eco_compare_fmt(enum eco_compare_unit u, int has, double v, char *buf, size_t len)
{
    if (!has)
        return "-";
    switch (u) {
    case ECO_CMP_J: return eco_fmt_energy(v, buf, len);
    case ECO_CMP_W: return eco_fmt_power(v, buf, len);
    case ECO_CMP_S: snprintf(buf, len, "%.1f s", v); return buf;
    case ECO_CMP_G: return eco_fmt_mass(v, buf, len);
    case ECO_CMP_COUNT: return eco_fmt_count(v, buf, len);
    case ECO_CMP_J_PER_ITEM:
        if (v >= 1)
            snprintf(buf, len, "%.3g J/item", v);
        else
            snprintf(buf, len, "%.3g mJ/item", v * 1000);
        return buf;
    case ECO_CMP_ITEMS_PER_J: snprintf(buf, len, "%.4g items/J", v); return buf;
    }
    return "";
}

void eco_compare_print(FILE *out, enum eco_format fmt, const struct eco_run_result *a,
                       const struct eco_run_result *b, const struct eco_compare_row *rows, size_t n)
{
    if (fmt == ECO_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "a", a->id);
        cJSON_AddStringToObject(o, "a_command", a->command);
        cJSON_AddStringToObject(o, "b", b->id);
        cJSON_AddStringToObject(o, "b_command", b->command);
        char sa[256], sb[256], w[512];
        cJSON *sc = cJSON_AddObjectToObject(o, "scenario");
        cJSON_AddStringToObject(sc, "a", a->scenario);
        cJSON_AddStringToObject(sc, "a_label", eco_scenario_label(a, sa, sizeof sa));
        cJSON_AddStringToObject(sc, "b", b->scenario);
        cJSON_AddStringToObject(sc, "b_label", eco_scenario_label(b, sb, sizeof sb));
        const char *warn = eco_scenario_mismatch(a, b, w, sizeof w);
        cJSON_AddBoolToObject(sc, "alike", warn == NULL);
        if (warn)
            cJSON_AddStringToObject(sc, "warning", warn);
        else
            cJSON_AddNullToObject(sc, "warning");
        cJSON *arr = cJSON_AddArrayToObject(o, "rows");
        for (size_t i = 0; i < n; i++) {
            cJSON *j = cJSON_CreateObject();
            cJSON_AddStringToObject(j, "metric", rows[i].metric);
            cJSON_AddStringToObject(j, "unit", unit_name(rows[i].unit));
            if (rows[i].has_a)
                cJSON_AddNumberToObject(j, "a", rows[i].a);
            else
                cJSON_AddNullToObject(j, "a");
            if (rows[i].has_b)
                cJSON_AddNumberToObject(j, "b", rows[i].b);
            else
                cJSON_AddNullToObject(j, "b");
            if (isfinite(rows[i].change_pct))
                cJSON_AddNumberToObject(j, "change_pct", rows[i].change_pct);
            else
                cJSON_AddNullToObject(j, "change_pct");
            cJSON_AddItemToArray(arr, j);
        }
        eco_json_emit(out, o);
        return;
    }
    if (fmt == ECO_FMT_CSV) {
        fputs("metric,unit,a,b,change_pct\n", out);
        for (size_t i = 0; i < n; i++) {
            eco_csv_field(out, rows[i].metric);
            fprintf(out, ",%s,", unit_name(rows[i].unit));
            if (rows[i].has_a)
                fprintf(out, "%.10g", rows[i].a);
            fputc(',', out);
            if (rows[i].has_b)
                fprintf(out, "%.10g", rows[i].b);
            fputc(',', out);
            if (isfinite(rows[i].change_pct))
                fprintf(out, "%.4f", rows[i].change_pct);
            fputc('\n', out);
        }
        return;
    }
    fprintf(out, "A: %s  %s%s\n", a->id, a->command, a->complete ? "" : "  (incomplete)");
    fprintf(out, "B: %s  %s%s\n", b->id, b->command, b->complete ? "" : "  (incomplete)");
    char sa[256], sb[256], w[512];
    fprintf(out, "scenario A: %s\nscenario B: %s\n", eco_scenario_label(a, sa, sizeof sa),
            eco_scenario_label(b, sb, sizeof sb));
    if (eco_scenario_mismatch(a, b, w, sizeof w))
        fprintf(out, "warning: %s\n", w);
    fputc('\n', out);
    const char *hdr[] = {"", ">A", ">B", ">change"};
    struct eco_table *t = eco_table_new(4, hdr);
    for (size_t i = 0; i < n; i++) {
        char va[48], vb[48], ch[32];
        if (isfinite(rows[i].change_pct))
            snprintf(ch, sizeof ch, "%+.1f %%", rows[i].change_pct);
        else
            snprintf(ch, sizeof ch, "-");
        const char *cells[] = {rows[i].metric, eco_compare_fmt(rows[i].unit, rows[i].has_a, rows[i].a, va, sizeof va),
                               eco_compare_fmt(rows[i].unit, rows[i].has_b, rows[i].b, vb, sizeof vb), ch};
        eco_table_row(t, cells);
    }
    eco_table_print(t, out);
    eco_table_free(t);
    if (a->intensity_g_per_kwh != b->intensity_g_per_kwh)
        fprintf(out, "\nnote: the runs use different carbon intensities (%s: %.0f g/kWh, %s: %.0f g/kWh)\n",
                a->region_code, a->intensity_g_per_kwh, b->region_code, b->intensity_g_per_kwh);
}
