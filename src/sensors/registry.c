/* The registry: one table of sources, probed in order. A source that is not
 * here stays in the set, disabled, with its reason and fix, so `ecometer
 * sensors` can say what is measurable and why not.
 *
 * The rules that keep anything from being counted twice across sources:
 * - measured sources come first. Before each probe the registry tells the
 *   source which enabled source already measures the CPU and DRAM (cpu_by,
 *   dram_by): the hwmon source then leaves out its CPU sensors (amd_energy,
 *   zenpower, an INA3221 VDD_CPU rail) that would repeat RAPL; its other
 *   rows (and the GPU sources) do not depend on it.
 * - the CPU/memory estimate (CPU_FALLBACK) is probed only when no enabled
 *   source before it holds the CPU (a cpu-package, cpu-core, soc or platform
 *   domain); otherwise it is listed as disabled, naming that source.
 * - after every probe, each source's nest op may name its domains as the
 *   containers of other sources' domains (Grace's module holds the GPU that
 *   NVML measures); a container that is not enabled is dropped, so nothing
 *   is lost, and the meter turns the rest into parents: totals add top-level
 *   domains only.
 * - domain names are unique over the set (a repeat gets "@source"), so every
 *   output and every Prometheus series tells them apart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors/hwmon_scan.h"
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
    {&eco_intel_gpu_ops, 0},
    {&eco_grace_ops, 0},
    {&eco_hwmon_ops, 0},
    {&eco_cpu_estimate_ops, CPU_FALLBACK},
};
#define N_SOURCES (sizeof sources / sizeof sources[0])

/* The first enabled source with a measured domain that `is` accepts, or NULL. */
static const struct eco_sensor *measured_by(const struct eco_sensor_set *set,
                                            int (*is)(const struct eco_domain *))
{
    for (size_t i = 0; i < set->n; i++) {
        const struct eco_sensor *s = &set->sensors[i];
        if (!s->enabled)
            continue;
        for (size_t d = 0; d < s->n_domains; d++)
            if (s->domains[d].method == ECO_MEASURED && is(&s->domains[d]))
                return s;
    }
    return NULL;
}

static int is_dram(const struct eco_domain *d)
{
    return d->kind == ECO_KIND_DRAM;
}

static const struct eco_sensor *cpu_measured_by(const struct eco_sensor_set *set)
{
    return measured_by(set, eco_domain_holds_cpu);
}

int eco_sensors_locate(const struct eco_sensor_set *set, const char *ref, size_t *si, size_t *di)
{
    const char *colon = strchr(ref, ':');
    if (!colon)
        return -1;
    size_t sl = (size_t)(colon - ref);
    for (size_t i = 0; i < set->n; i++) {
        const struct eco_sensor *s = &set->sensors[i];
        if (!s->enabled || strlen(s->ops->name) != sl || strncmp(s->ops->name, ref, sl) != 0)
            continue;
        for (size_t d = 0; d < s->n_domains; d++)
            if (strcmp(s->domains[d].name, colon + 1) == 0) {
                *si = i;
                *di = d;
                return 0;
            }
    }
    return -1;
}

/* A second "package-0" in another source becomes "package-0@hwmon". */
static void unique_names(struct eco_sensor_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        struct eco_sensor *s = &set->sensors[i];
        for (size_t d = 0; s->enabled && d < s->n_domains; d++)
            for (size_t j = 0; j < i; j++) {
                const struct eco_sensor *o = &set->sensors[j];
                for (size_t e = 0; o->enabled && e < o->n_domains; e++)
                    if (strcmp(o->domains[e].name, s->domains[d].name) == 0) {
                        char base[sizeof s->domains[d].name];
                        snprintf(base, sizeof base, "%s", s->domains[d].name);
                        snprintf(s->domains[d].name, sizeof s->domains[d].name, "%.40s@%.20s", base,
                                 s->ops->name);
                    }
            }
    }
}

/* Walk up the containers from (si, di); 1 if it comes back to a domain
 * already seen (a cycle) or cannot be followed. */
static int container_cycle(const struct eco_sensor_set *set, size_t si, size_t di)
{
    for (size_t steps = 0; steps < 64; steps++) {
        const struct eco_domain *d = &set->sensors[si].domains[di];
        while (d->parent >= 0 && (size_t)d->parent < set->sensors[si].n_domains)
            d = &set->sensors[si].domains[d->parent];
        if (!d->inside[0])
            return 0;
        if (eco_sensors_locate(set, d->inside, &si, &di) != 0)
            return 0; /* dropped by the caller in its own turn */
    }
    return 1;
}

/* Run the nest ops, then keep only containers that exist, are enabled,
 * belong to another source and make no cycle. */
static void link_containers(struct eco_sensor_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->sensors[i].enabled && set->sensors[i].ops->nest)
            set->sensors[i].ops->nest(&set->sensors[i], set);
    for (size_t i = 0; i < set->n; i++) {
        struct eco_sensor *s = &set->sensors[i];
        for (size_t d = 0; s->enabled && d < s->n_domains; d++) {
            struct eco_domain *dm = &s->domains[d];
            size_t si, di;
            if (!dm->inside[0])
                continue;
            if (dm->parent >= 0 || eco_sensors_locate(set, dm->inside, &si, &di) != 0 || si == i ||
                container_cycle(set, i, d))
                dm->inside[0] = 0; /* counted on its own rather than lost */
        }
    }
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
    eco_hwmon_cache_begin();
    for (size_t i = 0; i < N_SOURCES; i++) {
        struct eco_sensor *s = &set->sensors[set->n++];
        s->ops = sources[i].ops;
        eco_err_clear(&s->why);
        const struct eco_sensor *by = cpu_measured_by(set), *dram = measured_by(set, is_dram);
        s->cpu_by = by ? by->ops->name : NULL;
        s->dram_by = dram ? dram->ops->name : NULL;
        if ((sources[i].flags & CPU_FALLBACK) && by != NULL) {
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
    eco_hwmon_cache_end();
    eco_sensors_link(set);
    return 0;
}

void eco_sensors_link(struct eco_sensor_set *set)
{
    unique_names(set);
    link_containers(set);
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
