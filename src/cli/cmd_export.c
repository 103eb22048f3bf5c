/* ecometer export: stored runs as CSV (power series), JSON, CodeCarbon CSV or Prometheus text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/history_cli.h"
#include "cli/opts.h"
#include "render/codecarbon.h"
#include "render/outputs.h"

static const char usage[] =
    "usage: ecometer export RUN|latest|--all --format csv|json|codecarbon|prometheus [-o FILE]\n"
    "                       [--project NAME] [--experiment-id ID] [--codecarbon-version 3|2]\n"
    "                       [--append] [--region CODE | --carbon-intensity G] [--db FILE]\n"
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
    ECO_CLI_PLACE_USAGE("   ")
    "  --db FILE        the history to read (default: ECOMETER_DB, else\n"
    "                   $XDG_DATA_HOME/ecometer/history.db)\n";

static const char *const offered[] = {"series-csv", "json", "codecarbon", "prometheus", NULL};

/* Every stored run, loaded in full, through the output. */
static int write_all(struct eco_history *h, const struct eco_output *o, const struct eco_output_ctx *ctx,
                     const struct eco_cli_place *place, FILE *out)
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
    if (rc == 0)
        rc = eco_cli_recompute(place, full, n);
    if (rc == 0 && o->write(out, full, n, ctx, &err) != 0)
        rc = eco_err_print(&err);
    for (size_t i = 0; full && i < loaded; i++)
        eco_run_result_free(&full[i]);
    free(full);
    free(list);
    return rc;
}

enum { O_PROJECT = ECO_O_OWN, O_EXPERIMENT, O_CC_VERSION, O_APPEND };

static const struct eco_opt options[] = {
    ECO_OPT_USE(all), ECO_OPT_USE(output), {"--project", NULL, "NAME", O_PROJECT, 0, NULL},
    {"--experiment-id", NULL, "ID", O_EXPERIMENT, 0, NULL},
    {"--codecarbon-version", NULL, "N", O_CC_VERSION, 0, NULL},
    {"--append", NULL, NULL, O_APPEND, 0, NULL},
    ECO_OPT_USE(format), ECO_OPT_USE(db), ECO_OPT_USE(region), ECO_OPT_USE(carbon_intensity), ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_export = {"export", options, usage, NULL};

struct export_args {
    struct eco_cli_stored s;
    const char *ref, *path, *project, *experiment, *cc_version;
    int all, append;
};

static int take(void *ctx, int id, const char *v)
{
    struct export_args *a = ctx;
    if (eco_cli_stored_take(&a->s, id, v))
        return 0;
    switch (id) {
    case ECO_O_OUTPUT: a->path = v; break;
    case O_PROJECT: a->project = v; break;
    case O_EXPERIMENT: a->experiment = v; break;
    case O_CC_VERSION: a->cc_version = v; break;
    case O_APPEND: a->append = 1; break;
    case ECO_O_ALL: a->all = 1; break;
    default:
        if (a->ref)
            return eco_cli_usage_error("export", "export takes one run, got '%s' too", v);
        a->ref = v;
    }
    return 0;
}

/* The codecarbon-only options: a layout ecometer writes, --append with a
 * file; 0 or the exit code (after printing why). */
static int codecarbon_options(const struct eco_output *o, const struct export_args *a, struct eco_output_ctx *ctx)
{
    int is_cc = strcmp(o->key, "codecarbon") == 0;
    if ((a->cc_version || a->append) && !is_cc)
        return eco_cli_usage_error("export", "--codecarbon-version and --append go with --format codecarbon");
    if (a->append && (!a->path || strcmp(a->path, "-") == 0))
        return eco_cli_usage_error("export", "--append adds to a file: give it with -o FILE");
    if (a->cc_version) {
        if (strcmp(a->cc_version, "3") != 0 && strcmp(a->cc_version, "2") != 0)
            return eco_cli_usage_error("export", "--codecarbon-version takes 3 (CodeCarbon 3.x) or 2 (2.4 to 2.8), not '%s'",
                                       a->cc_version);
        ctx->codecarbon_version = a->cc_version[0] - '0';
    }
    ctx->experiment_id = a->experiment;
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

/* Where the export goes: stdout, FILE, or FILE appended to. NULL with *rc
 * the exit code (after printing why) when it cannot be opened. */
static FILE *open_output(const struct export_args *a, struct eco_output_ctx *ctx, int *rc)
{
    *rc = 0;
    if (!a->path || strcmp(a->path, "-") == 0)
        return stdout;
    FILE *out = a->append ? open_for_append(a->path, ctx, rc) : fopen(a->path, "w");
    if (!out && !*rc) {
        fprintf(stderr, "ecometer: cannot write %s: %m\n", a->path);
        fprintf(stderr, "ecometer: hint: choose a writable path with -o FILE\n");
        *rc = ECO_EXIT_RUNTIME;
    }
    return out;
}

int eco_cmd_export(int argc, char **argv)
{
    struct export_args a = {.project = "ecometer"};
    int prc = eco_opts_parse(&eco_opts_export, argc, argv, take, &a, NULL);
    if (prc != ECO_OPTS_GO_ON)
        return prc;
    const struct eco_cli_place *place = &a.s.place;
    if (!a.s.fmt_s)
        return eco_cli_usage_error("export", "choose --format csv, json, codecarbon or prometheus");
    if (!a.ref && !a.all)
        return eco_cli_usage_error("export", "which run? give an id, 'latest' or --all");
    if (a.ref && a.all)
        return eco_cli_usage_error("export", "give a run or --all, not both");
    struct eco_err err;
    eco_err_clear(&err);
    const struct eco_output *o = eco_output_find("export", a.s.fmt_s, offered, a.all ? 2 : 1, &err);
    if (!o)
        return eco_err_print(&err);
    struct eco_output_ctx ctx = {.with_series = 1, .project = a.project};
    int rc = codecarbon_options(o, &a, &ctx);
    if (rc)
        return rc;
    /* The runs are loaded (or the history opened) before the file is
     * created: a bad reference leaves no empty file behind. */
    struct eco_history *h = NULL;
    struct eco_run_result r;
    if (a.all && !(h = eco_cli_open_history(a.s.db)))
        return ECO_EXIT_RUNTIME;
    if (!a.all && (rc = eco_cli_load_runs(a.s.db, &a.ref, 1, place, &r)) != 0)
        return rc;
    FILE *out = open_output(&a, &ctx, &rc);
    if (out && a.all)
        rc = write_all(h, o, &ctx, place, out);
    else if (out && o->write(out, &r, 1, &ctx, &err) != 0)
        rc = eco_err_print(&err);
    if (a.all)
        eco_history_close(h);
    else
        eco_run_result_free(&r);
    if (!out)
        return rc;
    if (rc == 0 && (place->region || place->intensity)) /* formats without a field for it (codecarbon...) */
        fprintf(stderr, "ecometer: note: CO2e recomputed for %s %s; the stored energy is unchanged\n",
                place->intensity ? "--carbon-intensity" : "--region",
                place->intensity ? place->intensity : place->region);
    if (out != stdout) {
        if (fclose(out) != 0 && rc == 0) {
            fprintf(stderr, "ecometer: writing %s failed: %m\n", a.path);
            rc = ECO_EXIT_RUNTIME;
        }
    } else if (fflush(stdout) != 0 && rc == 0) {
        rc = ECO_EXIT_RUNTIME;
    }
    return rc;
}
