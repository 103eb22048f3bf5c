/* The ledger: readings in, joules out. No I/O and no clock, so every rule in
 * ledger.h is tested with synthetic samples. */
#include "meter/ledger.h"
#include "meter/run_derive.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum eco_counter_step eco_counter_diff(double prev, double cur, double counter_max, double *delta)
{
    if (cur >= prev) {
        *delta = cur - prev;
        return ECO_STEP_OK;
    }
    if (counter_max > 0 && prev <= counter_max) {
        /* counter_max is the modulus: after prev the counter reached
         * counter_max (== 0 again) and then advanced to cur. */
        *delta = (counter_max - prev) + cur;
        return ECO_STEP_WRAPPED;
    }
    *delta = 0;
    return ECO_STEP_BACKWARDS;
}

double eco_counter_power_w(const struct eco_domain *d, const struct eco_reading *first,
                           const struct eco_reading *last)
{
    double delta;
    if (!(last->t > first->t) || eco_counter_diff(first->value, last->value, d->counter_max, &delta) == ECO_STEP_BACKWARDS)
        return -1;
    return delta * d->unit_j / (last->t - first->t);
}

double eco_ledger_power_ceiling(enum eco_kind kind)
{
    /* Generous upper bounds for one domain: well above any shipping part
     * (a 500 W CPU socket, a 1 kW accelerator), low enough that a counter
     * reset or a garbage value is not mistaken for energy. */
    switch (kind) {
    case ECO_KIND_CPU_PACKAGE: return 1000;
    case ECO_KIND_CPU_CORE: return 1000;
    case ECO_KIND_CPU_UNCORE: return 500;
    case ECO_KIND_DRAM: return 500;
    case ECO_KIND_GPU: return 2000;
    case ECO_KIND_SOC: return 500;
    case ECO_KIND_MEMORY: return 500;
    case ECO_KIND_PLATFORM: return 5000;
    case ECO_KIND_OTHER: return 5000;
    }
    return 5000;
}

double eco_ledger_safe_interval(const struct eco_domain *d)
{
    if (d->type != ECO_VALUE_ENERGY_COUNTER || d->counter_max <= 0 || d->unit_j <= 0)
        return 0;
    return d->counter_max * d->unit_j / eco_ledger_power_ceiling(d->kind) / 2;
}

int eco_ledger_init(struct eco_ledger *l, const struct eco_domain *domains, size_t n, double t0,
                    double interval_s, struct eco_err *err)
{
    memset(l, 0, sizeof *l);
    for (size_t i = 0; i < n; i++) {
        int p = domains[i].parent;
        if (p != -1 && (p < 0 || (size_t)p >= n || (size_t)p == i))
            return eco_err_set(err, 1, "domain %s has an invalid parent index %d", domains[i].name, p);
    }
    l->dom = calloc(n ? n : 1, sizeof *l->dom);
    if (!l->dom)
        return eco_err_set(err, 1, "out of memory");
    for (size_t i = 0; i < n; i++)
        l->dom[i].d = domains[i];
    l->n = n;
    l->t0 = t0;
    l->interval_s = interval_s > 0 ? interval_s : 1;
    l->series_max = ECO_LEDGER_SERIES_MAX;
    l->last_t = l->prev_t = t0;
    return 0;
}

void eco_ledger_free(struct eco_ledger *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->dom[i].series);
    free(l->dom);
    free(l->regions);
    free(l->region_e0);
    free(l->region_e1);
    free(l->region_open);
    free(l->region_pending0);
    free(l->region_pending1);
    free(l->region_dom_j);
    memset(l, 0, sizeof *l);
}

/* Merge neighbouring points pairwise, weighting by the time each covers, so
 * the series' energy is unchanged; an odd last point is kept as it is. */
