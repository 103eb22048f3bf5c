/* The two a-posteriori formulas. Everything here is arithmetic on figures the
 * caller resolved; the only knowledge kept here is each method's defaults
 * and constants, with their sources (docs/METHODOLOGY.md). */
#include "carbon/posteriori.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/units.h"

int eco_post_method_parse(const char *s, enum eco_post_method *out, struct eco_err *err)
{
    if (s && (strcasecmp(s, "green-algorithms") == 0 || strcasecmp(s, "greenalgorithms") == 0 ||
              strcasecmp(s, "ga") == 0)) {
        *out = ECO_POST_GREEN_ALGORITHMS;
        return 0;
    }
    if (s && (strcasecmp(s, "mlco2") == 0 || strcasecmp(s, "ml-co2") == 0 ||
              strcasecmp(s, "ml-co2-impact") == 0)) {
        *out = ECO_POST_MLCO2;
        return 0;
    }
    eco_err_set(err, ECO_EXIT_USAGE, "unknown method '%s'", s ? s : "");
    eco_err_hint(err, "use --method green-algorithms (the default) or --method mlco2");
    return -1;
}

const char *eco_post_method_name(enum eco_post_method m)
{
    return m == ECO_POST_MLCO2 ? "mlco2" : "green-algorithms";
}

const char *eco_post_method_citation(enum eco_post_method m)
{
    if (m == ECO_POST_MLCO2)
        return "ML CO2 Impact (Lacoste, Luccioni, Schmidt and Dandres 2019, arXiv:1910.09700): "
               "E = t x (n_gpu x P_gpu + P_cpu) at full power, PUE only when given";
    return "Green Algorithms (Lannelongue, Grealey and Inouye 2021, Adv. Sci. 8:2100707): "
           "E = t x (P_cpu x u_cpu + n_gpu x P_gpu x u_gpu + M x 0.3725 W/GB) x PUE x PSF";
}

const char *eco_origin_name(enum eco_origin o)
{
    switch (o) {
    case ECO_ORIGIN_FLAG: return "flag";
    case ECO_ORIGIN_TABLE: return "table";
    case ECO_ORIGIN_DEFAULT: return "default";
    case ECO_ORIGIN_DERIVED: return "derived";
    case ECO_ORIGIN_METHOD: return "method";
    case ECO_ORIGIN_SETTING: return "setting";
    default: return "unset";
    }
}

void eco_post_set(struct eco_post_value *v, double value, enum eco_origin origin, const char *fmt, ...)
{
    v->value = value == 0 ? 0.0 : value; /* "-0" given is 0, never printed as -0 */
    v->origin = origin;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->source, sizeof v->source, fmt, ap);
    va_end(ap);
}

static int given(const struct eco_post_value *v)
{
    return v->origin != ECO_ORIGIN_UNSET;
}

static void record(struct eco_post_result *r, const char *name, const char *unit, double value,
                   enum eco_origin origin, const char *source)
{
    if (r->n_inputs >= ECO_POST_MAX_INPUTS)
        return;
    struct eco_post_input *in = &r->inputs[r->n_inputs++];
    in->name = name;
    in->unit = unit;
    in->value = value;
    in->origin = origin;
    snprintf(in->source, sizeof in->source, "%s", source ? source : "");
}

static void record_value(struct eco_post_result *r, const char *name, const char *unit,
                         const struct eco_post_value *v)
{
    record(r, name, unit, v->value, v->origin, v->source);
}

static void note(struct eco_post_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct eco_post_result *r, const char *fmt, ...)
{
    if (r->n_notes >= ECO_POST_MAX_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->notes[r->n_notes++], sizeof r->notes[0], fmt, ap);
    va_end(ap);
}

/* A figure that must be finite and >= lo (and <= hi when hi > lo). */
static int check_range(const struct eco_post_value *v, const char *what, double lo, double hi,
                       const char *hint, struct eco_err *err)
{
    if (!given(v))
        return 0;
    int bad = !isfinite(v->value) || v->value < lo || (hi > lo && v->value > hi);
    if (!bad)
        return 0;
    if (hi > lo)
        eco_err_set(err, ECO_EXIT_USAGE, "%s must be between %g and %g, not %g (%s)", what, lo, hi,
                    v->value, v->source);
    else
        eco_err_set(err, ECO_EXIT_USAGE, "%s must be at least %g, not %g (%s)", what, lo, v->value,
                    v->source);
    eco_err_hint(err, "%s", hint);
    return -1;
}

