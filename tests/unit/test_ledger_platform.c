/* The platform sanity check of the ledger (ledger.h): a psys that grows less
 * than the domains inside it is not counted; the total adds those instead. */
#include <stdio.h>
#include <stdlib.h>

#include "meter/ledger.h"
#include "meter/result.h"
#include "test.h"

static struct eco_domain counter(const char *name, enum eco_kind kind, int parent)
{
    struct eco_domain d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "%s", name);
    d.kind = kind;
    d.method = ECO_MEASURED;
    d.type = ECO_VALUE_ENERGY_COUNTER;
    d.unit_j = 1e-6;
    d.counter_max = 262143328851.0;
    d.parent = parent;
    return d;
}

/* psys, package-0 (in psys), core-0 (in the package), dram-0 (in psys),
 * drawing the given watts for `seconds` in 0.1 s samples. */
static void run(struct eco_ledger *l, const double w[4], double seconds)
{
    struct eco_domain d[4] = {counter("psys", ECO_KIND_PLATFORM, -1), counter("package-0", ECO_KIND_CPU_PACKAGE, 0),
                              counter("core-0", ECO_KIND_CPU_CORE, 1), counter("dram-0", ECO_KIND_DRAM, 0)};
    struct eco_err err;
    CHECK_INT(eco_ledger_init(l, d, 4, 100.0, 0.1, &err), 0);
    for (int k = 0; k <= (int)(seconds * 10 + 0.5); k++) {
        struct eco_reading r[4];
        for (int i = 0; i < 4; i++)
            r[i] = (struct eco_reading){1, w[i] * k * 0.1 * 1e6, 100.0 + k * 0.1};
        eco_ledger_add(l, r);
    }
}

ECO_TEST(ledger_platform_trusted_when_it_holds_its_parts)
{
    struct eco_ledger l;
    run(&l, (const double[]){20, 10, 5, 3}, 10);
    CHECK_NEAR(eco_ledger_total_j(&l), 200, 1e-9);
    CHECK(eco_ledger_counted(&l, 0) && !eco_ledger_counted(&l, 1) && !eco_ledger_counted(&l, 3));
    eco_ledger_free(&l);
}

/* Within 1% (two counters read apart): still trusted. */
ECO_TEST(ledger_platform_small_difference_is_noise)
{
    struct eco_ledger l;
    run(&l, (const double[]){12.95, 10, 5, 3}, 10);
    CHECK_NEAR(eco_ledger_total_j(&l), 129.5, 1e-9);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_platform_below_its_parts_falls_back)
{
    struct eco_ledger l;
    run(&l, (const double[]){5, 10, 5, 3}, 10);
    /* packages + DRAM, each joule once (core is inside the package) */
    CHECK_NEAR(eco_ledger_total_j(&l), 130, 1e-9);
    CHECK_NEAR(eco_ledger_power_w(&l), 13, 1e-9);
    CHECK(!eco_ledger_counted(&l, 0) && eco_ledger_counted(&l, 1) && !eco_ledger_counted(&l, 2) &&
          eco_ledger_counted(&l, 3));
    struct eco_run_result r;
    memset(&r, 0, sizeof r);
    struct eco_err err;
    CHECK_INT(eco_ledger_fill(&l, 110.0, 0, &r, &err), 0);
    CHECK_NEAR(r.total_energy_j, 130, 1e-9);
    CHECK_INT(r.domains[0].top_level, 0);
    CHECK_INT(r.domains[1].top_level, 1);
    CHECK_INT(r.domains[2].top_level, 0);
    CHECK_INT(r.domains[3].top_level, 1);
    CHECK_STR(r.domains[0].note, "grew less than the domains inside it (50.0 J < 130.0 J): not counted, the total "
                                 "adds them instead");
    eco_run_result_free(&r);
    eco_ledger_free(&l);
}

/* Only a platform domain is judged: a package below its core is left as is
 * (its parts need not be disjoint). */
ECO_TEST(ledger_platform_rule_only_for_platforms)
{
    struct eco_ledger l;
    run(&l, (const double[]){30, 4, 5, 3}, 10);
    CHECK_NEAR(eco_ledger_total_j(&l), 300, 1e-9);
    CHECK(!eco_ledger_counted(&l, 2));
    eco_ledger_free(&l);
}
