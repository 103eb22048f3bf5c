/* ecometer estimate: the a-posteriori energy and CO2e of a job from its
 * runtime, hardware and place. This file only reads flags, resolves names
 * (hardware table, carbon table) and prints; the arithmetic is in
 * src/carbon/posteriori.c and the equivalents in src/carbon/equivalents.c. */
#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon/equivalents.h"
#include "carbon/cloud_pue.h"
#include "carbon/co2e.h"
#include "carbon/intensity.h"
#include "carbon/posteriori.h"
#include "cli/cli.h"
#include "cli/estimate_embodied.h"
#include "cli/estimate_sacct.h"
#include "cli/opts.h"
#include "core/duration.h"
#include "core/format.h"
#include "core/numparse.h"
#include "core/settings.h"
#include "core/texttable.h"
#include "core/units.h"
#include "hw/hardware.h"
#include "render/region_json.h"

#define CMD "estimate"
#define MAX_COMPARE 64

static void usage(FILE *out)
{
    fprintf(out,
        "usage: ecometer estimate --runtime DURATION (--gpu NAME | --gpu-power W | --cpu NAME | --cpu-power W) [options]\n"
        "\n"
        "Estimate (nothing is measured) the energy and CO2e of a job from its runtime,\n"
        "hardware and place, with the Green Algorithms or the ML CO2 Impact formula.\n"
        "\n"
        "job:\n"
        "  --runtime DURATION       how long it ran: 250ms, 500s, 90m, 4h30m, 1d (bare number: seconds)\n"
        "hardware (at least one GPU or CPU):\n"
        "  --gpu NAME               GPU model; its TDP comes from the table (ecometer hardware search NAME)\n"
        "  --gpu-power W            or one GPU's power in watts\n"
        "  --gpus N                 number of GPUs (default 1)\n"
        "  --gpu-usage F            average GPU utilisation, 0..1 or a percentage (default 1)\n"
        "  --cpu NAME               CPU model; TDP and core count from the table\n"
        "  --cpu-power W            or the power of the cores the job used, in watts\n"
        "  --cores N                cores used, with --cpu (default: all of them); P = TDP / cores x N\n"
        "  --cpu-usage F            average usage of those cores, 0..1 or a percentage (default 1)\n"
        "  --memory GB              memory available to the job (green-algorithms: 0.3725 W/GB)\n"
        "facility:\n"
        "  --pue F                  power usage effectiveness, >= 1 (green-algorithms default %.2f,\n"
        "                           the Uptime Institute 2024 world average; use 1 for a laptop or desktop;\n"
        "                           mlco2: 1 unless given)\n"
        "  --psf N                  pragmatic scaling factor: how many times the job ran (default 1)\n"
        "place:\n"
        "  --region CODE            grid or cloud region: FR, US-CA, aws:eu-west-3 (see 'ecometer carbon')\n"
        "  --carbon-intensity G     or the grid's intensity in gCO2e/kWh\n"
        "  --compare-regions A,B,C  also show what the job emits in these regions\n"
        "finished Slurm jobs (instead of --runtime; one estimate per job, and the total):\n"
        "  --sacct FILE|-           sacct --parsable2 output; each job's Elapsed, NCPUS, GPUs and memory come\n"
        "                           from it, its CPU usage from TotalCPU; --cpu-power is then W per CPU\n"
        "  --sacct-map FILE         partition or node names -> hardware (docs/METHODOLOGY.md, \"Finished\n"
        "                           Slurm jobs\"); jobs no row matches take the hardware flags\n"
        "output:\n"
        "  --method M               green-algorithms (default) or mlco2\n"
        "  --format F               text (default), json or csv\n"
        ECO_ESTIMATE_EMBODIED_USAGE
        "\n"
        "example:\n"
        "  ecometer estimate --runtime 4h30m --gpu \"A100 SXM4 40GB\" --gpus 4 --gpu-usage 0.8 \\\n"
        "      --cpu \"Xeon Gold 6248\" --cores 20 --cpu-usage 0.5 --memory 128 --pue 1.2 --region FR\n"
        "\n"
        "Formulas, constants and sources: docs/METHODOLOGY.md, \"A posteriori\".\n",
        ECO_POST_DEFAULT_PUE);
}

/* ---- reading flags ------------------------------------------------------- */

static int given_flag(const struct eco_post_value *v)
{
    return v->origin != ECO_ORIGIN_UNSET;
}

static int bad_value(const char *flag, const char *text, const char *why, const char *example)
{
    fprintf(stderr, "ecometer: %s '%s': %s\n", flag, text, why);
    fprintf(stderr, "ecometer: hint: %s\n", example);
    return -1;
}

/* A finite number >= 0, the whole text. */
static int read_number(const char *flag, const char *text, double *out, const char *example)
{
    double v; /* decimal: hex floats are not figures people type */
    if (eco_num_double(text, -INFINITY, INFINITY, ECO_NUM_BLANKS | ECO_NUM_PLUS, &v) != ECO_NUM_OK)
        return bad_value(flag, text, "not a number", example);
    if (v < 0)
        return bad_value(flag, text, "must not be negative", example);
    *out = v;
    return 0;
}

