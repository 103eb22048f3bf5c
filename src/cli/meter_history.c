/* The measuring commands' link to the run history (src/store/history.h):
 * opened before the run, saved at the start (complete = 0), every few
 * seconds and at the end. Failures are warnings: the summary and the JSON
 * never depend on the history. */
#include "cli/meter_cli.h"
#include "meter/privdrop.h"
#include "store/history.h"

struct eco_history *eco_meter_history_open(const char *path, struct eco_err *err)
{
    /* under sudo, the history file and its folders are created as the user */
    if (eco_invoker_enter() != 0) {
        eco_err_set(err, 1, "cannot act as %s to open the history", eco_invoker_get()->name);
        return NULL;
    }
    struct eco_history *h = eco_history_open(path, err);
    eco_invoker_leave();
    return h;
}

int eco_meter_history_save(struct eco_history *h, const struct eco_run_result *r, struct eco_err *err)
{
    if (eco_invoker_enter() != 0)
        return eco_err_set(err, 1, "cannot act as %s to save the history", eco_invoker_get()->name);
    int rc = eco_history_save(h, r, err);
    eco_invoker_leave();
    return rc;
}

void eco_meter_history_close(struct eco_history *h) { eco_history_close(h); }
