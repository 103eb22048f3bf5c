/* RAPL zones -> domains: name, kind, device, and which domain holds which
 * (so that the total counts each joule once). Rules, from the kernel's
 * intel_rapl_common.c and the powercap ABI:
 * - package-P and package-P-die-D are CPU packages ("socket P, die D");
 * - core and uncore are parts of their package's energy (inside it);
 * - dram is nested under the package in sysfs but is not part of the
 *   package's energy: top-level, labelled as the memory of that socket (a
 *   dram zone without a package is "memory");
 * - psys holds the whole platform: the other top-level zones are inside it;
 *   with one psys-P per socket, each holds its own socket's zones;
 * - a zone name ecometer does not know is kind `other`: inside its package
 *   (not added) when it is a sub-zone, inside psys when there is one, else
 *   added to the total as a zone of its own; the source's note says which. */
#ifndef ECO_SENSORS_RAPL_NAMES_H
#define ECO_SENSORS_RAPL_NAMES_H

#include <stddef.h>

#include "sensors/rapl_zones.h"
#include "sensors/sensor.h"

/* Name, kind and device of zone i (model: the CPU model string). */
void rapl_zone_domain(const struct rapl_zone *z, size_t i, const char *model, struct eco_domain *dm);

/* Parents of the kept domains: zone_of[k] is the zone of domain k. Appends
 * what it decided about zones of kind other to note (len bytes in all). */
void rapl_assign_parents(const struct rapl_zone *z, const size_t *zone_of, struct eco_domain *dm, size_t nk,
                         char *note, size_t len);

#endif
