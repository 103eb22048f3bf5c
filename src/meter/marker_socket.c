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
