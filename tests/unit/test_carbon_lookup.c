/* Looking up places, resolving what the user gave, and the user's override
 * table (ECOMETER_CARBON_TABLE). Each test runs in its own process, so a test
 * may set the environment before the table loads lazily. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon/intensity.h"
#include "carbon/intensity_table.h"
#include "test.h"

static const struct eco_region *find(const char *q)
{
    struct eco_err err;
    eco_err_clear(&err);
    const struct eco_region *r = eco_region_find(q, &err);
    if (!r)
        eco_test_fail(__FILE__, __LINE__, "'%s' not found: %s / %s", q, err.msg, err.hint);
    return r;
}

ECO_TEST(carbon_find_codes_names_any_case)
{
    unsetenv("ECOMETER_CARBON_TABLE");
    CHECK_STR(find("FR")->code, "FR");
    CHECK_STR(find("fr")->code, "FR");
    CHECK_STR(find("France")->code, "FR");
    CHECK_STR(find("FRANCE")->code, "FR");
    CHECK_STR(find("us-ca")->code, "US-CA");
    CHECK_STR(find("California")->code, "US-CA");
    CHECK_STR(find("ca-qc")->code, "CA-QC");
    CHECK_STR(find("au-nsw")->code, "AU-NSW");
    CHECK_STR(find("world")->code, "WORLD");
    CHECK_STR(find(" FR\t")->code, "FR");
    CHECK_STR(find("new south wales")->code, "AU-NSW");
    CHECK_STR(find("AWS:EU-WEST-3")->code, "aws:eu-west-3");
    CHECK_STR(find("gcp:europe-west1")->code, "gcp:europe-west1");
    CHECK_STR(find("azure:francecentral")->code, "azure:francecentral");
}

ECO_TEST(carbon_find_bare_cloud_names)
{
    unsetenv("ECOMETER_CARBON_TABLE");
    CHECK_STR(find("eu-west-3")->code, "aws:eu-west-3");
    CHECK_STR(find("EU-WEST-3")->code, "aws:eu-west-3");
    CHECK_STR(find("europe-west1")->code, "gcp:europe-west1");
    CHECK_STR(find("francecentral")->code, "azure:francecentral");
    /* A cloud region's figure is its grid's (no provider figure given). */
    const struct eco_region *r = find("eu-west-3");
    CHECK_STR(r->grid, "FR");
    CHECK_NEAR(r->g_per_kwh, find("FR")->g_per_kwh, 0);
    CHECK_INT(r->year, find("FR")->year);
    CHECK(strstr(r->source, "location:") != NULL);
}

ECO_TEST(carbon_find_ambiguous_name_lists_candidates)
{
    unsetenv("ECOMETER_CARBON_TABLE");
    /* Georgia is a country (GE) and a US state (US-GA). */
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_region_find("georgia", &err) == NULL);
    CHECK_INT(err.code, 2);
    CHECK(strstr(err.msg, "ambiguous") != NULL);
    CHECK(strstr(err.hint, "GE") != NULL);
    CHECK(strstr(err.hint, "US-GA") != NULL);
}

ECO_TEST(carbon_find_ambiguous_bare_cloud_name)
{
    /* No two providers share a region name today; a user table can add one. */
    char path[512];
    snprintf(path, sizeof path, "%s/extra.tsv", eco_test_tmpdir());
    eco_test_write_file(path, "code\tname\tkind\tgrid\tg_per_kwh\tsource\tyear\n"
                     "ovh:eu-west-3\tOVH test region\tcloud\tFR\t\ttest fixture row\t\n");
    setenv("ECOMETER_CARBON_TABLE", path, 1);
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_region_find("eu-west-3", &err) == NULL);
    CHECK_INT(err.code, 2);
    CHECK(strstr(err.hint, "aws:eu-west-3") != NULL);
    CHECK(strstr(err.hint, "ovh:eu-west-3") != NULL);
    CHECK_STR(find("ovh:eu-west-3")->code, "ovh:eu-west-3");
}