/* A whole number >= min. */
static int read_count(const char *flag, const char *text, long min, double *out, const char *example)
{
    int64_t v;
    if (eco_num_i64(text, LONG_MIN, LONG_MAX, ECO_NUM_BLANKS, &v) != ECO_NUM_OK)
        return bad_value(flag, text, "not a whole number", example);
    if (v < min) {
        char why[64];
        snprintf(why, sizeof why, v < 0 ? "must not be negative" : "must be at least %ld", min);
        return bad_value(flag, text, why, example);
    }
    *out = (double)v;
    return 0;
}

/* A usage factor: 0..1, or a percentage "80%". */
static int read_usage(const char *flag, const char *text, double *out, const char *example)
{
    char buf[64];
    size_t n = strlen(text);
    int percent = n > 0 && n < sizeof buf && text[n - 1] == '%';
    if (percent) {
        memcpy(buf, text, n - 1);
        buf[n - 1] = 0;
    }
    double v;
    if (read_number(flag, percent ? buf : text, &v, example))
        return -1;
    if (percent)
        v /= 100;
    if (v > 1)
        return bad_value(flag, text, "a usage is a fraction between 0 and 1 (or a percentage up to 100%)", example);
    *out = v;
    return 0;
}

enum opt {
    O_RUNTIME = ECO_O_OWN, O_GPU, O_GPU_POWER, O_GPUS, O_GPU_USAGE, O_CPU_POWER, O_CORES,
    O_CPU_USAGE, O_MEMORY, O_PUE, O_PSF, O_COMPARE, O_METHOD, O_SACCT, O_SACCT_MAP
};

