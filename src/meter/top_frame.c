/* The figures of a `top` frame (see top_frame.h). */
#include "meter/top_frame.h"

#include <stdio.h>
#include <string.h>

#include "meter/gpu_share.h"
#include "meter/meter.h"
#include "meter/run_driver.h"

double eco_top_proc_power_w(double cpu_side_w, double share) { return cpu_side_w * share; }

void eco_top_domain_range(struct eco_top_domain *t, double limit_w, double *peak_w)
{
    if (t->watts > *peak_w)
        *peak_w = t->watts;
    t->range_is_limit = limit_w > 0 && t->watts <= limit_w * 1.2; /* a limit the GPU overshoots is no scale */
    t->range_w = t->range_is_limit ? limit_w : *peak_w;
}

void eco_top_procs_fill(struct eco_top_frame *f, const struct eco_proc_share *shares, int n, double cpu_side_w)
{
    for (int i = 0; i < n && f->n_procs < ECO_TOP_MAX_PROCS; i++) {
        struct eco_top_proc *p = &f->procs[f->n_procs++];
        p->pid = shares[i].pid;
        snprintf(p->comm, sizeof p->comm, "%s", shares[i].comm);
        p->cpu_pct = shares[i].cpu_pct;
        p->watts = eco_top_proc_power_w(cpu_side_w, shares[i].share);
    }
}

void eco_top_gpu_proc_add(struct eco_top_frame *f, const struct eco_top_gpu_proc *g)
{
    size_t at = f->n_gpu_procs;
    while (at > 0 && f->gpu_procs[at - 1].watts < g->watts)
        at--;
    if (at >= ECO_TOP_MAX_PROCS)
        return;
    size_t last = f->n_gpu_procs < ECO_TOP_MAX_PROCS ? f->n_gpu_procs++ : ECO_TOP_MAX_PROCS - 1;
    memmove(&f->gpu_procs[at + 1], &f->gpu_procs[at], (last - at) * sizeof f->gpu_procs[0]);
    f->gpu_procs[at] = *g;
}

/* Per-process GPU power on NVML GPUs, an attribution estimate
 * (eco_gpu_proc_power_w), largest first; why there is none otherwise. */
static void gpu_processes(struct eco_meter *m, struct eco_top_frame *f)
{
    int no_util = 0;
    for (size_t i = 0; i < f->n_domains; i++) {
        struct eco_gpu_proc procs[64];
        size_t n = 0;
        if (strcmp(f->domains[i].kind, "gpu") != 0 || eco_meter_gpu_processes(m, i, procs, 64, &n) < 0)
            continue;
        f->n_gpus++;
        for (size_t k = 0; k < n; k++) {
            double w = eco_gpu_proc_power_w(procs, n, k, f->domains[i].watts);
            if (w < 0) {
                no_util = 1;
                continue;
            }
            struct eco_top_gpu_proc g = {.pid = (pid_t)procs[k].pid, .sm_pct = procs[k].sm_pct, .watts = w};
            snprintf(g.gpu, sizeof g.gpu, "%s", f->domains[i].name);
            eco_proc_comm((pid_t)procs[k].pid, g.comm, sizeof g.comm);
            eco_top_gpu_proc_add(f, &g);
        }
    }
    if (no_util)
        snprintf(f->gpu_note, sizeof f->gpu_note,
                 "this driver gives no per-process GPU utilisation: no per-process GPU power");
    else if (f->n_gpus > 0 && f->n_gpu_procs == 0)
        snprintf(f->gpu_note, sizeof f->gpu_note, "no process used a GPU since the last refresh");
}

/* The run's live figures and each domain's power, energy and bar scale. */
static void domains(struct eco_run_driver *drv, struct eco_top_state *st, struct eco_top_frame *f)
{
    struct eco_meter *m = eco_run_driver_meter(drv);
    const struct eco_intensity *ci = eco_run_driver_intensity(drv);
    f->elapsed_s = eco_meter_elapsed_s(m);
    f->interval_s = eco_meter_interval(m);
    struct eco_live l;
    eco_run_driver_live(drv, &l);
    f->power_w = l.power_w;
    f->energy_j = l.energy_j;
    f->co2e_g = l.co2e_g;
    f->energy_per_hour_j = l.energy_per_hour_j;
    f->co2e_per_hour_g = l.co2e_per_hour_g;
    f->g_per_kwh = ci->g_per_kwh;
    snprintf(f->place, sizeof f->place, "%s", ci->label);
    f->place_is_default = ci->is_default;
    f->any_estimated = eco_meter_any_estimated(m);
    for (size_t i = 0; i < eco_meter_n_domains(m) && f->n_domains < ECO_TOP_MAX_DOMAINS; i++) {
        const struct eco_domain *d = eco_meter_domain(m, i);
        struct eco_top_domain *t = &f->domains[f->n_domains++];
        snprintf(t->name, sizeof t->name, "%s", d->name);
        snprintf(t->kind, sizeof t->kind, "%s", eco_kind_name(d->kind));
        t->estimated = d->method == ECO_ESTIMATED;
        t->top_level = d->parent < 0;
        t->watts = eco_meter_domain_power_w(m, i);
        t->energy_j = eco_meter_domain_energy_j(m, i);
        eco_top_domain_range(t, d->limit_w, &st->peak_w[i]);
    }
}

void eco_top_state_init(struct eco_top_state *st)
{
    memset(st, 0, sizeof *st);
    eco_proc_top_init(&st->pt);
    struct eco_proc_share scratch[1];
    eco_proc_top_scan(&st->pt, 0, scratch, 0);
}

void eco_top_state_free(struct eco_top_state *st) { eco_proc_top_free(&st->pt); }

void eco_top_frame_fill(struct eco_run_driver *drv, struct eco_top_state *st, double period_s, size_t top_n,
                        struct eco_top_frame *f)
{
    struct eco_meter *m = eco_run_driver_meter(drv);
    memset(f, 0, sizeof *f);
    domains(drv, st, f);
    gpu_processes(m, f);
    struct eco_proc_share shares[ECO_TOP_MAX_PROCS];
    int n = eco_proc_top_scan(&st->pt, period_s, shares, top_n < ECO_TOP_MAX_PROCS ? top_n : ECO_TOP_MAX_PROCS);
    double cpu_side_w;
    eco_meter_cpu_time_domains(m, &cpu_side_w, NULL);
    eco_top_procs_fill(f, shares, n, cpu_side_w);
    if (n < 0)
        snprintf(f->note, sizeof f->note, "cannot read /proc: no per-process figures");
    else if (f->n_domains == 0)
        snprintf(f->note, sizeof f->note, "no power source found: see 'ecometer sensors'");
    else if (f->any_estimated)
        snprintf(f->note, sizeof f->note, "part of the power is estimated, not measured: see 'ecometer sensors'");
}
