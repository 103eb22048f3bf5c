/* A run under an intensity series (--intensity-series): the run driver's
 * accounting of CO2e over time. Each call to eco_run_series_account takes
 * the energy measured since the previous call, spreads it evenly over that
 * interval (the meter's power is constant between two samples) and weighs
 * it by the series' exact time-mean over the interval, so a sample that
 * straddles a series boundary is split by time. Where the series has no
 * value (before, after, in a gap) the run's yearly intensity is used and
 * the time is counted as uncovered: said in the record's note, never
 * extrapolated from the series. */
#ifndef ECO_METER_RUN_SERIES_H
#define ECO_METER_RUN_SERIES_H

#include "carbon/series.h"
#include "meter/result.h"

struct eco_run_series {
    struct eco_series s;
    double fallback_g;          /* the run's yearly intensity */
    double start_unix, last_t, last_e;
    double co2e_g, energy_j, uncovered_s; /* accounted so far */
};

/* Load the series (err code 2 when it is bad). */
int eco_run_series_open(struct eco_run_series *rs, const char *path, enum eco_series_basis basis, double fallback_g,
                        struct eco_err *err);
void eco_run_series_close(struct eco_run_series *rs);
/* The run starts at start_unix with 0 J. */
void eco_run_series_start(struct eco_run_series *rs, double start_unix);
/* The run's energy is energy_j at now_unix. */
void eco_run_series_account(struct eco_run_series *rs, double now_unix, double energy_j);
/* The intensity at an instant (the fallback outside the series). */
double eco_run_series_now_g(const struct eco_run_series *rs, double now_unix);
/* The record's series fields up to end_unix: file, points covering the run,
 * note, energy-weighted intensity, uncovered time; `final`: also the advice
 * (the least-CO2e start in the series at the run's average power). */
void eco_run_series_fill(const struct eco_run_series *rs, struct eco_run_result *r, double end_unix, int final);

#endif
