/* Shared by the history commands (runs, show, compare, export, report):
 * opening the history named by --db / ECOMETER_DB. */
#ifndef ECO_CLI_HISTORY_CLI_H
#define ECO_CLI_HISTORY_CLI_H

#include "store/history.h"

/* Open the history for reading (db NULL: ECOMETER_DB or the default path);
 * prints the error and returns NULL on failure. */
struct eco_history *eco_cli_open_history(const char *db);
/* --region CODE / --carbon-intensity G of show, compare, export and report:
 * the CO2e of stored runs recomputed for another place (meter/run_recompute.h).
 * Only these flags do it: ECOMETER_REGION and the config file never change
 * what a stored run says. */
struct eco_cli_place {
    const char *region, *intensity; /* NULL: not given */
};
/* Recompute the n runs when a place was given; 0, or the exit code after
 * printing why (an unknown region: 2). */
int eco_cli_recompute(const struct eco_cli_place *p, struct eco_run_result *runs, size_t n);
/* The help lines of the two flags. */
#define ECO_CLI_PLACE_USAGE(pad)                                                                      \
    "  --region CODE " pad "recompute CO2e for this place (the stored energy is kept;\n"               \
    "                " pad "the output says it was recomputed)\n"                                       \
    "  --carbon-intensity G\n"                                                                          \
    "                " pad "or for this intensity in gCO2e/kWh\n"

/* Load one run or print why not; 0 or the exit code. */
int eco_cli_load_run(struct eco_history *h, const char *ref, struct eco_run_result *out);

/* The options of every command over stored runs (show, compare, export,
 * report): --db, --format, --region, --carbon-intensity. */
struct eco_cli_stored {
    const char *db, *fmt_s; /* NULL: not given */
    struct eco_cli_place place;
};
/* The option `id` (cli/opts.h) is one of them: 1 and its value kept; else 0. */
int eco_cli_stored_take(struct eco_cli_stored *s, int id, const char *v);
/* Open the history `db`, load the n runs `refs` into out[0..n), close it,
 * then recompute them for `place` (NULL: as stored). 0, or the exit code
 * after printing why, with nothing left to free. */
int eco_cli_load_runs(const char *db, const char *const *refs, size_t n, const struct eco_cli_place *place,
                      struct eco_run_result *out);

#endif
