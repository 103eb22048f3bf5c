/* The measuring commands' link to the run history (src/store/history.h):
 * opened before the run, saved at the start (complete = 0), every few
 * seconds and at the end. Failures are warnings: the summary and the JSON
 * never depend on the history. */
#include "cli/meter_cli.h"
#include "store/history.h"

struct eco_history *eco_meter_history_open(const char *path, struct eco_err *err)
{
    return eco_history_open(path, err);
}

int eco_meter_history_save(struct eco_history *h, const struct eco_run_result *r, struct eco_err *err)
{
    return eco_history_save(h, r, err);
}

void eco_meter_history_close(struct eco_history *h) { eco_history_close(h); }
