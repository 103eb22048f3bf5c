/* The run driver (see run_driver.h). */
#include "meter/run_driver.h"
#include "core/clock.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "carbon/co2e.h"
#include "carbon/embodied.h"
#include "core/duration.h"
#include "core/units.h"
#include "meter/baseline.h"
#include "meter/run_derive.h"
#include "meter/run_history.h"
#include "meter/run_info.h"
#include "meter/run_label.h"
#include "meter/run_series.h"
#include "meter/sampler.h"
#include "sensors/cpuinfo.h"
#include "store/history.h"

#define CHECKPOINT_S 5.0

struct eco_run_driver {
    struct eco_run_setup s;
    struct eco_intensity in;
    struct eco_meter *m;
    struct eco_history *history;
    struct eco_run_result r;
    double last_save;          /* monotonic time of the last save attempt */
    int history_busy_warned;   /* a locked history was reported once already */
    int forecast_new;
    int window_ended;          /* eco_run_driver_end_window was called */
    int has_series;            /* --intensity-series given */
    struct eco_run_series series;
};

__attribute__((format(printf, 2, 3))) static void note(const struct eco_run_driver *d, const char *fmt, ...)
{
    if (!d->s.notes)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("ecometer: ", d->s.notes);
    vfprintf(d->s.notes, fmt, ap);
    fputc('\n', d->s.notes);
    va_end(ap);
}

struct eco_run_driver *eco_run_driver_open(const struct eco_run_setup *s, struct eco_err *err)
{
    struct eco_run_driver *d = calloc(1, sizeof *d);
    if (!d) {
        eco_err_set(err, 1, "out of memory");
        return NULL;
    }
    d->s = *s;
    if (eco_run_label_set(&d->r, s->name, s->tags, s->project, err) != 0 ||
        eco_intensity_resolve(s->region, s->intensity, &d->in, err) < 0) {
        free(d);
        return NULL;
    }
    if (s->intensity_series) {
        if (eco_run_series_open(&d->series, s->intensity_series, s->series_basis, d->in.g_per_kwh, err) != 0) {
            free(d);
            return NULL;
        }
        d->has_series = 1;
    }
    d->m = eco_meter_open(&s->meter, err);
    if (!d->m) {
        eco_run_series_close(&d->series);
        free(d);
        return NULL;
    }
    if (s->keep_history) {
        struct eco_err herr;
        eco_err_clear(&herr);
        d->history = eco_run_history_open(s->db_path, s->notes, &herr);
        if (!d->history) {
            note(d, "warning: the run will not be kept in the history: %s", herr.msg);
            if (herr.hint[0])
                note(d, "hint: %s", herr.hint);
        }
    }
    d->r.exit_status = -1;
    d->r.intensity_g_per_kwh = d->in.g_per_kwh;
    snprintf(d->r.intensity_label, sizeof d->r.intensity_label, "%s", d->in.label);
    snprintf(d->r.region_code, sizeof d->r.region_code, "%s", d->in.region ? d->in.region->code : "");
    d->r.intensity_is_default = d->in.is_default;
    d->r.forecast.epochs = 0;
    snprintf(d->r.baseline_source, sizeof d->r.baseline_source, "none");
    return d;
}

void eco_run_driver_close(struct eco_run_driver *d)
{
    if (!d)
        return;
    eco_run_result_free(&d->r);
    eco_run_series_close(&d->series);
    eco_history_close(d->history);
    eco_meter_close(d->m);
    free(d);
}

struct eco_meter *eco_run_driver_meter(struct eco_run_driver *d) { return d->m; }
const struct eco_intensity *eco_run_driver_intensity(const struct eco_run_driver *d) { return &d->in; }
const struct eco_run_result *eco_run_driver_record(const struct eco_run_driver *d) { return &d->r; }