static int check_all(const struct eco_post_params *p, struct eco_err *err)
{
    if (!given(&p->runtime_s)) {
        eco_err_set(err, ECO_EXIT_USAGE, "the job's runtime is missing");
        eco_err_hint(err, "give it with --runtime, e.g. --runtime 4h30m");
        return -1;
    }
    /* Every input has an upper bound (docs/METHODOLOGY.md, "Input ranges"),
     * far above any real job, so the products stay finite: nothing prints
     * as inf or NaN. */
    if (check_range(&p->runtime_s, "the runtime", 0, ECO_POST_MAX_RUNTIME_S, "give a duration such as --runtime 4h30m (at most 100 years)", err) ||
        check_range(&p->cpu_power_w, "the CPU power", 0, ECO_POST_MAX_CPU_W, "give the processor's power in watts, e.g. --cpu-power 150", err) ||
        check_range(&p->cpu_tdp_w, "the CPU TDP", 0, ECO_POST_MAX_CPU_W, "fix the TDP of this CPU in the table", err) ||
        check_range(&p->cpu_table_cores, "the CPU's core count", 1, ECO_POST_MAX_CORES, "fix the core count of this CPU in the table", err) ||
        check_range(&p->cores, "the number of cores", 1, ECO_POST_MAX_CORES, "give how many cores the job used, e.g. --cores 8", err) ||
        check_range(&p->cpu_usage, "the CPU usage", 0, 1, "give the average share of the cores used, e.g. --cpu-usage 0.5", err) ||
        check_range(&p->gpu_power_w, "the GPU power", 0, ECO_POST_MAX_GPU_W, "give one GPU's power in watts, e.g. --gpu-power 300", err) ||
        check_range(&p->n_gpus, "the number of GPUs", 0, ECO_POST_MAX_GPUS, "give how many GPUs the job used, e.g. --gpus 4", err) ||
        check_range(&p->gpu_usage, "the GPU usage", 0, 1, "give the average GPU utilisation, e.g. --gpu-usage 0.8", err) ||
        check_range(&p->memory_gb, "the memory", 0, ECO_POST_MAX_MEMORY_GB, "give the memory available to the job in GB, e.g. --memory 64", err) ||
        check_range(&p->pue, "the PUE", 1, ECO_POST_MAX_PUE, "PUE is facility energy / IT energy, so at least 1: e.g. --pue 1.2 (or --pue 1 for a laptop or desktop)", err) ||
        check_range(&p->psf, "the PSF", 1, ECO_POST_MAX_PSF, "the pragmatic scaling factor counts how many times the job ran, e.g. --psf 3", err))
        return -1;
    if (given(&p->cpu_power_w) && (given(&p->cpu_tdp_w) || given(&p->cpu_table_cores))) {
        eco_err_set(err, ECO_EXIT_USAGE, "the CPU is given twice: as a power and as a model");
        eco_err_hint(err, "give either --cpu-power W (the processor's power) or --cpu NAME [--cores N], not both");
        return -1;
    }
    if (given(&p->cpu_power_w) && given(&p->cores)) {
        eco_err_set(err, ECO_EXIT_USAGE, "--cores scales a CPU model's per-core TDP, but the CPU was given as a power");
        eco_err_hint(err, "give --cpu-power W as the power of the cores the job used (drop --cores), "
                          "or --cpu NAME --cores N");
        return -1;
    }
    if (given(&p->cpu_tdp_w) != given(&p->cpu_table_cores)) {
        eco_err_set(err, ECO_EXIT_USAGE, "a CPU model needs both its TDP and its core count");
        eco_err_hint(err, "check the CPU row in the table (ecometer hardware search NAME)");
        return -1;
    }
    if (given(&p->cores) && !given(&p->cpu_tdp_w)) {
        eco_err_set(err, ECO_EXIT_USAGE, "--cores needs a CPU model to take the per-core TDP from");
        eco_err_hint(err, "add --cpu NAME (see 'ecometer hardware search'), e.g. --cpu \"Xeon Gold 6248\" --cores 20");
        return -1;
    }
    if (given(&p->cpu_usage) && !given(&p->cpu_power_w) && !given(&p->cpu_tdp_w)) {
        eco_err_set(err, ECO_EXIT_USAGE, "--cpu-usage was given without a CPU");
        eco_err_hint(err, "add --cpu NAME or --cpu-power W");
        return -1;
    }
    if ((given(&p->n_gpus) || given(&p->gpu_usage)) && !given(&p->gpu_power_w)) {
        eco_err_set(err, ECO_EXIT_USAGE, "%s was given without a GPU",
                    given(&p->n_gpus) ? "--gpus" : "--gpu-usage");
        eco_err_hint(err, "add --gpu NAME (see 'ecometer hardware search') or --gpu-power W");
        return -1;
    }
    if (given(&p->n_gpus) && p->n_gpus.value != floor(p->n_gpus.value)) {
        eco_err_set(err, ECO_EXIT_USAGE, "the number of GPUs must be a whole number, not %g", p->n_gpus.value);
        eco_err_hint(err, "e.g. --gpus 4");
        return -1;
    }
    if (!given(&p->cpu_power_w) && !given(&p->cpu_tdp_w) && !given(&p->gpu_power_w)) {
        eco_err_set(err, ECO_EXIT_USAGE, "nothing to estimate: no CPU and no GPU given");
        eco_err_hint(err, "add --gpu NAME [--gpus N] or --gpu-power W, and/or --cpu NAME [--cores N] or --cpu-power W");
        return -1;
    }
    return 0;
}

