/* The screen of `ecometer top`: full-screen curses (ncursesw) when standard
 * output is a terminal, one plain line per refresh otherwise. It only draws
 * what it is given (a frame); the figures come from the meter. */
#ifndef ECO_RENDER_TUI_H
#define ECO_RENDER_TUI_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

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

/* Lay the frame out in rows of at most width columns (height rows at most):
 * emit(ctx, row, text, style) with style 0 text, 1 heading, 2 measured bar,
 * 3 estimated bar. Shared by the curses screen and the tests. */
void eco_top_render(const struct eco_top_frame *f, int width, int height,
                    void (*emit)(void *ctx, int row, const char *text, int style), void *ctx);
/* One line for plain output ("12.0 s  123 W  ...  package-0 45.2 W ..."). */
void eco_top_plain_line(const struct eco_top_frame *f, FILE *out);

struct eco_tui;
/* plain: no curses, lines on out. NULL if curses cannot start (then use plain). */
struct eco_tui *eco_tui_open(int plain, FILE *out);
void eco_tui_draw(struct eco_tui *t, const struct eco_top_frame *f);
/* Wait up to ms for a key; 1 when the user pressed q (or Q). */
int eco_tui_wait(struct eco_tui *t, int ms);
void eco_tui_close(struct eco_tui *t);

#endif
