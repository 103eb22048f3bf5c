/* ONNX work -> roofline device estimate: see flops_device.h and
 * docs/METHODOLOGY.md ("Device estimate"). */
#include "cli/flops_device.h"

#include <string.h>
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

/* Element-wise and normalisation operators every inference runtime
 * (TensorRT, ONNX Runtime, OpenVINO, XLA) fuses into the producer of their
 * input, as its epilogue: their outputs are never written to memory on
 * their own. The rest (Conv, MatMul, pooling, concatenation, reshapes that
 * copy...) materialise theirs. */
static int fused_epilogue(const char *op)
{
    static const char *const ops[] = {"Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid",
                                      "HardSwish", "Tanh", "Elu", "Selu", "Gelu", "Mish", "Softplus",
                                      "BatchNormalization", "Add", "Sub", "Mul", "Div", "Identity",
                                      "Dropout", "Cast", "QuantizeLinear", "DequantizeLinear", NULL};
    for (size_t i = 0; ops[i]; i++)
        if (strcmp(op, ops[i]) == 0)
            return 1;
    return 0;
}

/* Bytes of the activations a fusing runtime writes to memory: the outputs
 * of every node that is not a fused epilogue, at width bytes per element
 * (0: each tensor's own element size). Unknown dimensions count as 1, as
 * in the FLOPs. */
static double materialised_bytes(const struct eco_onnx_costs *rep, double width)
{
    double total = 0;
    for (size_t i = 0; i < rep->n_nodes; i++) {
        const struct eco_node_result *nr = &rep->nodes[i];
        if (nr->status != ECO_NODE_COUNTED || fused_epilogue(nr->node->op_type))
            continue;
        for (size_t k = 0; k < nr->n_outs; k++) {
            const struct eco_val *v = nr->outs[k];
            if (!v || v->rank < 0 || v->is_init)
                continue;
            double n = 1;
            for (int d = 0; d < v->rank; d++)
                if (v->d[d].v != ECO_DIM_UNKNOWN && v->d[d].v > 0)
                    n *= (double)v->d[d].v;
            double size = width > 0 ? width : eco_onnx_dtype_size(v->dtype);
            total += n * (size > 0 ? size : 4);
        }
    }
    return total;
}

int eco_flops_onnx_device(const struct eco_onnx_costs *rep, int64_t batch, const char *device,
                          const char *precision, double utilization, const char *region,
                          struct eco_device_cost *out, struct eco_err *err)
{
    (void)batch; /* the report already covers the whole batch */
    double w = width_of(precision);
    double weights = w > 0 ? rep->params * w : rep->weight_bytes;
    double acts = materialised_bytes(rep, w);
    /* each materialised activation is written once and read once */
    return eco_device_cost(rep->flops, weights + 2 * acts, 0, device, precision, utilization, region, out, err);
}
