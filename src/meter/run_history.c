/* The history of a measured session (see run_history.h). Failures are the
 * caller's warnings: the summary and the JSON never depend on the history. */
#include "meter/run_history.h"

#include "meter/privdrop.h"
#include "store/history_check.h"

struct eco_history *eco_run_history_open(const char *path, FILE *notes, struct eco_err *err)
{
    /* under sudo, the history file and its folders are created as the user */
    if (eco_invoker_enter() != 0) {
        eco_err_set(err, 1, "cannot act as %s to open the history", eco_invoker_get()->name);
        return NULL;
    }
    struct eco_history *h = eco_history_open(path, err);
    char real[4096], why[256], fresh[4096];
    if (h || (!path && eco_history_default_path(real, sizeof real, err) != 0)) {
        eco_invoker_leave();
        if (h && notes && eco_history_note(h))
            fprintf(notes, "ecometer: note: %s\n", eco_history_note(h));
        return h;
    }
    if (!path)
        path = real;
    /* A damaged history is left as it is; the run goes to a fresh file next
     * to it, named here, so it is not lost to the damage. */
    if (!eco_history_file_damaged(path, why, sizeof why) || eco_history_fresh_path(path, fresh, sizeof fresh) != 0) {
        eco_invoker_leave();
        return NULL;
    }
    struct eco_err e2;
    eco_err_clear(&e2);
    h = eco_history_open(fresh, &e2);
    eco_invoker_leave();
    if (h && notes)
        fprintf(notes, "ecometer: warning: %s\necometer: warning: this run is kept in a fresh history, %s "
                       "(read it with --db %s)\n", err->msg, fresh, fresh);
    return h;
}

int eco_run_history_save(struct eco_history *h, const struct eco_run_result *r, struct eco_err *err)
{
    if (eco_invoker_enter() != 0)
        return eco_err_set(err, 1, "cannot act as %s to save the history", eco_invoker_get()->name);
    int rc = eco_history_save(h, r, err);
    eco_invoker_leave();
    return rc;
}