/* What the usage factor of a device is called: its input (a name kept by
 * pointer: a literal), its flag, the device in the mlco2 note, the reason
 * of the default. */
struct usage_words {
    const char *input, *flag, *device, *default_why;
};
static const struct usage_words cpu_usage_words = {"cpu_usage", "--cpu-usage", "the CPU", "1: the cores fully used"};
static const struct usage_words gpu_usage_words = {"gpu_usage", "--gpu-usage", "GPUs", "1: GPUs fully used"};

/* A device's usage factor, recorded as an input: 1 under mlco2 (which
 * counts full power; a given one is ignored with a note), else the given
 * one, else 1 (fully used) by default. */
static double usage(struct eco_post_result *r, int ga, const struct eco_post_value *u, const struct usage_words *w)
{
    if (!ga) {
        record(r, w->input, "", 1, ECO_ORIGIN_METHOD, "mlco2 counts full power");
        if (given(u))
            note(r, "%s %g is ignored: the mlco2 method counts %s at full power", w->flag, u->value, w->device);
        return 1;
    }
    if (given(u)) {
        record_value(r, w->input, "", u);
        return u->value;
    }
    record(r, w->input, "", 1, ECO_ORIGIN_DEFAULT, w->default_why);
    return 1;
}

static void cpu_term(const struct eco_post_params *p, int ga, struct eco_post_result *r)
{
    double p_cpu = 0;
    if (given(&p->cpu_power_w)) {
        p_cpu = p->cpu_power_w.value;
        record_value(r, "cpu_power_w", "W", &p->cpu_power_w);
    } else if (given(&p->cpu_tdp_w)) {
        double per_core = p->cpu_tdp_w.value / p->cpu_table_cores.value;
        struct eco_post_value cores = p->cores;
        if (!given(&cores))
            eco_post_set(&cores, p->cpu_table_cores.value, ECO_ORIGIN_DEFAULT,
                         "all %g cores of the processor", p->cpu_table_cores.value);
        p_cpu = per_core * cores.value;
        record_value(r, "cpu_tdp_w", "W", &p->cpu_tdp_w);
        record_value(r, "cpu_table_cores", "", &p->cpu_table_cores);
        char why[200];
        snprintf(why, sizeof why, "TDP %g W / %g cores", p->cpu_tdp_w.value, p->cpu_table_cores.value);
        record(r, "cpu_power_per_core_w", "W", per_core, ECO_ORIGIN_DERIVED, why);
        record_value(r, "cores", "", &cores);
    } else {
        return; /* no CPU term */
    }
    r->cpu_w = p_cpu * usage(r, ga, &p->cpu_usage, &cpu_usage_words);
}

