/* The figures of one `ecometer top` frame, computed here and only drawn by
 * render/tui.c or written by cli/cmd_top.c: each domain's power and the
 * full scale of its bar, per-process CPU-side power (CPU-time domains x the
 * process's share of busy CPU time, meter/proc_top.h), per-process GPU power
 * (meter/gpu_share.h), and the run driver's live energy and CO2e. */
#ifndef ECO_METER_TOP_FRAME_H
#define ECO_METER_TOP_FRAME_H

#include <stddef.h>
#include <sys/types.h>

#include "meter/proc_top.h"

#define ECO_TOP_MAX_DOMAINS 32
#define ECO_TOP_MAX_PROCS 12

struct eco_top_domain {
    char name[64];
    char kind[16];           /* "cpu-package", "dram", "gpu"... */
    int estimated;
    int top_level;           /* 0: part of another domain (not added to the total) */
    double watts;            /* over the last interval */
    double energy_j;         /* since start */
    double range_w;          /* the bar's full scale: the power limit, else the highest seen */
    int range_is_limit;      /* 1: range_w is the device's power limit */
};

struct eco_top_proc {
    pid_t pid;
    char comm[64];
    double cpu_pct;          /* of one CPU */
    double watts;            /* attributed: non-GPU power x share of busy CPU time */
};

/* A process's share of a GPU's power: an attribution estimate (the GPU's
 * power x its share of SM utilisation, from nvmlDeviceGetProcessUtilization),
 * not a measurement. */
struct eco_top_gpu_proc {
    pid_t pid;
    char comm[64];
    char gpu[64];            /* the GPU domain's name */
    int sm_pct;
    double watts;
};

struct eco_top_frame {
    double elapsed_s, interval_s;
    double power_w, energy_j;            /* top-level domains */
    double co2e_g, g_per_kwh;
    double energy_per_hour_j, co2e_per_hour_g; /* at the power now */
    char place[160];                     /* "FR (France, Ember 2023)" */
    int place_is_default;
    int any_estimated;
    struct eco_top_domain domains[ECO_TOP_MAX_DOMAINS];
    size_t n_domains;
    struct eco_top_proc procs[ECO_TOP_MAX_PROCS];
    size_t n_procs;
    struct eco_top_gpu_proc gpu_procs[ECO_TOP_MAX_PROCS];
    size_t n_gpu_procs;
    int n_gpus;                          /* NVML GPUs, for the GPU process section */
    char gpu_note[160];                  /* why there is no per-process GPU power, or "" */
    char note[256];                      /* e.g. "RAPL is root-only: CPU estimated" */
};

/* What `top` keeps from one frame to the next. */
struct eco_top_state {
    struct eco_proc_top pt;              /* the previous /proc scan */
    double peak_w[ECO_TOP_MAX_DOMAINS];  /* highest power seen per domain */
};

/* A process's CPU-side power: the power of the domains that follow CPU time
 * x the process's share of the machine's busy CPU time (0..1). An
 * attribution estimate, the same rule as the meter's attribution. */
double eco_top_proc_power_w(double cpu_side_w, double share);

/* A domain's bar scale into t->range_w: the device's power limit (limit_w >
 * 0) unless the power overshoots it by more than 20 %, else the highest
 * power seen, kept in *peak_w between frames. */
void eco_top_domain_range(struct eco_top_domain *t, double limit_w, double *peak_w);

/* The processes of a /proc scan (n < 0: none) into f->procs with their
 * CPU-side power (eco_top_proc_power_w). */
void eco_top_procs_fill(struct eco_top_frame *f, const struct eco_proc_share *shares, int n, double cpu_side_w);

/* Insert g into f->gpu_procs, largest power first, the list capped at
 * ECO_TOP_MAX_PROCS (a smaller one past the cap is dropped). */
void eco_top_gpu_proc_add(struct eco_top_frame *f, const struct eco_top_gpu_proc *g);

struct eco_run_driver;
/* Start: the first /proc scan (the starting point of the first shares). */
void eco_top_state_init(struct eco_top_state *st);
void eco_top_state_free(struct eco_top_state *st);
/* The frame from the driver's meter and a /proc scan period_s after the
 * previous one; at most top_n processes. */
void eco_top_frame_fill(struct eco_run_driver *drv, struct eco_top_state *st, double period_s, size_t top_n,
                        struct eco_top_frame *f);

#endif
