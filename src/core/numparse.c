#include "core/numparse.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "0x..." after a lone 0: C's hexadecimal, which strtol in base 0 and strtod take. */
static int hex_after(const char *start, const char *end)
{
    return end - start == 1 && *start == '0' && (*end == 'x' || *end == 'X');
}

const char *eco_num_why(int status)
{
    switch (status) {
    case ECO_NUM_OK: return "a number";
    case ECO_NUM_EMPTY: return "empty";
    case ECO_NUM_SYNTAX: return "not a decimal number";
    case ECO_NUM_NEGATIVE: return "negative";
    case ECO_NUM_TRAILING: return "something follows the number";
    case ECO_NUM_OVERFLOW: return "too large";
    case ECO_NUM_RANGE: return "out of range";
    default: return "not a number";
    }
}

void eco_num_skip_blanks(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
}

/* Digits at s into *x (no sign); the end, or NULL with *status set. */
static inline const char *digits_u64(const char *s, uint64_t *x, int *status)
{
    if (!is_digit(*s)) {
        *status = !*s ? ECO_NUM_EMPTY : *s == '-' && is_digit(s[1]) ? ECO_NUM_NEGATIVE : ECO_NUM_SYNTAX;
        return NULL;
    }
    const char *start = s;
    uint64_t v = 0;
    for (; is_digit(*s); s++) /* the sampler reads its counters here: two overflow flags, no division */
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, (unsigned)(*s - '0'), &v)) {
            *status = ECO_NUM_OVERFLOW;
            return NULL;
        }
    if (hex_after(start, s)) {
        *status = ECO_NUM_SYNTAX;
        return NULL;
    }
    *x = v;
    return s;
}

int eco_num_next_u64(const char **p, uint64_t max, uint64_t *out)
{
    int status = ECO_NUM_OK;
    uint64_t v;
    const char *end = digits_u64(*p, &v, &status);
    if (!end)
        return status;
    if (v > max)
        return ECO_NUM_RANGE;
    *out = v;
    *p = end;
    return ECO_NUM_OK;
}

int eco_num_next_i64(const char **p, int64_t lo, int64_t hi, int64_t *out)
{
    const char *s = *p;
    int neg = *s == '-';
    if (neg && !is_digit(s[1]))
        return ECO_NUM_SYNTAX;
    int status = ECO_NUM_OK;
    uint64_t u;
    const char *end = digits_u64(s + neg, &u, &status);
    if (!end)
        return status;
    if (u > (uint64_t)INT64_MAX + (uint64_t)neg)
        return ECO_NUM_OVERFLOW;
    int64_t v = neg ? (u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u) : (int64_t)u;
    if (v < lo || v > hi)
        return ECO_NUM_RANGE;
    *out = v;
    *p = end;
    return ECO_NUM_OK;
}

int eco_num_u64_fields(const char **p, uint64_t *v, int max)
{
    const char *s = *p;
    int n = 0;
    while (n < max) {
        eco_num_skip_blanks(&s);
        if (!*s || *s == '\n')
            break;
        int st = eco_num_next_u64(&s, UINT64_MAX, &v[n]);
        if (st != ECO_NUM_OK)
            return -st;
        if (*s && *s != ' ' && *s != '\t' && *s != '\n')
            return -ECO_NUM_TRAILING;
        n++;
    }
    *p = s;
    return n;
}

/* The "C" locale for strtod_l, made once: the decimal point stays '.' when a
 * curses screen has called setlocale(LC_ALL, ""). */
static locale_t c_numeric;
static pthread_once_t c_numeric_once = PTHREAD_ONCE_INIT;

