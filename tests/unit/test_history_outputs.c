/* Exports and comparisons computed from runs: CodeCarbon columns agree with
 * the run's own figures, compare arithmetic, HTML/SVG escaping. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hardware.h"
#include "render/codecarbon.h"
#include "carbon/posteriori_check.h"
#include "render/compare.h"
#include "render/report_html.h"
#include "meter/run_derive.h"
#include "render/record_json.h"
#include "render/svg.h"
#include "synthetic_run.h"
#include "test.h"

/* Split one CSV line on commas, keeping empty fields (the fields read back
 * here hold no quoted commas). */
static int split(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\n")] = 0;
    for (char *p; n < max && (p = strsep(&line, ",")) != NULL;)
        f[n++] = p;
    return n;
}

static int col(char **hdr, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(hdr[i], name) == 0)
            return i;
    eco_test_fail(__FILE__, __LINE__, "no column %s", name);
}

ECO_TEST(codecarbon_export_agrees_with_run)
{
    struct eco_synth s = {.id = "cc-run", .gpu_w = 250, .cpu_w = 65, .dram_w = 9, .epochs = 2,
                          .items_per_epoch = 100, .region = "aws:eu-west-3", .intensity = 56};
    struct eco_run_result r;
    eco_synth_run(&s, &r);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct eco_codecarbon_opts o = {.project_name = "distil, \"v2\""};
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_codecarbon_write(f, &r, 1, &o, &err) == 0);
    fclose(f);
    char *nl = strchr(buf, '\n');
    CHECK(nl != NULL);
    *nl = 0;
    char *hdr[64], *val[64];
    int nh = split(buf, hdr, 64);
    CHECK_INT(nh, 38); /* the column names themselves: test_codecarbon.c */
    /* The project name needs quoting: it is written as one field. */
    CHECK(strstr(nl + 1, ",\"distil, \"\"v2\"\"\",cc-run,") != NULL);

    struct eco_codecarbon_row row;
    eco_codecarbon_row(&r, &row);
    /* energy_consumed (kWh) is the run's total energy (J) / 3.6e6. */
    CHECK_NEAR(row.energy_consumed_kwh * 3.6e6, r.total_energy_j, 1e-12);
    CHECK_NEAR(row.cpu_energy_kwh * 3.6e6, r.domains[0].energy_j, 1e-12);
    CHECK_NEAR(row.ram_energy_kwh * 3.6e6, r.domains[2].energy_j, 1e-12);
    CHECK_NEAR(row.gpu_energy_kwh * 3.6e6, r.domains[3].energy_j, 1e-12);
    CHECK_NEAR(row.emissions_kg * 1000, r.co2e_g, 1e-12);
    CHECK_NEAR(row.gpu_power_w, r.domains[3].energy_j / r.duration_s, 1e-12);
    CHECK_NEAR(row.emissions_rate_kg_s, r.co2e_g / 1000 / r.duration_s, 1e-12);

    /* And the text written carries those figures within rounding. */
    char line[4096];
    snprintf(line, sizeof line, "%s", strstr(nl + 1, "cc-run,"));
    int nv = split(line, val, 64);
    CHECK_INT(nv, 38 - 2); /* from run_id on */
    int off = col(hdr, nh, "run_id"); /* fields before run_id were consumed by strstr */
    CHECK_NEAR(atof(val[col(hdr, nh, "energy_consumed") - off]) * 3.6e6, r.total_energy_j, 1e-8);
    CHECK_NEAR(atof(val[col(hdr, nh, "emissions") - off]) * 1000, r.co2e_g, 1e-8);
    CHECK_NEAR(atof(val[col(hdr, nh, "duration") - off]), r.duration_s, 1e-9);
    CHECK_STR(val[col(hdr, nh, "cloud_provider") - off], "aws");
    CHECK_STR(val[col(hdr, nh, "cloud_region") - off], "eu-west-3");
    free(buf);
    eco_synth_free(&r);
}

