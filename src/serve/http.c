#include "serve/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/numparse.h"
#include "serve/conn_guard.h"

struct eco_http {
    struct MHD_Daemon *d;
    eco_http_render_fn render;
    void *ctx;
    char *token;
    size_t max_header_bytes;
    struct eco_conn_guard *guard;
    atomic_ulong by_class[6];
};

int eco_http_parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len,
                          int *is_loopback, struct eco_err *err)
{
    char host[256];
    const char *colon;
    memset(ss, 0, sizeof *ss);
    if (!text || !*text)
        return eco_err_set(err, 2, "empty --listen address");
    if (text[0] == '[') {
        const char *end = strchr(text, ']');
        if (!end || end[1] != ':' || (size_t)(end - text - 1) >= sizeof host)
            goto bad;
        memcpy(host, text + 1, (size_t)(end - text - 1));
        host[end - text - 1] = 0;
        colon = end + 1;
    } else {
        colon = strrchr(text, ':');
        if (!colon || (size_t)(colon - text) >= sizeof host)
            goto bad;
        memcpy(host, text, (size_t)(colon - text));
        host[colon - text] = 0;
    }
    uint64_t port; /* decimal digits only: strtol took " 80", "+80" and "-0" */
    if (eco_num_u64(colon + 1, 0, 65535, 0, &port) != ECO_NUM_OK)
        goto bad;
    if (strcmp(host, "localhost") == 0)
        strcpy(host, "127.0.0.1");
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *len = sizeof *v4;
        *is_loopback = (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *len = sizeof *v6;
        *is_loopback = IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
        return 0;
    }
bad:
    eco_err_set(err, 2, "cannot read listen address '%s'", text);
    eco_err_hint(err, "use HOST:PORT, e.g. 127.0.0.1:9464, [::1]:9464 or 0.0.0.0:9464 (all interfaces)");
    return -1;
}

static enum MHD_Result reply(struct eco_http *h, struct MHD_Connection *c, unsigned status,
                             const char *type, void *body, size_t len, int owned)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, body, owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        if (owned)
            free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    if (status == 401)
        MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"ecometer\"");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    if (status / 100 < 6)
        atomic_fetch_add(&h->by_class[status / 100], 1);
    return ret;
}

static enum MHD_Result text(struct eco_http *h, struct MHD_Connection *c, unsigned status,
                            const char *msg)
{
    return reply(h, c, status, "text/plain; charset=utf-8", (void *)msg, strlen(msg), 0);
}

/* Constant-time comparison so the token cannot be guessed byte by byte. */
static int same(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = (unsigned char)(la != lb);
    for (size_t i = 0; i < la; i++)
        diff |= (unsigned char)(a[i] ^ b[i % (lb ? lb : 1)]);
    return diff == 0;
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    (void)value;
    if (strcasecmp(key, "Content-Length") == 0)
        (*(unsigned *)cls)++;
    return MHD_YES;
}

/* The token of an "Authorization: Bearer <token>" header, or NULL. The scheme
 * is case-insensitive (RFC 7235 section 2.1), one or more spaces follow it. */
static const char *bearer_token(const char *auth)
{
    if (!auth || strncasecmp(auth, "Bearer", 6) != 0 || auth[6] != ' ')
        return NULL;
    auth += 6;
    while (*auth == ' ')
        auth++;
    return auth;
}

/* 431 for a header block over the limit, written straight to the socket: a
 * block close to the library's memory limit leaves no room in its pool to
 * build a reply (libmicrohttpd 0.9.75 would close without a word), and the
 * connection is closed after it anyway. */
static enum MHD_Result refuse_large(struct eco_http *h, struct MHD_Connection *c)
{
    static const char msg[] = "HTTP/1.1 431 Request Header Fields Too Large\r\n"
                              "Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
                              "Content-Length: 32\r\n\r\nrequest header fields too large\n";
    const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (fd && send(fd->connect_fd, msg, sizeof msg - 1, MSG_NOSIGNAL | MSG_DONTWAIT) > 0)
        atomic_fetch_add(&h->by_class[4], 1);
    return MHD_NO;
}

static void *guard_handle(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *i = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return i ? i->socket_context : NULL;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **req_cls)
{
    struct eco_http *h = cls;
    (void)version;
    (void)upload;
    /* Everything is decided on the headers (the first call): bodies are
     * never read, a request that announces one is refused at once. */
    (void)req_cls;
    (void)upload_size;
    if (h->guard)
        eco_conn_guard_headers_done(h->guard, guard_handle(c));
    /* The library's memory limit has room above max_header_bytes for the
     * reply, so a header block near the limit gets a 431, never a silent close. */
    const union MHD_ConnectionInfo *hs = MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    if (hs && hs->header_size > h->max_header_bytes)
        return refuse_large(h, c);
    unsigned n_length = 0;
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &n_length);
    if (n_length > 1)
        return text(h, c, 400, "more than one Content-Length header\n");
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return text(h, c, 405, "only GET and HEAD are served\n");
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if ((cl && strcmp(cl, "0") != 0) ||
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding"))
        return text(h, c, 413, "request bodies are not accepted\n");
    if (h->token) {
        const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
        const char *given = bearer_token(auth);
        if (!given || !same(given, h->token))
            return text(h, c, 401, "a bearer token is required\n");
    }
    if (strcmp(url, "/metrics") == 0) {
        char *body;
        size_t len;
        if (h->render(h->ctx, &body, &len) != 0)
            return text(h, c, 500, "could not render metrics\n");
        return reply(h, c, 200, "text/plain; version=0.0.4; charset=utf-8", body, len, 1);
    }
    if (strcmp(url, "/") == 0)
        return text(h, c, 200, "ecometer agent: metrics at /metrics\n");
    return text(h, c, 404, "not found: try /metrics\n");
}