static void series_halve(struct eco_ledger_domain *d)
{
    size_t m = 0;
    for (size_t k = 0; k + 1 < d->n_series; k += 2) {
        double sa = k == 0 ? d->series_start : d->series[k - 1].t;
        double ta = d->series[k].t, tb = d->series[k + 1].t;
        double span = tb - sa;
        double wm = span > 0 ? (d->series[k].watts * (ta - sa) + d->series[k + 1].watts * (tb - ta)) / span
                             : d->series[k + 1].watts;
        d->series[m++] = (struct eco_point){tb, wm};
    }
    if (d->n_series % 2)
        d->series[m++] = d->series[d->n_series - 1];
    d->n_series = m;
    d->series_gen++;
}

/* Keep at most series_max points of one width: when full, merge them
 * pairwise and from then on give each point twice as many intervals. The
 * newest point grows in place until it holds its share of intervals, so
 * only it ever changes between merges, and merges come after 2048, 4096,
 * 8192... intervals: a checkpoint stores a few new points, and rewrites the
 * whole series only a logarithmic number of times in a run. */
static void series_push(struct eco_ledger *l, struct eco_ledger_domain *d, double t, double w)
{
    if (l->series_max == 0)
        return;
    if (!d->per_point)
        d->per_point = 1;
    size_t n = d->n_series;
    if (n > 0 && d->in_last < d->per_point) { /* the newest point takes this interval too */
        struct eco_point *p = &d->series[n - 1];
        double s = n > 1 ? d->series[n - 2].t : d->series_start;
        double span = t - s;
        p->watts = span > 0 ? (p->watts * (p->t - s) + w * (t - p->t)) / span : w;
        p->t = t;
        d->in_last++;
        return;
    }
    if (n == d->cap_series) {
        if (d->cap_series >= l->series_max) {
            int odd = d->n_series % 2;
            series_halve(d);
            d->in_last = odd ? d->per_point : 2 * d->per_point; /* an odd last point was kept as it was */
            d->per_point *= 2;
            series_push(l, d, t, w); /* into that last point if it is not full, else a new one */
            return;
        } else {
            size_t cap = d->cap_series ? d->cap_series * 2 : 64;
            if (cap > l->series_max)
                cap = l->series_max;
            struct eco_point *p = realloc(d->series, cap * sizeof *p);
            if (!p)
                return; /* the series is a view; energy is kept regardless */
            d->series = p;
            d->cap_series = cap;
        }
    }
    d->series[d->n_series++] = (struct eco_point){t, w};
    d->in_last = 1;
}

static void note(struct eco_ledger_domain *d, const char *fmt, double a, double b)
{
    if (d->note[0])
        return; /* the first anomaly is the one worth reading; counts hold the rest */
    snprintf(d->note, sizeof d->note, fmt, a, b);
}

/* Energy of one domain between prev and r; -1 if the interval must be dropped. */
static double step_energy(struct eco_ledger *l, struct eco_ledger_domain *d, const struct eco_reading *r,
                          double dt)
{
    double ceiling = eco_ledger_power_ceiling(d->d.kind);
    double t_rel = r->t - l->t0;
    if (d->d.type == ECO_VALUE_ENERGY_COUNTER) {
        double delta;
        enum eco_counter_step st = eco_counter_diff(d->prev.value, r->value, d->d.counter_max, &delta);
        double range_j = d->d.counter_max * d->d.unit_j;
        if (st == ECO_STEP_BACKWARDS) {
            d->n_implausible++;
            note(d, "counter went backwards at %.1f s (%.0f units); interval dropped", t_rel,
                 d->prev.value - r->value);
            return -1;
        }
        if (d->in_gap && range_j > 0 && dt * ceiling > range_j) {
            note(d, "gap of %.1f s at %.1f s long enough for the counter to wrap twice; no energy counted over it",
                 dt, t_rel);
            return -1;
        }
        if (range_j > 0 && dt * ceiling > range_j)
            note(d, "a sample came %.2f s after the previous one (at %.1f s): its energy assumes the counter wrapped "
                    "at most once", dt, t_rel);
        double e = delta * d->d.unit_j;
        double window = r->t - d->t_change_base; /* >= dt: see ledger.h */
        if (window < dt)
            window = dt;
        if (e / window > ceiling) {
            d->n_implausible++;
            if (st == ECO_STEP_WRAPPED)
                note(d, "counter went backwards at %.1f s by more than a wrap explains (%.0f W implied); interval dropped",
                     t_rel, e / window);
            else
                note(d, "counter jumped at %.1f s (%.0f W implied); interval dropped", t_rel, e / window);
            return -1;
        }
        if (st == ECO_STEP_WRAPPED)
            d->n_wraps++;
        return e;
    }
    if (d->in_gap && dt > ECO_LEDGER_MAX_BRIDGE * l->interval_s) {
        note(d, "no power reading for %.1f s (until %.1f s); no energy counted over the gap", dt, t_rel);
        return -1;
    }
    return (d->prev.value + r->value) / 2 * dt;
}

