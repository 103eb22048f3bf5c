#include "render/prometheus.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
    char *p;
    size_t len, cap;
    int oom;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct buf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
}

/* Label values escape backslash, double quote and newline (exposition format). */
static void label(struct buf *b, const char *name, const char *value, int first)
{
    put(b, "%s%s=\"", first ? "" : ",", name);
    for (const char *s = value ? value : ""; *s; s++) {
        if (*s == '\\')
            put(b, "\\\\");
        else if (*s == '"')
            put(b, "\\\"");
        else if (*s == '\n')
            put(b, "\\n");
        else
            put(b, "%c", *s);
    }
    put(b, "\"");
}

static void header(struct buf *b, const char *name, const char *type, const char *help)
{
    put(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void domain_series(struct buf *b, const char *metric, const struct eco_prom_snapshot *s,
                          int power)
{
    for (size_t i = 0; i < s->n_domains; i++) {
        const struct eco_prom_domain *d = &s->domains[i];
        put(b, "%s{", metric);
        label(b, "domain", d->domain, 1);
        label(b, "kind", d->kind, 0);
        label(b, "device", d->device, 0);
        label(b, "method", d->method, 0);
        label(b, "top_level", d->top_level ? "true" : "false", 0);
        put(b, "} %.6f\n", power ? d->power_w : d->energy_j);
    }
}

static void consumers(struct buf *b, const char *metric, int process,
                      const struct eco_prom_consumer *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        put(b, "%s{", metric);
        if (process) {
            label(b, "pid", c[i].id, 1);
            label(b, "comm", c[i].name, 0);
        } else {
            label(b, "cgroup", c[i].id, 1);
            label(b, "container", c[i].name, 0);
        }
        put(b, "} %.6f\n", c[i].energy_j);
    }
}

int eco_prom_render(const struct eco_prom_snapshot *s, char **out, size_t *len)
{
    struct buf b = {0};
    header(&b, "ecometer_energy_joules_total", "counter",
           "Energy of each power domain since the agent started, in joules.");
    domain_series(&b, "ecometer_energy_joules_total", s, 0);
    header(&b, "ecometer_power_watts", "gauge",
           "Power of each domain over the last sampling interval, in watts.");
    domain_series(&b, "ecometer_power_watts", s, 1);
    header(&b, "ecometer_co2e_grams_total", "counter",
           "CO2e of the machine's energy (top-level domains) since the agent started, in grams.");
    put(&b, "ecometer_co2e_grams_total{");
    label(&b, "region", s->region, 1);
    put(&b, "} %.6f\n", s->co2e_g);
    header(&b, "ecometer_carbon_intensity_grams_per_kwh", "gauge",
           "Carbon intensity used for ecometer_co2e_grams_total, in gCO2e per kWh.");
    put(&b, "ecometer_carbon_intensity_grams_per_kwh{");
    label(&b, "region", s->region, 1);
    put(&b, "} %.3f\n", s->intensity_g_per_kwh);
    header(&b, "ecometer_process_energy_joules_total", "counter",
           "Energy attributed to the top processes by their share of CPU time, in joules.");
    consumers(&b, "ecometer_process_energy_joules_total", 1, s->processes, s->n_processes);
    header(&b, "ecometer_container_energy_joules_total", "counter",
           "Energy attributed to the top cgroups (containers, pods, Slurm jobs) by their share of CPU time, in joules.");
    consumers(&b, "ecometer_container_energy_joules_total", 0, s->containers, s->n_containers);
    header(&b, "ecometer_agent_cpu_seconds_total", "counter",
           "CPU time used by the ecometer agent itself, in seconds.");
    put(&b, "ecometer_agent_cpu_seconds_total %.6f\n", s->agent_cpu_seconds);
    header(&b, "ecometer_agent_resident_memory_bytes", "gauge",
           "Resident memory of the ecometer agent, in bytes.");
    put(&b, "ecometer_agent_resident_memory_bytes %.0f\n", s->agent_rss_bytes);
    header(&b, "ecometer_samples_total", "counter", "Sampling rounds taken by the agent.");
    put(&b, "ecometer_samples_total %.0f\n", s->samples);
    header(&b, "ecometer_start_time_seconds", "gauge", "Unix time the agent started.");
    put(&b, "ecometer_start_time_seconds %.3f\n", s->start_time_unix);
    if (b.oom) {
        free(b.p);
        return -1;
    }
    *out = b.p;
    *len = b.len;
    return 0;
}
