/* The registry: one table of sources, probed in order. A source that is not
 * here stays in the set, disabled, with its reason and fix, so `ecometer
 * sensors` can say what is measurable and why not.
 *
 * The rule that keeps anything from being counted twice across sources:
 * measured sources come first; the sources flagged CPU_FALLBACK (hwmon's CPU
 * sensors, which read the same energy as RAPL, and the CPU/memory estimate)
 * are probed only when no enabled source before them already holds the CPU
 * (a cpu-package, cpu-core, soc or platform domain). Otherwise they are
 * listed as disabled, naming the source that measures the CPU. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors/sensor.h"
#include "sensors/sources.h"

enum { CPU_FALLBACK = 1 };

static const struct {
    const struct eco_sensor_ops *ops;
    int flags;
} sources[] = {
    {&eco_rapl_ops, 0},
    {&eco_nvml_ops, 0},
    {&eco_jetson_ops, 0},
    {&eco_amdgpu_ops, 0},
    {&eco_hwmon_ops, CPU_FALLBACK},
    {&eco_cpu_estimate_ops, CPU_FALLBACK},
};
#define N_SOURCES (sizeof sources / sizeof sources[0])

const char *eco_sysfs_root(void)
{
    const char *r = getenv("ECOMETER_SYSFS_ROOT");
    return (r && *r) ? r : "/sys";
}

const char *eco_proc_root(void)
{
    const char *r = getenv("ECOMETER_PROC_ROOT");
    return (r && *r) ? r : "/proc";
}

const char *eco_kind_name(enum eco_kind k)
{
    switch (k) {
    case ECO_KIND_CPU_PACKAGE: return "cpu-package";
    case ECO_KIND_CPU_CORE: return "cpu-core";
    case ECO_KIND_CPU_UNCORE: return "cpu-uncore";
    case ECO_KIND_DRAM: return "dram";
    case ECO_KIND_GPU: return "gpu";
    case ECO_KIND_SOC: return "soc";
    case ECO_KIND_PLATFORM: return "platform";
    case ECO_KIND_MEMORY: return "memory";
    case ECO_KIND_OTHER: return "other";
    }
    return "other";
}

const char *eco_method_name(enum eco_method m)
{
    return m == ECO_ESTIMATED ? "estimated" : "measured";
}

int eco_domain_holds_cpu(const struct eco_domain *d)
{
    return d->kind == ECO_KIND_CPU_PACKAGE || d->kind == ECO_KIND_CPU_CORE ||
           d->kind == ECO_KIND_SOC || d->kind == ECO_KIND_PLATFORM;
}

/* The first enabled measured source holding the CPU, or NULL. */
static const struct eco_sensor *cpu_measured_by(const struct eco_sensor_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        const struct eco_sensor *s = &set->sensors[i];
        if (!s->enabled)
            continue;
        for (size_t d = 0; d < s->n_domains; d++)
            if (s->domains[d].method == ECO_MEASURED && eco_domain_holds_cpu(&s->domains[d]))
                return s;
    }
    return NULL;
}

/* The memory estimate is left out when a measured source already has a
 * DRAM domain (e.g. RAPL whose package is unreadable but whose dram is). */
static void drop_estimated_memory_if_measured(const struct eco_sensor_set *set, struct eco_sensor *s)
{
    const struct eco_sensor *by = NULL;
    for (size_t i = 0; i < set->n && !by; i++) {
        const struct eco_sensor *o = &set->sensors[i];
        if (o == s || !o->enabled)
            continue;
        for (size_t d = 0; d < o->n_domains; d++)
            if (o->domains[d].method == ECO_MEASURED && o->domains[d].kind == ECO_KIND_DRAM)
                by = o;
    }
    if (!by)
        return;
    size_t k = 0;
    for (size_t d = 0; d < s->n_domains; d++) {
        const struct eco_domain *dm = &s->domains[d];
        /* Only trailing estimated memory domains (nothing points at them). */
        if (dm->method == ECO_ESTIMATED && dm->kind == ECO_KIND_MEMORY && d == s->n_domains - 1)
            continue;
        k++;
    }
    if (k == s->n_domains)
        return;
    s->n_domains = k;
    size_t l = strlen(s->note);
    snprintf(s->note + l, sizeof s->note - l, "%smemory not estimated: measured by %s",
             l ? "; " : "", by->ops->name);
}

int eco_sensors_open(struct eco_sensor_set *set, struct eco_err *err)
{
    set->n = 0;
    set->sensors = calloc(N_SOURCES, sizeof *set->sensors);
    if (!set->sensors)
        return eco_err_set(err, 1, "out of memory opening the sensors");
    for (size_t i = 0; i < N_SOURCES; i++) {
        struct eco_sensor *s = &set->sensors[set->n++];
        s->ops = sources[i].ops;
        eco_err_clear(&s->why);
        const struct eco_sensor *by = NULL;
        if ((sources[i].flags & CPU_FALLBACK) && (by = cpu_measured_by(set)) != NULL) {
            eco_err_set(&s->why, 1, "not used: the CPU is already measured by %s", by->ops->name);
            continue;
        }
        if (s->ops->probe(s, &s->why) == 0) {
            s->enabled = 1;
            drop_estimated_memory_if_measured(set, s);
        } else {
            /* A source that failed keeps no domains: only enabled ones count. */
            if (s->ops->close)
                s->ops->close(s);
            s->priv = NULL;
            free(s->domains);
            s->domains = NULL;
            s->n_domains = 0;
            if (!s->why.code)
                s->why.code = 1;
        }
    }
    return 0;
}

void eco_sensors_close(struct eco_sensor_set *set)
{
    if (!set || !set->sensors)
        return;
    for (size_t i = 0; i < set->n; i++) {
        struct eco_sensor *s = &set->sensors[i];
        if (s->enabled && s->ops->close)
            s->ops->close(s);
        free(s->domains);
    }
    free(set->sensors);
    set->sensors = NULL;
    set->n = 0;
}

double eco_sensors_max_interval(const struct eco_sensor_set *set)
{
    double m = 0;
    for (size_t i = 0; i < set->n; i++) {
        const struct eco_sensor *s = &set->sensors[i];
        if (!s->enabled)
            continue;
        for (size_t d = 0; d < s->n_domains; d++) {
            double v = s->domains[d].max_interval_s;
            if (v > 0 && (m == 0 || v < m))
                m = v;
        }
    }
    return m;
}

struct eco_sensor *eco_sensors_find(struct eco_sensor_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->sensors[i].ops->name, name) == 0)
            return &set->sensors[i];
    return NULL;
}
