/* Harness: the intensity-series readers (src/carbon/series_csv.c,
 * series_time.c) and the arithmetic on what they return (series.c).
 * First byte: bit 0 picks the basis (lifecycle/direct), bit 1 reads the
 * rest through eco_series_load (a path) instead of from memory.
 * Invariants: a series that loads has >= 2 points in strictly increasing
 * time, every value a number in 0..ECO_INTENSITY_MAX, a positive finite
 * spacing and gaps that add up; the time-mean over any interval lies
 * between the smallest and largest value (or the fallback) and the best
 * window is no worse than the worst; a failure says why and owns nothing. */
#include <math.h>

#include "carbon/intensity.h"
#include "carbon/series.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_series(const struct eco_series *s)
{
    FUZZ_ASSERT(s->n >= 2 && s->p);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < s->n; i++) {
        FUZZ_ASSERT(isfinite(s->p[i].t) && isfinite(s->p[i].g));
        FUZZ_ASSERT(s->p[i].g >= 0 && s->p[i].g <= ECO_INTENSITY_MAX);
        FUZZ_ASSERT(i == 0 || s->p[i].t > s->p[i - 1].t);
        lo = fmin(lo, s->p[i].g);
        hi = fmax(hi, s->p[i].g);
    }
    FUZZ_ASSERT(s->step_s > 0 && isfinite(s->step_s));
    FUZZ_ASSERT(s->gap_s >= 0 && (s->n_gaps == 0) == (s->gap_s == 0));
    double a = eco_series_start(s), b = eco_series_end(s);
    FUZZ_ASSERT(b > a);
    const double fallback = 123.0, slack = 1e-9 * (ECO_INTENSITY_MAX + 1);
    double unc, m = eco_series_mean_g(s, a - s->step_s, b + s->step_s, fallback, &unc);
    FUZZ_ASSERT(isfinite(m) && m >= fmin(lo, fallback) - slack && m <= fmax(hi, fallback) + slack);
    FUZZ_ASSERT(unc >= 2 * s->step_s * (1 - 1e-9));
    m = eco_series_mean_g(s, a, a + s->step_s, fallback, &unc);
    FUZZ_ASSERT(m >= lo - slack && m <= hi + slack && unc <= s->step_s * 1e-6);
    struct eco_series_window best, worst;
    if (eco_series_best_window(s, s->step_s * 1.5, -INFINITY, INFINITY, &best, &worst) > 0) {
        FUZZ_ASSERT(best.mean_g <= worst.mean_g + slack);
        FUZZ_ASSERT(best.start >= a && best.end <= b * (1 + 1e-12));
        FUZZ_ASSERT(best.mean_g >= lo - slack && worst.mean_g <= hi + slack);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (size < 1)
        return 0;
    enum eco_series_basis basis = data[0] & 1 ? ECO_SERIES_DIRECT : ECO_SERIES_LIFECYCLE;
    struct eco_series s;
    struct eco_err err;
    eco_err_clear(&err);
    int rc;
    if (data[0] & 2)
        rc = eco_series_load(fuzz_file(&fd, data + 1, size - 1), basis, &s, &err);
    else
        rc = eco_series_parse((const char *)data + 1, size - 1, "fuzz.csv", basis, &s, &err);
    if (rc != 0) {
        FUZZ_ASSERT(s.p == NULL && s.n == 0 && err.msg[0] && (err.code == 1 || err.code == 2));
        return 0;
    }
    check_series(&s);
    eco_series_free(&s);
    return 0;
}
