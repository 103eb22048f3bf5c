/* Trace the CPU time of one running process, finely, for a while: every
 * POLL_US it reads the process's run time in nanoseconds
 * (/proc/PID/schedstat, the scheduler's own sum; /proc/PID/stat counts only
 * in 10 ms ticks) and prints a line when it moved, and it prints a line for
 * each write the process makes to a file in DIR (inotify), so that the bench
 * can tell which burst of CPU held a history checkpoint (the history is in
 * WAL mode: each save writes the -wal file).
 *
 * Usage: cpu_trace PID DIR SECONDS [POLL_US]      (POLL_US default 1000)
 * Output: "c T_NS CPU_NS" and "w T_NS NAME", T_NS on CLOCK_MONOTONIC.
 * Only the process's main thread is traced: `monitor` and `run` sample and
 * save on it (src/cli/cmd_monitor.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long run_ns(int fd)
{
    char buf[128];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    return strtoll(buf, NULL, 10);
}

static void drain_writes(int in, long long t)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            printf("w %lld %s\n", t, e->len ? e->name : "?");
            p += sizeof *e + e->len;
        }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: cpu_trace PID DIR SECONDS [POLL_US]\n");
        return 2;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/schedstat", argv[1]);
    int fd = open(path, O_RDONLY);
    int in = inotify_init1(IN_NONBLOCK);
    if (fd < 0 || in < 0 || inotify_add_watch(in, argv[2], IN_MODIFY) < 0) {
        perror("cpu_trace");
        return 1;
    }
    long long end = now_ns() + (long long)(atof(argv[3]) * 1e9);
    long poll_us = argc > 4 ? atol(argv[4]) : 1000;
    struct timespec step = {.tv_sec = poll_us / 1000000, .tv_nsec = (poll_us % 1000000) * 1000};
    long long last = -1;
    for (long long t = now_ns(); t < end; t = now_ns()) {
        long long c = run_ns(fd);
        if (c < 0)
            break; /* the process ended */
        if (c != last)
            printf("c %lld %lld\n", t, c);
        last = c;
        drain_writes(in, t);
        nanosleep(&step, NULL);
    }
    return 0;
}