static void make_c_numeric(void)
{
    c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

/* The end of the decimal number at s ([-]digits[.digits][e[+-]digits]), or
 * NULL when there is none (or it is C's hex: "0x10", "0x1p4"). */
static const char *decimal_end(const char *s)
{
    const char *p = s + (*s == '-');
    const char *int_start = p;
    size_t digits = 0;
    while (is_digit(*p))
        p++, digits++;
    if (hex_after(int_start, p))
        return NULL;
    if (*p == '.') {
        p++;
        while (is_digit(*p))
            p++, digits++;
    }
    if (!digits)
        return NULL;
    if (*p == 'e' || *p == 'E') {
        const char *e = p + 1 + (p[1] == '+' || p[1] == '-');
        if (is_digit(*e)) {
            while (is_digit(*e))
                e++;
            p = e;
        }
    }
    return p;
}

int eco_num_next_double(const char **p, double *out)
{
    const char *s = *p;
    if (!*s)
        return ECO_NUM_EMPTY;
    const char *end = decimal_end(s);
    if (!end)
        return ECO_NUM_SYNTAX;
    pthread_once(&c_numeric_once, make_c_numeric);
    char *conv_end;
    errno = 0;
    double v = c_numeric ? strtod_l(s, &conv_end, c_numeric) : strtod(s, &conv_end);
    if (conv_end != end) /* the grammar above and strtod disagree: refuse rather than guess */
        return ECO_NUM_SYNTAX;
    if (isinf(v) || isnan(v))
        return ECO_NUM_OVERFLOW;
    *out = v == 0 ? 0.0 : v; /* "-0" and an underflow to -0 are 0 */
    *p = end;
    return ECO_NUM_OK;
}

/* Before a whole-text read: the start (blanks skipped if asked), or NULL
 * when there is nothing to read. */
static inline const char *whole_start(const char *text, unsigned flags)
{
    if (!text)
        return NULL;
    if (flags & ECO_NUM_BLANKS)
        eco_num_skip_blanks(&text);
    return *text && !((flags & ECO_NUM_NEWLINE) && text[0] == '\n' && !text[1]) ? text : NULL;
}

/* After a whole-text read: OK when only what the flags allow follows. */
static inline int whole_end(const char *p, unsigned flags)
{
    if (flags & ECO_NUM_BLANKS)
        eco_num_skip_blanks(&p);
    if ((flags & ECO_NUM_NEWLINE) && *p == '\n')
        p++;
    return *p ? ECO_NUM_TRAILING : ECO_NUM_OK;
}

int eco_num_u64(const char *text, uint64_t lo, uint64_t hi, unsigned flags, uint64_t *out)
{
    const char *p = whole_start(text, flags);
    if (!p)
        return ECO_NUM_EMPTY;
    uint64_t v = 0;
    int st = ECO_NUM_OK;
    p = digits_u64(p, &v, &st); /* not eco_num_next_u64: one call less per sysfs counter read */
    if (p)
        st = *p ? whole_end(p, flags) : ECO_NUM_OK;
    if (st == ECO_NUM_OK && (v < lo || v > hi))
        st = ECO_NUM_RANGE;
    if (st == ECO_NUM_OK)
        *out = v;
    return st;
}

int eco_num_i64(const char *text, int64_t lo, int64_t hi, unsigned flags, int64_t *out)
{
    const char *p = whole_start(text, flags);
    if (!p)
        return ECO_NUM_EMPTY;
    int64_t v = 0;
    int st = eco_num_next_i64(&p, INT64_MIN, INT64_MAX, &v);
    if (st == ECO_NUM_OK)
        st = whole_end(p, flags);
    if (st == ECO_NUM_OK && (v < lo || v > hi))
        st = ECO_NUM_RANGE;
    if (st == ECO_NUM_OK)
        *out = v;
    return st;
}

int eco_num_int(const char *text, int lo, int hi, unsigned flags, int *out)
{
    int64_t v = 0;
    int st = eco_num_i64(text, lo, hi, flags, &v);
    if (st == ECO_NUM_OK)
        *out = (int)v;
    return st;
}

int eco_num_double(const char *text, double lo, double hi, unsigned flags, double *out)
{
    const char *p = whole_start(text, flags);
    if (!p)
        return ECO_NUM_EMPTY;
    if ((flags & ECO_NUM_PLUS) && p[0] == '+' && (is_digit(p[1]) || p[1] == '.'))
        p++;
    double v = 0;
    int st = eco_num_next_double(&p, &v);
    if (st == ECO_NUM_OK)
        st = whole_end(p, flags);
    if (st == ECO_NUM_OK && !(v >= lo && v <= hi))
        st = ECO_NUM_RANGE;
    if (st == ECO_NUM_OK)
        *out = v;
    return st;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int eco_num_hex_u64(const char *text, uint64_t max, unsigned flags, uint64_t *out)
{
    const char *p = whole_start(text, flags);
    if (!p)
        return ECO_NUM_EMPTY;
    if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X') || hex_digit(p[2]) < 0)
        return ECO_NUM_SYNTAX;
    uint64_t v = 0;
    for (p += 2; hex_digit(*p) >= 0; p++) {
        if (v > (UINT64_MAX >> 4))
            return ECO_NUM_OVERFLOW;
        v = v << 4 | (uint64_t)hex_digit(*p);
    }
    int st = whole_end(p, flags);
    if (st == ECO_NUM_OK && v > max)
        st = ECO_NUM_RANGE;
    if (st == ECO_NUM_OK)
        *out = v;
    return st;
}

int eco_num_err(struct eco_err *err, int status, const char *what, const char *text, const char *want)
{
    eco_err_set(err, ECO_EXIT_USAGE, "%s '%s' is not %s (%s)", what, text ? text : "", want, eco_num_why(status));
    return -1;
}
