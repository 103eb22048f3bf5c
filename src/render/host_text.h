/* The counts of a run's host for people, the same in `show` and the report:
 * a count ecometer could not read (0 in the record: no CPU list, no
 * /proc/stat, no MemTotal on that machine) is said to be unknown, never "0". */
#ifndef ECO_RENDER_HOST_TEXT_H
#define ECO_RENDER_HOST_TEXT_H

#include <stddef.h>

#include "meter/result.h"

/* "8 CPUs", "1 CPU" or "CPUs unknown". */
const char *eco_host_cpus_text(const struct eco_run_result *r, char *buf, size_t len);
/* "252 GB RAM" (GiB, as ram_gb) or "RAM unknown". */
const char *eco_host_ram_text(const struct eco_run_result *r, char *buf, size_t len);

#endif
