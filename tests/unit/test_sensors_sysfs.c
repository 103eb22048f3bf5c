/* The strict number readers every source uses: a value is digits alone on
 * a line; anything else is EINVAL (a gap), never a wrong number. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "sensors/sysfs.h"
#include "test.h"

static int u64_of(const char *text, unsigned long long *v)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/f", eco_test_tmpdir());
    FILE *f = fopen(p, "w");
    CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
    return eco_sysfs_read_u64(p, v);
}

static int i64_of(const char *text, long long *v)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/g", eco_test_tmpdir());
    FILE *f = fopen(p, "w");
    CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
    return eco_sysfs_read_i64(p, v);
}

static int u64_bytes(const char *bytes, size_t n, unsigned long long *v)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/bytes", eco_test_tmpdir());
    FILE *f = fopen(p, "wb");
    CHECK(f != NULL);
    fwrite(bytes, 1, n, f);
    fclose(f);
    return eco_sysfs_read_u64(p, v);
}

ECO_TEST(sensors_sysfs_strict_numbers)
{
    unsigned long long v = 0;
    CHECK_INT(u64_of("262143328850\n", &v), 0);
    CHECK_INT(v, 262143328850ULL);
    CHECK_INT(u64_of("0", &v), 0);
    CHECK_INT(v, 0);
    CHECK_INT(u64_of("18446744073709551615\n", &v), 0);
    CHECK(v == 18446744073709551615ULL);
    CHECK_INT(u64_of("18446744073709551616\n", &v), -EINVAL); /* overflow */
    CHECK_INT(u64_of("", &v), -EINVAL);
    CHECK_INT(u64_of("\n", &v), -EINVAL);
    CHECK_INT(u64_of("-5\n", &v), -EINVAL);
    CHECK_INT(u64_of("12 34\n", &v), -EINVAL);
    CHECK_INT(u64_of("0x10\n", &v), -EINVAL);
    CHECK_INT(u64_of("garbage\n", &v), -EINVAL);
    CHECK_INT(u64_of("123456789012345678901234567890123456789012345678901234567890123456789\n", &v),
              -EINVAL);
    /* Issue 16: a NUL after the digits, an over-long zero-padded number and
     * digits after a run of spaces are malformed; the forms the kernel
     * writes, with whitespace around, are read. */
    CHECK_INT(u64_bytes("123\0", 4, &v), -EINVAL);
    CHECK_INT(u64_bytes("123\0\n", 5, &v), -EINVAL);
    CHECK_INT(u64_bytes("\0" "123", 4, &v), -EINVAL);
    CHECK_INT(u64_of("0000000000000000000000000000000000000000000000000000000000000000000123\n", &v),
              -EINVAL);
    CHECK_INT(u64_of("123        456\n", &v), -EINVAL);
    CHECK_INT(u64_of("123", &v), 0);
    CHECK_INT(v, 123);
    CHECK_INT(u64_of("  123  \n", &v), 0);
    CHECK_INT(v, 123);
    CHECK_INT(u64_of("\t0000123\r\n", &v), 0);
    CHECK_INT(v, 123);
    long long s = 0;
    CHECK_INT(i64_of("-312\n", &s), 0);
    CHECK_INT(s, -312);
    CHECK_INT(i64_of("5064\n", &s), 0);
    CHECK_INT(s, 5064);
    CHECK_INT(i64_of("--1\n", &s), -EINVAL);
    CHECK_INT(i64_of("-\n", &s), -EINVAL);
    char p[4200];
    snprintf(p, sizeof p, "%s/missing", eco_test_tmpdir());
    CHECK_INT(eco_sysfs_read_u64(p, &v), -ENOENT);
    /* A directory where a file should be is an error, not a value. */
    CHECK(eco_sysfs_read_u64(eco_test_tmpdir(), &v) < 0);
}

ECO_TEST(sensors_sysfs_pathf_refuses_truncation)
{
    char small[8];
    CHECK_INT(eco_pathf(small, sizeof small, "%s/%s", "abc", "d"), 0);
    CHECK_STR(small, "abc/d");
    CHECK_INT(eco_pathf(small, sizeof small, "%s/%s", "abcdef", "ghi"), -1);
    CHECK_STR(small, "");
}

/* A FIFO where a number should be: an error at once, never a hang. */
ECO_TEST(sensors_sysfs_fifo_does_not_hang)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/fifo", eco_test_tmpdir());
    CHECK_INT(mkfifo(p, 0600), 0);
    unsigned long long v;
    CHECK_INT(eco_sysfs_read_u64(p, &v), -EINVAL);
}
