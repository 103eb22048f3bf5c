/* The marker socket (see marker_socket.h). */
#include "meter/marker_socket.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "meter/markers.h"
#include "meter/meter.h"

int eco_marker_socket_open(struct eco_marker_socket *s, struct eco_err *err)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp || strlen(tmp) > 150)
        tmp = "/tmp";
    snprintf(s->dir, sizeof s->dir, "%s/ecometer-XXXXXX", tmp);
    if (!mkdtemp(s->dir)) { /* mkdtemp creates it with mode 0700 */
        eco_err_set(err, 1, "cannot create a private folder for the marker socket in %s: %s", tmp, strerror(errno));
        s->dir[0] = '\0';
        return -1;
    }
    snprintf(s->path, sizeof s->path, "%s/markers.sock", s->dir);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    if (strlen(s->path) >= sizeof a.sun_path) {
        eco_marker_socket_close(s);
        return eco_err_set(err, 1, "the marker socket path is too long (TMPDIR=%s)", tmp);
    }
    memcpy(a.sun_path, s->path, strlen(s->path) + 1);
    s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) < 0) {
        int e = errno;
        eco_marker_socket_close(s);
        return eco_err_set(err, 1, "cannot create the marker socket: %s", strerror(e));
    }
    return 0;
}

void eco_marker_socket_drain(struct eco_marker_socket *s, struct eco_meter *m)
{
    char buf[ECO_MARKER_MAX_DATAGRAM + 1];
    for (int k = 0; k < 4096; k++) { /* bounded: sampling must go on under a flood */
        ssize_t n = recv(s->fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC);
        if (n < 0)
            return;
        s->received++;
        struct eco_marker mk;
        if (n > ECO_MARKER_MAX_DATAGRAM || eco_marker_parse(buf, (size_t)n, &mk) < 0) {
            s->malformed++;
            continue;
        }
        switch (mk.kind) {
        case ECO_MARK_BEGIN:
            eco_meter_begin(m, mk.name);
            break;
        case ECO_MARK_END:
            eco_meter_end(m, mk.name);
            break;
        case ECO_MARK_ITEMS:
            eco_meter_items(m, mk.count);
            break;
        case ECO_MARK_EPOCH:
            eco_meter_epoch(m, mk.count);
            break;
        }
    }
}

void eco_marker_socket_close(struct eco_marker_socket *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    if (s->path[0])
        unlink(s->path);
    if (s->dir[0])
        rmdir(s->dir);
    s->path[0] = s->dir[0] = '\0';
}