ECO_TEST(codecarbon_children_not_counted_twice)
{
    struct eco_synth s = {.id = "cc2"};
    struct eco_run_result r;
    eco_synth_run(&s, &r);
    /* core-0 (inside package-0) must not add to cpu_energy. */
    struct eco_codecarbon_row row;
    eco_codecarbon_row(&r, &row);
    CHECK(!r.domains[1].top_level && r.domains[1].energy_j > 0);
    CHECK_NEAR(row.cpu_energy_kwh * 3.6e6, r.domains[0].energy_j, 1e-12);
    CHECK_NEAR(row.gpu_energy_kwh, 0, 1e-12);
    eco_synth_free(&r);
}

ECO_TEST(compare_arithmetic)
{
    CHECK_NEAR(eco_change_pct(200, 50), -75.0, 1e-12);
    CHECK_NEAR(eco_change_pct(50, 200), 300.0, 1e-12);
    CHECK(isnan(eco_change_pct(0, 5)));
    struct eco_synth sa = {.id = "teacher", .gpu_w = 200, .epochs = 3, .items_per_epoch = 1000};
    struct eco_synth sb = {.id = "student", .gpu_w = 80, .duration_s = 30, .epochs = 2,
                           .items_per_epoch = 1500};
    struct eco_run_result a, b;
    eco_synth_run(&sa, &a);
    eco_synth_run(&sb, &b);
    b.domains[3].kind = ECO_KIND_GPU;
    snprintf(b.domains[3].name, sizeof b.domains[3].name, "gpu-1"); /* only in B */
    struct eco_compare_row *rows;
    size_t n;
    CHECK(eco_compare(&a, &b, &rows, &n) == 0);
    int seen_energy = 0, seen_item = 0, seen_gpu0 = 0, seen_gpu1 = 0, seen_epoch3 = 0;
    for (size_t i = 0; i < n; i++) {
        const struct eco_compare_row *r = &rows[i];
        if (!strcmp(r->metric, "energy")) {
            seen_energy = 1;
            CHECK_NEAR(r->change_pct, (b.total_energy_j - a.total_energy_j) / a.total_energy_j * 100, 1e-9);
        } else if (!strcmp(r->metric, "energy per item")) {
            seen_item = 1;
            CHECK_NEAR(r->a, a.total_energy_j / 3000, 1e-12);
            CHECK_NEAR(r->b, b.total_energy_j / 3000, 1e-12);
        } else if (!strcmp(r->metric, "duration")) {
            CHECK_NEAR(r->change_pct, -50.0, 1e-9);
        } else if (!strcmp(r->metric, "domain gpu-0")) {
            seen_gpu0 = 1;
            CHECK(r->has_a && !r->has_b && isnan(r->change_pct));
        } else if (!strcmp(r->metric, "domain gpu-1")) {
            seen_gpu1 = 1;
            CHECK(!r->has_a && r->has_b);
        } else if (!strcmp(r->metric, "region epoch-3")) {
            seen_epoch3 = 1;
            CHECK(r->has_a && !r->has_b);
        } else if (!strcmp(r->metric, "region epoch-1 per item")) {
            CHECK_NEAR(r->a, a.regions[0].energy_j / 1000, 1e-12);
            CHECK_NEAR(r->b, b.regions[0].energy_j / 1500, 1e-12);
        }
    }
    CHECK(seen_energy && seen_item && seen_gpu0 && seen_gpu1 && seen_epoch3);
    free(rows);
    eco_synth_free(&a);
    eco_synth_free(&b);
}

static double num(const cJSON *o, const char *path)
{
    char key[64];
    const char *dot = strchr(path, '.');
    if (dot) {
        snprintf(key, sizeof key, "%.*s", (int)(dot - path), path);
        return num(cJSON_GetObjectItemCaseSensitive(o, key), dot + 1);
    }
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, path);
    CHECK(cJSON_IsNumber(v));
    return cJSON_GetNumberValue(v);
}

/* The record's JSON holds the record's values, where README says: nested
 * host, intensity and attribution; CO2e = energy x intensity; null where
 * there is no value; each domain's series point by point. */
