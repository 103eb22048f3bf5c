#include "meter/consumers.h"
#include "sensors/sysfs.h"

#include "meter/pid_stat.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/safe_open.h"
#include "sensors/cpu_estimate.h"
#include "sensors/cpu_quota.h"
#include "sensors/sensor.h"

static void cgroup_root(char *buf, size_t len)
{
    const char *r = getenv("ECOMETER_CGROUP_ROOT");
    if (r && *r) {
        snprintf(buf, len, "%s", r);
        return;
    }
    snprintf(buf, len, "%s/fs/cgroup", eco_sysfs_root());
}

static struct eco_usage *push(struct eco_usage_set *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        struct eco_usage *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return NULL;
        s->v = v;
        s->cap = cap;
    }
    struct eco_usage *u = &s->v[s->n++];
    memset(u, 0, sizeof *u);
    return u;
}

int eco_kind_follows_cpu_time(enum eco_kind k)
{
    return k == ECO_KIND_CPU_PACKAGE || k == ECO_KIND_DRAM || k == ECO_KIND_MEMORY;
}

void eco_usage_set_free(struct eco_usage_set *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

int eco_proc_busy_seconds(double *out, struct eco_err *err)
{
    char path[512], buf[4096];
    snprintf(path, sizeof path, "%s/stat", eco_proc_root());
    long got = eco_read_small(path, buf, sizeof buf);
    if (got <= 0)
        return eco_err_set(err, 1, "cannot read %s: %s", path, got ? strerror((int)-got) : "empty file");
    unsigned long long busy, total;
    if (eco_proc_stat_parse(buf, &busy, &total) != 0)
        return eco_err_set(err, 1, "%s: unexpected format", path);
    *out = (double)busy / (double)sysconf(_SC_CLK_TCK);
    return 0;
}

int eco_scan_processes(struct eco_usage_set *out, struct eco_err *err)
{
    out->n = 0;
    DIR *d = opendir(eco_proc_root());
    if (!d)
        return eco_err_set(err, 1, "cannot list %s: %s", eco_proc_root(), strerror(errno));
    double hz = (double)sysconf(_SC_CLK_TCK);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!isdigit((unsigned char)de->d_name[0]))
            continue;
        char path[512], buf[1024];
        snprintf(path, sizeof path, "%s/%s/stat", eco_proc_root(), de->d_name);
        if (eco_read_small(path, buf, sizeof buf) <= 0)
            continue; /* exited meanwhile */
        struct eco_pid_stat ps;
        if (eco_pid_stat_parse(buf, &ps) != 0)
            continue;
        struct eco_usage *u = push(out);
        if (!u)
            break;
        snprintf(u->id, sizeof u->id, "%s", de->d_name);
        snprintf(u->name, sizeof u->name, "%s", ps.comm);
        u->cpu_s = (double)(ps.utime + ps.stime) / hz;
    }
    closedir(d);
    return 0;
}

void eco_cgroup_name(const char *path, char *out, size_t len)
{
    const char *p;
    if ((p = strstr(path, "-pod")) && strstr(path, "kubepods")) {
        /* kubepods-burstable-pod<uid>.slice: the pod uid with _ for - */
        p += 4;
        size_t n = strcspn(p, "./");
        char uid[96];
        if (n >= sizeof uid)
            n = sizeof uid - 1;
        memcpy(uid, p, n);
        uid[n] = 0;
        for (char *c = uid; *c; c++)
            if (*c == '_')
                *c = '-';
        snprintf(out, len, "pod %s", uid);
        return;
    }
    if ((p = strstr(path, "docker-"))) {
        snprintf(out, len, "docker %.12s", p + 7);
        return;
    }
    if ((p = strstr(path, "/job_"))) {
        snprintf(out, len, "slurm job %.*s", (int)strcspn(p + 5, "/"), p + 5);
        return;
    }
    p = strrchr(path, '/');
    snprintf(out, len, "%s", p && p[1] ? p + 1 : path);
}

static int find(const struct eco_usage_set *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].id, id) == 0)
            return (int)i;
    return -1;
}

