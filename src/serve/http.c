#include "serve/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct eco_http {
    struct MHD_Daemon *d;
    eco_http_render_fn render;
    void *ctx;
    char *token;
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
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || port < 0 || port > 65535)
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
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return text(h, c, 405, "only GET and HEAD are served\n");
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if ((cl && strcmp(cl, "0") != 0) ||
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding"))
        return text(h, c, 413, "request bodies are not accepted\n");
    if (h->token) {
        const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
        if (!auth || strncmp(auth, "Bearer ", 7) != 0 || !same(auth + 7, h->token))
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
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD; /* no error log: a hostile client must not fill our stderr */
    flags |= ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0;
#ifdef MHD_USE_EPOLL
    flags |= MHD_USE_EPOLL;
#endif
    h->d = MHD_start_daemon(flags, 0, NULL, NULL, handle, h, MHD_OPTION_SOCK_ADDR,
                            (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
                            o->max_connections ? o->max_connections : 64,
                            MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s ? o->timeout_s : 10,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                            o->max_request_bytes ? o->max_request_bytes : (size_t)16384,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, 0,
                            MHD_OPTION_THREAD_POOL_SIZE, 2, MHD_OPTION_END);
    if (!h->d) {
        eco_err_set(err, 1, "cannot listen on %s", o->listen ? o->listen : "127.0.0.1:9464");
        eco_err_hint(err, "is the port taken by another program? choose another with --listen HOST:PORT");
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
    free(h->token);
    free(h);
}
