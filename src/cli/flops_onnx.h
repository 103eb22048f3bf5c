/* Printing an ONNX flops report (src/cli/flops_print.c) in text, JSON, CSV. */
#ifndef ECO_CLI_FLOPS_ONNX_H
#define ECO_CLI_FLOPS_ONNX_H

#include <stdio.h>

#include "core/format.h"
#include "model/device_cost.h"
#include "model/onnx.h"
#include "model/shape_infer.h"

struct eco_flops_print_opts {
    const char *path;
    enum eco_format format;
    int per_layer; /* every node in the text table */
    int top;       /* nodes in the text table otherwise */
    const struct eco_device_cost *device; /* NULL without --device */
    int64_t batch;                        /* inferences per evaluated batch (device estimate) */
    const struct eco_value_given *values; /* --value: run-time values the figures may depend on */
    size_t n_values;
};

int eco_flops_print(FILE *out, const struct eco_onnx_model *m, const struct eco_onnx_costs *r,
                    const struct eco_flops_print_opts *o);

#endif
