/* ecometer runs: the stored runs, newest first. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
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
    "  --limit N     show at most N runs\n"
    "  --all         show every run\n"
    "  --format F    text (default), json or csv\n"
    "  --db FILE     the history to read (default: ECOMETER_DB, else\n"
    "                $XDG_DATA_HOME/ecometer/history.db)\n";

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

int eco_cmd_runs(int argc, char **argv)
{
    if (eco_cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *db = NULL, *fmt_s = "text", *limit_s = NULL;
    int all = 0;
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = eco_cli_opt("runs", argc, argv, &i, "--db", NULL, &db)) ||
            (m = eco_cli_opt("runs", argc, argv, &i, "--format", NULL, &fmt_s)) ||
            (m = eco_cli_opt("runs", argc, argv, &i, "--limit", "-n", &limit_s))) {
            if (m < 0)
                return ECO_EXIT_USAGE;
        } else if (strcmp(argv[i], "--all") == 0) {
            all = 1;
        } else {
            return eco_cli_usage_error("runs", "unexpected argument '%s'", argv[i]);
        }
    }
    struct eco_err err;
    enum eco_format fmt;
    if (eco_parse_format(fmt_s, &fmt, &err) != 0)
        return eco_err_print(&err);
    int limit = 20;
    if (limit_s) {
        char *end;
        long v = strtol(limit_s, &end, 10);
        if (end == limit_s || *end || v < 1 || v > 1000000)
            return eco_cli_usage_error("runs", "--limit takes a positive whole number, not '%s'", limit_s);
        limit = (int)v;
    }
    if (all)
        limit = 0;
    struct eco_history *h = eco_cli_open_history(db);
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
