/* The ledger's rules, pinned with synthetic samples (ledger.h lists them). */
#include <stdio.h>
#include <stdlib.h>

#include "meter/ledger.h"
#include "test.h"

static struct eco_domain counter_dom(const char *name, double unit_j, double max, int parent)
{
    struct eco_domain d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "%s", name);
    d.kind = ECO_KIND_CPU_PACKAGE;
    d.method = ECO_MEASURED;
    d.type = ECO_VALUE_ENERGY_COUNTER;
    d.unit_j = unit_j;
    d.counter_max = max;
    d.parent = parent;
    return d;
}

static struct eco_domain power_dom(const char *name, int parent)
{
    struct eco_domain d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "%s", name);
    d.kind = ECO_KIND_GPU;
    d.method = ECO_MEASURED;
    d.type = ECO_VALUE_POWER;
    d.parent = parent;
    return d;
}

static struct eco_reading rd(double t, double v) { return (struct eco_reading){1, v, t}; }
static struct eco_reading miss(double t) { return (struct eco_reading){0, 0, t}; }

static void add1(struct eco_ledger *l, struct eco_reading r) { eco_ledger_add(l, &r); }

static struct eco_ledger one(struct eco_domain d, double interval)
{
    struct eco_ledger l;
    struct eco_err err;
    CHECK(eco_ledger_init(&l, &d, 1, 100.0, interval, &err) == 0);
    return l;
}

ECO_TEST(counter_diff_plain_and_wrap_modulus)
{
    double d;
    CHECK_INT(eco_counter_diff(10, 25, 100, &d), ECO_STEP_OK);
    CHECK_NEAR(d, 15, 1e-12);
    /* counter_max is the modulus: 90 -> (wrap at 100 == 0) -> 5 is 15 units */
    CHECK_INT(eco_counter_diff(90, 5, 100, &d), ECO_STEP_WRAPPED);
    CHECK_NEAR(d, 15, 1e-12);
    /* landing exactly on 0 after the wrap */
    CHECK_INT(eco_counter_diff(99, 0, 100, &d), ECO_STEP_WRAPPED);
    CHECK_NEAR(d, 1, 1e-12);
    /* RAPL's real range (max_energy_range_uj of a Xeon) */
    CHECK_INT(eco_counter_diff(262143328849.0, 1000.0, 262143328850.0, &d), ECO_STEP_WRAPPED);
    CHECK_NEAR(d, 1001, 1e-9);
    /* a counter that never wraps cannot go down */
    CHECK_INT(eco_counter_diff(50, 40, 0, &d), ECO_STEP_BACKWARDS);
    CHECK_NEAR(d, 0, 0);
    /* prev above the modulus: not a wrap */
    CHECK_INT(eco_counter_diff(150, 40, 100, &d), ECO_STEP_BACKWARDS);
    /* equal values: nothing used */
    CHECK_INT(eco_counter_diff(7, 7, 100, &d), ECO_STEP_OK);
    CHECK_NEAR(d, 0, 0);
}

