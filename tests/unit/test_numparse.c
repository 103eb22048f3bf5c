/* core/numparse: the one vocabulary for numbers at the edges. Each case is a
 * text some edge met (or could meet) and the status the contract in
 * numparse.h gives it: boundaries, overflow, hex, inf/nan, -0, blanks,
 * empty, trailing garbage, and the locale. */
#include <locale.h>
#include <math.h>
#include <stdint.h>

#include "core/numparse.h"
#include "test.h"

static int u64(const char *t, uint64_t *v)
{
    return eco_num_u64(t, 0, UINT64_MAX, 0, v);
}

ECO_TEST(numparse_u64_boundaries_and_overflow)
{
    uint64_t v = 7;
    CHECK_INT(u64("0", &v), ECO_NUM_OK);
    CHECK_INT(v, 0);
    CHECK_INT(u64("18446744073709551615", &v), ECO_NUM_OK);
    CHECK(v == UINT64_MAX);
    v = 7;
    CHECK_INT(u64("18446744073709551616", &v), ECO_NUM_OVERFLOW); /* strtoull: ERANGE, easy to miss */
    CHECK_INT(u64("99999999999999999999999", &v), ECO_NUM_OVERFLOW);
    CHECK_INT(v, 7); /* left alone on error */
    CHECK_INT(u64("007", &v), ECO_NUM_OK);
    CHECK_INT(v, 7); /* decimal, not octal */
    CHECK_INT(eco_num_u64("10", 1, 9, 0, &v), ECO_NUM_RANGE);
    CHECK_INT(eco_num_u64("1", 1, 9, 0, &v), ECO_NUM_OK);
    CHECK_INT(eco_num_u64("9", 1, 9, 0, &v), ECO_NUM_OK);
    CHECK_INT(eco_num_u64("0", 1, 9, 0, &v), ECO_NUM_RANGE);
}

ECO_TEST(numparse_u64_refuses_what_strtoull_takes)
{
    uint64_t v = 7;
    CHECK_INT(u64("-1", &v), ECO_NUM_NEGATIVE);       /* strtoull: 18446744073709551615 */
    CHECK_INT(u64("0x10", &v), ECO_NUM_SYNTAX);       /* strtoull base 0: 16 */
    CHECK_INT(u64("0X1f", &v), ECO_NUM_SYNTAX);
    CHECK_INT(u64("+5", &v), ECO_NUM_SYNTAX);
    CHECK_INT(u64(" 5", &v), ECO_NUM_SYNTAX);         /* strtoull skips it */
    CHECK_INT(u64("5 ", &v), ECO_NUM_TRAILING);
    CHECK_INT(u64("12abc", &v), ECO_NUM_TRAILING);
    CHECK_INT(u64("1.5", &v), ECO_NUM_TRAILING);
    CHECK_INT(u64("1e3", &v), ECO_NUM_TRAILING);
    CHECK_INT(u64("", &v), ECO_NUM_EMPTY);
    CHECK_INT(eco_num_u64(NULL, 0, 1, 0, &v), ECO_NUM_EMPTY);
    CHECK_INT(u64("inf", &v), ECO_NUM_SYNTAX);
    CHECK_INT(u64("-", &v), ECO_NUM_SYNTAX);
    CHECK_INT(u64("5\n", &v), ECO_NUM_TRAILING);
    CHECK_INT(v, 7);
}

ECO_TEST(numparse_flags_blanks_and_kernel_newline)
{
    uint64_t v = 0;
    CHECK_INT(eco_num_u64("123\n", 0, UINT64_MAX, ECO_NUM_NEWLINE, &v), ECO_NUM_OK);
    CHECK_INT(v, 123);
    CHECK_INT(eco_num_u64("123\n\n", 0, UINT64_MAX, ECO_NUM_NEWLINE, &v), ECO_NUM_TRAILING);
    CHECK_INT(eco_num_u64("\n", 0, UINT64_MAX, ECO_NUM_NEWLINE, &v), ECO_NUM_EMPTY);
    CHECK_INT(eco_num_u64(" \t42 ", 0, UINT64_MAX, ECO_NUM_BLANKS, &v), ECO_NUM_OK);
    CHECK_INT(v, 42);
    CHECK_INT(eco_num_u64("   ", 0, UINT64_MAX, ECO_NUM_BLANKS, &v), ECO_NUM_EMPTY);
    CHECK_INT(eco_num_u64("4 2", 0, UINT64_MAX, ECO_NUM_BLANKS, &v), ECO_NUM_TRAILING);
    CHECK_INT(eco_num_u64(" 42 \n", 0, UINT64_MAX, ECO_NUM_BLANKS | ECO_NUM_NEWLINE, &v), ECO_NUM_OK);
}