static const struct eco_opt options[] = {
    {"--runtime", NULL, "DURATION", O_RUNTIME, 0, NULL},
    {"--gpu", NULL, "NAME", O_GPU, 0, NULL},
    {"--gpu-power", NULL, "W", O_GPU_POWER, 0, NULL},
    {"--gpus", NULL, "N", O_GPUS, 0, NULL},
    {"--gpu-usage", NULL, "F", O_GPU_USAGE, 0, NULL},
    ECO_OPT_USE(cpu),
    {"--cpu-power", NULL, "W", O_CPU_POWER, 0, NULL},
    {"--cores", NULL, "N", O_CORES, 0, NULL},
    {"--cpu-usage", NULL, "F", O_CPU_USAGE, 0, NULL},
    {"--memory", NULL, "GB", O_MEMORY, 0, NULL},
    {"--pue", NULL, "F", O_PUE, 0, NULL},
    {"--psf", NULL, "N", O_PSF, 0, NULL},
    ECO_OPT_USE(region),
    ECO_OPT_USE(carbon_intensity),
    {"--compare-regions", NULL, "A,B,C", O_COMPARE, 0, NULL},
    {"--method", NULL, "M", O_METHOD, 0, NULL},
    ECO_OPT_USE(format),
    ECO_OPT_USE(lifetime),
    ECO_OPT_USE(embodied_share),
    {"--sacct", NULL, "FILE", O_SACCT, 0, NULL},
    {"--sacct-map", NULL, "FILE", O_SACCT_MAP, 0, NULL},
    ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_estimate = {CMD, options, NULL, usage};

struct request {
    struct eco_post_params p;
    enum eco_format format;
    const char *gpu_name, *cpu_name, *region, *compare;
    const char *sacct, *sacct_map; /* --sacct: estimate_sacct.c */
    double carbon_intensity; /* < 0: not given */
    const struct eco_gpu *gpu;
    const struct eco_cpu *cpu;
    struct eco_estimate_embodied emb;
};

/* The numeric hardware flags, one row each: how the value is read (a
 * number, a count from `min`, a usage fraction or percentage), the
 * parameter it sets (given by the flag) and the example of its error. */
enum { READ_NUMBER, READ_COUNT, READ_USAGE };
static const struct hardware_number {
    int id, read;
    long min;
    const char *flag;
    size_t param; /* offsetof a struct eco_post_value in struct eco_post_params */
    const char *example;
} hardware_numbers[] = {
    {O_GPU_POWER, READ_NUMBER, 0, "--gpu-power", offsetof(struct eco_post_params, gpu_power_w),
     "give one GPU's power in watts, e.g. --gpu-power 300"},
    {O_GPUS, READ_COUNT, 0, "--gpus", offsetof(struct eco_post_params, n_gpus), "give the number of GPUs, e.g. --gpus 4"},
    {O_GPU_USAGE, READ_USAGE, 0, "--gpu-usage", offsetof(struct eco_post_params, gpu_usage),
     "e.g. --gpu-usage 0.8 (or 80%) for 80% average utilisation"},
    {O_CPU_POWER, READ_NUMBER, 0, "--cpu-power", offsetof(struct eco_post_params, cpu_power_w),
     "give the processor's power in watts, e.g. --cpu-power 150"},
    {O_CORES, READ_COUNT, 1, "--cores", offsetof(struct eco_post_params, cores),
     "give how many cores the job used, e.g. --cores 8"},
    {O_CPU_USAGE, READ_USAGE, 0, "--cpu-usage", offsetof(struct eco_post_params, cpu_usage),
     "e.g. --cpu-usage 0.5 (or 50%) for half the cores' capacity"},
    {O_MEMORY, READ_NUMBER, 0, "--memory", offsetof(struct eco_post_params, memory_gb),
     "give the memory available to the job in GB, e.g. --memory 64"},
};

/* The hardware flags (GPU, CPU, memory): 1 taken, 0 not one of them, -1
 * after printing why the value is refused. */
static int hardware_flag(int c, const char *a, struct request *q)
{
    if (c == O_GPU)
        q->gpu_name = a;
    else if (c == ECO_O_CPU)
        q->cpu_name = a;
    if (c == O_GPU || c == ECO_O_CPU)
        return 1;
    for (size_t i = 0; i < sizeof hardware_numbers / sizeof hardware_numbers[0]; i++) {
        const struct hardware_number *h = &hardware_numbers[i];
        if (h->id != c)
            continue;
        double v;
        int bad = h->read == READ_NUMBER  ? read_number(h->flag, a, &v, h->example)
                  : h->read == READ_COUNT ? read_count(h->flag, a, h->min, &v, h->example)
                                          : read_usage(h->flag, a, &v, h->example);
        if (bad)
            return -1;
        eco_post_set((struct eco_post_value *)((char *)&q->p + h->param), v, ECO_ORIGIN_FLAG, "%s %s", h->flag, a);
        return 1;
    }
    return 0;
}

/* Flags that contradict each other, and the one that is required. */
static int check_request(const struct request *q)
{
    const struct eco_post_params *p = &q->p;
    /* Conflicting ways to say the same thing. */
    const char *conflict = NULL, *fix = NULL;
    if (q->gpu_name && given_flag(&p->gpu_power_w))
        conflict = "--gpu and --gpu-power", fix = "give the model (--gpu NAME, TDP from the table) or its power (--gpu-power W), not both";
    else if (q->cpu_name && given_flag(&p->cpu_power_w))
        conflict = "--cpu and --cpu-power", fix = "give the model (--cpu NAME [--cores N]) or the power of the cores used (--cpu-power W), not both";
    else if (q->region && q->carbon_intensity >= 0)
        conflict = "--region and --carbon-intensity", fix = "give the place (--region CODE) or the grid's intensity (--carbon-intensity G), not both";
    else if ((q->gpu_name || given_flag(&p->gpu_power_w)) && given_flag(&p->n_gpus) && p->n_gpus.value == 0)
        /* a GPU named and none counted: which one is meant is anybody's guess */
        conflict = q->gpu_name ? "--gpu and --gpus 0" : "--gpu-power and --gpus 0",
        fix = "for a job without a GPU leave out --gpu/--gpu-power; with GPUs give their number (--gpus N, N >= 1)";
    if (conflict) {
        fprintf(stderr, "ecometer: %s both given\necometer: hint: %s\n", conflict, fix);
        return -1;
    }
    if (q->sacct || q->sacct_map)
        return eco_sacct_check_flags(q->sacct, given_flag(&p->runtime_s), given_flag(&p->cores),
                                     given_flag(&p->n_gpus), given_flag(&p->memory_gb), given_flag(&p->cpu_usage),
                                     q->compare != NULL);
    if (!given_flag(&p->runtime_s)) {
        fprintf(stderr, "ecometer: the job's runtime is missing\n"
                        "ecometer: hint: add --runtime DURATION, e.g. --runtime 4h30m (see 'ecometer help estimate')\n");
        return -1;
    }
    return 0;
}

/* One option of the command line into the request: 0, or the exit code. */
static int take(void *ctx, int c, const char *a)
{
    struct request *q = ctx;
    struct eco_post_params *p = &q->p;
    struct eco_err err;
    eco_err_clear(&err);
    double v;
    int hw = hardware_flag(c, a, q);
    if (hw != 0)
        return hw < 0 ? ECO_EXIT_USAGE : 0;
    switch (c) {
    case O_RUNTIME:
        if (eco_duration_arg("--runtime", a, 0, ECO_DURATION_MAX_S, &v, &err))
            return eco_err_print(&err), ECO_EXIT_USAGE;
        eco_post_set(&p->runtime_s, v, ECO_ORIGIN_FLAG, "--runtime %s", a);
        return 0;
    case O_PUE:
        if (read_number("--pue", a, &v, "e.g. --pue 1.2 for a data centre, --pue 1 for a laptop or desktop"))
            return ECO_EXIT_USAGE;
        if (v < 1)
            return bad_value("--pue", a, "a PUE is facility energy / IT energy, so at least 1",
                             "e.g. --pue 1.2 for a data centre, --pue 1 for a laptop or desktop"), ECO_EXIT_USAGE;
        eco_post_set(&p->pue, v, ECO_ORIGIN_FLAG, "--pue %s", a);
        return 0;
    case O_PSF:
        if (read_count("--psf", a, 1, &v, "give how many times the job ran, e.g. --psf 3"))
            return ECO_EXIT_USAGE;
        eco_post_set(&p->psf, v, ECO_ORIGIN_FLAG, "--psf %s", a);
        return 0;
    case ECO_O_REGION: q->region = a; return 0;
    case ECO_O_CARBON_INTENSITY: /* the one rule for every command */
        return eco_intensity_parse(a, &q->carbon_intensity, &err) != 0 ? eco_err_print(&err), ECO_EXIT_USAGE : 0;
    case O_COMPARE: q->compare = a; return 0;
    case ECO_O_LIFETIME: return eco_estimate_embodied_flag("--lifetime", a, &q->emb) < 0 ? ECO_EXIT_USAGE : 0;
    case ECO_O_EMBODIED_SHARE:
        return eco_estimate_embodied_flag("--embodied-share", a, &q->emb) < 0 ? ECO_EXIT_USAGE : 0;
    case O_SACCT: q->sacct = a; return 0;
    case O_SACCT_MAP: q->sacct_map = a; return 0;
    case O_METHOD: return eco_post_method_parse(a, &p->method, &err) ? eco_err_print(&err), ECO_EXIT_USAGE : 0;
    case ECO_O_FORMAT: return eco_parse_format(a, &q->format, &err) ? eco_err_print(&err), ECO_EXIT_USAGE : 0;
    default:
        return eco_cli_usage_error(CMD, "unexpected argument '%s' (every input is a --flag VALUE; quote names "
                                        "with spaces)", a);
    }
}

/* ---- resolving names ----------------------------------------------------- */

static int resolve_hardware(struct request *q)
{
    struct eco_err err;
    eco_err_clear(&err);
    if (q->gpu_name) {
        q->gpu = eco_gpu_find(q->gpu_name, &err);
        if (!q->gpu)
            return eco_err_print(&err), -1;
        eco_post_set(&q->p.gpu_power_w, q->gpu->tdp_w, ECO_ORIGIN_TABLE, "%s TDP (%s, %d)",
                     q->gpu->name, q->gpu->source, q->gpu->year);
    }
    if (q->cpu_name) {
        q->cpu = eco_cpu_find(q->cpu_name, &err);
        if (!q->cpu)
            return eco_err_print(&err), -1;
        eco_post_set(&q->p.cpu_tdp_w, q->cpu->tdp_w, ECO_ORIGIN_TABLE, "%s TDP (%s, %d)",
                     q->cpu->name, q->cpu->source, q->cpu->year);
        eco_post_set(&q->p.cpu_table_cores, q->cpu->cores, ECO_ORIGIN_TABLE, "%s cores",
                     q->cpu->name);
    }
    return 0;
}

struct compared {
    const struct eco_region *region;
    double co2e_g;
};

/* "FR, DE,aws:eu-west-3" -> regions; unknown or empty names are errors. */
static int resolve_compare(const char *list, double total_j, struct compared *out, size_t *n)
{
    *n = 0;
    if (!list)
        return 0;
    char *copy = strdup(list);
    if (!copy)
        return fprintf(stderr, "ecometer: out of memory\n"), -1;
    int rc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        size_t len = strlen(tok);
        while (len && tok[len - 1] == ' ')
            tok[--len] = 0;
        if (!*tok)
            continue;
        if (*n >= MAX_COMPARE) {
            fprintf(stderr, "ecometer: --compare-regions lists more than %d regions\n"
                            "ecometer: hint: compare at most %d regions at once\n", MAX_COMPARE, MAX_COMPARE);
            rc = -1;
            break;
        }
        struct eco_err err;
        eco_err_clear(&err);
        const struct eco_region *r = eco_region_find(tok, &err);
        if (!r) {
            eco_err_print(&err);
            rc = -1;
            break;
        }
        out[*n].region = r;
        out[*n].co2e_g = eco_co2e_g(total_j, r->g_per_kwh);
        (*n)++;
    }
    free(copy);
    if (rc == 0 && *n == 0) {
        fprintf(stderr, "ecometer: --compare-regions '%s' names no region\n"
                        "ecometer: hint: list region codes separated by commas, e.g. --compare-regions FR,DE,US-CA\n",
                list);
        rc = -1;
    }
    return rc;
}

