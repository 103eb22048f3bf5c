#include "cli/history_cli.h"

#include <stdio.h>

#include "cli/cli.h"

struct eco_history *eco_cli_open_history(const char *db)
{
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_history *h = eco_history_open_existing(db, &err);
    if (!h)
        eco_err_print(&err);
    else if (eco_history_damage(h))
        fprintf(stderr, "ecometer: warning: the history %s is damaged (SQLite integrity_check: %s); "
                        "showing what can still be read\n", eco_history_path(h), eco_history_damage(h));
    return h;
}

int eco_cli_load_run(struct eco_history *h, const char *ref, struct eco_run_result *out)
{
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_history_load(h, ref, out, &err) == 0)
        return 0;
    return eco_err_print(&err);
}
