/* A closed region's figures and their reply text (see region_figures.h). */
#include "meter/region_figures.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "carbon/co2e.h"
#include "meter/ledger.h"

enum eco_figures_status eco_ledger_region_figures(const struct eco_ledger *l, const char *name,
                                                  struct eco_region_figures *out)
{
    long k = eco_ledger_find_closed(l, name);
    if (k < 0)
        return ECO_FIGURES_UNKNOWN;
    if (!eco_ledger_region_resolved(l, (size_t)k))
        return ECO_FIGURES_PENDING;
    const struct eco_region_result *g = &l->regions[k];
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", g->name);
    out->duration_s = g->end_s - g->start_s;
    out->energy_j = l->region_e1[k] > l->region_e0[k] ? l->region_e1[k] - l->region_e0[k] : 0;
    out->items = g->items;
    for (size_t i = 0; i < l->n; i++) {
        int counted = eco_ledger_counted(l, i);
        double e = eco_ledger_region_domain_j(l, (size_t)k, i);
        if (counted && l->dom[i].d.method == ECO_ESTIMATED)
            out->estimated_j += e;
        if (out->n_domains == ECO_FIGURES_MAX_DOMAINS) {
            out->omitted_domains++;
            continue;
        }
        struct eco_region_domain *d = &out->dom[out->n_domains++];
        /* a sensor's label goes into a line of text: no control characters */
        snprintf(d->name, sizeof d->name, "%s", l->dom[i].d.name);
        for (char *c = d->name; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = '?';
        d->method = l->dom[i].d.method;
        d->counted = counted;
        d->energy_j = e;
    }
    return ECO_FIGURES_READY;
}

struct out {
    char *buf;
    size_t len, used;
    int full;
};

static void put(struct out *o, const char *fmt, ...)
{
    if (o->full)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->len - o->used)
        o->full = 1;
    else
        o->used += (size_t)n;
}

int eco_region_figures_reply(enum eco_figures_status st, const char *name, const struct eco_region_figures *f,
                             double g_per_kwh, int intensity_is_default, char *buf, size_t len)
{
    if (!buf || len == 0)
        return -1;
    struct out o = {buf, len, 0, 0};
    if (st != ECO_FIGURES_READY) {
        put(&o, "%s %s", st == ECO_FIGURES_PENDING ? "pending" : "unknown", name);
        return o.full ? -1 : (int)o.used;
    }
    put(&o, "figures %s\n", f->name);
    put(&o, "duration_s %.6f\nenergy_j %.6f\nestimated_j %.6f\n", f->duration_s, f->energy_j, f->estimated_j);
    put(&o, "co2e_g %.9g\nintensity_g_per_kwh %.6g\nintensity_default %d\nitems %lld\n",
        eco_co2e_g(f->energy_j, g_per_kwh), g_per_kwh, intensity_is_default ? 1 : 0, f->items);
    for (size_t i = 0; i < f->n_domains; i++)
        put(&o, "domain %s %s %.6f %s\n", eco_method_name(f->dom[i].method),
            f->dom[i].counted ? "counted" : "inside", f->dom[i].energy_j, f->dom[i].name);
    if (f->omitted_domains)
        put(&o, "domains_omitted %zu\n", f->omitted_domains);
    return o.full ? -1 : (int)o.used;
}