/* ---- output -------------------------------------------------------------- */

struct outcome {
    const struct request *q;
    struct eco_post_result r;
    struct eco_intensity ci;
    double co2e_g;
    struct compared cmp[MAX_COMPARE];
    size_t n_cmp;
    const struct eco_equiv_table *eq; /* may be NULL */
};

static const char *fmt_num(double v, char *buf, size_t len)
{
    if (v != 0 && fabs(v) < 0.01)
        snprintf(buf, len, "%.2g", v);
    else if (fabs(v) < 10)
        snprintf(buf, len, "%.2f", v);
    else if (fabs(v) < 1000)
        snprintf(buf, len, "%.1f", v);
    else
        snprintf(buf, len, "%.0f", v);
    return buf;
}

/* The carbon table's sources start with a short name ("Ember via OWID: ...",
 * "grid FR: ..."): the table shows that name and the year, the JSON the whole. */
static const char *short_source(const struct eco_region *g, char *buf, size_t len)
{
    const char *s = g->source ? g->source : "";
    size_t n = strcspn(s, ":;(");
    if (n > 40)
        n = 40;
    while (n && s[n - 1] == ' ')
        n--;
    snprintf(buf, len, "%.*s %d", (int)n, s, g->year);
    return buf;
}

/* Grid intensities are whole grams in most tables; keep a decimal when there is one. */
static const char *fmt_ci(double v, char *buf, size_t len)
{
    if (v == floor(v))
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%.1f", v);
    return buf;
}