int eco_scan_cgroups(struct eco_usage_set *out, struct eco_err *err)
{
    out->n = 0;
    char root[512];
    cgroup_root(root, sizeof root);
    char probe[600];
    snprintf(probe, sizeof probe, "%s/cgroup.controllers", root);
    if (access(probe, R_OK) != 0) {
        eco_err_set(err, 1, "no cgroup v2 hierarchy at %s", root);
        eco_err_hint(err, "per-container energy needs the unified cgroup v2 hierarchy "
                          "(systemd.unified_cgroup_hierarchy=1, the default since Debian 11)");
        return -1;
    }
    DIR *d = opendir(eco_proc_root());
    if (!d)
        return eco_err_set(err, 1, "cannot list %s: %s", eco_proc_root(), strerror(errno));
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!isdigit((unsigned char)de->d_name[0]))
            continue;
        char path[512], buf[2048];
        snprintf(path, sizeof path, "%s/%s/cgroup", eco_proc_root(), de->d_name);
        if (eco_read_small(path, buf, sizeof buf) <= 0)
            continue;
        /* cgroup v2 line: "0::/path" */
        char *line = strstr(buf, "0::");
        if (!line || (line != buf && line[-1] != '\n'))
            continue;
        char *cg = line + 3;
        cg[strcspn(cg, "\n")] = 0;
        size_t cglen = strlen(cg);
        if (cglen >= sizeof out->v[0].id || strstr(cg, ".."))
            continue;
        if (find(out, cg) >= 0)
            continue;
        char stat[1024], sbuf[1024];
        int sn = snprintf(stat, sizeof stat, "%s%s/cpu.stat", root, strcmp(cg, "/") == 0 ? "" : cg);
        if (sn < 0 || (size_t)sn >= sizeof stat) /* a path we cannot name whole is skipped */
            continue;
        if (eco_read_small(stat, sbuf, sizeof sbuf) <= 0)
            continue;
        unsigned long long usec;
        if (eco_cpu_stat_usage(sbuf, &usec) != 0) /* the same reader as the CPU estimate's */
            continue;
        struct eco_usage *e = push(out);
        if (!e)
            break;
        memcpy(e->id, cg, cglen + 1); /* length checked above */
        eco_cgroup_name(cg, e->name, sizeof e->name);
        e->cpu_s = (double)usec / 1e6;
    }
    closedir(d);
    return 0;
}

static struct eco_consumer_entry *entry(struct eco_consumer_ledger *l, const struct eco_usage *u,
                                        int *is_new)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].id, u->id) == 0 && strcmp(l->v[i].name, u->name) == 0) {
            *is_new = 0;
            return &l->v[i];
        }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        struct eco_consumer_entry *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return NULL;
        l->v = v;
        l->cap = cap;
    }
    struct eco_consumer_entry *e = &l->v[l->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->id, sizeof e->id, "%s", u->id);
    snprintf(e->name, sizeof e->name, "%s", u->name);
    *is_new = 1;
    return e;
}

void eco_consumer_ledger_update(struct eco_consumer_ledger *l, const struct eco_usage_set *scan,
                                double energy_j, double busy_s)
{
    for (size_t i = 0; i < l->n; i++)
        l->v[i].seen = 0;
    /* First pass: deltas and their sum, so shares can be capped at 1 when
     * counters of different origins disagree slightly. */
    double *delta = calloc(scan->n ? scan->n : 1, sizeof *delta);
    /* Indexes, not pointers: entry() may move l->v when it grows. */
    size_t *ent = calloc(scan->n ? scan->n : 1, sizeof *ent);
    if (!delta || !ent) {
        free(delta);
        free(ent);
        return;
    }
    double sum = 0;
    for (size_t i = 0; i < scan->n; i++) {
        int is_new;
        struct eco_consumer_entry *e = entry(l, &scan->v[i], &is_new);
        if (!e)
            continue;
        e->seen = 1;
        ent[i] = (size_t)(e - l->v) + 1; /* 0: no entry */
        /* A consumer first seen now started within the interval (or this is
         * the first scan): its whole CPU time would over-count, so it only
         * sets its starting point unless the ledger is already primed. */
        double d = is_new ? (l->primed ? scan->v[i].cpu_s : 0) : scan->v[i].cpu_s - e->last_cpu_s;
        if (d < 0)
            d = 0; /* pid reused or cgroup recreated */
        delta[i] = d;
        sum += d;
        e->last_cpu_s = scan->v[i].cpu_s;
    }
    double denom = busy_s > sum ? busy_s : sum;
    if (l->primed && denom > 0 && energy_j > 0)
        for (size_t i = 0; i < scan->n; i++)
            if (ent[i])
                l->v[ent[i] - 1].energy_j += energy_j * delta[i] / denom;
    l->primed = 1;
    free(delta);
    free(ent);
}

struct ranked {
    double energy_j;
    size_t index;
};

static int by_energy_desc(const void *a, const void *b)
{
    double x = ((const struct ranked *)a)->energy_j, y = ((const struct ranked *)b)->energy_j;
    return x < y ? 1 : x > y ? -1 : 0;
}

size_t eco_consumer_ledger_top(const struct eco_consumer_ledger *l, size_t *idx, size_t n)
{
    struct ranked *r = malloc((l->n ? l->n : 1) * sizeof *r);
    if (!r)
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].energy_j > 0)
            r[k++] = (struct ranked){l->v[i].energy_j, i};
    qsort(r, k, sizeof *r, by_energy_desc);
    if (k > n)
        k = n;
    for (size_t i = 0; i < k; i++)
        idx[i] = r[i].index;
    free(r);
    return k;
}

void eco_consumer_ledger_prune(struct eco_consumer_ledger *l, size_t keep)
{
    size_t *top = malloc((keep ? keep : 1) * sizeof *top);
    size_t n_top = top ? eco_consumer_ledger_top(l, top, keep) : 0;
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        int kept = l->v[i].seen;
        for (size_t k = 0; k < n_top && !kept; k++)
            kept = top[k] == i;
        if (kept) {
            if (w != i)
                l->v[w] = l->v[i];
            w++;
        } else {
            l->gone_j += l->v[i].energy_j;
            l->gone_n++;
        }
    }
    l->n = w;
    free(top);
}

void eco_consumer_ledger_free(struct eco_consumer_ledger *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}
