/* The fallback when no sensor measures the CPU: CPU power from the TDP table
 * (src/hw) and the utilisation measured from /proc/stat between two reads,
 * plus memory power per GB of RAM (MemTotal of /proc/meminfo). Both domains
 * are ECO_ESTIMATED power values: they are printed as estimated, never as
 * measured. The registry enables this source only when no measured source
 * already holds the CPU (see registry.c).
 *
 * The curve P = TDP x (0.10 + 0.66 x load) comes from fitting real
 * measurements (see cpu_estimate.h and docs/METHODOLOGY.md). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hardware.h"
#include "sensors/cpu_estimate.h"
#include "sensors/cpuinfo.h"
#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"

struct est_priv {
    char stat_path[PATH_MAX];
    double tdp_w;          /* all sockets */
    double mem_w;          /* constant memory power, or <0 when no memory domain */
    unsigned long long busy, total; /* last /proc/stat snapshot */
    double last_load;
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
    unsigned long long v[8] = {0};
    /* user nice system idle iowait irq softirq steal (guest is inside user) */
    int n = sscanf(text, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5], &v[6], &v[7]);
    if (n < 4)
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

static int est_probe(struct eco_sensor *s, struct eco_err *why)
{
    char model[160];
    if (eco_sensors_cpu_model(model, sizeof model) != 0) {
        eco_err_set(why, 1, "cannot estimate the CPU: its model is unknown (no 'model name' in "
                            "/proc/cpuinfo)");
        eco_err_hint(why, "no measured CPU source either: CPU energy is not counted on this machine");
        return -1;
    }
    struct eco_err e;
    eco_err_clear(&e);
    const struct eco_cpu *cpu = eco_cpu_find(model, &e);
    if (!cpu || !(cpu->tdp_w > 0)) {
        eco_err_set(why, 1, "cannot estimate the CPU: '%s' is not in ecometer's CPU table", model);
        if (e.hint[0])
            eco_err_hint(why, "%s", e.hint);
        else
            eco_err_hint(why, "add a row with its TDP to a TSV file named by ECOMETER_CPU_TABLE "
                              "(same columns as data/cpus.tsv)");
        return -1;
    }
    struct est_priv *p = calloc(1, sizeof *p);
    if (!p)
        return eco_err_set(why, 1, "out of memory");
    s->priv = p;
    if (eco_sysfs_join(p->stat_path, sizeof p->stat_path, eco_proc_root(), "stat") != 0 ||
        read_stat(p, &p->busy, &p->total) != 0) {
        eco_err_set(why, 1, "cannot estimate the CPU: %s/stat is not readable", eco_proc_root());
        return -1;
    }
    int sockets = eco_sensors_cpu_sockets();
    p->tdp_w = cpu->tdp_w * sockets;
    double gb = eco_sensors_mem_gb();
    p->mem_w = gb > 0 ? gb * ECO_MEMORY_W_PER_GB : -1;
    s->n_domains = p->mem_w >= 0 ? 2 : 1;
    s->domains = calloc(s->n_domains, sizeof *s->domains);
    if (!s->domains)
        return eco_err_set(why, 1, "out of memory");
    struct eco_domain *d = &s->domains[0];
    snprintf(d->name, sizeof d->name, "cpu");
    snprintf(d->device, sizeof d->device, "%.80s, TDP %g W x %d socket%s", cpu->name, cpu->tdp_w,
             sockets, sockets == 1 ? "" : "s");
    d->kind = ECO_KIND_CPU_PACKAGE;
    d->method = ECO_ESTIMATED;
    d->type = ECO_VALUE_POWER;
    d->parent = -1;
    if (p->mem_w >= 0) {
        d = &s->domains[1];
        snprintf(d->name, sizeof d->name, "memory");
        snprintf(d->device, sizeof d->device, "%.1f GB RAM at %g W/GB", gb, ECO_MEMORY_W_PER_GB);
        d->kind = ECO_KIND_MEMORY;
        d->method = ECO_ESTIMATED;
        d->type = ECO_VALUE_POWER;
        d->parent = -1;
    }
    snprintf(s->note, sizeof s->note,
             "estimated: P = TDP x (%.2f + %.2f x load)%s; not a measurement", ECO_CPU_IDLE_FRACTION,
             ECO_CPU_LOAD_SLOPE, p->mem_w >= 0 ? ", memory 0.3725 W/GB" : "");
    return 0;
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
        /* Too close to the last read (same clock tick): keep the last load. */
        if (total > p->total && busy >= p->busy)
            p->last_load = (double)(busy - p->busy) / (double)(total - p->total);
        p->busy = busy;
        p->total = total;
        out[0] = (struct eco_reading){1, p->tdp_w * eco_cpu_power_fraction(p->last_load), t};
    }
    if (s->n_domains > 1)
        out[1] = (struct eco_reading){1, p->mem_w, t};
    return 0;
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
