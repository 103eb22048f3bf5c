/* The unit-test kit: ECO_TEST(name) { ... } registers a test at load time
 * (no shared list to edit); the runner forks each one with a timeout.
 * CHECK* failures print file:line and end the test; ECO_SKIP ends it as
 * skipped with a reason. Put fixtures under tests/fixtures/. */
#ifndef ECO_TEST_H
#define ECO_TEST_H

#include <math.h>
#include <string.h>

void eco_test_register(const char *name, const char *file, void (*fn)(void));
void eco_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
void eco_test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Root of the source tree (tests read fixtures relative to it). */
const char *eco_test_srcdir(void);
/* A fresh temporary directory for this test (removed by the runner). */
const char *eco_test_tmpdir(void);
/* Write text to path (a fixture file); a failure ends the test, naming the path. */
void eco_test_write_file(const char *path, const char *text);

#define ECO_TEST(name)                                                                  \
    static void name(void);                                                             \
    __attribute__((constructor)) static void eco_reg_##name(void)                       \
    {                                                                                   \
        eco_test_register(#name, __FILE__, name);                                       \
    }                                                                                   \
    static void name(void)

#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond))                                                                    \
            eco_test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                      \
    } while (0)
#define CHECK_INT(a, b)                                                                 \
    do {                                                                                \
        long long eco_a_ = (long long)(a), eco_b_ = (long long)(b);                     \
        if (eco_a_ != eco_b_)                                                           \
            eco_test_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", #a, eco_a_, \
                          #b, eco_b_);                                                  \
    } while (0)
/* Relative tolerance check: |a-b| <= rel*max(|a|,|b|) (or abs 1e-12). */
#define CHECK_NEAR(a, b, rel)                                                           \
    do {                                                                                \
        double eco_a_ = (double)(a), eco_b_ = (double)(b);                              \
        double eco_m_ = fmax(fabs(eco_a_), fabs(eco_b_));                               \
        if (!(fabs(eco_a_ - eco_b_) <= (rel)*eco_m_ || fabs(eco_a_ - eco_b_) < 1e-12))  \
            eco_test_fail(__FILE__, __LINE__, "%s = %.10g, expected %.10g (rel tol %g)", #a, \
                          eco_a_, eco_b_, (double)(rel));                               \
    } while (0)
#define CHECK_STR(a, b)                                                                 \
    do {                                                                                \
        const char *eco_a_ = (a), *eco_b_ = (b);                                        \
        if (!eco_a_ || !eco_b_ || strcmp(eco_a_, eco_b_) != 0)                          \
            eco_test_fail(__FILE__, __LINE__, "%s = \"%s\", expected \"%s\"", #a,       \
                          eco_a_ ? eco_a_ : "(null)", eco_b_ ? eco_b_ : "(null)");       \
    } while (0)
#define ECO_SKIP(...) eco_test_skip(__VA_ARGS__)

#endif
