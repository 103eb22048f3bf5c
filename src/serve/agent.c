#include "serve/agent.h"
#include "meter/run_driver.h"

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

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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

int eco_agent_run(const struct eco_agent_options *o, volatile sig_atomic_t *stop, struct eco_err *err)
{
    struct eco_run_setup setup = {.kind = "serve", .region = o->region, .intensity = o->intensity,
                                  .meter = {.interval_s = o->interval_s > 0 ? o->interval_s : 1.0}};
    struct eco_run_driver *d = eco_run_driver_open(&setup, err);
    if (!d)
        return -1;
    const struct eco_intensity ci = *eco_run_driver_intensity(d);
    if (ci.is_default && !o->quiet)
        fprintf(stderr, "ecometer: %s\n", ECO_INTENSITY_DEFAULT_WARNING);
    if (eco_run_driver_start(d, err) != 0) {
        eco_run_driver_close(d);
        return -1;
    }
    struct eco_meter *m = eco_run_driver_meter(d);
    struct shared_text shared = {.mu = PTHREAD_MUTEX_INITIALIZER};
    struct eco_http_opts ho = {.listen = o->listen ? o->listen : "127.0.0.1:9464",
                               .token = o->token,
                               .max_connections = o->max_connections};
    struct eco_http *http = NULL;
    struct consumers c = {0};
    struct eco_err cg_err;
    c.cgroups_ok = eco_scan_cgroups(&c.scan, &cg_err) == 0;
    size_t top_n = o->top_n;
    size_t nd = eco_meter_n_domains(m);
    struct eco_prom_domain *doms = calloc(nd ? nd : 1, sizeof *doms);
    struct eco_prom_consumer *procs = calloc(top_n ? top_n : 1, sizeof *procs);
    struct eco_prom_consumer *groups = calloc(top_n ? top_n : 1, sizeof *groups);
    int rc = -1;
    if (!doms || !procs || !groups) {
        eco_err_set(err, 1, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nd; i++) {
        const struct eco_domain *d = eco_meter_domain(m, i);
        doms[i] = (struct eco_prom_domain){d->name, eco_kind_name(d->kind), d->device,
                                           eco_method_name(d->method), 0, 0, d->parent < 0};
    }
    const char *region = ci.region ? ci.region->code : ci.is_default ? "WORLD" : "given";
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    double start_unix = (double)wall.tv_sec + (double)wall.tv_nsec / 1e9;
    double samples = 0, t0 = mono_now(), last_scan = -1e9;
    /* Publish a first exposition before accepting scrapes. */
    int first = 1;
    for (;;) {
        if (!first) {
            if (!eco_meter_wait_and_sample(m) && !*stop)
                continue;
            samples++;
        }
        double now = mono_now();
        if (top_n && now - last_scan >= fmax(1.0, eco_meter_interval(m)) - 1e-3) {
            attribute(&c, m);
            last_scan = now;
        }
        for (size_t i = 0; i < nd; i++) {
            doms[i].energy_j = eco_meter_domain_energy_j(m, i);
            doms[i].power_w = eco_meter_domain_power_w(m, i);
        }
        struct eco_prom_snapshot s = {.domains = doms, .n_domains = nd, .region = region};
        fill_consumers(&c.procs, top_n, procs, &s.n_processes);
        fill_consumers(&c.groups, top_n, groups, &s.n_containers);
        s.processes = procs;
        s.containers = groups;
        struct eco_live live;
        eco_run_driver_live(d, &live);
        s.co2e_g = live.co2e_g;
        s.intensity_g_per_kwh = ci.g_per_kwh;
        self_usage(&s.agent_cpu_seconds, &s.agent_rss_bytes);
        s.samples = samples;
        s.start_time_unix = start_unix;
        char *text;
        size_t len;
        if (eco_prom_render(&s, &text, &len) == 0)
            publish(&shared, text, len);
        if (first) {
            first = 0;
            http = eco_http_start(&ho, render_latest, &shared, err);
            if (!http)
                goto out;
            int loop = 0;
            struct sockaddr_storage ss;
            socklen_t sl;
            struct eco_err ignore;
            eco_http_parse_listen(ho.listen, &ss, &sl, &loop, &ignore);
            /* Exposure beyond this machine is said even with --quiet
             * (docs/SECURITY.md): it is a decision, not a status line. */
            if (!loop)
                fprintf(stderr, "ecometer: warning: listening beyond this machine (%s); anyone who "
                                "can reach it sees per-process and per-container energy%s\n",
                        ho.listen, o->token ? "" : " (no --token-file given)");
            if (!o->quiet) {
                fprintf(stderr, "ecometer: serving http://%s/metrics (port %u), %zu domains, every %.3g s\n",
                        ho.listen, eco_http_port(http), nd, eco_meter_interval(m));
                if (!c.cgroups_ok && top_n)
                    fprintf(stderr, "ecometer: no per-container energy: %s\n", cg_err.msg);
            }
        }
        if (*stop || (o->duration_s > 0 && now - t0 >= o->duration_s))
            break;
    }
    rc = 0;
out:
    eco_http_stop(http);
    eco_run_driver_close(d);
    eco_consumer_ledger_free(&c.procs);
    eco_consumer_ledger_free(&c.groups);
    eco_usage_set_free(&c.scan);
    free(doms);
    free(procs);
    free(groups);
    free(shared.text);
    return rc;
}
