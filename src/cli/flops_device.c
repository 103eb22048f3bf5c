/* ONNX work -> roofline device estimate: see flops_device.h and
 * docs/METHODOLOGY.md ("Device estimate"). */
#include "cli/flops_device.h"

#include <strings.h>

static double width_of(const char *precision)
{
    if (!precision)
        return 0;
    if (strcasecmp(precision, "fp16") == 0 || strcasecmp(precision, "bf16") == 0)
        return 2;
    if (strcasecmp(precision, "int8") == 0)
        return 1;
    return 4;
}

int eco_flops_onnx_device(const struct eco_report *rep, int64_t batch, const char *device,
                          const char *precision, double utilization, const char *region,
                          struct eco_device_cost *out, struct eco_err *err)
{
    (void)batch; /* the report already covers the whole batch */
    double weights = rep->weight_bytes, acts = rep->activation_bytes;
    double w = width_of(precision);
    if (w > 0) {
        /* activation_bytes holds the graph's own element widths, nearly
         * always FP32 (4 bytes) in exported models */
        weights = rep->params * w;
        acts = acts / 4 * w;
    }
    return eco_device_cost(rep->flops, weights + 2 * acts, 0, device, precision, utilization, region, out, err);
}
