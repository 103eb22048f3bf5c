/* Durations as people type them: 250ms, 500s, 90m, 4h30m, 1d, 1.5h; a bare
 * number is seconds. */
#ifndef ECO_CORE_DURATION_H
#define ECO_CORE_DURATION_H

#include "core/err.h"

/* The longest duration accepted: 100 years of 365.25 days. */
#define ECO_DURATION_MAX_S 3155760000.0

/* Parse TEXT into seconds (>= 0, at most ECO_DURATION_MAX_S). Grammar: one or
 * more NUMBER UNIT parts, units in decreasing order (ms s m h d w y, also sec
 * min hr day; y is 365.25 days), or one bare NUMBER (seconds); NUMBER is decimal digits with at
 * most one '.' (no sign, exponent or hex). Returns 0, or -1 with err set
 * (code 2). */
int eco_parse_duration(const char *text, double *seconds, struct eco_err *err);
/* Format seconds as "4h 30m 00s" / "12.3 s" / "250 ms" into buf. */
const char *eco_format_duration(double seconds, char *buf, size_t len);

#endif
