/* ecometer report: a self-contained HTML report of stored runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
#include "cli/opts.h"
#include "render/outputs.h"

static const char usage[] =
    "usage: ecometer report RUN|latest [RUN...] -o report.html [--region CODE]\n"
    "                       [--carbon-intensity G] [--db FILE]\n"
    "\n"
    "Write one self-contained HTML file (charts as inline SVG, nothing fetched when\n"
    "it is opened) about the runs: power over time per domain with regions shaded,\n"
    "energy by domain, per region and per item, CO2e here and in other places, the\n"
    "measured energy beside what a-posteriori estimates would have said, and with\n"
    "several runs a comparison (the first run is the reference).\n"
    "\n"
    "  -o, --output FILE   where to write the report (required; '-' for standard output)\n"
    "  --format html       the only format of a report (for CSV or JSON: 'ecometer export')\n"
    ECO_CLI_PLACE_USAGE("      ")
    "  --db FILE           the history to read (default: ECOMETER_DB, else\n"
    "                      $XDG_DATA_HOME/ecometer/history.db)\n";

static const struct eco_opt options[] = {ECO_OPT_USE(output),           ECO_OPT_USE(format), ECO_OPT_USE(db),
                                         ECO_OPT_USE(carbon_intensity), ECO_OPT_USE(region), ECO_OPT_END};
const struct eco_opts_spec eco_opts_report = {"report", options, usage, NULL};

struct report_args {
    struct eco_cli_stored s;
    const char *path;
    const char **refs; /* argc long: room for every word */
    size_t nref;
};

static int take(void *ctx, int id, const char *v)
{
    struct report_args *a = ctx;
    if (eco_cli_stored_take(&a->s, id, v))
        return 0;
    if (id == ECO_O_OUTPUT)
        a->path = v;
    else
        a->refs[a->nref++] = v;
    return 0;
}

int eco_cmd_report(int argc, char **argv)
{
    struct report_args a = {.refs = calloc((size_t)argc, sizeof *a.refs)};
    if (!a.refs)
        return ECO_EXIT_RUNTIME;
    int prc = eco_opts_parse(&eco_opts_report, argc, argv, take, &a, NULL);
    if (prc != ECO_OPTS_GO_ON) {
        free(a.refs);
        return prc;
    }
    const char *path = a.path, *fmt_s = a.s.fmt_s, **refs = a.refs;
    size_t nref = a.nref;
    int rc = 0;
    struct eco_err err;
    eco_err_clear(&err);
    static const char *const offered[] = {"html", NULL}; /* the outputs table refuses the rest */
    const struct eco_output *o = eco_output_find("report", fmt_s ? fmt_s : "html", offered, 1, &err);
    if (!o) {
        eco_err_hint(&err, "a report is HTML; for CSV or JSON use 'ecometer export'");
        rc = eco_err_print(&err);
    } else if (nref == 0)
        rc = eco_cli_usage_error("report", "which runs? give ids or 'latest'");
    else if (!path)
        rc = eco_cli_usage_error("report", "where to? give -o report.html");
    struct eco_run_result *runs = rc ? NULL : calloc(nref, sizeof *runs);
    if (!rc && !runs)
        rc = ECO_EXIT_RUNTIME;
    if (!rc)
        rc = eco_cli_load_runs(a.s.db, refs, nref, &a.s.place, runs);
    if (rc) {
        free(runs);
        free(refs);
        return rc;
    }
    FILE *out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!out) {
        fprintf(stderr, "ecometer: cannot write %s: %m\n", path);
        fprintf(stderr, "ecometer: hint: choose a writable path with -o FILE\n");
        rc = ECO_EXIT_RUNTIME;
    } else {
        struct eco_output_ctx ctx = {0};
        if (o->write(out, runs, nref, &ctx, &err) != 0)
            rc = eco_err_print(&err);
        if (out != stdout && fclose(out) != 0 && rc == 0) {
            fprintf(stderr, "ecometer: writing %s failed: %m\n", path);
            rc = ECO_EXIT_RUNTIME;
        }
        if (rc == 0 && out != stdout)
            fprintf(stderr, "ecometer: report written to %s\n", path);
    }
    for (size_t i = 0; i < nref; i++)
        eco_run_result_free(&runs[i]);
    free(runs);
    free(refs);
    return rc;
}
