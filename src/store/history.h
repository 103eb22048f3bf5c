/* The history of runs: an embedded SQLite database (WAL mode, schema version
 * with migrations). Path: --db FILE, else ECOMETER_DB, else
 * $XDG_DATA_HOME/ecometer/history.db (~/.local/share/ecometer/history.db).
 * Implemented in src/store/history.c. */
#ifndef ECO_STORE_HISTORY_H
#define ECO_STORE_HISTORY_H

#include "core/err.h"
#include "meter/result.h"

struct eco_history;

/* path NULL: the default path above. Creates the file and its folder. */
struct eco_history *eco_history_open(const char *path, struct eco_err *err);
void eco_history_close(struct eco_history *h);

/* Insert the run, or replace it if a run with the same id is stored (so the
 * meter saves at start with complete = 0, refreshes it during the run, and
 * saves the final figures at the end: a run cut short stays, marked
 * incomplete). */
int eco_history_save(struct eco_history *h, const struct eco_run_result *r, struct eco_err *err);
/* Load one run by id, id prefix or "latest" into *out (free with eco_run_result_free). */
int eco_history_load(struct eco_history *h, const char *ref, struct eco_run_result *out,
                     struct eco_err *err);

#endif