/* Watts with one decimal: the parts of a breakdown are easier to compare in one unit. */
static const char *fmt_watts(double w, char *buf, size_t len)
{
    snprintf(buf, len, "%.1f W", w);
    return buf;
}

static void print_text(const struct outcome *o, FILE *out)
{
    const struct eco_post_result *r = &o->r;
    char a[64], b[64], d[200];
    fprintf(out, "ESTIMATE (computed from runtime and hardware figures, not measured)\n");
    fprintf(out, "method: %s\n", eco_post_method_citation(r->method));
    fprintf(out, "runtime: %s", eco_format_duration(r->runtime_s, a, sizeof a));
    fprintf(out, ", PUE %g, PSF %g\n\n", r->pue, r->psf);

    const char *hdr[] = {"part", ">power", ">energy", ">share"};
    struct eco_table *t = eco_table_new(4, hdr);
    struct { const char *name; double w, j; } parts[] = {
        {"cpu", r->cpu_w, r->cpu_j}, {"gpu", r->gpu_w, r->gpu_j}, {"memory", r->memory_w, r->memory_j},
    };
    for (size_t i = 0; i < 3; i++) {
        snprintf(d, sizeof d, "%.1f%%", r->total_j > 0 ? 100 * parts[i].j / r->total_j : 0.0);
        const char *row[] = {parts[i].name, fmt_watts(parts[i].w, a, sizeof a),
                             eco_fmt_energy(parts[i].j, b, sizeof b), d};
        eco_table_row(t, row);
    }
    const char *tot[] = {"total", fmt_watts(r->cpu_w + r->gpu_w + r->memory_w, a, sizeof a),
                         eco_fmt_energy(r->total_j, b, sizeof b), r->total_j > 0 ? "100.0%" : "0.0%"};
    eco_table_row(t, tot);
    eco_table_print(t, out);
    eco_table_free(t);
    fprintf(out, "(power: what the formula counts for each part; energy: x runtime x PUE x PSF;\n"
                 " the hardware itself drew %s, the facility overhead is the rest)\n\n",
            eco_fmt_energy(r->it_j, a, sizeof a));

    fprintf(out, "carbon intensity: %s gCO2e/kWh, %s\n", fmt_ci(o->ci.g_per_kwh, a, sizeof a), o->ci.label);
    fprintf(out, "CO2e: %s (estimate)\n", eco_fmt_mass(o->co2e_g, b, sizeof b));
    eco_estimate_embodied_text(out, &o->q->emb, o->co2e_g);

    if (o->n_cmp) {
        fprintf(out, "\nthe same job elsewhere:\n");
        const char *h2[] = {"region", "name", ">gCO2e/kWh", ">CO2e", "source"};
        t = eco_table_new(5, h2);
        for (size_t i = 0; i < o->n_cmp; i++) {
            const struct eco_region *g = o->cmp[i].region;
            short_source(g, d, sizeof d);
            const char *row[] = {g->code, g->name, fmt_ci(g->g_per_kwh, a, sizeof a),
                                 eco_fmt_mass(o->cmp[i].co2e_g, b, sizeof b), d};
            eco_table_row(t, row);
        }
        eco_table_print(t, out);
        eco_table_free(t);
    }

    if (o->eq && o->eq->n) {
        fprintf(out, "\nabout as much CO2e as:\n");
        for (size_t i = 0; i < o->eq->n; i++) {
            const struct eco_equivalent *e = &o->eq->rows[i];
            fprintf(out, "  %10s  %s (%s)\n", fmt_num(eco_equivalent_count(e, o->co2e_g), a, sizeof a),
                    e->label, e->cite);
        }
        fprintf(out, "  (sources and caveats: data/equivalents.tsv, docs/METHODOLOGY.md)\n");
    }

    fprintf(out, "\ninputs:\n");
    const char *h3[] = {"input", ">value", "unit", "from"};
    t = eco_table_new(4, h3);
    for (size_t i = 0; i < r->n_inputs; i++) {
        const struct eco_post_input *in = &r->inputs[i];
        snprintf(a, sizeof a, "%g", in->value);
        char from[260];
        snprintf(from, sizeof from, "%s: %s", eco_origin_name(in->origin), in->source);
        /* the table row's own source can be long: its name is what matters here */
        const char *row[] = {in->name, a, in->unit, from};
        eco_table_row(t, row);
    }
    eco_table_print(t, out);
    eco_table_free(t);
}

