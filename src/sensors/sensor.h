/* A sensor is a small vtable (PAPI's components, htop's meters): probe says
 * whether the source is here and, if not, why and how to fix it; read gives
 * one raw value per domain it owns; close frees it. One file per source under
 * src/sensors/, one registry (src/sensors/registry.c). All hardware paths are
 * rooted at ECOMETER_SYSFS_ROOT (default /sys). */
#ifndef ECO_SENSORS_SENSOR_H
#define ECO_SENSORS_SENSOR_H

#include <stddef.h>

#include "core/err.h"

enum eco_kind {
    ECO_KIND_CPU_PACKAGE,
    ECO_KIND_CPU_CORE,
    ECO_KIND_CPU_UNCORE,
    ECO_KIND_DRAM,
    ECO_KIND_GPU,
    ECO_KIND_SOC,
    ECO_KIND_PLATFORM,
    ECO_KIND_MEMORY,
    ECO_KIND_OTHER,
};
/* "cpu-package", "cpu-core", "cpu-uncore", "dram", "gpu", "soc", "platform", "memory", "other"
 * (sensors/domain_names.c, with the method names and the roots below) */
const char *eco_kind_name(enum eco_kind k);

enum eco_method { ECO_MEASURED, ECO_ESTIMATED };
const char *eco_method_name(enum eco_method m); /* "measured" / "estimated" */

enum eco_value_type {
    ECO_VALUE_ENERGY_COUNTER, /* monotonically increasing counter in `unit_j` joules, wraps at counter_max */
    ECO_VALUE_POWER,          /* instantaneous (or averaged) power in watts */
};

struct eco_domain {
    char name[64];            /* "package-0", "dram-0", "gpu-0", "VDD_IN" */
    char device[128];         /* "Intel Xeon Gold 6248 (socket 0)", "NVIDIA A100-SXM4-40GB" */
    enum eco_kind kind;
    enum eco_method method;
    enum eco_value_type type;
    double unit_j;            /* joules per counter unit (1e-6 for uJ, 1e-3 for mJ) */
    double counter_max;       /* wrap modulus in counter units; 0 = never wraps */
    int parent;               /* index (in the same sensor set) of a domain that already
                               * includes this one, or -1 for a top-level domain:
                               * totals add top-level domains only */
    char inside[96];          /* the container in another source, "source:domain"
                               * ("grace:module-0" for a GPU that NVML measures
                               * inside a Grace Hopper module), or empty. Any
                               * source may set it on its own domains or, in its
                               * nest op, on another source's; the registry clears
                               * it when the container is not enabled, and the
                               * meter turns it into a parent across sources, so
                               * the total counts each joule once. */
    double max_interval_s;    /* energy counters: longest interval between two reads
                               * at which the counter cannot wrap more than once (so
                               * one wrap is always detected); 0 = no limit. The
                               * sampler shortens its interval to the set's minimum
                               * (eco_sensors_max_interval). */
    double limit_w;           /* the device's power limit as it reports it (NVML's
                               * enforced limit), 0 = unknown: the fixed range of
                               * `top`'s bar for this domain */
};

struct eco_reading {
    int ok;                   /* 0: could not read this time (gap), see error */
    double value;             /* counter units or watts */
    double t;                 /* monotonic seconds when read */
};

struct eco_sensor;
struct eco_sensor_set;
struct eco_sensor_ops {
    const char *name;         /* "rapl", "nvml", "jetson", "amdgpu", "hwmon", "cpu-estimate" */
    /* Fill s->domains; return 0 if usable, -1 with why (and a fix in why->hint). */
    int (*probe)(struct eco_sensor *s, struct eco_err *why);
    /* One reading per domain (out[i] for domains[i], t from the monotonic
     * clock). A domain that cannot be read this time gets ok=0 and err names
     * it while the call still returns 0; -1 (err says why) only when the
     * whole source vanished (every file gone, every GPU lost). */
    int (*read)(struct eco_sensor *s, struct eco_reading *out, struct eco_err *err);
    /* Free priv. Also called after a failed probe (priv may be NULL or
     * partly built); the registry frees domains itself. */
    void (*close)(struct eco_sensor *s);
    /* Optional, after every source is probed: name this source's domains as
     * the containers of other sources' domains (their `inside`). */
    void (*nest)(struct eco_sensor *s, struct eco_sensor_set *set);
};

struct eco_sensor {
    const struct eco_sensor_ops *ops;
    void *priv;
    struct eco_domain *domains;
    size_t n_domains;
    int enabled;
    struct eco_err why;       /* when disabled: the reason and the fix */
    char note[1024];          /* when enabled but limited: "power only (no energy
                               * counter)", "no per-process data"...; may be empty */
    /* Set by the registry before probe: the name of an enabled source that
     * already measures the CPU (a domain holding it) or DRAM, or NULL. A
     * source whose domains repeat those (hwmon's CPU sensors, an INA3221
     * VDD_CPU rail next to RAPL) leaves them out. */
    const char *cpu_by, *dram_by;
};



/* The registry (src/sensors/registry.c): every known source, probed in order.
 * Sources that are absent stay in the set, disabled, with their reason, so
 * `ecometer sensors` can list them (PAPI's disabled_reason). */
struct eco_sensor_set {
    struct eco_sensor *sensors;
    size_t n;
};
int eco_sensors_open(struct eco_sensor_set *set, struct eco_err *err);
void eco_sensors_close(struct eco_sensor_set *set);
/* ECOMETER_SYSFS_ROOT or "/sys". */
const char *eco_sysfs_root(void);
/* ECOMETER_PROC_ROOT or "/proc" (the CPU estimate reads stat and meminfo there). */
const char *eco_proc_root(void);

/* The registry's probe order and rule (see registry.c): measured sources
 * first; a source that only measures the CPU again (hwmon's CPU sensors) and
 * the CPU/memory estimate are enabled only when no enabled source already
 * measures the CPU (a cpu-package, cpu-core, soc or platform domain); the
 * estimate's memory domain is dropped when a measured dram domain exists. */

/* Smallest max_interval_s over enabled domains (0 = no limit). */
double eco_sensors_max_interval(const struct eco_sensor_set *set);
/* The sensor named `name` ("rapl", "nvml"...) in the set, or NULL. */
struct eco_sensor *eco_sensors_find(struct eco_sensor_set *set, const char *name);
/* After the probes (eco_sensors_open calls it): names made unique over the
 * set, then the nest ops, then every `inside` that names no enabled domain
 * of another source, or makes a cycle, is cleared (counted on its own). */
void eco_sensors_link(struct eco_sensor_set *set);
/* The domain a "source:domain" reference names among enabled sources:
 * 0 with *si, *di set, or -1. */
int eco_sensors_locate(const struct eco_sensor_set *set, const char *ref, size_t *si, size_t *di);
/* 1 if the domain is top-level: no parent in its source and no container in another. */
int eco_domain_top_level(const struct eco_domain *d);
/* 1 if the domain holds CPU power (cpu-package, cpu-core, soc, platform). */
int eco_domain_holds_cpu(const struct eco_domain *d);

#endif
