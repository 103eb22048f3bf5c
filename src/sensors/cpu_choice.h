/* Which CPU figures the estimate uses (see docs/METHODOLOGY.md, "Estimated
 * CPU power"): the user's choice (--cpu NAME, --cpu-tdp W, or the variables
 * ECOMETER_CPU, ECOMETER_CPU_TDP), else the table row of the /proc/cpuinfo
 * model, else, when a virtual machine hides the model number ("Intel Xeon
 * Processor (Icelake)", "AMD EPYC Processor", "Common KVM processor"), a
 * generic power per hardware thread derived from the CPU table. */
#ifndef ECO_SENSORS_CPU_CHOICE_H
#define ECO_SENSORS_CPU_CHOICE_H

#include "core/err.h"
#include "hw/hardware.h"

/* Families of hidden models, each with its own generic figure. */
enum eco_cpu_hidden {
    ECO_CPU_NAMED = 0,     /* the string carries a model number */
    ECO_CPU_HIDDEN_XEON,   /* "Intel Xeon Processor (Icelake)", "Intel(R) Xeon(R) CPU @ 2.20GHz" */
    ECO_CPU_HIDDEN_EPYC,   /* "AMD EPYC Processor", "AMD EPYC-Rome Processor" */
    ECO_CPU_HIDDEN_SERVER, /* "Common KVM processor", "QEMU Virtual CPU version 2.5+", ... */
};
enum eco_cpu_hidden eco_cpu_hidden_kind(const char *model);

/* The generic figure of a family: the median of TDP / threads over the rows
 * of the CPU table whose name holds "Xeon" (Intel), "EPYC" (AMD) or either
 * (server), with the range and row count, to print its derivation. */
struct eco_cpu_generic {
    double w_per_thread, lo, hi;
    int n_rows;
    const char *family; /* "Intel Xeon", "AMD EPYC", "Intel Xeon and AMD EPYC" */
};
int eco_cpu_generic_figure(enum eco_cpu_hidden kind, struct eco_cpu_generic *g);

/* Set the user's choice: name / tdp from flags, NULL to take ECOMETER_CPU /
 * ECOMETER_CPU_TDP instead. A name must resolve to a table row, a TDP must be
 * a power in watts (0 < W <= 1000, "150" or "150W"); otherwise -1 with err
 * (code 2, naming the flag or variable, with a hint). */
int eco_cpu_choice_apply(const char *name, const char *tdp, struct eco_err *err);
/* Forget the choice (tests). */
void eco_cpu_choice_reset(void);

/* The figures the estimate uses for one socket of this machine's CPU. */
struct eco_cpu_figures {
    char model[160];        /* /proc/cpuinfo's model string, "" when unknown */
    const struct eco_cpu *row; /* the table row used, NULL when none */
    double tdp_w;           /* per socket (row's, or the user's --cpu-tdp); 0 with a generic figure */
    int threads;            /* per socket of the row; 0 when unknown (TDP over the CPUs online) */
    double w_per_thread;    /* tdp_w / threads, or the generic figure; 0 when threads is 0 */
    int generic;            /* 1: w_per_thread is the generic figure of a hidden model */
    int vm;                 /* the CPU runs under a hypervisor (cpuinfo flag, or a hidden model) */
    char source[224];       /* where the figures come from, printed with the estimate */
};
/* 0, or -1 with why (reason and fix) when the CPU cannot be estimated. */
int eco_cpu_figures_resolve(struct eco_cpu_figures *f, struct eco_err *why);

#endif
