/* Deleting stored runs (see runs_delete.h). Every run named is resolved
 * before anything is deleted, and the deletion is one transaction
 * (eco_history_delete_ids), so a typo deletes nothing and a meter saving
 * into the same history meanwhile waits for it instead of interleaving. */
#include "cli/runs_delete.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
#include "core/duration.h"
#include "core/units.h"
#include "meter/run_info.h"
#include "render/run_view.h"

static void print_gone(const struct eco_run_result *r)
{
    char when[40];
    printf("deleted %s%s%s%s (started %s)\n", r->id, r->name[0] ? " \"" : "", r->name, r->name[0] ? "\"" : "",
           eco_fmt_utc(r->start_unix, when, sizeof when));
}

/* ids[i] = the id of refs[i], once each; returns how many, or -1. */
static long resolve_all(struct eco_history *h, const char **refs, size_t n, char (*ids)[64])
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct eco_err err;
        eco_err_clear(&err);
        if (eco_history_resolve(h, refs[i], ids[k], sizeof ids[k], &err) != 0) {
            eco_err_print(&err);
            fprintf(stderr, "ecometer: nothing was deleted\n");
            return -1;
        }
        int dup = 0;
        for (size_t j = 0; j < k; j++)
            dup |= strcmp(ids[j], ids[k]) == 0;
        k += !dup;
    }
    return (long)k;
}

/* Load the run-level fields of each id (to say what went), delete them all. */
static int delete_these(struct eco_history *h, char (*ids)[64], size_t n)
{
    char **ptrs = calloc(n ? n : 1, sizeof *ptrs);
    struct eco_run_result *rs = calloc(n ? n : 1, sizeof *rs);
    int rc = ptrs && rs ? 0 : ECO_EXIT_RUNTIME;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        ptrs[i] = ids[i];
        struct eco_err err;
        eco_err_clear(&err);
        if (eco_history_load(h, ids[i], &rs[i], &err) != 0)
            rc = eco_err_print(&err);
        else
            eco_run_result_free(&rs[i]); /* domains and series: not needed; the run fields stay */
    }
    struct eco_err err;
    eco_err_clear(&err);
    if (rc == 0 && eco_history_delete_ids(h, ptrs, n, &err) != 0) {
        rc = eco_err_print(&err);
        fprintf(stderr, "ecometer: nothing was deleted\n");
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        print_gone(&rs[i]);
    free(ptrs);
    free(rs);
    return rc;
}

static int runs_delete(const char *db, const struct eco_runs_todo *t)
{
    if (t->nref == 0)
        return eco_cli_usage_error("runs", "which runs? give ids or names: ecometer runs delete RUN...");
    struct eco_history *h = eco_cli_open_history(db);
    char(*ids)[64] = calloc(t->nref, sizeof *ids);
    int rc = h && ids ? 0 : ECO_EXIT_RUNTIME;
    long n = rc == 0 ? resolve_all(h, t->refs, t->nref, ids) : -1;
    if (rc == 0)
        rc = n < 0 ? ECO_EXIT_USAGE : delete_these(h, ids, (size_t)n);
    free(ids);
    eco_history_close(h);
    return rc;
}

/* 1 when the person at the terminal says yes. */
static int confirm(size_t n, const char *older)
{
    fprintf(stderr, "ecometer: delete %zu run%s started more than %s ago? [y/N] ", n, n == 1 ? "" : "s", older);
    fflush(stderr);
    char line[16];
    if (!fgets(line, sizeof line, stdin))
        return 0;
    return line[0] == 'y' || line[0] == 'Y';
}

static int runs_prune(const char *db, struct eco_runs_todo *t)
{
    double d;
    struct eco_err err;
    eco_err_clear(&err);
    if (t->nref)
        return eco_cli_usage_error("runs", "prune takes no run; to delete runs by name: ecometer runs delete RUN...");
    if (!t->older)
        return eco_cli_usage_error("runs", "prune needs --older-than D (e.g. 30d)");
    if (eco_duration_arg("--older-than", t->older, 0, ECO_DURATION_MAX_S, &d, &err) != 0)
        return eco_err_print(&err);
    t->filter.before_unix = eco_unix_now() - d;
    struct eco_history *h = eco_cli_open_history(db);
    if (!h)
        return ECO_EXIT_RUNTIME;
    struct eco_run_result *runs = NULL;
    size_t n = 0;
    int rc = 0;
    if (eco_history_find(h, &t->filter, 0, &runs, &n, &err) != 0)
        rc = eco_err_print(&err);
    else if (n == 0)
        printf("no stored run started more than %s ago; nothing to delete\n", t->older);
    else if (!t->yes && !isatty(STDIN_FILENO)) {
        fprintf(stderr, "ecometer: %zu run%s would be deleted; not without a terminal to ask on\n", n,
                n == 1 ? "" : "s");
        fprintf(stderr, "ecometer: hint: add --yes to delete them without asking\n");
        rc = ECO_EXIT_USAGE;
    } else if (!t->yes && !confirm(n, t->older)) {
        fprintf(stderr, "ecometer: nothing was deleted\n");
    } else {
        char(*ids)[64] = calloc(n, sizeof *ids);
        for (size_t i = 0; ids && i < n; i++)
            snprintf(ids[i], sizeof ids[i], "%s", runs[i].id);
        rc = ids ? delete_these(h, ids, n) : ECO_EXIT_RUNTIME;
        free(ids);
    }
    free(runs);
    eco_history_close(h);
    return rc;
}

int eco_runs_todo(const char *db, struct eco_runs_todo *t)
{
    if (strcmp(t->what, "delete") == 0) {
        if (t->older || t->yes || t->filter.project || t->filter.tag)
            return eco_cli_usage_error("runs", "delete takes runs only; to delete by age, project or tag: runs prune");
        return runs_delete(db, t);
    }
    return runs_prune(db, t);
}
