/* Shared by the history commands (runs, show, compare, export, report):
 * opening the history named by --db / ECOMETER_DB. */
#ifndef ECO_CLI_HISTORY_CLI_H
#define ECO_CLI_HISTORY_CLI_H

#include "store/history.h"

/* Open the history for reading (db NULL: ECOMETER_DB or the default path);
 * prints the error and returns NULL on failure. */
struct eco_history *eco_cli_open_history(const char *db);
/* Load one run or print why not; 0 or the exit code. */
int eco_cli_load_run(struct eco_history *h, const char *ref, struct eco_run_result *out);

#endif
