/* From FLOPs to time, energy and CO2e on a device: see device_cost.h and
 * docs/METHODOLOGY.md ("Device estimate"). Pure arithmetic on one GPU table
 * row and one carbon-intensity figure; always an estimate, never a reading. */
#include "model/device_cost.h"
#include "carbon/co2e.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "core/units.h"

/* The table column for a precision name, in FLOP/s (OP/s for int8). */
static int peak_for(const struct eco_gpu *gpu, const char *precision, const char **canon,
                    double *peak, struct eco_err *err)
{
    double tflops;
    if (strcasecmp(precision, "fp32") == 0) {
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
    if (!(tflops > 0)) {
        eco_err_set(err, 2, "the GPU table has no %s peak rate for %s", *canon, gpu->name);
        eco_err_hint(err, "choose another --precision (fp32 is known for every GPU in the table)");
        return -1;
    }
    *peak = tflops * 1e12;
    return 0;
}

int eco_device_cost(double flops, const char *device, const char *precision, double utilization,
                    const char *region, struct eco_device_cost *out, struct eco_err *err)
{
    memset(out, 0, sizeof *out);
    if (!(flops >= 0) || !isfinite(flops))
        return eco_err_set(err, 2, "cannot estimate a device cost for %g FLOPs", flops);
    if (!(utilization > 0 && utilization <= 1)) {
        eco_err_set(err, 2, "utilization %g is not in (0, 1]", utilization);
        eco_err_hint(err, "give the fraction of peak the workload reaches, e.g. --utilization 0.3");
        return -1;
    }
    if (!device || !*device)
        return eco_err_set(err, 2, "no device given");
    const struct eco_gpu *gpu = eco_gpu_find(device, err);
    if (!gpu)
        return -1;
    if (!(gpu->tdp_w > 0))
        return eco_err_set(err, 2, "the GPU table has no power figure for %s", gpu->name);
    double peak;
    if (peak_for(gpu, precision ? precision : "fp32", &out->precision, &peak, err) != 0)
        return -1;
    if (eco_intensity_resolve(region, -1, &out->intensity, err) != 0)
        return -1;
    out->gpu = gpu;
    out->peak_flops = peak;
    out->utilization = utilization;
    out->seconds = flops / (peak * utilization);
    out->power_w = gpu->tdp_w;
    out->energy_j = out->seconds * out->power_w;
    out->co2e_g = eco_co2e_g(out->energy_j, out->intensity.g_per_kwh);
    return 0;
}
