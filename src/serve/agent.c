#include "serve/agent.h"
#include "core/clock.h"
#include "meter/run_driver.h"
#include "meter/sampler.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "carbon/intensity.h"
#include "meter/consumers.h"
#include "meter/meter.h"
#include "render/prometheus.h"
#include "serve/http.h"

/* The latest rendered exposition, swapped under a mutex: scrapes copy it and
 * never wait for a sample or a /proc scan. */
struct shared_text {
    pthread_mutex_t mu;
    char *text;
    size_t len;
};

static int render_latest(void *ctx, char **body, size_t *len)
{
    struct shared_text *s = ctx;
    pthread_mutex_lock(&s->mu);
    *body = s->text ? malloc(s->len ? s->len : 1) : NULL;
    if (*body)
        memcpy(*body, s->text, s->len);
    *len = s->len;
    pthread_mutex_unlock(&s->mu);
    return *body ? 0 : -1;
}

static void publish(struct shared_text *s, char *text, size_t len)
{
    pthread_mutex_lock(&s->mu);
    free(s->text);
    s->text = text;
    s->len = len;
    pthread_mutex_unlock(&s->mu);
}

static void self_usage(double *cpu_s, double *rss_bytes)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
             (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    *rss_bytes = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        unsigned long size, resident;
        if (fscanf(f, "%lu %lu", &size, &resident) == 2)
            *rss_bytes = (double)resident * (double)sysconf(_SC_PAGESIZE);
        fclose(f);
    }
}

struct consumers {
    struct eco_consumer_ledger procs, groups;
    struct eco_usage_set scan;
    double last_host_j, last_busy_s;
    int have_busy, cgroups_ok;
    size_t keep; /* the top N exported */
};

static void attribute(struct consumers *c, struct eco_meter *m)
{
    struct eco_err e;
    double busy;
    if (eco_proc_busy_seconds(&busy, &e) != 0)
        return;
    double host;
    eco_meter_cpu_time_domains(m, NULL, &host);
    double de = c->have_busy ? host - c->last_host_j : 0;
    double db = c->have_busy ? busy - c->last_busy_s : 0;
    c->last_host_j = host;
    c->last_busy_s = busy;
    c->have_busy = 1;
    if (eco_scan_processes(&c->scan, &e) == 0)
        eco_consumer_ledger_update(&c->procs, &c->scan, de, db);
    if (c->cgroups_ok && eco_scan_cgroups(&c->scan, &e) == 0)
        eco_consumer_ledger_update(&c->groups, &c->scan, de, db);
    /* Memory stays flat under a fork storm: gone consumers leave the ledger
     * unless they are among the exported top N. */
    eco_consumer_ledger_prune(&c->procs, c->keep);
    eco_consumer_ledger_prune(&c->groups, c->keep);
}

static void fill_consumers(const struct eco_consumer_ledger *l, size_t top_n,
                           struct eco_prom_consumer *out, size_t *n)
{
    size_t idx[256];
    if (top_n > 256)
        top_n = 256;
    *n = eco_consumer_ledger_top(l, idx, top_n);
    for (size_t i = 0; i < *n; i++)
        out[i] = (struct eco_prom_consumer){l->v[idx[i]].name, l->v[idx[i]].id, l->v[idx[i]].energy_j};
}

/* What one agent holds while it serves. */
struct agent {
    const struct eco_agent_options *o;
    struct eco_run_driver *d;
    struct eco_meter *m;
    struct shared_text shared;
    struct eco_http_opts ho;
    struct consumers c;
    struct eco_err cg_err;
    size_t top_n, nd;
    struct eco_prom_domain *doms;
    struct eco_prom_consumer *procs, *groups;
    const char *region;
    double start_unix, samples;
};

/* The meter's figures now, rendered and published for the next scrapes. */
static void publish_snapshot(struct agent *a)
{
    for (size_t i = 0; i < a->nd; i++) {
        a->doms[i].energy_j = eco_meter_domain_energy_j(a->m, i);
        a->doms[i].power_w = eco_meter_domain_power_w(a->m, i);
    }
    struct eco_prom_snapshot s = {.domains = a->doms, .n_domains = a->nd, .region = a->region};
    fill_consumers(&a->c.procs, a->top_n, a->procs, &s.n_processes);
    fill_consumers(&a->c.groups, a->top_n, a->groups, &s.n_containers);
    s.processes = a->procs;
    s.containers = a->groups;
    struct eco_live live;
    eco_run_driver_live(a->d, &live);
    s.co2e_g = live.co2e_g;
    s.intensity_g_per_kwh = live.intensity_g_per_kwh; /* the series' value now, if one is given */
    self_usage(&s.agent_cpu_seconds, &s.agent_rss_bytes);
    s.samples = a->samples;
    s.start_time_unix = a->start_unix;
    char *text;
    size_t len;
    if (eco_prom_render(&s, &text, &len) == 0)
        publish(&a->shared, text, len);
}