static enum MHD_Result admit(void *cls, const struct sockaddr *addr, socklen_t len)
{
    struct eco_http *h = cls;
    return eco_conn_guard_admit(h->guard, addr, len) ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct eco_http *h = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        const union MHD_ConnectionInfo *ad = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        *socket_context = fd ? eco_conn_guard_started(h->guard, fd->connect_fd,
                                                      ad ? ad->client_addr : NULL)
                             : NULL;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        eco_conn_guard_closed(h->guard, *socket_context);
        *socket_context = NULL;
    }
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct eco_http *h = cls;
    (void)req_cls;
    (void)toe;
    eco_conn_guard_request_done(h->guard, guard_handle(c));
}

/* Why the address could not be bound, in words: libmicrohttpd does not say,
 * so bind a socket of our own to the same address and read errno. */
static void explain_bind(const struct sockaddr_storage *ss, socklen_t sl, const char *listen,
                         struct eco_err *err)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1, why = 0;
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        why = bind(fd, (const struct sockaddr *)ss, sl) == 0 ? 0 : errno;
        close(fd);
    } else {
        why = errno;
    }
    if (why == EADDRNOTAVAIL) {
        eco_err_set(err, 1, "cannot listen on %s: that address is not one of this machine's", listen);
        eco_err_hint(err, "use 127.0.0.1:PORT or [::1]:PORT (this machine only), an address of one of its "
                          "interfaces ('ip -brief address'), or 0.0.0.0:PORT for all of them");
    } else if (why == EACCES) {
        eco_err_set(err, 1, "cannot listen on %s: ports below 1024 need privileges", listen);
        eco_err_hint(err, "choose a port from 1024 up, e.g. --listen 127.0.0.1:9464");
    } else if (why == EAFNOSUPPORT) {
        eco_err_set(err, 1, "cannot listen on %s: this machine has no IPv%s", listen,
                    ss->ss_family == AF_INET6 ? "6" : "4");
        eco_err_hint(err, "use an address of the other family, e.g. 127.0.0.1:9464");
    } else {
        eco_err_set(err, 1, "cannot listen on %s%s%s", listen, why ? ": " : "", why ? strerror(why) : "");
        eco_err_hint(err, "is the port taken by another program? choose another with --listen HOST:PORT");
    }
}

struct eco_http *eco_http_start(const struct eco_http_opts *o, eco_http_render_fn render, void *ctx,
                                struct eco_err *err)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int loop;
    if (eco_http_parse_listen(o->listen ? o->listen : "127.0.0.1:9464", &ss, &sl, &loop, err) != 0)
        return NULL;
    struct eco_http *h = calloc(1, sizeof *h);
    if (!h) {
        eco_err_set(err, 1, "out of memory");
        return NULL;
    }
    h->render = render;
    h->ctx = ctx;
    if (o->token)
        h->token = strdup(o->token);
    unsigned max = o->max_connections ? o->max_connections : 64;
    h->max_header_bytes = o->max_request_bytes ? o->max_request_bytes : (size_t)16384;
    /* Per address: an eighth of the slots (at least 2); headers within 5 s. */
    h->guard = eco_conn_guard_new(max, max / 8 > 2 ? max / 8 : 2, o->header_deadline_s > 0 ? o->header_deadline_s : 5.0);
    if (!h->guard) {
        free(h->token);
        free(h);
        eco_err_set(err, 1, "out of memory");
        return NULL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD; /* no error log: a hostile client must not fill our stderr */
    flags |= ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0;
#ifdef MHD_USE_EPOLL
    flags |= MHD_USE_EPOLL;
#endif
    /* The guard decides who is served (conn_guard.h); the library's limit is
     * twice that, as displaced connections linger until closed. Its memory
     * limit leaves 8 KiB above the header limit, so refuse_large sees most
     * oversized blocks (larger ones get the library's own 431). */
    h->d = MHD_start_daemon(flags, 0, admit, h, handle, h, MHD_OPTION_SOCK_ADDR,
                            (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT, max * 2,
                            MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s ? o->timeout_s : 10,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, h->max_header_bytes + 8192,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, 0,
                            MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
                            MHD_OPTION_THREAD_POOL_SIZE, 2, MHD_OPTION_END);
    if (!h->d) {
        explain_bind(&ss, sl, o->listen ? o->listen : "127.0.0.1:9464", err);
        eco_conn_guard_free(h->guard);
        free(h->token);
        free(h);
        return NULL;
    }
    return h;
}

unsigned long eco_http_requests(const struct eco_http *h, int status_class)
{
    if (status_class < 0 || status_class > 5)
        return 0;
    return atomic_load(&((struct eco_http *)h)->by_class[status_class]);
}

unsigned eco_http_port(const struct eco_http *h)
{
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    return i ? i->port : 0;
}

void eco_http_stop(struct eco_http *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    eco_conn_guard_free(h->guard);
    free(h->token);
    free(h);
}
