/* The deadline of a fixed-time run and the signals to the command's tree
 * (see run_stop.h). The whole tree is signalled, not only the command: a
 * launcher script (bash, torchrun, mpirun) that passes SIGTERM on to nobody
 * must not keep its workers running past the window. The tree is found in
 * /proc by parent links rather than through a process group, because the
 * command stays in the terminal's process group (Ctrl-C and job control keep
 * working), which ecometer itself belongs to. */
#include "meter/run_stop.h"
#include "sensors/sysfs.h"
#include "core/numparse.h"
#include "meter/pid_stat.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

static int arm_in(int fd, double seconds)
{
    struct itimerspec it = {0};
    double whole = floor(seconds);
    it.it_value.tv_sec = (time_t)whole;
    it.it_value.tv_nsec = (long)((seconds - whole) * 1e9);
    if (it.it_value.tv_sec == 0 && it.it_value.tv_nsec == 0)
        it.it_value.tv_nsec = 1; /* 0 would disarm it */
    return timerfd_settime(fd, 0, &it, NULL);
}

int eco_run_stop_arm(struct eco_run_stop *st, pid_t root, double for_s, double grace_s, struct eco_err *err)
{
    memset(st, 0, sizeof *st);
    st->fd = -1;
    st->root = root;
    st->for_s = for_s;
    st->grace_s = grace_s;
    if (for_s <= 0)
        return 0;
    st->fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (st->fd < 0 || arm_in(st->fd, for_s) != 0) {
        eco_err_set(err, 1, "cannot set the --for timer: %s", strerror(errno));
        eco_run_stop_close(st);
        return -1;
    }
    return 0;
}

enum eco_run_stop_phase eco_run_stop_fire(struct eco_run_stop *st)
{
    unsigned long long n;
    if (st->fd < 0 || read(st->fd, &n, sizeof n) != (ssize_t)sizeof n || n == 0)
        return ECO_STOP_RUNNING;
    if (st->phase == ECO_STOP_RUNNING) {
        st->phase = ECO_STOP_TERM;
        eco_tree_signal("/proc", st->root, SIGTERM);
        arm_in(st->fd, st->grace_s);
    } else if (st->phase == ECO_STOP_TERM) {
        st->phase = ECO_STOP_KILL;
        eco_tree_signal("/proc", st->root, SIGKILL);
        /* again each second: a process forked between scan and kill */
        arm_in(st->fd, 1.0);
    } else {
        eco_tree_signal("/proc", st->root, SIGKILL);
        arm_in(st->fd, 1.0);
        return ECO_STOP_RUNNING;
    }
    return st->phase;
}

void eco_run_stop_close(struct eco_run_stop *st)
{
    if (st->fd >= 0)
        close(st->fd);
    st->fd = -1;
}

const char *eco_run_stop_end_name(enum eco_run_stop_phase p)
{
    return p == ECO_STOP_TERM ? "stopped" : p == ECO_STOP_KILL ? "killed" : "exited";
}

/* The parent of pid from PROC/pid/stat (field 4, after the last ')' since
 * the name may hold spaces and parentheses); -1 if gone or unreadable. */
static pid_t parent_of(const char *proc, pid_t pid)
{
    char path[256], buf[1024];
    struct eco_pid_stat st;
    if (eco_pathf(path, sizeof path, "%s/%d/stat", proc, (int)pid) != 0 ||
        eco_read_small(path, buf, sizeof buf) <= 0 || eco_pid_stat_parse(buf, &st) != 0)
        return -1;
    return st.state == 'Z' ? -1 : st.ppid; /* a zombie needs no signal */
}

struct proc_link {
    pid_t pid, ppid;
    int in_tree;
};

static size_t scan(const char *proc, struct proc_link **out)
{
    DIR *d = opendir(proc);
    size_t n = 0, cap = 0;
    *out = NULL;
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        int id;
        if (eco_num_int(e->d_name, 1, INT32_MAX, 0, &id) != ECO_NUM_OK) /* "self", "sys", ... */
            continue;
        pid_t pid = (pid_t)id, pp = parent_of(proc, pid);
        if (pp < 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            struct proc_link *v = realloc(*out, cap * sizeof *v);
            if (!v)
                break;
            *out = v;
        }
        (*out)[n++] = (struct proc_link){pid, pp, 0};
    }
    closedir(d);
    return n;
}

int eco_tree_signal(const char *proc, pid_t root, int sig)
{
    struct proc_link *v;
    size_t n = scan(proc, &v);
    /* Mark children of root, then their children... until nothing changes
     * (the depth of a process tree is small). */
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < n; i++) {
            if (v[i].in_tree || v[i].pid == root)
                continue;
            int parent_in = v[i].ppid == root;
            for (size_t k = 0; !parent_in && k < n; k++)
                parent_in = v[k].in_tree && v[k].pid == v[i].ppid;
            if (parent_in)
                changed = v[i].in_tree = 1;
        }
    }
    int sent = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].in_tree && kill(v[i].pid, sig) == 0)
            sent++;
    free(v);
    return sent;
}