ECO_TEST(ledger_counter_constant_power_exact)
{
    /* 50 W on a microjoule counter for 10 s at 0.1 s */
    struct eco_ledger l = one(counter_dom("package-0", 1e-6, 0, -1), 0.1);
    for (int k = 0; k <= 100; k++)
        add1(&l, rd(100 + k * 0.1, 1e6 * 50 * k * 0.1));
    CHECK_NEAR(eco_ledger_total_j(&l), 500, 1e-9);
    CHECK_NEAR(eco_ledger_power_w(&l), 50, 1e-9);
    CHECK_NEAR(l.dom[0].peak_w, 50, 1e-9);
    CHECK_NEAR(l.dom[0].gap_s, 0, 0);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_counter_wraps_every_few_samples)
{
    /* range 100 J at 1e-6 J/unit; 120 W for 20 s at 0.1 s -> 24 wraps */
    double max = 100e6;
    struct eco_ledger l = one(counter_dom("package-0", 1e-6, max, -1), 0.1);
    for (int k = 0; k <= 200; k++)
        add1(&l, rd(100 + k * 0.1, fmod(120e6 * k * 0.1 + 3e6, max)));
    CHECK_NEAR(eco_ledger_total_j(&l), 2400, 1e-9);
    CHECK_INT(l.dom[0].n_wraps, 24);
    CHECK_INT(l.dom[0].n_implausible, 0);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_two_wraps_in_one_interval_are_undetectable_so_interval_is_sized)
{
    /* Range 100 J; a step of 250 J in one interval looks like 50 J: the
     * ledger cannot know. This is why the sampler keeps interval below
     * eco_ledger_safe_interval: at the ceiling the counter moves at most
     * half its range between samples. */
    struct eco_domain d = counter_dom("package-0", 1e-6, 100e6, -1);
    struct eco_ledger l = one(d, 0.1);
    add1(&l, rd(100, 10e6));
    add1(&l, rd(101, fmod(10e6 + 250e6, 100e6)));
    CHECK_NEAR(eco_ledger_total_j(&l), 50, 1e-9); /* not 250: documented limit */
    CHECK(strstr(l.dom[0].note, "at most once") != NULL);
    eco_ledger_free(&l);
    double safe = eco_ledger_safe_interval(&d);
    CHECK_NEAR(safe, 100.0 / eco_ledger_power_ceiling(ECO_KIND_CPU_PACKAGE) / 2, 1e-12);
    /* at that interval, the ceiling power moves the counter half a range */
    CHECK(safe * eco_ledger_power_ceiling(ECO_KIND_CPU_PACKAGE) <= 100.0 / 2 + 1e-9);
    d.counter_max = 0;
    CHECK_NEAR(eco_ledger_safe_interval(&d), 0, 0);
}

