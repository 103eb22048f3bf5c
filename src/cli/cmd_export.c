/* ecometer export: stored runs as CSV (power series), JSON, CodeCarbon CSV or Prometheus text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
#include "render/codecarbon.h"
#include "render/outputs.h"

static const char usage[] =
    "usage: ecometer export RUN|latest|--all --format csv|json|codecarbon|prometheus [-o FILE]\n"
    "                       [--project NAME] [--experiment-id ID] [--codecarbon-version 3|2]\n"
    "                       [--append] [--db FILE]\n"
    "\n"
    "Write stored runs for other tools.\n"
    "  csv          the power series: run_id,domain,kind,method,top_level,t_s,watts\n"
    "  json         the whole run with its power series (joules, watts, grams, seconds)\n"
    "  codecarbon   CodeCarbon's emissions.csv: its columns in its order and units (kWh,\n"
    "               kg CO2e, W, GB), one row per run, empty where ecometer has no value\n"
    "  prometheus   gauges per run and per domain in the Prometheus text format, for\n"
    "               node_exporter's textfile collector\n"
    "\n"
    "  --all            every stored run (json, codecarbon and prometheus)\n"
    "  -o, --output F   write to F instead of standard output\n"
    "  --project NAME   project_name column of the codecarbon format (default ecometer)\n"
    "  --experiment-id ID  experiment_id column of the codecarbon format (default empty)\n"
    "  --codecarbon-version N  3: CodeCarbon 3.x's 38 columns (default); 2: the 32 of\n"
    "                   CodeCarbon 2.4 to 2.8\n"
    "  --append         codecarbon: add the rows to the -o FILE, after checking that its\n"
    "                   header is the same layout (refused, file untouched, otherwise)\n"
    "  --db FILE        the history to read (default: ECOMETER_DB, else\n"
    "                   $XDG_DATA_HOME/ecometer/history.db)\n";

static const char *const offered[] = {"series-csv", "json", "codecarbon", "prometheus", NULL};

/* Every stored run, loaded in full, through the output. */
static int write_all(struct eco_history *h, const struct eco_output *o, const struct eco_output_ctx *ctx, FILE *out)
{
    struct eco_run_result *list;
    size_t n;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_history_list(h, 0, &list, &n, &err) != 0)
        return eco_err_print(&err);
    struct eco_run_result *full = calloc(n ? n : 1, sizeof *full);
    int rc = full ? 0 : ECO_EXIT_RUNTIME;
    size_t loaded = 0;
    for (; rc == 0 && loaded < n; loaded++)
        rc = eco_cli_load_run(h, list[loaded].id, &full[loaded]);
    if (rc == 0 && o->write(out, full, n, ctx, &err) != 0)
        rc = eco_err_print(&err);
    for (size_t i = 0; full && i < loaded; i++)
        eco_run_result_free(&full[i]);
    free(full);
    free(list);
    return rc;
}

/* The codecarbon-only options: a layout ecometer writes, --append with a
 * file; 0 or the exit code (after printing why). */
static int codecarbon_options(const struct eco_output *o, const char *version, int append,
                              const char *path, struct eco_output_ctx *ctx)
{
    int is_cc = strcmp(o->key, "codecarbon") == 0;
    if ((version || append) && !is_cc)
        return eco_cli_usage_error("export", "--codecarbon-version and --append go with --format codecarbon");
    if (append && (!path || strcmp(path, "-") == 0))
        return eco_cli_usage_error("export", "--append adds to a file: give it with -o FILE");
    if (version) {
        if (strcmp(version, "3") != 0 && strcmp(version, "2") != 0)
            return eco_cli_usage_error("export", "--codecarbon-version takes 3 (CodeCarbon 3.x) or 2 (2.4 to 2.8), not '%s'",
                                       version);
        ctx->codecarbon_version = version[0] - '0';
    }
    return 0;
}

/* Open FILE to add CodeCarbon rows: a missing or empty file gets the header;
 * an existing one must start with the same header (else nothing is written
 * and *rc says so). NULL with *rc = 0 when the file cannot be opened. */