static void check_platforms(struct eco_ledger *l);

/* Domain i's energy at monotonic time t, interpolated as the total is. */
static double domain_at(const struct eco_ledger *l, size_t i, double t)
{
    const struct eco_ledger_domain *d = &l->dom[i];
    if (t >= l->last_t)
        return d->at_last_j;
    if (t <= l->prev_t || l->last_t <= l->prev_t)
        return d->at_prev_j;
    double f = (t - l->prev_t) / (l->last_t - l->prev_t);
    return d->at_prev_j + f * (d->at_last_j - d->at_prev_j);
}

/* Region k's start (end = 0) or end (end = 1) at time t: the total and each domain. */
static void snap_region(struct eco_ledger *l, size_t k, int end, double t)
{
    (end ? l->region_e1 : l->region_e0)[k] = eco_ledger_total_at(l, t);
    double *dj = l->region_dom_j + (2 * k + (size_t)end) * l->n;
    for (size_t i = 0; i < l->n; i++)
        dj[i] = domain_at(l, i, t);
}

static void resolve_pending(struct eco_ledger *l)
{
    for (size_t k = 0; k < l->n_regions; k++) {
        if (l->region_pending0[k] && l->t0 + l->regions[k].start_s <= l->last_t) {
            snap_region(l, k, 0, l->t0 + l->regions[k].start_s);
            l->region_pending0[k] = 0;
        }
        if (l->region_pending1[k] && l->t0 + l->regions[k].end_s <= l->last_t) {
            snap_region(l, k, 1, l->t0 + l->regions[k].end_s);
            l->region_pending1[k] = 0;
        }
    }
}