ECO_TEST(ledger_power_trapezoid_on_real_times)
{
    /* a ramp 0..100 W over 10 s sampled at irregular times: exact 500 J */
    struct eco_ledger l = one(power_dom("gpu-0", -1), 0.5);
    double ts[] = {0, 0.3, 0.9, 1.0, 2.7, 3.1, 5, 5.05, 7.7, 9.2, 10};
    for (size_t k = 0; k < sizeof ts / sizeof ts[0]; k++)
        add1(&l, rd(100 + ts[k], 10 * ts[k]));
    CHECK_NEAR(eco_ledger_total_j(&l), 500, 1e-9);
    CHECK_NEAR(l.dom[0].gap_s, 0, 0);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_power_short_gap_bridged_long_gap_not_invented)
{
    struct eco_ledger l = one(power_dom("gpu-0", -1), 1.0);
    add1(&l, rd(100, 100));
    add1(&l, rd(101, 100));
    add1(&l, miss(102));
    add1(&l, rd(103, 100)); /* gap of 2 s <= 3 intervals: interpolated */
    CHECK_NEAR(eco_ledger_total_j(&l), 300, 1e-12);
    CHECK_NEAR(l.dom[0].gap_s, 2, 1e-12);
    add1(&l, miss(104));
    add1(&l, miss(105));
    add1(&l, miss(106));
    add1(&l, miss(107));
    add1(&l, rd(108, 100)); /* 5 s > 3 intervals: nothing invented */
    CHECK_NEAR(eco_ledger_total_j(&l), 300, 1e-12);
    CHECK_NEAR(l.dom[0].gap_s, 7, 1e-12);
    CHECK(strstr(l.dom[0].note, "no energy counted") != NULL);
    add1(&l, rd(109, 100)); /* counting resumes from the new reading */
    CHECK_NEAR(eco_ledger_total_j(&l), 400, 1e-12);
    CHECK_INT(l.dom[0].n_gaps, 2);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_counter_bridges_gap_exactly_unless_two_wraps_possible)
{
    /* range 1000 J, ceiling 1000 W: a gap up to 1 s is safe */
    struct eco_ledger l = one(counter_dom("package-0", 1e-3, 1e6, -1), 0.1);
    add1(&l, rd(100.0, 0));
    add1(&l, miss(100.1));
    add1(&l, rd(100.5, 20e3)); /* 20 J in 0.5 s through a gap: exact */
    CHECK_NEAR(eco_ledger_total_j(&l), 20, 1e-12);
    CHECK_NEAR(l.dom[0].gap_s, 0.5, 1e-9);
    add1(&l, miss(101));
    add1(&l, rd(102.5, 60e3)); /* 2 s gap: could hide two wraps */
    CHECK_NEAR(eco_ledger_total_j(&l), 20, 1e-12);
    CHECK_NEAR(l.dom[0].gap_s, 2.5, 1e-9);
    add1(&l, rd(102.6, 61e3));
    CHECK_NEAR(eco_ledger_total_j(&l), 21, 1e-9);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_counter_backwards_reported_and_rebased)
{
    /* counter without wrap goes from 5000 to 100 (driver reload) */
    struct eco_ledger l = one(counter_dom("package-0", 1.0, 0, -1), 1.0);
    add1(&l, rd(100, 4950));
    add1(&l, rd(101, 5000));
    add1(&l, rd(102, 100));
    add1(&l, rd(103, 150));
    CHECK_NEAR(eco_ledger_total_j(&l), 100, 1e-12);
    CHECK_INT(l.dom[0].n_implausible, 1);
    CHECK(strstr(l.dom[0].note, "backwards") != NULL);
    CHECK_NEAR(l.dom[0].gap_s, 1, 1e-12);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_wrapping_counter_backwards_more_than_a_wrap_explains)
{
    /* range 1e6 J at 1 J/unit: 900000 -> 100 would mean 100100 J in 1 s
     * (100 kW): not a wrap, a reset; dropped, re-based */
    struct eco_ledger l = one(counter_dom("package-0", 1.0, 1e6, -1), 1.0);
    add1(&l, rd(100, 899950));
    add1(&l, rd(101, 900000));
    add1(&l, rd(102, 100));
    add1(&l, rd(103, 180));
    CHECK_NEAR(eco_ledger_total_j(&l), 130, 1e-12);
    CHECK_INT(l.dom[0].n_implausible, 1);
    CHECK_INT(l.dom[0].n_wraps, 0);
    CHECK(strstr(l.dom[0].note, "more than a wrap") != NULL);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_forward_jump_and_glitch_dropped)
{
    struct eco_ledger l = one(counter_dom("package-0", 1.0, 0, -1), 1.0);
    add1(&l, rd(100, 0));
    add1(&l, rd(101, 50));
    add1(&l, rd(102, 1e9)); /* garbage */
    add1(&l, rd(103, 1e9 + 50));
    CHECK_NEAR(eco_ledger_total_j(&l), 100, 1e-12);
    CHECK_INT(l.dom[0].n_implausible, 1);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_vanished_domain_keeps_energy_and_stops)
{
    struct eco_domain ds[2] = {counter_dom("package-0", 1.0, 0, -1), power_dom("gpu-0", -1)};
    struct eco_ledger l;
    struct eco_err err;
    CHECK(eco_ledger_init(&l, ds, 2, 100, 1.0, &err) == 0);
    struct eco_reading r[2];
    for (int k = 0; k <= 10; k++) {
        r[0] = rd(100 + k, 10.0 * k);
        r[1] = k <= 4 ? rd(100 + k, 200) : miss(100 + k);
        if (k == 5)
            eco_ledger_vanish(&l, 1, 100 + k, "NVML: GPU is lost");
        eco_ledger_add(&l, r);
    }
    CHECK_NEAR(l.dom[0].energy_j, 100, 1e-12);
    CHECK_NEAR(l.dom[1].energy_j, 800, 1e-12);
    CHECK(l.dom[1].vanished);
    CHECK(strstr(l.dom[1].note, "vanished at 5.0 s") != NULL);
    CHECK_NEAR(eco_ledger_total_j(&l), 900, 1e-12);
    struct eco_run_result res;
    memset(&res, 0, sizeof res);
    CHECK(eco_ledger_fill(&l, 110, 0, &res, &err) == 0);
    CHECK_INT(res.n_domains, 2);
    CHECK_NEAR(res.domains[1].energy_j, 800, 1e-12);
    CHECK_NEAR(res.domains[1].avg_w, 200, 1e-12);
    CHECK(strstr(res.domains[1].note, "GPU is lost") != NULL);
    eco_run_result_free(&res);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_totals_only_top_level)
{
    /* psys holds package which holds core; dram separate top-level */
    struct eco_domain ds[4] = {counter_dom("psys", 1.0, 0, -1), counter_dom("package-0", 1.0, 0, 0),
                               counter_dom("core", 1.0, 0, 1), counter_dom("gpu", 1.0, 0, -1)};
    ds[3].method = ECO_ESTIMATED;
    struct eco_ledger l;
    struct eco_err err;
    CHECK(eco_ledger_init(&l, ds, 4, 0, 1.0, &err) == 0);
    struct eco_reading r[4];
    for (int k = 0; k <= 2; k++) {
        r[0] = rd(k, 30.0 * k);
        r[1] = rd(k, 20.0 * k);
        r[2] = rd(k, 10.0 * k);
        r[3] = rd(k, 5.0 * k);
        eco_ledger_add(&l, r);
    }
    CHECK_NEAR(eco_ledger_total_j(&l), 70, 1e-12);
    CHECK_NEAR(eco_ledger_total_estimated_j(&l), 10, 1e-12);
    CHECK_NEAR(eco_ledger_power_w(&l), 35, 1e-12);
    eco_ledger_free(&l);
    ds[1].parent = 1; /* itself */
    CHECK(eco_ledger_init(&l, ds, 4, 0, 1.0, &err) == -1);
    ds[1].parent = 9;
    CHECK(eco_ledger_init(&l, ds, 4, 0, 1.0, &err) == -1);
}

