/* Two runs side by side (teacher vs student, CNN vs transformer, server vs
 * edge board): the figures of each, read from the records (derived once by
 * eco_run_derive), and the change from A to B in percent. The library
 * computes the rows; render/compare.c only prints them. */
#ifndef ECO_METER_RUN_COMPARE_H
#define ECO_METER_RUN_COMPARE_H

#include <stddef.h>

#include "meter/result.h"

enum eco_compare_unit { ECO_CMP_J, ECO_CMP_W, ECO_CMP_S, ECO_CMP_G, ECO_CMP_COUNT, ECO_CMP_J_PER_ITEM,
                        ECO_CMP_ITEMS_PER_J };

struct eco_compare_row {
    char metric[96];          /* "energy", "domain package-0", "region epoch-1 per item" */
    enum eco_compare_unit unit;
    int has_a, has_b;         /* 0 when the run has no such figure */
    double a, b;
    double change_pct;        /* (b - a) / a * 100; NAN when a is 0 or a figure is missing */
};

/* Rows: duration, energy, net energy, attributed energy, average power,
 * CO2e, items, energy per item, then each domain and each region matched by
 * name (a name present in one run only has the other side missing). Free
 * *rows with free(). */
int eco_compare(const struct eco_run_result *a, const struct eco_run_result *b,
                struct eco_compare_row **rows, size_t *n);
double eco_change_pct(double a, double b);

#endif
