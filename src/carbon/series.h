/* Carbon intensity over time: a series of (instant, g/kWh) read from a file
 * (a simple `timestamp,g_per_kwh` CSV or an Electricity Maps zone export),
 * the time-mean intensity over an interval (exact for piecewise-constant
 * points), and the best window to run a job of a given length.
 *
 * Each point holds from its instant until the next point or for step_s
 * (the series' smallest spacing), whichever comes first: a longer spacing
 * is a gap, and in a gap or outside the series nothing is assumed here; the
 * caller says what it used instead (the run's yearly average). */
#ifndef ECO_CARBON_SERIES_H
#define ECO_CARBON_SERIES_H

#include <stddef.h>

#include "core/err.h"

/* Bounds of a series file (a year of 5-minute Electricity Maps rows is
 * ~105k rows, ~16 MB). */
#define ECO_SERIES_MAX_BYTES (64u << 20)
#define ECO_SERIES_MAX_ROWS 1000000u
#define ECO_SERIES_MAX_LINE 4096u

/* Which Electricity Maps column: lifecycle (the default, the basis of the
 * yearly table, data/carbon.tsv) or direct (combustion only). */
enum eco_series_basis { ECO_SERIES_LIFECYCLE, ECO_SERIES_DIRECT };
enum eco_series_format { ECO_SERIES_SIMPLE, ECO_SERIES_EMAPS };

struct eco_series_point {
    double t;                  /* unix seconds (a UTC instant) */
    double g;                  /* g CO2e per kWh from t on */
};

struct eco_series {
    char name[256];            /* the file as given */
    enum eco_series_format format;
    enum eco_series_basis basis; /* the column read (Electricity Maps); SIMPLE: as written */
    struct eco_series_point *p;
    size_t n;                  /* >= 2, strictly increasing t */
    size_t cap;                /* allocated points */
    double step_s;             /* the smallest spacing: how long a point holds at most */
    size_t n_gaps;             /* spacings longer than step_s (missing rows, empty values) */
    double gap_s;              /* their total time not covered */
    size_t n_empty;            /* rows with an empty intensity (each a gap) */
    size_t n_estimated;        /* Electricity Maps rows flagged "Data estimated" */
};

const char *eco_series_basis_name(enum eco_series_basis b);
const char *eco_series_format_name(enum eco_series_format f);
/* "lifecycle" or "direct" into *out; -1 with err (code 2) otherwise. */
int eco_series_basis_parse(const char *text, enum eco_series_basis *out, struct eco_err *err);

/* Parse a series from memory (len bytes, not NUL-terminated). `name` names
 * it in errors. Returns 0, or -1 with err (code 2: the input, with its line
 * number). On success out owns memory: eco_series_free. */
int eco_series_parse(const char *buf, size_t len, const char *name, enum eco_series_basis basis,
                     struct eco_series *out, struct eco_err *err);
/* Read and parse a file (regular files only, at most ECO_SERIES_MAX_BYTES). */
int eco_series_load(const char *path, enum eco_series_basis basis, struct eco_series *out, struct eco_err *err);
void eco_series_free(struct eco_series *s);

/* Where the series starts and ends (the last point's end). */
double eco_series_start(const struct eco_series *s);
double eco_series_end(const struct eco_series *s);

/* Time-mean intensity over [a, b] (a <= b; a == b: the value at a), using
 * `fallback_g` where the series has no value (outside it or in a gap);
 * *uncovered_s (may be NULL) gets how long that was. */
double eco_series_mean_g(const struct eco_series *s, double a, double b, double fallback_g, double *uncovered_s);

/* A window of a given length wholly covered by the series. */
struct eco_series_window {
    double start, end;         /* unix seconds */
    double mean_g;             /* time-mean intensity over it */
};
/* The windows of length dur_s starting in [from, to_start] (use -INFINITY /
 * INFINITY for the whole series) that the series covers without a gap: the
 * one with the lowest mean (earliest on a tie) and the highest. Exact: the
 * mean is piecewise linear in the start, so its extremes are at starts where
 * the window's start or end meets a point boundary, and every such start is
 * tried. Returns the number of candidate starts tried (0: no window fits). */
size_t eco_series_best_window(const struct eco_series *s, double dur_s, double from, double to_start,
                              struct eco_series_window *best, struct eco_series_window *worst);
/* The CO2e of drawing power_w over the window: its energy x its mean
 * intensity (carbon/co2e.c); -1 when no power was given (power_w < 0). */
double eco_series_window_co2e_g(const struct eco_series_window *w, double power_w);
/* How much less the best window emits than the worst at the same power, in
 * % of the worst's intensity; 0 when the worst is 0. */
double eco_series_saving_pct(const struct eco_series_window *best, const struct eco_series_window *worst);

/* Parse one timestamp: ISO 8601 (YYYY-MM-DD[T ]HH:MM[:SS[.fff]] followed by
 * Z, +HH:MM, +HHMM or +HH) or unix seconds (digits, optional fraction).
 * `assume_utc`: a date-time without a zone is UTC (Electricity Maps'
 * "Datetime (UTC)" column); otherwise it is refused (its instant is
 * ambiguous around a DST change). 0 with *unix set, or -1 with a reason in
 * why (room: why_len). */
int eco_series_parse_time(const char *text, int assume_utc, double *unix_s, char *why, size_t why_len);
/* An instant as "2026-03-29T01:00:00Z" into buf. */
char *eco_series_format_time(double unix_s, char *buf, size_t len);

#endif
