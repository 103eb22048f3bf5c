/* The ledger: pure arithmetic (no I/O, no clock) that turns timestamped
 * readings into energy per domain, power series, gaps, and region energy.
 * The sampler feeds it; every rule below is pinned by tests/unit/test_ledger.c.
 *
 * Rules (also in docs/METHODOLOGY.md, "On the fly: measuring a run"):
 * - Energy counters: delta = cur - prev; when cur < prev the counter wrapped
 *   once and delta = cur + counter_max - prev (counter_max is the modulus,
 *   sensor.h). A single difference cannot tell one wrap from three: the
 *   sampler keeps the interval short enough that a counter cannot wrap twice
 *   (eco_ledger_safe_interval). A sample that comes so late anyway (the
 *   meter was not scheduled) keeps the one-wrap reading, and the note says so.
 * - A step is implausible when it implies more power than the kind's ceiling
 *   (eco_ledger_power_ceiling) over the time the energy could have taken to
 *   accumulate: from the reading before the counter's previous change to now
 *   (a counter that the hardware refreshes only every second or so jumps by a
 *   second's energy at once; that is not a glitch). Implausible: a counter
 *   that went backwards more than a wrap can explain, or jumped forward. It is
 *   counted, its interval is dropped (no energy, counted as a gap) and the
 *   counter is re-based on the new value.
 * - Power readings: trapezoid between consecutive good readings on the
 *   monotonic clock.
 * - Gaps (ok == 0): the time between the last good reading and the next good
 *   one is gap time. Counters bridge a gap exactly (the counter kept counting)
 *   unless it is long enough for two wraps at the ceiling, then the interval is
 *   dropped. Power is interpolated across a gap of at most
 *   ECO_LEDGER_MAX_BRIDGE intervals; over a longer gap no energy is invented.
 * - A vanished domain stops accumulating; its note says when.
 * - Totals add top-level domains (parent == -1) only, with one exception,
 *   the platform sanity check below. A parent may be a domain of another
 *   source (a GPU inside a Grace module): the meter resolves
 *   eco_domain.inside into the parent index, so this one rule counts each
 *   joule once across sources.
 * - Platform sanity check: a platform domain (psys, a board's input
 *   rail) holds the domains inside it, so once it has grown less than their
 *   sum (by more than ECO_LEDGER_CONTAINER_TOL of it, after at least
 *   ECO_LEDGER_CONTAINER_MIN_J) on every sample for ECO_LEDGER_CONTAINER_HOLD_S
 *   (a reader or writer stalled between two files is not a broken psys),
 *   it is not trusted for the rest of the run:
 *   the total adds the domains inside it instead (packages + DRAM rather than
 *   a psys some machines report below the package), and its note says why.
 *   eco_ledger_counted tells which domains the total adds. */
#ifndef ECO_METER_LEDGER_H
#define ECO_METER_LEDGER_H

#include <stddef.h>

#include "meter/result.h"
#include "sensors/sensor.h"

/* A power reading may be interpolated over a gap of at most this many nominal intervals. */
#define ECO_LEDGER_MAX_BRIDGE 3
/* Default maximum number of points kept per power series (when the series is
 * full its points are merged pairwise, energy-preserving, and each new point
 * then holds twice as many intervals: one width for the whole series). */
#define ECO_LEDGER_SERIES_MAX 2048
#define ECO_LEDGER_MAX_REGIONS 4096
#define ECO_LEDGER_MAX_OPEN 64
/* Platform sanity: relative margin and the least energy inside before judging
 * (two counters are read microseconds apart; a first sample is tiny). */
#define ECO_LEDGER_CONTAINER_TOL 0.01
#define ECO_LEDGER_CONTAINER_MIN_J 1.0
#define ECO_LEDGER_CONTAINER_HOLD_S 0.5

enum eco_counter_step {
    ECO_STEP_OK,        /* cur >= prev */
    ECO_STEP_WRAPPED,   /* cur < prev, explained by one wrap at counter_max */
    ECO_STEP_BACKWARDS, /* cur < prev and the counter does not wrap (counter_max == 0) */
};
/* The one counter-difference helper. *delta gets the difference in counter
 * units (0 for BACKWARDS). The plausibility of the delta is the caller's job. */
enum eco_counter_step eco_counter_diff(double prev, double cur, double counter_max, double *delta);
/* An energy counter's average power between two readings (`ecometer
 * sensors`' probe): the difference (eco_counter_diff, one wrap allowed) x
 * unit_j over the time between them; -1 when it went backwards or no time
 * passed. */
double eco_counter_power_w(const struct eco_domain *d, const struct eco_reading *first,
                           const struct eco_reading *last);

/* Highest power (W) a single domain of this kind can plausibly draw; used to
 * reject impossible steps and to size the sampling interval. */
double eco_ledger_power_ceiling(enum eco_kind kind);
/* The longest interval (s) at which this domain's counter cannot wrap twice,
 * with a factor-2 margin: counter range / ceiling / 2. 0 when it never wraps. */
double eco_ledger_safe_interval(const struct eco_domain *d);

