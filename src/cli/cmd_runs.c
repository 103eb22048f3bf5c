/* ecometer runs: the stored runs, newest first. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
#include "cli/opts.h"
#include "core/numparse.h"
#include "cli/runs_delete.h"
#include "core/duration.h"
#include "core/texttable.h"
#include "core/units.h"
#include "render/record_csv.h"
#include "render/record_json.h"
#include "meter/run_info.h"
#include "meter/run_label.h"
#include "render/run_view.h"

static const char usage[] =
    "usage: ecometer runs [--project P] [--tag T] [--since D] [--limit N] [--all]\n"
    "                     [--format text|json|csv] [--db FILE]\n"
    "       ecometer runs delete RUN... [--db FILE]\n"
    "       ecometer runs prune --older-than D [--project P] [--tag T] [--yes] [--db FILE]\n"
    "\n"
    "List the runs stored in the history, newest first (20 unless --limit N or --all),\n"
    "with their names, projects and tags (ecometer run --name, --project, --tag).\n"
    "Refer to a run in other commands by its id, a unique prefix of it, 'latest',\n"
    "'latest~N' (the Nth before the latest), its name (the newest run with that name)\n"
    "or NAME~N (the Nth before the newest with that name). An id or a unique prefix\n"
    "wins over a name; a prefix several ids share falls back to a name.\n"
    "\n"
    "  --project P      only the runs of project P\n"
    "  --tag T          only the runs tagged T\n"
    "  --since D        only the runs started in the last D (7d, 12h, 90m)\n"
    "  --limit N, -n N  show at most N runs\n"
    "  --all            show every run\n"
    "  --format F       text (default), json or csv\n"
    "  --db FILE        the history to read (default: ECOMETER_DB, else\n"
    "                   $XDG_DATA_HOME/ecometer/history.db)\n"
    "\n"
    "delete RUN...   delete these runs (any reference above) and their power series,\n"
    "                all or none\n"
    "prune           delete the runs started more than D ago (with --project/--tag: only\n"
    "                theirs); asks first on a terminal, and without one needs --yes:\n"
    "  --older-than D   the age of the runs to delete (30d, 12h)\n"
    "  --yes, -y        do not ask\n";

static const char *status_of(const struct eco_run_result *r, char *buf, size_t len)
{
    if (!r->complete)
        snprintf(buf, len, "incomplete");
    else if (r->term_signal)
        snprintf(buf, len, "signal %d", r->term_signal);
    else if (r->exit_status < 0) /* a C API / Python session or monitor: no command, no exit status */
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "exit %d", r->exit_status);
    return buf;
}

enum { O_PROJECT = ECO_O_OWN, O_TAG, O_SINCE, O_OLDER_THAN, O_YES };
/* The label columns that any listed run fills: name, project, tags. */
static void label_columns(const struct eco_run_result *runs, size_t n, int has[3])
{
    has[0] = has[1] = has[2] = 0;
    for (size_t i = 0; i < n; i++) {
        has[0] |= runs[i].name[0] != 0;
        has[1] |= runs[i].project[0] != 0;
        has[2] |= runs[i].tags[0] != 0;
    }
}

static void print_table(const struct eco_run_result *runs, size_t n)
{
    int has[3];
    label_columns(runs, n, has);
    const char *all_hdr[] = {"id", "name", "project", "tags", "started", ">duration", ">energy", ">CO2e", "status",
                             "command"};
    const char *hdr[10];
    int nc = 0;
    for (int c = 0; c < 10; c++)
        if (c < 1 || c > 3 || has[c - 1])
            hdr[nc++] = all_hdr[c];
    struct eco_table *t = eco_table_new(nc, hdr);
    for (size_t i = 0; i < n; i++) {
        const struct eco_run_result *r = &runs[i];
        char when[40], dur[32], e[32], c[32], st[32], cmd[64];
        snprintf(dur, sizeof dur, "%.1f s", r->duration_s);
        snprintf(cmd, sizeof cmd, "%.60s%s", r->command, strlen(r->command) > 60 ? "..." : "");
        int none = eco_run_result_unmeasured(r);
        const char *all[] = {r->id, r->name[0] ? r->name : "-", r->project[0] ? r->project : "-",
                             r->tags[0] ? r->tags : "-", eco_fmt_utc(r->start_unix, when, sizeof when), dur,
                             none ? "not measured" : eco_fmt_energy(r->total_energy_j, e, sizeof e),
                             none ? "-" : eco_fmt_mass(r->co2e_g, c, sizeof c), status_of(r, st, sizeof st), cmd};
        const char *cells[10];
        int k = 0;
        for (int col = 0; col < 10; col++)
            if (col < 1 || col > 3 || has[col - 1])
                cells[k++] = all[col];
        eco_table_row(t, cells);
    }
    eco_table_print(t, stdout);
    eco_table_free(t);
}

