/* The history as a measured session uses it (the run driver): opened and
 * saved as the invoking user under sudo (meter/privdrop.h), so the file and
 * its folders are theirs; a damaged history is left as it is and the run
 * goes to a fresh file next to it, named in a warning (store/history_check.h). */
#ifndef ECO_METER_RUN_HISTORY_H
#define ECO_METER_RUN_HISTORY_H

#include <stdio.h>

#include "core/err.h"
#include "meter/result.h"
#include "store/history.h"

/* path NULL: the default history. NULL with err when none could be opened;
 * the fresh-file fallback and what opening repaired are announced on notes
 * (may be NULL). */
struct eco_history *eco_run_history_open(const char *path, FILE *notes, struct eco_err *err);
/* eco_history_save as the invoking user. */
int eco_run_history_save(struct eco_history *h, const struct eco_run_result *r, struct eco_err *err);

#endif
