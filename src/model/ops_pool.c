/* Pooling: MaxPool (with Indices), AveragePool, LpPool (kernel, strides,
 * pads, dilations, auto_pad, ceil_mode), the Global* pools, MaxUnpool,
 * MaxRoiPool, RoiAlign, LRN. Cost: one FLOP (add or compare) per kernel
 * element per output element; global pools one per input element. */
#include <string.h>

#include "model/ops.h"

static int infer_pool(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    size_t k;
    const int64_t *ks = eco_onnx_attr_ints(c->node, "kernel_shape", &k);
    if (!eco_has_shape(x) || !ks) {
        eco_out_unknown(c, 0, dtype);
        eco_out_unknown(c, 1, ECO_DT_INT64);
        return 0;
    }
    if (x->rank != (int)k + 2)
        return eco_op_error(c, "input rank %d does not match a %zu-D kernel", x->rank, k);
    int64_t strides[ECO_MAX_RANK], dil[ECO_MAX_RANK], pb[ECO_MAX_RANK] = {0}, pe[ECO_MAX_RANK] = {0};
    for (size_t i = 0; i < k; i++)
        strides[i] = dil[i] = 1;
    size_t n;
    const int64_t *v;
    if ((v = eco_onnx_attr_ints(c->node, "strides", &n)) && n == k)
        memcpy(strides, v, n * sizeof *v);
    if ((v = eco_onnx_attr_ints(c->node, "dilations", &n)) && n == k)
        memcpy(dil, v, n * sizeof *v);
    if ((v = eco_onnx_attr_ints(c->node, "pads", &n)) && n == 2 * k)
        for (size_t i = 0; i < k; i++) {
            pb[i] = v[i];
            pe[i] = v[k + i];
        }
    int ceil_mode = (int)eco_onnx_attr_int(c->node, "ceil_mode", 0);
    const char *auto_pad = eco_onnx_attr_str(c->node, "auto_pad", "NOTSET");
    struct eco_dim d[ECO_MAX_RANK];
    d[0] = x->d[0];
    d[1] = x->d[1];
    for (size_t i = 0; i < k; i++) {
        if (strides[i] <= 0 || dil[i] <= 0 || ks[i] <= 0 || ks[i] > (1LL << 31) || pb[i] < 0 || pe[i] < 0 ||
            strides[i] > (1LL << 31) || dil[i] > (1LL << 31) || pb[i] > (1LL << 40) || pe[i] > (1LL << 40))
            return eco_op_error(c, "invalid kernel, stride, dilation or pad");
        struct eco_dim in = x->d[2 + i];
        d[2 + i] = eco_window_out_dim(c, in, ks[i], strides[i], dil[i], pb[i], pe[i], auto_pad, ceil_mode);
    }
    eco_out_rank(c, 0, dtype, (int)k + 2, d);
    eco_out_rank(c, 1, ECO_DT_INT64, (int)k + 2, d);
    return 0;
}

static int cost_pool(struct eco_op_ctx *c)
{
    size_t k;
    const int64_t *ks = eco_onnx_attr_ints(c->node, "kernel_shape", &k);
    double out = c->n_out && c->out[0] ? eco_numel(c, c->out[0]) : -1;
    if (out < 0 || !ks) {
        c->no_shape = 1;
        return 0;
    }
    double per = 1;
    for (size_t i = 0; i < k; i++)
        per *= (double)ks[i];
    c->flops = out * per * (strcmp(c->node->op_type, "LpPool") == 0 ? 2 : 1);
    return 0;
}

static int infer_global_pool(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    if (!eco_has_shape(x) || x->rank < 2) {
        eco_out_unknown(c, 0, x ? x->dtype : 0);
        return 0;
    }
    struct eco_dim d[ECO_MAX_RANK];
    for (int i = 0; i < x->rank; i++)
        d[i] = i < 2 ? x->d[i] : eco_dim_num(1);
    eco_out_rank(c, 0, x->dtype, x->rank, d);
    return 0;
}

static int cost_global_pool(struct eco_op_ctx *c)
{
    return eco_cost_per_input_elem(c, 0, strcmp(c->node->op_type, "GlobalLpPool") == 0 ? 2 : 1);
}

