/* The run driver: one measured session from start to record. It owns the
 * meter, the idle baseline, the carbon intensity, the run record and its
 * history checkpoints, and computes every derived figure (through
 * eco_run_derive) so that the commands (run, monitor), the C API session and
 * every output read the same record. The caller owns the event loop (it
 * polls eco_meter_timer_fd with its own fds: child, signals, markers) and
 * calls eco_run_driver_tick when the timer fires.
 *
 *   sensors -> ledger (meter) -> run driver -> record -> outputs */
#ifndef ECO_METER_RUN_DRIVER_H
#define ECO_METER_RUN_DRIVER_H

#include <stdio.h>

#include "carbon/intensity.h"
#include "carbon/series.h"
#include "core/err.h"
#include "meter/meter.h"
#include "meter/result.h"

struct eco_run_setup {
    const char *kind;          /* "run", "monitor", "session" */
    char *const *argv;         /* the command measured (run), or NULL */
    struct eco_meter_options meter;
    double baseline_s;         /* > 0: measure the idle machine first; else the stored baseline */
    int use_stored_baseline;   /* 0: no baseline at all (C API session) */
    const char *region;        /* --region, or NULL */
    double intensity;          /* --carbon-intensity, or < 0 */
    long long epochs;          /* --epochs N: forecast after the first epoch (0: none) */
    int keep_history;          /* save the record in the history (start, every 5 s, end) */
    const char *db_path;       /* NULL: the default history */
    FILE *notes;               /* warnings and notes (stderr), or NULL for none */
    int quiet;                 /* warnings only, no progress notes */
    /* --name, --tag (comma-separated), --project (meter/run_label.h); NULL: none */
    const char *name, *tags, *project;
    const char *intensity_series; /* --intensity-series FILE, or NULL (meter/run_series.h) */
    enum eco_series_basis series_basis; /* --series-basis: which Electricity Maps column */
    double lifetime_s;         /* --lifetime: service life for embodied figures (0: the default, 4 years) */
    double embodied_share;     /* --embodied-share: share of the devices charged, (0, 1] (0: all) */
    double for_s;              /* run --for: a fixed-time run stopped after for_s (0: fixed task) */
    double grace_s;            /* run --grace: SIGTERM to SIGKILL (recorded with for_s) */
};

struct eco_run_driver;

/* Resolve the intensity (err code 2 when the place is unknown), load the
 * intensity series if one is named (err code 2 when it is bad), open the
 * meter (err code 1) and the history (a failure is a warning on notes). */
struct eco_run_driver *eco_run_driver_open(const struct eco_run_setup *s, struct eco_err *err);
void eco_run_driver_close(struct eco_run_driver *d);

struct eco_meter *eco_run_driver_meter(struct eco_run_driver *d);
const struct eco_intensity *eco_run_driver_intensity(const struct eco_run_driver *d);

/* The idle baseline: measured for baseline_s, or the stored one when it was
 * measured on this host with these sensors (else none, with a warning). */
int eco_run_driver_baseline(struct eco_run_driver *d, struct eco_err *err);

/* Measure the idle machine for the setup's baseline_s into *out, before
 * start: the measurement of run --baseline D, and what `ecometer baseline`
 * stores (meter/baseline.h). 0, or -1 with err. */
struct eco_baseline;
int eco_run_driver_idle(struct eco_run_driver *d, struct eco_baseline *out, struct eco_err *err);

/* Describe the run (once), start measuring, save the record as incomplete. */
int eco_run_driver_start(struct eco_run_driver *d, struct eco_err *err);

/* Say what the session measures (the record's command, e.g. "python:
 * train.fit(3)"), after start; saved at once when the history is kept. */
void eco_run_driver_set_command(struct eco_run_driver *d, const char *command);

/* The timer fd is readable: sample; every 5 s refresh the record and save
 * it (a checkpoint: incomplete, short lock wait). Returns 1 if sampled. */
int eco_run_driver_tick(struct eco_run_driver *d);

/* The forecast, once, on the tick the first epoch's end became known (to
 * print it); NULL otherwise. It stays in the record. */
const struct eco_forecast *eco_run_driver_new_forecast(struct eco_run_driver *d);

/* Live figures since the start. */
struct eco_live {
    double power_w;            /* now, top-level domains */
    double energy_j, co2e_g;   /* since the start */
    double energy_per_hour_j, co2e_per_hour_g; /* at the power now */
    double intensity_g_per_kwh; /* now: the series' value at this instant, else the yearly figure */
};
void eco_run_driver_live(struct eco_run_driver *d, struct eco_live *out);

/* The measured session is over: last sample, final record (complete),
 * final save. exit_status/term_signal: the command's (-1 / 0 when none);
 * extra_rejected: marker datagrams rejected before reaching the meter. */
int eco_run_driver_finish(struct eco_run_driver *d, int exit_status, int term_signal, long long extra_rejected,
                          struct eco_err *err);

/* Name, tag and file the run (meter/run_label.h rules; NULL leaves one as
 * it is); saved with the next checkpoint and at the end. 0, or -1 with err
 * (code 2) and nothing changed. */
int eco_run_driver_set_label(struct eco_run_driver *d, const char *name, const char *tags, const char *project,
                             struct eco_err *err);
/* A fixed-time run's window ends now (ecometer is stopping the command): a
 * sample now, and the energy, items and time so far kept as the window's.
 * Called once; a run whose window never ended gets the whole run. */
void eco_run_driver_end_window(struct eco_run_driver *d);
/* How the command ended, for the record: "exited", "stopped", "killed". */
void eco_run_driver_child_end(struct eco_run_driver *d, const char *how);

/* The record: complete after finish, the last checkpoint before. */
const struct eco_run_result *eco_run_driver_record(const struct eco_run_driver *d);

#endif
