/* The device estimate of one ONNX batch (src/cli/flops_device.c): FLOPs
 * from the report and bytes moved (weights read once per batch,
 * activations written and read once each) through the roofline of
 * model/device_cost.h. */
#ifndef ECO_CLI_FLOPS_DEVICE_H
#define ECO_CLI_FLOPS_DEVICE_H

#include <stdint.h>

#include "model/device_cost.h"
#include "model/shape_infer.h"

/* batch: inferences in the evaluated graph (--batch, 0 = 1). precision NULL
 * = the model's own bytes; a given precision counts every weight and
 * activation at its width (fp32 4, fp16/bf16 2, int8 1 byte), as a model
 * deployed at that precision holds them. */
int eco_flops_onnx_device(const struct eco_onnx_costs *rep, int64_t batch, const char *device,
                          const char *precision, double utilization, const char *region,
                          struct eco_device_cost *out, struct eco_err *err);

#endif
