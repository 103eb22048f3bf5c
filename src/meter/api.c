/* The public C API (include/ecometer.h).
 *
 * Two modes, chosen at eco_session_start:
 * - standalone: the session owns a meter and a sampler thread; stop returns
 *   the energy and CO2e of the whole machine over the session;
 * - under `ecometer run` (ECOMETER_SOCKET set): the marker calls become
 *   datagrams to that socket (protocol in src/meter/markers.h), and the run's
 *   own summary holds the figures: stop then fills duration_s only and sets
 *   energy_j and co2e_g to -1 (not known here), so nothing is measured twice. */
#include "ecometer.h"
#include "core/clock.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "carbon/co2e.h"
#include "carbon/intensity.h"
#include "meter/run_driver.h"
#include "meter/markers.h"
#include "meter/meter.h"
#include "meter/region_figures.h"
#include "meter/sampler.h"

struct eco_session {
    int remote;
    int fd;                  /* remote: connected datagram socket */
    struct eco_run_driver *d; /* standalone */
    struct eco_meter *m;     /* its meter */
    pthread_t thread;
    int thread_started;
    volatile int stopping;
    double t0;
    char last_error[256];     /* eco_session_last_error */
};

static void set_err(char *buf, unsigned len, const char *fmt, ...)
{
    if (!buf || !len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

static void *sampler_main(void *arg)
{
    eco_session *s = arg;
    while (!s->stopping)
        eco_meter_wait_and_sample(s->m);
    return NULL;
}

static int connect_remote(eco_session *s, const char *path, char *errbuf, unsigned errlen)
{
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a.sun_path) {
        set_err(errbuf, errlen, "ECOMETER_SOCKET is too long a path");
        return -1;
    }
    memcpy(a.sun_path, path, strlen(path) + 1);
    s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s->fd < 0 || connect(s->fd, (struct sockaddr *)&a, sizeof a) < 0) {
        set_err(errbuf, errlen, "cannot reach the ecometer run socket %s: %s", path, strerror(errno));
        if (s->fd >= 0)
            close(s->fd);
        return -1;
    }
    return 0;
}

eco_session *eco_session_start(const struct eco_session_options *opt, char *errbuf, unsigned errlen)
{
    eco_session *s = calloc(1, sizeof *s);
    if (!s) {
        set_err(errbuf, errlen, "out of memory");
        return NULL;
    }
    s->fd = -1;
    s->t0 = eco_monotonic_s();
    const char *sock = getenv("ECOMETER_SOCKET");
    if (sock && *sock) {
        if (connect_remote(s, sock, errbuf, errlen) < 0) {
            free(s);
            return NULL;
        }
        s->remote = 1;
        return s;
    }
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_run_setup setup = {.kind = "session", .region = opt ? opt->region : NULL,
                                  .intensity = ECO_INTENSITY_NONE, .keep_history = 1, .notes = stderr,
                                  .quiet = 1,
                                  .meter = {.interval_s = opt && opt->interval_s > 0 ? opt->interval_s : 0.1}};
    s->d = eco_run_driver_open(&setup, &err);
    if (!s->d) {
        set_err(errbuf, errlen, "%s", err.msg);
        free(s);
        return NULL;
    }
    s->m = eco_run_driver_meter(s->d);
    if (eco_meter_n_domains(s->m) == 0) {
        set_err(errbuf, errlen, "nothing can be measured or estimated on this machine "
                                "(run 'ecometer sensors' to see why and what would fix it)");
        eco_run_driver_close(s->d);
        free(s);
        return NULL;
    }
    if (eco_run_driver_start(s->d, &err) < 0) {
        set_err(errbuf, errlen, "%s%s%s", err.msg, err.hint[0] ? " (" : "", err.hint[0] ? err.hint : "");
        if (err.hint[0] && errbuf && errlen > 1 && strlen(errbuf) < errlen - 1)
            strncat(errbuf, ")", errlen - strlen(errbuf) - 1);
        eco_run_driver_close(s->d);
        free(s);
        return NULL;
    }
    if (pthread_create(&s->thread, NULL, sampler_main, s) != 0) {
        set_err(errbuf, errlen, "cannot start the sampling thread");
        eco_run_driver_close(s->d);
        free(s);
        return NULL;
    }
    s->thread_started = 1;
    return s;
}

static int send_marker(eco_session *s, enum eco_marker_kind kind, const char *name, long long count)
{
    char buf[ECO_MARKER_MAX_DATAGRAM];
    int n = eco_marker_format(kind, name, count, buf, sizeof buf);
    if (n < 0)
        return -1;
    /* Never block the caller's training loop on a full queue. */
    return send(s->fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) == n ? 0 : -1;
}

/* The same name rules as the socket (markers.h): through format + parse. */
static int normal_name(enum eco_marker_kind kind, const char *name, struct eco_marker *mk)
{
    char buf[ECO_MARKER_MAX_DATAGRAM];
    int n = eco_marker_format(kind, name, 0, buf, sizeof buf);
    return n < 0 ? -1 : eco_marker_parse(buf, (size_t)n, mk);
}

int eco_region_begin(eco_session *s, const char *name)
{
    if (!s || !name)
        return -1;
    if (s->remote)
        return send_marker(s, ECO_MARK_BEGIN, name, 0);
    struct eco_marker mk;
    return normal_name(ECO_MARK_BEGIN, name, &mk) < 0 ? -1 : eco_meter_begin(s->m, mk.name);
}