static int infer_max_unpool(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    int64_t os[ECO_MAX_RANK];
    size_t n;
    if (eco_in_ints(c, 2, os, ECO_MAX_RANK, &n)) {
        struct eco_dim d[ECO_MAX_RANK];
        for (size_t i = 0; i < n; i++)
            d[i] = eco_dim_num(os[i]);
        eco_out_rank(c, 0, dtype, (int)n, d);
        return 0;
    }
    if (eco_in(c, 2)) { /* output_shape given at run time */
        struct eco_val *os_in = eco_in(c, 2);
        eco_out_unknown_dims(c, dtype, eco_has_shape(x) ? x->rank : -1);
        (void)os_in;
        return 0;
    }
    size_t k;
    const int64_t *ks = eco_onnx_attr_ints(c->node, "kernel_shape", &k);
    if (!eco_has_shape(x) || !ks || x->rank != (int)k + 2) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    const int64_t *st = eco_onnx_attr_ints(c->node, "strides", &n);
    if (st && n != k)
        st = NULL;
    const int64_t *pads = eco_onnx_attr_ints(c->node, "pads", &n);
    if (pads && n != 2 * k)
        pads = NULL;
    struct eco_dim d[ECO_MAX_RANK];
    d[0] = x->d[0];
    d[1] = x->d[1];
    for (size_t i = 0; i < k; i++) {
        struct eco_dim in = x->d[2 + i];
        int64_t s = st ? st[i] : 1;
        d[2 + i] = eco_dim_known(in) ? eco_dim_num((in.v - 1) * s + ks[i] - (pads ? pads[i] + pads[k + i] : 0))
                                     : eco_dim_unknown();
    }
    eco_out_rank(c, 0, dtype, (int)k + 2, d);
    return 0;
}

/* RoiAlign / MaxRoiPool: [num_rois, C, out_h, out_w]. */
static int infer_roi(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *rois = eco_in(c, 1);
    int dtype = x ? x->dtype : 0;
    if (!eco_has_shape(x) || !eco_has_shape(rois) || x->rank != 4) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    struct eco_dim d[4];
    d[0] = rois->d[0];
    d[1] = x->d[1];
    if (strcmp(c->node->op_type, "MaxRoiPool") == 0) {
        size_t n;
        const int64_t *ps = eco_onnx_attr_ints(c->node, "pooled_shape", &n);
        if (!ps || n != 2) {
            eco_out_unknown(c, 0, dtype);
            return 0;
        }
        d[2] = eco_dim_num(ps[0]);
        d[3] = eco_dim_num(ps[1]);
    } else {
        d[2] = eco_dim_num(eco_onnx_attr_int(c->node, "output_height", 1));
        d[3] = eco_dim_num(eco_onnx_attr_int(c->node, "output_width", 1));
    }
    eco_out_rank(c, 0, dtype, 4, d);
    return 0;
}

static int cost_roi(struct eco_op_ctx *c)
{
    /* RoiAlign: bilinear interpolation of sampling_ratio^2 points (4 points,
     * ~4 FLOPs each) per output; counted as 16 FLOPs per sample. */
    double out = c->n_out && c->out[0] ? eco_numel(c, c->out[0]) : -1;
    if (out < 0) {
        c->no_shape = 1;
        return 0;
    }
    int64_t sr = eco_onnx_attr_int(c->node, "sampling_ratio", 0);
    if (sr <= 0)
        sr = 2;
    c->flops = out * (double)(sr * sr) * 16;
    return 0;
}

static int infer_same(struct eco_op_ctx *c)
{
    eco_out_like(c, 0, eco_in(c, 0));
    return 0;
}

static int cost_lrn(struct eco_op_ctx *c)
{
    double size = (double)eco_onnx_attr_int(c->node, "size", 1);
    return eco_cost_per_output(c, 2 * size + 3);
}

const struct eco_op eco_ops_pool[] = {
    {"MaxPool", "", infer_pool, cost_pool, 0},
    {"AveragePool", "", infer_pool, cost_pool, 0},
    {"LpPool", "", infer_pool, cost_pool, 0},
    {"GlobalMaxPool", "", infer_global_pool, cost_global_pool, 0},
    {"GlobalAveragePool", "", infer_global_pool, cost_global_pool, 0},
    {"GlobalLpPool", "", infer_global_pool, cost_global_pool, 0},
    {"MaxUnpool", "", infer_max_unpool, NULL, 0},
    {"MaxRoiPool", "", infer_roi, cost_roi, 0},
    {"RoiAlign", "", infer_roi, cost_roi, 0},
    {"LRN", "", infer_same, cost_lrn, 0},
    {NULL, NULL, NULL, NULL, 0},
};
