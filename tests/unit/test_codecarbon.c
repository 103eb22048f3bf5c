/* export --format codecarbon against CodeCarbon itself: the header of each
 * layout against one written here from CodeCarbon's documentation and
 * source, the mapping table of docs/METHODOLOGY.md against the same header,
 * the place columns (ISO alpha-3 as CodeCarbon writes them), gpu_model as
 * "N x NAME", empty cells where ecometer has no value, and the header check
 * that guards --append. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon/intensity.h"
#include "carbon/iso3166.h"
#include "render/codecarbon.h"
#include "synthetic_run.h"
#include "test.h"

/* CodeCarbon 3.x's emissions.csv header, written from its documented data
 * fields (https://docs.codecarbon.io/latest/logging/output, "CSV", CodeCarbon
 * 3.2) in the order of codecarbon/output_methods/emissions_data.py
 * (EmissionsData, 3.x), the order CodeCarbon 3.2.5 writes. The documented
 * table leaves out experiment_id, water_consumed, pue and wue, which the
 * dataclass and written files have. */
static const char cc3_header[] =
    "timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,"
    "cpu_power,gpu_power,ram_power,cpu_energy,gpu_energy,ram_energy,energy_consumed,"
    "water_consumed,country_name,country_iso_code,region,cloud_provider,cloud_region,os,"
    "python_version,codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude,"
    "latitude,ram_total_size,tracking_mode,cpu_utilization_percent,gpu_utilization_percent,"
    "ram_utilization_percent,ram_used_gb,on_cloud,pue,wue";
/* CodeCarbon 2.4 to 2.8 (emissions_data.py before water; files written by
 * 2.8.1 and 2.8.3 have exactly this line). */
static const char cc2_header[] =
    "timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,"
    "cpu_power,gpu_power,ram_power,cpu_energy,gpu_energy,ram_energy,energy_consumed,"
    "country_name,country_iso_code,region,cloud_provider,cloud_region,os,python_version,"
    "codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude,latitude,"
    "ram_total_size,tracking_mode,on_cloud,pue";

static char *write_runs(const struct eco_synth *s, size_t n, const struct eco_codecarbon_opts *o)
{
    struct eco_run_result r[4];
    for (size_t i = 0; i < n; i++)
        eco_synth_run(&s[i], &r[i]);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_codecarbon_write(f, r, n, o, &err) == 0);
    fclose(f);
    for (size_t i = 0; i < n; i++)
        eco_synth_free(&r[i]);
    return buf;
}

/* Field `name` of data line `row` (1 = first row after the header); the
 * fields tested here hold no quoted commas. */
static const char *field(const char *text, int row, const char *name, char *out, size_t cap)
{
    char *copy = strdup(text);
    char *save = NULL, *line = strtok_r(copy, "\n", &save);
    char *hdr = strdup(line);
    for (int i = 0; i < row; i++)
        line = strtok_r(NULL, "\n", &save);
    CHECK(line != NULL);
    char *h = hdr, *v = line;
    out[0] = 0;
    for (char *hf, *vf; (hf = strsep(&h, ",")) && (vf = strsep(&v, ","));)
        if (strcmp(hf, name) == 0) {
            snprintf(out, cap, "%s", vf);
            free(copy);
            free(hdr);
            return out;
        }
    free(copy);
    free(hdr);
    eco_test_fail(__FILE__, __LINE__, "no column %s", name);
}

ECO_TEST(codecarbon_headers_are_codecarbons)
{
    struct eco_synth s = {.id = "h"};
    struct eco_codecarbon_opts o3 = {0}, o2 = {.version = 2};
    char *t3 = write_runs(&s, 1, &o3), *t2 = write_runs(&s, 1, &o2);
    CHECK(strncmp(t3, cc3_header, strlen(cc3_header)) == 0 && t3[strlen(cc3_header)] == '\n');
    CHECK(strncmp(t2, cc2_header, strlen(cc2_header)) == 0 && t2[strlen(cc2_header)] == '\n');
    free(t3);
    free(t2);
    struct eco_codecarbon_opts bad = {.version = 1};
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_codecarbon_write(stdout, NULL, 0, &bad, &err) == -1 && err.code == 2);
}

