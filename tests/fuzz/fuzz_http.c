/* Harness: HTTP requests to `ecometer serve` (src/serve/http.c on
 * libmicrohttpd). One in-process server on 127.0.0.1 (port chosen by the
 * kernel) with a bearer token; each input is sent as raw bytes on a fresh
 * connection, the write side is closed, and the whole answer is read.
 * Invariants: the server answers with an HTTP status line or closes the
 * connection, never hangs (2 s receive timeout, then abort), and keeps
 * serving the next input. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "serve/http.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct eco_http *server;

static int render(void *ctx, char **body, size_t *len)
{
    (void)ctx;
    static const char text[] = "# HELP ecometer_fuzz a metric\n# TYPE ecometer_fuzz gauge\necometer_fuzz 1\n";
    *body = strdup(text);
    *len = sizeof text - 1;
    return *body ? 0 : -1;
}

static void start(void)
{
    if (server)
        return;
    struct eco_http_opts o = {.listen = "127.0.0.1:0", .token = "fuzz-token", .max_connections = 8,
                              .timeout_s = 2, .max_request_bytes = 16384};
    struct eco_err err;
    eco_err_clear(&err);
    server = eco_http_start(&o, render, NULL, &err);
    if (!server) {
        fprintf(stderr, "fuzz_http: %s\n", err.msg);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    start();
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    FUZZ_ASSERT(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)eco_http_port(server))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {.tv_sec = 2};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    /* The server may be busy with earlier connections (limit 8): retry for
     * up to 5 s; a server that stops accepting for longer is a finding. */
    int tries = 0;
    while (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        int e = errno;
        close(fd);
        if (++tries > 50) {
            fprintf(stderr, "fuzz_http: cannot connect for 5 s: %s\n", strerror(e));
            abort();
        }
        usleep(100000);
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        FUZZ_ASSERT(fd >= 0);
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    /* Abortive close at the end: no TIME_WAIT piling up over millions of runs. */
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    size_t off = 0;
    while (off < size) {
        ssize_t n = send(fd, data + off, size - off, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server refused and closed early: fine */
        off += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    char head[16] = "";
    size_t got = 0;
    for (;;) {
        char buf[4096];
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            fprintf(stderr, "fuzz_http: no answer and no close within 2 s\n");
            abort();
        }
        if (n <= 0)
            break;
        if (got < sizeof head - 1) {
            size_t k = (size_t)n < sizeof head - 1 - got ? (size_t)n : sizeof head - 1 - got;
            memcpy(head + got, buf, k);
            head[got + k] = 0;
        }
        got += (size_t)n;
    }
    close(fd);
    if (got)
        FUZZ_ASSERT(strncmp(head, "HTTP/1.", got < 7 ? got : 7) == 0);
    return 0;
}