ECO_TEST(numparse_i64_and_int_edges)
{
    int64_t v = 0;
    CHECK_INT(eco_num_i64("-9223372036854775808", INT64_MIN, INT64_MAX, 0, &v), ECO_NUM_OK);
    CHECK(v == INT64_MIN);
    CHECK_INT(eco_num_i64("9223372036854775807", INT64_MIN, INT64_MAX, 0, &v), ECO_NUM_OK);
    CHECK(v == INT64_MAX);
    CHECK_INT(eco_num_i64("9223372036854775808", INT64_MIN, INT64_MAX, 0, &v), ECO_NUM_OVERFLOW);
    CHECK_INT(eco_num_i64("-9223372036854775809", INT64_MIN, INT64_MAX, 0, &v), ECO_NUM_OVERFLOW);
    CHECK_INT(eco_num_i64("-0", -5, 5, 0, &v), ECO_NUM_OK);
    CHECK_INT(v, 0);
    CHECK_INT(eco_num_i64("--1", INT64_MIN, INT64_MAX, 0, &v), ECO_NUM_SYNTAX);
    CHECK_INT(eco_num_i64("-0x10", INT64_MIN, INT64_MAX, 0, &v), ECO_NUM_SYNTAX);
    int i = 3;
    CHECK_INT(eco_num_int("2147483648", INT32_MIN, INT32_MAX, 0, &i), ECO_NUM_RANGE); /* no wrap to INT_MIN */
    CHECK_INT(eco_num_int("-2147483648", INT32_MIN, INT32_MAX, 0, &i), ECO_NUM_OK);
    CHECK_INT(i, INT32_MIN);
    CHECK_INT(eco_num_int("4294967297", 0, 100, 0, &i), ECO_NUM_RANGE); /* (int)strtol would be 1 */
}

static int dbl(const char *t, double *v)
{
    return eco_num_double(t, -INFINITY, INFINITY, 0, v);
}

