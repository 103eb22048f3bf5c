#include "serve/conn_guard.h"
#include "core/clock.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct slot {
    int used;
    int fd;
    int waiting;      /* headers of a request not complete yet */
    int cut;          /* shut down by us, closing */
    double since;     /* when the current wait began (monotonic s) */
    unsigned char key[17]; /* family byte + address, no port */
};

struct eco_conn_guard {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t watchdog;
    int stopping, have_thread;
    unsigned max, per_addr, reserve;
    double deadline_s;
    size_t n_slots;
    struct slot *slots;
    unsigned long timed_out, displaced;
};

static void make_key(const struct sockaddr *a, unsigned char key[17])
{
    memset(key, 0, 17);
    if (!a)
        return;
    key[0] = (unsigned char)a->sa_family;
    if (a->sa_family == AF_INET)
        memcpy(key + 1, &((const struct sockaddr_in *)a)->sin_addr, 4);
    else if (a->sa_family == AF_INET6)
        memcpy(key + 1, &((const struct sockaddr_in6 *)a)->sin6_addr, 16);
}

/* Shut the socket down: libmicrohttpd sees the end of the stream and closes
 * the connection itself (the descriptor stays its own). Lock held. */
static void cut(struct slot *s)
{
    shutdown(s->fd, SHUT_RDWR);
    s->cut = 1;
}

static void *watch(void *arg)
{
    struct eco_conn_guard *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->stopping) {
        double t = eco_monotonic_s();
        for (size_t i = 0; i < g->n_slots; i++) {
            struct slot *s = &g->slots[i];
            if (s->used && !s->cut && s->waiting && t - s->since > g->deadline_s) {
                cut(s);
                g->timed_out++;
            }
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200 * 1000 * 1000; /* 0.2 s: the deadline's resolution */
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&g->wake, &g->mu, &until);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

struct eco_conn_guard *eco_conn_guard_new(unsigned max, unsigned per_addr, double header_deadline_s)
{
    struct eco_conn_guard *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->max = max ? max : 1;
    g->per_addr = per_addr ? per_addr : 1;
    g->reserve = g->max / 8 ? g->max / 8 : 1;
    g->deadline_s = header_deadline_s;
    /* Displaced connections linger until libmicrohttpd closes them, so the
     * table (and the library's own limit) holds twice the served count. */
    g->n_slots = (size_t)g->max * 2;
    g->slots = calloc(g->n_slots, sizeof *g->slots);
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->wake, NULL);
    if (!g->slots || pthread_create(&g->watchdog, NULL, watch, g) != 0) {
        eco_conn_guard_free(g);
        return NULL;
    }
    g->have_thread = 1;
    return g;
}

void eco_conn_guard_free(struct eco_conn_guard *g)
{
    if (!g)
        return;
    if (g->have_thread) {
        pthread_mutex_lock(&g->mu);
        g->stopping = 1;
        pthread_cond_signal(&g->wake);
        pthread_mutex_unlock(&g->mu);
        pthread_join(g->watchdog, NULL);
    }
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->mu);
    free(g->slots);
    free(g);
}

/* The connection that has waited longest for its headers, NULL if none.
 * Lock held. */
static struct slot *oldest_waiting(struct eco_conn_guard *g)
{
    struct slot *best = NULL;
    for (size_t i = 0; i < g->n_slots; i++) {
        struct slot *s = &g->slots[i];
        if (s->used && !s->cut && s->waiting && (!best || s->since < best->since))
            best = s;
    }
    return best;
}

int eco_conn_guard_admit(struct eco_conn_guard *g, const struct sockaddr *addr, socklen_t len)
{
    (void)len;
    unsigned char key[17];
    make_key(addr, key);
    pthread_mutex_lock(&g->mu);
    unsigned total = 0, same = 0, slots_used = 0;
    for (size_t i = 0; i < g->n_slots; i++) {
        slots_used += (unsigned)g->slots[i].used;
        if (!g->slots[i].used || g->slots[i].cut)
            continue;
        total++;
        same += memcmp(g->slots[i].key, key, 17) == 0;
    }
    int ok = slots_used < g->n_slots && same < g->per_addr;
    /* The last `reserve` slots go to addresses that hold none yet. */
    if (ok && same > 0 && total + g->reserve >= g->max)
        ok = 0;
    if (ok && total >= g->max) {
        struct slot *v = oldest_waiting(g);
        if (v) {
            cut(v);
            g->displaced++;
        } else {
            ok = 0;
        }
    }
    pthread_mutex_unlock(&g->mu);
    return ok;
}

void *eco_conn_guard_started(struct eco_conn_guard *g, int fd, const struct sockaddr *addr)
{
    struct slot *s = NULL;
    pthread_mutex_lock(&g->mu);
    for (size_t i = 0; i < g->n_slots && !s; i++)
        if (!g->slots[i].used)
            s = &g->slots[i];
    if (s) {
        memset(s, 0, sizeof *s);
        s->used = 1;
        s->fd = fd;
        s->waiting = 1;
        s->since = eco_monotonic_s();
        make_key(addr, s->key);
    }
    pthread_mutex_unlock(&g->mu);
    return s;
}

void eco_conn_guard_headers_done(struct eco_conn_guard *g, void *handle)
{
    if (!handle)
        return;
    pthread_mutex_lock(&g->mu);
    ((struct slot *)handle)->waiting = 0;
    pthread_mutex_unlock(&g->mu);
}

void eco_conn_guard_request_done(struct eco_conn_guard *g, void *handle)
{
    if (!handle)
        return;
    pthread_mutex_lock(&g->mu);
    struct slot *s = handle;
    s->waiting = 1;
    s->since = eco_monotonic_s();
    pthread_mutex_unlock(&g->mu);
}

void eco_conn_guard_closed(struct eco_conn_guard *g, void *handle)
{
    if (!handle)
        return;
    pthread_mutex_lock(&g->mu);
    memset(handle, 0, sizeof(struct slot));
    pthread_mutex_unlock(&g->mu);
}

void eco_conn_guard_counts(struct eco_conn_guard *g, unsigned long *timed_out, unsigned long *displaced)
{
    pthread_mutex_lock(&g->mu);
    *timed_out = g->timed_out;
    *displaced = g->displaced;
    pthread_mutex_unlock(&g->mu);
}
