/* Cross-check of our country figures against two other tools' public tables
 * (read from ../shared/reference, never copied): CodeCarbon's
 * global_energy_mix.json (OWID/Ember, mostly 2022) and Green Algorithms'
 * CI_aggregated.csv (various sources, 2019-2022). Years and methods differ
 * (lifecycle vs direct emissions, a drier or wetter hydro year), so exact
 * agreement is not expected; a large share of big disagreements would mean a
 * data-entry error on our side (a wrong unit, a swapped row). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carbon/intensity.h"
#include "core/tsv.h"
#include "iso3166.h"
#include "test.h"

struct pair {
    const char *code;
    double ours, theirs;
};

static char ref_dir[1024];

/* shared/reference beside the checkout or one of its parents (the main tree
 * is /work/main, a worktree /work/wt/NAME, the sanitizer copy build/sanitize
 * inside a tree); ECOMETER_REFERENCE_DIR overrides. */
static const char *reference_dir(void)
{
    const char *env = getenv("ECOMETER_REFERENCE_DIR");
    if (env && *env)
        return env;
    const char *src = getenv("ECOMETER_SRC");
    if (!src)
        src = eco_test_srcdir();
    char up[64] = "..";
    for (int level = 0; level < 5; level++) {
        snprintf(ref_dir, sizeof ref_dir, "%s/%s/shared/reference", src, up);
        if (access(ref_dir, R_OK) == 0)
            return ref_dir;
        strcat(up, "/..");
    }
    snprintf(ref_dir, sizeof ref_dir, "%s/../shared/reference", src);
    return ref_dir;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            char *b = realloc(buf, cap + 1);
            if (!b) {
                free(buf);
                buf = NULL;
            }
            buf = b;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    *len = n;
    return buf;
}

static const struct eco_region *our_row(const char *code, const char *kind)
{
    struct eco_err err;
    const struct eco_region *r = eco_region_find(code, &err);
    return r && strcmp(r->kind, kind) == 0 && strcmp(r->code, code) == 0 ? r : NULL;
}

static const struct eco_region *our_country(const char *alpha2)
{
    return our_row(alpha2, "country");
}

/* Green Algorithms' subnational codes: the same as ours but Manitoba is
 * CA-MT there; a code we do not have (AU-WA1, CN-HK...) is skipped. */
static const struct eco_region *our_subdivision(const char *code)
{
    if (strcmp(code, "CA-MT") == 0)
        code = "CA-MB";
    const char *kind = strncmp(code, "US-", 3) == 0   ? "us-state"
                       : strncmp(code, "CA-", 3) == 0 ? "ca-province"
                       : strncmp(code, "AU-", 3) == 0 ? "au-state"
                                                      : "";
    return our_row(code, kind);
}

/* Agreement: within rel of the larger figure, or within 25 g/kWh, because on
 * hydro/nuclear grids (10-60 g) lifecycle and direct figures differ by tens
 * of percent while both are right. */
static int agrees(const struct pair *p, double rel)
{
    double d = fabs(p->ours - p->theirs), m = fmax(p->ours, p->theirs);
    return d <= rel * m || d <= 25;
}

static int by_gap(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    double gx = fabs(x->ours - x->theirs) / fmax(fmax(x->ours, x->theirs), 1);
    double gy = fabs(y->ours - y->theirs) / fmax(fmax(y->ours, y->theirs), 1);
    return (gx < gy) - (gx > gy);
}

static void report_and_judge(const char *what, struct pair *p, size_t n, size_t min_pairs)
{
    if (n < min_pairs)
        eco_test_fail(__FILE__, __LINE__, "%s: only %zu rows in common; expected %zu+", what,
                      n, min_pairs);
    size_t in20 = 0, in30 = 0;
    for (size_t i = 0; i < n; i++) {
        in20 += agrees(&p[i], 0.20);
        in30 += agrees(&p[i], 0.30);
    }
    qsort(p, n, sizeof *p, by_gap);
    printf("    %s: %zu rows in common; %zu (%.0f%%) agree within 20%%, %zu (%.0f%%) within "
           "30%% (or 25 g)\n    worst:",
           what, n, in20, 100.0 * in20 / n, in30, 100.0 * in30 / n);
    for (size_t i = 0; i < n && i < 8; i++)
        printf(" %s %.0f/%.0f", p[i].code, p[i].ours, p[i].theirs);
    printf(" (ours/theirs g/kWh)\n");
    if (in30 < 0.8 * n)
        eco_test_fail(__FILE__, __LINE__, "%s: only %zu of %zu rows agree within 30%%", what,
                      in30, n);
}

