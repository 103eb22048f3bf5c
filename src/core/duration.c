#include "core/duration.h"

#include "core/numparse.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HINT "durations look like 250ms, 90min, 4h30m, 4h 30m, 2 hours, 4y, 01:30:00 or 2-03:00:00 " \
             "(Slurm's days-hours:minutes:seconds); a bare number is seconds"

static int refuse(struct eco_err *err, const char *fmt, const char *text)
{
    eco_err_set(err, 2, fmt, text);
    eco_err_hint(err, "%s", HINT);
    return -1;
}

/* A unit's length in seconds, by any of its names (what ecometer prints and
 * what people write: m, min, mins, minute, minutes...); -1 if unknown. */
static double unit_seconds(const char *u, size_t n)
{
    static const struct { const char *names; double s; } units[] = {
        {"ms msec msecs millisecond milliseconds", 1e-3},
        {"s sec secs second seconds", 1},
        {"m min mins minute minutes", 60},
        {"h hr hrs hour hours", 3600},
        {"d day days", 86400},
        {"w wk wks week weeks", 604800},
        {"y yr yrs year years", 31557600}, /* 365.25 days: service lives (--lifetime 4y) */
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        for (const char *p = units[i].names; *p;) {
            size_t len = strcspn(p, " ");
            if (len == n && strncasecmp(p, u, n) == 0)
                return units[i].s;
            p += len + (p[len] == ' ');
        }
    return -1;
}

/* Digits with at most one '.' (no sign, exponent or hex, which strtod would
 * also take), at most 32 characters; the end of it, or NULL. */
static const char *read_number(const char *p, double *v)
{
    const char *end = p;
    int digits = 0, dots = 0;
    while (isdigit((unsigned char)*end) || (*end == '.' && !dots)) {
        digits += isdigit((unsigned char)*end) != 0;
        dots += *end == '.';
        end++;
    }
    if (!digits || end - p > 32)
        return NULL;
    char num[40];
    memcpy(num, p, (size_t)(end - p));
    num[end - p] = 0;
    /* digits and one '.' checked above: only the conversion is left */
    return eco_num_double(num, 0, INFINITY, 0, v) == ECO_NUM_OK ? end : NULL;
}

/* NUMBER UNIT parts in decreasing units, with or without blanks between
 * them and between a number and its unit ("4h30m", "4h 30m 00s", "2 hours",
 * "12.34 s"); or one bare NUMBER (seconds). */
static int parse_units(const char *text, double *total, struct eco_err *err)
{
    const char *p = text;
    double last_unit = 1e300;
    int parts = 0;
    *total = 0;
    while (*p) {
        double v;
        const char *end = read_number(p, &v);
        if (!end)
            return refuse(err, "cannot read duration '%s'", text);
        p = end;
        while (*p == ' ')
            p++;
        const char *u = p;
        while (isalpha((unsigned char)*p))
            p++;
        double us = 1;
        if (p == u) {
            if (parts > 0 || *p) /* "4h30", "4h 30" or "5x": which unit? */
                return refuse(err, "cannot read duration '%s': a number without a unit must stand alone", text);
        } else {
            us = unit_seconds(u, (size_t)(p - u));
            if (us < 0) {
                eco_err_set(err, 2, "unknown unit '%.*s' in duration '%s'", (int)(p - u), u, text);
                eco_err_hint(err, "%s", HINT);
                return -1;
            }
            if (us >= last_unit)
                return refuse(err, "units out of order in duration '%s'", text);
            last_unit = us;
        }
        *total += v * us;
        parts++;
        while (*p == ' ')
            p++;
    }
    return 0;
}

/* One field of a clock form: digits only (a '.' fraction when `frac`), at
 * most 10 characters. */
static const char *clock_field(const char *p, int frac, double *v)
{
    const char *end = p;
    while (isdigit((unsigned char)*end) || (frac && *end == '.'))
        end++;
    if (end == p || end - p > 10 || !isdigit((unsigned char)*p))
        return NULL;
    return read_number(p, v) == end ? end : NULL;
}

/* Clock forms, as Slurm's --time takes them and `time` prints them:
 * MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS; seconds may have a fraction.
 * A field after a larger one stays below its range (minutes and seconds
 * < 60, hours < 24 after days). */
static int parse_clock(const char *text, double *total, struct eco_err *err)
{
    const char *p = text;
    double days = 0, f[3] = {0, 0, 0};
    int nf = 0, has_days = 0;
    const char *dash = strchr(text, '-');
    if (dash) {
        if (!(p = clock_field(p, 0, &days)) || p != dash)
            return refuse(err, "cannot read duration '%s'", text);
        has_days = 1;
        p++;
    }
    for (;;) {
        const char *end = clock_field(p, 1, &f[nf]);
        if (!end)
            return refuse(err, "cannot read duration '%s'", text);
        nf++;
        p = end;
        if (*p == 0)
            break;
        if (*p != ':' || nf == 3)
            return refuse(err, "cannot read duration '%s'", text);
        p++;
    }
    if (!has_days && nf == 1)
        return refuse(err, "cannot read duration '%s'", text);
    /* the fields' units, from the largest: D-HH[:MM[:SS]], HH:MM:SS or MM:SS */
    const double *unit = has_days || nf == 3 ? (const double[]){3600, 60, 1} : (const double[]){60, 1, 0};
    for (int i = 0; i < nf; i++) {
        double limit = unit[i] == 3600 ? 24 : 60;
        if ((i > 0 || (has_days && unit[i] == 3600)) && f[i] >= limit) {
            eco_err_set(err, 2, "duration '%s': %g is out of range for %s", text, f[i],
                        unit[i] == 3600 ? "hours after days (0-23)" : unit[i] == 60 ? "minutes (0-59)" : "seconds (0-59)");
            eco_err_hint(err, "%s", HINT);
            return -1;
        }
        if (unit[i] != 1 && floor(f[i]) != f[i])
            return refuse(err, "cannot read duration '%s' (only the seconds may have a fraction)", text);
        *total += f[i] * unit[i];
    }
    *total += days * 86400;
    return 0;
}

int eco_parse_duration(const char *text, double *seconds, struct eco_err *err)
{
    if (!text || !*text) {
        eco_err_set(err, 2, "empty duration");
        eco_err_hint(err, "%s", HINT);
        return -1;
    }
    if (*text == '-')
        return refuse(err, "negative duration '%s'", text);
    size_t len = strlen(text);
    if (!isdigit((unsigned char)*text) && *text != '.')
        return refuse(err, "cannot read duration '%s'", text);
    if (isspace((unsigned char)text[len - 1]))
        return refuse(err, "cannot read duration '%s' (a blank at the end)", text);
    double total = 0;
    int rc = strchr(text, ':') || strchr(text, '-') ? parse_clock(text, &total, err)
                                                    : parse_units(text, &total, err);
    if (rc != 0)
        return -1;
    if (!isfinite(total) || total > ECO_DURATION_MAX_S) /* "10000000000000000000d" */
        return refuse(err, "duration '%s' is too long (at most 100 years)", text);
    *seconds = total;
    return 0;
}

/* Seconds the short way people type them: 10ms, 1h, 366d, 1.5s. */
static void short_duration(double s, char *buf, size_t len)
{
    static const struct { double s; const char *u; } units[] = {
        {31557600, "y"}, {86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}, {1e-3, "ms"}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        double n = s / units[i].s;
        if (n >= 1 && fabs(n - round(n)) < 1e-9 * n) {
            snprintf(buf, len, "%.0f%s", round(n), units[i].u);
            return;
        }
    }
    snprintf(buf, len, "%gs", s);
}

static void range_words(double lo, double hi, char *buf, size_t len)
{
    char a[32], b[32];
    short_duration(lo, a, sizeof a);
    short_duration(hi, b, sizeof b);
    int any_hi = hi >= ECO_DURATION_MAX_S;
    if (lo <= 0)
        snprintf(buf, len, any_hi ? "" : " of at most %s", b);
    else if (lo <= ECO_DURATION_ABOVE_0)
        snprintf(buf, len, any_hi ? " above 0" : " above 0 and at most %s", b);
    else if (any_hi)
        snprintf(buf, len, " of at least %s", a);
    else
        snprintf(buf, len, " from %s to %s", a, b);
}

int eco_duration_arg(const char *opt, const char *text, double lo, double hi, double *seconds, struct eco_err *err)
{
    struct eco_err why;
    eco_err_clear(&why);
    double s = 0;
    int parsed = eco_parse_duration(text, &s, &why) == 0;
    if (parsed && s >= lo && s <= hi) {
        *seconds = s;
        return 0;
    }
    char range[96];
    range_words(lo, hi, range, sizeof range);
    eco_err_set(err, 2, "%s '%s': give a duration%s", opt, text ? text : "", range);
    if (parsed)
        eco_err_hint(err, "%s", HINT);
    else
        eco_err_hint(err, "%s; %s", why.msg, HINT);
    return -1;
}

const char *eco_format_duration(double s, char *buf, size_t len)
{
    if (s < 1)
        snprintf(buf, len, "%.0f ms", s * 1000);
    else if (s < 60)
        snprintf(buf, len, "%.2f s", s);
    else {
        long t = lround(s);
        long d = t / 86400, h = t % 86400 / 3600, m = t % 3600 / 60, sec = t % 60;
        if (d)
            snprintf(buf, len, "%ldd %ldh %02ldm %02lds", d, h, m, sec);
        else if (h)
            snprintf(buf, len, "%ldh %02ldm %02lds", h, m, sec);
        else
            snprintf(buf, len, "%ldm %02lds", m, sec);
    }
    return buf;
}
