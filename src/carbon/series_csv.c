/* The intensity-series readers (see series.h): a simple `timestamp,g_per_kwh`
 * CSV and Electricity Maps' zone exports. Bounded: at most
 * ECO_SERIES_MAX_BYTES, ECO_SERIES_MAX_ROWS rows and ECO_SERIES_MAX_LINE
 * bytes a line; every error names its line.
 *
 * Electricity Maps' exports (docs/METHODOLOGY.md, "Carbon intensity over
 * time") are found by their header: a "Datetime (UTC)" column (UTC without a
 * zone suffix), a "Carbon intensity gCO₂eq/kWh (direct)" column and a
 * lifecycle one, named "(LCA)" in the 2021-2023 exports, "(Life cycle)" in
 * later ones, "(life cycle assessment)" in the portal's description; the
 * capitalisation changed between versions, so names are matched without
 * case. "Data estimated" is counted when present. */
#include "carbon/series.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carbon/intensity.h"

#define MAX_FIELDS 32

struct reader {
    const char *name;
    enum eco_series_basis basis;
    struct eco_series *out;
    size_t cap;
    long line;                 /* 1-based number of the line being read */
    int col_time, col_value, col_estimated, n_cols;
    double last_t;
    long last_line;
    struct eco_err *err;
};

__attribute__((format(printf, 2, 3))) static int fail(struct reader *r, const char *fmt, ...)
{
    eco_err_set(r->err, 2, "%s: line %ld: ", r->name, r->line);
    size_t n = strlen(r->err->msg);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err->msg + n, sizeof r->err->msg - n, fmt, ap);
    va_end(ap);
    return -1;
}

/* Split a line into fields at commas, honouring "quoted, fields" with ""
 * for a quote; fields are NUL-terminated in place (line is writable).
 * Surrounding spaces are trimmed. Returns the number of fields or -1. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max)
            return -1;
        while (*p == ' ' || *p == '\t')
            p++;
        char *w = p, *start = p;
        if (*p == '"') {
            start = w = ++p;
            for (;; p++) {
                if (*p == '\0')
                    return -1; /* unterminated quote */
                if (*p == '"' && p[1] == '"')
                    *w++ = '"', p++;
                else if (*p == '"')
                    break;
                else
                    *w++ = *p;
            }
            p++;
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p != ',' && *p != '\0')
                return -1;
        } else {
            while (*p && *p != ',')
                p++;
            w = p;
            while (w > start && (w[-1] == ' ' || w[-1] == '\t'))
                w--;
        }
        char sep = *p;
        *w = '\0';
        f[n++] = start;
        if (sep == '\0')
            return n;
        p++;
    }
}

static int header_has(const char *h, const char *a) { return strcasestr(h, a) != NULL; }

/* An Electricity Maps header: which columns hold the time, the value asked
 * for and the estimated flag. 1 if it is one, 0 if not, -1 on error. */
static int emaps_header(struct reader *r, char **f, int n)
{
    r->col_time = r->col_value = r->col_estimated = -1;
    int direct = -1, lifecycle = -1;
    for (int i = 0; i < n; i++) {
        if (strcasecmp(f[i], "Datetime (UTC)") == 0)
            r->col_time = i;
        else if (header_has(f[i], "carbon intensity") && header_has(f[i], "(direct)"))
            direct = i;
        else if (header_has(f[i], "carbon intensity") &&
                 (header_has(f[i], "(LCA)") || header_has(f[i], "(life cycle")))
            lifecycle = i;
        else if (strcasecmp(f[i], "Data estimated") == 0)
            r->col_estimated = i;
    }
    if (r->col_time < 0)
        return 0;
    r->col_value = r->basis == ECO_SERIES_DIRECT ? direct : lifecycle;
    if (r->col_value < 0)
        return fail(r, "an Electricity Maps export without a %s carbon-intensity column%s",
                    eco_series_basis_name(r->basis),
                    direct >= 0 || lifecycle >= 0 ? " (the other one is there: see --series-basis)" : "");
    r->out->format = ECO_SERIES_EMAPS;
    r->n_cols = n;
    return 1;
}

static int push(struct reader *r, double t, double g)
{
    struct eco_series *s = r->out;
    if (s->n > 0 && !(t > r->last_t)) {
        return fail(r, "this time is not after the one on line %ld%s", r->last_line,
                    t == r->last_t ? " (the same instant twice)" : " (rows must be in time order)");
    }
    if (s->n == s->cap) {
        if (s->n >= ECO_SERIES_MAX_ROWS)
            return fail(r, "more than %u rows (split the file)", ECO_SERIES_MAX_ROWS);
        size_t cap = s->cap ? s->cap * 2 : 256;
        struct eco_series_point *p = realloc(s->p, cap * sizeof *p);
        if (!p)
            return eco_err_set(r->err, 1, "out of memory reading %s", r->name);
        s->p = p;
        s->cap = cap;
    }
    s->p[s->n++] = (struct eco_series_point){t, g};
    r->last_t = t;
    r->last_line = r->line;
    return 0;
}

