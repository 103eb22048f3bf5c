/* The host's counts for people (see host_text.h). */
#include "render/host_text.h"

#include <stdio.h>

const char *eco_host_cpus_text(const struct eco_run_result *r, char *buf, size_t len)
{
    if (r->cpu_count > 0)
        snprintf(buf, len, "%d CPU%s", r->cpu_count, r->cpu_count == 1 ? "" : "s");
    else
        snprintf(buf, len, "CPUs unknown");
    return buf;
}

const char *eco_host_ram_text(const struct eco_run_result *r, char *buf, size_t len)
{
    if (r->ram_gb > 0)
        snprintf(buf, len, "%.0f GB RAM", r->ram_gb);
    else
        snprintf(buf, len, "RAM unknown");
    return buf;
}
