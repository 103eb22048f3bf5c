/* The table of outputs (see outputs.h). */
#include "render/outputs.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "core/format.h"
#include "render/codecarbon.h"
#include "render/record_csv.h"
#include "render/record_json.h"
#include "render/record_prometheus.h"
#include "render/report_html.h"
#include "render/run_summary.h"
#include "render/run_view.h"

static int summary(FILE *out, const struct eco_run_result *r, size_t n, const struct eco_output_ctx *c,
                   struct eco_err *err)
{
    (void)n, (void)c, (void)err;
    eco_run_summary_text(out, r);
    return 0;
}

static int view(FILE *out, const struct eco_run_result *r, size_t n, const struct eco_output_ctx *c,
                struct eco_err *err)
{
    (void)n, (void)c, (void)err;
    eco_run_view_text(out, r);
    return 0;
}

static int json(FILE *out, const struct eco_run_result *r, size_t n, const struct eco_output_ctx *c,
                struct eco_err *err)
{
    (void)err;
    if (n == 1) {
        eco_json_emit(out, eco_record_json(r, c->with_series));
        return 0;
    }
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, eco_record_json(&r[i], c->with_series));
    eco_json_emit(out, arr);
    return 0;
}

static int record_csv(FILE *out, const struct eco_run_result *r, size_t n, const struct eco_output_ctx *c,
                      struct eco_err *err)
{
    (void)n, (void)c, (void)err;
    eco_record_csv(out, r);
    return 0;
}

static int series_csv(FILE *out, const struct eco_run_result *r, size_t n, const struct eco_output_ctx *c,
                      struct eco_err *err)
{
    (void)n, (void)c, (void)err;
    eco_series_csv(out, r);
    return 0;
}

static int codecarbon(FILE *out, const struct eco_run_result *r, size_t n, const struct eco_output_ctx *c,
                      struct eco_err *err)
{
    struct eco_codecarbon_opts o = {.version = c->codecarbon_version, .project_name = c->project,
                                    .experiment_id = c->experiment_id, .no_header = c->no_header};
    return eco_codecarbon_write(out, r, n, &o, err);
}

static int prometheus(FILE *out, const struct eco_run_result *r, size_t n, const struct eco_output_ctx *c,
                      struct eco_err *err)
{
    (void)c, (void)err;
    eco_record_prometheus(out, r, n);
    return 0;
}

static int html(FILE *out, const struct eco_run_result *r, size_t n, const struct eco_output_ctx *c,
                struct eco_err *err)
{
    (void)c;
    return eco_html_report(out, r, n, err);
}

static const struct eco_output outputs[] = {
    {"summary", "text", "the end-of-run summary", 0, summary},
    {"view", "text", "the run for people: hardware, domains, regions", 0, view},
    {"json", "json", "the run record as one JSON object (an array for several runs)", 1, json},
    {"record-csv", "csv", "the run record as CSV rows (run, domains, regions)", 0, record_csv},
    {"series-csv", "csv", "the power series, one row per sample and domain", 0, series_csv},
    {"codecarbon", "codecarbon", "CodeCarbon's emissions.csv columns, one row per run", 1, codecarbon},
    {"prometheus", "prometheus", "Prometheus text format (node_exporter textfile collector)", 1, prometheus},
    {"html", "html", "a self-contained HTML report", 1, html},
};

static const struct eco_output *by_key(const char *key)
{
    for (size_t i = 0; i < sizeof outputs / sizeof outputs[0]; i++)
        if (strcmp(outputs[i].key, key) == 0)
            return &outputs[i];
    return NULL;
}

const struct eco_output *eco_output_find(const char *cmd, const char *name, const char *const *offered, size_t n_runs,
                                         struct eco_err *err)
{
    char names[160] = "";
    for (size_t i = 0; offered[i]; i++) {
        const struct eco_output *o = by_key(offered[i]);
        if (!o)
            continue;
        if (strcmp(o->name, name) == 0) {
            if (n_runs > 1 && !o->multi) {
                eco_err_set(err, 2, "%s --format %s writes one run at a time", cmd, name);
                eco_err_hint(err, "give one run instead of several, or another --format");
                return NULL;
            }
            return o;
        }
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "", o->name);
    }
    eco_err_set(err, 2, "%s does not write --format '%s'", cmd, name);
    eco_err_hint(err, "%s writes %s", cmd, names);
    return NULL;
}
