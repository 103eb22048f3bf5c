/* The meter object (see meter.h): sensors -> readings -> ledger + attribution. */
#include "meter/meter.h"
#include "core/clock.h"
#include "meter/region_figures.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "meter/consumers.h"
#include "meter/gpu_share.h"
#include "meter/run_derive.h"
#include "meter/sampler.h"
#include "sensors/nvml.h"

struct eco_meter {
    struct eco_meter_options opt;
    struct eco_sensor_set set;
    struct eco_domain *domains;  /* flattened over enabled sensors, parents re-indexed */
    size_t n;
    size_t *base;                /* per sensor: index of its first domain */
    int *sensor_gone;            /* per sensor: its read reported it vanished */
    struct eco_reading *readings;
    double *prev_energy;         /* per domain: ledger energy at the previous sample */
    double interval_s;
    char interval_note[256];
    struct eco_ledger ledger;
    struct eco_attr attr;
    struct eco_sampler sampler;
    int started;
    double t0;
    long long epoch_open;        /* the `epoch N` region open, or -1 */
    struct eco_sensor *nvml;     /* the NVML source, for per-process GPU data (or NULL) */
    size_t nvml_base;            /* index of its first domain */
    double *gpu_scan_energy;     /* per domain: energy at the last attribution scan */
    unsigned long long *gpu_since; /* per NVML GPU: newest process sample seen */
    unsigned long long *view_since; /* the same for eco_meter_gpu_processes (top's
                                     * view), so it takes no sample from attribution */
    pthread_mutex_t mu;
};

struct eco_meter *eco_meter_open(const struct eco_meter_options *opt, struct eco_err *err)
{
    struct eco_sensor_set set;
    memset(&set, 0, sizeof set);
    if (eco_sensors_open(&set, err) < 0)
        return NULL;
    return eco_meter_open_set(opt, &set, err);
}

struct eco_meter *eco_meter_open_set(const struct eco_meter_options *opt, struct eco_sensor_set *set,
                                     struct eco_err *err)
{
    struct eco_meter *m = calloc(1, sizeof *m);
    if (!m) {
        eco_sensors_close(set);
        eco_err_set(err, 1, "out of memory");
        return NULL;
    }
    m->opt = *opt;
    m->set = *set;
    memset(set, 0, sizeof *set);
    m->sampler.fd = -1;
    m->epoch_open = -1;
    pthread_mutex_init(&m->mu, NULL);
    size_t total = 0;
    for (size_t s = 0; s < m->set.n; s++)
        if (m->set.sensors[s].enabled)
            total += m->set.sensors[s].n_domains;
    m->domains = calloc(total ? total : 1, sizeof *m->domains);
    m->readings = calloc(total ? total : 1, sizeof *m->readings);
    m->prev_energy = calloc(total ? total : 1, sizeof *m->prev_energy);
    m->base = calloc(m->set.n ? m->set.n : 1, sizeof *m->base);
    m->sensor_gone = calloc(m->set.n ? m->set.n : 1, sizeof *m->sensor_gone);
    if (!m->domains || !m->readings || !m->prev_energy || !m->base || !m->sensor_gone) {
        eco_err_set(err, 1, "out of memory");
        eco_meter_close(m);
        return NULL;
    }
    /* Flatten: a domain's parent is an index within its own sensor. */
    for (size_t s = 0; s < m->set.n; s++) {
        const struct eco_sensor *sn = &m->set.sensors[s];
        m->base[s] = m->n;
        if (!sn->enabled)
            continue;
        for (size_t i = 0; i < sn->n_domains; i++) {
            struct eco_domain d = sn->domains[i];
            if (d.parent >= 0)
                d.parent = (d.parent < (int)sn->n_domains) ? (int)m->base[s] + d.parent : -1;
            m->domains[m->n++] = d;
        }
    }
    /* A container in another source (eco_domain.inside, checked by the
     * registry) becomes a parent across sources: the total counts it once. */
    for (size_t i = 0; i < m->n; i++) {
        size_t si, di;
        if (m->domains[i].parent < 0 && m->domains[i].inside[0] &&
            eco_sensors_locate(&m->set, m->domains[i].inside, &si, &di) == 0)
            m->domains[i].parent = (int)(m->base[si] + di);
    }
    for (size_t s = 0; s < m->set.n; s++)
        if (m->set.sensors[s].enabled && strcmp(m->set.sensors[s].ops->name, "nvml") == 0 &&
            m->set.sensors[s].n_domains > 0) {
            m->nvml = &m->set.sensors[s];
            m->nvml_base = m->base[s];
            m->gpu_scan_energy = calloc(total ? total : 1, sizeof *m->gpu_scan_energy);
            m->gpu_since = calloc(m->nvml->n_domains, sizeof *m->gpu_since);
            m->view_since = calloc(m->nvml->n_domains, sizeof *m->view_since);
            if (!m->gpu_scan_energy || !m->gpu_since || !m->view_since)
                m->nvml = NULL;
        }
    double want = opt->interval_s > 0 ? opt->interval_s : 0.1;
    m->interval_s = want;
    for (size_t i = 0; i < m->n; i++) {
        /* the stricter of the source's own limit and the ledger's ceiling rule */
        double safe = eco_ledger_safe_interval(&m->domains[i]);
        double own = m->domains[i].max_interval_s;
        if (own > 0 && (safe <= 0 || own < safe))
            safe = own;
        if (safe > 0 && safe < m->interval_s) {
            m->interval_s = safe;
            snprintf(m->interval_note, sizeof m->interval_note,
                     "interval shortened from %.3g s to %.3g s so that %s's counter cannot wrap twice between samples",
                     want, safe, m->domains[i].name);
        }
    }
    if (m->interval_s < 0.001)
        m->interval_s = 0.001;
    return m;
}