/* A data row: time and value fields (value may be empty: a gap). */
static int row(struct reader *r, const char *tf, const char *vf, int assume_utc)
{
    char why[256];
    double t, g;
    if (eco_series_parse_time(tf, assume_utc, &t, why, sizeof why) < 0)
        return fail(r, "'%.40s': %s", tf, why);
    if (*vf == '\0') {
        r->out->n_empty++;
        return 0; /* no value: the spacing shows the gap */
    }
    if (eco_intensity_from_text(vf, &g) != 0) /* the one rule of --carbon-intensity */
        return fail(r, "'%.40s' is not an intensity in g/kWh (a number from 0 to %g)", vf, ECO_INTENSITY_MAX);
    if (push(r, t, g) < 0)
        return -1;
    return 0;
}

/* One line (NUL-terminated, writable, without its end of line). */
static int line(struct reader *r, char *text, int *seen_header)
{
    if (text[0] == '#' || text[strspn(text, " \t")] == '\0')
        return 0;
    char *f[MAX_FIELDS];
    int n = split(text, f, MAX_FIELDS);
    if (n < 0)
        return fail(r, "cannot split this line into fields (an unterminated quote, or more than %d fields)", MAX_FIELDS);
    if (!*seen_header) {
        *seen_header = 1;
        int e = emaps_header(r, f, n);
        if (e != 0)
            return e < 0 ? -1 : 0;
        char why[256];
        double t;
        r->col_time = 0, r->col_value = 1, r->n_cols = 2;
        if (n == 2 && eco_series_parse_time(f[0], 0, &t, why, sizeof why) < 0 && !isdigit((unsigned char)f[0][0]))
            return 0; /* a header line of the simple format */
    }
    if (r->out->format == ECO_SERIES_SIMPLE && n != 2)
        return fail(r, "%d fields; a simple series has two: timestamp,g_per_kwh", n);
    if (r->out->format == ECO_SERIES_EMAPS && n != r->n_cols)
        return fail(r, "%d fields where the header has %d", n, r->n_cols);
    int utc = r->out->format == ECO_SERIES_EMAPS;
    if (r->col_estimated >= 0 && (strcasecmp(f[r->col_estimated], "true") == 0 || strcmp(f[r->col_estimated], "1") == 0))
        r->out->n_estimated++;
    return row(r, f[r->col_time], f[r->col_value], utc);
}

/* Spacing, gaps; at least two points. */
static int finish(struct reader *r)
{
    struct eco_series *s = r->out;
    if (s->n < 2)
        return eco_err_set(r->err, 2, "%s: %s", r->name,
                           s->n ? "only one point: a series needs two to know how long each holds"
                                : "no data rows"), -1;
    s->step_s = INFINITY;
    for (size_t i = 1; i < s->n; i++)
        if (s->p[i].t - s->p[i - 1].t < s->step_s)
            s->step_s = s->p[i].t - s->p[i - 1].t;
    for (size_t i = 1; i < s->n; i++) {
        double d = s->p[i].t - s->p[i - 1].t;
        if (d > s->step_s * (1 + 1e-9)) {
            s->n_gaps++;
            s->gap_s += d - s->step_s;
        }
    }
    return 0;
}

int eco_series_parse(const char *buf, size_t len, const char *name, enum eco_series_basis basis,
                     struct eco_series *out, struct eco_err *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name);
    out->basis = basis;
    struct reader r = {.name = name, .basis = basis, .out = out, .err = err};
    if (len > ECO_SERIES_MAX_BYTES)
        return eco_err_set(err, 2, "%s: larger than %u MiB", name, ECO_SERIES_MAX_BYTES >> 20);
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        buf += 3, len -= 3; /* a UTF-8 byte order mark */
    char text[ECO_SERIES_MAX_LINE + 1];
    int seen_header = 0, rc = 0;
    size_t at = 0;
    while (rc == 0 && at < len) {
        r.line++;
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (buf + at)) : len - at;
        size_t keep = n > 0 && buf[at + n - 1] == '\r' ? n - 1 : n;
        if (keep > ECO_SERIES_MAX_LINE)
            rc = fail(&r, "longer than %u bytes", ECO_SERIES_MAX_LINE);
        else if (memchr(buf + at, '\0', keep))
            rc = fail(&r, "a NUL byte: not a text file");
        else {
            memcpy(text, buf + at, keep);
            text[keep] = '\0';
            rc = line(&r, text, &seen_header);
        }
        at += n + 1;
    }
    if (rc == 0)
        rc = finish(&r);
    if (rc != 0)
        eco_series_free(out);
    return rc;
}
