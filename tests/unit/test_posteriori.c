/* The a-posteriori formulas on hand-computed cases (the arithmetic is in the
 * comments, done by hand, not by the code under test), their defaults, and
 * their refusals of bad input. */
#include <math.h>
#include <string.h>

#include "carbon/co2e.h"
#include "carbon/posteriori.h"
#include "core/units.h"
#include "test.h"

#define WH(j) ((j) / ECO_J_PER_WH)

static struct eco_post_params params(enum eco_post_method m, double runtime_s)
{
    struct eco_post_params p;
    memset(&p, 0, sizeof p);
    p.method = m;
    eco_post_set(&p.runtime_s, runtime_s, ECO_ORIGIN_FLAG, "--runtime");
    return p;
}

static void flag(struct eco_post_value *v, double x)
{
    eco_post_set(v, x, ECO_ORIGIN_FLAG, "flag");
}

/* A CPU model from a table: its TDP and its core count. */
static void cpu_row(struct eco_post_params *p, double tdp, double cores)
{
    eco_post_set(&p->cpu_tdp_w, tdp, ECO_ORIGIN_TABLE, "table: test CPU");
    eco_post_set(&p->cpu_table_cores, cores, ECO_ORIGIN_TABLE, "table: test CPU");
}

static const struct eco_post_input *input(const struct eco_post_result *r, const char *name)
{
    for (size_t i = 0; i < r->n_inputs; i++)
        if (strcmp(r->inputs[i].name, name) == 0)
            return &r->inputs[i];
    return NULL;
}

static struct eco_post_result compute_ok(const struct eco_post_params *p)
{
    struct eco_post_result r;
    struct eco_err e;
    eco_err_clear(&e);
    if (eco_posteriori_compute(p, &r, &e) != 0)
        eco_test_fail(__FILE__, __LINE__, "compute failed: %s", e.msg);
    return r;
}

/* ---- Green Algorithms ---------------------------------------------------- */

ECO_TEST(ga_issue_example)
{
    /* The issue's job: 4h30m, 4 x A100 SXM4 40GB (TDP 400 W) at 0.8, Xeon Gold
     * 6248 (150 W, 20 cores) with 20 cores at 0.5, 128 GB, PUE 1.2.
     *   CPU    150 / 20 x 20 = 150 W x 0.5        =   75    W
     *   GPU    4 x 400 x 0.8                      = 1280    W
     *   memory 128 x 0.3725                       =   47.68 W
     *   sum                                       = 1402.68 W
     *   x 4.5 h = 6312.06 Wh, x PUE 1.2           = 7574.472 Wh
     *   parts: 75 x 5.4 = 405, 1280 x 5.4 = 6912, 47.68 x 5.4 = 257.472 Wh */
    struct eco_post_params p = params(ECO_POST_GREEN_ALGORITHMS, 4.5 * 3600);
    cpu_row(&p, 150, 20);
    flag(&p.cores, 20);
    flag(&p.cpu_usage, 0.5);
    eco_post_set(&p.gpu_power_w, 400, ECO_ORIGIN_TABLE, "table: A100");
    flag(&p.n_gpus, 4);
    flag(&p.gpu_usage, 0.8);
    flag(&p.memory_gb, 128);
    flag(&p.pue, 1.2);
    struct eco_post_result r = compute_ok(&p);
    CHECK_NEAR(r.cpu_w, 75, 1e-12);
    CHECK_NEAR(r.gpu_w, 1280, 1e-12);
    CHECK_NEAR(r.memory_w, 47.68, 1e-12);
    CHECK_NEAR(WH(r.cpu_j), 405, 1e-12);
    CHECK_NEAR(WH(r.gpu_j), 6912, 1e-12);
    CHECK_NEAR(WH(r.memory_j), 257.472, 1e-12);
    CHECK_NEAR(WH(r.total_j), 7574.472, 1e-12);
    CHECK_NEAR(WH(r.it_j), 6312.06, 1e-12);
    CHECK_NEAR(r.pue, 1.2, 0);
    CHECK_NEAR(r.psf, 1, 0);
}