/* docs/METHODOLOGY.md, "CodeCarbon columns": one table row per column, in
 * CodeCarbon 3.x's order, the 2.x column marking which the 2.x layout has. */
ECO_TEST(codecarbon_methodology_table_is_the_header)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/docs/METHODOLOGY.md", eco_test_srcdir());
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    char line[2048], got3[2048] = "", got2[2048] = "";
    int in_section = 0, rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "### ", 4) == 0)
            in_section = strstr(line, "CodeCarbon columns") != NULL;
        if (!in_section || strncmp(line, "| `", 3) != 0)
            continue;
        char name[64], in2[16];
        /* | `name` | 2.x | value | unit | */
        if (sscanf(line, "| `%63[^`]` | %15[^ |]", name, in2) != 2)
            continue;
        rows++;
        snprintf(got3 + strlen(got3), sizeof got3 - strlen(got3), "%s%s", got3[0] ? "," : "", name);
        if (strcmp(in2, "yes") == 0)
            snprintf(got2 + strlen(got2), sizeof got2 - strlen(got2), "%s%s", got2[0] ? "," : "", name);
    }
    fclose(f);
    CHECK_INT(rows, 38);
    CHECK_STR(got3, cc3_header);
    CHECK_STR(got2, cc2_header);
}

ECO_TEST(codecarbon_place_columns_alpha3)
{
    struct eco_synth s[4] = {
        {.id = "fr", .region = "FR"},
        {.id = "ca", .region = "US-CA", .intensity = 200},
        {.id = "aws", .region = "aws:eu-west-3"},
        {.id = "world", .region = "WORLD", .intensity = 480},
    };
    char *t = write_runs(s, 4, NULL);
    char v[256];
    CHECK_STR(field(t, 1, "country_iso_code", v, sizeof v), "FRA");
    CHECK_STR(field(t, 1, "country_name", v, sizeof v), "France");
    CHECK_STR(field(t, 1, "on_cloud", v, sizeof v), "");
    CHECK_STR(field(t, 2, "country_iso_code", v, sizeof v), "USA");
    CHECK_STR(field(t, 2, "region", v, sizeof v), "california");
    CHECK_STR(field(t, 3, "country_iso_code", v, sizeof v), "FRA");
    CHECK_STR(field(t, 3, "cloud_provider", v, sizeof v), "aws");
    CHECK_STR(field(t, 3, "cloud_region", v, sizeof v), "eu-west-3");
    CHECK_STR(field(t, 3, "on_cloud", v, sizeof v), "Y");
    CHECK_STR(field(t, 4, "country_iso_code", v, sizeof v), ""); /* the world is no country */
    free(t);
}

/* What ecometer does not know stays empty, never a made-up figure. */
ECO_TEST(codecarbon_empty_where_unknown)
{
    struct eco_synth s[2] = {{.id = "gpu", .gpu_w = 250}, {.id = "nogpu"}};
    struct eco_codecarbon_opts o = {.experiment_id = "exp-7", .project_name = "p"};
    char *t = write_runs(s, 2, &o);
    char v[256];
    CHECK_STR(field(t, 1, "gpu_model", v, sizeof v), "1 x NVIDIA A100-SXM4-40GB");
    CHECK_STR(field(t, 1, "gpu_count", v, sizeof v), "1");
    CHECK_STR(field(t, 2, "gpu_model", v, sizeof v), "");
    CHECK_STR(field(t, 2, "gpu_count", v, sizeof v), "");
    CHECK_STR(field(t, 1, "experiment_id", v, sizeof v), "exp-7");
    const char *empty[] = {"water_consumed", "wue", "cpu_utilization_percent", "gpu_utilization_percent",
                           "ram_utilization_percent", "ram_used_gb", "longitude", "latitude",
                           "python_version", "codecarbon_version"};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
        CHECK_STR(field(t, 1, empty[i], v, sizeof v), "");
    CHECK_STR(field(t, 1, "pue", v, sizeof v), "1");
    CHECK_STR(field(t, 1, "tracking_mode", v, sizeof v), "machine");
    free(t);
}