static double joules(double j) { return j; }

static cJSON *energy_json(const struct eco_post_result *r, double (*unit)(double joules))
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "cpu", unit(r->cpu_j));
    cJSON_AddNumberToObject(o, "gpu", unit(r->gpu_j));
    cJSON_AddNumberToObject(o, "memory", unit(r->memory_j));
    cJSON_AddNumberToObject(o, "total", unit(r->total_j));
    return o;
}

static int print_json(const struct outcome *o, FILE *out)
{
    const struct eco_post_result *r = &o->r;
    const struct request *q = o->q;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddBoolToObject(root, "estimate", 1);
    cJSON_AddStringToObject(root, "method", eco_post_method_name(r->method));
    cJSON_AddStringToObject(root, "method_citation", eco_post_method_citation(r->method));
    cJSON_AddNumberToObject(root, "runtime_s", r->runtime_s);
    cJSON *pw = cJSON_AddObjectToObject(root, "power_w");
    cJSON_AddNumberToObject(pw, "cpu", r->cpu_w);
    cJSON_AddNumberToObject(pw, "gpu", r->gpu_w);
    cJSON_AddNumberToObject(pw, "memory", r->memory_w);
    cJSON_AddItemToObject(root, "energy_wh", energy_json(r, eco_j_to_wh));
    cJSON_AddItemToObject(root, "energy_j", energy_json(r, joules));
    cJSON_AddNumberToObject(root, "it_energy_wh", eco_j_to_wh(r->it_j));
    cJSON_AddNumberToObject(root, "pue", r->pue);
    cJSON_AddNumberToObject(root, "psf", r->psf);
    cJSON_AddNumberToObject(root, "carbon_intensity_g_per_kwh", o->ci.g_per_kwh);
    cJSON_AddStringToObject(root, "carbon_intensity_source", o->ci.label);
    if (o->ci.region)
        cJSON_AddStringToObject(root, "region", o->ci.region->code);
    else
        cJSON_AddNullToObject(root, "region");
    cJSON_AddBoolToObject(root, "world_average_used", o->ci.is_default);
    cJSON_AddNumberToObject(root, "co2e_g", o->co2e_g);
    eco_estimate_embodied_json(root, &o->q->emb, o->co2e_g);
    cJSON *cmp = cJSON_AddArrayToObject(root, "compare_regions");
    for (size_t i = 0; i < o->n_cmp; i++) {
        cJSON *c = eco_region_json(o->cmp[i].region);
        cJSON_AddNumberToObject(c, "co2e_g", o->cmp[i].co2e_g);
        cJSON_AddItemToArray(cmp, c);
    }
    cJSON *eqs = cJSON_AddArrayToObject(root, "equivalents");
    for (size_t i = 0; o->eq && i < o->eq->n; i++) {
        const struct eco_equivalent *e = &o->eq->rows[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "key", e->key);
        cJSON_AddStringToObject(x, "label", e->label);
        cJSON_AddNumberToObject(x, "count", eco_equivalent_count(e, o->co2e_g));
        cJSON_AddNumberToObject(x, "g_co2e_per_unit", e->g_per_unit);
        cJSON_AddStringToObject(x, "basis", e->basis);
        cJSON_AddStringToObject(x, "source", e->source);
        cJSON_AddNumberToObject(x, "year", e->year);
        cJSON_AddItemToArray(eqs, x);
    }
    cJSON *hw = cJSON_AddObjectToObject(root, "hardware");
    if (q->gpu) {
        cJSON *g = cJSON_AddObjectToObject(hw, "gpu");
        cJSON_AddStringToObject(g, "name", q->gpu->name);
        cJSON_AddNumberToObject(g, "tdp_w", q->gpu->tdp_w);
        cJSON_AddStringToObject(g, "source", q->gpu->source);
        cJSON_AddNumberToObject(g, "year", q->gpu->year);
    } else {
        cJSON_AddNullToObject(hw, "gpu");
    }
    if (q->cpu) {
        cJSON *c = cJSON_AddObjectToObject(hw, "cpu");
        cJSON_AddStringToObject(c, "name", q->cpu->name);
        cJSON_AddNumberToObject(c, "tdp_w", q->cpu->tdp_w);
        cJSON_AddNumberToObject(c, "cores", q->cpu->cores);
        cJSON_AddStringToObject(c, "source", q->cpu->source);
        cJSON_AddNumberToObject(c, "year", q->cpu->year);
    } else {
        cJSON_AddNullToObject(hw, "cpu");
    }
    cJSON *ins = cJSON_AddObjectToObject(root, "inputs");
    for (size_t i = 0; i < r->n_inputs; i++) {
        const struct eco_post_input *in = &r->inputs[i];
        cJSON *x = cJSON_AddObjectToObject(ins, in->name);
        cJSON_AddNumberToObject(x, "value", in->value);
        cJSON_AddStringToObject(x, "unit", in->unit);
        cJSON_AddStringToObject(x, "origin", eco_origin_name(in->origin));
        cJSON_AddStringToObject(x, "source", in->source);
    }
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    for (size_t i = 0; i < r->n_notes; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(r->notes[i]));
    return eco_json_emit(out, root);
}

