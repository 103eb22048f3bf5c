#include "out/proc_top.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void eco_proc_top_init(struct eco_proc_top *pt)
{
    memset(pt, 0, sizeof *pt);
    const char *root = getenv("ECOMETER_PROC_ROOT");
    snprintf(pt->proc_root, sizeof pt->proc_root, "%s", root && *root ? root : "/proc");
    pt->hz = sysconf(_SC_CLK_TCK);
    if (pt->hz <= 0)
        pt->hz = 100;
}

void eco_proc_top_free(struct eco_proc_top *pt)
{
    free(pt->prev);
    pt->prev = NULL;
    pt->n_prev = 0;
}

static int read_busy(const char *root, unsigned long long *busy)
{
    char path[300];
    snprintf(path, sizeof path, "%s/stat", root);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    unsigned long long v[8] = {0};
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
                   &v[5], &v[6], &v[7]);
    fclose(f);
    if (n < 4)
        return -1;
    *busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]; /* idle (3) and iowait (4) left out */
    return 0;
}

/* utime + stime and the command name of one process; -1 if it is gone. */
static int read_proc(const char *root, const char *pid, unsigned long long *ticks, char *comm, size_t len)
{
    char path[300], buf[1024];
    snprintf(path, sizeof path, "%s/%s/stat", root, pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    /* The name is between the first '(' and the last ')': it may hold both. */
    char *open = strchr(buf, '('), *close = strrchr(buf, ')');
    if (!open || !close || close < open)
        return -1;
    snprintf(comm, len, "%.*s", (int)(close - open - 1), open + 1);
    unsigned long long ut = 0, st = 0;
    /* After ") ": state ppid pgrp session tty_nr tpgid flags minflt cminflt
     * majflt cmajflt utime stime (fields 3..15 of proc(5)). */
    if (sscanf(close + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    *ticks = ut + st;
    return 0;
}

static int cmp_share(const void *a, const void *b)
{
    double x = ((const struct eco_proc_share *)a)->share, y = ((const struct eco_proc_share *)b)->share;
    return x < y ? 1 : x > y ? -1 : 0;
}

static unsigned long long prev_ticks(const struct eco_proc_top *pt, pid_t pid, int *found)
{
    size_t lo = 0, hi = pt->n_prev; /* prev is sorted by pid */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (pt->prev[mid].pid < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < pt->n_prev && pt->prev[lo].pid == pid;
    return *found ? pt->prev[lo].ticks : 0;
}

static int cmp_pid(const void *a, const void *b)
{
    pid_t x = ((const struct eco_proc_ticks *)a)->pid, y = ((const struct eco_proc_ticks *)b)->pid;
    return (x > y) - (x < y);
}

int eco_proc_top_scan(struct eco_proc_top *pt, double period_s, struct eco_proc_share *out, size_t max)
{
    unsigned long long busy;
    if (read_busy(pt->proc_root, &busy) != 0)
        return -1;
    DIR *d = opendir(pt->proc_root);
    if (!d)
        return -1;
    struct eco_proc_ticks *now = NULL;
    size_t n_now = 0, cap = 0;
    struct eco_proc_share *cand = NULL;
    size_t n_cand = 0, cap_cand = 0;
    double busy_delta = pt->have_prev && busy > pt->prev_busy ? (double)(busy - pt->prev_busy) : 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!isdigit((unsigned char)de->d_name[0]))
            continue;
        unsigned long long ticks;
        char comm[64];
        if (read_proc(pt->proc_root, de->d_name, &ticks, comm, sizeof comm) != 0)
            continue; /* exited meanwhile */
        pid_t pid = (pid_t)atol(de->d_name);
        if (n_now == cap) {
            cap = cap ? cap * 2 : 512;
            struct eco_proc_ticks *p = realloc(now, cap * sizeof *p);
            if (!p)
                break;
            now = p;
        }
        now[n_now++] = (struct eco_proc_ticks){pid, ticks};
        int found;
        unsigned long long before = prev_ticks(pt, pid, &found);
        /* A process new since the last scan counts from 0: it started within the period. */
        if (busy_delta <= 0 || ticks <= before)
            continue;
        if (n_cand == cap_cand) {
            cap_cand = cap_cand ? cap_cand * 2 : 64;
            struct eco_proc_share *p = realloc(cand, cap_cand * sizeof *p);
            if (!p)
                break;
            cand = p;
        }
        struct eco_proc_share *s = &cand[n_cand++];
        s->pid = pid;
        snprintf(s->comm, sizeof s->comm, "%s", comm);
        double dt = (double)(ticks - before);
        s->share = dt / busy_delta > 1 ? 1 : dt / busy_delta;
        s->cpu_pct = period_s > 0 ? dt / (double)pt->hz / period_s * 100.0 : 0;
    }
    closedir(d);
    qsort(now, n_now, sizeof *now, cmp_pid);
    free(pt->prev);
    pt->prev = now;
    pt->n_prev = n_now;
    int first = !pt->have_prev;
    pt->have_prev = 1;
    pt->prev_busy = busy;
    if (first) {
        free(cand);
        return 0;
    }
    qsort(cand, n_cand, sizeof *cand, cmp_share);
    size_t k = n_cand < max ? n_cand : max;
    if (k)
        memcpy(out, cand, k * sizeof *out);
    free(cand);
    return (int)k;
}
