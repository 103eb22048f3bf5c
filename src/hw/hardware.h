/* Hardware tables (data/gpus.tsv, data/cpus.tsv), checked and indexed at build
 * time and compiled in, overridable by a user file, with fuzzy lookup of what
 * people type and of /proc/cpuinfo model strings. Implemented in src/hw/
 * (hardware.c; hw_rows.c, hw_index.c and tools/hw_gen.c for the tables). */
#ifndef ECO_HW_HARDWARE_H
#define ECO_HW_HARDWARE_H

#include <stddef.h>

#include "core/err.h"

struct eco_gpu {
    const char *name;      /* canonical, e.g. "NVIDIA A100 SXM4 40GB" */
    const char *aliases;   /* '|'-separated other names */
    const char *vendor;    /* NVIDIA, AMD, Intel */
    const char *kind;      /* datacenter, consumer, jetson, instinct, radeon... */
    double tdp_w;
    double memory_gb;
    double fp32_tflops;    /* peak dense FP32 */
    double fp16_tflops;    /* peak dense FP16/BF16 tensor (0 if none) */
    double int8_tops;      /* peak dense INT8 (0 if none) */
    const char *source;    /* where each figure comes from */
    int year;              /* year of the source */
    double mem_bw_gbs;     /* peak memory bandwidth, GB/s (0 if not known) */
    const char *mem_bw_source; /* where the bandwidth comes from ("" if not known) */
};

struct eco_cpu {
    const char *name;      /* canonical, e.g. "Intel Xeon Gold 6248" */
    const char *aliases;
    const char *vendor;
    int cores;
    int threads;
    double tdp_w;
    const char *source;
    int year;
    /* Device figures for `flops --device` (0 / "" where the table has none):
     * peak FP32 = cores x base_ghz x fp32_flops_per_cycle; bandwidth =
     * mem_channels x mem_mts x 8 bytes. */
    double base_ghz;
    double fp32_flops_per_cycle; /* per core, averaged over core types */
    int mem_channels;            /* 64-bit channels */
    double mem_mts;              /* MT/s */
    const char *device_source;
};

/* A CPU row's device figures: peak FP32 FLOP/s (cores x base clock x FLOPs
 * per cycle) and memory bandwidth in GB/s (channels x MT/s x 8 bytes); 0
 * when the row has no such figures. */
double eco_cpu_peak_flops(const struct eco_cpu *c);
double eco_cpu_mem_bw_gbs(const struct eco_cpu *c);

/* Whole tables (built-in rows, then rows of the user override file where set:
 * ECOMETER_GPU_TABLE / ECOMETER_CPU_TABLE name a TSV with the same columns; a
 * row whose name matches a built-in one replaces it). */
const struct eco_gpu *eco_gpu_table(size_t *n);
const struct eco_cpu *eco_cpu_table(size_t *n);

/* Fuzzy lookup: exact name or alias first, then normalised tokens. NULL with
 * err (code 2, hint listing the three closest names) when nothing fits. */
const struct eco_gpu *eco_gpu_find(const char *query, struct eco_err *err);
const struct eco_cpu *eco_cpu_find(const char *query, struct eco_err *err);

/* How a lookup matched, so callers can say which row was used and why. */
enum eco_hw_match_kind {
    ECO_HW_MATCH_NAME,  /* the query is the row's name (case/punctuation aside) */
    ECO_HW_MATCH_ALIAS, /* the query is one of the row's aliases, e.g. "a100" */
    ECO_HW_MATCH_FUZZY  /* best token-overlap score above the acceptance threshold */
};

struct eco_hw_match {
    enum eco_hw_match_kind kind;
    double score;  /* 0..1; 1 for name and alias matches */
    int from_user; /* the row comes from ECOMETER_GPU_TABLE / ECOMETER_CPU_TABLE */
};

/* Like eco_gpu_find / eco_cpu_find, and says how the row was matched (how may be NULL). */
const struct eco_gpu *eco_gpu_find_ex(const char *query, struct eco_hw_match *how,
                                      struct eco_err *err);
const struct eco_cpu *eco_cpu_find_ex(const char *query, struct eco_hw_match *how,
                                      struct eco_err *err);

/* Ranking of a whole table against a query, best first: fills up to max hits
 * (row index into eco_gpu_table()/eco_cpu_table() and score 0..1) and
 * returns how many were filled. Rows scoring 0 are left out. */
struct eco_hw_hit {
    size_t index;
    double score;
};
size_t eco_gpu_search(const char *query, struct eco_hw_hit *hits, size_t max);
size_t eco_cpu_search(const char *query, struct eco_hw_hit *hits, size_t max);

/* Load (once) both tables: the built-in ones (checked at build time) and the
 * override files, parsed and checked here; 0, or -1 with err naming
 * file:line when an override file is malformed. The
 * table and find functions call it themselves; a failed load makes
 * eco_*_table return NULL (n = 0) and eco_*_find fail with this error. */
int eco_hw_load(struct eco_err *err);
/* Forget the loaded tables (tests change the override variables). */
void eco_hw_reset(void);

/* The model string of this machine's CPU from /proc/cpuinfo (or the file named
 * by ECOMETER_CPUINFO, for tests) into buf; 0, or -1 when none is found. */
int eco_cpu_model_here(char *buf, size_t len);
/* The same from given cpuinfo text: "model name" (x86), else the ARM
 * implementer/part pair mapped to a core name ("ARM Neoverse-N1"), else the
 * "Model"/"Hardware" lines. Split out so tests can feed real cpuinfo dumps. */
int eco_cpu_model_from_cpuinfo(const char *text, char *buf, size_t len);

#endif