static void gpu_term(const struct eco_post_params *p, int ga, struct eco_post_result *r)
{
    if (!given(&p->gpu_power_w))
        return;
    double n = given(&p->n_gpus) ? p->n_gpus.value : 1;
    record_value(r, "gpu_power_w", "W", &p->gpu_power_w);
    if (given(&p->n_gpus))
        record_value(r, "n_gpus", "", &p->n_gpus);
    else
        record(r, "n_gpus", "", 1, ECO_ORIGIN_DEFAULT, "1 GPU");
    r->gpu_w = n * p->gpu_power_w.value * usage(r, ga, &p->gpu_usage, &gpu_usage_words);
}

/* Memory: Green Algorithms only. */
static void memory_term(const struct eco_post_params *p, int ga, struct eco_post_result *r)
{
    if (ga) {
        if (given(&p->memory_gb)) {
            record_value(r, "memory_gb", "GB", &p->memory_gb);
            r->memory_w = p->memory_gb.value * ECO_POST_MEMORY_W_PER_GB;
        } else {
            record(r, "memory_gb", "GB", 0, ECO_ORIGIN_DEFAULT, "not given: memory not counted");
            note(r, "no --memory given: the memory's power is not counted");
        }
        record(r, "memory_w_per_gb", "W/GB", ECO_POST_MEMORY_W_PER_GB, ECO_ORIGIN_METHOD,
               "Green Algorithms (Lannelongue et al. 2021)");
    } else if (given(&p->memory_gb)) {
        record_value(r, "memory_gb", "GB", &p->memory_gb);
        note(r, "--memory is ignored: the mlco2 method has no memory term");
    }
}

/* PUE: Green Algorithms always counts the facility; ML CO2 Impact's
 * calculator has none, so it applies only when given. PSF: runs. */
static void facility_terms(const struct eco_post_params *p, int ga, struct eco_post_result *r)
{
    if (given(&p->pue)) {
        r->pue = p->pue.value;
        record_value(r, "pue", "", &p->pue);
    } else if (ga) {
        r->pue = ECO_POST_DEFAULT_PUE;
        record(r, "pue", "", r->pue, ECO_ORIGIN_DEFAULT, ECO_POST_DEFAULT_PUE_SOURCE);
    } else {
        r->pue = 1;
        record(r, "pue", "", 1, ECO_ORIGIN_DEFAULT, "1: the ML CO2 Impact calculator has no PUE");
    }
    if (given(&p->psf)) {
        r->psf = p->psf.value;
        record_value(r, "psf", "", &p->psf);
    } else {
        r->psf = 1;
        record(r, "psf", "", 1, ECO_ORIGIN_DEFAULT, "1: the job ran once");
    }
}

int eco_posteriori_compute(const struct eco_post_params *p, struct eco_post_result *r, struct eco_err *err)
{
    memset(r, 0, sizeof *r);
    if (p->method != ECO_POST_GREEN_ALGORITHMS && p->method != ECO_POST_MLCO2) {
        eco_err_set(err, ECO_EXIT_USAGE, "unknown method %d", (int)p->method);
        eco_err_hint(err, "use --method green-algorithms or --method mlco2");
        return -1;
    }
    if (check_all(p, err))
        return -1;
    const int ga = p->method == ECO_POST_GREEN_ALGORITHMS;
    r->method = p->method;
    r->runtime_s = p->runtime_s.value;
    record_value(r, "runtime_s", "s", &p->runtime_s);
    cpu_term(p, ga, r);
    gpu_term(p, ga, r);
    memory_term(p, ga, r);
    facility_terms(p, ga, r);
    double scale = r->runtime_s * r->pue * r->psf;
    r->cpu_j = r->cpu_w * scale;
    r->gpu_j = r->gpu_w * scale;
    r->memory_j = r->memory_w * scale;
    r->total_j = r->cpu_j + r->gpu_j + r->memory_j;
    r->it_j = r->total_j / r->pue;
    return 0;
}
