/* Test-only synthetic runs; see synthetic_run.h. */
#include "synthetic_run.h"
#include "meter/run_derive.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEF(v, d) ((v) > 0 ? (v) : (d))

static void add_domain(struct eco_run_result *r, const char *name, const char *device,
                       enum eco_kind kind, int top, double mean_w, double wobble, size_t n,
                       double dt, const struct eco_synth *s)
{
    struct eco_domain_result *d = &r->domains[r->n_domains++];
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", name);
    snprintf(d->device, sizeof d->device, "%s", device);
    d->kind = kind;
    d->method = ECO_MEASURED;
    d->top_level = top;
    d->series = calloc(n, sizeof *d->series);
    d->n_series = n;
    for (size_t i = 0; i < n; i++) {
        double t = (i + 1) * dt;
        /* Busier inside epochs, a slow wobble on top: charts have shape. */
        double busy = 0.6;
        if (s->epochs > 0) {
            double span = 0.8 * n * dt, t0 = 0.1 * n * dt;
            if (t > t0 && t <= t0 + span)
                busy = 1.0 + 0.15 * sin(2 * M_PI * (t - t0) / (span / s->epochs));
        }
        double w = mean_w * busy * (1 + wobble * sin(t / 3.0));
        d->series[i].t = t;
        d->series[i].watts = w;
        d->energy_j += w * dt;
        if (w > d->peak_w)
            d->peak_w = w;
    }
    d->avg_w = d->energy_j / (n * dt);
}

void eco_synth_run(const struct eco_synth *s, struct eco_run_result *r)
{
    memset(r, 0, sizeof *r);
    double dur = DEF(s->duration_s, 60), dt = DEF(s->interval_s, 0.5);
    size_t n = (size_t)llround(dur / dt);
    dur = n * dt;
    snprintf(r->id, sizeof r->id, "%s", s->id ? s->id : "20261126-120000-test");
    snprintf(r->kind, sizeof r->kind, "run");
    snprintf(r->host, sizeof r->host, "testhost");
    snprintf(r->os, sizeof r->os, "Linux-6.1.0-test-x86_64");
    snprintf(r->cpu_model, sizeof r->cpu_model, "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz");
    r->cpu_count = 40;
    r->ram_gb = 192;
    if (s->gpu_w > 0) {
        snprintf(r->gpu_model, sizeof r->gpu_model, "NVIDIA A100-SXM4-40GB");
        r->gpu_count = 1;
    }
    snprintf(r->command, sizeof r->command, "%s", s->command ? s->command : "python3 train.py --epochs 3");
    r->start_unix = s->start_unix > 0 ? s->start_unix : 1795694400.0;
    r->duration_s = dur;
    r->end_unix = r->start_unix + dur;
    r->interval_s = dt;
    r->complete = !s->incomplete;
    r->exit_status = s->incomplete ? -1 : 0;
    r->baseline_w = s->baseline_w;
    snprintf(r->baseline_source, sizeof r->baseline_source, "%s",
             s->baseline_w > 0 ? "measured 10 s before the run" : "none");

    r->domains = calloc(4, sizeof *r->domains);
    add_domain(r, "package-0", "Intel Xeon Gold 6248 (socket 0)", ECO_KIND_CPU_PACKAGE, 1,
               DEF(s->cpu_w, 60), 0.1, n, dt, s);
    add_domain(r, "core-0", "Intel Xeon Gold 6248 (socket 0)", ECO_KIND_CPU_CORE, 0,
               0.7 * DEF(s->cpu_w, 60), 0.1, n, dt, s);
    add_domain(r, "dram-0", "DRAM (socket 0)", ECO_KIND_DRAM, 1, DEF(s->dram_w, 8), 0.05, n, dt, s);
    if (s->gpu_w > 0)
        add_domain(r, "gpu-0", "NVIDIA A100-SXM4-40GB", ECO_KIND_GPU, 1, s->gpu_w, 0.2, n, dt, s);
    for (size_t d = 0; d < r->n_domains; d++)
        if (r->domains[d].top_level)
            r->total_energy_j += r->domains[d].energy_j;
    r->net_energy_j = fmax(0, r->total_energy_j - r->baseline_w * dur);
    r->attributed_energy_j = 0.9 * r->net_energy_j;
    snprintf(r->attribution_method, sizeof r->attribution_method,
             "synthetic: 90%% of net energy (test data)");

    snprintf(r->region_code, sizeof r->region_code, "%s", s->region ? s->region : "FR");
    r->intensity_g_per_kwh = DEF(s->intensity, 56);
    snprintf(r->intensity_label, sizeof r->intensity_label, "%s (test intensity)", r->region_code);
    r->co2e_g = r->total_energy_j / 3.6e6 * r->intensity_g_per_kwh;

    if (s->epochs > 0) {
        r->regions = calloc((size_t)s->epochs, sizeof *r->regions);
        double span = 0.8 * dur, t0 = 0.1 * dur;
        for (int e = 0; e < s->epochs; e++) {
            struct eco_region_result *g = &r->regions[r->n_regions++];
            snprintf(g->name, sizeof g->name, "epoch-%d", e + 1);
            g->start_s = t0 + span * e / s->epochs;
            g->end_s = t0 + span * (e + 1) / s->epochs;
            for (size_t d = 0; d < r->n_domains; d++) {
                if (!r->domains[d].top_level)
                    continue;
                for (size_t i = 0; i < n; i++) {
                    double t = r->domains[d].series[i].t;
                    if (t > g->start_s && t <= g->end_s)
                        g->energy_j += r->domains[d].series[i].watts * dt;
                }
            }
            g->net_energy_j = fmax(0, g->energy_j - r->baseline_w * (g->end_s - g->start_s));
            g->items = s->items_per_epoch;
            r->items += g->items;
        }
    }
    /* the figures that follow from these, as the run driver and the history
     * compute them (meter/run_derive.c) */
    eco_run_derive(r);
}

void eco_synth_free(struct eco_run_result *r)
{
    for (size_t d = 0; d < r->n_domains; d++)
        free(r->domains[d].series);
    free(r->domains);
    free(r->regions);
    memset(r, 0, sizeof *r);
}