int eco_region_end(eco_session *s, const char *name)
{
    if (!s || !name)
        return -1;
    if (s->remote)
        return send_marker(s, ECO_MARK_END, name, 0);
    struct eco_marker mk;
    return normal_name(ECO_MARK_END, name, &mk) < 0 ? -1 : eco_meter_end(s->m, mk.name);
}

int eco_items(eco_session *s, long long count)
{
    if (!s || count < 0 || count > ECO_MARKER_MAX_ITEMS)
        return -1;
    if (s->remote)
        return send_marker(s, ECO_MARK_ITEMS, NULL, count);
    eco_meter_items(s->m, count);
    return 0;
}

int eco_session_set_label(eco_session *s, const char *name, const char *tags_comma_separated, const char *project)
{
    if (!s)
        return -1;
    s->last_error[0] = '\0';
    if (s->remote)
        return 1;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_run_driver_set_label(s->d, name, tags_comma_separated, project, &err) != 0) {
        set_err(s->last_error, sizeof s->last_error, "%s", err.msg);
        return -1;
    }
    return 0;
}

const char *eco_session_last_error(const eco_session *s) { return s ? s->last_error : "no session"; }
int eco_session_describe(eco_session *s, const char *command)
{
    if (!s || !command)
        return -1;
    if (!s->remote)
        eco_run_driver_set_command(s->d, command);
    return 0;
}

/* Figures of the newest closed region called name: READY, or PENDING after
 * waiting (bounded) for the sample that follows its end. */
static enum eco_figures_status wait_figures(eco_session *s, const char *name, struct eco_region_figures *f)
{
    double step = eco_meter_interval(s->m) / 4, deadline = eco_monotonic_s() + 5 * eco_meter_interval(s->m);
    if (deadline < eco_monotonic_s() + 1)
        deadline = eco_monotonic_s() + 1;
    for (;;) {
        enum eco_figures_status st = (enum eco_figures_status)eco_meter_region_figures(s->m, name, f);
        if (st != ECO_FIGURES_PENDING || eco_monotonic_s() >= deadline)
            return st;
        struct timespec ts = {(time_t)step, (long)((step - (double)(time_t)step) * 1e9)};
        nanosleep(&ts, NULL);
    }
}

int eco_region_figures(eco_session *s, const char *name, struct eco_region_summary *out,
                       struct eco_domain_summary *domains, unsigned max, unsigned *n_domains)
{
    if (n_domains)
        *n_domains = 0;
    struct eco_marker mk;
    if (!s || !name || s->remote || normal_name(ECO_MARK_FIGURES, name, &mk) < 0)
        return -1;
    struct eco_region_figures f;
    enum eco_figures_status st = wait_figures(s, mk.name, &f);
    if (st != ECO_FIGURES_READY)
        return st == ECO_FIGURES_PENDING ? 1 : -1;
    if (out) {
        out->duration_s = f.duration_s;
        out->energy_j = f.energy_j;
        out->co2e_g = eco_co2e_g(f.energy_j, eco_run_driver_intensity(s->d)->g_per_kwh);
        out->estimated_j = f.estimated_j;
        out->items = f.items;
    }
    for (size_t i = 0; domains && i < f.n_domains && i < max; i++) {
        memset(&domains[i], 0, sizeof domains[i]);
        snprintf(domains[i].name, sizeof domains[i].name, "%s", f.dom[i].name);
        domains[i].energy_j = f.dom[i].energy_j;
        domains[i].estimated = f.dom[i].method == ECO_ESTIMATED;
        domains[i].counted = f.dom[i].counted;
    }
    if (n_domains)
        *n_domains = (unsigned)(f.n_domains + f.omitted_domains);
    return 0;
}

/* The record's domains into the caller's array (at most max). */
static unsigned copy_domains(const struct eco_run_result *r, struct eco_domain_summary *out, unsigned max)
{
    for (size_t i = 0; out && i < r->n_domains && i < max; i++) {
        memset(&out[i], 0, sizeof out[i]);
        snprintf(out[i].name, sizeof out[i].name, "%s", r->domains[i].name);
        out[i].energy_j = r->domains[i].energy_j;
        out[i].estimated = r->domains[i].method == ECO_ESTIMATED;
        out[i].counted = r->domains[i].top_level;
    }
    return (unsigned)r->n_domains;
}

int eco_session_stop(eco_session *s, struct eco_summary *out)
{
    return eco_session_stop_domains(s, out, NULL, 0, NULL);
}

int eco_session_stop_domains(eco_session *s, struct eco_summary *out, struct eco_domain_summary *domains,
                             unsigned max, unsigned *n_domains)
{
    if (n_domains)
        *n_domains = 0;
    if (!s)
        return -1;
    int rc = 0;
    struct eco_summary sum = {0};
    sum.duration_s = eco_monotonic_s() - s->t0;
    if (s->remote) {
        sum.energy_j = -1;
        sum.co2e_g = -1;
        close(s->fd);
    } else {
        s->stopping = 1;
        if (s->thread_started)
            pthread_join(s->thread, NULL); /* wakes at the next deadline */
        struct eco_err err;
        eco_err_clear(&err);
        if (eco_run_driver_finish(s->d, -1, 0, 0, &err) == 0) {
            const struct eco_run_result *r = eco_run_driver_record(s->d);
            sum.duration_s = r->duration_s;
            sum.energy_j = r->total_energy_j;
            sum.co2e_g = r->co2e_g;
            sum.estimated = r->estimated_energy_j > 0;
            unsigned n = copy_domains(r, domains, max);
            if (n_domains)
                *n_domains = n;
        } else {
            rc = -1;
        }
        eco_run_driver_close(s->d);
    }
    if (out)
        *out = sum;
    free(s);
    return rc;
}