static void csv_num(FILE *out, double v)
{
    fprintf(out, "%.10g", v);
}

static void print_csv(const struct outcome *o, FILE *out)
{
    const struct eco_post_result *r = &o->r;
    const struct request *q = o->q;
    fputs("method,runtime_s,cpu_wh,gpu_wh,memory_wh,total_wh,pue,psf,gpu,n_gpus,cpu,cores,memory_gb,"
          "region,carbon_intensity_g_per_kwh,co2e_g", out);
    for (size_t i = 0; i < o->n_cmp; i++) {
        char name[96];
        snprintf(name, sizeof name, "co2e_g_%s", o->cmp[i].region->code);
        fputc(',', out);
        eco_csv_field(out, name);
    }
    eco_estimate_embodied_csv_header(out);
    fputc('\n', out);
    double n_gpus = 0, cores = 0, mem = 0;
    for (size_t i = 0; i < r->n_inputs; i++) {
        if (strcmp(r->inputs[i].name, "n_gpus") == 0) n_gpus = r->inputs[i].value;
        if (strcmp(r->inputs[i].name, "cores") == 0) cores = r->inputs[i].value;
        if (strcmp(r->inputs[i].name, "memory_gb") == 0) mem = r->inputs[i].value;
    }
    fprintf(out, "%s,", eco_post_method_name(r->method));
    double nums[] = {r->runtime_s, eco_j_to_wh(r->cpu_j), eco_j_to_wh(r->gpu_j),
                     eco_j_to_wh(r->memory_j), eco_j_to_wh(r->total_j), r->pue, r->psf};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        csv_num(out, nums[i]);
        fputc(',', out);
    }
    eco_csv_field(out, q->gpu ? q->gpu->name : (given_flag(&q->p.gpu_power_w) ? "(given power)" : ""));
    fputc(',', out);
    csv_num(out, n_gpus);
    fputc(',', out);
    eco_csv_field(out, q->cpu ? q->cpu->name : (given_flag(&q->p.cpu_power_w) ? "(given power)" : ""));
    fputc(',', out);
    csv_num(out, cores);
    fputc(',', out);
    csv_num(out, mem);
    fputc(',', out);
    eco_csv_field(out, o->ci.region ? o->ci.region->code : "");
    fputc(',', out);
    csv_num(out, o->ci.g_per_kwh);
    fputc(',', out);
    csv_num(out, o->co2e_g);
    for (size_t i = 0; i < o->n_cmp; i++) {
        fputc(',', out);
        csv_num(out, o->cmp[i].co2e_g);
    }
    eco_estimate_embodied_csv_row(out, &o->q->emb, o->co2e_g);
    fputc('\n', out);
}

/* ---- the command --------------------------------------------------------- */

/* No --pue: ECOMETER_PUE or pue = F in the config file (core/settings.h). */
static int pue_setting(struct request *q)
{
    struct eco_setting set;
    struct eco_err err;
    eco_err_clear(&err);
    int got = q->p.pue.origin == ECO_ORIGIN_UNSET ? eco_setting_get("pue", &set, &err) : 0;
    if (got < 0)
        return eco_err_print(&err), -1;
    double pue; /* checked by the setting's syntax (core/settings.c): 1..10 */
    if (got && eco_num_double(set.value, 1, 10, 0, &pue) == ECO_NUM_OK)
        eco_post_set(&q->p.pue, pue, ECO_ORIGIN_SETTING, "pue = %s from %s", set.value, set.where);
    return 0;
}

