/* Library edges moved onto core/numparse: each case is a text the edge took
 * before (strtol's "+80" and " 80", strtod's hex, atoi's "1x", strtol base
 * 0's decimal where the kernel writes hex) and refuses now, next to the text
 * it must keep taking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/settings.h"
#include "hw/hardware.h"
#include "meter/baseline.h"
#include "serve/http.h"
#include "test.h"

ECO_TEST(numparse_listen_port_is_decimal)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int loop;
    struct eco_err e;
    eco_err_clear(&e);
    CHECK_INT(eco_http_parse_listen("127.0.0.1:9464", &ss, &sl, &loop, &e), 0);
    CHECK_INT(eco_http_parse_listen("127.0.0.1:0", &ss, &sl, &loop, &e), 0); /* any free port */
    const char *bad[] = {"127.0.0.1:+80", "127.0.0.1: 80", "127.0.0.1:0x50", "127.0.0.1:-0", "127.0.0.1:65536",
                         "127.0.0.1:80 ", "127.0.0.1:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (eco_http_parse_listen(bad[i], &ss, &sl, &loop, &e) == 0)
            eco_test_fail(__FILE__, __LINE__, "--listen '%s' accepted", bad[i]);
}

static int load_baseline(const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/baseline-%zu.tsv", eco_test_tmpdir(), strlen(text));
    FILE *f = fopen(path, "w");
    if (!f)
        return -9;
    fputs(text, f);
    fclose(f);
    setenv("ECOMETER_BASELINE_FILE", path, 1);
    struct eco_baseline b;
    struct eco_err err;
    eco_err_clear(&err);
    int rc = eco_baseline_load(&b, &err);
    unsetenv("ECOMETER_BASELINE_FILE");
    return rc == 1 ? (int)(b.watts * 10) : rc;
}

ECO_TEST(numparse_stored_baseline_is_read_strictly)
{
    CHECK_INT(load_baseline("format\t1\nwatts\t12.5\nduration_s\t60\n"), 125);
    CHECK_INT(load_baseline("format\t1\nwatts\t0x10\n"), -1);   /* strtod: 16 W */
    CHECK_INT(load_baseline("format\t1x\nwatts\t12.5\n"), -1);  /* atoi: format 1 */
    CHECK_INT(load_baseline("format\t1\nwatts\tinf\n"), -1);
    CHECK_INT(load_baseline("format\t1\nwatts\t 12.5\n"), -1); /* strtod skipped the blank */
}

ECO_TEST(numparse_pue_setting_refuses_hex)
{
    struct eco_setting s;
    struct eco_err err;
    eco_err_clear(&err);
    setenv("ECOMETER_PUE", "0x1.8p0", 1); /* strtod: 1.5 */
    eco_settings_reload(&err);
    int rc = eco_setting_get("pue", &s, &err);
    setenv("ECOMETER_PUE", "1.5", 1);
    eco_err_clear(&err);
    eco_settings_reload(&err);
    int ok = eco_setting_get("pue", &s, &err);
    unsetenv("ECOMETER_PUE");
    eco_settings_reload(&err);
    CHECK_INT(rc, -1);
    CHECK_INT(ok, 1);
}

ECO_TEST(numparse_arm_cpuinfo_ids_are_hex_as_the_kernel_prints_them)
{
    char name[128];
    /* arch/arm64/kernel/cpuinfo.c: "CPU implementer\t: 0x%02x", "CPU part\t: 0x%03x" */
    CHECK_INT(eco_cpu_model_from_cpuinfo("processor\t: 0\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n", name,
                                         sizeof name), 0);
    CHECK_STR(name, "ARM Neoverse-N1");
    name[0] = 0;
    /* strtol base 0 took 65 (= 0x41) and 3340 (= 0xd0c): the kernel never writes these */
    eco_cpu_model_from_cpuinfo("processor\t: 0\nCPU implementer\t: 65\nCPU part\t: 3340\n", name, sizeof name);
    CHECK(strcmp(name, "ARM Neoverse-N1") != 0);
}
