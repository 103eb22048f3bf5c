/* The figures `compare`, `show` and `report` print are the record's, derived
 * once by eco_run_derive (meter/run_derive.c); the comparison's rows come
 * from the library (meter/run_compare.c) and the renderers only write them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meter/run_compare.h"
#include "meter/run_derive.h"
#include "render/codecarbon.h"
#include "render/report_html.h"
#include "render/run_view.h"
#include "synthetic_run.h"
#include "test.h"

/* A record by hand: 7200 J over an hour (2 W), 100 items, one region of
 * 360 J and 30 items; b: 1800 J over 600 s (3 W), no items. */
static void two_runs(struct eco_run_result *a, struct eco_run_result *b, struct eco_region_result *reg)
{
    memset(a, 0, sizeof *a);
    memset(b, 0, sizeof *b);
    a->total_energy_j = 7200;
    a->duration_s = 3600;
    a->items = 100;
    a->intensity_g_per_kwh = 100;
    *reg = (struct eco_region_result){.name = "epoch-1", .start_s = 10, .end_s = 190, .energy_j = 360, .items = 30};
    a->regions = reg;
    a->n_regions = 1;
    b->total_energy_j = 1800;
    b->duration_s = 600;
    b->intensity_g_per_kwh = 100;
    eco_run_derive(a);
    eco_run_derive(b);
}

static const struct eco_compare_row *row(const struct eco_compare_row *rows, size_t n, const char *metric)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].metric, metric) == 0)
            return &rows[i];
    eco_test_fail(__FILE__, __LINE__, "no row '%s'", metric);
    return NULL;
}

ECO_TEST(run_record_average_power_is_derived_once)
{
    struct eco_run_result a, b;
    struct eco_region_result reg;
    two_runs(&a, &b, &reg);
    CHECK_NEAR(a.average_power_w, 2.0, 1e-12);
    CHECK_NEAR(b.average_power_w, 3.0, 1e-12);
    CHECK_NEAR(a.energy_per_item_j, 72.0, 1e-12);
    CHECK_NEAR(b.energy_per_item_j, -1, 1e-12); /* no item: none */
    CHECK_NEAR(reg.energy_per_item_j, 12.0, 1e-12);
    CHECK_NEAR(eco_rate_per_s(10, 0), 0, 1e-12);
    CHECK_NEAR(eco_rate_per_s(10, -1), 0, 1e-12);
    CHECK_NEAR(eco_rate_per_s(10, 4), 2.5, 1e-12);
    a.duration_s = 0; /* a run without duration has no average power */
    eco_run_derive(&a);
    CHECK_NEAR(a.average_power_w, 0, 1e-12);
}

ECO_TEST(run_compare_rows_are_the_records_fields)
{
    struct eco_run_result a, b;
    struct eco_region_result reg;
    two_runs(&a, &b, &reg);
    /* a field that differs from energy / duration would show in the rows:
     * the rows read the record, they do not recompute it */
    a.average_power_w = 2.5;
    a.energy_per_item_j = 71;
    reg.energy_per_item_j = 11;
    struct eco_compare_row *rows;
    size_t n;
    CHECK(eco_compare(&a, &b, &rows, &n) == 0);
    const struct eco_compare_row *p = row(rows, n, "average power");
    CHECK(p->has_a && p->has_b);
    CHECK_NEAR(p->a, a.average_power_w, 1e-12);
    CHECK_NEAR(p->b, b.average_power_w, 1e-12);
    CHECK_NEAR(p->change_pct, (3.0 - 2.5) / 2.5 * 100, 1e-9);
    const struct eco_compare_row *e = row(rows, n, "energy per item");
    CHECK(e->has_a && !e->has_b && isnan(e->change_pct));
    CHECK_NEAR(e->a, a.energy_per_item_j, 1e-12);
    const struct eco_compare_row *r = row(rows, n, "region epoch-1 per item");
    CHECK(r->has_a && !r->has_b);
    CHECK_NEAR(r->a, reg.energy_per_item_j, 1e-12);
    free(rows);
}

ECO_TEST(codecarbon_powers_are_energy_over_duration)
{
    struct eco_run_result r;
    memset(&r, 0, sizeof r);
    struct eco_domain_result d[2] = {{.name = "package-0", .kind = ECO_KIND_CPU_PACKAGE, .top_level = 1, .energy_j = 5400},
                                     {.name = "gpu-0", .kind = ECO_KIND_GPU, .top_level = 1, .energy_j = 1800}};
    r.domains = d;
    r.n_domains = 2;
    r.total_energy_j = 7200;
    r.duration_s = 3600;
    r.intensity_g_per_kwh = 500;
    eco_run_derive(&r);
    struct eco_codecarbon_row o;
    eco_codecarbon_row(&r, &o);
    CHECK_NEAR(o.cpu_power_w, 1.5, 1e-12);
    CHECK_NEAR(o.gpu_power_w, 0.5, 1e-12);
    CHECK_NEAR(o.emissions_kg, 7200 / 3.6e6 * 500 / 1000, 1e-15);
    CHECK_NEAR(o.emissions_rate_kg_s, o.emissions_kg / 3600, 1e-18);
    r.duration_s = 0;
    eco_codecarbon_row(&r, &o);
    CHECK_NEAR(o.cpu_power_w, 0, 1e-12);
    CHECK_NEAR(o.emissions_rate_kg_s, 0, 1e-12);
}

static char *render(int html, const struct eco_run_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(f != NULL);
    struct eco_err err;
    eco_err_clear(&err);
    if (html)
        CHECK(eco_html_report(f, r, 1, &err) == 0);
    else
        eco_run_view_text(f, r);
    fclose(f);
    return buf;
}

/* show's text and the HTML report print the record's average power and
 * energy per item (set here to values no renderer could compute from the
 * energy, so a recomputation would show). */
ECO_TEST(renderers_print_the_records_derived_figures)
{
    struct eco_synth s = {.id = "rend", .epochs = 2, .items_per_epoch = 10};
    struct eco_run_result r;
    eco_synth_run(&s, &r);
    r.average_power_w = 123.25;
    r.energy_per_item_j = 7.75;
    r.regions[0].energy_per_item_j = 3.25;
    char *text = render(0, &r), *html = render(1, &r);
    CHECK(strstr(text, "(average 123 W)") != NULL);
    CHECK(strstr(text, "7.75 J per item") != NULL);
    CHECK(strstr(text, "3.25 J") != NULL);
    CHECK(strstr(html, "average 123 W") != NULL);
    CHECK(strstr(html, "7.75 J per item") != NULL);
    CHECK(strstr(html, "3.25 J/item") != NULL);
    free(text);
    free(html);
    eco_synth_free(&r);
}
