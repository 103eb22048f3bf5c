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
static long resolve_all(struct eco_history *h, char **refs, size_t n, char (*ids)[64])
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

int eco_runs_delete(int argc, char **argv)
{
    if (eco_cli_wants_help(argc, argv)) {
        puts("usage: ecometer runs delete RUN... [--db FILE]\n\n"
             "Delete these runs and their power series (see 'ecometer help runs').");
        return 0;
    }
    const char *db = NULL;
    char **refs = calloc((size_t)argc, sizeof *refs);
    size_t nref = 0;
    if (!refs)
        return ECO_EXIT_RUNTIME;
    for (int i = 1; i < argc; i++) {
        int m = eco_cli_opt("runs", argc, argv, &i, "--db", NULL, &db);
        if (m < 0 || (m == 0 && argv[i][0] == '-' && argv[i][1])) {
            free(refs);
            return m < 0 ? ECO_EXIT_USAGE : eco_cli_usage_error("runs", "unknown option '%s'", argv[i]);
        }
        if (m == 0)
            refs[nref++] = argv[i];
    }
    if (nref == 0) {
        free(refs);
        return eco_cli_usage_error("runs", "which runs? give ids or names: ecometer runs delete RUN...");
    }
    struct eco_history *h = eco_cli_open_history(db);
    char(*ids)[64] = calloc(nref, sizeof *ids);
    int rc = h && ids ? 0 : ECO_EXIT_RUNTIME;
    long n = rc == 0 ? resolve_all(h, refs, nref, ids) : -1;
    if (rc == 0)
        rc = n < 0 ? ECO_EXIT_USAGE : delete_these(h, ids, (size_t)n);
    free(ids);
    free(refs);
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

struct prune_opts {
    const char *db, *older;
    int yes;
    struct eco_run_filter filter;
};

static int prune_parse(int argc, char **argv, struct prune_opts *o)
{
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = eco_cli_opt("runs", argc, argv, &i, "--db", NULL, &o->db)) ||
            (m = eco_cli_opt("runs", argc, argv, &i, "--older-than", NULL, &o->older)) ||
            (m = eco_cli_opt("runs", argc, argv, &i, "--project", NULL, &o->filter.project)) ||
            (m = eco_cli_opt("runs", argc, argv, &i, "--tag", NULL, &o->filter.tag))) {
            if (m < 0)
                return ECO_EXIT_USAGE;
        } else if (strcmp(argv[i], "--yes") == 0 || strcmp(argv[i], "-y") == 0) {
            o->yes = 1;
        } else {
            return eco_cli_usage_error("runs", "unexpected argument '%s' to 'runs prune'", argv[i]);
        }
    }
    double d;
    struct eco_err err;
    eco_err_clear(&err);
    if (!o->older)
        return eco_cli_usage_error("runs", "prune needs --older-than D (e.g. 30d)");
    if (eco_parse_duration(o->older, &d, &err) != 0)
        return eco_cli_usage_error("runs", "--older-than %s: give a duration such as 30d or 12h", o->older);
    o->filter.before_unix = eco_unix_now() - d;
    return 0;
}

int eco_runs_prune(int argc, char **argv)
{
    if (eco_cli_wants_help(argc, argv)) {
        puts("usage: ecometer runs prune --older-than D [--project P] [--tag T] [--yes] [--db FILE]\n\n"
             "Delete the runs started more than D ago (see 'ecometer help runs').");
        return 0;
    }
    struct prune_opts o = {0};
    int rc = prune_parse(argc, argv, &o);
    if (rc)
        return rc;
    struct eco_history *h = eco_cli_open_history(o.db);
    if (!h)
        return ECO_EXIT_RUNTIME;
    struct eco_run_result *runs = NULL;
    size_t n = 0;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_history_find(h, &o.filter, 0, &runs, &n, &err) != 0)
        rc = eco_err_print(&err);
    else if (n == 0)
        printf("no stored run started more than %s ago; nothing to delete\n", o.older);
    else if (!o.yes && !isatty(STDIN_FILENO)) {
        fprintf(stderr, "ecometer: %zu run%s would be deleted; not without a terminal to ask on\n", n,
                n == 1 ? "" : "s");
        fprintf(stderr, "ecometer: hint: add --yes to delete them without asking\n");
        rc = ECO_EXIT_USAGE;
    } else if (!o.yes && !confirm(n, o.older)) {
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
