/* `ecometer top`: the screen layout from a frame, and per-process CPU shares
 * from a fake /proc (ECOMETER_PROC_ROOT). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meter/proc_top.h"
#include "render/tui.h"
#include "test.h"

struct capture {
    char rows[64][1024];
    int styles[64];
    int n;
};

static void emit(void *ctx, int row, const char *text, int style)
{
    struct capture *c = ctx;
    if (row < 64) {
        snprintf(c->rows[row], sizeof c->rows[row], "%s", text);
        c->styles[row] = style;
        if (row + 1 > c->n)
            c->n = row + 1;
    }
}

static int find_row(const struct capture *c, const char *needle)
{
    for (int i = 0; i < c->n; i++)
        if (strstr(c->rows[i], needle))
            return i;
    return -1;
}

static int hashes(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '#';
    return n;
}

ECO_TEST(top_render_domains_bars_rates)
{
    struct eco_top_frame f;
    memset(&f, 0, sizeof f);
    f.elapsed_s = 83;
    f.interval_s = 0.1;
    f.power_w = 100;
    f.energy_j = 8300;
    f.g_per_kwh = 56;
    f.co2e_g = 8300 / 3.6e6 * 56;
    f.energy_per_hour_j = 100 * 3600.0; /* the driver's live figures (test_co2e checks the formula) */
    f.co2e_per_hour_g = 100 * 3600.0 / 3.6e6 * 56;
    snprintf(f.place, sizeof f.place, "FR (France)");
    f.n_domains = 3;
    f.domains[0] = (struct eco_top_domain){"package-0", "cpu-package", 0, 1, 80, 6640, 160, 1};
    f.domains[1] = (struct eco_top_domain){"dram-0", "dram", 0, 1, 20, 1660, 20, 0};
    f.domains[2] = (struct eco_top_domain){"cpu", "cpu-package", 1, 1, 40, 100, 80, 0};
    f.n_procs = 1;
    f.procs[0] = (struct eco_top_proc){4242, "python3", 98.5, 31.2};
    struct capture c = {0};
    eco_top_render(&f, 120, 40, emit, &c);
    int p = find_row(&c, "package-0"), d = find_row(&c, "dram-0"), e = find_row(&c, "estimated");
    CHECK(p >= 0 && d >= 0 && e >= 0);
    CHECK_INT(c.styles[p], 2);
    CHECK_INT(c.styles[e], 3);
    /* Each bar to its own fixed range (issue 13), not to the largest domain:
     * 80 W of a 160 W limit is half a bar, 20 W at its highest seen a full one. */
    CHECK(hashes(c.rows[p]) > 0);
    CHECK_NEAR((double)hashes(c.rows[d]) / hashes(c.rows[p]), 2.0, 0.05);
    CHECK(strstr(c.rows[p], "160 W limit") && strstr(c.rows[d], "20 W max seen"));
    int full = hashes(c.rows[d]);
    f.domains[0].watts = 150; /* another domain rising leaves dram's bar as it was */
    struct capture c2 = {0};
    eco_top_render(&f, 120, 40, emit, &c2);
    CHECK_INT(hashes(c2.rows[find_row(&c2, "dram-0")]), full);
    /* 100 W for an hour is 100 Wh, at 56 g/kWh 5.6 g. */
    int r = find_row(&c, "rate per hour");
    CHECK(r >= 0);
    CHECK(strstr(c.rows[r], "100 Wh/h") != NULL);
    CHECK(strstr(c.rows[r], "5.6 g CO2e/h") != NULL);
    int q = find_row(&c, "python3");
    CHECK(q >= 0 && strstr(c.rows[q], "4242") && strstr(c.rows[q], "31.2 W"));
    /* A small terminal gets fewer rows, never more, and rows no wider than it. */
    struct capture small = {0};
    eco_top_render(&f, 40, 6, emit, &small);
    CHECK_INT(small.n, 6);
    for (int i = 0; i < small.n; i++)
        CHECK(strlen(small.rows[i]) <= 40);
}

static void fake_proc(const char *root, int pid, const char *comm, unsigned long long ut, unsigned long long st)
{
    char path[512], text[512];
    snprintf(path, sizeof path, "%s/%d", root, pid);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%d/stat", root, pid);
    snprintf(text, sizeof text, "%d (%s) R 1 %d %d 0 -1 4194304 100 0 0 0 %llu %llu 0 0 20 0 1 0 100 0 0\n",
             pid, comm, pid, pid, ut, st);
    eco_test_write_file(path, text);
}

ECO_TEST(top_process_shares_from_proc)
{
    char root[512];
    snprintf(root, sizeof root, "%s/proc", eco_test_tmpdir());
    mkdir(root, 0755);
    char stat[600];
    snprintf(stat, sizeof stat, "%s/stat", root);
    eco_test_write_file(stat, "cpu  1000 0 500 9000 10 0 0 0 0 0\n");
    fake_proc(root, 100, "python3", 50, 10);
    fake_proc(root, 200, "weird) name (x", 5, 5);
    fake_proc(root, 300, "idle", 7, 0);
    setenv("ECOMETER_PROC_ROOT", root, 1);
    struct eco_proc_top pt;
    eco_proc_top_init(&pt);
    struct eco_proc_share out[8];
    CHECK_INT(eco_proc_top_scan(&pt, 1.0, out, 8), 0); /* first scan: nothing to compare yet */
    /* One second later: 400 busy ticks, python3 used 300, the other 100, idle none. */
    eco_test_write_file(stat, "cpu  1300 0 600 9500 10 0 0 0 0 0\n");
    fake_proc(root, 100, "python3", 300, 60);
    fake_proc(root, 200, "weird) name (x", 55, 55);
    fake_proc(root, 300, "idle", 7, 0);
    fake_proc(root, 400, "newcomer", 0, 0);
    int n = eco_proc_top_scan(&pt, 1.0, out, 8);
    CHECK_INT(n, 2);
    CHECK_INT(out[0].pid, 100);
    CHECK_STR(out[0].comm, "python3");
    CHECK_NEAR(out[0].share, 0.75, 1e-12);
    CHECK_STR(out[1].comm, "weird) name (x");
    CHECK_NEAR(out[1].share, 0.25, 1e-12);
    CHECK_NEAR(out[0].cpu_pct, 300.0 / (double)sysconf(_SC_CLK_TCK) * 100.0, 1e-9);
    /* max limits the list. */
    eco_test_write_file(stat, "cpu  1400 0 600 9500 10 0 0 0 0 0\n");
    fake_proc(root, 100, "python3", 350, 60);
    fake_proc(root, 200, "weird) name (x", 80, 55);
    CHECK_INT(eco_proc_top_scan(&pt, 1.0, out, 1), 1);
    CHECK_INT(out[0].pid, 100);
    eco_proc_top_free(&pt);
    setenv("ECOMETER_PROC_ROOT", "/nonexistent-proc", 1);
    eco_proc_top_init(&pt);
    CHECK_INT(eco_proc_top_scan(&pt, 1.0, out, 8), -1);
    eco_proc_top_free(&pt);
}