ECO_TEST(codecarbon_header_check_for_append)
{
    struct eco_err err;
    char line[2048];
    snprintf(line, sizeof line, "%s\r\n", cc3_header);
    eco_err_clear(&err);
    CHECK(eco_codecarbon_check_header(line, 3, &err) == 0);
    CHECK(eco_codecarbon_check_header(cc2_header, 2, &err) == 0);
    eco_err_clear(&err);
    CHECK(eco_codecarbon_check_header(cc2_header, 3, &err) == -1 && err.code == 2);
    CHECK(strstr(err.msg, "column 15 is 'country_name', expected 'water_consumed'") != NULL);
    CHECK(strstr(err.msg, "2.4-2.8") && strstr(err.hint, "--codecarbon-version 2"));
    eco_err_clear(&err);
    CHECK(eco_codecarbon_check_header(cc3_header, 2, &err) == -1);
    CHECK(strstr(err.hint, "--codecarbon-version 3") != NULL);
    /* CodeCarbon 2.0-2.3: no experiment_id */
    eco_err_clear(&err);
    CHECK(eco_codecarbon_check_header("timestamp,project_name,run_id,duration,emissions,emissions_rate,"
                                      "cpu_power,gpu_power,ram_power,cpu_energy,gpu_energy,ram_energy,"
                                      "energy_consumed,country_name,country_iso_code,region,cloud_provider,"
                                      "cloud_region,os,python_version,codecarbon_version,cpu_count,cpu_model,"
                                      "gpu_count,gpu_model,longitude,latitude,ram_total_size,tracking_mode,"
                                      "on_cloud,pue\n", 3, &err) == -1);
    CHECK(strstr(err.msg, "2.0-2.3") != NULL);
    eco_err_clear(&err);
    CHECK(eco_codecarbon_check_header("a,b,c\n", 3, &err) == -1);
    CHECK(strstr(err.msg, "column 1 is 'a', expected 'timestamp'") != NULL);
    /* one column more at the end is not the same layout */
    snprintf(line, sizeof line, "%s,extra\n", cc3_header);
    eco_err_clear(&err);
    CHECK(eco_codecarbon_check_header(line, 3, &err) == -1);
}

/* data/iso3166.tsv against Debian's iso-codes, and every country of the
 * carbon table has an alpha-3 code. */
ECO_TEST(iso3166_table_is_iso_codes)
{
    CHECK_STR(eco_iso_alpha3("fr"), "FRA");
    CHECK_STR(eco_iso_alpha2("usa"), "US");
    CHECK(eco_iso_alpha3("EU") == NULL && eco_iso_alpha2("XYZ") == NULL && eco_iso_alpha3("FRA") == NULL);
    size_t n;
    const struct eco_region *rows = eco_region_table(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].kind, "country") == 0 && !eco_iso_alpha3(rows[i].code))
            eco_test_fail(__FILE__, __LINE__, "carbon row %s has no ISO alpha-3 code", rows[i].code);
    FILE *f = fopen("/usr/share/iso-codes/json/iso_3166-1.json", "r");
    if (!f)
        ECO_SKIP("Debian's iso-codes not installed (scripts/debian-packages.txt)");
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = 0;
    cJSON *j = cJSON_Parse(buf);
    cJSON *list = cJSON_GetObjectItem(j, "3166-1"), *e;
    int seen = 0;
    cJSON_ArrayForEach(e, list) {
        const char *a2 = cJSON_GetStringValue(cJSON_GetObjectItem(e, "alpha_2"));
        const char *a3 = cJSON_GetStringValue(cJSON_GetObjectItem(e, "alpha_3"));
        CHECK(a2 && a3);
        CHECK_STR(eco_iso_alpha3(a2), a3);
        seen++;
    }
    CHECK(seen >= 249);
    cJSON_Delete(j);
}
