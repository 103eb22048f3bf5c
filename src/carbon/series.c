/* Intensity series: loading, time-mean over an interval, best window (see
 * series.h). Pure arithmetic apart from eco_series_load. */
#include "carbon/series.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/safe_open.h"

const char *eco_series_basis_name(enum eco_series_basis b) { return b == ECO_SERIES_DIRECT ? "direct" : "lifecycle"; }

const char *eco_series_format_name(enum eco_series_format f)
{
    return f == ECO_SERIES_EMAPS ? "Electricity Maps export" : "timestamp,g_per_kwh CSV";
}

int eco_series_basis_parse(const char *text, enum eco_series_basis *out, struct eco_err *err)
{
    if (strcasecmp(text, "lifecycle") == 0 || strcasecmp(text, "lca") == 0)
        *out = ECO_SERIES_LIFECYCLE;
    else if (strcasecmp(text, "direct") == 0)
        *out = ECO_SERIES_DIRECT;
    else {
        eco_err_set(err, 2, "--series-basis %s: give lifecycle or direct", text);
        return -1;
    }
    return 0;
}

int eco_series_load(const char *path, enum eco_series_basis basis, struct eco_series *out, struct eco_err *err)
{
    memset(out, 0, sizeof *out);
    int fd = eco_open_regular(path, O_RDONLY, 0, "the intensity series", err);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size > (off_t)ECO_SERIES_MAX_BYTES) {
        close(fd);
        eco_err_set(err, 2, "%s: larger than %u MiB", path, ECO_SERIES_MAX_BYTES >> 20);
        eco_err_hint(err, "cut it to the days around your runs");
        return -1;
    }
    size_t size = (size_t)st.st_size, n = 0;
    char *buf = malloc(size ? size : 1);
    if (!buf) {
        close(fd);
        return eco_err_set(err, 1, "out of memory reading %s", path);
    }
    while (n < size) { /* a file that shrinks meanwhile is read as it now is */
        ssize_t k = read(fd, buf + n, size - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k < 0) {
                eco_err_set(err, 1, "cannot read %s: %s", path, strerror(errno));
                free(buf);
                close(fd);
                return -1;
            }
            break;
        }
        n += (size_t)k;
    }
    close(fd);
    int rc = eco_series_parse(buf, n, path, basis, out, err);
    free(buf);
    return rc;
}

void eco_series_free(struct eco_series *s)
{
    free(s->p);
    s->p = NULL;
    s->n = s->cap = 0;
}

double eco_series_start(const struct eco_series *s) { return s->n ? s->p[0].t : 0; }

/* Point i holds over [p[i].t, end_of(i)). */
static double end_of(const struct eco_series *s, size_t i)
{
    double e = s->p[i].t + s->step_s;
    /* the spacing equal to step_s within rounding: contiguous, no sliver of gap */
    return i + 1 < s->n && s->p[i + 1].t <= e + s->step_s * 1e-9 ? s->p[i + 1].t : e;
}

double eco_series_end(const struct eco_series *s) { return s->n ? end_of(s, s->n - 1) : 0; }

