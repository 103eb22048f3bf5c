/* `ecometer carbon --best-window D --series FILE`: the start in an intensity
 * series where a job of length D would emit least (arithmetic on the
 * series, carbon/series.h). */
#ifndef ECO_CLI_CARBON_WINDOW_H
#define ECO_CLI_CARBON_WINDOW_H

#include "carbon/series.h"
#include "core/format.h"

struct eco_window_request {
    const char *series;        /* --series FILE */
    enum eco_series_basis basis;
    double dur_s;              /* --best-window D */
    const char *from;          /* --from TIME (ISO 8601 with zone, unix seconds, or "now"); NULL: see below */
    double power_w;            /* --power W; < 0: not given */
    enum eco_format fmt;
};

/* Prints the answer; returns the exit code. Without --from, starts from now
 * when the series reaches past now (planning), else every start in it. */
int eco_carbon_best_window(const struct eco_window_request *q);

#endif
