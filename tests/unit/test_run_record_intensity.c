/* --carbon-intensity edges the first test of eco_intensity_parse did not
 * try (issue 12: one rule, one message). The rule is "a decimal number of
 * gCO2e/kWh in 0..2000": strtod alone also takes C's hexadecimal floats
 * ("0x10" became 16, "0x1p4" too) and gives -0 for "-0", which every output
 * then printed as "-0 g at -0 gCO2e/kWh". */
#include <math.h>
#include <string.h>

#include "carbon/intensity.h"
#include "test.h"

ECO_TEST(run_record_intensity_decimal_only)
{
    struct eco_err err;
    double v = -1;
    const char *bad[] = {"0x10", "0X7D0", "0x1p4", "infinity", "-nan", "1e9", "12abc", "12 ", "\t5", "1,5", "+"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eco_err_clear(&err);
        if (eco_intensity_parse(bad[i], &v, &err) == 0)
            eco_test_fail(__FILE__, __LINE__, "accepted '%s' as %g", bad[i], v);
        CHECK_INT(err.code, 2);
        CHECK(strstr(err.msg, "is not a number of gCO2e/kWh in 0..2000") != NULL);
    }
    const struct {
        const char *text;
        double want;
    } good[] = {{"56", 56}, {"0", 0}, {"2000", 2000}, {"1e3", 1000}, {"+12.5", 12.5}, {".5", 0.5}, {"2e3", 2000}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        eco_err_clear(&err);
        CHECK_INT(eco_intensity_parse(good[i].text, &v, &err), 0);
        CHECK_NEAR(v, good[i].want, 0);
    }
}

ECO_TEST(run_record_intensity_minus_zero_is_zero)
{
    struct eco_err err;
    eco_err_clear(&err);
    double v = -1;
    CHECK_INT(eco_intensity_parse("-0", &v, &err), 0);
    CHECK(v == 0 && !signbit(v)); /* printed "0", never "-0" */
    CHECK_INT(eco_intensity_parse("-0.0e5", &v, &err), 0);
    CHECK(v == 0 && !signbit(v));
}