void eco_meter_close(struct eco_meter *m)
{
    if (!m)
        return;
    eco_sampler_stop(&m->sampler);
    eco_ledger_free(&m->ledger);
    eco_attr_free(&m->attr);
    eco_sensors_close(&m->set);
    free(m->domains);
    free(m->readings);
    free(m->prev_energy);
    free(m->base);
    free(m->sensor_gone);
    free(m->gpu_scan_energy);
    free(m->gpu_since);
    free(m->view_since);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

double eco_meter_interval(const struct eco_meter *m) { return m->interval_s; }
const char *eco_meter_interval_note(const struct eco_meter *m) { return m->interval_note; }
const struct eco_sensor_set *eco_meter_sensors(const struct eco_meter *m) { return &m->set; }
int eco_meter_timer_fd(const struct eco_meter *m) { return m->sampler.fd; }
uint64_t eco_meter_missed_deadlines(const struct eco_meter *m) { return m->sampler.missed; }
size_t eco_meter_n_domains(const struct eco_meter *m) { return m->n; }
const struct eco_domain *eco_meter_domain(const struct eco_meter *m, size_t i) { return i < m->n ? &m->domains[i] : NULL; }

/* Read every sensor once and account it. Caller holds the mutex. */
static void sample_locked(struct eco_meter *m)
{
    double now = eco_monotonic_s();
    for (size_t s = 0; s < m->set.n; s++) {
        struct eco_sensor *sn = &m->set.sensors[s];
        if (!sn->enabled)
            continue;
        struct eco_reading *out = &m->readings[m->base[s]];
        for (size_t i = 0; i < sn->n_domains; i++)
            out[i] = (struct eco_reading){0, 0, now};
        if (m->sensor_gone[s])
            continue;
        struct eco_err e;
        eco_err_clear(&e);
        if (sn->ops->read(sn, out, &e) < 0) {
            /* The whole source is gone (GPU lost, module unloaded): report it
             * and go on with the others; it is not read again. */
            m->sensor_gone[s] = 1;
            for (size_t i = 0; i < sn->n_domains; i++) {
                out[i].ok = 0;
                eco_ledger_vanish(&m->ledger, m->base[s] + i, now, e.msg);
            }
            continue;
        }
        for (size_t i = 0; i < sn->n_domains; i++)
            if (out[i].ok && out[i].t <= 0)
                out[i].t = now; /* a source that does not stamp its readings */
    }
    eco_ledger_add(&m->ledger, m->readings);
    if (m->opt.attribute) {
        double gpu = 0, other = 0;
        for (size_t i = 0; i < m->n; i++) {
            double e = m->ledger.dom[i].energy_j;
            if (eco_ledger_counted(&m->ledger, i)) {
                if (m->domains[i].kind == ECO_KIND_GPU)
                    gpu += e - m->prev_energy[i];
                else
                    other += e - m->prev_energy[i];
            }
            m->prev_energy[i] = e;
        }
        eco_attr_add_energy(&m->attr, other, gpu);
        eco_attr_scan(&m->attr, now, 0);
    }
}

/* Attribution's GPU source: each NVML GPU's tree share (gpu_share.h),
 * weighted by that GPU's energy since the last scan. Called with the mutex
 * held (from sample_locked through eco_attr_scan). */
static double nvml_tree_share(void *ctx, const pid_t *pids, size_t n)
{
    struct eco_meter *m = ctx;
    double weighted = 0, total = 0;
    struct eco_gpu_proc procs[64];
    for (size_t g = 0; g < m->nvml->n_domains; g++) {
        size_t i = m->nvml_base + g;
        double e = m->ledger.dom[i].energy_j - m->gpu_scan_energy[i];
        m->gpu_scan_energy[i] = m->ledger.dom[i].energy_j;
        if (e <= 0)
            continue;
        total += e;
        size_t np = 0;
        struct eco_err err;
        if (m->ledger.dom[i].vanished ||
            eco_nvml_processes(m->nvml, g, &m->gpu_since[g], procs, 64, &np, &err) < 0)
            continue; /* unknown: this GPU's energy stays unattributed */
        weighted += e * eco_gpu_tree_share(procs, np, pids, n, NULL);
    }
    return total > 0 ? weighted / total : 0;
}

int eco_meter_start(struct eco_meter *m, struct eco_err *err)
{
    pthread_mutex_lock(&m->mu);
    eco_sampler_stop(&m->sampler);
    eco_ledger_free(&m->ledger);
    eco_attr_free(&m->attr);
    m->t0 = eco_monotonic_s();
    m->epoch_open = -1;
    memset(m->prev_energy, 0, (m->n ? m->n : 1) * sizeof *m->prev_energy);
    int rc = eco_ledger_init(&m->ledger, m->domains, m->n, m->t0, m->interval_s, err);
    if (rc == 0) {
        if (m->opt.series_max)
            m->ledger.series_max = m->opt.series_max;
        if (m->opt.attribute) {
            double period = m->opt.attr_period_s > 0 ? m->opt.attr_period_s : 1.0;
            if (period < m->interval_s)
                period = m->interval_s;
            eco_attr_init(&m->attr, m->opt.attr_root, m->opt.attr_include_root, period);
            if (m->opt.attr_root_alone)
                eco_attr_tree_is_root_only(&m->attr);
            if (m->nvml) {
                for (size_t i = 0; i < m->n; i++)
                    m->gpu_scan_energy[i] = 0;
                eco_attr_set_gpu_share(&m->attr, nvml_tree_share, m);
            }
        }
        sample_locked(m);
        rc = eco_sampler_start(&m->sampler, m->interval_s, err);
        m->started = rc == 0;
    }
    pthread_mutex_unlock(&m->mu);
    return rc;
}

int eco_meter_on_timer(struct eco_meter *m)
{
    if (eco_sampler_ack(&m->sampler) == 0)
        return 0;
    pthread_mutex_lock(&m->mu);
    sample_locked(m);
    pthread_mutex_unlock(&m->mu);
    return 1;
}

int eco_meter_wait_and_sample(struct eco_meter *m)
{
    if (eco_sampler_wait(&m->sampler) == 0)
        return 0;
    pthread_mutex_lock(&m->mu);
    sample_locked(m);
    pthread_mutex_unlock(&m->mu);
    return 1;
}

void eco_meter_sample(struct eco_meter *m)
{
    pthread_mutex_lock(&m->mu);
    sample_locked(m);
    pthread_mutex_unlock(&m->mu);
}

void eco_meter_tree_is_root_only(struct eco_meter *m)
{
    pthread_mutex_lock(&m->mu);
    if (m->opt.attribute)
        eco_attr_tree_is_root_only(&m->attr);
    pthread_mutex_unlock(&m->mu);
}

void eco_meter_finish(struct eco_meter *m)
{
    pthread_mutex_lock(&m->mu);
    sample_locked(m);
    if (m->opt.attribute)
        eco_attr_scan(&m->attr, eco_monotonic_s(), 1);
    eco_sampler_stop(&m->sampler);
    pthread_mutex_unlock(&m->mu);
}

#define LOCKED(type, expr)                                                                          \
    do {                                                                                            \
        pthread_mutex_lock(&m->mu);                                                                 \
        type v_ = (expr);                                                                           \
        pthread_mutex_unlock(&m->mu);                                                               \
        return v_;                                                                                  \
    } while (0)

double eco_meter_domain_power_w(struct eco_meter *m, size_t i)
{
    if (i >= m->n)
        return 0;
    LOCKED(double, m->ledger.dom[i].vanished ? 0 : m->ledger.dom[i].last_w);
}

int eco_meter_gpu_processes(struct eco_meter *m, size_t i, struct eco_gpu_proc *out, size_t cap, size_t *n)
{
    *n = 0;
    if (!m->nvml || i < m->nvml_base || i >= m->nvml_base + m->nvml->n_domains)
        return -1;
    size_t g = i - m->nvml_base;
    struct eco_err err;
    pthread_mutex_lock(&m->mu);
    int rc = m->ledger.dom[i].vanished ? -1 : eco_nvml_processes(m->nvml, g, &m->view_since[g], out, cap, n, &err);
    pthread_mutex_unlock(&m->mu);
    return rc;
}

double eco_meter_domain_energy_j(struct eco_meter *m, size_t i)
{
    if (i >= m->n)
        return 0;
    LOCKED(double, m->ledger.dom[i].energy_j);
}

double eco_meter_power_w(struct eco_meter *m) { LOCKED(double, eco_ledger_power_w(&m->ledger)); }
double eco_meter_energy_j(struct eco_meter *m) { LOCKED(double, eco_ledger_total_j(&m->ledger)); }
double eco_meter_elapsed_s(const struct eco_meter *m) { return m->started ? eco_monotonic_s() - m->t0 : 0; }

void eco_meter_cpu_time_domains(struct eco_meter *m, double *power_w, double *energy_j)
{
    double w = 0, e = 0;
    for (size_t i = 0; i < m->n; i++)
        if (eco_kind_follows_cpu_time(m->domains[i].kind)) {
            w += eco_meter_domain_power_w(m, i);
            e += eco_meter_domain_energy_j(m, i);
        }
    if (power_w)
        *power_w = w;
    if (energy_j)
        *energy_j = e;
}

int eco_meter_any_estimated(const struct eco_meter *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->domains[i].parent == -1 && m->domains[i].method == ECO_ESTIMATED)
            return 1;
    return 0;
}