void eco_ledger_add(struct eco_ledger *l, const struct eco_reading *r)
{
    double t_sample = -INFINITY;
    for (size_t i = 0; i < l->n; i++) {
        struct eco_ledger_domain *d = &l->dom[i];
        if (d->vanished)
            continue;
        int ok = r[i].ok;
        if (ok && d->d.type == ECO_VALUE_POWER &&
            (r[i].value < 0 || r[i].value > eco_ledger_power_ceiling(d->d.kind) || isnan(r[i].value))) {
            /* a garbage power value is a failed reading, never a base to integrate from */
            d->n_implausible++;
            note(d, "implausible power reading at %.1f s (%.0f W); treated as a gap", r[i].t - l->t0,
                 r[i].value);
            ok = 0;
        }
        if (!ok) {
            if (d->has_prev && !d->in_gap) {
                d->in_gap = 1;
                d->n_gaps++;
            }
            continue;
        }
        if (r[i].t > t_sample)
            t_sample = r[i].t;
        if (!d->has_prev) {
            d->has_prev = 1;
            d->prev = r[i];
            d->first_t = r[i].t;
            d->t_change_base = r[i].t;
            d->series_start = r[i].t - l->t0;
            continue;
        }
        double dt = r[i].t - d->prev.t;
        if (dt <= 0)
            continue; /* same instant (or clock misuse): nothing elapsed */
        double e = step_energy(l, d, &r[i], dt);
        if (e < 0) {
            d->gap_s += dt;
            if (!d->in_gap)
                d->n_gaps++;
        } else {
            if (d->in_gap)
                d->gap_s += dt;
            d->energy_j += e;
            d->covered_s += dt;
            d->last_w = e / dt;
            if (d->last_w > d->peak_w)
                d->peak_w = d->last_w;
            series_push(l, d, r[i].t - l->t0, d->last_w);
        }
        if (r[i].value != d->prev.value)
            d->t_change_base = d->prev.t;
        d->prev = r[i]; /* re-based after a drop: one bad step loses one interval */
        d->in_gap = 0;
    }
    if (t_sample == -INFINITY)
        return; /* nothing readable this time */
    check_platforms(l);
    l->prev_t = l->last_t;
    l->prev_total_j = l->last_total_j;
    l->last_t = t_sample;
    l->last_total_j = eco_ledger_total_j(l);
    for (size_t i = 0; i < l->n; i++) {
        l->dom[i].at_prev_j = l->n_samples == 0 ? l->dom[i].energy_j : l->dom[i].at_last_j;
        l->dom[i].at_last_j = l->dom[i].energy_j;
    }
    if (l->n_samples == 0) {
        l->prev_t = t_sample;
        l->prev_total_j = l->last_total_j;
    }
    l->n_samples++;
    resolve_pending(l);
}

void eco_ledger_vanish(struct eco_ledger *l, size_t i, double t, const char *why)
{
    if (i >= l->n || l->dom[i].vanished)
        return;
    struct eco_ledger_domain *d = &l->dom[i];
    d->vanished = 1;
    d->last_w = 0;
    snprintf(d->note, sizeof d->note, "sensor vanished at %.1f s%s%s", t - l->t0, why && *why ? ": " : "",
             why ? why : "");
}

int eco_ledger_counted(const struct eco_ledger *l, size_t i)
{
    if (l->dom[i].untrusted)
        return 0;
    /* every domain above must be an untrusted platform (parents never form a
     * cycle; the step bound is a guard) */
    int p = l->dom[i].d.parent;
    for (size_t steps = 0; p >= 0 && steps < l->n; steps++) {
        if (!l->dom[p].untrusted)
            return 0;
        p = l->dom[p].d.parent;
    }
    return p < 0;
}

/* Energy of the domains directly inside domain i. */
static double inside_j(const struct eco_ledger *l, size_t i, int *n)
{
    double s = 0;
    *n = 0;
    for (size_t k = 0; k < l->n; k++)
        if (l->dom[k].d.parent == (int)i) {
            s += l->dom[k].energy_j;
            (*n)++;
        }
    return s;
}

/* The platform sanity check (ledger.h): once for good per domain. */
static void check_platforms(struct eco_ledger *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct eco_ledger_domain *d = &l->dom[i];
        if (d->d.kind != ECO_KIND_PLATFORM || d->untrusted || d->vanished || d->in_gap)
            continue;
        int n;
        double parts = inside_j(l, i, &n);
        if (!(n > 0 && parts >= ECO_LEDGER_CONTAINER_MIN_J && d->energy_j < parts * (1 - ECO_LEDGER_CONTAINER_TOL))) {
            d->suspect = 0;
            continue;
        }
        if (!d->suspect) {
            d->suspect = 1;
            d->suspect_t = d->prev.t;
        } else if (d->prev.t - d->suspect_t >= ECO_LEDGER_CONTAINER_HOLD_S) {
            d->untrusted = 1;
        }
    }
}

double eco_ledger_total_j(const struct eco_ledger *l)
{
    double s = 0;
    for (size_t i = 0; i < l->n; i++)
        if (eco_ledger_counted(l, i))
            s += l->dom[i].energy_j;
    return s;
}

