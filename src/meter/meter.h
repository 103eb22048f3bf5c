/* The meter: one reusable object that owns the sensor set, the sampling
 * clock, the ledger and the attribution. `ecometer run`, `monitor`,
 * `baseline`, the C API (and later the Prometheus agent and `top`) all drive
 * it the same way:
 *
 *   m = eco_meter_open(&opt, &err);          // probe sensors, size the interval
 *   eco_meter_start(m, &err);                // t0, first reading, arm the timer
 *   loop: poll(eco_meter_timer_fd(m)) -> eco_meter_on_timer(m)
 *         (or eco_meter_wait_and_sample(m) in a thread)
 *   eco_meter_result(m, &result, &err);      // any time; final after the loop
 *   eco_meter_close(m);
 *
 * Marker calls and readers are safe from other threads (one mutex). */
#ifndef ECO_METER_METER_H
#define ECO_METER_METER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "meter/attribution.h"
#include "meter/ledger.h"
#include "meter/result.h"
#include "sensors/sensor.h"

struct eco_meter_options {
    double interval_s;     /* requested sampling interval (default 0.1 s) */
    int attribute;         /* attribute energy to a process tree */
    pid_t attr_root;       /* its root */
    int attr_include_root; /* 0: descendants only (the root is ecometer itself) */
    double attr_period_s;  /* /proc scan period (default 1 s, never below the interval) */
    int attr_root_alone;   /* the root has no descendant when the meter starts (run, before fork) */
    size_t series_max;     /* power points kept per domain (0: ECO_LEDGER_SERIES_MAX) */
};

struct eco_meter;

/* Probe every source (eco_sensors_open) and build the meter. */
struct eco_meter *eco_meter_open(const struct eco_meter_options *opt, struct eco_err *err);
/* Same on a sensor set the caller opened (tests use a fake one); the meter
 * takes it over and closes it. */
struct eco_meter *eco_meter_open_set(const struct eco_meter_options *opt, struct eco_sensor_set *set,
                                     struct eco_err *err);
void eco_meter_close(struct eco_meter *m);

/* The interval actually used, and why it differs from the one asked for ("" if not). */
double eco_meter_interval(const struct eco_meter *m);
const char *eco_meter_interval_note(const struct eco_meter *m);
const struct eco_sensor_set *eco_meter_sensors(const struct eco_meter *m);

/* (Re)start accounting now: fresh ledger and attribution, first reading,
 * timer armed. Calling it again discards what was measured (used after
 * measuring the idle baseline with the same sensors). */
int eco_meter_start(struct eco_meter *m, struct eco_err *err);
int eco_meter_timer_fd(const struct eco_meter *m);
/* The timer fd is readable: take one sample. Returns 1 if sampled. */
int eco_meter_on_timer(struct eco_meter *m);
/* Block until the next deadline and sample; 0 if a signal woke it first. */
int eco_meter_wait_and_sample(struct eco_meter *m);
/* Take a sample right now (at the end of a run). */
void eco_meter_sample(struct eco_meter *m);
/* The tree is known to be only its root now (see eco_attr_tree_is_root_only). */
void eco_meter_tree_is_root_only(struct eco_meter *m);
/* End of a run: a last sample now and a last attribution scan, timer stopped. */
void eco_meter_finish(struct eco_meter *m);
uint64_t eco_meter_missed_deadlines(const struct eco_meter *m);

/* Live figures. */
size_t eco_meter_n_domains(const struct eco_meter *m);
const struct eco_domain *eco_meter_domain(const struct eco_meter *m, size_t i);
double eco_meter_domain_power_w(struct eco_meter *m, size_t i);
double eco_meter_domain_energy_j(struct eco_meter *m, size_t i);
/* The processes NVML reports on domain i (an NVML GPU) since the last call
 * (with per-process SM utilisation where the driver gives it, sm_pct -1
 * otherwise); -1 when i is not an NVML GPU or the driver fails. */
struct eco_gpu_proc;
int eco_meter_gpu_processes(struct eco_meter *m, size_t i, struct eco_gpu_proc *out, size_t cap, size_t *n);
double eco_meter_power_w(struct eco_meter *m);   /* top-level, last interval */
double eco_meter_energy_j(struct eco_meter *m);  /* top-level, since start */
double eco_meter_elapsed_s(const struct eco_meter *m);
int eco_meter_any_estimated(const struct eco_meter *m);
/* Power now and energy so far of the domains that processes share by CPU
 * time (eco_kind_follows_cpu_time): what `top` and `serve` split between
 * processes. Either pointer may be NULL. */
void eco_meter_cpu_time_domains(struct eco_meter *m, double *power_w, double *energy_j); /* a top-level domain is estimated */

/* Markers, timestamped now. */
int eco_meter_begin(struct eco_meter *m, const char *name);
int eco_meter_end(struct eco_meter *m, const char *name);
void eco_meter_items(struct eco_meter *m, long long count);
long long eco_meter_items_so_far(struct eco_meter *m); /* items counted since the start */
/* `epoch N`: end the previous epoch-M begun this way, begin epoch-N. */
void eco_meter_epoch(struct eco_meter *m, long long n);
long long eco_meter_rejected_markers(struct eco_meter *m);
/* The first epoch* region has closed and its energy is known (see
 * eco_ledger_first_epoch): 1, with f's measured fields set (not epochs). */
int eco_meter_first_epoch(struct eco_meter *m, struct eco_forecast *f);

/* Fill the measured part of r: domains, regions, items, totals, net of
 * baseline_w, attribution, interval, duration (up to now). Other fields are
 * left as they are. Safe to call during the run (provisional figures). */
int eco_meter_result(struct eco_meter *m, double baseline_w, struct eco_run_result *r, struct eco_err *err);

#endif
