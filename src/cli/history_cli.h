/* Shared by the history commands (runs, show, compare, export, report):
 * option parsing and opening the history named by --db / ECOMETER_DB. */
#ifndef ECO_CLI_HISTORY_CLI_H
#define ECO_CLI_HISTORY_CLI_H

#include "store/history.h"

/* Matches argv[*i] against --name VALUE or --name=VALUE (and the short form
 * when given). Returns 1 and sets *val (advancing *i past a separate value),
 * 0 when argv[*i] is another argument, -1 after printing a usage error when
 * the value is missing. */
int eco_cli_opt(const char *cmd, int argc, char **argv, int *i, const char *name,
                const char *short_name, const char **val);
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
/* argv[*i] is one of the two: 1 (value taken), 0 not ours, -1 usage error. */
int eco_cli_place_opt(const char *cmd, int argc, char **argv, int *i, struct eco_cli_place *p);
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

#endif