double eco_ledger_total_estimated_j(const struct eco_ledger *l)
{
    double s = 0;
    for (size_t i = 0; i < l->n; i++)
        if (eco_ledger_counted(l, i) && l->dom[i].d.method == ECO_ESTIMATED)
            s += l->dom[i].energy_j;
    return s;
}

double eco_ledger_power_w(const struct eco_ledger *l)
{
    double s = 0;
    for (size_t i = 0; i < l->n; i++)
        if (eco_ledger_counted(l, i) && !l->dom[i].vanished)
            s += l->dom[i].last_w;
    return s;
}

double eco_ledger_total_at(const struct eco_ledger *l, double t)
{
    if (l->n_samples == 0 || t >= l->last_t)
        return l->last_total_j;
    if (t <= l->prev_t || l->last_t <= l->prev_t)
        return l->prev_total_j;
    double f = (t - l->prev_t) / (l->last_t - l->prev_t);
    return l->prev_total_j + f * (l->last_total_j - l->prev_total_j);
}

static int grow_regions(struct eco_ledger *l)
{
    if (l->n_regions < l->cap_regions)
        return 0;
    size_t cap = l->cap_regions ? l->cap_regions * 2 : 16;
    void *a = realloc(l->regions, cap * sizeof *l->regions);
    if (!a)
        return -1;
    l->regions = a;
#define GROW(field)                                                                                \
    do {                                                                                           \
        void *p_ = realloc(l->field, cap * sizeof *l->field);                                      \
        if (!p_)                                                                                   \
            return -1;                                                                             \
        l->field = p_;                                                                             \
    } while (0)
    GROW(region_e0);
    GROW(region_e1);
    GROW(region_open);
    GROW(region_pending0);
    GROW(region_pending1);
#undef GROW
    void *dj = realloc(l->region_dom_j, (l->n ? l->n : 1) * 2 * cap * sizeof *l->region_dom_j);
    if (!dj)
        return -1;
    l->region_dom_j = dj;
    l->cap_regions = cap;
    return 0;
}

int eco_ledger_begin(struct eco_ledger *l, const char *name, double t)
{
    if (l->n_regions >= ECO_LEDGER_MAX_REGIONS || l->n_open >= ECO_LEDGER_MAX_OPEN || grow_regions(l) < 0) {
        l->rejected_markers++;
        return -1;
    }
    size_t k = l->n_regions++;
    struct eco_region_result *g = &l->regions[k];
    memset(g, 0, sizeof *g);
    snprintf(g->name, sizeof g->name, "%s", name);
    g->start_s = g->end_s = t - l->t0;
    l->region_open[k] = 1;
    l->region_pending1[k] = 0;
    l->region_e1[k] = 0;
    if (l->n_samples > 0 && t > l->last_t) {
        l->region_pending0[k] = 1;
        l->region_e0[k] = 0;
    } else {
        l->region_pending0[k] = 0;
        snap_region(l, k, 0, t);
    }
    l->open_stack[l->n_open++] = k;
    return 0;
}

int eco_ledger_end(struct eco_ledger *l, const char *name, double t)
{
    char key[sizeof l->regions[0].name];
    snprintf(key, sizeof key, "%s", name);
    for (size_t s = l->n_open; s-- > 0;) {
        size_t k = l->open_stack[s];
        if (strcmp(l->regions[k].name, key) != 0)
            continue;
        memmove(&l->open_stack[s], &l->open_stack[s + 1], (l->n_open - s - 1) * sizeof l->open_stack[0]);
        l->n_open--;
        l->region_open[k] = 0;
        l->regions[k].end_s = t - l->t0;
        if (l->n_samples > 0 && t > l->last_t) {
            l->region_pending1[k] = 1;
        } else {
            l->region_pending1[k] = 0;
            snap_region(l, k, 1, t);
        }
        if (!l->has_epoch && strncmp(key, "epoch", 5) == 0) {
            l->has_epoch = 1;
            l->first_epoch = k;
        }
        return 0;
    }
    l->rejected_markers++;
    return -1;
}

