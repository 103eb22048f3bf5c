/* eco_duration_arg: the one wording of a refused duration option. */
#include <string.h>

#include "core/duration.h"
#include "test.h"

static const char *refused(const char *opt, const char *text, double lo, double hi)
{
    static struct eco_err err;
    double s = -1;
    eco_err_clear(&err);
    if (eco_duration_arg(opt, text, lo, hi, &s, &err) == 0)
        return "accepted";
    return err.code == 2 && strstr(err.hint, "durations look like") ? err.msg : "no code 2 or no hint";
}

ECO_TEST(duration_arg_one_wording_with_the_range)
{
    CHECK_STR(refused("--interval", "5h", 0.001, 3600), "--interval '5h': give a duration from 1ms to 1h");
    CHECK_STR(refused("--refresh", "1ms", 0.1, ECO_DURATION_MAX_S), "--refresh '1ms': give a duration of at least 100ms");
    CHECK_STR(refused("--window", "11s", 0, 10), "--window '11s': give a duration of at most 10s");
    CHECK_STR(refused("--for", "0s", ECO_DURATION_ABOVE_0, ECO_DURATION_MAX_S), "--for '0s': give a duration above 0");
    CHECK_STR(refused("--best-window", "400d", ECO_DURATION_ABOVE_0, 366 * 86400.0),
              "--best-window '400d': give a duration above 0 and at most 366d");
    CHECK_STR(refused("--since", "5x", 0, ECO_DURATION_MAX_S), "--since '5x': give a duration");
    CHECK_STR(refused("--baseline", "0.1s", 0.5, 86400), "--baseline '0.1s': give a duration from 500ms to 1d");
}

ECO_TEST(duration_arg_keeps_the_parsers_reason_in_the_hint)
{
    struct eco_err err;
    double s = 7;
    eco_err_clear(&err);
    CHECK_INT(eco_duration_arg("--since", "30m 1h", 0, ECO_DURATION_MAX_S, &s, &err), -1);
    CHECK(strstr(err.hint, "units out of order") != NULL);
    CHECK(s == 7); /* left alone */
    CHECK_INT(eco_duration_arg("--since", "1h 30m", 0, ECO_DURATION_MAX_S, &s, &err), 0);
    CHECK(s == 5400);
    CHECK_INT(eco_duration_arg("--since", "1h", 3600, 3600, &s, &err), 0); /* both ends included */
}
