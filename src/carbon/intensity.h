/* Carbon intensity of electricity (gCO2e/kWh, yearly average) by country,
 * grid region (US states / eGRID, Canadian provinces, Australian states) and
 * cloud region (AWS, Google Cloud, Azure) mapped to its grid. Table in
 * data/carbon.tsv, compiled in, overridable by ECOMETER_CARBON_TABLE. */
#ifndef ECO_CARBON_INTENSITY_H
#define ECO_CARBON_INTENSITY_H

#include <stddef.h>

#include "core/err.h"

struct eco_region {
    const char *code;        /* "FR", "US-CA", "CA-QC", "AU-NSW", "aws:eu-west-3", "gcp:europe-west1", "azure:francecentral" */
    const char *name;        /* "France", "California", "AWS Europe (Paris)" */
    const char *kind;        /* country, us-state, ca-province, au-state, cloud, world */
    const char *grid;        /* for cloud regions: code of the grid row used; else "" */
    double g_per_kwh;        /* resolved for cloud regions */
    const char *source;
    int year;
};

const struct eco_region *eco_region_table(size_t *n);
/* Case-insensitive lookup of a code or name ("fr", "France", "eu-west-3",
 * "aws:eu-west-3"). NULL with err (code 2, three closest codes) if unknown. */
const struct eco_region *eco_region_find(const char *query, struct eco_err *err);
/* The world average row (code "WORLD"). */
const struct eco_region *eco_region_world(void);

/* Resolve what the user gave: --carbon-intensity G wins, then --region, else
 * the world average with *warned set to 1 (callers print the warning). */
struct eco_intensity {
    double g_per_kwh;
    char label[160];         /* "FR (France, Ember 2023)" or "given on the command line" */
    const struct eco_region *region; /* NULL when given as a number */
    int is_default;          /* 1 when the world average was used for lack of a place */
};
int eco_intensity_resolve(const char *region, double given_g_per_kwh /* <0 if none */,
                          struct eco_intensity *out, struct eco_err *err);

#endif
