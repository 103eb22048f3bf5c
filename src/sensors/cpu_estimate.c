/* The fallback when no sensor measures the CPU: CPU power from the TDP table
 * (src/hw) and the utilisation measured from /proc/stat between two reads,
 * plus memory power per GB of RAM (MemTotal of /proc/meminfo). Both domains
 * are ECO_ESTIMATED power values: they are printed as estimated, never as
 * measured. The registry enables this source only when no measured source
 * already holds the CPU (see registry.c).
 *
 * The curve P = TDP x (0.10 + 0.66 x load) comes from fitting real
 * measurements (see cpu_estimate.h and docs/METHODOLOGY.md). The TDP is
 * scaled to the logical CPUs usable here (a VM's vCPUs, a container's cgroup
 * quota or cpuset): a 1-vCPU VM of a 40-thread part is 1/40 of its TDP. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hardware.h"
#include "core/clock.h"
#include "sensors/cpu_choice.h"
#include "sensors/cpu_estimate.h"
#include "sensors/cpu_quota.h"
#include "sensors/cpuinfo.h"
#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"
#include "core/numparse.h"

struct est_priv {
    char stat_path[PATH_MAX];
    char cg_stat_path[PATH_MAX + 16]; /* the cgroup's cpu.stat when it limits the CPUs, else "" */
    double full_w;         /* CPU power at full load of the CPUs usable here */
    double cpus;           /* logical CPUs usable here (cpu_quota.h) */
    double mem_w;          /* constant memory power, or <0 when no memory domain */
    unsigned long long busy, total; /* last /proc/stat snapshot */
    unsigned long long cg_usec;     /* last cgroup usage_usec */
    double cg_t;                    /* when it was read */
    double last_load;
    char about[640];       /* where the figures come from, printed as a warning */
};

double eco_cpu_power_fraction(double load)
{
    if (!(load >= 0))
        load = 0;
    if (load > 1)
        load = 1;
    return ECO_CPU_IDLE_FRACTION + ECO_CPU_LOAD_SLOPE * load;
}

int eco_proc_stat_parse(const char *text, unsigned long long *busy, unsigned long long *total)
{
    uint64_t v[8] = {0};
    /* user nice system idle iowait irq softirq steal (guest is inside user) */
    if (strncmp(text, "cpu ", 4) != 0)
        return -1;
    const char *p = text + 4;
    if (eco_num_u64_fields(&p, v, 8) < 4)
        return -1;
    unsigned long long idle = v[3] + v[4];
    unsigned long long b = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    *busy = b;
    *total = b + idle;
    return 0;
}

static int read_stat(struct est_priv *p, unsigned long long *busy, unsigned long long *total)
{
    char buf[512];
    if (eco_sysfs_read(p->stat_path, buf, sizeof buf) != 0)
        return -1;
    return eco_proc_stat_parse(buf, busy, total);
}

double eco_cgroup_load(unsigned long long usec, double dt_s, double cpus)
{
    if (!(dt_s > 0) || !(cpus > 0))
        return -1;
    double load = (double)usec * 1e-6 / (dt_s * cpus);
    return load > 1 ? 1 : load;
}

static int read_cg_usage(const struct est_priv *p, unsigned long long *usec)
{
    char buf[1024];
    if (!p->cg_stat_path[0] || eco_sysfs_read(p->cg_stat_path, buf, sizeof buf) != 0)
        return -1;
    return eco_cpu_stat_usage(buf, usec);
}

/* The power at full load of the CPUs usable here, and the text saying how it was found. */
static void scale_to_cpus(struct est_priv *p, const struct eco_cpu_figures *f,
                          const struct eco_cpu_avail *a, int sockets, char *device, size_t len)
{
    const char *name = f->row ? f->row->name : f->model;
    double online = a->online > 0 ? a->online : f->threads > 0 ? f->threads * sockets : 1;
    p->cpus = a->cpus > 0 ? a->cpus : online;
    if (f->row && !f->vm) {
        /* bare metal: the sockets' TDP, times the share of the CPUs a cgroup leaves us */
        p->full_w = f->tdp_w * sockets * (p->cpus / online);
        char share[200] = "";
        if (p->cpus < online)
            snprintf(share, sizeof share, " x %g/%g CPUs (%s)", p->cpus, online, a->limit);
        snprintf(p->about, sizeof p->about, "CPU power estimated, not measured: %s x %d socket%s%s = "
                 "%.4g W at full load", f->source, sockets, sockets == 1 ? "" : "s", share, p->full_w);
        if (p->cpus < online)
            snprintf(device, len, "%.60s, TDP %g W x %d socket%s x %g/%g CPUs", name, f->tdp_w,
                     sockets, sockets == 1 ? "" : "s", p->cpus, online);
        else
            snprintf(device, len, "%.80s, TDP %g W x %d socket%s", name, f->tdp_w, sockets,
                     sockets == 1 ? "" : "s");
    } else {
        /* a VM's vCPUs are hardware threads of the host's part */
        double wpt = f->w_per_thread > 0 ? f->w_per_thread : f->tdp_w / online;
        p->full_w = wpt * p->cpus;
        snprintf(device, len, "%.70s, %.3g W/thread x %g CPUs", name, wpt, p->cpus);
        snprintf(p->about, sizeof p->about, "CPU power estimated, not measured: %s: %.3g W per thread x "
                 "%g CPUs (%s) = %.4g W at full load", f->source, wpt, p->cpus, a->limit, p->full_w);
    }
}

