/* A place's carbon intensity as JSON: the one object shape wherever a region
 * appears (`carbon REGION`, `carbon --list`, `estimate`'s compare_regions),
 * the carbon table's own columns under their own names. */
#ifndef ECO_RENDER_REGION_JSON_H
#define ECO_RENDER_REGION_JSON_H

#include "carbon/intensity.h"

struct cJSON;
/* {code, name, kind, g_per_kwh, grid (null when it is its own grid), source,
 * year}; NULL when out of memory. Callers may add their own figures to it
 * (estimate adds co2e_g). */
struct cJSON *eco_region_json(const struct eco_region *r);

#endif