int eco_meter_begin(struct eco_meter *m, const char *name)
{
    LOCKED(int, eco_ledger_begin(&m->ledger, name, eco_monotonic_s()));
}

int eco_meter_end(struct eco_meter *m, const char *name)
{
    LOCKED(int, eco_ledger_end(&m->ledger, name, eco_monotonic_s()));
}

void eco_meter_items(struct eco_meter *m, long long count)
{
    pthread_mutex_lock(&m->mu);
    eco_ledger_items(&m->ledger, count);
    pthread_mutex_unlock(&m->mu);
}

long long eco_meter_items_so_far(struct eco_meter *m) { LOCKED(long long, m->ledger.items); }

void eco_meter_epoch(struct eco_meter *m, long long n)
{
    char name[64];
    double t = eco_monotonic_s();
    pthread_mutex_lock(&m->mu);
    if (m->epoch_open >= 0) {
        snprintf(name, sizeof name, "epoch-%lld", m->epoch_open);
        eco_ledger_end(&m->ledger, name, t); /* may be closed already by `end`: then counted as unmatched */
    }
    snprintf(name, sizeof name, "epoch-%lld", n);
    if (eco_ledger_begin(&m->ledger, name, t) == 0)
        m->epoch_open = n;
    pthread_mutex_unlock(&m->mu);
}