ECO_TEST(ga_gpu_only_default_pue)
{
    /* One 300 W GPU for 10 h, nothing else given: usage 1, 1 GPU, no memory,
     * default PUE 1.56:  300 x 10 = 3000 Wh x 1.56 = 4680 Wh. */
    struct eco_post_params p = params(ECO_POST_GREEN_ALGORITHMS, 36000);
    flag(&p.gpu_power_w, 300);
    struct eco_post_result r = compute_ok(&p);
    CHECK_NEAR(WH(r.total_j), 4680, 1e-12);
    CHECK_NEAR(r.pue, ECO_POST_DEFAULT_PUE, 0);
    CHECK_NEAR(r.pue, 1.56, 0);
    CHECK_NEAR(r.cpu_j, 0, 0);
    CHECK_NEAR(r.memory_j, 0, 0);
    const struct eco_post_input *pue = input(&r, "pue");
    CHECK(pue && pue->origin == ECO_ORIGIN_DEFAULT && strstr(pue->source, "Uptime"));
    const struct eco_post_input *n = input(&r, "n_gpus");
    CHECK(n && n->origin == ECO_ORIGIN_DEFAULT && n->value == 1);
    const struct eco_post_input *m = input(&r, "memory_gb");
    CHECK(m && m->origin == ECO_ORIGIN_DEFAULT && m->value == 0);
    CHECK(r.n_notes >= 1); /* "no --memory given" */
}

ECO_TEST(ga_cpu_power_memory_psf)
{
    /* --cpu-power 65 at 0.25, 16 GB, PUE 1, PSF 3, 2 h:
     *   CPU 65 x 0.25 = 16.25 W, memory 16 x 0.3725 = 5.96 W, sum 22.21 W
     *   x 2 h = 44.42 Wh x PUE 1 x PSF 3 = 133.26 Wh (memory 5.96 x 6 = 35.76) */
    struct eco_post_params p = params(ECO_POST_GREEN_ALGORITHMS, 7200);
    flag(&p.cpu_power_w, 65);
    flag(&p.cpu_usage, 0.25);
    flag(&p.memory_gb, 16);
    flag(&p.pue, 1);
    flag(&p.psf, 3);
    struct eco_post_result r = compute_ok(&p);
    CHECK_NEAR(WH(r.total_j), 133.26, 1e-12);
    CHECK_NEAR(WH(r.memory_j), 35.76, 1e-12);
    CHECK_NEAR(WH(r.cpu_j), 97.5, 1e-12);
    CHECK_NEAR(r.psf, 3, 0);
}

ECO_TEST(ga_per_core_tdp_some_cores)
{
    /* A 125 W, 16-core CPU, 4 cores used at full load; 2 GPUs of 250 W at 0.5;
     * 32 GB; PUE 1.1; PSF 2; 90 min:
     *   CPU 125 / 16 = 7.8125 W/core x 4 = 31.25 W
     *   GPU 2 x 250 x 0.5 = 250 W, memory 32 x 0.3725 = 11.92 W, sum 293.17 W
     *   x 1.5 h = 439.755 Wh x 1.1 x 2 = 967.461 Wh */
    struct eco_post_params p = params(ECO_POST_GREEN_ALGORITHMS, 5400);
    cpu_row(&p, 125, 16);
    flag(&p.cores, 4);
    flag(&p.gpu_power_w, 250);
    flag(&p.n_gpus, 2);
    flag(&p.gpu_usage, 0.5);
    flag(&p.memory_gb, 32);
    flag(&p.pue, 1.1);
    flag(&p.psf, 2);
    struct eco_post_result r = compute_ok(&p);
    CHECK_NEAR(r.cpu_w, 31.25, 1e-12);
    CHECK_NEAR(WH(r.total_j), 967.461, 1e-12);
    const struct eco_post_input *pc = input(&r, "cpu_power_per_core_w");
    CHECK(pc && pc->origin == ECO_ORIGIN_DERIVED);
    CHECK_NEAR(pc->value, 7.8125, 1e-12);
    const struct eco_post_input *tdp = input(&r, "cpu_tdp_w");
    CHECK(tdp && tdp->origin == ECO_ORIGIN_TABLE && strcmp(tdp->source, "table: test CPU") == 0);
}

ECO_TEST(ga_per_core_defaults_to_all_cores)
{
    /* No --cores: all 20 cores of a 150 W CPU = 150 W; 1 h, PUE 1 = 150 Wh. */
    struct eco_post_params p = params(ECO_POST_GREEN_ALGORITHMS, 3600);
    cpu_row(&p, 150, 20);
    flag(&p.pue, 1);
    struct eco_post_result r = compute_ok(&p);
    CHECK_NEAR(WH(r.total_j), 150, 1e-12);
    const struct eco_post_input *c = input(&r, "cores");
    CHECK(c && c->origin == ECO_ORIGIN_DEFAULT && c->value == 20);
    /* cores beyond one socket (a two-socket node): 40 x 7.5 = 300 W */
    flag(&p.cores, 40);
    r = compute_ok(&p);
    CHECK_NEAR(WH(r.total_j), 300, 1e-12);
}

