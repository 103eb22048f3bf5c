/* ecometer compare: two stored runs side by side with the change in %. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
#include "render/compare.h"

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

int eco_cmd_compare(int argc, char **argv)
{
    if (eco_cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *db = NULL, *fmt_s = "text", *refs[2] = {NULL, NULL};
    int nref = 0;
    struct eco_cli_place place = {0};
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = eco_cli_place_opt("compare", argc, argv, &i, &place)) ||
            (m = eco_cli_opt("compare", argc, argv, &i, "--db", NULL, &db)) ||
            (m = eco_cli_opt("compare", argc, argv, &i, "--format", NULL, &fmt_s))) {
            if (m < 0)
                return ECO_EXIT_USAGE;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return eco_cli_usage_error("compare", "unknown option '%s'", argv[i]);
        } else if (nref < 2) {
            refs[nref++] = argv[i];
        } else {
            return eco_cli_usage_error("compare", "compare takes two runs, got '%s' too", argv[i]);
        }
    }
    if (nref != 2)
        return eco_cli_usage_error("compare", "compare needs two runs (RUN_A RUN_B)");
    struct eco_err err;
    enum eco_format fmt;
    if (eco_parse_format(fmt_s, &fmt, &err) != 0)
        return eco_err_print(&err);
    struct eco_history *h = eco_cli_open_history(db);
    if (!h)
        return ECO_EXIT_RUNTIME;
    struct eco_run_result a, b;
    int rc = eco_cli_load_run(h, refs[0], &a);
    if (rc) {
        eco_history_close(h);
        return rc;
    }
    rc = eco_cli_load_run(h, refs[1], &b);
    eco_history_close(h);
    if (rc) {
        eco_run_result_free(&a);
        return rc;
    }
    struct eco_compare_row *rows;
    size_t n;
    if ((rc = eco_cli_recompute(&place, &a, 1)) != 0 || (rc = eco_cli_recompute(&place, &b, 1)) != 0) {
        /* said by eco_cli_recompute */
    } else if (eco_compare(&a, &b, &rows, &n) != 0) {
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