long long eco_meter_rejected_markers(struct eco_meter *m) { LOCKED(long long, m->ledger.rejected_markers); }

int eco_meter_region_figures(struct eco_meter *m, const char *name, struct eco_region_figures *out)
{
    LOCKED(int, (int)eco_ledger_region_figures(&m->ledger, name, out));
}

int eco_meter_first_epoch(struct eco_meter *m, struct eco_forecast *f)
{
    pthread_mutex_lock(&m->mu);
    double t, epoch_j, total_j;
    int ok = eco_ledger_first_epoch(&m->ledger, &t, &epoch_j, &total_j);
    if (ok) {
        const struct eco_region_result *g = &m->ledger.regions[m->ledger.first_epoch];
        f->after_s = t - m->t0;
        f->first_epoch_s = g->end_s - g->start_s;
        f->first_epoch_energy_j = epoch_j;
        f->energy_at_first_epoch_end_j = total_j;
    }
    pthread_mutex_unlock(&m->mu);
    return ok;
}

/* Put every domain right after its container (depth first, the source order
 * kept otherwise): outputs show a domain that is not top-level as a part of
 * the one above it, and a container may be in a later source (a Grace module
 * after NVML's GPU) or a later zone (RAPL's psys after its package). */
static void emit_subtree(const struct eco_domain *d, size_t n, size_t i, size_t *order, size_t *k,
                         unsigned char *done)
{
    if (done[i])
        return;
    done[i] = 1;
    order[(*k)++] = i;
    for (size_t c = 0; c < n; c++)
        if (d[c].parent == (int)i)
            emit_subtree(d, n, c, order, k, done);
}

