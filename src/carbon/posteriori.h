/* A-posteriori energy of a job from its runtime and hardware: the Green
 * Algorithms formula (Lannelongue, Grealey and Inouye 2021) and the ML CO2
 * Impact formula (Lacoste, Luccioni, Schmidt and Dandres 2019). Pure
 * arithmetic, no I/O: the caller resolves names to figures (hardware table,
 * flags) and says where each figure came from; this module applies the
 * method's defaults, checks ranges, computes the breakdown and keeps the
 * record of every input with its origin, so what is printed can be traced.
 * See docs/METHODOLOGY.md, "A posteriori". */
#ifndef ECO_CARBON_POSTERIORI_H
#define ECO_CARBON_POSTERIORI_H

#include <stddef.h>

#include "core/err.h"

enum eco_post_method {
    ECO_POST_GREEN_ALGORITHMS = 0, /* t x (Pc uc + n Pg ug + M x 0.3725) x PUE x PSF */
    ECO_POST_MLCO2 = 1             /* t x (n Pg + Pc), full power, PUE only when given */
};

/* Memory power per GB of memory available to the job (W/GB): Green
 * Algorithms, Lannelongue et al. 2021, from Karyakin and Salem 2017. */
#define ECO_POST_MEMORY_W_PER_GB 0.3725
/* PUE the Green Algorithms method uses when none is given: the average
 * annual PUE of the data centres in the Uptime Institute Global Data Center
 * Survey 2024. (Green Algorithms' 2021 paper used 1.67, the 2019 survey's.) */
#define ECO_POST_DEFAULT_PUE 1.56
#define ECO_POST_DEFAULT_PUE_SOURCE \
    "world data-centre average, Uptime Institute Global Data Center Survey 2024 " \
    "(use --pue 1 for a laptop or desktop)"

/* The largest value each input may take (refused with exit 2 beyond): far
 * above any real job (a GPU draws at most about 1.2 kW in 2025, a PUE
 * above 3 is rare), low enough that every product stays finite. */
#define ECO_POST_MAX_RUNTIME_S 3155760000.0 /* 100 years, as ECO_DURATION_MAX_S */
#define ECO_POST_MAX_GPU_W 10000.0          /* per GPU */
#define ECO_POST_MAX_GPUS 1000000.0
#define ECO_POST_MAX_CPU_W 100000.0
#define ECO_POST_MAX_CORES 10000000.0
#define ECO_POST_MAX_MEMORY_GB 100000000.0  /* 100 PB */
#define ECO_POST_MAX_PUE 10.0
#define ECO_POST_MAX_PSF 1000000.0

/* Where a figure came from. UNSET means "not given": the method's default
 * applies (or the part is absent). */
enum eco_origin {
    ECO_ORIGIN_UNSET = 0,
    ECO_ORIGIN_FLAG,    /* typed on the command line */
    ECO_ORIGIN_TABLE,   /* a row of a built-in or user table */
    ECO_ORIGIN_DEFAULT, /* the method's default */
    ECO_ORIGIN_DERIVED, /* computed from other inputs (per-core TDP) */
    ECO_ORIGIN_METHOD,  /* fixed by the method (0.3725 W/GB; mlco2's full power) */
    ECO_ORIGIN_SETTING  /* an environment variable or the config file (core/settings.h) */
};

struct eco_post_value {
    double value;
    enum eco_origin origin;
    char source[200]; /* "--gpu-power", "NVIDIA A100 SXM4 40GB TDP (NVIDIA datasheet, 2020)" */
};

/* What the caller knows. The CPU is given either as the power of the whole
 * processor (cpu_power_w) or, from a table row, as its TDP and its core count
 * (cpu_tdp_w, cpu_table_cores) with the number of cores the job used (cores;
 * unset = all of them): then P_cpu = TDP / table cores x cores. Set one way,
 * not both. A GPU is gpu_power_w (table TDP or given) x n_gpus (unset = 1). */
struct eco_post_params {
    enum eco_post_method method;
    struct eco_post_value runtime_s;
    struct eco_post_value cpu_power_w;
    struct eco_post_value cpu_tdp_w;
    struct eco_post_value cpu_table_cores;
    struct eco_post_value cores;
    struct eco_post_value cpu_usage;
    struct eco_post_value gpu_power_w;
    struct eco_post_value n_gpus;
    struct eco_post_value gpu_usage;
    struct eco_post_value memory_gb;
    struct eco_post_value pue;
    struct eco_post_value psf;
};

/* One input as used, for the record ("inputs" in JSON). */
struct eco_post_input {
    const char *name;       /* "runtime_s", "gpu_power_w", ... */
    const char *unit;       /* "s", "W", "GB", "" */
    double value;
    enum eco_origin origin;
    char source[200];
};

#define ECO_POST_MAX_INPUTS 16
#define ECO_POST_MAX_NOTES 6

struct eco_post_result {
    enum eco_post_method method;
    double runtime_s;
    double pue, psf;
    /* Average power of each part as the formula counts it (W, before PUE). */
    double cpu_w, gpu_w, memory_w;
    /* Energy of each part including PUE and PSF, so the parts add up to the
     * total (the same proportional split Green Algorithms shows), in J. */
    double cpu_j, gpu_j, memory_j, total_j;
    /* What the IT equipment itself drew (total / PUE), J. */
    double it_j;
    size_t n_inputs;
    struct eco_post_input inputs[ECO_POST_MAX_INPUTS];
    /* Things the user should know (a flag the method ignores...). */
    size_t n_notes;
    char notes[ECO_POST_MAX_NOTES][200];
};

/* "green-algorithms" | "mlco2" (also "ga", "ml-co2"); -1 with err (code 2). */
int eco_post_method_parse(const char *s, enum eco_post_method *out, struct eco_err *err);
const char *eco_post_method_name(enum eco_post_method m);
/* One line naming the method and its paper. */
const char *eco_post_method_citation(enum eco_post_method m);
const char *eco_origin_name(enum eco_origin o); /* "flag", "table", "default", "derived", "method", "setting" */

/* Set v to value with the given origin and printf-style source. */
void eco_post_set(struct eco_post_value *v, double value, enum eco_origin origin,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Apply defaults, check ranges, compute. 0, or -1 with err (code 2) on bad
 * input (negative or non-finite figures, usage outside 0..1, PUE < 1, both
 * CPU forms given, nothing to estimate). */
int eco_posteriori_compute(const struct eco_post_params *p, struct eco_post_result *r,
                           struct eco_err *err);

#endif