static int fill_domains(struct eco_sensor *s, struct est_priv *p, const char *device, double gb,
                        int mem_limited)
{
    s->n_domains = p->mem_w >= 0 ? 2 : 1;
    s->domains = calloc(s->n_domains, sizeof *s->domains);
    if (!s->domains)
        return -1;
    struct eco_domain *d = &s->domains[0];
    snprintf(d->name, sizeof d->name, "cpu");
    snprintf(d->device, sizeof d->device, "%s", device);
    d->kind = ECO_KIND_CPU_PACKAGE;
    d->method = ECO_ESTIMATED;
    d->type = ECO_VALUE_POWER;
    d->parent = -1;
    if (p->mem_w >= 0) {
        d = &s->domains[1];
        snprintf(d->name, sizeof d->name, "memory");
        snprintf(d->device, sizeof d->device, "%.1f GB RAM%s at %g W/GB", gb,
                 mem_limited ? " (cgroup memory.max)" : "", ECO_MEMORY_W_PER_GB);
        d->kind = ECO_KIND_MEMORY;
        d->method = ECO_ESTIMATED;
        d->type = ECO_VALUE_POWER;
        d->parent = -1;
    }
    return 0;
}

static int est_probe(struct eco_sensor *s, struct eco_err *why)
{
    struct eco_cpu_figures f;
    if (eco_cpu_figures_resolve(&f, why) != 0)
        return -1;
    struct est_priv *p = calloc(1, sizeof *p);
    if (!p)
        return eco_err_set(why, 1, "out of memory");
    s->priv = p;
    if (eco_sysfs_join(p->stat_path, sizeof p->stat_path, eco_proc_root(), "stat") != 0 ||
        read_stat(p, &p->busy, &p->total) != 0) {
        eco_err_set(why, 1, "cannot estimate the CPU: %s/stat is not readable", eco_proc_root());
        return -1;
    }
    struct eco_cpu_avail a;
    eco_cpu_avail_read(&a);
    /* A cgroup that limits the CPUs: its own usage is the load, not the host's /proc/stat. */
    if (a.limited && a.cgroup[0])
        eco_pathf(p->cg_stat_path, sizeof p->cg_stat_path, "%s/cpu.stat", a.cgroup);
    if (read_cg_usage(p, &p->cg_usec) != 0)
        p->cg_stat_path[0] = 0;
    p->cg_t = eco_monotonic_s();
    char device[128];
    scale_to_cpus(p, &f, &a, eco_sensors_cpu_sockets(), device, sizeof device);
    double gb = eco_sensors_mem_gb();
    /* a container's memory is its cgroup's memory.max, not the host's MemTotal */
    int mem_limited = a.mem_max_gb > 0 && (gb <= 0 || a.mem_max_gb < gb);
    if (mem_limited)
        gb = a.mem_max_gb;
    p->mem_w = gb > 0 ? gb * ECO_MEMORY_W_PER_GB : -1;
    if (fill_domains(s, p, device, gb, mem_limited) != 0)
        return eco_err_set(why, 1, "out of memory");
    snprintf(s->note, sizeof s->note, "estimated: P = %.4g W x (%.2f + %.2f x load) for %g CPU%s%s%s%s; "
             "not a measurement", p->full_w, ECO_CPU_IDLE_FRACTION, ECO_CPU_LOAD_SLOPE, p->cpus,
             p->cpus == 1 ? "" : "s", p->cg_stat_path[0] ? ", load from the cgroup's cpu.stat" : "",
             f.generic ? ", generic per-thread figure (model hidden)" : "",
             p->mem_w >= 0 ? ", memory 0.3725 W/GB" : "");
    return 0;
}

static double next_load(struct est_priv *p, unsigned long long busy, unsigned long long total, double t)
{
    unsigned long long usec;
    if (p->cg_stat_path[0] && read_cg_usage(p, &usec) == 0) {
        if (usec >= p->cg_usec && t > p->cg_t) {
            p->last_load = eco_cgroup_load(usec - p->cg_usec, t - p->cg_t, p->cpus);
            p->cg_usec = usec;
            p->cg_t = t;
        }
        return p->last_load;
    }
    /* Too close to the last read (same clock tick): keep the last load. */
    if (total > p->total && busy >= p->busy)
        p->last_load = (double)(busy - p->busy) / (double)(total - p->total);
    return p->last_load;
}

static int est_read(struct eco_sensor *s, struct eco_reading *out, struct eco_err *err)
{
    struct est_priv *p = s->priv;
    unsigned long long busy, total;
    double t = eco_monotonic_s();
    if (read_stat(p, &busy, &total) != 0) {
        out[0] = (struct eco_reading){0, 0, t};
        eco_err_set(err, 1, "cpu: %s is not readable", p->stat_path);
    } else {
        double load = next_load(p, busy, total, t);
        p->busy = busy;
        p->total = total;
        out[0] = (struct eco_reading){1, p->full_w * eco_cpu_power_fraction(load), t};
    }
    if (s->n_domains > 1)
        out[1] = (struct eco_reading){1, p->mem_w, t};
    return 0;
}

const char *eco_cpu_estimate_about(const struct eco_sensor_set *set)
{
    for (size_t i = 0; set && i < set->n; i++) {
        const struct eco_sensor *s = &set->sensors[i];
        if (s->ops == &eco_cpu_estimate_ops && s->enabled && s->priv)
            return ((const struct est_priv *)s->priv)->about;
    }
    return NULL;
}

static void est_close(struct eco_sensor *s)
{
    free(s->priv);
    s->priv = NULL;
}

const struct eco_sensor_ops eco_cpu_estimate_ops = {
    .name = "cpu-estimate",
    .probe = est_probe,
    .read = est_read,
    .close = est_close,
};
