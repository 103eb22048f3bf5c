/* Durations as people type them: 250ms, 500s, 90min, 4h30m, 4h 30m (what
 * ecometer prints), 2 hours, 1.5h, 01:30:00, 2-03:00:00 (Slurm); a bare
 * number is seconds. */
#ifndef ECO_CORE_DURATION_H
#define ECO_CORE_DURATION_H

#include "core/err.h"

/* The longest duration accepted: 100 years of 365.25 days. */
#define ECO_DURATION_MAX_S 3155760000.0

/* Parse TEXT into seconds (>= 0, at most ECO_DURATION_MAX_S). Grammar:
 * - one or more NUMBER UNIT parts, units in decreasing order, blanks allowed
 *   between parts and between a number and its unit; units ms s m h d w and
 *   their words (msec, sec, second(s), min, minute(s), hr, hour(s), day(s),
 *   wk, week(s)) and y (yr, year(s): 365.25 days), any case;
 * - or one bare NUMBER (seconds);
 * - or a clock form as Slurm's --time takes it: MM:SS, HH:MM:SS, D-HH,
 *   D-HH:MM, D-HH:MM:SS (fields after the first below 60, hours after days
 *   below 24; only the seconds may have a fraction).
 * NUMBER is decimal digits with at most one '.' (no sign, exponent or hex);
 * no blank at either end. Whatever eco_format_duration prints parses back.
 * Returns 0, or -1 with err set (code 2). */
int eco_parse_duration(const char *text, double *seconds, struct eco_err *err);
/* For eco_duration_arg's lo: any duration above 0 ("--for 0s" is refused). */
#define ECO_DURATION_ABOVE_0 1e-9

/* The value of a duration option (--interval, --for, --since...), for every
 * command: TEXT parsed as above and within [lo, hi] seconds. 0, or -1 with
 * err set (code 2) in the one wording of a refused duration:
 *   ecometer: OPT 'TEXT': give a duration RANGE
 *   ecometer: hint: [the parser's reason; ]durations look like 250ms, ...
 * RANGE is "from 10ms to 1h", "of at least 100ms", "of at most 10s",
 * "above 0" (lo ECO_DURATION_ABOVE_0), or nothing when any duration goes. */
int eco_duration_arg(const char *opt, const char *text, double lo, double hi, double *seconds, struct eco_err *err);
/* Format seconds as "4h 30m 00s" / "12.3 s" / "250 ms" into buf. */
const char *eco_format_duration(double seconds, char *buf, size_t len);

#endif
