/* RAPL zones as the powercap class lists them (Documentation/ABI/testing/
 * sysfs-class-powercap): one directory per zone, named <control type>:<id>
 * for a top-level zone and <control type>:<id>:<sub> for a sub-zone. Three
 * control types hold RAPL counters:
 *   intel-rapl       the MSR interface (intel_rapl_msr: Intel, and AMD Zen
 *                    since Linux 5.11);
 *   intel-rapl-tpmi  the TPMI interface of Xeon 6 (Granite Rapids, Sierra
 *                    Forest; intel_rapl_tpmi, Linux 6.x): one package zone per
 *                    socket, named package-N, with its dram as a sub-zone;
 *   intel-rapl-mmio  the MMIO interface of client CPUs (processor_thermal),
 *                    which repeats the package that intel-rapl already shows.
 * Zone names come from intel_rapl_common.c: package-P, or package-P-die-D on
 * multi-die parts (Cascade Lake-AP); core, uncore, dram as sub-zones; psys (or
 * psys-P for a socket P > 0) as a top-level zone.
 * This file lists and reads the zones; rapl_names.c turns them into domains. */
#ifndef ECO_SENSORS_RAPL_ZONES_H
#define ECO_SENSORS_RAPL_ZONES_H

#include <limits.h>
#include <stddef.h>

enum rapl_ctl { RAPL_CTL_MSR, RAPL_CTL_TPMI, RAPL_CTL_MMIO };

struct rapl_zone {
    char id[64];             /* "intel-rapl-tpmi:0:0" */
    char name[32];           /* contents of `name`; the id when unreadable */
    char energy[PATH_MAX];   /* .../energy_uj */
    enum rapl_ctl ctl;
    int err;                 /* 0: readable; else -errno of the first failing file */
    char err_file[24];       /* "energy_uj" or "max_energy_range_uj" when err != 0 */
    unsigned long long max_range;
    double max_w;            /* largest published power limit (W), 0 if none */
    int up;                  /* index of the sysfs parent zone in the list, or -1 */
};

/* The control type's directory name ("intel-rapl-tpmi"). */
const char *rapl_ctl_name(enum rapl_ctl c);

/* List every RAPL zone under dir (<sysfs>/class/powercap), sorted by control
 * type (msr, tpmi, mmio) then by id in version order, with names, ranges,
 * limits and whether energy_uj reads. 0 (the caller frees *out, which may be
 * NULL when n is 0), or -errno when dir cannot be opened. */
int rapl_zones_list(const char *dir, struct rapl_zone **out, size_t *n);

/* "package-0" -> socket 0, die -1; "package-1-die-0" -> 1, 0; "psys-1" -> 1;
 * "psys" -> 0. 1 when the name carries a socket, else 0. */
int rapl_zone_socket(const char *name, int *socket, int *die);

#endif
