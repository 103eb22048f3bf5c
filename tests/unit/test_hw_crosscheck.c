/* Cross-check of our TDPs against other tools' public tables (Green
 * Algorithms' TDP_cpu.csv / TDP_gpu.csv, CodeCarbon's cpu_power.csv), read
 * from ../shared/reference when present. Our rows come from the vendors;
 * these files are only a second opinion: the test reports how many models
 * both tables know, prints every disagreement over 25 %, and fails only when
 * a large share (over 20 %) disagree, which would mean a systematic error
 * (wrong unit, shifted column, wrong matching). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hw/hardware.h"
#include "test.h"

static int find_reference(char *dir, size_t len)
{
    const char *env = getenv("ECOMETER_REFERENCE");
    const char *src = eco_test_srcdir();
    const char *tries[3] = {env, NULL, NULL};
    char a[1024], b[1024];
    snprintf(a, sizeof a, "%s/../shared/reference", src);     /* the main checkout */
    snprintf(b, sizeof b, "%s/../../shared/reference", src);  /* a worktree one level deeper */
    tries[1] = a;
    tries[2] = b;
    for (int i = 0; i < 3; i++) {
        struct stat st;
        if (tries[i] && stat(tries[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(dir, len, "%s", tries[i]);
            return 0;
        }
    }
    return -1;
}

/* Split one CSV line into at most max fields (RFC 4180 quotes), in place. */
static int csv_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                *w++ = *p++;
            }
            if (*p == '"')
                p++;
            char *end = p;
            *w = 0;
            p = end;
        } else {
            f[n++] = p;
            p += strcspn(p, ",");
        }
        if (*p != ',')
            break;
        *p++ = 0;
    }
    return n;
}

struct tally {
    int compared, disagree, unmatched;
};

/* For each row (name in column 0, TDP in column 1) after skip header rows. */
static void compare(const char *path, int skip, int gpu, struct tally *t)
{
    FILE *f = fopen(path, "r");
    if (!f)
        eco_test_fail(__FILE__, __LINE__, "cannot read %s", path);
    char line[2048];
    int lineno = 0;
    memset(t, 0, sizeof *t);
    while (fgets(line, sizeof line, f)) {
        if (++lineno <= skip)
            continue;
        line[strcspn(line, "\r\n")] = 0;
        char *fld[4];
        if (csv_split(line, fld, 4) < 2)
            continue;
        char *end;
        double theirs = strtod(fld[1], &end);
        if (end == fld[1] || !(theirs > 0))
            continue;
        struct eco_hw_match how;
        double ours;
        const char *name;
        if (gpu) {
            const struct eco_gpu *g = eco_gpu_find_ex(fld[0], &how, NULL);
            if (!g) {
                t->unmatched++;
                continue;
            }
            ours = g->tdp_w, name = g->name;
        } else {
            const struct eco_cpu *c = eco_cpu_find_ex(fld[0], &how, NULL);
            if (!c) {
                t->unmatched++;
                continue;
            }
            ours = c->tdp_w, name = c->name;
        }
        /* only confident matches are compared: a loose fuzzy match would
         * compare different models and hide or invent disagreements */
        if (how.kind == ECO_HW_MATCH_FUZZY && how.score < 0.85) {
            t->unmatched++;
            continue;
        }
        t->compared++;
        if (fabs(ours - theirs) > 0.25 * fmax(ours, theirs)) {
            t->disagree++;
            fprintf(stderr, "    %s: '%s' %g W, our '%s' %g W\n", path, fld[0], theirs, name, ours);
        }
    }
    fclose(f);
}

static void run(const char *file, int skip, int gpu, int min_compared)
{
    char dir[1024], path[1200];
    if (find_reference(dir, sizeof dir) != 0)
        ECO_SKIP("no ../shared/reference next to the source tree (set ECOMETER_REFERENCE to compare)");
    snprintf(path, sizeof path, "%s/%s", dir, file);
    struct stat st;
    if (stat(path, &st) != 0)
        ECO_SKIP("%s is absent", path);
    unsetenv("ECOMETER_GPU_TABLE");
    unsetenv("ECOMETER_CPU_TABLE");
    eco_hw_reset();
    struct tally t;
    compare(path, skip, gpu, &t);
    fprintf(stderr, "    %s: %d models in both tables, %d disagree by more than 25 %%, %d not in ours\n", file,
            t.compared, t.disagree, t.unmatched);
    if (t.compared < min_compared)
        eco_test_fail(__FILE__, __LINE__, "only %d models matched in %s (expected at least %d)", t.compared, file,
                      min_compared);
    if (t.disagree * 5 > t.compared)
        eco_test_fail(__FILE__, __LINE__, "%d of %d TDPs disagree with %s by more than 25 %%", t.disagree,
                      t.compared, file);
}

ECO_TEST(hw_crosscheck_green_algorithms_cpu_tdp)
{
    run("green-algorithms/TDP_cpu.csv", 2, 0, 20);
}

ECO_TEST(hw_crosscheck_green_algorithms_gpu_tdp)
{
    run("green-algorithms/TDP_gpu.csv", 2, 1, 8);
}

ECO_TEST(hw_crosscheck_codecarbon_cpu_tdp)
{
    run("codecarbon/cpu_power.csv", 1, 0, 100);
}