ECO_TEST(ga_zero_runtime_and_zero_usage)
{
    /* Zero is a legal answer, not an error: 0 s gives 0 J; usage 0 drops a part. */
    struct eco_post_params p = params(ECO_POST_GREEN_ALGORITHMS, 0);
    flag(&p.gpu_power_w, 300);
    struct eco_post_result r = compute_ok(&p);
    CHECK_NEAR(r.total_j, 0, 0);
    p = params(ECO_POST_GREEN_ALGORITHMS, 3600);
    flag(&p.gpu_power_w, 300);
    flag(&p.gpu_usage, 0);
    flag(&p.memory_gb, 10); /* 3.725 W x 1 h x 1.56 = 5.811 Wh */
    r = compute_ok(&p);
    CHECK_NEAR(WH(r.total_j), 5.811, 1e-12);
}

/* ---- ML CO2 Impact ------------------------------------------------------- */

ECO_TEST(mlco2_issue_example_full_power)
{
    /* Same job through mlco2: usage and memory ignored, full power:
     *   CPU 150 / 20 x 20 = 150 W, GPU 4 x 400 = 1600 W, sum 1750 W
     *   x 4.5 h = 7875 Wh, PUE 1.2 given -> 9450 Wh. */
    struct eco_post_params p = params(ECO_POST_MLCO2, 16200);
    cpu_row(&p, 150, 20);
    flag(&p.cores, 20);
    flag(&p.cpu_usage, 0.5);
    flag(&p.gpu_power_w, 400);
    flag(&p.n_gpus, 4);
    flag(&p.gpu_usage, 0.8);
    flag(&p.memory_gb, 128);
    flag(&p.pue, 1.2);
    struct eco_post_result r = compute_ok(&p);
    CHECK_NEAR(r.cpu_w, 150, 1e-12);
    CHECK_NEAR(r.gpu_w, 1600, 1e-12);
    CHECK_NEAR(r.memory_w, 0, 0);
    CHECK_NEAR(WH(r.total_j), 9450, 1e-12);
    CHECK_NEAR(WH(r.gpu_j), 8640, 1e-12); /* 1600 x 4.5 x 1.2 */
    CHECK(r.n_notes == 3);                /* cpu usage, gpu usage, memory ignored */
    CHECK(input(&r, "memory_w_per_gb") == NULL);
}

ECO_TEST(mlco2_no_pue_by_default)
{
    /* One 300 W GPU for 10 h: 3000 Wh, and no PUE (not 1.56) when none is given. */
    struct eco_post_params p = params(ECO_POST_MLCO2, 36000);
    flag(&p.gpu_power_w, 300);
    struct eco_post_result r = compute_ok(&p);
    CHECK_NEAR(WH(r.total_j), 3000, 1e-12);
    CHECK_NEAR(r.pue, 1, 0);
    const struct eco_post_input *pue = input(&r, "pue");
    CHECK(pue && pue->origin == ECO_ORIGIN_DEFAULT && strstr(pue->source, "no PUE"));
    /* the same job with --pue 1.5: 4500 Wh */
    flag(&p.pue, 1.5);
    r = compute_ok(&p);
    CHECK_NEAR(WH(r.total_j), 4500, 1e-12);
}

ECO_TEST(mlco2_cpu_only)
{
    /* --cpu-power 65 for 2 h: 130 Wh. */
    struct eco_post_params p = params(ECO_POST_MLCO2, 7200);
    flag(&p.cpu_power_w, 65);
    struct eco_post_result r = compute_ok(&p);
    CHECK_NEAR(WH(r.total_j), 130, 1e-12);
    CHECK_NEAR(WH(r.cpu_j), 130, 1e-12);
}

ECO_TEST(mlco2_node_for_a_day_twice)
{
    /* 8 x 250 W GPUs + a 200 W CPU, 1 day, PSF 2:
     *   2200 W x 24 h = 52800 Wh x 2 = 105600 Wh. */
    struct eco_post_params p = params(ECO_POST_MLCO2, 86400);
    flag(&p.gpu_power_w, 250);
    flag(&p.n_gpus, 8);
    flag(&p.cpu_power_w, 200);
    flag(&p.psf, 2);
    struct eco_post_result r = compute_ok(&p);
    CHECK_NEAR(WH(r.total_j), 105600, 1e-12);
    CHECK_NEAR(WH(r.it_j), 105600, 1e-12);
}

