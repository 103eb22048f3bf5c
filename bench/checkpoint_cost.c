/* CPU time of one history checkpoint of a long measured session (issue 12):
 * the ledger of a `monitor --interval 100ms` on 6 domains is fed an hour of
 * samples (36 000, with simulated timestamps, so the hour takes seconds),
 * and every 50 samples (5 s of the session) the checkpoint the run driver
 * takes is done and timed with CLOCK_PROCESS_CPUTIME_ID: the record refilled
 * from the ledger (eco_ledger_fill on the same record), its derived figures
 * (eco_run_derive, when built with -DHAVE_DERIVE) and the history save
 * (eco_history_save into a fresh SQLite file). Prints the median and the
 * maximum per minute for minutes 1, 2, 5, 15, 30 and 60.
 * Build and run: bench/checkpoint_cost.sh (against this tree or another). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "meter/ledger.h"
#include "store/history.h"
#ifdef HAVE_DERIVE
#include "meter/run_derive.h"
#endif

#define DOMAINS 6
#define PER_MIN 600 /* samples at 100 ms */
#define MINUTES 60
#define EVERY 50    /* a checkpoint each 5 s */

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const char *db = argc > 1 ? argv[1] : "checkpoint_cost.db";
    struct eco_domain d[DOMAINS];
    memset(d, 0, sizeof d);
    for (int i = 0; i < DOMAINS; i++) {
        snprintf(d[i].name, sizeof d[i].name, "domain-%d", i);
        d[i].kind = ECO_KIND_CPU_PACKAGE;
        d[i].method = ECO_MEASURED;
        d[i].type = ECO_VALUE_POWER;
        d[i].parent = -1;
    }
    struct eco_err err;
    struct eco_ledger l;
    double t0 = 1000.0;
    if (eco_ledger_init(&l, d, DOMAINS, t0, 0.1, &err) != 0)
        return fprintf(stderr, "%s\n", err.msg), 1;
    struct eco_history *h = eco_history_open(db, &err);
    if (!h)
        return fprintf(stderr, "%s\n", err.msg), 1;
    struct eco_run_result r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "bench-checkpoint");
    snprintf(r.kind, sizeof r.kind, "monitor");
    r.intensity_g_per_kwh = 56;
    double cost[MINUTES + 1][PER_MIN / EVERY];
    struct eco_reading rd[DOMAINS];
    for (long k = 1; k <= (long)MINUTES * PER_MIN; k++) {
        double t = t0 + 0.1 * (double)k;
        for (int i = 0; i < DOMAINS; i++)
            rd[i] = (struct eco_reading){1, 40.0 + 10.0 * i + (double)(k % 7), t};
        eco_ledger_add(&l, rd);
        if (k % EVERY)
            continue;
        double c0 = cpu_now();
        if (eco_ledger_fill(&l, t, 0, &r, &err) != 0)
            return fprintf(stderr, "%s\n", err.msg), 1;
#ifdef HAVE_DERIVE
        eco_run_derive(&r);
#endif
        if (eco_history_save(h, &r, &err) != 0)
            return fprintf(stderr, "%s\n", err.msg), 1;
        long minute = (k - 1) / PER_MIN + 1;
        cost[minute][((k - 1) % PER_MIN) / EVERY] = cpu_now() - c0;
    }
    static const int show[] = {1, 2, 5, 15, 30, 60};
    printf("minute  median_ms  max_ms  (%d checkpoints a minute, %d domains, %d points kept per domain)\n",
           PER_MIN / EVERY, DOMAINS, (int)ECO_LEDGER_SERIES_MAX);
    for (size_t s = 0; s < sizeof show / sizeof show[0]; s++) {
        double *c = cost[show[s]];
        qsort(c, PER_MIN / EVERY, sizeof *c, cmp);
        printf("%6d  %9.3f  %6.3f\n", show[s], 1e3 * c[PER_MIN / EVERY / 2], 1e3 * c[PER_MIN / EVERY - 1]);
    }
    eco_run_result_free(&r);
    eco_ledger_free(&l);
    eco_history_close(h);
    return 0;
}
