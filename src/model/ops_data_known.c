/* NonZero, Compress and Unique size their outputs from the data. When that
 * data is known (an initializer, a Constant, or values followed through the
 * graph by value_eval.c), the sizes are counted from it instead of being
 * flagged data-dependent. Bounded like value propagation: at most
 * ECO_VALUE_MAX_ELEMS elements, and the comparisons are charged to the
 * model's budget of element steps. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/ops.h"
#include "model/value_eval.h"

/* Element count of a fully known shape, or -1. */
static int64_t known_numel(const struct eco_val *v)
{
    if (!eco_shape_known(v))
        return -1;
    int64_t n = 1;
    for (int i = 0; i < v->rank; i++)
        if (__builtin_mul_overflow(n, v->d[i].v, &n))
            return -1;
    return n;
}

/* The n values of v as doubles when every one is known (and none is NaN). */
static double *known_values(struct eco_op_ctx *c, const struct eco_val *v, int64_t n)
{
    if (!v || n < 0 || n > ECO_VALUE_MAX_ELEMS || v->n_vals != n)
        return NULL;
    double *f = eco_arena_array(c->arena, (size_t)(n ? n : 1), sizeof *f);
    for (int64_t i = 0; f && i < n; i++) {
        if (v->fvals)
            f[i] = v->fvals[i];
        else if (eco_dim_known(v->vals[i]))
            f[i] = (double)v->vals[i].v;
        else
            return NULL;
        if (isnan(f[i]))
            return NULL;
    }
    return f;
}

/* Charge n element steps to the model's value budget; 0 when over it. */
static int charge(struct eco_op_ctx *c, int64_t n)
{
    if (c->rep->value_steps > ECO_VALUE_MAX_STEPS)
        return 0;
    c->rep->value_steps += n + 1;
    return c->rep->value_steps <= ECO_VALUE_MAX_STEPS;
}

static int nonzero(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int64_t n = known_numel(x), count = 0;
    double *f = known_values(c, x, n);
    if (!f || !charge(c, n))
        return 0;
    for (int64_t i = 0; i < n; i++)
        count += f[i] != 0;
    struct eco_dim d[2] = {eco_dim_num(x->rank), eco_dim_num(count)};
    eco_out_rank(c, 0, ECO_DT_INT64, 2, d);
    return 1;
}

/* numpy.compress: the selected indices are those < the axis' length whose
 * condition is true; a true beyond the axis is an error, left to the runtime. */
static int compress(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *cond = eco_in(c, 1);
    int64_t ax = eco_onnx_attr_int(c->node, "axis", INT64_MIN);
    int64_t numel = known_numel(x);
    int a = ax == INT64_MIN || !eco_has_shape(x) ? -1 : eco_axis(ax, x->rank);
    if (ax != INT64_MIN && a < 0)
        return 0;
    int64_t len = a < 0 ? numel : eco_dim_known(x->d[a]) ? x->d[a].v : -1;
    int64_t nc = known_numel(cond), count = 0;
    double *f = len < 0 ? NULL : known_values(c, cond, nc);
    if (!f || !charge(c, nc))
        return 0;
    for (int64_t i = 0; i < nc; i++) {
        if (f[i] != 0 && i >= len)
            return 0;
        count += f[i] != 0;
    }
    struct eco_dim d[ECO_MAX_RANK];
    if (a < 0) {
        d[0] = eco_dim_num(count);
        eco_out_rank(c, 0, x->dtype, 1, d);
        return 1;
    }
    memcpy(d, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
    d[a] = eco_dim_num(count);
    eco_out_rank(c, 0, x->dtype, x->rank, d);
    return 1;
}

/* Slices j and k along the axis (outer x len x inner layout) are equal. */
static int same_slice(const double *f, int64_t outer, int64_t len, int64_t inner, int64_t j, int64_t k)
{
    for (int64_t o = 0; o < outer; o++)
        for (int64_t i = 0; i < inner; i++)
            if (f[(o * len + j) * inner + i] != f[(o * len + k) * inner + i])
                return 0;
    return 1;
}

/* Unique: distinct elements (no axis: of the flattened input) or distinct
 * slices along the axis. Outputs: Y, the first index of each, the inverse
 * index of every element (or slice), and the counts. */
static int unique(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int64_t ax = eco_onnx_attr_int(c->node, "axis", INT64_MIN);
    int64_t n = known_numel(x);
    double *f = known_values(c, x, n);
    int a = ax == INT64_MIN || !f ? -1 : eco_axis(ax, x->rank);
    if (!f || (ax != INT64_MIN && a < 0))
        return 0;
    int64_t len = a < 0 ? n : x->d[a].v, outer = 1, inner = 1;
    for (int i = 0; a >= 0 && i < x->rank; i++) {
        if (i < a)
            outer *= x->d[i].v;
        else if (i > a)
            inner *= x->d[i].v;
    }
    /* pairwise comparison of the slices: len^2 / 2 x (outer x inner) steps */
    if (len > 0 && !charge(c, len * (len / 2 + 1) * (outer * inner)))
        return 0;
    int64_t distinct = 0;
    for (int64_t j = 0; j < len; j++) {
        int seen = 0;
        for (int64_t k = 0; k < j && !seen; k++)
            seen = same_slice(f, outer, len, inner, j, k);
        distinct += !seen;
    }
    struct eco_dim d[ECO_MAX_RANK], u = eco_dim_num(distinct), all = eco_dim_num(len);
    if (a < 0)
        eco_out_rank(c, 0, x->dtype, 1, &u);
    else {
        memcpy(d, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
        d[a] = u;
        eco_out_rank(c, 0, x->dtype, x->rank, d);
    }
    eco_out_rank(c, 1, ECO_DT_INT64, 1, &u);
    eco_out_rank(c, 2, ECO_DT_INT64, 1, &all);
    eco_out_rank(c, 3, ECO_DT_INT64, 1, &u);
    return 1;
}

int eco_data_known_sizes(struct eco_op_ctx *c)
{
    const char *op = c->node->op_type;
    if (strcmp(op, "NonZero") == 0)
        return nonzero(c);
    if (strcmp(op, "Compress") == 0)
        return compress(c);
    if (strcmp(op, "Unique") == 0)
        return unique(c);
    return 0;
}