struct eco_ledger_domain {
    struct eco_domain d;
    int has_prev;
    struct eco_reading prev;   /* last good reading */
    double t_change_base;      /* time of the reading before the counter's last change */
    int in_gap;                /* a failed reading since prev */
    int vanished;
    double energy_j, gap_s, covered_s, peak_w, last_w;
    double first_t;            /* monotonic time of the first good reading */
    long long n_wraps, n_implausible, n_gaps;
    int untrusted;             /* a platform domain that grew less than the domains inside it */
    int suspect;               /* ... on every sample since suspect_t (not yet for long enough) */
    double suspect_t;
    char note[256];
    struct eco_point *series;
    size_t n_series, cap_series;
    unsigned long series_gen;  /* +1 each time the points are merged (all change) */
    size_t per_point;          /* intervals a point holds: 1, doubled at each merge */
    size_t in_last;            /* intervals in the newest point so far (it grows in place) */
    double series_start;       /* run-relative start of the first point */
    double at_prev_j, at_last_j; /* energy_j at the ledger's last two samples (region breakdown) */
};

struct eco_ledger {
    struct eco_ledger_domain *dom;
    size_t n;
    double t0, interval_s;
    size_t series_max;         /* 0: keep no series */
    /* total (top-level) energy at the last sample, for region interpolation */
    double last_t, last_total_j, prev_t, prev_total_j;
    int n_samples;
    /* regions */
    struct eco_region_result *regions;
    double *region_e0, *region_e1; /* total energy at start / end (resolved) */
    int *region_open, *region_pending0, *region_pending1;
    /* each domain's energy at each region's start and end: region k's
     * values are region_dom_j[(2k + 0|1) * n + i] (resolved like region_e0/e1) */
    double *region_dom_j;
    size_t n_regions, cap_regions;
    size_t open_stack[ECO_LEDGER_MAX_OPEN];
    size_t n_open;
    long long items;
    long long rejected_markers;    /* unmatched end, too many regions, ... */
    int has_epoch;                 /* a region named epoch* has been closed */
    size_t first_epoch;            /* the first one (index into regions) */
};

/* domains: n of them, parent indices within this array (-1 top-level).
 * t0: monotonic start of the run; interval_s: nominal sampling interval. */
int eco_ledger_init(struct eco_ledger *l, const struct eco_domain *domains, size_t n, double t0,
                    double interval_s, struct eco_err *err);
void eco_ledger_free(struct eco_ledger *l);

/* One sample: r[i] is domain i's reading (r[i].t its monotonic time). */
void eco_ledger_add(struct eco_ledger *l, const struct eco_reading *r);
/* Domain i is gone (its source reported it vanished) at monotonic time t. */
void eco_ledger_vanish(struct eco_ledger *l, size_t i, double t, const char *why);

/* 1 when the total adds domain i: top-level, or inside only untrusted
 * platform domains (see the rules above), and not untrusted itself. */
int eco_ledger_counted(const struct eco_ledger *l, size_t i);
/* Totals over the counted domains. */
double eco_ledger_total_j(const struct eco_ledger *l);
double eco_ledger_total_estimated_j(const struct eco_ledger *l); /* estimated part of it */
double eco_ledger_power_w(const struct eco_ledger *l);           /* last interval, top-level */

/* Markers at monotonic time t. Names are at most 63 bytes (longer: truncated).
 * Return 0, or -1 when rejected (unmatched end, too many regions). */
int eco_ledger_begin(struct eco_ledger *l, const char *name, double t);
int eco_ledger_end(struct eco_ledger *l, const char *name, double t);
/* Adds to the innermost open region and to the run. The run's total is at
 * most ECO_ITEMS_MAX: a count beyond it is rejected (-1, rejected_markers). */
#define ECO_ITEMS_MAX 1000000000000000000LL /* 10^18, below LLONG_MAX (9.2 x 10^18) */
int eco_ledger_items(struct eco_ledger *l, long long count);

/* Close open regions at t_end, resolve pending markers, and copy domains,
 * series and regions into r (domains, regions, items, total_energy_j,
 * duration_s). baseline_w is used for the regions' net energy. The ledger
 * stays valid. Called again on the same r (a checkpoint), it reuses r's
 * arrays and copies only the power points added since (all of them only
 * after the ledger merged its points), so its cost does not grow with the
 * run's length. */
int eco_ledger_fill(struct eco_ledger *l, double t_end, double baseline_w, struct eco_run_result *r,
                    struct eco_err *err);

/* 1 when the first region named epoch* has ended and its energy is known:
 * *t_end (monotonic), *epoch_j (its energy), *total_j (run energy at its end). */
int eco_ledger_first_epoch(const struct eco_ledger *l, double *t_end, double *epoch_j, double *total_j);

/* The newest closed region called name (cut like a marker name): its index,
 * or -1 when none. */
long eco_ledger_find_closed(const struct eco_ledger *l, const char *name);
/* 1 when region k is closed and its start and end energies are known (not
 * waiting for the sample after them). */
int eco_ledger_region_resolved(const struct eco_ledger *l, size_t k);
/* Region k's energy in domain i (resolved regions; counted domains add up
 * to the region's energy). */
double eco_ledger_region_domain_j(const struct eco_ledger *l, size_t k, size_t i);

/* Energy of the total at monotonic time t, interpolated between the last two
 * samples (clamped). Used by tests and by the forecast. */
double eco_ledger_total_at(const struct eco_ledger *l, double t);

#endif
