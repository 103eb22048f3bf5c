/* The Prometheus agent behind `ecometer serve`: the meter (same sensors and
 * ledger as `run`) sampled on its timer, CPU energy split between processes
 * and cgroups by CPU-time share (meter/consumers.h), the exposition rendered
 * once per interval and served by serve/http.h to every scrape. */
#ifndef ECO_SERVE_AGENT_H
#define ECO_SERVE_AGENT_H

#include <signal.h>
#include <stddef.h>

#include "carbon/series.h"
#include "core/err.h"

struct eco_agent_options {
    const char *listen;       /* default 127.0.0.1:9464 */
    const char *token;        /* bearer token required on every request, or NULL */
    double interval_s;        /* sampling interval (default 1 s) */
    const char *region;       /* carbon-intensity region or NULL */
    double intensity;         /* ECO_INTENSITY_NONE unless --carbon-intensity */
    size_t top_n;             /* processes and cgroups exported (default 10, 0 = none) */
    double duration_s;        /* stop after this long (0 = until signalled) */
    unsigned max_connections; /* default 64 */
    int quiet;                /* no startup lines on stderr */
    const char *intensity_series; /* --intensity-series FILE: the CO2e counter follows it */
    enum eco_series_basis series_basis;
};

/* Runs until *stop becomes non-zero (a signal handler sets it) or duration_s. */
int eco_agent_run(const struct eco_agent_options *o, volatile sig_atomic_t *stop, struct eco_err *err);

#endif