ECO_TEST(run_json_has_the_issue_fields)
{
    struct eco_synth s = {.id = "j", .epochs = 1, .items_per_epoch = 10, .baseline_w = 20};
    struct eco_run_result r;
    eco_synth_run(&s, &r);
    r.intensity_g_per_kwh = 400;
    r.exit_status = -1;
    r.term_signal = 9;
    snprintf(r.cpu_model, sizeof r.cpu_model, "Test CPU 9000");
    r.ram_gb = 15.5;
    eco_run_derive(&r);
    cJSON *o = eco_record_json(&r, 1);
    CHECK(num(o, "total_energy_j") == r.total_energy_j);
    CHECK(num(o, "duration_s") == r.duration_s);
    CHECK(num(o, "baseline_w") == 20);
    CHECK_NEAR(num(o, "net_energy_j"), r.total_energy_j - 20 * r.duration_s, 1e-12);
    CHECK_NEAR(num(o, "co2e_g"), r.total_energy_j / 3.6e6 * 400, 1e-12);
    CHECK_NEAR(num(o, "net_co2e_g"), num(o, "net_energy_j") / 3.6e6 * 400, 1e-12);
    CHECK(num(o, "intensity.g_per_kwh") == 400);
    CHECK(num(o, "attributed.energy_j") == r.attributed_energy_j);
    CHECK(num(o, "host.ram_gb") == 15.5);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "host"), "cpu_model")), "Test CPU 9000");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(o, "exit_status"))); /* killed: no exit status */
    CHECK(num(o, "term_signal") == 9);
    CHECK(num(o, "items") == 10);
    CHECK_NEAR(num(o, "energy_per_item_j"), r.total_energy_j / 10, 1e-12);
    CHECK(cJSON_GetObjectItem(o, "forecast") == NULL); /* only with --epochs */
    cJSON *ds = cJSON_GetObjectItem(o, "domains");
    CHECK_INT(cJSON_GetArraySize(ds), (int)r.n_domains);
    for (size_t i = 0; i < r.n_domains; i++) {
        cJSON *d = cJSON_GetArrayItem(ds, (int)i);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(d, "name")), r.domains[i].name);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(d, "kind")), eco_kind_name(r.domains[i].kind));
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(d, "method")), eco_method_name(r.domains[i].method));
        CHECK(cJSON_IsBool(cJSON_GetObjectItem(d, "top_level")));
        CHECK(num(d, "energy_j") == r.domains[i].energy_j);
        cJSON *pts = cJSON_GetObjectItem(d, "series");
        CHECK_INT(cJSON_GetArraySize(pts), (int)r.domains[i].n_series);
        for (size_t k = 0; k < r.domains[i].n_series; k++) {
            cJSON *p = cJSON_GetArrayItem(pts, (int)k);
            CHECK(cJSON_GetNumberValue(cJSON_GetArrayItem(p, 0)) == r.domains[i].series[k].t);
            CHECK(cJSON_GetNumberValue(cJSON_GetArrayItem(p, 1)) == r.domains[i].series[k].watts);
        }
    }
    cJSON *g = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "regions"), 0);
    CHECK_NEAR(num(g, "co2e_g"), r.regions[0].energy_j / 3.6e6 * 400, 1e-12);
    CHECK_NEAR(num(g, "duration_s"), r.regions[0].end_s - r.regions[0].start_s, 1e-12);
    cJSON_Delete(o);
    o = eco_record_json(&r, 0); /* without series: nothing else changes */
    CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "domains"), 0), "series") == NULL);
    cJSON_Delete(o);
    eco_synth_free(&r);
}