ECO_TEST(posteriori_co2e_and_names)
{
    /* 7574.472 Wh at 56 g/kWh = 7.574472 x 56 = 424.170432 g */
    CHECK_NEAR(eco_co2e_g(7574.472 * 3600, 56), 424.170432, 1e-12);
    enum eco_post_method m;
    struct eco_err e;
    CHECK_INT(eco_post_method_parse("green-algorithms", &m, &e), 0);
    CHECK_INT(m, ECO_POST_GREEN_ALGORITHMS);
    CHECK_INT(eco_post_method_parse("mlco2", &m, &e), 0);
    CHECK_INT(m, ECO_POST_MLCO2);
    CHECK_INT(eco_post_method_parse("magic", &m, &e), -1);
    CHECK_INT(e.code, 2);
    CHECK(strstr(e.hint, "--method mlco2") != NULL);
    CHECK_STR(eco_post_method_name(ECO_POST_MLCO2), "mlco2");
    CHECK_STR(eco_origin_name(ECO_ORIGIN_TABLE), "table");
}

/* ---- refusals ------------------------------------------------------------ */

static void expect_refusal(const struct eco_post_params *p, const char *in_msg, int line)
{
    struct eco_post_result r;
    struct eco_err e;
    eco_err_clear(&e);
    if (eco_posteriori_compute(p, &r, &e) == 0)
        eco_test_fail(__FILE__, line, "accepted input that should be refused (%s)", in_msg);
    if (e.code != 2 || !e.hint[0])
        eco_test_fail(__FILE__, line, "refusal without code 2 and a hint: %s", e.msg);
    if (!strstr(e.msg, in_msg))
        eco_test_fail(__FILE__, line, "message '%s' does not mention '%s'", e.msg, in_msg);
}

ECO_TEST(posteriori_refuses_bad_input)
{
    struct eco_post_params base = params(ECO_POST_GREEN_ALGORITHMS, 3600);
    flag(&base.gpu_power_w, 300);
    struct eco_post_params p;

    p = base; memset(&p.runtime_s, 0, sizeof p.runtime_s);
    expect_refusal(&p, "runtime", __LINE__);
    p = base; flag(&p.runtime_s, -1);
    expect_refusal(&p, "runtime", __LINE__);
    p = base; flag(&p.runtime_s, NAN);
    expect_refusal(&p, "runtime", __LINE__);
    p = base; flag(&p.gpu_usage, 1.5);
    expect_refusal(&p, "GPU usage", __LINE__);
    p = base; flag(&p.gpu_usage, -0.1);
    expect_refusal(&p, "GPU usage", __LINE__);
    p = base; flag(&p.cpu_power_w, 50); flag(&p.cpu_usage, 2);
    expect_refusal(&p, "CPU usage", __LINE__);
    p = base; flag(&p.n_gpus, -2);
    expect_refusal(&p, "GPUs", __LINE__);
    p = base; flag(&p.n_gpus, 1.5);
    expect_refusal(&p, "whole number", __LINE__);
    p = base; flag(&p.gpu_power_w, -300);
    expect_refusal(&p, "GPU power", __LINE__);
    p = base; flag(&p.memory_gb, -1);
    expect_refusal(&p, "memory", __LINE__);
    p = base; flag(&p.pue, 0.9);
    expect_refusal(&p, "PUE", __LINE__);
    p = base; flag(&p.psf, 0);
    expect_refusal(&p, "PSF", __LINE__);
    p = base; cpu_row(&p, 150, 20); flag(&p.cpu_power_w, 100);
    expect_refusal(&p, "twice", __LINE__);
    p = base; flag(&p.cpu_power_w, 100); flag(&p.cores, 4);
    expect_refusal(&p, "--cores", __LINE__);
    p = base; flag(&p.cores, 4);
    expect_refusal(&p, "--cores", __LINE__);
    p = base; cpu_row(&p, 150, 20); flag(&p.cores, 0);
    expect_refusal(&p, "cores", __LINE__);
    p = base; flag(&p.cpu_usage, 0.5);
    expect_refusal(&p, "without a CPU", __LINE__);
    p = params(ECO_POST_GREEN_ALGORITHMS, 3600); flag(&p.n_gpus, 4);
    expect_refusal(&p, "without a GPU", __LINE__);
    p = params(ECO_POST_GREEN_ALGORITHMS, 3600); flag(&p.memory_gb, 16);
    expect_refusal(&p, "nothing to estimate", __LINE__);
    p = base; p.method = (enum eco_post_method)7;
    expect_refusal(&p, "method", __LINE__);
}
