/* Who may hold the agent's connections: a defence against slow clients
 * (slowloris). libmicrohttpd's own timeout is an idle timeout, so a client
 * that sends one header line every few seconds keeps its slot for ever, and
 * 64 of them starve every scrape. The guard adds three rules:
 *  - a deadline for complete headers, counted from the connection's start or
 *    from its previous response (a watchdog thread shuts the socket down);
 *  - a per-address limit, and the last eighth of the slots kept for
 *    addresses that hold no connection yet;
 *  - when every slot is taken, a new client displaces the connection that
 *    has waited longest for its headers, so a scrape that sends its request
 *    at once finds a slot even against many addresses.
 * Clients that share the scraper's address share its per-address limit: on
 * a loopback-only agent that is a local user, whom the deadline still cuts.
 * libmicrohttpd calls the hooks from its worker threads; one mutex guards the
 * table. A socket is only shut down while its entry is in the table, and the
 * entry leaves the table (CLOSED notification) before libmicrohttpd closes
 * the descriptor, so a reused descriptor is never touched. */
#ifndef ECO_SERVE_CONN_GUARD_H
#define ECO_SERVE_CONN_GUARD_H

#include <stddef.h>
#include <sys/socket.h>

struct eco_conn_guard;

/* max: connections served at once; per_addr: from one client address;
 * header_deadline_s: time allowed for a request's headers. */
struct eco_conn_guard *eco_conn_guard_new(unsigned max, unsigned per_addr, double header_deadline_s);
void eco_conn_guard_free(struct eco_conn_guard *g);

/* Accept or refuse a new client (may displace a waiting one). 1 = accept. */
int eco_conn_guard_admit(struct eco_conn_guard *g, const struct sockaddr *addr, socklen_t len);
/* A connection was set up; returns its handle (NULL when the table is full). */
void *eco_conn_guard_started(struct eco_conn_guard *g, int fd, const struct sockaddr *addr);
/* Its headers are complete / its response is done (a new deadline starts). */
void eco_conn_guard_headers_done(struct eco_conn_guard *g, void *handle);
void eco_conn_guard_request_done(struct eco_conn_guard *g, void *handle);
/* It is being closed: forget it before the descriptor is closed. */
void eco_conn_guard_closed(struct eco_conn_guard *g, void *handle);
/* Connections cut so far: by deadline, by displacement (for tests/metrics). */
void eco_conn_guard_counts(struct eco_conn_guard *g, unsigned long *timed_out, unsigned long *displaced);

#endif
