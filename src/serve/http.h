/* The agent's HTTP front: libmicrohttpd serving /metrics (Prometheus text
 * format) on loopback unless told otherwise, with an optional bearer token,
 * connection and request-size limits. Rendering is a callback so the server
 * knows nothing about meters. */
#ifndef ECO_SERVE_HTTP_H
#define ECO_SERVE_HTTP_H

#include <stddef.h>
#include <sys/socket.h>

#include "core/err.h"

struct eco_http_opts {
    const char *listen;       /* "127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464" */
    const char *token;        /* required bearer token, or NULL */
    unsigned max_connections; /* concurrent connections (default 64) */
    unsigned timeout_s;       /* idle connection timeout (default 10) */
    size_t max_request_bytes; /* request header block, larger gets 431 (default 16 KiB) */
    double header_deadline_s; /* a request's headers must be complete within (default 5 s) */
};

/* Fill *body (malloc'ed) and *len with the current /metrics text; 0 or -1. */
typedef int (*eco_http_render_fn)(void *ctx, char **body, size_t *len);

struct eco_http;

/* Parse "host:port" (IPv4, [IPv6] or "localhost"). *is_loopback tells whether
 * it only listens on this machine. */
int eco_http_parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len,
                          int *is_loopback, struct eco_err *err);
struct eco_http *eco_http_start(const struct eco_http_opts *o, eco_http_render_fn render, void *ctx,
                                struct eco_err *err);
/* Requests answered so far, by status class (for tests and the agent's own metrics). */
unsigned long eco_http_requests(const struct eco_http *h, int status_class);
/* The port actually bound (useful with port 0). */
unsigned eco_http_port(const struct eco_http *h);
void eco_http_stop(struct eco_http *h);

#endif