ECO_TEST(carbon_find_unknown_gives_three_closest)
{
    unsetenv("ECOMETER_CARBON_TABLE");
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_region_find("Frnace", &err) == NULL);
    CHECK_INT(err.code, 2);
    CHECK(strstr(err.msg, "Frnace") != NULL);
    CHECK(strstr(err.hint, "FR (France)") != NULL);
    /* exactly three suggestions: two separators between them */
    const char *p = strstr(err.hint, "closest: ");
    CHECK(p != NULL);
    int commas = 0;
    for (const char *c = p; *c && *c != ';'; c++)
        commas += *c == ',';
    CHECK_INT(commas, 2);

    eco_err_clear(&err);
    CHECK(eco_region_find("eu-west-33", &err) == NULL);
    CHECK(strstr(err.hint, "aws:eu-west-3") != NULL);
    eco_err_clear(&err);
    CHECK(eco_region_find("", &err) == NULL);
    CHECK_INT(err.code, 2);
}

ECO_TEST(carbon_resolve_precedence)
{
    unsetenv("ECOMETER_CARBON_TABLE");
    struct eco_intensity in;
    struct eco_err err;
    eco_err_clear(&err);
    /* a number wins over a region */
    CHECK_INT(eco_intensity_resolve("FR", 123.5, &in, &err), 0);
    CHECK_NEAR(in.g_per_kwh, 123.5, 0);
    CHECK(in.region == NULL);
    CHECK_INT(in.is_default, 0);
    CHECK_INT(eco_intensity_resolve(NULL, 0, &in, &err), 0);
    CHECK_NEAR(in.g_per_kwh, 0, 0);
    /* then the region */
    CHECK_INT(eco_intensity_resolve("fr", ECO_INTENSITY_NONE, &in, &err), 0);
    CHECK(in.region == find("FR"));
    CHECK_NEAR(in.g_per_kwh, find("FR")->g_per_kwh, 0);
    CHECK_INT(in.is_default, 0);
    CHECK(strstr(in.label, "FR (France") == in.label);
    CHECK(strstr(in.label, "Ember") != NULL && strstr(in.label, "20") != NULL);
    CHECK_INT(eco_intensity_resolve("eu-west-3", ECO_INTENSITY_NONE, &in, &err), 0);
    CHECK(strstr(in.label, "grid FR") != NULL);
    /* else the world average, flagged */
    CHECK_INT(eco_intensity_resolve(NULL, ECO_INTENSITY_NONE, &in, &err), 0);
    CHECK(in.region == eco_region_world());
    CHECK_STR(in.region->code, "WORLD");
    CHECK_INT(in.is_default, 1);
    CHECK(in.g_per_kwh > 300 && in.g_per_kwh < 600);
}

ECO_TEST(carbon_resolve_rejects_bad_numbers_and_places)
{
    unsetenv("ECOMETER_CARBON_TABLE");
    struct eco_intensity in;
    struct eco_err err;
    const double bad[] = {-5, -0.5, 2000.5, 1e9, NAN, INFINITY};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eco_err_clear(&err);
        if (eco_intensity_resolve(NULL, bad[i], &in, &err) == 0)
            eco_test_fail(__FILE__, __LINE__, "accepted %g g/kWh", bad[i]);
        CHECK_INT(err.code, 2);
    }
    eco_err_clear(&err);
    CHECK(eco_intensity_resolve("Atlantis", ECO_INTENSITY_NONE, &in, &err) != 0);
    CHECK_INT(err.code, 2);
    CHECK(strstr(err.hint, "closest") != NULL);
    eco_err_clear(&err);
    CHECK(eco_intensity_resolve("", ECO_INTENSITY_NONE, &in, &err) != 0);
    CHECK_INT(err.code, 2);
}

