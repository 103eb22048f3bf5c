/* The Prometheus text exposition format (version 0.0.4) for `ecometer serve`.
 * The agent fills a snapshot from its meter; this module only writes it. */
#ifndef ECO_RENDER_PROMETHEUS_H
#define ECO_RENDER_PROMETHEUS_H

#include <stddef.h>

struct eco_prom_domain {
    const char *domain;      /* "package-0" */
    const char *kind;        /* eco_kind_name(): "cpu-package", "gpu", ... */
    const char *device;
    const char *method;      /* "measured" / "estimated" */
    double energy_j;         /* since the agent started (a counter) */
    double power_w;          /* over the last interval (a gauge) */
    int top_level;           /* counted in the machine total */
};

struct eco_prom_consumer {
    const char *name;        /* process: comm; container: container/pod name */
    const char *id;          /* process: pid; container: cgroup path */
    double energy_j;         /* attributed since it was first seen */
};

struct eco_prom_snapshot {
    const struct eco_prom_domain *domains;
    size_t n_domains;
    const struct eco_prom_consumer *processes;
    size_t n_processes;
    const struct eco_prom_consumer *containers;
    size_t n_containers;
    double co2e_g;           /* of the machine total since start */
    double intensity_g_per_kwh;
    const char *region;      /* region code or "WORLD" */
    double agent_cpu_seconds;
    double agent_rss_bytes;
    double samples;          /* sampling rounds taken */
    double start_time_unix;
};

/* Render into a malloc'ed buffer (*out, *len). Returns 0, -1 on OOM. */
int eco_prom_render(const struct eco_prom_snapshot *s, char **out, size_t *len);

#endif