static const struct eco_opt options[] = {
    ECO_OPT_USE(limit), ECO_OPT_USE(all), ECO_OPT_USE(format), ECO_OPT_USE(db),
    {"--project", NULL, "P", O_PROJECT, 0, NULL}, {"--tag", NULL, "T", O_TAG, 0, NULL},
    {"--since", NULL, "D", O_SINCE, 0, NULL}, {"--older-than", NULL, "D", O_OLDER_THAN, 0, NULL},
    {"--yes", "-y", NULL, O_YES, 0, NULL}, ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_runs = {"runs", options, usage, NULL};

struct runs_args {
    const char *db;
    enum eco_format fmt;
    int limit; /* 0: all */
    struct eco_runs_todo todo; /* runs delete / prune (cli/runs_delete.h) */
    const char *since;
    char tag[ECO_RUN_TAGS_MAX + 1]; /* --tag as run stores it (trimmed) */
};

/* A word: "delete" or "prune" first, then the runs to delete. */
static int take_word(struct runs_args *a, const char *v)
{
    if (!a->todo.what && (strcmp(v, "delete") == 0 || strcmp(v, "prune") == 0)) {
        a->todo.what = v;
        return 0;
    }
    if (a->todo.what && strcmp(a->todo.what, "delete") == 0) {
        a->todo.refs[a->todo.nref++] = v;
        return 0;
    }
    return eco_cli_usage_error("runs", "unexpected argument '%s'", v);
}

static int take(void *ctx, int id, const char *v)
{
    struct runs_args *a = ctx;
    struct eco_err err;
    eco_err_clear(&err);
    int n;
    switch (id) {
    case ECO_O_DB: a->db = v; return 0;
    case O_PROJECT: /* the rules of run --project and --tag (meter/run_label.h), their messages */
        a->todo.filter.project = v;
        return eco_run_name_check("--project", v, &err) != 0 ? eco_err_print(&err) : 0;
    case O_TAG:
        a->todo.filter.tag = a->tag;
        return eco_run_tag_filter(v, a->tag, &err) != 0 ? eco_err_print(&err) : 0;
    case O_SINCE: a->since = v; return 0;
    case O_OLDER_THAN: a->todo.older = v; return 0;
    case O_YES: a->todo.yes = 1; return 0;
    case ECO_O_ALL: a->limit = 0; return 0;
    case ECO_O_FORMAT: return eco_parse_format(v, &a->fmt, &err) != 0 ? eco_err_print(&err) : 0;
    case ECO_O_LIMIT:
        if (eco_num_int(v, 1, 1000000, 0, &n) != ECO_NUM_OK)
            return eco_cli_usage_error("runs", "--limit takes a positive whole number, not '%s'", v);
        if (a->limit != 0) /* --all wins, whatever the order */
            a->limit = (int)n;
        return 0;
    default: return take_word(a, v);
    }
}

/* --since D: the filter's start time. 0, or the usage exit code. */
static int since_filter(struct runs_args *a)
{
    double d;
    struct eco_err err;
    eco_err_clear(&err);
    if (!a->since)
        return 0;
    if (eco_duration_arg("--since", a->since, 0, ECO_DURATION_MAX_S, &d, &err) != 0)
        return eco_err_print(&err);
    a->todo.filter.since_unix = eco_unix_now() - d;
    return 0;
}

static int list_runs(struct runs_args *a)
{
    struct eco_err err;
    enum eco_format fmt = a->fmt;
    int limit = a->limit;
    struct eco_history *h = eco_cli_open_history(a->db);
    if (!h)
        return ECO_EXIT_RUNTIME;
    struct eco_run_result *runs;
    size_t n;
    eco_err_clear(&err);
    if (eco_history_find(h, &a->todo.filter, limit, &runs, &n, &err) != 0) {
        eco_history_close(h);
        return eco_err_print(&err);
    }
    if (fmt == ECO_FMT_JSON) {
        eco_json_emit(stdout, eco_record_list_json(runs, n));
    } else if (fmt == ECO_FMT_CSV) {
        eco_record_list_csv(stdout, runs, n);
    } else if (n == 0 && (a->todo.filter.project || a->todo.filter.tag || a->since)) {
        printf("no stored run matches in %s; 'ecometer runs' lists them all\n", eco_history_path(h));
    } else if (n == 0) {
        printf("no runs stored in %s yet; measure one with 'ecometer run -- COMMAND'\n", eco_history_path(h));
    } else {
        print_table(runs, n);
    }
    free(runs);
    eco_history_close(h);
    return 0;
}

int eco_cmd_runs(int argc, char **argv)
{
    struct runs_args a = {.fmt = ECO_FMT_TEXT, .limit = 20, .todo = {.refs = calloc((size_t)argc, sizeof(char *))}};
    int rc = a.todo.refs ? eco_opts_parse(&eco_opts_runs, argc, argv, take, &a, NULL) : ECO_EXIT_RUNTIME;
    if (rc == ECO_OPTS_GO_ON) {
        if (a.todo.what)
            rc = a.since ? eco_cli_usage_error("runs", "--since lists runs; prune takes --older-than D")
                         : eco_runs_todo(a.db, &a.todo);
        else if (a.todo.older || a.todo.yes)
            rc = eco_cli_usage_error("runs", "--older-than and --yes go with 'runs prune'");
        else if ((rc = since_filter(&a)) == 0)
            rc = list_runs(&a);
    }
    free(a.todo.refs);
    return rc;
}