static void order_by_container(const struct eco_domain *d, size_t n, struct eco_run_result *r)
{
    if (r->n_domains != n || n < 2)
        return;
    size_t *order = calloc(n, sizeof *order), k = 0;
    unsigned char *done = calloc(n, 1);
    struct eco_domain_result *out = calloc(n, sizeof *out);
    if (order && done && out) {
        for (size_t i = 0; i < n; i++)
            if (d[i].parent < 0)
                emit_subtree(d, n, i, order, &k, done);
        for (size_t i = 0; i < n; i++) /* unreachable (a cycle): as they were */
            if (!done[i])
                order[k++] = i;
        for (size_t i = 0; i < n; i++)
            out[i] = r->domains[order[i]];
        memcpy(r->domains, out, n * sizeof *out);
    }
    free(order);
    free(done);
    free(out);
}

int eco_meter_result(struct eco_meter *m, double baseline_w, struct eco_run_result *r, struct eco_err *err)
{
    pthread_mutex_lock(&m->mu);
    double t_end = m->ledger.n_samples ? m->ledger.last_t : eco_monotonic_s();
    int rc = eco_ledger_fill(&m->ledger, t_end, baseline_w, r, err);
    if (rc == 0) {
        order_by_container(m->domains, m->n, r);
        r->interval_s = m->interval_s;
        r->baseline_w = baseline_w;
        r->net_energy_j = eco_net_energy_j(r->total_energy_j, baseline_w, r->duration_s);
        r->estimated_energy_j = eco_ledger_total_estimated_j(&m->ledger);
        r->rejected_markers = m->ledger.rejected_markers;
        snprintf(r->interval_note, sizeof r->interval_note, "%s", m->interval_note);
        if (m->opt.attribute) {
            r->attributed_energy_j = m->attr.attributed_j;
            r->attributed_share = eco_attr_share(&m->attr);
            snprintf(r->attribution_note, sizeof r->attribution_note, "%s",
                     m->attr.scan_failed ? "the process tree could not always be read from /proc: "
                                           "energy of those periods is not attributed"
                                         : "");
            eco_attr_method(&m->attr, r->attribution_method, sizeof r->attribution_method);
        } else {
            r->attributed_energy_j = 0;
            r->attributed_share = 0;
            snprintf(r->attribution_method, sizeof r->attribution_method, "none (whole machine)");
        }
    }
    pthread_mutex_unlock(&m->mu);
    return rc;
}
