/* Invariants of the built-in carbon-intensity table (data/carbon.tsv): every
 * row well formed, sourced and dated, the coverage issue 2 asks for, and
 * every cloud region pointing at a real grid row. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carbon/intensity.h"
#include "carbon/intensity_table.h"
#include "iso3166.h"
#include "test.h"

/* Each test runs in its own process; make sure a user's override file does
 * not leak into checks of the built-in table. */
static const struct eco_region *builtin(size_t *n)
{
    unsetenv("ECOMETER_CARBON_TABLE");
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_carbon_load(&err) != 0)
        eco_test_fail(__FILE__, __LINE__, "built-in table does not load: %s", err.msg);
    const struct eco_region *rows = eco_region_table(n);
    CHECK(rows != NULL);
    return rows;
}

static size_t count_kind(const struct eco_region *rows, size_t n, const char *kind)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += strcmp(rows[i].kind, kind) == 0;
    return c;
}

ECO_TEST(carbon_table_codes_unique_and_sorted)
{
    size_t n;
    const struct eco_region *rows = builtin(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (strcasecmp(rows[i].code, rows[j].code) == 0)
                eco_test_fail(__FILE__, __LINE__, "code %s appears twice", rows[i].code);
    for (size_t i = 1; i < n; i++)
        if (strcasecmp(rows[i - 1].code, rows[i].code) > 0)
            eco_test_fail(__FILE__, __LINE__, "not sorted: %s before %s", rows[i - 1].code,
                          rows[i].code);
}

ECO_TEST(carbon_table_every_row_sourced_dated_in_range)
{
    size_t n;
    const struct eco_region *rows = builtin(&n);
    for (size_t i = 0; i < n; i++) {
        const struct eco_region *r = &rows[i];
        if (!(r->g_per_kwh > 0 && r->g_per_kwh < 1500))
            eco_test_fail(__FILE__, __LINE__, "%s: %g g/kWh outside (0, 1500)", r->code,
                          r->g_per_kwh);
        if (r->year < 2015 || r->year > 2026)
            eco_test_fail(__FILE__, __LINE__, "%s: year %d outside 2015..2026", r->code, r->year);
        if (strlen(r->source) < 8)
            eco_test_fail(__FILE__, __LINE__, "%s: source '%s' too short to name a publication",
                          r->code, r->source);
        if (!*r->name)
            eco_test_fail(__FILE__, __LINE__, "%s: no name", r->code);
    }
}

ECO_TEST(carbon_table_country_codes_are_iso_alpha2)
{
    size_t n;
    const struct eco_region *rows = builtin(&n);
    size_t countries = 0;
    for (size_t i = 0; i < n; i++) {
        const struct eco_region *r = &rows[i];
        if (strcmp(r->kind, "country") != 0)
            continue;
        countries++;
        if (strlen(r->code) != 2 || !isupper((unsigned char)r->code[0]) ||
            !isupper((unsigned char)r->code[1]))
            eco_test_fail(__FILE__, __LINE__, "country code '%s' is not ISO 3166 alpha-2 shaped",
                          r->code);
        int assigned = 0;
        for (size_t k = 0; k < ECO_ISO3166_N; k++)
            assigned |= strcmp(eco_iso3166[k][0], r->code) == 0;
        if (!assigned)
            eco_test_fail(__FILE__, __LINE__, "country code '%s' is not an assigned ISO 3166-1 code",
                          r->code);
    }
    if (countries < 150)
        eco_test_fail(__FILE__, __LINE__, "only %zu countries, want at least 150", countries);
    CHECK_INT(count_kind(rows, n, "world"), 1);
}

/* The 50 states and DC, by USPS code. */
static const char *const us_states[] = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
    "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"};
static const char *const ca_provinces[] = {"AB", "BC", "MB", "NB", "NL", "NS", "NT",
                                           "NU", "ON", "PE", "QC", "SK", "YT"};
static const char *const au_states[] = {"ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"};

static void check_subdivisions(const char *prefix, const char *kind, const char *const *codes,
                               size_t n_codes)
{
    struct eco_err err;
    for (size_t i = 0; i < n_codes; i++) {
        char code[16];
        snprintf(code, sizeof code, "%s-%s", prefix, codes[i]);
        eco_err_clear(&err);
        const struct eco_region *r = eco_region_find(code, &err);
        if (!r)
            eco_test_fail(__FILE__, __LINE__, "%s missing: %s", code, err.msg);
        if (strcmp(r->kind, kind) != 0 || strcmp(r->code, code) != 0)
            eco_test_fail(__FILE__, __LINE__, "%s has kind %s, code %s", code, r->kind, r->code);
    }
}

ECO_TEST(carbon_table_has_us_states_ca_provinces_au_states)
{
    size_t n;
    const struct eco_region *rows = builtin(&n);
    check_subdivisions("US", "us-state", us_states, sizeof us_states / sizeof us_states[0]);
    check_subdivisions("CA", "ca-province", ca_provinces, sizeof ca_provinces / sizeof ca_provinces[0]);
    check_subdivisions("AU", "au-state", au_states, sizeof au_states / sizeof au_states[0]);
    CHECK_INT(count_kind(rows, n, "us-state"), 51);
    CHECK_INT(count_kind(rows, n, "ca-province"), 13);
    CHECK_INT(count_kind(rows, n, "au-state"), 8);
}

ECO_TEST(carbon_table_cloud_regions_cover_three_providers_and_resolve)
{
    size_t n;
    const struct eco_region *rows = builtin(&n);
    size_t aws = 0, gcp = 0, azure = 0, cloud = 0;
    struct eco_err err;
    for (size_t i = 0; i < n; i++) {
        const struct eco_region *r = &rows[i];
        if (strcmp(r->kind, "cloud") != 0) {
            if (*r->grid)
                eco_test_fail(__FILE__, __LINE__, "%s is not cloud but has grid %s", r->code, r->grid);
            continue;
        }
        cloud++;
        aws += strncmp(r->code, "aws:", 4) == 0;
        gcp += strncmp(r->code, "gcp:", 4) == 0;
        azure += strncmp(r->code, "azure:", 6) == 0;
        eco_err_clear(&err);
        const struct eco_region *g = eco_region_find(r->grid, &err);
        if (!g)
            eco_test_fail(__FILE__, __LINE__, "%s: grid %s does not resolve: %s", r->code, r->grid,
                          err.msg);
        if (strcmp(g->kind, "cloud") == 0 || strcmp(g->kind, "world") == 0)
            eco_test_fail(__FILE__, __LINE__, "%s: grid %s is of kind %s", r->code, r->grid, g->kind);
        /* A region without its own published figure carries its grid's. */
        if (strstr(r->source, "location:") && r->g_per_kwh != g->g_per_kwh)
            eco_test_fail(__FILE__, __LINE__, "%s: %g g/kWh, but its grid %s has %g", r->code,
                          r->g_per_kwh, g->code, g->g_per_kwh);
    }
    if (cloud < 60)
        eco_test_fail(__FILE__, __LINE__, "only %zu cloud regions, want at least 60", cloud);
    if (aws < 15 || gcp < 15 || azure < 15)
        eco_test_fail(__FILE__, __LINE__, "cloud regions: %zu aws, %zu gcp, %zu azure; want 15+ each",
                      aws, gcp, azure);
    CHECK_INT(aws + gcp + azure, cloud);
}
