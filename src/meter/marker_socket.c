/* The marker socket (see marker_socket.h). */
#include "meter/marker_socket.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "meter/markers.h"
#include "meter/meter.h"
#include "meter/region_figures.h"

int eco_marker_socket_open(struct eco_marker_socket *s, struct eco_err *err)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->dfd = -1;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp || strlen(tmp) > 150)
        tmp = "/tmp";
    snprintf(s->dir, sizeof s->dir, "%s/ecometer-XXXXXX", tmp);
    if (!mkdtemp(s->dir)) { /* mkdtemp creates it with mode 0700 */
        eco_err_set(err, 1, "cannot create a private folder for the marker socket in %s: %s", tmp, strerror(errno));
        s->dir[0] = '\0';
        return -1;
    }
    /* Held open so the cleanup works on this folder, whatever the measured
     * program later puts at its path. */
    s->dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
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

/* Reply to a `figures NAME` request from the sender at from (fromlen bytes):
 * one datagram, never waiting (a client that does not read loses it). */
static void answer_figures(struct eco_marker_socket *s, struct eco_meter *m, const char *name,
                           const struct sockaddr_un *from, socklen_t fromlen, int *budget)
{
    /* An unbound sender has no address to reply to (only the family). */
    if (fromlen <= (socklen_t)sizeof(sa_family_t) || (*budget)-- <= 0) {
        s->figures_dropped++;
        return;
    }
    struct eco_region_figures f;
    char reply[ECO_FIGURES_MAX_REPLY];
    enum eco_figures_status st = (enum eco_figures_status)eco_meter_region_figures(m, name, &f);
    int n = eco_region_figures_reply(st, name, &f, s->g_per_kwh, s->intensity_is_default, reply, sizeof reply);
    if (n < 0 || sendto(s->fd, reply, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL, (const struct sockaddr *)from,
                        fromlen) != n)
        s->figures_dropped++;
    else
        s->figures_answered++;
}

void eco_marker_socket_drain(struct eco_marker_socket *s, struct eco_meter *m)
{
    char buf[ECO_MARKER_MAX_DATAGRAM + 1];
    int budget = ECO_FIGURES_PER_DRAIN;
    for (int k = 0; k < 4096; k++) { /* bounded: sampling must go on under a flood */
        struct sockaddr_un from;
        socklen_t fromlen = sizeof from;
        memset(&from, 0, sizeof from);
        ssize_t n = recvfrom(s->fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC, (struct sockaddr *)&from, &fromlen);
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
        case ECO_MARK_FIGURES:
            answer_figures(s, m, mk.name, &from, fromlen > sizeof from ? sizeof from : fromlen, &budget);
            break;
        }
    }
}

/* Empty the folder open at dfd without following a symbolic link: what the
 * measured program planted there goes (a link, not its target), sub-folders
 * are entered through openat(O_NOFOLLOW) only. */
static void empty_dir_at(int dfd, int depth)
{
    int copy = dup(dfd);
    DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
    if (!d) {
        if (copy >= 0)
            close(copy);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0 || unlinkat(dfd, n, 0) == 0)
            continue;
        int sub = depth < 16 ? openat(dfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
        if (sub >= 0) {
            empty_dir_at(sub, depth + 1);
            close(sub);
            unlinkat(dfd, n, AT_REMOVEDIR);
        }
    }
    closedir(d);
}

void eco_marker_socket_close(struct eco_marker_socket *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    if (s->dfd >= 0) {
        empty_dir_at(s->dfd, 0);
        /* Remove the folder only if its path still names it (the program may
         * have put a link to another folder in its place). */
        struct stat held, now;
        if (fstat(s->dfd, &held) == 0 && lstat(s->dir, &now) == 0 && S_ISDIR(now.st_mode) &&
            held.st_dev == now.st_dev && held.st_ino == now.st_ino)
            rmdir(s->dir);
        close(s->dfd);
    } else if (s->dir[0]) {
        rmdir(s->dir); /* not held open (that failed): only if empty */
    }
    s->dfd = -1;
    s->path[0] = s->dir[0] = '\0';
}
