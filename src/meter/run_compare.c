/* Two runs side by side (see run_compare.h). */
#include "meter/run_compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        add(rs, m, ECO_CMP_J_PER_ITEM, ia, ia ? ga->energy_per_item_j : 0, ib, ib ? gb->energy_per_item_j : 0);
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
    add(&rs, "average power", ECO_CMP_W, a->duration_s > 0, a->average_power_w, b->duration_s > 0,
        b->average_power_w);
    add(&rs, a->intensity_recomputed || b->intensity_recomputed ? "CO2e (recomputed)" : "CO2e", ECO_CMP_G, 1,
        a->co2e_g, 1, b->co2e_g);
    /* embodied: beside the operational CO2e; a run stored before it has none (-1) */
    add(&rs, "embodied CO2e", ECO_CMP_G, a->embodied_co2e_g >= 0, a->embodied_co2e_g, b->embodied_co2e_g >= 0,
        b->embodied_co2e_g);
    add(&rs, "lifecycle CO2e", ECO_CMP_G, a->total_lifecycle_co2e_g >= 0, a->total_lifecycle_co2e_g,
        b->total_lifecycle_co2e_g >= 0, b->total_lifecycle_co2e_g);
    add(&rs, "items", ECO_CMP_COUNT, a->items > 0, (double)a->items, b->items > 0, (double)b->items);
    add(&rs, "energy per item", ECO_CMP_J_PER_ITEM, a->items > 0, a->energy_per_item_j, b->items > 0,
        b->energy_per_item_j);
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