ECO_TEST(carbon_parse_intensity_argument)
{
    struct eco_err err;
    double v = -1;
    CHECK_INT(eco_intensity_parse("56", &v, &err), 0);
    CHECK_NEAR(v, 56, 0);
    CHECK_INT(eco_intensity_parse("0", &v, &err), 0);
    CHECK_INT(eco_intensity_parse("2000", &v, &err), 0);
    const char *bad[] = {"", "-1", "-0.1", "2001", "abc", "12g", " 5", "nan", "inf", "1e400"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eco_err_clear(&err);
        if (eco_intensity_parse(bad[i], &v, &err) == 0)
            eco_test_fail(__FILE__, __LINE__, "accepted '%s' as %g", bad[i], v);
        CHECK_INT(err.code, 2);
    }
}

ECO_TEST(carbon_override_replaces_and_adds)
{
    char path[512];
    snprintf(path, sizeof path, "%s/mine.tsv", eco_test_tmpdir());
    /* columns in another order, an extra column: matched by name */
    eco_test_write_file(path, "# my utility's figure\n"
                     "name\tcode\tkind\tgrid\tg_per_kwh\tsource\tyear\tnote\n"
                     "France (my contract)\tFR\tcountry\t\t12.5\tmy supplier 2025\t2025\tx\n"
                     "My lab\tLAB-1\tcountry\t\t300\tmy meter\t2024\t\n");
    setenv("ECOMETER_CARBON_TABLE", path, 1);
    const struct eco_region *fr = find("fr");
    CHECK_NEAR(fr->g_per_kwh, 12.5, 0);
    CHECK_INT(fr->year, 2025);
    CHECK_STR(fr->name, "France (my contract)");
    CHECK_NEAR(find("lab-1")->g_per_kwh, 300, 0);
    /* cloud regions on the replaced grid follow it */
    CHECK_NEAR(find("aws:eu-west-3")->g_per_kwh, 12.5, 0);
    size_t n = 0;
    eco_region_table(&n);
    CHECK(n > 100);
}

static int build_with(const char *override_text, struct eco_err *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/o.tsv", eco_test_tmpdir());
    eco_test_write_file(path, override_text);
    static const char base[] = "code\tname\tkind\tgrid\tg_per_kwh\tsource\tyear\n"
                               "WORLD\tWorld\tworld\t\t480\tsrc w\t2023\n"
                               "FR\tFrance\tcountry\t\t56\tsrc f\t2023\n";
    struct eco_carbon_table *t = NULL;
    eco_err_clear(err);
    int rc = eco_carbon_table_build(base, sizeof base - 1, "base", path, &t, err);
    eco_carbon_table_free(t);
    return rc;
}

#define HEAD "code\tname\tkind\tgrid\tg_per_kwh\tsource\tyear\n"