ECO_TEST(ledger_regions_nested_interpolated_and_items)
{
    /* constant 100 W counter sampled every second */
    struct eco_ledger l = one(counter_dom("package-0", 1.0, 0, -1), 1.0);
    add1(&l, rd(100, 0));
    CHECK(eco_ledger_begin(&l, "epoch-1", 100.5) == 0); /* after the last sample: pending */
    add1(&l, rd(101, 100));
    CHECK(eco_ledger_begin(&l, "batch", 101.25) == 0);
    eco_ledger_items(&l, 32);
    add1(&l, rd(102, 200));
    add1(&l, rd(103, 300));
    CHECK(eco_ledger_end(&l, "batch", 102.75) == 0); /* late marker: between the last two samples */
    eco_ledger_items(&l, 8);                         /* goes to epoch-1 now */
    CHECK(eco_ledger_end(&l, "nope", 103) == -1);    /* unmatched */
    double te, ej, tj;
    CHECK(!eco_ledger_first_epoch(&l, &te, &ej, &tj));
    CHECK(eco_ledger_end(&l, "epoch-1", 103.5) == 0);
    CHECK(!eco_ledger_first_epoch(&l, &te, &ej, &tj)); /* waits for the next sample */
    add1(&l, rd(104, 400));
    CHECK(eco_ledger_first_epoch(&l, &te, &ej, &tj));
    CHECK_NEAR(ej, 300, 1e-12);
    CHECK_NEAR(tj, 350, 1e-12);
    CHECK(eco_ledger_begin(&l, "open", 103.8) == 0); /* left open: closed at the end */
    struct eco_run_result res;
    struct eco_err err;
    memset(&res, 0, sizeof res);
    CHECK(eco_ledger_fill(&l, 104, 40, &res, &err) == 0);
    CHECK_INT(res.n_regions, 3);
    CHECK_STR(res.regions[0].name, "epoch-1");
    CHECK_NEAR(res.regions[0].energy_j, 300, 1e-12);
    CHECK_NEAR(res.regions[0].net_energy_j, 300 - 40 * 3, 1e-12);
    CHECK_INT(res.regions[0].items, 8);
    CHECK_STR(res.regions[1].name, "batch");
    CHECK_NEAR(res.regions[1].energy_j, 150, 1e-12);
    CHECK_INT(res.regions[1].items, 32);
    CHECK_NEAR(res.regions[2].energy_j, 20, 1e-9);
    CHECK_INT(res.items, 40);
    CHECK_INT(l.rejected_markers, 1);
    CHECK_NEAR(res.total_energy_j, 400, 1e-12);
    CHECK_NEAR(res.duration_s, 4, 1e-12);
    /* filling again (periodic history save) gives the same figures */
    CHECK(eco_ledger_fill(&l, 104, 40, &res, &err) == 0);
    CHECK_NEAR(res.regions[1].energy_j, 150, 1e-12);
    eco_run_result_free(&res);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_same_name_nested_closes_innermost)
{
    struct eco_ledger l = one(counter_dom("package-0", 1.0, 0, -1), 1.0);
    add1(&l, rd(0, 0));
    eco_ledger_begin(&l, "r", 0);
    add1(&l, rd(1, 10));
    eco_ledger_begin(&l, "r", 1);
    add1(&l, rd(2, 20));
    eco_ledger_end(&l, "r", 2);
    add1(&l, rd(3, 30));
    eco_ledger_end(&l, "r", 3);
    struct eco_run_result res;
    struct eco_err err;
    memset(&res, 0, sizeof res);
    eco_ledger_fill(&l, 3, 0, &res, &err);
    CHECK_NEAR(res.regions[0].energy_j, 30, 1e-12);
    CHECK_NEAR(res.regions[1].energy_j, 10, 1e-12);
    eco_run_result_free(&res);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_series_bounded_and_energy_preserving)
{
    struct eco_ledger l = one(power_dom("gpu-0", -1), 0.01);
    l.series_max = 64;
    /* a square wave 100/300 W, 1000 samples */
    double prevw = 100;
    add1(&l, rd(100, prevw));
    for (int k = 1; k <= 1000; k++) {
        double w = (k / 37) % 2 ? 300 : 100;
        add1(&l, rd(100 + k * 0.01, w));
    }
    CHECK(l.dom[0].n_series <= 64);
    CHECK(l.dom[0].n_series >= 32);
    double e = 0, s = l.dom[0].series_start;
    for (size_t k = 0; k < l.dom[0].n_series; k++) {
        e += l.dom[0].series[k].watts * (l.dom[0].series[k].t - s);
        s = l.dom[0].series[k].t;
    }
    CHECK_NEAR(e, l.dom[0].energy_j, 1e-9);
    CHECK_NEAR(s, 10, 1e-9);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_implausible_power_dropped)
{
    struct eco_ledger l = one(power_dom("gpu-0", -1), 1.0);
    add1(&l, rd(0, 100));
    add1(&l, rd(1, 100));
    add1(&l, rd(2, 1e7));
    add1(&l, rd(3, 100));
    add1(&l, rd(4, -5));
    CHECK_NEAR(eco_ledger_total_j(&l), 300, 1e-12); /* 0-1, then 1-3 bridged over the bad reading */
    CHECK(strstr(l.dom[0].note, "implausible") != NULL);
    CHECK_INT(l.dom[0].n_implausible, 2);
    eco_ledger_free(&l);
}

