/* Timestamps of intensity series (see series.h): ISO 8601 with a zone, or
 * unix seconds, to a UTC instant. Written by hand rather than with
 * strptime/timegm so that no locale or TZ variable changes the answer. */
#include "carbon/series.h"
#include "carbon/co2e.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/numparse.h"

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* Exactly n digits at *p into *out; advances p. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

#define WHY(...) (snprintf(why, why_len, __VA_ARGS__), -1)

static int unix_seconds(const char *s, double *out, char *why, size_t why_len)
{
    size_t n = strspn(s, "0123456789");
    if (s[n] == '.' && isdigit((unsigned char)s[n + 1]))
        n += 1 + strspn(s + n + 1, "0123456789");
    if (s[n] != '\0' || n > 20)
        return WHY("not a timestamp (ISO 8601 with a zone, e.g. 2026-03-29T01:00:00Z, or unix seconds)");
    double v;
    int st = eco_num_double(s, 946684800.0, 7258118400.0, 0, &v); /* 2000-01-01 .. 2200-01-01 */
    if (st == ECO_NUM_RANGE)
        return WHY("unix seconds outside 2000..2200 (milliseconds? divide by 1000)");
    if (st != ECO_NUM_OK)
        return WHY("not a number of seconds");
    *out = v;
    return 0;
}

/* "Z", "+HH:MM", "+HHMM", "+HH" (or '-'), into seconds east of UTC. 1: none. */
static int zone(const char *p, int *east_s, char *why, size_t why_len)
{
    if (*p == '\0')
        return 1;
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
        return *east_s = 0, 0;
    int sign = *p == '+' ? 1 : *p == '-' ? -1 : 0, hh, mm = 0;
    if (!sign)
        return WHY("unexpected '%s' after the time (a zone is Z or +HH:MM)", p);
    p++;
    if (digits(&p, 2, &hh) < 0)
        return WHY("a zone offset is +HH:MM, +HHMM or +HH");
    if (*p == ':')
        p++;
    if (*p && digits(&p, 2, &mm) < 0)
        return WHY("a zone offset is +HH:MM, +HHMM or +HH");
    if (*p || hh > 18 || mm > 59)
        return WHY("zone offset out of range (at most 18:00)");
    *east_s = sign * (hh * 3600 + mm * 60);
    return 0;
}

/* HH:MM[:SS[.fff]] at *p into seconds of the day; advances p. */
static int clock_time(const char **p, double *secs, char *why, size_t why_len)
{
    int hh, mi, ss = 0;
    double frac = 0;
    if (digits(p, 2, &hh) < 0 || **p != ':' || (++*p, digits(p, 2, &mi)) < 0)
        return WHY("a time is HH:MM or HH:MM:SS");
    if (**p == ':') {
        ++*p;
        if (digits(p, 2, &ss) < 0)
            return WHY("seconds are two digits");
        if (**p == '.' || **p == ',') {
            double scale = 0.1;
            ++*p;
            if (!isdigit((unsigned char)**p))
                return WHY("a fraction of a second needs digits");
            for (int k = 0; isdigit((unsigned char)**p); ++*p, k++)
                if (k < 9)
                    frac += (**p - '0') * scale, scale /= 10;
        }
    }
    if (hh > 23 || mi > 59 || ss > 59)
        return WHY("time out of range (00:00:00..23:59:59)");
    *secs = hh * 3600.0 + mi * 60.0 + ss + frac;
    return 0;
}

int eco_series_parse_time(const char *text, int assume_utc, double *unix_s, char *why, size_t why_len)
{
    const char *p = text;
    if (!(isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
          isdigit((unsigned char)p[3]) && p[4] == '-'))
        return unix_seconds(text, unix_s, why, why_len);
    int y, mo, d;
    double secs;
    if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 || *p++ != '-' || digits(&p, 2, &d) < 0)
        return WHY("a date is YYYY-MM-DD");
    if (y < 2000 || y > 2199 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return WHY("no such date (years 2000..2199)");
    if (*p != 'T' && *p != 't' && *p != ' ')
        return WHY("a date needs a time: YYYY-MM-DDTHH:MM[:SS] and a zone");
    p++;
    if (clock_time(&p, &secs, why, why_len) < 0)
        return -1;
    int east = 0, z = zone(p, &east, why, why_len);
    if (z < 0)
        return -1;
    if (z == 1 && !assume_utc)
        return WHY("no time zone: the same clock time happens twice (or never) when daylight saving "
                   "changes; write it in UTC with Z, with its offset (+01:00), or as unix seconds");
    *unix_s = (double)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400.0 + secs - east;
    return 0;
}

char *eco_series_format_time(double unix_s, char *buf, size_t len)
{
    time_t t = (time_t)floor(unix_s);
    struct tm tm;
    if (!isfinite(unix_s) || !gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, len, "?");
    return buf;
}

double eco_series_window_co2e_g(const struct eco_series_window *w, double power_w)
{
    return power_w >= 0 ? eco_co2e_g(power_w * (w->end - w->start), w->mean_g) : -1;
}

double eco_series_saving_pct(const struct eco_series_window *best, const struct eco_series_window *worst)
{
    return worst->mean_g > 0 ? 100 * (worst->mean_g - best->mean_g) / worst->mean_g : 0;
}
