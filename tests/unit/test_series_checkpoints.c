/* The power series of a long run and the history's checkpoints of it
 * (issue 12: "checkpoint cost must not grow with the run's length").
 *
 * The ledger keeps at most series_max points of one width: when full it
 * merges them pairwise and gives each new point twice the intervals, and
 * only its newest point grows in place between merges (meter/ledger.c
 * series_push). A checkpoint then stores the new points and the newest one
 * again, and the whole series only after a merge, a logarithmic number of
 * times in a run (store/history.c save_series). Before, the series was
 * merged every series_max/2 intervals once full, and every such merge made
 * the next checkpoint rewrite every stored point. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "meter/ledger.h"
#include "store/history.h"
#include "store/history_internal.h"
#include "test.h"

static struct eco_ledger gpu_ledger(size_t series_max)
{
    struct eco_domain d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "gpu-0");
    d.kind = ECO_KIND_GPU;
    d.method = ECO_MEASURED;
    d.type = ECO_VALUE_POWER;
    d.parent = -1;
    struct eco_ledger l;
    struct eco_err err;
    CHECK(eco_ledger_init(&l, &d, 1, 100.0, 0.01, &err) == 0);
    l.series_max = series_max;
    return l;
}

/* A power that changes at every interval, so a merge that lost a point, or
 * weighed it wrongly, shows in the energy. */
static void sample(struct eco_ledger *l, int k)
{
    struct eco_reading r = {1, 100.0 + (k * 37) % 251, 100.0 + k * 0.01};
    eco_ledger_add(l, &r);
}

ECO_TEST(series_keeps_one_width_and_merges_logarithmically)
{
    struct eco_ledger l = gpu_ledger(8);
    sample(&l, 0);
    for (int k = 1; k <= 1000; k++) {
        sample(&l, k);
        const struct eco_ledger_domain *d = &l.dom[0];
        double width = d->per_point * 0.01, s = d->series_start, e = 0;
        for (size_t i = 0; i < d->n_series; i++) {
            if (i + 1 < d->n_series)
                CHECK_NEAR(d->series[i].t - s, width, 1e-9); /* every full point: the same width */
            else
                CHECK(d->series[i].t - s <= width + 1e-9);
            e += d->series[i].watts * (d->series[i].t - s);
            s = d->series[i].t;
        }
        CHECK_NEAR(e, d->energy_j, 1e-9 * d->energy_j);
        CHECK_NEAR(s, k * 0.01, 1e-9); /* the series reaches the last sample */
        CHECK(d->n_series <= 8);
    }
    /* merges after 8, 16, 32, ... 512 intervals: 7 of them, not one per 4 intervals (248) */
    CHECK_INT((int)l.dom[0].series_gen, 7);
    CHECK_INT((int)l.dom[0].per_point, 128);
    eco_ledger_free(&l);
}

/* Rows the history inserted into samples, counted by a temporary trigger. */
static long long inserted(struct eco_history *h)
{
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(h->db, "SELECT n FROM temp.ins_count", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

ECO_TEST(checkpoints_store_new_points_and_rewrite_only_after_merges)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/series-checkpoints.db", eco_test_tmpdir());
    remove(path);
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_history *h = eco_history_open(path, &err);
    CHECK(h != NULL);
    if (!h)
        return;
    char *msg = NULL;
    int rc = sqlite3_exec(h->db,
                       "CREATE TEMP TABLE ins_count (n INTEGER); INSERT INTO temp.ins_count VALUES (0);"
                       "CREATE TEMP TRIGGER count_ins AFTER INSERT ON main.samples "
                       "BEGIN UPDATE ins_count SET n = n + 1; END;",
                       NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "    sqlite: %s\n", msg ? msg : "?");
    sqlite3_free(msg);
    CHECK(rc == SQLITE_OK);
    struct eco_ledger l = gpu_ledger(64);
    struct eco_run_result r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "series-checkpoints");
    snprintf(r.kind, sizeof r.kind, "monitor");
    sample(&l, 0);
    long long before = 0, rewrites = 0;
    unsigned long gen = 0;
    for (int k = 1; k <= 2000; k++) {
        sample(&l, k);
        if (k % 10)
            continue; /* a checkpoint every 10 intervals */
        CHECK(eco_ledger_fill(&l, 100.0 + k * 0.01, 0, &r, &err) == 0);
        CHECK(eco_history_save(h, &r, &err) == 0);
        long long now = inserted(h), added = now - before;
        before = now;
        if (r.domains[0].series_gen != gen) {
            gen = r.domains[0].series_gen;
            rewrites++;
            CHECK(added <= 64); /* after a merge: the whole series, once */
        } else {
            CHECK(added <= 11); /* at most 10 new points and the newest stored one */
        }
        struct eco_run_result back;
        CHECK(eco_history_load(h, r.id, &back, &err) == 0);
        CHECK_INT((int)back.domains[0].n_series, (int)r.domains[0].n_series);
        for (size_t i = 0; i < back.domains[0].n_series && i < r.domains[0].n_series; i++)
            CHECK(back.domains[0].series[i].t == r.domains[0].series[i].t &&
                  back.domains[0].series[i].watts == r.domains[0].series[i].watts);
        eco_run_result_free(&back);
    }
    CHECK_INT((int)rewrites, 5); /* merges after 64, 128, 256, 512 and 1024 intervals */
    eco_run_result_free(&r);
    eco_ledger_free(&l);
    eco_history_close(h);
}