int eco_ledger_items(struct eco_ledger *l, long long count)
{
    /* A count that would take the run past ECO_ITEMS_MAX (or a negative one)
     * is refused and noted, never wrapped into a negative total. A region's
     * items are part of the run's, so they stay below it too. */
    if (count < 0 || count > ECO_ITEMS_MAX - l->items) {
        l->rejected_markers++;
        return -1;
    }
    l->items += count;
    if (l->n_open > 0)
        l->regions[l->open_stack[l->n_open - 1]].items += count;
    return 0;
}

long eco_ledger_find_closed(const struct eco_ledger *l, const char *name)
{
    char key[sizeof l->regions[0].name];
    snprintf(key, sizeof key, "%s", name);
    for (size_t k = l->n_regions; k-- > 0;)
        if (!l->region_open[k] && strcmp(l->regions[k].name, key) == 0)
            return (long)k;
    return -1;
}

int eco_ledger_region_resolved(const struct eco_ledger *l, size_t k)
{
    return k < l->n_regions && !l->region_open[k] && !l->region_pending0[k] && !l->region_pending1[k];
}

double eco_ledger_region_domain_j(const struct eco_ledger *l, size_t k, size_t i)
{
    if (!eco_ledger_region_resolved(l, k) || i >= l->n)
        return 0;
    const double *e0 = l->region_dom_j + 2 * k * l->n, *e1 = e0 + l->n;
    return e1[i] > e0[i] ? e1[i] - e0[i] : 0;
}

int eco_ledger_first_epoch(const struct eco_ledger *l, double *t_end, double *epoch_j, double *total_j)
{
    if (!l->has_epoch)
        return 0;
    size_t k = l->first_epoch;
    if (l->region_pending0[k] || l->region_pending1[k])
        return 0;
    *t_end = l->t0 + l->regions[k].end_s;
    *epoch_j = l->region_e1[k] - l->region_e0[k];
    *total_j = l->region_e1[k];
    return 1;
}

/* Why an untrusted platform domain is not in the total (before any other note). */
static void untrusted_note(const struct eco_ledger *l, size_t i, char *note, size_t len)
{
    char other[256];
    snprintf(other, sizeof other, "%s", note);
    int n;
    double parts = inside_j(l, i, &n);
    int w = snprintf(note, len, "grew less than the domains inside it (%.1f J < %.1f J): not counted, the total "
                     "adds them instead", l->dom[i].energy_j, parts);
    if (other[0] && w > 0 && (size_t)w + 2 < len)
        snprintf(note + w, len - (size_t)w, "; %.*s", (int)(len - (size_t)w - 3), other);
}

/* Domain i's figures (not its series) into o. */
static void fill_domain(const struct eco_ledger *l, const struct eco_ledger_domain *d, struct eco_domain_result *o)
{
    snprintf(o->name, sizeof o->name, "%s", d->d.name);
    snprintf(o->device, sizeof o->device, "%s", d->d.device);
    o->kind = d->d.kind;
    o->method = d->d.method;
    o->top_level = eco_ledger_counted(l, (size_t)(d - l->dom));
    o->energy_j = d->energy_j;
    o->avg_w = d->covered_s > 0 ? d->energy_j / d->covered_s : 0;
    o->peak_w = d->peak_w;
    o->gap_s = d->gap_s;
    if (d->has_prev && d->in_gap && !d->vanished && l->last_t > d->prev.t)
        o->gap_s += l->last_t - d->prev.t; /* a gap still open at the end */
    if (!d->has_prev && !d->vanished)
        snprintf(o->note, sizeof o->note, "no reading during the run");
    else if (d->has_prev && d->in_gap && !d->vanished && !d->note[0] && l->last_t > d->prev.t)
        /* a file that vanished or a GPU lost while the others go on: say
         * so, and that what it measured before is in the total */
        snprintf(o->note, sizeof o->note, "no reading after %.1f s (sensor gone or failing); energy until then kept",
                 d->prev.t - l->t0);
    else
        snprintf(o->note, sizeof o->note, "%s", d->note);
    if (d->untrusted)
        untrusted_note(l, (size_t)(d - l->dom), o->note, sizeof o->note);
}

