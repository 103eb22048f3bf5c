/* ecometer show: one stored run in full. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
#include "render/outputs.h"

static const char usage[] =
    "usage: ecometer show RUN|latest [--format text|json|csv] [--series] [--region CODE]\n"
    "                     [--carbon-intensity G] [--db FILE]\n"
    "\n"
    "One stored run: command, hardware, energy of each domain (measured or estimated),\n"
    "idle baseline, share attributed to the process tree, regions (epochs...) with their\n"
    "energy and energy per item, and CO2e. RUN is an id, a unique prefix, 'latest' or\n"
    "'latest~N', a name (--name) or NAME~N.\n"
    "\n"
    "  --format F    text (default), json or csv (one row per domain and per region)\n"
    "  --series      with --format json: include each domain's power series\n"
    ECO_CLI_PLACE_USAGE("")
    "  --db FILE     the history to read (default: ECOMETER_DB, else\n"
    "                $XDG_DATA_HOME/ecometer/history.db)\n";

int eco_cmd_show(int argc, char **argv)
{
    if (eco_cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *db = NULL, *fmt_s = "text", *ref = NULL;
    int series = 0;
    struct eco_cli_place place = {0};
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = eco_cli_place_opt("show", argc, argv, &i, &place)) ||
            (m = eco_cli_opt("show", argc, argv, &i, "--db", NULL, &db)) ||
            (m = eco_cli_opt("show", argc, argv, &i, "--format", NULL, &fmt_s))) {
            if (m < 0)
                return ECO_EXIT_USAGE;
        } else if (strcmp(argv[i], "--series") == 0) {
            series = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return eco_cli_usage_error("show", "unknown option '%s'", argv[i]);
        } else if (!ref) {
            ref = argv[i];
        } else {
            return eco_cli_usage_error("show", "show takes one run, got '%s' too", argv[i]);
        }
    }
    if (!ref)
        return eco_cli_usage_error("show", "which run? give an id or 'latest'");
    struct eco_err err;
    eco_err_clear(&err);
    static const char *const offered[] = {"view", "json", "record-csv", NULL};
    const struct eco_output *out = eco_output_find("show", fmt_s, offered, 1, &err);
    if (!out)
        return eco_err_print(&err);
    struct eco_history *h = eco_cli_open_history(db);
    if (!h)
        return ECO_EXIT_RUNTIME;
    struct eco_run_result r;
    int rc = eco_cli_load_run(h, ref, &r);
    eco_history_close(h);
    if (rc)
        return rc;
    if ((rc = eco_cli_recompute(&place, &r, 1)) != 0) {
        eco_run_result_free(&r);
        return rc;
    }
    struct eco_output_ctx ctx = {.with_series = series};
    rc = out->write(stdout, &r, 1, &ctx, &err) == 0 ? 0 : eco_err_print(&err);
    eco_run_result_free(&r);
    return rc;
}
