/* `ecometer runs delete RUN...` and `ecometer runs prune --older-than D`,
 * once cmd_runs.c has parsed the command line (its help says how). */
#ifndef ECO_CLI_RUNS_DELETE_H
#define ECO_CLI_RUNS_DELETE_H

#include <stddef.h>

#include "store/history.h"

struct eco_runs_todo {
    const char *what;               /* "delete" or "prune" */
    const char **refs;              /* delete: the runs named */
    size_t nref;
    const char *older;              /* prune: --older-than D */
    int yes;                        /* prune: --yes */
    struct eco_run_filter filter;   /* prune: --project, --tag (and the age, set here) */
};

/* Do it on the history db (NULL: the default); the exit code. */
int eco_runs_todo(const char *db, struct eco_runs_todo *t);

#endif
