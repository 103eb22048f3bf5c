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
/* Load one run or print why not; 0 or the exit code. */
int eco_cli_load_run(struct eco_history *h, const char *ref, struct eco_run_result *out);

#endif
