/* Listing hwmon devices (<sys>/class/hwmon/hwmon*) with their driver name,
 * for the hwmon family table's scan (hwmon_family.c). */
#ifndef ECO_SENSORS_HWMON_SCAN_H
#define ECO_SENSORS_HWMON_SCAN_H

#include <limits.h>
#include <stddef.h>

struct eco_hwmon_dev {
    char dir[PATH_MAX];   /* <sys>/class/hwmon/hwmonN */
    char hwmon[32];       /* "hwmonN" */
    char name[64];        /* contents of `name` */
};

/* Every hwmon device, sorted by number; *n set. Caller frees. NULL when the
 * class directory is missing (*n = 0). */
struct eco_hwmon_dev *eco_hwmon_list(size_t *n);
/* Between begin and end (one eco_sensors_open), eco_hwmon_list reads the
 * class directory once and hands out copies of that listing. */
void eco_hwmon_cache_begin(void);
void eco_hwmon_cache_end(void);

#endif