/* --sacct: the flags' hardware applies to jobs no map row matches. */
static int estimate_sacct(const struct request *q)
{
    struct eco_sacct_request s = {.path = q->sacct, .map_path = q->sacct_map, .base = q->p, .format = q->format};
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_intensity_resolve(q->region, q->carbon_intensity, &s.ci, &err))
        return eco_err_print(&err);
    char cpu[78] = "", gpu[78] = ""; /* both fit the label (160) */
    if (q->cpu)
        snprintf(cpu, sizeof cpu, "--cpu %.60s", q->cpu->name);
    else if (given_flag(&q->p.cpu_power_w))
        snprintf(cpu, sizeof cpu, "--cpu-power %g W/CPU", q->p.cpu_power_w.value);
    if (q->gpu)
        snprintf(gpu, sizeof gpu, "--gpu %.60s", q->gpu->name);
    else if (given_flag(&q->p.gpu_power_w))
        snprintf(gpu, sizeof gpu, "--gpu-power %g W", q->p.gpu_power_w.value);
    snprintf(s.flags_hw.label, sizeof s.flags_hw.label, "%s%s%s", cpu, cpu[0] && gpu[0] ? ", " : "", gpu);
    if (!q->sacct_map && !cpu[0] && !gpu[0])
        return eco_cli_usage_error(CMD, "--sacct needs the jobs' hardware: --cpu NAME or --cpu-power W (per CPU), "
                                        "--gpu NAME or --gpu-power W, or a --sacct-map FILE");
    s.flags_hw.cpu = q->cpu;
    s.flags_hw.gpu = q->gpu;
    if (given_flag(&q->p.cpu_power_w))
        s.flags_hw.cpu_w_per_core = q->p.cpu_power_w.value;
    if (given_flag(&q->p.gpu_power_w) && !q->gpu)
        s.flags_hw.gpu_w = q->p.gpu_power_w.value;
    if (s.ci.is_default)
        fprintf(stderr, "ecometer: warning: no --region given: using the world average, %g gCO2e/kWh (%s)\n",
                s.ci.g_per_kwh, s.ci.label);
    return eco_estimate_sacct(&s);
}

/* A cloud region without --pue: the provider's published fleet PUE is the
 * default, recorded as a default with its source (not the data-centre
 * average, which describes other buildings). */
static void cloud_default_pue(struct request *q, const struct eco_intensity *ci)
{
    const struct eco_cloud_pue *c = ci->region ? eco_cloud_pue_for(ci->region->code) : NULL;
    if (!c || given_flag(&q->p.pue))
        return;
    const char *url = strrchr(c->source, ';');
    eco_post_set(&q->p.pue, c->pue, ECO_ORIGIN_DEFAULT, "%s's published fleet PUE, %d, for cloud region %s (%s)",
                 c->name, c->year, ci->region->code, url ? url + 2 : c->source);
}

int eco_cmd_estimate(int argc, char **argv)
{
    static struct request q;
    static struct outcome o;
    memset(&q, 0, sizeof q);
    memset(&o, 0, sizeof o);
    q.carbon_intensity = -1;
    q.format = ECO_FMT_TEXT;
    q.p.method = ECO_POST_GREEN_ALGORITHMS;
    int prc = eco_opts_parse(&eco_opts_estimate, argc, argv, take, &q, NULL);
    if (prc != ECO_OPTS_GO_ON)
        return prc;
    if (check_request(&q) || resolve_hardware(&q) || pue_setting(&q))
        return ECO_EXIT_USAGE;

    struct eco_err err;
    eco_err_clear(&err);
    if (q.sacct)
        return estimate_sacct(&q);
    o.q = &q;
    if (eco_intensity_resolve(q.region, q.carbon_intensity, &o.ci, &err))
        return eco_err_print(&err);
    cloud_default_pue(&q, &o.ci);
    if (eco_posteriori_compute(&q.p, &o.r, &err))
        return eco_err_print(&err);
    if (resolve_compare(q.compare, o.r.total_j, o.cmp, &o.n_cmp))
        return ECO_EXIT_USAGE;
    o.co2e_g = eco_co2e_g(o.r.total_j, o.ci.g_per_kwh);
    eco_estimate_embodied_compute(&q.emb, q.gpu_name, q.cpu_name, &o.r);
    o.eq = eco_equivalents_builtin(&err);
    if (!o.eq)
        fprintf(stderr, "ecometer: warning: no everyday equivalents: %s\n", err.msg);

    if (o.ci.is_default)
        fprintf(stderr,
                "ecometer: warning: no --region given: using the world average, %g gCO2e/kWh (%s)\n"
                "ecometer: hint: add --region CODE (e.g. --region FR, --region aws:us-east-1; list: "
                "'ecometer carbon') or --carbon-intensity G\n",
                o.ci.g_per_kwh, o.ci.label);
    for (size_t i = 0; i < o.r.n_notes; i++)
        fprintf(stderr, "ecometer: note: %s\n", o.r.notes[i]);

    switch (q.format) {
    case ECO_FMT_JSON:
        if (print_json(&o, stdout))
            return fprintf(stderr, "ecometer: cannot write the JSON output\n"), ECO_EXIT_RUNTIME;
        break;
    case ECO_FMT_CSV:
        print_csv(&o, stdout);
        break;
    default:
        print_text(&o, stdout);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return fprintf(stderr, "ecometer: cannot write the output\n"), ECO_EXIT_RUNTIME;
    return ECO_EXIT_OK;
}
