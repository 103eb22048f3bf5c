/* ecometer runs: the stored runs, newest first. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
#include "cli/opts.h"
#include "core/texttable.h"
#include "core/units.h"
#include "render/record_csv.h"
#include "render/record_json.h"
#include "render/run_view.h"

static const char usage[] =
    "usage: ecometer runs [--limit N] [--all] [--format text|json|csv] [--db FILE]\n"
    "\n"
    "List the runs stored in the history, newest first (20 unless --limit N or --all).\n"
    "Refer to a run in other commands by its id, a unique prefix of it, 'latest' or\n"
    "'latest~N' (the Nth before the latest).\n"
    "\n"
    "  --limit N, -n N  show at most N runs\n"
    "  --all            show every run\n"
    "  --format F       text (default), json or csv\n"
    "  --db FILE        the history to read (default: ECOMETER_DB, else\n"
    "                   $XDG_DATA_HOME/ecometer/history.db)\n";

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

static const struct eco_opt options[] = {
    ECO_OPT_USE(limit), ECO_OPT_USE(all), ECO_OPT_USE(format), ECO_OPT_USE(db), ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_runs = {"runs", options, usage, NULL};

struct runs_args {
    const char *db;
    enum eco_format fmt;
    int limit; /* 0: all */
};

static int take(void *ctx, int id, const char *v)
{
    struct runs_args *a = ctx;
    struct eco_err err;
    char *end;
    long n;
    switch (id) {
    case ECO_O_DB: a->db = v; return 0;
    case ECO_O_ALL: a->limit = 0; return 0;
    case ECO_O_FORMAT: return eco_parse_format(v, &a->fmt, &err) != 0 ? eco_err_print(&err) : 0;
    case ECO_O_LIMIT:
        n = strtol(v, &end, 10);
        if (end == v || *end || n < 1 || n > 1000000)
            return eco_cli_usage_error("runs", "--limit takes a positive whole number, not '%s'", v);
        if (a->limit != 0) /* --all wins, whatever the order */
            a->limit = (int)n;
        return 0;
    default: return eco_cli_usage_error("runs", "unexpected argument '%s'", v);
    }
}

int eco_cmd_runs(int argc, char **argv)
{
    struct runs_args a = {.fmt = ECO_FMT_TEXT, .limit = 20};
    int rc = eco_opts_parse(&eco_opts_runs, argc, argv, take, &a, NULL);
    if (rc != ECO_OPTS_GO_ON)
        return rc;
    struct eco_err err;
    enum eco_format fmt = a.fmt;
    int limit = a.limit;
    struct eco_history *h = eco_cli_open_history(a.db);
    if (!h)
        return ECO_EXIT_RUNTIME;
    struct eco_run_result *runs;
    size_t n;
    eco_err_clear(&err);
    if (eco_history_list(h, limit, &runs, &n, &err) != 0) {
        eco_history_close(h);
        return eco_err_print(&err);
    }
    if (fmt == ECO_FMT_JSON) {
        eco_json_emit(stdout, eco_record_list_json(runs, n));
    } else if (fmt == ECO_FMT_CSV) {
        eco_record_list_csv(stdout, runs, n);
    } else if (n == 0) {
        printf("no runs stored in %s yet; measure one with 'ecometer run -- COMMAND'\n", eco_history_path(h));
    } else {
        const char *hdr[] = {"id", "started", ">duration", ">energy", ">CO2e", "status", "command"};
        struct eco_table *t = eco_table_new(7, hdr);
        for (size_t i = 0; i < n; i++) {
            const struct eco_run_result *r = &runs[i];
            char when[40], dur[32], e[32], c[32], st[32], cmd[64];
            snprintf(dur, sizeof dur, "%.1f s", r->duration_s);
            snprintf(cmd, sizeof cmd, "%.60s%s", r->command, strlen(r->command) > 60 ? "..." : "");
            int none = eco_run_result_unmeasured(r);
            const char *cells[] = {r->id, eco_fmt_utc(r->start_unix, when, sizeof when), dur,
                                   none ? "not measured" : eco_fmt_energy(r->total_energy_j, e, sizeof e),
                                   none ? "-" : eco_fmt_mass(r->co2e_g, c, sizeof c), status_of(r, st, sizeof st), cmd};
            eco_table_row(t, cells);
        }
        eco_table_print(t, stdout);
        eco_table_free(t);
    }
    free(runs);
    eco_history_close(h);
    return 0;
}