ECO_TEST(numparse_double_decimal_only)
{
    double v = 9;
    CHECK_INT(dbl("1.5", &v), ECO_NUM_OK);
    CHECK(v == 1.5);
    CHECK_INT(dbl(".5", &v), ECO_NUM_OK);
    CHECK(v == 0.5);
    CHECK_INT(dbl("5.", &v), ECO_NUM_OK);
    CHECK(v == 5);
    CHECK_INT(dbl("-2.5e3", &v), ECO_NUM_OK);
    CHECK(v == -2500);
    CHECK_INT(dbl("1E+2", &v), ECO_NUM_OK);
    CHECK(v == 100);
    v = 9;
    const char *bad[] = {"0x10", "0x1p4", "0X.8p1", "inf", "-inf", "INF", "infinity", "nan", "NaN", "-nan",
                         "+1", ".", "-", "e5", "-.e1", " 1"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        if (dbl(bad[k], &v) != ECO_NUM_SYNTAX)
            CHECK(!bad[k]); /* names the text that passed */
    CHECK_INT(dbl("1e", &v), ECO_NUM_TRAILING);
    CHECK_INT(dbl("1e+", &v), ECO_NUM_TRAILING);
    CHECK_INT(dbl("12abc", &v), ECO_NUM_TRAILING);
    CHECK_INT(dbl("1.2.3", &v), ECO_NUM_TRAILING);
    CHECK_INT(dbl("1 ", &v), ECO_NUM_TRAILING);
    CHECK_INT(dbl("", &v), ECO_NUM_EMPTY);
    CHECK(v == 9);
}

ECO_TEST(numparse_double_overflow_underflow_negative_zero)
{
    double v = 9;
    CHECK_INT(dbl("1e999", &v), ECO_NUM_OVERFLOW);
    CHECK_INT(dbl("-1e309", &v), ECO_NUM_OVERFLOW);
    CHECK_INT(dbl("1.7976931348623157e308", &v), ECO_NUM_OK);
    CHECK(v == 1.7976931348623157e308);
    CHECK_INT(dbl("1e-400", &v), ECO_NUM_OK); /* underflow: the 0 it rounds to */
    CHECK(v == 0 && !signbit(v));
    CHECK_INT(dbl("-0", &v), ECO_NUM_OK);
    CHECK(v == 0 && !signbit(v));
    CHECK_INT(dbl("-0.0e5", &v), ECO_NUM_OK);
    CHECK(!signbit(v));
    CHECK_INT(eco_num_double("-0", 0, 10, 0, &v), ECO_NUM_OK); /* -0 is in [0, 10] */
    CHECK_INT(eco_num_double("-0.001", 0, 10, 0, &v), ECO_NUM_RANGE);
    CHECK_INT(eco_num_double("10.000001", 0, 10, 0, &v), ECO_NUM_RANGE);
    CHECK_INT(eco_num_double("10", 0, 10, 0, &v), ECO_NUM_OK);
    CHECK_INT(eco_num_double(" 10\t", 0, 10, ECO_NUM_BLANKS, &v), ECO_NUM_OK);
}

ECO_TEST(numparse_double_ignores_the_locale)
{
    /* top's curses screen calls setlocale(LC_ALL, ""): in a locale whose
     * decimal point is ',' strtod would read "1.5" as 1 */
    const char *names[] = {"de_DE.UTF-8", "fr_FR.UTF-8", "de_DE.utf8", "fr_FR.utf8"};
    const char *set = NULL;
    for (size_t k = 0; k < 4 && !set; k++)
        if ((set = setlocale(LC_NUMERIC, names[k])) && strcmp(localeconv()->decimal_point, ",") != 0)
            set = NULL;
    double v = 0;
    int st = dbl("1.5", &v);
    setlocale(LC_NUMERIC, "C");
    CHECK_INT(st, ECO_NUM_OK);
    CHECK(v == 1.5);
    if (!set)
        ECO_SKIP("no locale with a ',' decimal point installed; checked under \"C\" only");
}

ECO_TEST(numparse_cursor_readers_walk_a_line)
{
    const char *p = "cpu  10 20 -3 4.5x";
    CHECK(p[0] == 'c');
    p += 3;
    uint64_t a = 0, b = 0;
    int64_t c = 0;
    double d = 0;
    eco_num_skip_blanks(&p);
    CHECK_INT(eco_num_next_u64(&p, UINT64_MAX, &a), ECO_NUM_OK);
    eco_num_skip_blanks(&p);
    CHECK_INT(eco_num_next_u64(&p, 15, &b), ECO_NUM_RANGE); /* 20 > 15: p stays */
    CHECK_INT(*p, '2');
    CHECK_INT(eco_num_next_u64(&p, UINT64_MAX, &b), ECO_NUM_OK);
    eco_num_skip_blanks(&p);
    CHECK_INT(eco_num_next_u64(&p, UINT64_MAX, &b), ECO_NUM_NEGATIVE);
    CHECK_INT(eco_num_next_i64(&p, -10, 10, &c), ECO_NUM_OK);
    eco_num_skip_blanks(&p);
    CHECK_INT(eco_num_next_double(&p, &d), ECO_NUM_OK);
    CHECK_INT(a, 10);
    CHECK_INT(b, 20);
    CHECK_INT(c, -3);
    CHECK(d == 4.5);
    CHECK_STR(p, "x");
    const char *hex = "0x10";
    CHECK_INT(eco_num_next_u64(&hex, UINT64_MAX, &a), ECO_NUM_SYNTAX);
    CHECK_STR(hex, "0x10");
}

ECO_TEST(numparse_error_message_names_the_text_and_the_reason)
{
    struct eco_err err;
    eco_err_clear(&err);
    uint64_t v;
    int st = eco_num_u64("0x10", 1, 10000, 0, &v);
    CHECK_INT(eco_num_err(&err, st, "--limit", "0x10", "a whole number from 1 to 10000"), -1);
    CHECK_INT(err.code, 2);
    CHECK_STR(err.msg, "--limit '0x10' is not a whole number from 1 to 10000 (not a decimal number)");
}

ECO_TEST(numparse_plus_only_where_asked)
{
    double v = 0;
    CHECK_INT(eco_num_double("+12.5", 0, 100, 0, &v), ECO_NUM_SYNTAX);
    CHECK_INT(eco_num_double("+12.5", 0, 100, ECO_NUM_PLUS, &v), ECO_NUM_OK);
    CHECK(v == 12.5);
    CHECK_INT(eco_num_double("+-1", -10, 100, ECO_NUM_PLUS, &v), ECO_NUM_SYNTAX);
    CHECK_INT(eco_num_double("++1", -10, 100, ECO_NUM_PLUS, &v), ECO_NUM_SYNTAX);
    CHECK_INT(eco_num_double("+", -10, 100, ECO_NUM_PLUS, &v), ECO_NUM_SYNTAX);
}

ECO_TEST(numparse_hex_only_as_the_kernel_writes_it)
{
    uint64_t v = 0;
    CHECK_INT(eco_num_hex_u64("0x41", 0xff, 0, &v), ECO_NUM_OK);
    CHECK_INT(v, 0x41);
    CHECK_INT(eco_num_hex_u64("0xd0C", 0xfff, 0, &v), ECO_NUM_OK);
    CHECK_INT(v, 0xd0c);
    CHECK_INT(eco_num_hex_u64("65", 0xff, 0, &v), ECO_NUM_SYNTAX); /* strtol base 0 read it as 65 */
    CHECK_INT(eco_num_hex_u64("0x", 0xff, 0, &v), ECO_NUM_SYNTAX);
    CHECK_INT(eco_num_hex_u64("0x100", 0xff, 0, &v), ECO_NUM_RANGE);
    CHECK_INT(eco_num_hex_u64("0x1g", 0xff, 0, &v), ECO_NUM_TRAILING);
    CHECK_INT(eco_num_hex_u64("0x10000000000000000", UINT64_MAX, 0, &v), ECO_NUM_OVERFLOW);
    CHECK_INT(eco_num_hex_u64(" 0x41 ", 0xff, ECO_NUM_BLANKS, &v), ECO_NUM_OK);
}
