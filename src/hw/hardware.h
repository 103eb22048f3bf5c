/* Hardware tables (data/gpus.tsv, data/cpus.tsv), compiled in, overridable by
 * a user file, with fuzzy lookup of what people type and of /proc/cpuinfo
 * model strings. Implemented in src/hw/hardware.c and src/hw/fuzzy.c. */
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
};

/* Whole tables (built-in rows, then rows of the user override file where set:
 * ECOMETER_GPU_TABLE / ECOMETER_CPU_TABLE name a TSV with the same columns; a
 * row whose name matches a built-in one replaces it). */
const struct eco_gpu *eco_gpu_table(size_t *n);
const struct eco_cpu *eco_cpu_table(size_t *n);

/* Fuzzy lookup: exact name or alias first, then normalised tokens. NULL with
 * err (code 2, hint listing the three closest names) when nothing fits. */
const struct eco_gpu *eco_gpu_find(const char *query, struct eco_err *err);
const struct eco_cpu *eco_cpu_find(const char *query, struct eco_err *err);

/* The model string of this machine's CPU from /proc/cpuinfo (or the file named
 * by ECOMETER_CPUINFO, for tests) into buf; 0, or -1 when none is found. */
int eco_cpu_model_here(char *buf, size_t len);

#endif
