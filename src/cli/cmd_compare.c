/* ecometer compare: two stored runs side by side with the change in %. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
#include "cli/opts.h"
#include "render/compare.h"
#include "render/scenario.h"

static const char usage[] =
    "usage: ecometer compare RUN_A RUN_B [--format text|json|csv] [--region CODE]\n"
    "                        [--carbon-intensity G] [--db FILE]\n"
    "\n"
    "Two stored runs side by side (e.g. a teacher model and its distilled student):\n"
    "duration, energy, net and attributed energy, average power, CO2e, items and\n"
    "energy per item, then each domain and each region matched by name, with the\n"
    "change from A to B in percent ((B - A) / A). RUN is an id, a unique prefix,\n"
    "'latest', 'latest~N', a name (--name) or NAME~N: 'ecometer compare teacher student'.\n"
    "With --region or --carbon-intensity both runs' CO2e are for that one place.\n"
    "\n"
    "  --format F    text (default), json or csv\n"
    ECO_CLI_PLACE_USAGE("")
    "  --db FILE     the history to read (default: ECOMETER_DB, else\n"
    "                $XDG_DATA_HOME/ecometer/history.db)\n";

static const struct eco_opt options[] = {ECO_OPT_USE(format), ECO_OPT_USE(db), ECO_OPT_USE(region),
                                         ECO_OPT_USE(carbon_intensity), ECO_OPT_END};
const struct eco_opts_spec eco_opts_compare = {"compare", options, usage, NULL};

struct compare_args {
    struct eco_cli_stored s;
    const char *refs[2];
    int nref;
};

static int take(void *ctx, int id, const char *v)
{
    struct compare_args *a = ctx;
    if (eco_cli_stored_take(&a->s, id, v))
        return 0;
    if (a->nref >= 2)
        return eco_cli_usage_error("compare", "compare takes two runs, got '%s' too", v);
    a->refs[a->nref++] = v;
    return 0;
}

int eco_cmd_compare(int argc, char **argv)
{
    struct compare_args args = {.s.fmt_s = "text"};
    int prc = eco_opts_parse(&eco_opts_compare, argc, argv, take, &args, NULL);
    if (prc != ECO_OPTS_GO_ON)
        return prc;
    if (args.nref != 2)
        return eco_cli_usage_error("compare", "compare needs two runs (RUN_A RUN_B)");
    struct eco_err err;
    enum eco_format fmt;
    if (eco_parse_format(args.s.fmt_s, &fmt, &err) != 0)
        return eco_err_print(&err);
    struct eco_run_result runs[2], *a = &runs[0], *b = &runs[1];
    /* recomputed after the scenario check: it warns even when --region is refused */
    int rc = eco_cli_load_runs(args.s.db, args.refs, 2, NULL, runs);
    if (rc)
        return rc;
    char warn[512];
    if (eco_scenario_mismatch(a, b, warn, sizeof warn)) /* on stderr in every format */
        fprintf(stderr, "ecometer: warning: %s\n", warn);
    struct eco_compare_row *rows;
    size_t n;
    if ((rc = eco_cli_recompute(&args.s.place, runs, 2)) != 0) {
        /* said by eco_cli_recompute */
    } else if (eco_compare(a, b, &rows, &n) != 0) {
        fprintf(stderr, "ecometer: out of memory\n");
        rc = ECO_EXIT_RUNTIME;
    } else {
        eco_compare_print(stdout, fmt, a, b, rows, n);
        free(rows);
    }
    eco_run_result_free(a);
    eco_run_result_free(b);
    return rc;
}
