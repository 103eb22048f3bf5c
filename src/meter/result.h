/* What a measured run (or a monitor session) produced: the one structure the
 * sinks read (summary, JSON, SQLite history, CSV/CodeCarbon export, HTML
 * report, Prometheus). The meter fills it; sinks never compute energy. */
#ifndef ECO_METER_RESULT_H
#define ECO_METER_RESULT_H

#include <stddef.h>

#include "sensors/sensor.h"

/* Bounds of a run's name, project (each) and tag list (meter/run_label.c). */
#define ECO_RUN_NAME_MAX 64
#define ECO_RUN_TAGS_MAX 255

struct eco_point {
    double t;                 /* seconds since the run started */
    double watts;             /* average power over the interval ending at t */
};

struct eco_domain_result {
    char name[64];
    char device[128];
    enum eco_kind kind;
    enum eco_method method;
    int top_level;            /* 1 if counted in the total (not contained in another) */
    double energy_j;          /* over the whole run */
    double avg_w, peak_w;
    double gap_s;             /* time without a reading (sensor gaps) */
    char note[256];           /* e.g. "sensor vanished at 12.3 s" */
    struct eco_point *series; /* power over time */
    size_t n_series;
    size_t cap_series;        /* allocated points (the meter's refill; 0 otherwise) */
    unsigned long series_gen; /* the ledger's merge count the points copy */
};

struct eco_region_result {    /* a marker region: "epoch-3", or items counted */
    char name[64];
    double start_s, end_s;    /* since run start */
    double energy_j;          /* total energy in the region (top-level domains) */
    double net_energy_j;      /* minus baseline */
    long long items;          /* items counted inside it (0 if none) */
    /* derived (eco_run_derive) */
    double duration_s;        /* end_s - start_s */
    double co2e_g;            /* of energy_j at the run's intensity */
    double energy_per_item_j; /* energy_j / items; -1 when no item was counted */
};

/* --epochs N: the whole run forecast from its first epoch. The first four
 * are measured when that epoch ends; the last three are derived. */
struct eco_forecast {
    long long epochs;         /* N; 0: no forecast */
    double after_s;           /* when the first epoch ended, since the start */
    double first_epoch_s;     /* its duration */
    double first_epoch_energy_j;
    double energy_at_first_epoch_end_j; /* the run's energy up to then */
    double energy_j, co2e_g, duration_s;
};

struct eco_run_result {
    char id[40];              /* unique run id (time + random) */
    char kind[16];            /* "run" or "monitor" */
    char host[128];
    char os[128];
    char cpu_model[160];
    int cpu_count;            /* logical CPUs */
    char gpu_model[160];
    int gpu_count;
    double ram_gb;
    char command[2048];       /* argv joined with spaces (display only) */
    double start_unix, end_unix, duration_s;
    int exit_status;          /* child's exit status, or -1 */
    int term_signal;          /* signal that killed the child, or 0 */
    int complete;             /* 0 when cut short (ecometer interrupted / killed) */
    double interval_s;

    double baseline_w;        /* idle power subtracted (0 if none) */
    char baseline_source[64]; /* "measured 10 s before the run", "stored 2026-11-01", "none" */
    double total_energy_j;    /* sum of top-level domains */
    double net_energy_j;      /* total - baseline_w * duration (>= 0) */
    double attributed_energy_j; /* share of the process tree */
    char attribution_method[160];

    char region_code[48];
    char intensity_label[160];
    double intensity_g_per_kwh;
    int intensity_is_default;
    double co2e_g;            /* of total_energy_j */

    struct eco_domain_result *domains;
    size_t n_domains;
    /* A run from eco_history_list (domains not loaded): how many domains it
     * has in the history; 0 otherwise. */
    size_t listed_domains;
    struct eco_region_result *regions;
    size_t n_regions;
    long long items;          /* items counted over the whole run */

    /* Added by the meter (issue 4); zero when unknown. */
    double estimated_energy_j; /* part of total_energy_j that is estimated */
    long long rejected_markers;/* marker datagrams malformed or unmatched */
    char interval_note[256];   /* why the interval differs from the one asked for */
    char attribution_note[160];/* e.g. "GPU energy not attributed" */
    double attributed_share;   /* attributed / total seen by the attribution (0..1) */

    /* Derived by eco_run_derive (meter/run_derive.c), the one place that
     * computes figures from the measured ones; outputs only print them. */
    double net_co2e_g;         /* of net_energy_j */
    double energy_per_item_j;  /* total / items; -1 when no item was counted */
    double average_power_w;    /* total_energy_j / duration_s; 0 when the run has no duration */
    struct eco_forecast forecast;

