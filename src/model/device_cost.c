/* The roofline device estimate: see device_cost.h and docs/METHODOLOGY.md
 * ("Device estimate"). Pure arithmetic on one hardware table row and one
 * carbon-intensity figure; always an estimate, never a reading. */
#include "model/device_cost.h"
#include "carbon/co2e.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "core/units.h"

/* The GPU table column for a precision name, in FLOP/s (OP/s for int8);
 * 0 when the row publishes none (Apple M3: no TFLOPS figure). */
static int gpu_peak(const struct eco_gpu *gpu, const char *precision, const char **canon, double *peak,
                    struct eco_err *err)
{
    double tflops;
    if (strcasecmp(precision, "auto") == 0) {
        int tensor = gpu->fp16_tflops > gpu->fp32_tflops;
        *canon = tensor ? "fp16" : "fp32";
        tflops = tensor ? gpu->fp16_tflops : gpu->fp32_tflops;
    } else if (strcasecmp(precision, "fp32") == 0) {
        *canon = "fp32";
        tflops = gpu->fp32_tflops;
    } else if (strcasecmp(precision, "fp16") == 0 || strcasecmp(precision, "bf16") == 0) {
        *canon = "fp16";
        tflops = gpu->fp16_tflops;
    } else if (strcasecmp(precision, "int8") == 0) {
        *canon = "int8";
        tflops = gpu->int8_tops;
    } else {
        eco_err_set(err, 2, "unknown precision '%s'", precision);
        eco_err_hint(err, "use --precision fp32, fp16 (also for bf16) or int8");
        return -1;
    }
    if (!(tflops > 0) && strcmp(*canon, "fp32") != 0) {
        eco_err_set(err, 2, "the GPU table has no %s peak rate for %s", *canon, gpu->name);
        eco_err_hint(err, "choose another --precision (fp32, or leave it out)");
        return -1;
    }
    *peak = tflops * 1e12;
    return 0;
}

/* A CPU row publishes FP32 only (its SIMD FMA rate). */
static int cpu_peak(const struct eco_cpu *cpu, const char *precision, const char **canon, double *peak,
                    struct eco_err *err)
{
    if (strcasecmp(precision, "auto") != 0 && strcasecmp(precision, "fp32") != 0) {
        eco_err_set(err, 2, "the CPU table has FP32 rates only, not %s, for %s", precision, cpu->name);
        eco_err_hint(err, "leave --precision out (fp32) for a CPU");
        return -1;
    }
    if (!(eco_cpu_peak_flops(cpu) > 0) || !(eco_cpu_mem_bw_gbs(cpu) > 0)) {
        eco_err_set(err, 2, "the CPU table has no clock, FLOPs per cycle or memory figures for %s", cpu->name);
        eco_err_hint(err, "add base_ghz, fp32_flops_per_cycle, mem_channels and mem_mts to its row through "
                          "ECOMETER_CPU_TABLE (see data/cpus.tsv)");
        return -1;
    }
    *canon = "fp32";
    *peak = eco_cpu_peak_flops(cpu);
    return 0;
}

/* "gpu:NAME" / "cpu:NAME" pick a table; otherwise an exact name or alias
 * wins (GPU first: Jetson modules are in both tables under the same
 * alias), then the better fuzzy score. */
static int resolve(const char *device, struct eco_device_cost *out, struct eco_err *err)
{
    if (strncasecmp(device, "cpu:", 4) == 0)
        return (out->cpu = eco_cpu_find(device + 4, err)) ? 0 : -1;
    if (strncasecmp(device, "gpu:", 4) == 0)
        return (out->gpu = eco_gpu_find(device + 4, err)) ? 0 : -1;
    struct eco_hw_match gm = {0}, cm = {0};
    struct eco_err ce;
    const struct eco_gpu *g = eco_gpu_find_ex(device, &gm, err);
    const struct eco_cpu *c = eco_cpu_find_ex(device, &cm, &ce);
    if (g && gm.kind != ECO_HW_MATCH_FUZZY)
        out->gpu = g;
    else if (c && cm.kind != ECO_HW_MATCH_FUZZY)
        out->cpu = c;
    else if (g && (!c || gm.score >= cm.score))
        out->gpu = g;
    else if (c)
        out->cpu = c;
    else
        return -1; /* err holds the GPU table's message and closest names */
    return 0;
}

