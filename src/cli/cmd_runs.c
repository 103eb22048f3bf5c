/* ecometer runs: the stored runs, newest first. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
#include "core/duration.h"
#include "core/texttable.h"
#include "core/units.h"
#include "render/record_csv.h"
#include "render/record_json.h"
#include "meter/run_info.h"
#include "render/run_view.h"
#include "cli/runs_delete.h"

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
    "  --project P   only the runs of project P\n"
    "  --tag T       only the runs tagged T\n"
    "  --since D     only the runs started in the last D (7d, 12h, 90m)\n"
    "  --limit N     show at most N runs\n"
    "  --all         show every run\n"
    "  --format F    text (default), json or csv\n"
    "  --db FILE     the history to read (default: ECOMETER_DB, else\n"
    "                $XDG_DATA_HOME/ecometer/history.db)\n"
    "\n"
    "delete RUN...   delete these runs (any reference above) and their power series,\n"
    "                all or none\n"
    "prune           delete the runs started more than --older-than D ago (with\n"
    "                --project/--tag: only theirs); asks first on a terminal, and\n"
    "                without one needs --yes\n";

static const char *status_of(const struct eco_run_result *r, char *buf, size_t len)
{
    if (!r->complete)
        snprintf(buf, len, "incomplete");
    else if (r->term_signal)
        snprintf(buf, len, "signal %d", r->term_signal);
    else
        snprintf(buf, len, "exit %d", r->exit_status);
    return buf;
}

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

struct runs_opts {
    const char *db, *fmt, *limit, *since;
    int all;
    struct eco_run_filter filter;
};

/* 0, or the exit code after a usage error. */
static int parse(int argc, char **argv, struct runs_opts *o)
{
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = eco_cli_opt("runs", argc, argv, &i, "--db", NULL, &o->db)) ||
            (m = eco_cli_opt("runs", argc, argv, &i, "--format", NULL, &o->fmt)) ||
            (m = eco_cli_opt("runs", argc, argv, &i, "--limit", "-n", &o->limit)) ||
            (m = eco_cli_opt("runs", argc, argv, &i, "--project", NULL, &o->filter.project)) ||
            (m = eco_cli_opt("runs", argc, argv, &i, "--tag", NULL, &o->filter.tag)) ||
            (m = eco_cli_opt("runs", argc, argv, &i, "--since", NULL, &o->since))) {
            if (m < 0)
                return ECO_EXIT_USAGE;
        } else if (strcmp(argv[i], "--all") == 0) {
            o->all = 1;
        } else {
            return eco_cli_usage_error("runs", "unexpected argument '%s'", argv[i]);
        }
    }
    if (o->since) {
        double d;
        struct eco_err err;
        eco_err_clear(&err);
        if (eco_parse_duration(o->since, &d, &err) != 0)
            return eco_cli_usage_error("runs", "--since %s: give a duration such as 7d, 12h or 90m", o->since);
        o->filter.since_unix = eco_unix_now() - d;
    }
    return 0;
}

int eco_cmd_runs(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "delete") == 0)
        return eco_runs_delete(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "prune") == 0)
        return eco_runs_prune(argc - 1, argv + 1);
    if (eco_cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    struct runs_opts o = {.fmt = "text"};
    int prc = parse(argc, argv, &o);
    if (prc)
        return prc;
    struct eco_err err;
    enum eco_format fmt;
    if (eco_parse_format(o.fmt, &fmt, &err) != 0)
        return eco_err_print(&err);
    int limit = 20;
    if (o.limit) {
        char *end;
        long v = strtol(o.limit, &end, 10);
        if (end == o.limit || *end || v < 1 || v > 1000000)
            return eco_cli_usage_error("runs", "--limit takes a positive whole number, not '%s'", o.limit);
        limit = (int)v;
    }
    if (o.all)
        limit = 0;
    struct eco_history *h = eco_cli_open_history(o.db);
    if (!h)
        return ECO_EXIT_RUNTIME;
    struct eco_run_result *runs;
    size_t n;
    eco_err_clear(&err);
    if (eco_history_find(h, &o.filter, limit, &runs, &n, &err) != 0) {
        eco_history_close(h);
        return eco_err_print(&err);
    }
    int filtered = o.filter.project || o.filter.tag || o.since;
    if (fmt == ECO_FMT_JSON)
        eco_json_emit(stdout, eco_record_list_json(runs, n));
    else if (fmt == ECO_FMT_CSV)
        eco_record_list_csv(stdout, runs, n);
    else if (n == 0 && filtered)
        printf("no stored run matches in %s; 'ecometer runs' lists them all\n", eco_history_path(h));
    else if (n == 0)
        printf("no runs stored in %s yet; measure one with 'ecometer run -- COMMAND'\n", eco_history_path(h));
    else
        print_table(runs, n);
    free(runs);
    eco_history_close(h);
    return 0;
}
