#include "meter/proc_top.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/safe_open.h"
#include "meter/consumers.h"
#include "sensors/sensor.h"

void eco_proc_top_init(struct eco_proc_top *pt)
{
    memset(pt, 0, sizeof *pt);
}

void eco_proc_top_free(struct eco_proc_top *pt)
{
    free(pt->prev);
    memset(pt, 0, sizeof *pt);
}

static int cmp_share(const void *a, const void *b)
{
    double x = ((const struct eco_proc_share *)a)->share, y = ((const struct eco_proc_share *)b)->share;
    return x < y ? 1 : x > y ? -1 : 0;
}

static int cmp_pid(const void *a, const void *b)
{
    pid_t x = ((const struct eco_proc_cpu *)a)->pid, y = ((const struct eco_proc_cpu *)b)->pid;
    return (x > y) - (x < y);
}

static double prev_cpu(const struct eco_proc_top *pt, pid_t pid)
{
    struct eco_proc_cpu key = {pid, 0};
    if (pt->n_prev == 0) /* the first scan: no table yet (bsearch must not get NULL) */
        return 0;
    const struct eco_proc_cpu *p = bsearch(&key, pt->prev, pt->n_prev, sizeof key, cmp_pid);
    return p ? p->cpu_s : 0; /* new since the last scan: it started within the period */
}

int eco_proc_top_scan(struct eco_proc_top *pt, double period_s, struct eco_proc_share *out, size_t max)
{
    struct eco_err err;
    double busy;
    struct eco_usage_set scan = {0};
    if (eco_proc_busy_seconds(&busy, &err) != 0 || eco_scan_processes(&scan, &err) != 0) {
        eco_usage_set_free(&scan);
        return -1;
    }
    struct eco_proc_cpu *now = calloc(scan.n ? scan.n : 1, sizeof *now);
    struct eco_proc_share *cand = calloc(scan.n ? scan.n : 1, sizeof *cand);
    if (!now || !cand) {
        free(now);
        free(cand);
        eco_usage_set_free(&scan);
        return -1;
    }
    double busy_delta = pt->have_prev ? busy - pt->prev_busy_s : 0;
    size_t n_cand = 0;
    for (size_t i = 0; i < scan.n; i++) {
        pid_t pid = (pid_t)atol(scan.v[i].id);
        now[i] = (struct eco_proc_cpu){pid, scan.v[i].cpu_s};
        double used = scan.v[i].cpu_s - prev_cpu(pt, pid);
        if (!(busy_delta > 0) || !(used > 0))
            continue;
        struct eco_proc_share *s = &cand[n_cand++];
        s->pid = pid;
        snprintf(s->comm, sizeof s->comm, "%.63s", scan.v[i].name);
        s->share = used / busy_delta > 1 ? 1 : used / busy_delta;
        s->cpu_pct = period_s > 0 ? used / period_s * 100.0 : 0;
    }
    qsort(now, scan.n, sizeof *now, cmp_pid);
    free(pt->prev);
    pt->prev = now;
    pt->n_prev = scan.n;
    eco_usage_set_free(&scan);
    int first = !pt->have_prev;
    pt->have_prev = 1;
    pt->prev_busy_s = busy;
    if (first) {
        free(cand);
        return 0;
    }
    qsort(cand, n_cand, sizeof *cand, cmp_share);
    size_t k = n_cand < max ? n_cand : max;
    memcpy(out, cand, k * sizeof *out);
    free(cand);
    return (int)k;
}

void eco_proc_comm(pid_t pid, char *buf, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%d/comm", eco_proc_root(), (int)pid);
    struct eco_err ignore;
    FILE *f = eco_fopen_regular(path, "r", "file", &ignore);
    size_t n = f ? fread(buf, 1, len - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = 0;
    buf[strcspn(buf, "\n")] = 0;
    if (!buf[0])
        snprintf(buf, len, "?");
}
