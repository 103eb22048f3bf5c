/* Harness: duration parsing (--runtime, --interval, --baseline...,
 * src/core/duration.c) and formatting of what it returns. Invariants: an
 * accepted duration is a finite number >= 0, and formatting it never
 * overflows the buffer; a refused one says why with code 2. */
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
        FUZZ_ASSERT(!strpbrk(s, "xX+- ")); /* the grammar has no hex, sign or space */
        char buf[64];
        eco_format_duration(sec, buf, sizeof buf);
        FUZZ_ASSERT(strlen(buf) < sizeof buf);
    } else {
        FUZZ_ASSERT(err.code == 2 && err.msg[0]);
    }
    free(s);
    return 0;
}