    /* Named, tagged runs (issue 13; meter/run_label.h): what the user called
     * the run (--name), its tags (--tag, stored comma-separated in the order
     * given) and project (--project); "" when not given. */
    char name[ECO_RUN_NAME_MAX + 1];
    char tags[ECO_RUN_TAGS_MAX + 1];
    char project[ECO_RUN_NAME_MAX + 1];
    /* Recomputed for another place (show/compare/export/report --region or
     * --carbon-intensity, meter/run_recompute.h): the stored energy is kept,
     * the intensity and every CO2e figure are the other place's. */
    int intensity_recomputed;
    double recorded_intensity_g_per_kwh; /* the intensity the run was stored with */
    char recorded_label[160];   /* and its label, for the text outputs */
    /* Carbon intensity over time (issue 14, --intensity-series; schema 6).
     * Filled by the run driver (meter/run_series.c): the series file, the
     * points of it that cover the run, what it covered and assumed, the
     * energy-weighted intensity and the carbon-aware advice. */
    char intensity_series[256];          /* the file as given; "" when none */
    char intensity_series_points[4096];  /* "unix:g;..." covering the run (bounded: see the note) */
    char intensity_series_note[512];     /* coverage, gaps, what was assumed, points kept */
    double series_intensity_g_per_kwh;   /* energy-weighted mean over the run (0: no series) */
    double series_uncovered_s;           /* run time the series did not cover (the yearly figure used) */
    double advice_start_unix;            /* least-CO2e start in the series at the run's average power; -1: none */
    double advice_g_per_kwh;             /* mean intensity over that window */
    double advice_actual_g_per_kwh;      /* mean intensity over the run's own window, same basis */
    /* derived (eco_run_derive) */
    double series_co2e_g;                /* total_energy_j at series_intensity_g_per_kwh; -1: no series */
    double series_net_co2e_g;            /* net_energy_j at it; -1: no series */
    double advice_co2e_g;                /* total_energy_j over the best window; -1: no advice */
    double advice_saving_g;              /* over the run's own window minus the best one; -1: no advice */
    double advice_saving_pct;            /* that saving in % of the own window's; -1: no advice */
    /* Embodied emissions (issue 14): the manufacturing footprint of the
     * hardware the run used (carbon/embodied.c, looked up once by the run
     * driver from cpu_model, gpu_model/count and ram_gb), the service life
     * and share it is amortised with, and the derived figures. Beside
     * co2e_g, which stays operational, never added into it. */
    double embodied_footprint_kg;   /* the counted devices' footprints summed */
    double embodied_lifetime_s;     /* service life; 0: a run stored before embodied figures */
    double embodied_share;          /* share of the devices charged to the run, (0, 1] */
    int embodied_is_default;        /* a part took a default figure (no published one) */
    char embodied_basis[512];       /* which table rows, how many of each, why a default */
    double embodied_co2e_g;         /* derived: footprint x duration / lifetime x share; -1 none */
    double total_lifecycle_co2e_g;  /* derived: co2e_g + embodied_co2e_g; -1 none */
    /* Fixed-time runs (issue 14, `run --for`; history schema step 8). A
     * fixed-time run is stopped by ecometer after for_s; a fixed-task run
     * ends by itself. The window is the start up to the stop (the whole run
     * when nothing was stopped): items per joule is counted over it. */
    char scenario[16];         /* "fixed-time", "fixed-task", "" (monitor, older run) */
    double for_s;              /* --for: the time limit; 0 for a fixed-task run */
    double grace_s;            /* --grace: from SIGTERM to SIGKILL */
    char child_end[16];        /* "exited" (by itself), "stopped" (after SIGTERM at --for),
                                * "killed" (SIGKILL after --grace), "interrupted" (a signal
                                * to ecometer, passed on, ended it), "" (unknown) */
    double window_s;           /* from the start to the stop (or the end) */
    double window_energy_j;    /* energy (top-level domains) up to the stop */
    long long window_items;    /* items counted up to the stop */
    double items_per_j;        /* derived: window_items / window_energy_j; -1 when none */
};

void eco_run_result_free(struct eco_run_result *r);
/* 1 when nothing at all was measured or estimated (the run has no domain):
 * every output then says "not measured" (null in JSON, empty in CSV), never
 * "0 J, measured"; ECO_NOT_MEASURED_WHY says why. */
int eco_run_result_unmeasured(const struct eco_run_result *r);
#define ECO_NOT_MEASURED_WHY                                                                      \
    "no power sensor was readable and the CPU could not be estimated (its model unknown or not "   \
    "in ecometer's CPU table, and no --cpu or --cpu-tdp given) on the machine the run was made "   \
    "on; 'ecometer sensors' there says why and what would fix it"

#endif
