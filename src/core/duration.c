#include "core/duration.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double unit_seconds(const char *u, size_t n)
{
    static const struct { const char *name; double s; } units[] = {
        {"ms", 1e-3}, {"s", 1}, {"sec", 1}, {"m", 60}, {"min", 60},
        {"h", 3600}, {"hr", 3600}, {"d", 86400}, {"day", 86400}, {"w", 604800},
        {"y", 31557600}, /* a year of 365.25 days: service lives (--lifetime 4y) */
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == n && strncmp(units[i].name, u, n) == 0)
            return units[i].s;
    return -1;
}

int eco_parse_duration(const char *text, double *seconds, struct eco_err *err)
{
    const char *hint = "durations look like 250ms, 500s, 90m, 4h30m or 1d (a bare number is seconds)";
    if (!text || !*text) {
        eco_err_set(err, 2, "empty duration");
        eco_err_hint(err, "%s", hint);
        return -1;
    }
    const char *p = text;
    double total = 0;
    int parts = 0;
    double last_unit = 1e300;
    while (*p) {
        if (*p == '-') {
            eco_err_set(err, 2, "negative duration '%s'", text);
            eco_err_hint(err, "%s", hint);
            return -1;
        }
        if (!isdigit((unsigned char)*p) && *p != '.') {
            eco_err_set(err, 2, "cannot read duration '%s'", text);
            eco_err_hint(err, "%s", hint);
            return -1;
        }
        /* The number is digits with at most one '.', nothing else: strtod
         * would also take exponents (1e300) and hex (0x10). */
        const char *end = p;
        int digits = 0, dots = 0;
        while (isdigit((unsigned char)*end) || (*end == '.' && !dots)) {
            digits += isdigit((unsigned char)*end) != 0;
            dots += *end == '.';
            end++;
        }
        if (!digits || end - p > 32) {
            eco_err_set(err, 2, "cannot read duration '%s'", text);
            eco_err_hint(err, "%s", hint);
            return -1;
        }
        char num[40];
        memcpy(num, p, (size_t)(end - p));
        num[end - p] = 0;
        double v = strtod(num, NULL);
        p = end;
        const char *u = p;
        while (isalpha((unsigned char)*p))
            p++;
        double us;
        if (p == u) {
            if (parts > 0 || *p) { /* "4h30" or "5x": ambiguous */
                eco_err_set(err, 2, "cannot read duration '%s': a number without a unit must stand alone", text);
                eco_err_hint(err, "%s", hint);
                return -1;
            }
            us = 1;
        } else {
            us = unit_seconds(u, (size_t)(p - u));
            if (us < 0) {
                eco_err_set(err, 2, "unknown unit '%.*s' in duration '%s'", (int)(p - u), u, text);
                eco_err_hint(err, "%s", hint);
                return -1;
            }
            if (us >= last_unit) {
                eco_err_set(err, 2, "units out of order in duration '%s'", text);
                eco_err_hint(err, "%s", hint);
                return -1;
            }
            last_unit = us;
        }
        total += v * us;
        parts++;
    }
    if (!isfinite(total) || total > ECO_DURATION_MAX_S) { /* "10000000000000000000d" */
        eco_err_set(err, 2, "duration '%s' is too long (at most 100 years)", text);
        eco_err_hint(err, "%s", hint);
        return -1;
    }
    *seconds = total;
    return 0;
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