/* The stored baseline, when it was measured here with these sensors. */
static void stored_baseline(struct eco_run_driver *d)
{
    struct eco_run_result *r = &d->r;
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_baseline b;
    int rc = eco_baseline_load(&b, &err);
    if (rc <= 0) {
        if (rc < 0)
            note(d, "warning: %s", err.msg);
        snprintf(r->baseline_source, sizeof r->baseline_source, rc < 0 ? "none (stored one unreadable)" : "none");
        return;
    }
    char host[128] = "", sig[512];
    gethostname(host, sizeof host - 1);
    eco_baseline_signature(d->m, sig, sizeof sig);
    if (strcmp(host, b.host) != 0 || strcmp(sig, b.sensors) != 0) {
        note(d, "warning: the stored baseline was measured %s; not used",
             strcmp(host, b.host) != 0 ? "on another host" : "with other sensors");
        note(d, "hint: run 'ecometer baseline' again on this machine");
        snprintf(r->baseline_source, sizeof r->baseline_source, "none (stored one does not match)");
        return;
    }
    r->baseline_w = b.watts;
    time_t t = (time_t)b.measured_unix;
    struct tm tm;
    char day[32];
    gmtime_r(&t, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    snprintf(r->baseline_source, sizeof r->baseline_source, "stored %s by 'ecometer baseline'", day);
}

int eco_run_driver_idle(struct eco_run_driver *d, struct eco_baseline *out, struct eco_err *err)
{
    return eco_baseline_measure(d->m, d->s.baseline_s, out, err);
}

int eco_run_driver_baseline(struct eco_run_driver *d, struct eco_err *err)
{
    char buf[64];
    if (d->s.baseline_s <= 0) {
        if (d->s.use_stored_baseline)
            stored_baseline(d);
        return 0;
    }
    if (!d->s.quiet)
        note(d, "measuring the idle baseline for %s; keep the machine idle...",
         eco_format_duration(d->s.baseline_s, buf, sizeof buf));
    struct eco_baseline b;
    if (eco_run_driver_idle(d, &b, err) < 0)
        return -1;
    d->r.baseline_w = b.watts;
    snprintf(d->r.baseline_source, sizeof d->r.baseline_source, "measured %s before the run%s",
             eco_format_duration(b.duration_s, buf, sizeof buf), b.estimated ? ", estimated" : "");
    return 0;
}

/* The energy measured since the last call, weighed by the intensity series
 * over the time it covers (meter/run_series.h). */
static void account(struct eco_run_driver *d)
{
    if (d->has_series)
        eco_run_series_account(&d->series, d->series.start_unix + eco_meter_elapsed_s(d->m),
                               eco_meter_energy_j(d->m));
}

/* The meter's figures into the record (only the new power points are
 * copied), the series' figures (final: with the advice), then every
 * derived figure. */
static int refresh(struct eco_run_driver *d, int final, struct eco_err *err)
{
    if (eco_meter_result(d->m, d->r.baseline_w, &d->r, err) != 0)
        return -1;
    if (d->has_series)
        eco_run_series_fill(&d->series, &d->r, d->series.last_t, final);
    eco_run_derive(&d->r);
    return 0;
}

/* Save the record. A checkpoint (record incomplete) waits only briefly for a
 * history locked by another process, so the sampling loop never stalls, and
 * is tried again at the next one; the final save waits the store's default. */
static void save(struct eco_run_driver *d)
{
    if (!d->history)
        return;
    d->last_save = eco_monotonic_s();
    struct eco_err err;
    eco_err_clear(&err);
    int final = d->r.complete;
    eco_history_set_busy_timeout(d->history, final ? 15000 : 250);
    if (eco_run_history_save(d->history, &d->r, &err) == 0)
        return;
    if (!final && strstr(err.msg, "locked by another process")) {
        if (!d->history_busy_warned)
            note(d, "warning: %s; trying again every 5 s and at the end", err.msg);
        d->history_busy_warned = 1;
        return;
    }
    note(d, "warning: could not save the run in the history: %s", err.msg);
    eco_history_close(d->history); /* one warning, not one per save */
    d->history = NULL;
}

/* The footprint of the hardware the record describes, once: the table
 * does not change during a run, and a stored run keeps the figure it had. */
static void embodied(struct eco_run_driver *d)
{
    struct eco_run_result *r = &d->r;
    /* sockets: the kernel's CPU topology where it is there; else embodied.c
     * derives them from the CPU count and the model's threads */
    struct eco_embodied_hw hw = {.cpu_model = r->cpu_model, .cpu_count = r->cpu_count,
                                 .cpu_sockets = eco_sensors_cpu_sockets_read(), .gpu_model = r->gpu_model,
                                 .gpu_count = r->gpu_count, .ram_gb = r->ram_gb};
    struct eco_embodied_footprint f;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_embodied_footprint_of(&hw, &f, &err) != 0) {
        note(d, "warning: no embodied emissions: %s", err.msg);
        return; /* lifetime stays 0: every output says none */
    }
    r->embodied_footprint_kg = f.kg;
    r->embodied_is_default = f.is_default;
    snprintf(r->embodied_basis, sizeof r->embodied_basis, "%s", f.basis);
    r->embodied_lifetime_s = d->s.lifetime_s > 0 ? d->s.lifetime_s : ECO_EMBODIED_LIFETIME_S;
    r->embodied_share = d->s.embodied_share > 0 ? d->s.embodied_share : ECO_EMBODIED_SHARE;
}