ECO_TEST(carbon_override_rejects_bad_rows)
{
    struct eco_err err;
    CHECK_INT(build_with(HEAD "X1\tOk\tcountry\t\t10\ts\t2024\n", &err), 0);
    CHECK_INT(build_with(HEAD "aws:x\tx\tcloud\tFR\t\ts\t\n", &err), 0);
    const char *bad[] = {
        HEAD "X1\tNeg\tcountry\t\t-3\ts\t2024\n",        /* negative */
        HEAD "X1\tBig\tcountry\t\t2500\ts\t2024\n",      /* too large */
        HEAD "X1\tText\tcountry\t\t12g\ts\t2024\n",      /* not a number */
        HEAD "X1\tNoSrc\tcountry\t\t12\t\t2024\n",       /* no source */
        HEAD "X1\tYear\tcountry\t\t12\ts\t1850\n",       /* year */
        HEAD "X1\tKind\tplanet\t\t12\ts\t2024\n",        /* kind */
        HEAD "X 1\tSpace\tcountry\t\t12\ts\t2024\n",     /* code with a space */
        HEAD "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\tLong\tcountry\t\t1\ts\t2024\n", /* 48 chars */
        HEAD "aws:x\tx\tcloud\t\t\ts\t\n",               /* cloud without grid */
        HEAD "aws:x\tx\tcloud\tMARS\t\ts\t\n",           /* grid not in table */
        HEAD "aws:x\tx\tcloud\tFR\t\ts\t\naws:y\ty\tcloud\taws:x\t\ts\t\n", /* cloud chain */
        HEAD "X1\ta\tcountry\t\t1\ts\t2024\nx1\tb\tcountry\t\t1\ts\t2024\n", /* repeated */
        HEAD "X1\tGrid\tcountry\tFR\t12\ts\t2024\n",     /* grid on a non-cloud row */
        HEAD "X1\tshort\tcountry\n",                     /* missing fields */
        "code\tname\n",                                  /* missing columns */
        "",                                              /* empty */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (build_with(bad[i], &err) == 0)
            eco_test_fail(__FILE__, __LINE__, "accepted bad override #%zu", i);
        CHECK_INT(err.code, 2);
        CHECK(err.msg[0] != 0);
    }
    /* a missing file is bad input too, and says so */
    struct eco_carbon_table *t = NULL;
    eco_err_clear(&err);
    CHECK(eco_carbon_table_build(HEAD, sizeof HEAD - 1, "base", "/nonexistent/x.tsv", &t, &err) != 0);
    CHECK(strstr(err.msg, "/nonexistent/x.tsv") != NULL);
    CHECK(strstr(err.hint, "ECOMETER_CARBON_TABLE") != NULL);
}

ECO_TEST(carbon_bad_override_env_reported_by_every_entry_point)
{
    setenv("ECOMETER_CARBON_TABLE", "/nonexistent/carbon.tsv", 1);
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_carbon_load(&err) != 0);
    CHECK_INT(err.code, 2);
    eco_err_clear(&err);
    CHECK(eco_region_find("FR", &err) == NULL);
    CHECK(strstr(err.msg, "/nonexistent/carbon.tsv") != NULL);
    struct eco_intensity in;
    eco_err_clear(&err);
    CHECK(eco_intensity_resolve(NULL, ECO_INTENSITY_NONE, &in, &err) != 0);
    CHECK_INT(err.code, 2);
    size_t n = 99;
    CHECK(eco_region_table(&n) == NULL);
    CHECK_INT(n, 0);
    CHECK(eco_region_world() == NULL);
}

ECO_TEST(carbon_override_survives_garbage)
{
    /* Random bytes and mangled rows must give an error or a table, never a
     * crash; fixed seed so a failure is reproducible. */
    static const char pieces[][24] = {"\t", "\n", "\r\n", "#", "code", "cloud", "FR", "WORLD",
                                      "1e308", "-0", "nan", "2023", "aws:x", "\xff\xfe", " ", ":"};
    unsigned seed = 12345;
    for (int round = 0; round < 300; round++) {
        char text[2048] = HEAD;
        size_t len = strlen(text);
        int n = 1 + round % 60;
        for (int k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            size_t pl = strlen(p);
            if (len + pl + 1 >= sizeof text)
                break;
            memcpy(text + len, p, pl + 1);
            len += pl;
        }
        struct eco_err err;
        int rc = build_with(text, &err);
        CHECK(rc == 0 || (err.code == 2 && err.msg[0]));
    }
}

ECO_TEST(carbon_find_long_and_odd_queries)
{
    unsetenv("ECOMETER_CARBON_TABLE");
    char q[5000];
    memset(q, 'x', sizeof q - 1);
    q[sizeof q - 1] = 0;
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_region_find(q, &err) == NULL);
    CHECK_INT(err.code, 2);
    CHECK(strstr(err.hint, "closest") != NULL);
    const char *odd[] = {":", "aws:", ":eu-west-3", "\xff\xfe", "%s%n", " ", "F R"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        eco_err_clear(&err);
        if (eco_region_find(odd[i], &err) != NULL)
            eco_test_fail(__FILE__, __LINE__, "'%s' matched a row", odd[i]);
        CHECK_INT(err.code, 2);
    }
}
