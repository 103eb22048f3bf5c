/* Attribution of energy to a process tree from /proc (method in attribution.h). */
#include "meter/attribution.h"
#include "sensors/sysfs.h"

#include "meter/pid_stat.h"
#include "sensors/cpu_estimate.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/safe_open.h"

void eco_attr_init(struct eco_attr *a, pid_t root, int include_root, double period_s)
{
    memset(a, 0, sizeof *a);
    const char *env = getenv("ECOMETER_PROC_ROOT");
    snprintf(a->proc_root, sizeof a->proc_root, "%s", env && *env ? env : "/proc");
    a->root = root;
    a->include_root = include_root;
    a->period_s = period_s > 0 ? period_s : 1.0;
    long tck = sysconf(_SC_CLK_TCK);
    a->ticks_per_s = tck > 0 ? tck : 100;
}

void eco_attr_free(struct eco_attr *a)
{
    free(a->pids);
    a->pids = NULL;
    a->n_pids = a->cap_pids = 0;
}

void eco_attr_set_gpu_share(struct eco_attr *a, eco_gpu_share_fn fn, void *ctx)
{
    a->gpu_share = fn;
    a->gpu_ctx = ctx;
}

void eco_attr_add_energy(struct eco_attr *a, double non_gpu_j, double gpu_j)
{
    a->acc_cpu_j += non_gpu_j;
    a->acc_gpu_j += gpu_j;
}

struct proc_row {
    pid_t pid, ppid;
    double cpu_s;      /* utime + stime + cutime + cstime */
    double reaped_s;   /* cutime + cstime */
};

static int parse_stat(const char *buf, long tck, struct proc_row *row)
{
    struct eco_pid_stat st;
    if (eco_pid_stat_parse(buf, &st) != 0)
        return -1;
    row->ppid = st.ppid;
    row->cpu_s = (double)(st.utime + st.stime + st.cutime + st.cstime) / (double)tck;
    row->reaped_s = (double)(st.cutime + st.cstime) / (double)tck;
    return 0;
}

static int push_row(struct proc_row **rows, size_t *n, size_t *cap, const struct proc_row *row)
{
    if (*n == *cap) {
        size_t c2 = *cap ? *cap * 2 : 64;
        struct proc_row *r2 = realloc(*rows, c2 * sizeof *r2);
        if (!r2)
            return -1;
        *rows = r2;
        *cap = c2;
    }
    (*rows)[(*n)++] = *row;
    return 0;
}

static int read_row(const struct eco_attr *a, pid_t pid, struct proc_row *row)
{
    char path[sizeof a->proc_root + 64], buf[1024];
    snprintf(path, sizeof path, "%s/%d/stat", a->proc_root, (int)pid);
    if (eco_read_small(path, buf, sizeof buf) <= 0)
        return -1;
    row->pid = pid;
    return parse_stat(buf, a->ticks_per_s, row);
}

/* Walk down from the root through /proc/<pid>/task/<tid>/children (every
 * thread can have children): cost grows with the tree, not with the machine.
 * Returns -2 when the kernel has no children files (CONFIG_PROC_CHILDREN). */
static int walk_tree(const struct eco_attr *a, struct proc_row **rows, size_t *n, size_t *cap)
{
    char path[sizeof a->proc_root + 128];
    snprintf(path, sizeof path, "%s/%d/task/%d/children", a->proc_root, (int)a->root, (int)a->root);
    if (access(path, R_OK) != 0)
        return -2;
    struct proc_row row;
    if (read_row(a, a->root, &row) < 0 || push_row(rows, n, cap, &row) < 0)
        return -1;
    for (size_t k = 0; k < *n && k < 100000; k++) {
        pid_t pid = (*rows)[k].pid;
        snprintf(path, sizeof path, "%s/%d/task", a->proc_root, (int)pid);
        DIR *td = opendir(path);
        if (!td)
            continue; /* exited meanwhile: its time is in its reaper's cutime */
        struct dirent *t;
        while ((t = readdir(td)) != NULL) {
            if (!isdigit((unsigned char)t->d_name[0]))
                continue;
            char cpath[sizeof a->proc_root + 160], buf[4096];
            snprintf(cpath, sizeof cpath, "%s/%d/task/%.20s/children", a->proc_root, (int)pid, t->d_name);
            if (eco_read_small(cpath, buf, sizeof buf) <= 0)
                continue;
            char *save = NULL;
            for (char *tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
                if (read_row(a, (pid_t)atol(tok), &row) == 0 && push_row(rows, n, cap, &row) < 0) {
                    closedir(td);
                    return -1;
                }
            }
        }
        closedir(td);
    }
    return 0;
}