/* Accept scrapes (once the first exposition is published) and say where. */
static struct eco_http *start_http(struct agent *a, struct eco_err *err)
{
    struct eco_http *http = eco_http_start(&a->ho, render_latest, &a->shared, err);
    if (!http)
        return NULL;
    int loop = 0;
    struct sockaddr_storage ss;
    socklen_t sl;
    struct eco_err ignore;
    eco_http_parse_listen(a->ho.listen, &ss, &sl, &loop, &ignore);
    /* Exposure beyond this machine is said even with --quiet
     * (docs/SECURITY.md): it is a decision, not a status line. */
    if (!loop)
        fprintf(stderr, "ecometer: warning: listening beyond this machine (%s); anyone who "
                        "can reach it sees per-process and per-container energy%s\n",
                a->ho.listen, a->o->token ? "" : " (no --token-file given)");
    if (!a->o->quiet) {
        fprintf(stderr, "ecometer: serving http://%s/metrics (port %u), %zu domains, every %.3g s\n", a->ho.listen,
                eco_http_port(http), a->nd, eco_meter_interval(a->m));
        if (!a->c.cgroups_ok && a->top_n)
            fprintf(stderr, "ecometer: no per-container energy: %s\n", a->cg_err.msg);
    }
    return http;
}

/* The tables the snapshots are built in. 0, or -1 out of memory. */
static int agent_tables(struct agent *a)
{
    a->nd = eco_meter_n_domains(a->m);
    a->doms = calloc(a->nd ? a->nd : 1, sizeof *a->doms);
    a->procs = calloc(a->top_n ? a->top_n : 1, sizeof *a->procs);
    a->groups = calloc(a->top_n ? a->top_n : 1, sizeof *a->groups);
    if (!a->doms || !a->procs || !a->groups)
        return -1;
    for (size_t i = 0; i < a->nd; i++) {
        const struct eco_domain *d = eco_meter_domain(a->m, i);
        a->doms[i] = (struct eco_prom_domain){d->name, eco_kind_name(d->kind), d->device,
                                              eco_method_name(d->method), 0, 0, d->parent < 0};
    }
    return 0;
}

static void agent_free(struct agent *a)
{
    eco_run_driver_close(a->d);
    eco_consumer_ledger_free(&a->c.procs);
    eco_consumer_ledger_free(&a->c.groups);
    eco_usage_set_free(&a->c.scan);
    free(a->doms);
    free(a->procs);
    free(a->groups);
    free(a->shared.text);
}

int eco_agent_run(const struct eco_agent_options *o, volatile sig_atomic_t *stop, struct eco_err *err)
{
    struct agent a = {.o = o, .shared = {.mu = PTHREAD_MUTEX_INITIALIZER}, .top_n = o->top_n,
                      .ho = {.listen = o->listen ? o->listen : "127.0.0.1:9464", .token = o->token,
                             .max_connections = o->max_connections}};
    struct eco_run_setup setup = {.kind = "serve", .region = o->region, .intensity = o->intensity,
                                  .intensity_series = o->intensity_series, .series_basis = o->series_basis,
                                  .meter = {.interval_s = o->interval_s > 0 ? o->interval_s : 1.0}};
    if (!(a.d = eco_run_driver_open(&setup, err)))
        return -1;
    const struct eco_intensity *ci = eco_run_driver_intensity(a.d);
    if (ci->is_default && !o->quiet)
        fprintf(stderr, "ecometer: %s\n", ECO_INTENSITY_DEFAULT_WARNING);
    a.region = ci->region ? ci->region->code : ci->is_default ? "WORLD" : "given";
    a.m = eco_run_driver_meter(a.d);
    a.c.cgroups_ok = eco_scan_cgroups(&a.c.scan, &a.cg_err) == 0;
    struct eco_http *http = NULL;
    a.c.keep = a.top_n;
    int rc = -1;
    if (eco_run_driver_start(a.d, err) != 0)
        goto out;
    if (agent_tables(&a) != 0) {
        eco_err_set(err, 1, "out of memory");
        goto out;
    }
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    a.start_unix = (double)wall.tv_sec + (double)wall.tv_nsec / 1e9;
    double t0 = eco_monotonic_s(), last_scan = -1e9;
    for (int first = 1;; first = 0) { /* a first exposition is published before scrapes are accepted */
        if (!first) {
            if (!eco_meter_wait_and_sample(a.m) && !*stop)
                continue;
            a.samples++;
        }
        double now = eco_monotonic_s();
        if (a.top_n && now - last_scan >= fmax(1.0, eco_meter_interval(a.m)) - 1e-3) {
            attribute(&a.c, a.m);
            last_scan = now;
        }
        publish_snapshot(&a);
        if (first && !(http = start_http(&a, err)))
            goto out;
        if (*stop || (o->duration_s > 0 && now - t0 >= o->duration_s))
            break;
    }
    rc = 0;
out:
    eco_http_stop(http);
    agent_free(&a);
    return rc;
}
