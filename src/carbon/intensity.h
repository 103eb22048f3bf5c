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
    const char *kind;        /* country, us-state, ca-province, au-state, cloud, world, union (EU) */
    const char *grid;        /* for cloud regions: code of the grid row used; else "" */
    double g_per_kwh;        /* resolved for cloud regions */
    const char *source;
    int year;
};

/* The kinds a row may have, NULL-terminated: world, country, us-state,
 * ca-province, au-state, cloud. */
extern const char *const eco_region_kinds[];

/* Every row, sorted by code (case-insensitive); NULL and *n = 0 if the table
 * failed to load (eco_carbon_load says why). */
const struct eco_region *eco_region_table(size_t *n);
/* Case-insensitive lookup of a code or name ("fr", "France", "eu-west-3",
 * "aws:eu-west-3"), or an alias: "UK" (GB), an ISO alpha-3 code ("FRA",
 * "USA"), "EU-27" (EU). NULL with err (code 2, "did you mean" and the three
 * closest codes) if unknown. */
const struct eco_region *eco_region_find(const char *query, struct eco_err *err);
/* The world average row (code "WORLD"). */
const struct eco_region *eco_region_world(void);

/* Load (once) the embedded table plus the ECOMETER_CARBON_TABLE override and
 * validate it; 0, or -1 with err (a bad override file is code 2). The other
 * functions load lazily and report the same error through their err. */
int eco_carbon_load(struct eco_err *err);

/* Highest carbon intensity accepted anywhere (g/kWh): the dirtiest grids
 * (oil or lignite only) are around 1100-1300. */
#define ECO_INTENSITY_MAX 2000.0
/* "No --carbon-intensity given" for eco_intensity_resolve. */
#define ECO_INTENSITY_NONE (-1.0)
/* Parse a --carbon-intensity argument (g/kWh): a number in 0..ECO_INTENSITY_MAX;
 * -1 with err (code 2) otherwise. */
int eco_intensity_parse(const char *text, double *out, struct eco_err *err);
/* The rule behind it, for readers that word their own message (a series
 * file names its line): a decimal number (no hex, no inf/nan, no spaces) in
 * 0..ECO_INTENSITY_MAX, "-0" read as 0. 0, or -1 when the text is not one. */
int eco_intensity_from_text(const char *text, double *out);

/* Resolve what the user gave: --carbon-intensity G wins, then --region, else
 * the world average with is_default set to 1 (callers print the warning).
 * given_g_per_kwh is ECO_INTENSITY_NONE (-1) when not given; any other
 * negative value, NaN or a value above ECO_INTENSITY_MAX is rejected (code 2).
 * region NULL means not given; an empty or unknown region is an error (code 2). */
struct eco_intensity {
    double g_per_kwh;
    char label[160];         /* "FR (France, Ember 2023)" or "given on the command line" */
    const struct eco_region *region; /* NULL when given as a number */
    int is_default;          /* 1 when the world average was used for lack of a place */
};
/* What to tell the user when is_default is set (one line, no newline). */
#define ECO_INTENSITY_DEFAULT_WARNING                                                       \
    "no --region or --carbon-intensity given: using the world average, which can be off by " \
    "10x for a given place (Norway ~30, Poland ~660 gCO2e/kWh); give --region CODE "          \
    "(see 'ecometer carbon')"
int eco_intensity_resolve(const char *region, double given_g_per_kwh /* ECO_INTENSITY_NONE if none */,
                          struct eco_intensity *out, struct eco_err *err);

#endif