/* Roofline and power at load on the resolved row. */
static void roofline(struct eco_device_cost *o)
{
    o->memory_s = o->bytes / (o->mem_bw * o->memory_eff);
    o->compute_s = o->peak_flops > 0 ? o->flops / (o->peak_flops * o->compute_eff) : -1;
    if (o->compute_s < 0) {
        o->bound = "memory (compute peak not published)";
        o->seconds = o->memory_s;
    } else {
        o->bound = o->compute_s >= o->memory_s ? "compute" : "memory";
        o->seconds = o->compute_s >= o->memory_s ? o->compute_s : o->memory_s;
    }
    o->seconds += o->overhead_s;
    double lc = 0, lm = 0;
    if (o->seconds > 0) {
        lc = o->compute_s > 0 ? o->compute_eff * o->compute_s / o->seconds : 0;
        lm = o->memory_eff * o->memory_s / o->seconds;
    } else {
        lc = o->compute_eff; /* no work: the factor of the idle case is unused */
    }
    o->load = lc > lm ? lc : lm;
    o->power_w = o->tdp_w * o->load;
    o->energy_j = o->seconds * o->power_w;
}

int eco_device_cost(double flops, double bytes, double overhead_s, const char *device, const char *precision,
                    double compute_eff, const char *region, struct eco_device_cost *out,
                    struct eco_err *err)
{
    memset(out, 0, sizeof *out);
    if (!(flops >= 0) || !isfinite(flops) || !(bytes >= 0) || !isfinite(bytes) || !(overhead_s >= 0))
        return eco_err_set(err, 2, "cannot estimate a device cost for %g FLOPs and %g bytes", flops, bytes);
    if (compute_eff <= 0)
        compute_eff = ECO_DEVICE_COMPUTE_EFFICIENCY;
    if (!(compute_eff <= 1)) {
        eco_err_set(err, 2, "utilization %g is not in (0, 1]", compute_eff);
        eco_err_hint(err, "give the fraction of peak compute the workload reaches, e.g. --utilization 0.3");
        return -1;
    }
    if (!device || !*device)
        return eco_err_set(err, 2, "no device given");
    if (resolve(device, out, err) != 0)
        return -1;
    const char *p = precision ? precision : "fp32";
    int rc = out->gpu ? gpu_peak(out->gpu, p, &out->precision, &out->peak_flops, err)
                      : cpu_peak(out->cpu, p, &out->precision, &out->peak_flops, err);
    if (rc != 0)
        return -1;
    out->name = out->gpu ? out->gpu->name : out->cpu->name;
    out->tdp_w = out->gpu ? out->gpu->tdp_w : out->cpu->tdp_w;
    out->mem_bw = 1e9 * (out->gpu ? out->gpu->mem_bw_gbs : eco_cpu_mem_bw_gbs(out->cpu));
    if (!(out->mem_bw > 0)) {
        eco_err_set(err, 2, "the hardware table has no memory bandwidth for %s", out->name);
        eco_err_hint(err, "add a mem_bw_gbs column to its row through ECOMETER_GPU_TABLE (see data/gpus.tsv)");
        return -1;
    }
    if (!(out->tdp_w > 0))
        return eco_err_set(err, 2, "the hardware table has no power figure for %s", out->name);
    if (eco_intensity_resolve(region, -1, &out->intensity, err) != 0)
        return -1;
    out->flops = flops;
    out->bytes = bytes;
    out->compute_eff = out->utilization = compute_eff;
    out->memory_eff = ECO_DEVICE_MEMORY_EFFICIENCY;
    out->overhead_s = overhead_s;
    roofline(out);
    out->co2e_g = eco_co2e_g(out->energy_j, out->intensity.g_per_kwh);
    return 0;
}

void eco_device_per_unit(const struct eco_device_cost *d, double units, struct eco_device_per_unit *out)
{
    out->units = units > 0 ? units : 1;
    out->units_per_s = d->seconds > 0 ? out->units / d->seconds : 0;
    out->energy_j = d->energy_j / out->units;
    out->co2e_g = d->co2e_g / out->units;
}