/* The last point whose start is <= t, or SIZE_MAX when t is before the first. */
static size_t point_at(const struct eco_series *s, double t)
{
    if (s->n == 0 || t < s->p[0].t)
        return (size_t)-1;
    size_t lo = 0, hi = s->n; /* p[lo].t <= t < p[hi].t */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->p[mid].t <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Integral of the intensity over the covered part of [a, b] (g/kWh x s),
 * and how long that part is. */
static double integral(const struct eco_series *s, double a, double b, double *covered)
{
    double sum = 0, cov = 0;
    size_t i = point_at(s, a);
    if (i == (size_t)-1)
        i = 0;
    for (; i < s->n && s->p[i].t < b; i++) {
        double lo = fmax(a, s->p[i].t), hi = fmin(b, end_of(s, i));
        if (hi > lo) {
            sum += s->p[i].g * (hi - lo);
            cov += hi - lo;
        }
    }
    *covered = cov;
    return sum;
}

double eco_series_mean_g(const struct eco_series *s, double a, double b, double fallback_g, double *uncovered_s)
{
    if (!(b > a)) { /* an instant: the value there */
        size_t i = point_at(s, a);
        int in = i != (size_t)-1 && a < end_of(s, i);
        if (uncovered_s)
            *uncovered_s = 0;
        return in ? s->p[i].g : fallback_g;
    }
    double cov, sum = integral(s, a, b, &cov);
    double unc = (b - a) - cov;
    if (unc < 0)
        unc = 0;
    if (uncovered_s)
        *uncovered_s = unc;
    return (sum + fallback_g * unc) / (b - a);
}

/* The search: reach[i] is where the covered stretch holding point i ends;
 * cum[i] the integral from the first point to point i, so a window's
 * integral is two lookups (a year of 5-minute points and a week's window
 * would otherwise cost 10^9 steps). */
struct search {
    const struct eco_series *s;
    double *reach, *cum;
    double dur, from, to;
    struct eco_series_window *best, *worst;
    size_t tried;
};

static double cumulative(const struct search *q, double x)
{
    size_t i = point_at(q->s, x);
    if (i == (size_t)-1)
        return 0;
    const struct eco_series_point *p = &q->s->p[i];
    return q->cum[i] + p->g * fmin(x - p->t, end_of(q->s, i) - p->t);
}

/* One candidate start x (ties within rounding: the earliest). */
static void consider(struct search *q, double x)
{
    const struct eco_series *s = q->s;
    if (!(x >= q->from && x <= q->to))
        return;
    size_t i = point_at(s, x);
    if (i == (size_t)-1 || x >= end_of(s, i) || x + q->dur > q->reach[i] + s->step_s * 1e-9)
        return; /* not wholly covered */
    double mean = (cumulative(q, x + q->dur) - cumulative(q, x)) / q->dur;
    struct eco_series_window *b = q->best, *w = q->worst;
    if (q->tried == 0 || mean < b->mean_g * (1 - 1e-10) || (mean <= b->mean_g * (1 + 1e-10) && x < b->start))
        *b = (struct eco_series_window){x, x + q->dur, mean};
    if (q->tried == 0 || mean > w->mean_g * (1 + 1e-10) || (mean >= w->mean_g * (1 - 1e-10) && x < w->start))
        *w = (struct eco_series_window){x, x + q->dur, mean};
    q->tried++;
}

/* The winners' means again, summed over their own points (no long sums). */
static void exact_mean(const struct eco_series *s, struct eco_series_window *w)
{
    double cov;
    w->mean_g = integral(s, w->start, w->end, &cov) / (w->end - w->start);
}

size_t eco_series_best_window(const struct eco_series *s, double dur_s, double from, double to_start,
                              struct eco_series_window *best, struct eco_series_window *worst)
{
    if (!(dur_s > 0) || s->n == 0)
        return 0;
    struct search q = {s, malloc(s->n * sizeof *q.reach), malloc(s->n * sizeof *q.cum), dur_s, from, to_start,
                       best, worst, 0};
    if (!q.reach || !q.cum) {
        free(q.reach);
        free(q.cum);
        return 0;
    }
    q.reach[s->n - 1] = end_of(s, s->n - 1);
    for (size_t i = s->n - 1; i-- > 0;)
        q.reach[i] = end_of(s, i) >= s->p[i + 1].t ? q.reach[i + 1] : end_of(s, i);
    q.cum[0] = 0;
    for (size_t i = 1; i < s->n; i++)
        q.cum[i] = q.cum[i - 1] + s->p[i - 1].g * (end_of(s, i - 1) - s->p[i - 1].t);
    /* the extremes of a piecewise-linear mean: a start or an end on a boundary */
    for (size_t i = 0; i < s->n; i++) {
        double b[2] = {s->p[i].t, end_of(s, i)};
        for (int k = 0; k < 2; k++) {
            consider(&q, b[k]);
            consider(&q, b[k] - dur_s);
        }
    }
    if (isfinite(from))
        consider(&q, from);
    if (isfinite(to_start))
        consider(&q, to_start);
    if (q.tried) {
        exact_mean(s, best);
        exact_mean(s, worst);
    }
    free(q.reach);
    free(q.cum);
    return q.tried;
}