int eco_run_driver_start(struct eco_run_driver *d, struct eco_err *err)
{
    eco_run_info_fill(&d->r, d->s.kind, d->s.argv, d->m);
    embodied(d);
    if (!d->s.argv)
        snprintf(d->r.command, sizeof d->r.command, "(%s)", d->s.kind);
    if (eco_meter_start(d->m, err) < 0)
        return -1;
    /* The run starts at the meter's first reading: the power series and the
     * duration count from there, not from when the machine was described. */
    d->r.start_unix = eco_unix_now() - eco_meter_elapsed_s(d->m);
    if (d->has_series)
        eco_run_series_start(&d->series, d->r.start_unix);
    d->r.complete = 0;
    if (d->s.kind && strcmp(d->s.kind, "run") == 0) {
        snprintf(d->r.scenario, sizeof d->r.scenario, "%s", d->s.for_s > 0 ? "fixed-time" : "fixed-task");
        d->r.for_s = d->s.for_s;
        d->r.grace_s = d->s.for_s > 0 ? d->s.grace_s : 0;
    }
    if (refresh(d, 0, err) == 0)
        save(d);
    return 0;
}

void eco_run_driver_set_command(struct eco_run_driver *d, const char *command)
{
    snprintf(d->r.command, sizeof d->r.command, "%s", command);
    struct eco_err err;
    eco_err_clear(&err);
    if (refresh(d, 0, &err) == 0)
        save(d);
}

int eco_run_driver_tick(struct eco_run_driver *d)
{
    if (!eco_meter_on_timer(d->m))
        return 0;
    account(d);
    if (d->s.epochs > 0 && d->r.forecast.epochs == 0 && eco_meter_first_epoch(d->m, &d->r.forecast)) {
        d->r.forecast.epochs = d->s.epochs;
        eco_forecast_derive(&d->r.forecast, d->r.intensity_g_per_kwh);
        d->forecast_new = 1;
    }
    if (d->history && eco_monotonic_s() - d->last_save >= CHECKPOINT_S) {
        struct eco_err err;
        eco_err_clear(&err);
        if (refresh(d, 0, &err) == 0)
            save(d);
    }
    return 1;
}

int eco_run_driver_set_label(struct eco_run_driver *d, const char *name, const char *tags, const char *project,
                             struct eco_err *err)
{
    return eco_run_label_set(&d->r, name, tags, project, err);
}

const struct eco_forecast *eco_run_driver_new_forecast(struct eco_run_driver *d)
{
    if (!d->forecast_new)
        return NULL;
    d->forecast_new = 0;
    return &d->r.forecast;
}

void eco_run_driver_live(struct eco_run_driver *d, struct eco_live *out)
{
    out->power_w = eco_meter_power_w(d->m);
    out->energy_j = eco_meter_energy_j(d->m);
    out->intensity_g_per_kwh = d->in.g_per_kwh;
    out->co2e_g = eco_co2e_g(out->energy_j, d->in.g_per_kwh);
    if (d->has_series) { /* the series' CO2e: accounted up to now */
        account(d);
        out->intensity_g_per_kwh = eco_run_series_now_g(&d->series, d->series.last_t);
        out->co2e_g = d->series.co2e_g;
    }
    out->energy_per_hour_j = eco_wh_to_j(out->power_w);
    out->co2e_per_hour_g = eco_co2e_g_per_hour(out->power_w, out->intensity_g_per_kwh);
}

void eco_run_driver_end_window(struct eco_run_driver *d)
{
    if (d->window_ended)
        return;
    d->window_ended = 1;
    eco_meter_sample(d->m);
    d->r.window_s = eco_meter_elapsed_s(d->m);
    d->r.window_energy_j = eco_meter_energy_j(d->m);
    d->r.window_items = eco_meter_items_so_far(d->m);
}

void eco_run_driver_child_end(struct eco_run_driver *d, const char *how)
{
    snprintf(d->r.child_end, sizeof d->r.child_end, "%s", how ? how : "");
}

int eco_run_driver_finish(struct eco_run_driver *d, int exit_status, int term_signal, long long extra_rejected,
                          struct eco_err *err)
{
    eco_meter_finish(d->m);
    account(d);
    int rc = refresh(d, 1, err);
    if (!d->window_ended) { /* nothing was stopped: the window is the whole run */
        d->r.window_s = d->r.duration_s;
        d->r.window_energy_j = d->r.total_energy_j;
        d->r.window_items = d->r.items;
        eco_run_derive(&d->r);
    }
    d->r.end_unix = d->r.start_unix + d->r.duration_s; /* the same clock as the duration: end - start = duration */
    d->r.complete = 1;
    d->r.exit_status = exit_status;
    d->r.term_signal = term_signal;
    d->r.rejected_markers += extra_rejected;
    save(d);
    return rc;
}
