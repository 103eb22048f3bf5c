/* Normalisation and softmax: BatchNormalization (inference and training
 * outputs), InstanceNormalization, LayerNormalization (+Mean, InvStdDev),
 * GroupNormalization, LpNormalization, MeanVarianceNormalization,
 * Softmax/LogSoftmax/Hardmax, com.microsoft SkipLayerNormalization.
 * FLOPs per output element are documented in docs/METHODOLOGY.md. */
#include <string.h>

#include "model/ops.h"

static int infer_same(struct eco_op_ctx *c)
{
    eco_out_like(c, 0, eco_in(c, 0));
    return 0;
}

static int infer_batchnorm(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *scale = eco_in(c, 1);
    eco_out_like(c, 0, x);
    /* training outputs: running mean/var (and saved mean/var before opset 14) of shape [C] */
    for (size_t i = 1; i < c->n_out; i++) {
        if (eco_has_shape(scale))
            eco_out_like(c, i, scale);
        else if (eco_has_shape(x) && x->rank >= 2) {
            struct eco_dim d = x->d[1];
            eco_out_rank(c, i, x->dtype, 1, &d);
        }
    }
    return 0;
}

static int infer_layernorm(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    eco_out_like(c, 0, x);
    if (!eco_has_shape(x))
        return 0;
    int axis = eco_axis(eco_onnx_attr_int(c->node, "axis", -1), x->rank);
    if (axis < 0)
        return eco_op_error(c, "axis out of range");
    struct eco_dim d[ECO_MAX_RANK];
    for (int i = 0; i < x->rank; i++)
        d[i] = i < axis ? x->d[i] : eco_dim_num(1);
    int st = (int)eco_onnx_attr_int(c->node, "stash_type", ECO_DT_FLOAT);
    for (size_t i = 1; i < c->n_out; i++)
        eco_out_rank(c, i, st, x->rank, d);
    return 0;
}

/* Statistics-based norms: mean (1), variance (3: subtract, square, add),
 * normalise (2: subtract, multiply by 1/std) = 6 per element, +2 when an
 * affine scale and bias are applied. BatchNorm at inference uses stored
 * statistics: 4 per element (subtract, divide, scale, shift). */
static int cost_norm(struct eco_op_ctx *c)
{
    double affine = (eco_in(c, 1) ? 1 : 0) + (eco_in(c, 2) ? 1 : 0);
    double per = 6 + affine;
    if (strcmp(c->node->op_type, "BatchNormalization") == 0)
        per = 4;
    double n = c->n_out && c->out[0] ? eco_numel(c, c->out[0]) : -1;
    if (n < 0)
        c->no_shape = 1;
    else
        c->flops = per * n;
    return 0;
}

static int cost_skip_layernorm(struct eco_op_ctx *c)
{
    return eco_cost_per_output(c, 9); /* residual add + layer norm */
}

const struct eco_op eco_ops_norm[] = {
    {"BatchNormalization", "", infer_batchnorm, cost_norm, 0},
    {"InstanceNormalization", "", infer_same, cost_norm, 0},
    {"LayerNormalization", "", infer_layernorm, cost_norm, 0},
    {"GroupNormalization", "", infer_same, cost_norm, 0},
    {"MeanVarianceNormalization", "", infer_same, NULL, 6},
    {"LpNormalization", "", infer_same, NULL, 3},
    {"Softmax", "", infer_same, NULL, 5},
    {"LogSoftmax", "", infer_same, NULL, 5},
    {"Hardmax", "", infer_same, NULL, 1},
    {"SkipLayerNormalization", "com.microsoft", infer_same, cost_skip_layernorm, 0},
    {"SimplifiedLayerNormalization", "", infer_same, NULL, 4},
    {"LayerNormalization", "com.microsoft", infer_layernorm, cost_norm, 0},
    {NULL, NULL, NULL, NULL, 0},
};
