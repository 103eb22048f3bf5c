/* Durations as people type them: 250ms, 500s, 90m, 4h30m, 1d, 1.5h; a bare
 * number is seconds. */
#ifndef ECO_CORE_DURATION_H
#define ECO_CORE_DURATION_H

#include "core/err.h"

/* Parse TEXT into seconds (> = 0). Returns 0, or -1 with err set (code 2). */
int eco_parse_duration(const char *text, double *seconds, struct eco_err *err);
/* Format seconds as "4h 30m 00s" / "12.3 s" / "250 ms" into buf. */
const char *eco_format_duration(double seconds, char *buf, size_t len);

#endif
