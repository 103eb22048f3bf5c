/* ecometer compare: two stored runs side by side with the change in %. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
#include "cli/opts.h"
#include "render/compare.h"
#include "render/scenario.h"

static const char usage[] =
    "usage: ecometer compare RUN_A RUN_B [--format text|json|csv] [--db FILE]\n"
    "\n"
    "Two stored runs side by side (e.g. a teacher model and its distilled student):\n"
    "duration, energy, net and attributed energy, average power, CO2e, items and\n"
    "energy per item, then each domain and each region matched by name, with the\n"
    "change from A to B in percent ((B - A) / A). RUN is an id, a unique prefix,\n"
    "'latest' or 'latest~N'.\n"
    "\n"
    "  --format F    text (default), json or csv\n"
    "  --db FILE     the history to read (default: ECOMETER_DB, else\n"
    "                $XDG_DATA_HOME/ecometer/history.db)\n";

static const struct eco_opt options[] = {ECO_OPT_USE(format), ECO_OPT_USE(db), ECO_OPT_END};
const struct eco_opts_spec eco_opts_compare = {"compare", options, usage, NULL};

struct compare_args {
    const char *db, *fmt_s, *refs[2];
    int nref;
};

static int take(void *ctx, int id, const char *v)
{
    struct compare_args *a = ctx;
    if (id == ECO_O_DB)
        a->db = v;
    else if (id == ECO_O_FORMAT)
        a->fmt_s = v;
    else if (a->nref < 2)
        a->refs[a->nref++] = v;
    else
        return eco_cli_usage_error("compare", "compare takes two runs, got '%s' too", v);
    return 0;
}

int eco_cmd_compare(int argc, char **argv)
{
    struct compare_args args = {.fmt_s = "text"};
    int prc = eco_opts_parse(&eco_opts_compare, argc, argv, take, &args, NULL);
    if (prc != ECO_OPTS_GO_ON)
        return prc;
    if (args.nref != 2)
        return eco_cli_usage_error("compare", "compare needs two runs (RUN_A RUN_B)");
    struct eco_err err;
    enum eco_format fmt;
    if (eco_parse_format(args.fmt_s, &fmt, &err) != 0)
        return eco_err_print(&err);
    struct eco_history *h = eco_cli_open_history(args.db);
    if (!h)
        return ECO_EXIT_RUNTIME;
    struct eco_run_result a, b;
    int rc = eco_cli_load_run(h, args.refs[0], &a);
    if (rc) {
        eco_history_close(h);
        return rc;
    }
    rc = eco_cli_load_run(h, args.refs[1], &b);
    eco_history_close(h);
    if (rc) {
        eco_run_result_free(&a);
        return rc;
    }
    char warn[512];
    if (eco_scenario_mismatch(&a, &b, warn, sizeof warn)) /* on stderr in every format */
        fprintf(stderr, "ecometer: warning: %s\n", warn);
    struct eco_compare_row *rows;
    size_t n;
    if (eco_compare(&a, &b, &rows, &n) != 0) {
        fprintf(stderr, "ecometer: out of memory\n");
        rc = ECO_EXIT_RUNTIME;
    } else {
        eco_compare_print(stdout, fmt, &a, &b, rows, n);
        free(rows);
    }
    eco_run_result_free(&a);
    eco_run_result_free(&b);
    return rc;
}
