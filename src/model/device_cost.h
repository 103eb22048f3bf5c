/* From a model's FLOPs to time, energy and CO2e on a device (labelled as an
 * estimate): seconds = FLOPs / (peak rate x utilization); energy = seconds x
 * device power (TDP). Used by `ecometer flops --device` for ONNX and GGUF.
 * Implemented in src/model/device_cost.c. */
#ifndef ECO_MODEL_DEVICE_COST_H
#define ECO_MODEL_DEVICE_COST_H

#include "carbon/intensity.h"
#include "core/err.h"
#include "hw/hardware.h"

struct eco_device_cost {
    const struct eco_gpu *gpu;     /* the table row used */
    const char *precision;         /* "fp32", "fp16" (tensor FP16/BF16) or "int8" */
    double peak_flops;             /* FLOP/s (or OP/s for int8) at that precision */
    double utilization;            /* fraction of peak reached, 0 < u <= 1 */
    double seconds;                /* per evaluation of `flops` */
    double power_w;                /* device power assumed (TDP) */
    double energy_j;
    struct eco_intensity intensity;
    double co2e_g;
};

/* Utilization assumed when the user gives none (ONNX and GGUF alike): a
 * round figure below the model-FLOPs utilisation of large training runs
 * (PaLM, Chowdhery et al. 2022, table 3: 46 %); see docs/METHODOLOGY.md. */
#define ECO_DEVICE_UTILIZATION_DEFAULT 0.4

/* precision NULL = "fp32" ("bf16" is read from the fp16 column); region NULL
 * = world average (intensity.is_default). Errors: code 2 for an unknown
 * device, precision or region, a utilization outside (0, 1] or a table row
 * without the needed figure. */
int eco_device_cost(double flops, const char *device, const char *precision, double utilization,
                    const char *region, struct eco_device_cost *out, struct eco_err *err);

#endif
