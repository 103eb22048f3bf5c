/* Reductions: Reduce* (axes as an attribute, or an input from opset 13 for
 * ReduceSum and 18 for the others), ArgMax/ArgMin, CumSum. Cost: one FLOP
 * per input element (two for SumSquare, L2, LogSumExp, LogSum, L1). */
#include <string.h>

#include "model/ops.h"

static int infer_reduce(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    int keep = eco_onnx_attr_int(c->node, "keepdims", 1) != 0;
    int noop_empty = eco_onnx_attr_int(c->node, "noop_with_empty_axes", 0) != 0;
    int64_t axes[ECO_MAX_RANK];
    size_t n = 0;
    int have_axes = 1;
    size_t na;
    const int64_t *a = eco_onnx_attr_ints(c->node, "axes", &na);
    if (a) {
        if (na > ECO_MAX_RANK)
            return eco_op_error(c, "too many axes");
        memcpy(axes, a, na * sizeof *a);
        n = na;
    } else if (eco_in(c, 1)) {
        have_axes = eco_in_ints(c, 1, axes, ECO_MAX_RANK, &n);
    }
    if (!eco_has_shape(x) || !have_axes) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    int red[ECO_MAX_RANK] = {0};
    if (n == 0) {
        if (noop_empty) {
            eco_out_like(c, 0, x);
            return 0;
        }
        for (int i = 0; i < x->rank; i++)
            red[i] = 1;
    }
    for (size_t i = 0; i < n; i++) {
        int ax = eco_axis(axes[i], x->rank);
        if (ax < 0)
            return eco_op_error(c, "axis %lld out of range for rank %d", (long long)axes[i], x->rank);
        red[ax] = 1;
    }
    struct eco_dim d[ECO_MAX_RANK];
    int r = 0;
    for (int i = 0; i < x->rank; i++) {
        if (!red[i])
            d[r++] = x->d[i];
        else if (keep)
            d[r++] = eco_dim_num(1);
    }
    eco_out_rank(c, 0, dtype, r, d);
    /* ReduceProd / ReduceSum of propagated 1-D values (flatten sizes in exports). */
    const char *op = c->node->op_type;
    int prod = strcmp(op, "ReduceProd") == 0, sum = strcmp(op, "ReduceSum") == 0;
    if ((prod || sum) && x->rank == 1 && x->n_vals >= 0 && red[0]) {
        int64_t acc = prod ? 1 : 0;
        for (int64_t i = 0; i < x->n_vals; i++) {
            if (!eco_dim_known(x->vals[i]))
                return 0;
            if (prod ? __builtin_mul_overflow(acc, x->vals[i].v, &acc)
                     : __builtin_add_overflow(acc, x->vals[i].v, &acc))
                return 0;
        }
        struct eco_dim v = eco_dim_num(acc);
        return eco_out_vals(c, 0, &v, 1);
    }
    return 0;
}

static int cost_reduce(struct eco_op_ctx *c)
{
    double n = eco_numel(c, eco_in(c, 0));
    if (n < 0) {
        c->no_shape = 1;
        return 0;
    }
    const char *op = c->node->op_type;
    int two = strcmp(op, "ReduceSumSquare") == 0 || strcmp(op, "ReduceL2") == 0 ||
              strcmp(op, "ReduceLogSumExp") == 0 || strcmp(op, "ReduceL1") == 0;
    c->flops = n * (two ? 2 : 1);
    return 0;
}

static int infer_arg(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    if (!eco_has_shape(x)) {
        eco_out_unknown(c, 0, ECO_DT_INT64);
        return 0;
    }
    int axis = eco_axis(eco_onnx_attr_int(c->node, "axis", 0), x->rank);
    if (axis < 0)
        return eco_op_error(c, "axis out of range");
    int keep = eco_onnx_attr_int(c->node, "keepdims", 1) != 0;
    struct eco_dim d[ECO_MAX_RANK];
    int r = 0;
    for (int i = 0; i < x->rank; i++) {
        if (i != axis)
            d[r++] = x->d[i];
        else if (keep)
            d[r++] = eco_dim_num(1);
    }
    eco_out_rank(c, 0, ECO_DT_INT64, r, d);
    return 0;
}

static int infer_same(struct eco_op_ctx *c)
{
    eco_out_like(c, 0, eco_in(c, 0));
    return 0;
}

#define R(name) {name, "", infer_reduce, cost_reduce, 0}
const struct eco_op eco_ops_reduce[] = {
    R("ReduceSum"), R("ReduceMean"), R("ReduceMax"), R("ReduceMin"), R("ReduceProd"),
    R("ReduceL1"), R("ReduceL2"), R("ReduceLogSum"), R("ReduceLogSumExp"), R("ReduceSumSquare"),
    {"ArgMax", "", infer_arg, cost_reduce, 0},
    {"ArgMin", "", infer_arg, cost_reduce, 0},
    {"CumSum", "", infer_same, cost_reduce, 0},
    {NULL, NULL, NULL, NULL, 0},
};