/* Every process of the machine (the fallback, and fake /proc trees in tests). */
static int scan_all(const struct eco_attr *a, struct proc_row **rows, size_t *n, size_t *cap)
{
    DIR *d = opendir(a->proc_root);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        struct proc_row row;
        if (read_row(a, (pid_t)atol(e->d_name), &row) < 0)
            continue; /* exited between readdir and open */
        if (push_row(rows, n, cap, &row) < 0) {
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    return 0;
}

void eco_attr_tree_is_root_only(struct eco_attr *a) { a->root_only_once = 1; }

int eco_attr_tree_cpu(struct eco_attr *a, double *seconds)
{
    struct proc_row *rows = NULL;
    size_t n = 0, cap = 0;
    int walked;
    if (a->root_only_once) {
        struct proc_row row;
        a->root_only_once = 0;
        walked = read_row(a, a->root, &row) == 0 && push_row(&rows, &n, &cap, &row) == 0 ? 0 : -1;
    } else {
        walked = walk_tree(a, &rows, &n, &cap);
    }
    if (walked == -2) {
        n = 0;
        if (scan_all(a, &rows, &n, &cap) < 0) {
            free(rows);
            return -1;
        }
    } else if (walked < 0) {
        free(rows);
        return -1;
    }
    /* Members: the root, then whoever has a member as parent, until stable. */
    char *in = calloc(n ? n : 1, 1);
    if (!in) {
        free(rows);
        return -1;
    }
    int found_root = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].pid == a->root)
            found_root = 1;
        if (rows[i].pid == a->root || walked == 0)
            in[i] = 1; /* a walk found members only */
    }
    for (int changed = found_root && walked != 0; changed;) {
        changed = 0;
        for (size_t i = 0; i < n; i++) {
            if (in[i])
                continue;
            for (size_t j = 0; j < n; j++)
                if (in[j] && rows[j].pid == rows[i].ppid) {
                    in[i] = 1;
                    changed = 1;
                    break;
                }
        }
    }
    double total = 0;
    a->n_pids = 0;
    for (size_t i = 0; i < n; i++) {
        if (!in[i])
            continue;
        if (rows[i].pid == a->root && !a->include_root)
            total += rows[i].reaped_s; /* its reaped descendants, not its own time */
        else
            total += rows[i].cpu_s;
        if (rows[i].pid == a->root && !a->include_root)
            continue;
        if (a->n_pids == a->cap_pids) {
            size_t c2 = a->cap_pids ? a->cap_pids * 2 : 16;
            pid_t *p2 = realloc(a->pids, c2 * sizeof *p2);
            if (!p2)
                continue;
            a->pids = p2;
            a->cap_pids = c2;
        }
        a->pids[a->n_pids++] = rows[i].pid;
    }
    if (a->n_pids > a->max_tree)
        a->max_tree = a->n_pids;
    free(in);
    free(rows);
    if (!found_root)
        return -1;
    *seconds = total;
    return 0;
}

int eco_attr_busy_cpu(const struct eco_attr *a, double *seconds)
{
    char path[sizeof a->proc_root + 16], buf[4096];
    snprintf(path, sizeof path, "%s/stat", a->proc_root);
    if (eco_read_small(path, buf, sizeof buf) <= 0)
        return -1;
    unsigned long long busy, total;
    if (eco_proc_stat_parse(buf, &busy, &total) != 0) /* the one /proc/stat reader */
        return -1;
    *seconds = (double)busy / (double)a->ticks_per_s;
    return 0;
}

int eco_attr_scan(struct eco_attr *a, double t, int force)
{
    if (a->have_prev && !force && t - a->last_scan_t < a->period_s)
        return 0;
    double tree, busy;
    if (eco_attr_tree_cpu(a, &tree) < 0 || eco_attr_busy_cpu(a, &busy) < 0) {
        /* The tree's root is gone (or /proc unreadable): the energy of this
         * period stays unattributed rather than guessed. */
        a->cpu_side_j += a->acc_cpu_j;
        a->gpu_side_j += a->acc_gpu_j;
        a->acc_cpu_j = a->acc_gpu_j = 0;
        a->scan_failed = 1;
        return -1;
    }
    if (a->have_prev) {
        double dt = tree - a->tree_prev_s, db = busy - a->busy_prev_s;
        double share = db > 0 ? dt / db : 0;
        share = share < 0 ? 0 : share > 1 ? 1 : share;
        a->last_share = share;
        double gshare = 0;
        a->gpu_share_known = 0;
        if (a->gpu_share && a->acc_gpu_j > 0) {
            double g = a->gpu_share(a->gpu_ctx, a->pids, a->n_pids);
            if (g >= 0) {
                gshare = g > 1 ? 1 : g;
                a->gpu_share_known = 1;
            }
        }
        a->last_gpu_share = gshare;
        a->attributed_j += share * a->acc_cpu_j + gshare * a->acc_gpu_j;
    }
    /* Energy before the first scan has no share yet: it is seen, not attributed. */
    a->cpu_side_j += a->acc_cpu_j;
    a->gpu_side_j += a->acc_gpu_j;
    a->acc_cpu_j = a->acc_gpu_j = 0;
    a->tree_prev_s = tree;
    a->busy_prev_s = busy;
    a->have_prev = 1;
    a->last_scan_t = t;
    return 1;
}

double eco_attr_share(const struct eco_attr *a)
{
    double seen = a->cpu_side_j + a->gpu_side_j;
    return seen > 0 ? a->attributed_j / seen : 0;
}

const char *eco_attr_method(const struct eco_attr *a, char *buf, size_t len)
{
    /* short enough for eco_run_result.attribution_method (160); details in docs/METHODOLOGY.md */
    snprintf(buf, len, "CPU-time share of the process tree (/proc) for CPU, memory, platform; GPU: %s",
             a->gpu_share ? "per-process SM share (NVML)" : "not attributed (no per-process data)");
    return buf;
}
