/* Harness: duration parsing (--runtime, --interval, --baseline...,
 * src/core/duration.c) and formatting of what it returns. Invariants: an
 * accepted duration is a finite number >= 0 with no hex, sign or exponent in
 * its text (a '-' only in Slurm's D-HH form, after digits), formatting it
 * never overflows the buffer, and what eco_format_duration prints parses back
 * to the same value within the printed rounding; a refused one says why with
 * code 2. */
#include <math.h>

#include "core/duration.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    double sec = -1;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_parse_duration(s, &sec, &err) == 0) {
        FUZZ_ASSERT(isfinite(sec) && sec >= 0 && sec <= ECO_DURATION_MAX_S);
        FUZZ_ASSERT(!strpbrk(s, "xX+\t\n"));
        FUZZ_ASSERT(s[0] != '-' && s[0] != ' ' && s[strlen(s) - 1] != ' ');
        const char *dash = strchr(s, '-');
        FUZZ_ASSERT(!dash || (dash > s && !strpbrk(s, " abcdefghijklmnopqrstuvwyzABCDEFGHIJKLMNOPQRSTUVWYZ")));
        char buf[64];
        eco_format_duration(sec, buf, sizeof buf);
        FUZZ_ASSERT(strlen(buf) < sizeof buf);
        /* what ecometer prints, it reads back: ms below 1 s, 1/100 s below
         * a minute, whole seconds above */
        double back = -1, tol = sec < 1 ? 5e-4 : sec < 60 ? 5e-3 : 0.5;
        struct eco_err err2;
        eco_err_clear(&err2);
        FUZZ_ASSERT(eco_parse_duration(buf, &back, &err2) == 0);
        FUZZ_ASSERT(fabs(back - sec) <= tol + 1e-9 * sec);
    } else {
        FUZZ_ASSERT(err.code == 2 && err.msg[0]);
    }
    free(s);
    return 0;
}
