/* What a domain and a fixture are called, apart from the registry's table:
 * the text of each domain kind and method (every output, the history's kind
 * column and the Prometheus labels print these), which kinds hold the CPU,
 * which domains are top-level, and the roots every sysfs and /proc path
 * starts from (ECOMETER_SYSFS_ROOT, ECOMETER_PROC_ROOT: a fixture board). */
#include <stdlib.h>

#include "sensors/sensor.h"

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

int eco_domain_top_level(const struct eco_domain *d)
{
    return d->parent < 0 && !d->inside[0];
}