ECO_TEST(ledger_slowly_refreshed_counter_is_not_a_jump)
{
    /* a counter the hardware refreshes every second (100 W), read every
     * 10 ms: each refresh adds 100 J in one 10 ms interval (10 kW over the
     * interval, 100 W over the refresh period): all of it is energy */
    struct eco_ledger l = one(counter_dom("package-0", 1.0, 0, -1), 0.01);
    double v = 0;
    for (int k = 0; k <= 300; k++) {
        double t = 100 + k * 0.01;
        if (k > 0 && k % 100 == 0)
            v += 100;
        add1(&l, rd(t, v));
    }
    CHECK_NEAR(eco_ledger_total_j(&l), 300, 1e-12);
    CHECK_INT(l.dom[0].n_implausible, 0);
    /* but 100 J appearing 10 ms after the previous change is still a jump */
    add1(&l, rd(103.01, v + 100));
    CHECK_INT(l.dom[0].n_implausible, 1);
    eco_ledger_free(&l);
}

/* Issue 16: 20,000 markers of `items 1e15` (each within the marker limit)
 * once overflowed the signed total (UBSan at ledger.c) into a negative count
 * and a negative energy per item. The total stops at 10^18; the rest are
 * rejected and counted. */
ECO_TEST(ledger_items_total_never_overflows)
{
    struct eco_ledger l = one(counter_dom("package-0", 1e-6, 0, -1), 0.1);
    CHECK(eco_ledger_begin(&l, "train", 100.0) == 0);
    int refused = 0;
    for (int i = 0; i < 20000; i++)
        refused += eco_ledger_items(&l, 1000000000000000LL) != 0;
    CHECK(l.items == ECO_ITEMS_MAX);
    CHECK_INT(refused, 19000);
    CHECK(l.rejected_markers >= 19000);
    CHECK(eco_ledger_items(&l, -5) != 0);
    CHECK(l.items > 0);
    add1(&l, rd(100.0, 0));
    add1(&l, rd(100.5, 5e6));
    struct eco_run_result r = {0};
    CHECK(eco_ledger_fill(&l, 101.0, 0, &r, NULL) == 0);
    CHECK(r.items == ECO_ITEMS_MAX);
    CHECK(r.n_regions == 1 && r.regions[0].items == ECO_ITEMS_MAX);
    CHECK(r.total_energy_j / (double)r.items >= 0);
    eco_run_result_free(&r);
    eco_ledger_free(&l);
}