ECO_TEST(carbon_crosscheck_codecarbon_global_energy_mix)
{
    unsetenv("ECOMETER_CARBON_TABLE");
    char path[1200];
    snprintf(path, sizeof path, "%s/codecarbon/global_energy_mix.json", reference_dir());
    size_t len;
    char *text = slurp(path, &len);
    if (!text)
        ECO_SKIP("%s absent: no cross-check against CodeCarbon's table", path);
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    CHECK(root != NULL);
    struct pair pairs[ECO_ISO3166_N];
    size_t n = 0;
    for (size_t k = 0; k < ECO_ISO3166_N; k++) {
        cJSON *c = cJSON_GetObjectItemCaseSensitive(root, eco_iso3166[k][1]);
        cJSON *ci = c ? cJSON_GetObjectItemCaseSensitive(c, "carbon_intensity") : NULL;
        const struct eco_region *r = our_country(eco_iso3166[k][0]);
        if (!cJSON_IsNumber(ci) || !r || ci->valuedouble <= 0)
            continue;
        pairs[n++] = (struct pair){r->code, r->g_per_kwh, ci->valuedouble};
    }
    cJSON_Delete(root);
    report_and_judge("CodeCarbon global_energy_mix.json", pairs, n, 100);
}

ECO_TEST(carbon_crosscheck_green_algorithms)
{
    unsetenv("ECOMETER_CARBON_TABLE");
    char path[1200];
    snprintf(path, sizeof path, "%s/green-algorithms/CI_aggregated.csv", reference_dir());
    size_t len;
    char *text = slurp(path, &len);
    if (!text)
        ECO_SKIP("%s absent: no cross-check against Green Algorithms' table", path);
    /* Two header rows (units, then names); simple CSV whose fields we need
     * (location, carbonIntensity, Type) are never quoted. */
    struct pair pairs[256], regions[256];
    size_t n = 0, n_regions = 0;
    int line = 0;
    int c_loc = -1, c_ci = -1, c_type = -1;
    for (char *s = strtok(text, "\n"); s; s = strtok(NULL, "\n")) {
        line++;
        if (line == 1)
            continue;
        char *f[16] = {0};
        int nf = 0;
        for (char *p = s; nf < 16;) {
            f[nf++] = p;
            /* skip a quoted field whole */
            if (*p == '"') {
                char *q = strchr(p + 1, '"');
                p = q ? q + 1 : p + strlen(p);
            }
            char *comma = strchr(p, ',');
            if (!comma)
                break;
            *comma = 0;
            p = comma + 1;
        }
        if (line == 2) {
            for (int j = 0; j < nf; j++) {
                f[j][strcspn(f[j], "\r")] = 0;
                if (strcmp(f[j], "location") == 0)
                    c_loc = j;
                else if (strcmp(f[j], "carbonIntensity") == 0)
                    c_ci = j;
                else if (strcmp(f[j], "Type") == 0)
                    c_type = j;
            }
            CHECK(c_loc >= 0 && c_ci >= 0 && c_type >= 0);
            continue;
        }
        if (nf <= c_type)
            continue;
        double v = atof(f[c_ci]);
        if (strcmp(f[c_type], "Country") == 0) {
            const struct eco_region *r = our_country(f[c_loc]);
            if (r && v > 0 && n < 256)
                pairs[n++] = (struct pair){r->code, r->g_per_kwh, v};
        } else if (strcmp(f[c_type], "Region") == 0) {
            const struct eco_region *r = our_subdivision(f[c_loc]);
            if (r && v > 0 && n_regions < 256)
                regions[n_regions++] = (struct pair){r->code, r->g_per_kwh, v};
        }
    }
    free(text);
    report_and_judge("Green Algorithms CI_aggregated.csv, countries", pairs, n, 40);
    report_and_judge("Green Algorithms CI_aggregated.csv, US/CA/AU subdivisions", regions,
                     n_regions, 60);
}

/* CodeCarbon's usa_emissions.json holds eGRID 2016 state rates (lb/MWh); ours
 * are eGRID2022, and six years of coal retirements moved some states by a
 * third, so this catches unit and row errors, not the trend. */
ECO_TEST(carbon_crosscheck_codecarbon_us_states)
{
    unsetenv("ECOMETER_CARBON_TABLE");
    char path[1200];
    snprintf(path, sizeof path, "%s/codecarbon/usa_emissions.json", reference_dir());
    size_t len;
    char *text = slurp(path, &len);
    if (!text)
        ECO_SKIP("%s absent: no cross-check of US states", path);
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    CHECK(root != NULL);
    struct pair pairs[64];
    size_t n = 0;
    const cJSON *st;
    cJSON_ArrayForEach(st, root)
    {
        const cJSON *lb = cJSON_GetObjectItemCaseSensitive(st, "emissions");
        const cJSON *rc = cJSON_GetObjectItemCaseSensitive(st, "regionCode");
        if (!cJSON_IsNumber(lb) || !cJSON_IsString(rc) || n >= 64)
            continue;
        char code[16];
        snprintf(code, sizeof code, "US-%s", rc->valuestring);
        const struct eco_region *r = our_row(code, "us-state");
        if (r)
            pairs[n++] = (struct pair){r->code, r->g_per_kwh, lb->valuedouble * 0.45359237};
    }
    cJSON_Delete(root);
    report_and_judge("CodeCarbon usa_emissions.json (eGRID 2016)", pairs, n, 50);
}
