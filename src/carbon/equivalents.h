/* Everyday equivalents of a mass of CO2e (km driven, smartphone charges,
 * tree-months, flights), from data/equivalents.tsv: each row says how many
 * grams one unit stands for, how that figure is derived and its source. */
#ifndef ECO_CARBON_EQUIVALENTS_H
#define ECO_CARBON_EQUIVALENTS_H

#include <stddef.h>

#include "core/err.h"

struct eco_equivalent {
    const char *key;         /* "car_km_eu" */
    const char *label;       /* "km driven by an average new passenger car in the EU" */
    double g_per_unit;       /* grams CO2e that one unit stands for */
    const char *basis;       /* how g_per_unit is derived from the source's figure */
    const char *source;      /* the original source (title, URL) */
    const char *cite;        /* short citation printed next to the figure: "EEA 2023" */
    int year;
};

struct eco_equiv_table {
    size_t n;
    struct eco_equivalent *rows;
    void *priv;              /* the parsed TSV the strings point into */
};

/* Parse a table with the columns of data/equivalents.tsv. Rejects (code 2,
 * naming origin and line) duplicate keys, a non-positive or non-finite
 * g_co2e_per_unit, an empty label/source/cite and a year outside 1990..2100. */
int eco_equivalents_parse(const char *text, size_t len, const char *origin,
                          struct eco_equiv_table *out, struct eco_err *err);
void eco_equivalents_free(struct eco_equiv_table *t);
/* The built-in table, parsed once; NULL with err if it is broken (a build bug). */
const struct eco_equiv_table *eco_equivalents_builtin(struct eco_err *err);
/* How many units of e make `grams` of CO2e. */
double eco_equivalent_count(const struct eco_equivalent *e, double grams);

#endif
