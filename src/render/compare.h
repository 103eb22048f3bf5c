/* Two runs side by side, printed: the rows come from meter/run_compare.c
 * (the figures and their change); this file only writes them. */
#ifndef ECO_RENDER_COMPARE_H
#define ECO_RENDER_COMPARE_H

#include <stdio.h>

#include "core/format.h"
#include "meter/result.h"
#include "meter/run_compare.h"

/* A figure with its unit for people ("4.91 Wh", "1.59 J/item"); "-" when !has. */
const char *eco_compare_fmt(enum eco_compare_unit u, int has, double v, char *buf, size_t len);
void eco_compare_print(FILE *out, enum eco_format fmt, const struct eco_run_result *a,
                       const struct eco_run_result *b, const struct eco_compare_row *rows, size_t n);

#endif
