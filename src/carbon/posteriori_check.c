#include "carbon/posteriori_check.h"

#include <stdio.h>
#include <string.h>

#include "carbon/co2e.h"
#include "hw/hardware.h"

void eco_posteriori_check(const struct eco_run_result *r, struct eco_posteriori_check *c)
{
    memset(c, 0, sizeof *c);
    for (size_t d = 0; d < r->n_domains; d++)
        if (r->domains[d].top_level && r->domains[d].method == ECO_ESTIMATED)
            c->measured_has_estimates = 1;
    if (!(r->duration_s > 0) || !(r->total_energy_j > 0)) {
        snprintf(c->why, sizeof c->why, "the run has no duration or no measured energy");
        return;
    }
    struct eco_err err;
    eco_err_clear(&err);
    const struct eco_cpu *cpu = r->cpu_model[0] ? eco_cpu_find(r->cpu_model, &err) : NULL;
    const struct eco_gpu *gpu = NULL;
    if (r->gpu_count > 0 && r->gpu_model[0]) {
        eco_err_clear(&err);
        gpu = eco_gpu_find(r->gpu_model, &err);
    }
    if (!cpu && !gpu) {
        snprintf(c->why, sizeof c->why,
                 "neither the CPU (%s) nor a GPU of this run is in ecometer's hardware tables, and "
                 "both methods need a TDP", r->cpu_model[0] ? r->cpu_model : "not recorded");
        return;
    }
    size_t o = snprintf(c->assumptions, sizeof c->assumptions,
                        "Inputs are what the run recorded, at each method's defaults: usage 1 (Green "
                        "Algorithms' default; ML CO2 Impact always counts full power), all cores, all "
                        "%.0f GB of RAM, and PUE 1 because ecometer measures at the device, not at "
                        "the data centre's meter.", r->ram_gb);
    if (!cpu)
        o += snprintf(c->assumptions + o, sizeof c->assumptions - o,
                      " The CPU (%s) is not in the tables, so the estimates leave it out.", r->cpu_model);
    if (r->gpu_count > 0 && !gpu)
        o += snprintf(c->assumptions + o, sizeof c->assumptions - o,
                      " The GPU (%s) is not in the tables, so the estimates leave it out.", r->gpu_model);
    if (c->measured_has_estimates && o < sizeof c->assumptions)
        snprintf(c->assumptions + o, sizeof c->assumptions - o,
                 " Part of the measured figure is itself an estimate (see the domains).");

    for (int k = 0; k < 2; k++) {
        struct eco_post_params p;
        memset(&p, 0, sizeof p);
        p.method = (enum eco_post_method)k;
        eco_post_set(&p.runtime_s, r->duration_s, ECO_ORIGIN_DERIVED, "the run's duration");
        if (cpu) {
            eco_post_set(&p.cpu_tdp_w, cpu->tdp_w, ECO_ORIGIN_TABLE, "%s TDP (%s, %d)", cpu->name,
                         cpu->source, cpu->year);
            eco_post_set(&p.cpu_table_cores, cpu->cores, ECO_ORIGIN_TABLE, "%s cores", cpu->name);
        }
        if (gpu) {
            eco_post_set(&p.gpu_power_w, gpu->tdp_w, ECO_ORIGIN_TABLE, "%s TDP (%s, %d)", gpu->name,
                         gpu->source, gpu->year);
            eco_post_set(&p.n_gpus, r->gpu_count, ECO_ORIGIN_DERIVED, "GPUs the run saw");
        }
        if (r->ram_gb > 0)
            eco_post_set(&p.memory_gb, r->ram_gb, ECO_ORIGIN_DERIVED, "the machine's RAM");
        eco_post_set(&p.pue, 1.0, ECO_ORIGIN_DERIVED, "1: compared with a device-level measurement");
        eco_err_clear(&err);
        if (eco_posteriori_compute(&p, &c->estimate[k], &err) != 0) {
            snprintf(c->why, sizeof c->why, "%s: %s", eco_post_method_name(p.method), err.msg);
            return;
        }
        c->error_pct[k] = (c->estimate[k].total_j - r->total_energy_j) / r->total_energy_j * 100.0;
        c->co2e_g[k] = eco_co2e_g(c->estimate[k].total_j, r->intensity_g_per_kwh);
    }
    c->possible = 1;
}