/* The ledger's points into o: only the new ones (and the newest one o has,
 * which may have grown) when o already holds a prefix of them (same merge
 * count), else all. A failed allocation keeps
 * what o had: the series is a view, the energy does not depend on it. */
static void fill_series(const struct eco_ledger_domain *d, struct eco_domain_result *o)
{
    /* o's newest point may have grown since (series_push): copied again */
    size_t from = o->series_gen == d->series_gen && o->n_series <= d->n_series && o->n_series > 0
                      ? o->n_series - 1
                      : 0;
    if (d->n_series > o->cap_series) {
        size_t cap = d->cap_series > d->n_series ? d->cap_series : d->n_series;
        struct eco_point *p = realloc(o->series, cap * sizeof *p);
        if (!p)
            return;
        o->series = p;
        o->cap_series = cap;
    }
    if (d->n_series > from)
        memcpy(o->series + from, d->series + from, (d->n_series - from) * sizeof *o->series);
    o->n_series = d->n_series;
    o->series_gen = d->series_gen;
}

/* r's arrays sized for the ledger: kept when they fit (a checkpoint),
 * replaced otherwise. */
static int fit_arrays(const struct eco_ledger *l, struct eco_run_result *r, struct eco_err *err)
{
    if (!r->domains || r->n_domains != l->n) {
        struct eco_domain_result *dr = calloc(l->n ? l->n : 1, sizeof *dr);
        if (!dr)
            return eco_err_set(err, 1, "out of memory");
        for (size_t i = 0; i < r->n_domains; i++)
            free(r->domains[i].series);
        free(r->domains);
        r->domains = dr;
        r->n_domains = l->n;
    }
    if (!r->regions || r->n_regions != l->n_regions) {
        struct eco_region_result *rr = realloc(r->regions, (l->n_regions ? l->n_regions : 1) * sizeof *rr);
        if (!rr)
            return eco_err_set(err, 1, "out of memory");
        r->regions = rr;
        r->n_regions = l->n_regions;
    }
    return 0;
}

int eco_ledger_fill(struct eco_ledger *l, double t_end, double baseline_w, struct eco_run_result *r,
                    struct eco_err *err)
{
    if (fit_arrays(l, r, err) != 0)
        return -1;
    for (size_t i = 0; i < l->n; i++) {
        fill_domain(l, &l->dom[i], &r->domains[i]);
        fill_series(&l->dom[i], &r->domains[i]);
    }
    struct eco_region_result *rr = r->regions;
    for (size_t k = 0; k < l->n_regions; k++) {
        rr[k] = l->regions[k];
        if (l->region_open[k])
            rr[k].end_s = t_end - l->t0; /* still open: provisional end now */
        double e0 = l->region_pending0[k] ? eco_ledger_total_at(l, l->t0 + rr[k].start_s) : l->region_e0[k];
        double e1 = (l->region_open[k] || l->region_pending1[k]) ? eco_ledger_total_at(l, l->t0 + rr[k].end_s)
                                                                   : l->region_e1[k];
        rr[k].energy_j = e1 > e0 ? e1 - e0 : 0;
        rr[k].net_energy_j = eco_net_energy_j(rr[k].energy_j, baseline_w, rr[k].end_s - rr[k].start_s);
    }
    r->items = l->items;
    r->total_energy_j = eco_ledger_total_j(l);
    r->duration_s = t_end - l->t0;
    return 0;
}
