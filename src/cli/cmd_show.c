/* ecometer show: one stored run in full. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
#include "cli/opts.h"
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

static const struct eco_opt options[] = {
    ECO_OPT_USE(format), ECO_OPT_USE(db), {"--series", NULL, NULL, ECO_O_OWN, 0, NULL}, ECO_OPT_USE(region),
    ECO_OPT_USE(carbon_intensity), ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_show = {"show", options, usage, NULL};

struct show_args {
    struct eco_cli_stored s;
    const char *ref;
    int series;
};

static int take(void *ctx, int id, const char *v)
{
    struct show_args *a = ctx;
    if (eco_cli_stored_take(&a->s, id, v))
        return 0;
    if (id == ECO_O_OWN)
        a->series = 1;
    else if (a->ref)
        return eco_cli_usage_error("show", "show takes one run, got '%s' too", v);
    else
        a->ref = v;
    return 0;
}

int eco_cmd_show(int argc, char **argv)
{
    struct show_args a = {.s.fmt_s = "text"};
    int prc = eco_opts_parse(&eco_opts_show, argc, argv, take, &a, NULL);
    if (prc != ECO_OPTS_GO_ON)
        return prc;
    if (!a.ref)
        return eco_cli_usage_error("show", "which run? give an id or 'latest'");
    struct eco_err err;
    eco_err_clear(&err);
    static const char *const offered[] = {"view", "json", "record-csv", NULL};
    const struct eco_output *out = eco_output_find("show", a.s.fmt_s, offered, 1, &err);
    if (!out)
        return eco_err_print(&err);
    struct eco_run_result r;
    int rc = eco_cli_load_runs(a.s.db, &a.ref, 1, &a.s.place, &r);
    if (rc)
        return rc;
    struct eco_output_ctx ctx = {.with_series = a.series};
    rc = out->write(stdout, &r, 1, &ctx, &err) == 0 ? 0 : eco_err_print(&err);
    eco_run_result_free(&r);
    return rc;
}