ECO_TEST(report_escapes_text_and_draws_layers)
{
    struct eco_synth s = {.id = "<b>id</b>", .command = "run \"a\" & <script>x</script> 'q'",
                          .gpu_w = 100, .epochs = 2};
    struct eco_run_result r;
    eco_synth_run(&s, &r);
    snprintf(r.regions[0].name, sizeof r.regions[0].name, "<i>epoch</i>");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct eco_err err;
    CHECK(eco_html_report(f, &r, 1, &err) == 0);
    fclose(f);
    CHECK(strstr(buf, "<script") == NULL);
    CHECK(strstr(buf, "<b>id") == NULL);
    CHECK(strstr(buf, "<i>epoch") == NULL);
    CHECK(strstr(buf, "run &quot;a&quot; &amp; &lt;script&gt;x&lt;/script&gt; &#39;q&#39;") != NULL);
    CHECK(strstr(buf, "&lt;i&gt;epoch&lt;/i&gt;") != NULL);
    /* Three top-level domains stacked, each a closed path. */
    int layers = 0;
    for (const char *p = buf; (p = strstr(p, "<path class=\"layer\"")); p++)
        layers++;
    CHECK_INT(layers, 3);
    free(buf);
    eco_synth_free(&r);
}

ECO_TEST(svg_stacked_layers_are_cumulative)
{
    /* Two constant series of 10 W and 30 W over 0..10 s: the second layer's
     * top edge must sit at 40 W, i.e. 4x the first layer's height. */
    double t[11], a[11], b[11];
    for (int i = 0; i < 11; i++) {
        t[i] = i;
        a[i] = 10;
        b[i] = 30;
    }
    struct eco_svg_series s[2] = {{"a", "#111", t, a, 11, 1}, {"b", "#222", t, b, 11, 1}};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    eco_svg_stacked_power(f, s, 2, NULL, 0, 562, 300); /* plot 484 x 222 px */
    fclose(f);
    const char *p1 = strstr(buf, "<path class=\"layer\"");
    CHECK(p1 != NULL);
    const char *p2 = strstr(p1 + 1, "<path class=\"layer\"");
    CHECK(p2 != NULL);
    double x, y1, y2;
    CHECK(sscanf(strstr(p1, "d=\"M") + 4, "%lf %lf", &x, &y1) == 2);
    CHECK(sscanf(strstr(p2, "d=\"M") + 4, "%lf %lf", &x, &y2) == 2);
    double base = 22 + 222; /* margin top + plot height: y of 0 W */
    CHECK_NEAR((base - y2) / (base - y1), 4.0, 0.01);
    free(buf);
}

ECO_TEST(report_posteriori_estimates_and_errors)
{
    struct eco_synth s = {.id = "post", .gpu_w = 250, .duration_s = 120};
    struct eco_run_result r;
    eco_synth_run(&s, &r);
    struct eco_err err;
    const struct eco_cpu *cpu = eco_cpu_find(r.cpu_model, &err);
    const struct eco_gpu *gpu = eco_gpu_find(r.gpu_model, &err);
    if (!cpu || !gpu)
        ECO_SKIP("the synthetic run's CPU or GPU is not in the hardware tables");
    struct eco_posteriori_check c;
    eco_posteriori_check(&r, &c);
    CHECK(c.possible);
    /* Green Algorithms at defaults, PUE 1: t x (TDP_cpu + TDP_gpu + RAM x 0.3725). */
    double ga = r.duration_s * (cpu->tdp_w + gpu->tdp_w + r.ram_gb * ECO_POST_MEMORY_W_PER_GB);
    CHECK_NEAR(c.estimate[ECO_POST_GREEN_ALGORITHMS].total_j, ga, 1e-9);
    /* ML CO2 Impact: t x (P_gpu + P_cpu), no memory. */
    CHECK_NEAR(c.estimate[ECO_POST_MLCO2].total_j, r.duration_s * (cpu->tdp_w + gpu->tdp_w), 1e-9);
    CHECK_NEAR(c.error_pct[0], (ga - r.total_energy_j) / r.total_energy_j * 100, 1e-9);

    snprintf(r.cpu_model, sizeof r.cpu_model, "Imaginary CPU 9000");
    snprintf(r.gpu_model, sizeof r.gpu_model, "Imaginary GPU");
    eco_posteriori_check(&r, &c);
    CHECK(!c.possible);
    CHECK(strstr(c.why, "Imaginary CPU 9000") != NULL);
    eco_synth_free(&r);
}
