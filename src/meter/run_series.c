/* The run driver's CO2e over time (see run_series.h). */
#include "meter/run_series.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "carbon/co2e.h"
#include "core/duration.h"
#include "core/units.h"
#include "meter/privdrop.h"

int eco_run_series_open(struct eco_run_series *rs, const char *path, enum eco_series_basis basis, double fallback_g,
                        struct eco_err *err)
{
    memset(rs, 0, sizeof *rs);
    /* Under sudo, read as the user who named the file: a root-only file must
     * not be read for them (its lines would show in the parse errors). */
    int as_user = eco_invoker_enter() == 0;
    int rc = eco_series_load(path, basis, &rs->s, err);
    if (as_user)
        eco_invoker_leave();
    if (rc != 0) {
        eco_err_hint(err, "--intensity-series takes a timestamp,g_per_kwh CSV or an Electricity Maps CSV export "
                          "(docs/METHODOLOGY.md, \"Carbon intensity over time\"); nothing was run");
        return -1;
    }
    rs->fallback_g = fallback_g;
    return 0;
}

void eco_run_series_close(struct eco_run_series *rs) { eco_series_free(&rs->s); }

void eco_run_series_start(struct eco_run_series *rs, double start_unix)
{
    rs->start_unix = rs->last_t = start_unix;
    rs->last_e = rs->co2e_g = rs->energy_j = rs->uncovered_s = 0;
}

void eco_run_series_account(struct eco_run_series *rs, double now_unix, double energy_j)
{
    if (!(now_unix > rs->last_t))
        return;
    double de = energy_j - rs->last_e, unc;
    double g = eco_series_mean_g(&rs->s, rs->last_t, now_unix, rs->fallback_g, &unc);
    rs->co2e_g += eco_co2e_g(de, g);
    rs->energy_j += de;
    rs->uncovered_s += unc;
    rs->last_t = now_unix;
    rs->last_e = energy_j;
}

double eco_run_series_now_g(const struct eco_run_series *rs, double now_unix)
{
    return eco_series_mean_g(&rs->s, now_unix, now_unix, rs->fallback_g, NULL);
}

/* "unix:g;" for every point overlapping [a, b), as many as fit; how many
 * points overlap is returned, how many were written in *kept. */
static size_t points_text(const struct eco_series *s, double a, double b, char *buf, size_t len, size_t *kept)
{
    size_t o = 0, n = 0;
    *kept = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->n && s->p[i].t < b; i++) {
        double end = i + 1 < s->n ? fmin(s->p[i + 1].t, s->p[i].t + s->step_s) : s->p[i].t + s->step_s;
        if (end <= a)
            continue;
        n++;
        char one[64];
        int k = snprintf(one, sizeof one, "%.0f:%g;", s->p[i].t, s->p[i].g);
        if (k > 0 && *kept == n - 1 && o + (size_t)k < len) {
            memcpy(buf + o, one, (size_t)k + 1);
            o += (size_t)k;
            ++*kept;
        }
    }
    return n;
}

static void note(const struct eco_run_series *rs, struct eco_run_result *r, double end_unix, size_t n, size_t kept)
{
    const struct eco_series *s = &rs->s;
    double dur = end_unix - rs->start_unix;
    char step[32], unc[160] = "", est[96] = "", pts[96] = "";
    eco_format_duration(s->step_s, step, sizeof step);
    if (rs->uncovered_s > 0)
        snprintf(unc, sizeof unc, "; %.0f s of the run (%.1f%%) had no value in the series (outside it or in a gap): "
                                  "the yearly %g g/kWh was used there",
                 rs->uncovered_s, dur > 0 ? 100 * rs->uncovered_s / dur : 0, rs->fallback_g);
    else
        snprintf(unc, sizeof unc, "; the series covers the whole run");
    if (s->n_estimated)
        snprintf(est, sizeof est, "; %zu of its rows are flagged estimated by Electricity Maps", s->n_estimated);
    if (kept < n)
        snprintf(pts, sizeof pts, "; the first %zu of the %zu points covering the run are stored", kept, n);
    snprintf(r->intensity_series_note, sizeof r->intensity_series_note, "%s (%s%s), a point every %s, %zu gaps%s%s%s",
             eco_series_format_name(s->format), s->format == ECO_SERIES_EMAPS ? eco_series_basis_name(s->basis) : "as written",
             s->format == ECO_SERIES_EMAPS ? " column" : "", step, s->n_gaps, unc, est, pts);
}

/* The least-CO2e start in the series for a run of this length at its
 * average power: energy x window mean, so the comparison is of window means. */
static void advice(const struct eco_run_series *rs, struct eco_run_result *r, double end_unix)
{
    double dur = end_unix - rs->start_unix;
    struct eco_series_window best, worst;
    r->advice_start_unix = r->advice_g_per_kwh = r->advice_actual_g_per_kwh = -1;
    if (!(dur > 0) || eco_series_best_window(&rs->s, dur, -INFINITY, INFINITY, &best, &worst) == 0)
        return;
    r->advice_start_unix = best.start;
    r->advice_g_per_kwh = best.mean_g;
    r->advice_actual_g_per_kwh = eco_series_mean_g(&rs->s, rs->start_unix, end_unix, rs->fallback_g, NULL);
}

void eco_run_series_fill(const struct eco_run_series *rs, struct eco_run_result *r, double end_unix, int final)
{
    snprintf(r->intensity_series, sizeof r->intensity_series, "%s", rs->s.name);
    size_t kept, n = points_text(&rs->s, rs->start_unix, end_unix, r->intensity_series_points,
                                 sizeof r->intensity_series_points, &kept);
    r->series_uncovered_s = rs->uncovered_s;
    /* g/kWh of the energy accounted; before any energy, the time-mean */
    r->series_intensity_g_per_kwh = rs->energy_j > 0 ? rs->co2e_g / eco_j_to_kwh(rs->energy_j)
                                    : eco_series_mean_g(&rs->s, rs->start_unix, end_unix, rs->fallback_g, NULL);
    note(rs, r, end_unix, n, kept);
    if (final)
        advice(rs, r, end_unix);
}