/* A checkpoint refills the same result: the points it copies must be the
 * ledger's, before and after the ledger merges them (series_max reached),
 * exactly as a fresh fill gives them. */
ECO_TEST(refill_copies_new_points_and_follows_merges)
{
    struct eco_ledger l = one(power_dom("gpu", -1), 1.0);
    l.series_max = 8;
    struct eco_err err;
    struct eco_run_result kept;
    memset(&kept, 0, sizeof kept);
    for (int k = 0; k <= 40; k++) {
        add1(&l, rd(100 + k, 10.0 + k));
        if (k % 3)
            continue;
        CHECK(eco_ledger_fill(&l, 100 + k, 0, &kept, &err) == 0);
        struct eco_run_result fresh;
        memset(&fresh, 0, sizeof fresh);
        CHECK(eco_ledger_fill(&l, 100 + k, 0, &fresh, &err) == 0);
        CHECK_INT(kept.domains[0].n_series, fresh.domains[0].n_series);
        CHECK_INT(kept.domains[0].n_series, l.dom[0].n_series);
        for (size_t i = 0; i < fresh.domains[0].n_series; i++) {
            CHECK(kept.domains[0].series[i].t == fresh.domains[0].series[i].t);
            CHECK(kept.domains[0].series[i].watts == fresh.domains[0].series[i].watts);
        }
        CHECK_NEAR(kept.domains[0].energy_j, fresh.domains[0].energy_j, 1e-12);
        eco_run_result_free(&fresh);
    }
    CHECK(l.dom[0].series_gen >= 3); /* the points were merged several times */
    eco_run_result_free(&kept);
    eco_ledger_free(&l);
}
