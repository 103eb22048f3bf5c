/* Cross-check of the a-posteriori constants against Green Algorithms' own
 * public data files (read from ../shared/reference, never copied; skipped
 * when absent): the memory power per GB and the default PUE, which cite the
 * same sources as ours (Karyakin and Salem 2017; Uptime Institute 2024). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carbon/posteriori.h"
#include "test.h"

static char ref_path[1024];

/* FILE under green-algorithms/ in shared/reference beside the tree or one of
 * its parents (/work/main, /work/wt/NAME, build/sanitize inside a tree);
 * ECOMETER_REFERENCE_DIR overrides. NULL when absent. */
static const char *ga_file(const char *file)
{
    const char *env = getenv("ECOMETER_REFERENCE_DIR");
    if (env && *env) {
        snprintf(ref_path, sizeof ref_path, "%s/green-algorithms/%s", env, file);
        return access(ref_path, R_OK) == 0 ? ref_path : NULL;
    }
    const char *src = getenv("ECOMETER_SRC");
    if (!src)
        src = eco_test_srcdir();
    char up[64] = "..";
    for (int level = 0; level < 5; level++) {
        snprintf(ref_path, sizeof ref_path, "%s/%s/shared/reference/green-algorithms/%s", src, up, file);
        if (access(ref_path, R_OK) == 0)
            return ref_path;
        strcat(up, "/..");
    }
    return NULL;
}

/* The number in the second column of the CSV row whose first field is key. */
static int csv_value(const char *path, const char *key, double *out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[2048];
    int found = -1;
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ',') {
            char *end;
            *out = strtod(line + klen + 1, &end);
            found = end == line + klen + 1 ? -1 : 0;
            break;
        }
    }
    fclose(f);
    return found;
}

ECO_TEST(posteriori_memory_power_matches_green_algorithms)
{
    const char *p = ga_file("referenceValues.csv");
    if (!p)
        ECO_SKIP("shared/reference/green-algorithms/referenceValues.csv is not here");
    double theirs;
    if (csv_value(p, "memoryPower", &theirs))
        eco_test_fail(__FILE__, __LINE__, "no memoryPower row in %s", p);
    CHECK_NEAR(ECO_POST_MEMORY_W_PER_GB, theirs, 1e-12);
}

ECO_TEST(posteriori_default_pue_matches_green_algorithms)
{
    const char *p = ga_file("defaults_PUE.csv");
    if (!p)
        ECO_SKIP("shared/reference/green-algorithms/defaults_PUE.csv is not here");
    double theirs;
    if (csv_value(p, "Unknown", &theirs))
        eco_test_fail(__FILE__, __LINE__, "no 'Unknown' row in %s", p);
    /* Both are the Uptime Institute 2024 survey's average. */
    CHECK_NEAR(ECO_POST_DEFAULT_PUE, theirs, 1e-12);
}
