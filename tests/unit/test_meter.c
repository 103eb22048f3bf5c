/* The meter object on a test-only fake sensor: a counter that advances at a
 * known power from the monotonic clock (with wraps), a power source, and a
 * source that vanishes. Checks the interval shortening, the energy against
 * the truth, the vanish report and markers. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "meter/meter.h"
#include "core/clock.h"
#include "meter/sampler.h"
#include "test.h"

#define FAKE_W 50.0
#define FAKE_RANGE_J 100.0

struct fake {
    double t_start, offset_j;
    int reads, vanish_after;
};

static int fake_probe(struct eco_sensor *s, struct eco_err *why)
{
    (void)why;
    s->domains = calloc(1, sizeof *s->domains);
    s->n_domains = 1;
    struct eco_domain *d = &s->domains[0];
    snprintf(d->name, sizeof d->name, "package-0");
    d->kind = ECO_KIND_CPU_PACKAGE;
    d->type = ECO_VALUE_ENERGY_COUNTER;
    d->unit_j = 1e-6;
    d->counter_max = FAKE_RANGE_J * 1e6;
    d->parent = -1;
    return 0;
}

static int fake_read(struct eco_sensor *s, struct eco_reading *out, struct eco_err *err)
{
    struct fake *f = s->priv;
    if (f->vanish_after && ++f->reads > f->vanish_after)
        return eco_err_set(err, 1, "fake device removed");
    double t = eco_monotonic_s();
    out[0] = (struct eco_reading){1, fmod(f->offset_j + (t - f->t_start) * FAKE_W, FAKE_RANGE_J) * 1e6, t};
    return 0;
}

static int gpu_probe(struct eco_sensor *s, struct eco_err *why)
{
    (void)why;
    s->domains = calloc(1, sizeof *s->domains);
    s->n_domains = 1;
    snprintf(s->domains[0].name, sizeof s->domains[0].name, "gpu-0");
    s->domains[0].kind = ECO_KIND_GPU;
    s->domains[0].type = ECO_VALUE_POWER;
    s->domains[0].parent = -1;
    return 0;
}

static int gpu_read(struct eco_sensor *s, struct eco_reading *out, struct eco_err *err)
{
    return fake_read(s, out, err) < 0 ? -1 : ((out[0] = (struct eco_reading){1, 30.0, eco_monotonic_s()}), 0);
}

static void fake_close(struct eco_sensor *s) { (void)s; }

static const struct eco_sensor_ops fake_ops = {"fake-counter", fake_probe, fake_read, fake_close, NULL};
static const struct eco_sensor_ops gpu_ops = {"fake-gpu", gpu_probe, gpu_read, fake_close, NULL};

static struct eco_meter *open_fake(struct fake *f, struct fake *g, double interval)
{
    struct eco_sensor_set set;
    set.n = 2;
    set.sensors = calloc(2, sizeof *set.sensors);
    set.sensors[0].ops = &fake_ops;
    set.sensors[0].priv = f;
    set.sensors[0].enabled = fake_probe(&set.sensors[0], NULL) == 0;
    set.sensors[1].ops = &gpu_ops;
    set.sensors[1].priv = g;
    set.sensors[1].enabled = gpu_probe(&set.sensors[1], NULL) == 0;
    struct eco_meter_options mo = {.interval_s = interval};
    struct eco_err err;
    struct eco_meter *m = eco_meter_open_set(&mo, &set, &err);
    CHECK(m != NULL);
    return m;
}

ECO_TEST(meter_shortens_interval_and_measures_known_power_with_wraps)
{
    struct fake f = {.t_start = eco_monotonic_s(), .offset_j = 95}; /* wraps 0.1 s in, then every 2 s */
    struct fake g = {.t_start = f.t_start};
    struct eco_meter *m = open_fake(&f, &g, 0.2);
    /* 100 J range at a 1000 W ceiling: at most 0.05 s between samples */
    CHECK_NEAR(eco_meter_interval(m), 0.05, 1e-9);
    CHECK(strstr(eco_meter_interval_note(m), "package-0") != NULL);
    struct eco_err err;
    CHECK(eco_meter_start(m, &err) == 0);
    CHECK_INT(eco_meter_n_domains(m), 2);
    double t_end = eco_monotonic_s() + 0.6;
    while (eco_monotonic_s() < t_end)
        CHECK(eco_meter_wait_and_sample(m));
    CHECK(eco_meter_begin(m, "tail") == 0);
    eco_meter_items(m, 3);
    usleep(60000);
    CHECK(eco_meter_end(m, "tail") == 0);
    eco_meter_finish(m);
    struct eco_run_result r;
    memset(&r, 0, sizeof r);
    CHECK(eco_meter_result(m, 10, &r, &err) == 0);
    /* truth: the counter's power times the time between first and last reading */
    double covered = r.duration_s;
    CHECK(covered > 0.6);
    CHECK_NEAR(r.domains[0].energy_j, FAKE_W * covered, 0.01);
    CHECK_NEAR(r.domains[1].energy_j, 30 * covered, 0.01);
    CHECK_NEAR(r.total_energy_j, 80 * covered, 0.01);
    CHECK_NEAR(r.net_energy_j, 70 * covered, 0.01);
    CHECK_INT(r.n_regions, 1);
    CHECK_NEAR(r.regions[0].energy_j, 80 * (r.regions[0].end_s - r.regions[0].start_s), 0.05);
    CHECK_INT(r.items, 3);
    CHECK_NEAR(r.interval_s, 0.05, 1e-9);
    eco_run_result_free(&r);
    eco_meter_close(m);
}

ECO_TEST(meter_source_vanishes_run_goes_on)
{
    struct fake f = {.t_start = eco_monotonic_s()};
    struct fake g = {.t_start = f.t_start, .vanish_after = 3};
    struct eco_meter *m = open_fake(&f, &g, 0.05);
    struct eco_err err;
    CHECK(eco_meter_start(m, &err) == 0);
    for (int k = 0; k < 8; k++)
        CHECK(eco_meter_wait_and_sample(m));
    eco_meter_finish(m);
    struct eco_run_result r;
    memset(&r, 0, sizeof r);
    CHECK(eco_meter_result(m, 0, &r, &err) == 0);
    CHECK(strstr(r.domains[1].note, "vanished") != NULL);
    CHECK(strstr(r.domains[1].note, "fake device removed") != NULL);
    CHECK_NEAR(r.domains[1].energy_j, 30 * 0.1, 0.15); /* 3 readings: 2 intervals of ~0.05 s */
    CHECK_NEAR(r.domains[0].energy_j, FAKE_W * r.duration_s, 0.01);
    CHECK(eco_meter_power_w(m) > 49 && eco_meter_power_w(m) < 51); /* the GPU no longer counts */
    eco_run_result_free(&r);
    eco_meter_close(m);
}
