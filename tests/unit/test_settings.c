/* Settings given once (issue 13, core/settings.h): the config file's
 * format and its errors (file:line), the order flag > environment > file >
 * default, and the places that read them: the carbon intensity (no world
 * average when a region is set), the history's path, the CPU choice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "carbon/intensity.h"
#include "core/settings.h"
#include "store/history.h"
#include "test.h"

/* Write the config file under this test's XDG_CONFIG_HOME and reload it. */
static int config(const char *text, struct eco_err *err)
{
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/cfg", eco_test_tmpdir());
    mkdir(dir, 0700);
    setenv("XDG_CONFIG_HOME", dir, 1);
    snprintf(path, sizeof path, "%s/ecometer", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/ecometer/config", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    fclose(f);
    eco_err_clear(err);
    return eco_settings_reload(err);
}

ECO_TEST(settings_file_format_and_order)
{
    unsetenv("ECOMETER_REGION");
    unsetenv("ECOMETER_DB");
    struct eco_err err;
    CHECK(config("# where this machine is\n\n  region =  FR   # France\ninterval=200ms\nregion = DE\n"
                 "db = /tmp/x y.db\n",
                 &err) == 0);
    struct eco_setting s;
    CHECK_INT(eco_setting_get("region", &s, &err), 1);
    CHECK_STR(s.value, "DE"); /* the last line wins */
    CHECK_INT(s.origin, ECO_SETTING_FILE);
    CHECK(strstr(s.where, "/ecometer/config:5") != NULL);
    CHECK_INT(eco_setting_get("interval", &s, &err), 1);
    CHECK_STR(s.value, "200ms");
    CHECK_INT(eco_setting_get("pue", &s, &err), 0);
    CHECK_INT(s.origin, ECO_SETTING_DEFAULT);
    CHECK_STR(s.where, "default");
    CHECK_INT(eco_setting_get("db", &s, &err), 1);
    CHECK_STR(s.value, "/tmp/x y.db"); /* inner spaces kept */
    char path[4096];
    CHECK(eco_history_default_path(path, sizeof path, &err) == 0);
    CHECK_STR(path, "/tmp/x y.db");
    /* the environment wins over the file */
    setenv("ECOMETER_REGION", "SE", 1);
    setenv("ECOMETER_DB", "/tmp/env.db", 1);
    CHECK_INT(eco_setting_get("region", &s, &err), 1);
    CHECK_STR(s.value, "SE");
    CHECK_INT(s.origin, ECO_SETTING_ENV);
    CHECK_STR(s.where, "ECOMETER_REGION");
    CHECK(eco_history_default_path(path, sizeof path, &err) == 0);
    CHECK_STR(path, "/tmp/env.db");
    unsetenv("ECOMETER_REGION");
    unsetenv("ECOMETER_DB");
    CHECK(eco_setting_get("colour", &s, &err) < 0);
    CHECK(strstr(err.hint, "region, pue") != NULL);
}

ECO_TEST(settings_bad_lines_name_file_and_line)
{
    struct eco_err err;
    struct { const char *text, *want; } bad[] = {
        {"region = FR\nregoin = FR\n", "config:2: unknown key 'regoin'"},
        {"region FR\n", "config:1: expected 'key = value'"},
        {"pue = 0.8\n", "config:1: pue '0.8' is not a number from 1 to 10"},
        {"interval = soon\n", "config:1: interval 'soon' is not a duration"},
        {"\n\nregion =\n", "config:3: no value for region"},
        {"region = F\x01R\n", "config:1: the value holds a control character"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(config(bad[i].text, &err) != 0);
        CHECK_INT(err.code, 2);
        if (!strstr(err.msg, bad[i].want))
            eco_test_fail(__FILE__, __LINE__, "%s: got '%s'", bad[i].want, err.msg);
        struct eco_setting s; /* every reader then refuses, with the same message */
        struct eco_err e2;
        eco_err_clear(&e2);
        CHECK(eco_setting_get("region", &s, &e2) < 0);
        CHECK_STR(e2.msg, err.msg);
    }
    /* a bad environment variable: named */
    CHECK(config("", &err) == 0);
    setenv("ECOMETER_PUE", "lots", 1);
    struct eco_setting s;
    CHECK(eco_setting_get("pue", &s, &err) < 0);
    CHECK(strstr(err.msg, "ECOMETER_PUE: pue 'lots'") != NULL);
    unsetenv("ECOMETER_PUE");
}

ECO_TEST(settings_region_sets_the_intensity_without_the_default)
{
    struct eco_err err;
    unsetenv("ECOMETER_REGION");
    CHECK(config("", &err) == 0);
    struct eco_intensity in;
    CHECK(eco_intensity_resolve(NULL, ECO_INTENSITY_NONE, &in, &err) == 0);
    CHECK_INT(in.is_default, 1); /* nothing set: the world average, flagged */
    CHECK(config("region = FR\n", &err) == 0);
    CHECK(eco_intensity_resolve(NULL, ECO_INTENSITY_NONE, &in, &err) == 0);
    CHECK_INT(in.is_default, 0);
    CHECK_STR(in.region->code, "FR");
    CHECK(strstr(in.label, "set by the config file") != NULL);
    setenv("ECOMETER_REGION", "pl", 1);
    CHECK(eco_intensity_resolve(NULL, ECO_INTENSITY_NONE, &in, &err) == 0);
    CHECK_STR(in.region->code, "PL");
    CHECK(strstr(in.label, "set by ECOMETER_REGION") != NULL);
    /* a flag wins over both */
    CHECK(eco_intensity_resolve("DE", ECO_INTENSITY_NONE, &in, &err) == 0);
    CHECK_STR(in.region->code, "DE");
    CHECK(eco_intensity_resolve(NULL, 100, &in, &err) == 0);
    CHECK(in.g_per_kwh == 100 && in.region == NULL);
    /* an unknown place set once: the error says where it was set */
    setenv("ECOMETER_REGION", "Atlantis", 1);
    CHECK(eco_intensity_resolve(NULL, ECO_INTENSITY_NONE, &in, &err) != 0);
    CHECK_INT(err.code, 2);
    CHECK(strstr(err.msg, "region 'Atlantis' (set by ECOMETER_REGION)") != NULL);
    unsetenv("ECOMETER_REGION");
}