static FILE *open_for_append(const char *path, struct eco_output_ctx *ctx, int *rc)
{
    *rc = 0;
    FILE *f = fopen(path, "a+");
    if (!f)
        return NULL;
    char line[4096] = "";
    rewind(f);
    if (!fgets(line, sizeof line, f)) /* empty: written as a new file */
        return f;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_codecarbon_check_header(line, ctx->codecarbon_version, &err) != 0) {
        fprintf(stderr, "ecometer: cannot append to %s: %s\n", path, err.msg);
        fprintf(stderr, "ecometer: hint: %s\n", err.hint);
        *rc = err.code;
        fclose(f);
        return NULL;
    }
    ctx->no_header = 1;
    if (fseek(f, -1, SEEK_END) == 0 && fgetc(f) != '\n')
        fputc('\n', f); /* a last row without its end of line */
    return f;
}

int eco_cmd_export(int argc, char **argv)
{
    if (eco_cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *db = NULL, *fmt_s = NULL, *ref = NULL, *path = NULL, *project = "ecometer";
    const char *experiment = NULL, *cc_version = NULL;
    int all = 0, append = 0;
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = eco_cli_opt("export", argc, argv, &i, "--db", NULL, &db)) ||
            (m = eco_cli_opt("export", argc, argv, &i, "--format", NULL, &fmt_s)) ||
            (m = eco_cli_opt("export", argc, argv, &i, "--output", "-o", &path)) ||
            (m = eco_cli_opt("export", argc, argv, &i, "--project", NULL, &project)) ||
            (m = eco_cli_opt("export", argc, argv, &i, "--experiment-id", NULL, &experiment)) ||
            (m = eco_cli_opt("export", argc, argv, &i, "--codecarbon-version", NULL, &cc_version))) {
            if (m < 0)
                return ECO_EXIT_USAGE;
        } else if (strcmp(argv[i], "--all") == 0) {
            all = 1;
        } else if (strcmp(argv[i], "--append") == 0) {
            append = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return eco_cli_usage_error("export", "unknown option '%s'", argv[i]);
        } else if (!ref) {
            ref = argv[i];
        } else {
            return eco_cli_usage_error("export", "export takes one run, got '%s' too", argv[i]);
        }
    }
    if (!fmt_s)
        return eco_cli_usage_error("export", "choose --format csv, json, codecarbon or prometheus");
    if (!ref && !all)
        return eco_cli_usage_error("export", "which run? give an id, 'latest' or --all");
    if (ref && all)
        return eco_cli_usage_error("export", "give a run or --all, not both");
    struct eco_err err;
    eco_err_clear(&err);
    const struct eco_output *o = eco_output_find("export", fmt_s, offered, all ? 2 : 1, &err);
    if (!o)
        return eco_err_print(&err);
    struct eco_output_ctx ctx = {.with_series = 1, .project = project, .experiment_id = experiment};
    int rc_cc = codecarbon_options(o, cc_version, append, path, &ctx);
    if (rc_cc)
        return rc_cc;

    struct eco_history *h = eco_cli_open_history(db);
    if (!h)
        return ECO_EXIT_RUNTIME;
    struct eco_run_result r;
    int rc = 0;
    if (!all && (rc = eco_cli_load_run(h, ref, &r)) != 0) {
        eco_history_close(h);
        return rc;
    }
    /* The run is loaded before the file is created: a bad reference leaves
     * no empty file behind. */
    FILE *out = stdout;
    if (path && strcmp(path, "-") != 0) {
        out = append ? open_for_append(path, &ctx, &rc) : fopen(path, "w");
        if (!out && rc) {
            if (!all)
                eco_run_result_free(&r);
            eco_history_close(h);
            return rc;
        }
        if (!out) {
            fprintf(stderr, "ecometer: cannot write %s: %m\n", path);
            fprintf(stderr, "ecometer: hint: choose a writable path with -o FILE\n");
            if (!all)
                eco_run_result_free(&r);
            eco_history_close(h);
            return ECO_EXIT_RUNTIME;
        }
    }
    if (all) {
        rc = write_all(h, o, &ctx, out);
    } else {
        if (o->write(out, &r, 1, &ctx, &err) != 0)
            rc = eco_err_print(&err);
        eco_run_result_free(&r);
    }
    eco_history_close(h);
    if (out != stdout) {
        if (fclose(out) != 0 && rc == 0) {
            fprintf(stderr, "ecometer: writing %s failed: %m\n", path);
            rc = ECO_EXIT_RUNTIME;
        }
    } else if (fflush(stdout) != 0 && rc == 0) {
        rc = ECO_EXIT_RUNTIME;
    }
    return rc;
}
