/* Elementwise operators: unary (shape preserved), binary and variadic with
 * numpy broadcasting, comparisons (bool out). Cost: per_elem FLOPs per
 * output element (1 for almost all; see docs/METHODOLOGY.md). Small integer
 * values are propagated through Add/Sub/Mul/Div/Neg/Cast... because exported
 * models compute Reshape targets with them. */
#include <math.h>
#include <string.h>

#include "model/ops.h"

static int infer_unary(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    eco_out_like(c, 0, x);
    return 0;
}

static int unary_vals(struct eco_op_ctx *c, int64_t (*fn)(int64_t))
{
    struct eco_val *x = eco_in(c, 0);
    eco_out_like(c, 0, x);
    if (!x || x->n_vals < 0 || x->n_vals > ECO_ONNX_SMALL_VALUES)
        return 0;
    struct eco_dim v[ECO_ONNX_SMALL_VALUES];
    for (int64_t i = 0; i < x->n_vals; i++)
        v[i] = eco_dim_known(x->vals[i]) ? eco_dim_num(fn(x->vals[i].v)) : eco_dim_unknown();
    return eco_out_vals(c, 0, v, x->n_vals);
}

static int64_t neg64(int64_t a) { return a == INT64_MIN ? a : -a; }
static int64_t abs64(int64_t a) { return a < 0 ? neg64(a) : a; }
static int infer_neg(struct eco_op_ctx *c) { return unary_vals(c, neg64); }
static int infer_abs(struct eco_op_ctx *c) { return unary_vals(c, abs64); }

static int infer_identity(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    if (!x)
        return 0;
    eco_out_like(c, 0, x);
    if (x->n_vals >= 0) {
        if (eco_out_vals(c, 0, x->vals, x->n_vals))
            return -1;
        if (x->fvals && eco_out_fvals(c, 0, x->fvals, x->n_vals))
            return -1;
    }
    if (c->out[0]) {
        c->out[0]->non_tensor = x->non_tensor;
        c->out[0]->init_src = x->init_src ? x->init_src : x->is_init ? x : NULL;
    }
    return 0;
}

static int infer_cast(struct eco_op_ctx *c)
{
    int to = (int)eco_onnx_attr_int(c->node, "to", 0);
    if (strcmp(c->node->op_type, "CastLike") == 0)
        to = eco_in(c, 1) ? eco_in(c, 1)->dtype : 0;
    struct eco_val *x = eco_in(c, 0);
    eco_out_like(c, 0, x);
    eco_out_dtype(c, 0, to);
    if (x && x->n_vals >= 0 && x->n_vals <= ECO_ONNX_SMALL_VALUES && to != ECO_DT_STRING) {
        if (eco_out_vals(c, 0, x->vals, x->n_vals))
            return -1;
        int to_float = to == ECO_DT_FLOAT || to == ECO_DT_DOUBLE || to == ECO_DT_FLOAT16;
        if (x->fvals && to_float)
            return eco_out_fvals(c, 0, x->fvals, x->n_vals);
        if (to_float) {
            double f[ECO_ONNX_SMALL_VALUES];
            for (int64_t i = 0; i < x->n_vals; i++) {
                if (!eco_dim_known(x->vals[i]))
                    return 0;
                f[i] = (double)x->vals[i].v;
            }
            return eco_out_fvals(c, 0, f, x->n_vals);
        }
    }
    return 0;
}

/* Binary arithmetic on propagated integer values (broadcast over 1-D/scalars). */
enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NONE };

static int arith(int op, struct eco_dim a, struct eco_dim b, struct eco_dim *r)
{
    if (op == OP_MUL && ((eco_dim_known(a) && a.v == 1) || (eco_dim_known(b) && b.v == 1))) {
        *r = eco_dim_known(a) && a.v == 1 ? b : a;
        return 0;
    }
    if ((op == OP_ADD || op == OP_SUB) && eco_dim_known(b) && b.v == 0) {
        *r = a;
        return 0;
    }
    if (op == OP_DIV && eco_dim_known(b) && b.v == 1) {
        *r = a;
        return 0;
    }
    if (!eco_dim_known(a) || !eco_dim_known(b)) {
        /* k x sym times or divided by a number stays a multiple of sym */
        struct eco_dim s = eco_dim_known(a) ? b : a, n = eco_dim_known(a) ? a : b;
        int64_t k;
        *r = eco_dim_unknown();
        if (s.sym && s.k > 0 && eco_dim_known(n) && n.v > 0) {
            if (op == OP_MUL && !__builtin_mul_overflow(s.k, n.v, &k))
                *r = eco_dim_sym(s.sym, k);
            else if (op == OP_DIV && !eco_dim_known(a) && s.k % n.v == 0)
                *r = eco_dim_sym(s.sym, s.k / n.v);
        }
        return 0;
    }
    int64_t x = a.v, y = b.v, z;
    switch (op) {
    case OP_ADD: if (__builtin_add_overflow(x, y, &z)) return -1; break;
    case OP_SUB: if (__builtin_sub_overflow(x, y, &z)) return -1; break;
    case OP_MUL: if (__builtin_mul_overflow(x, y, &z)) return -1; break;
    default:
        if (y == 0 || (x == INT64_MIN && y == -1))
            return -1;
        z = x / y; /* integer Div truncates toward zero, like ONNX Runtime */
        break;
    }
    *r = eco_dim_num(z);
    return 0;
}

static int infer_binary(struct eco_op_ctx *c)
{
    struct eco_val *vs[2] = {eco_in(c, 0), eco_in(c, 1)};
    int rank;
    struct eco_dim d[ECO_MAX_RANK];
    int dtype = vs[0] ? vs[0]->dtype : 0;
    int rc = eco_out_broadcast(c, vs, 2, dtype, &rank, d);
    if (rc)
        return rc < 0 ? rc : 0;
    const char *op = c->node->op_type;
    int k = strcmp(op, "Add") == 0 ? OP_ADD : strcmp(op, "Sub") == 0 ? OP_SUB
          : strcmp(op, "Mul") == 0 ? OP_MUL : strcmp(op, "Div") == 0 ? OP_DIV : OP_NONE;
    if (k == OP_NONE || !vs[0] || !vs[1] || vs[0]->n_vals < 0 || vs[1]->n_vals < 0 || rank > 1)
        return 0;
    if (dtype == ECO_DT_FLOAT || dtype == ECO_DT_DOUBLE || dtype == ECO_DT_FLOAT16)
        return 0;
    int64_t n = rank == 0 ? 1 : (eco_dim_known(d[0]) ? d[0].v : -1);
    if (n < 0 || n > ECO_ONNX_SMALL_VALUES)
        return 0;
    struct eco_dim out[ECO_ONNX_SMALL_VALUES];
    for (int64_t i = 0; i < n; i++) {
        struct eco_dim a = vs[0]->vals[vs[0]->n_vals == 1 ? 0 : i];
        struct eco_dim b = vs[1]->vals[vs[1]->n_vals == 1 ? 0 : i];
        if ((vs[0]->n_vals != 1 && vs[0]->n_vals != n) || (vs[1]->n_vals != 1 && vs[1]->n_vals != n))
            return 0;
        if (k == OP_DIV && eco_dim_known(a) && eco_dim_known(b) && b.v != 0) {
            /* integer Div truncates toward zero (C semantics) in ONNX Runtime */
            if (a.v == INT64_MIN && b.v == -1)
                return 0;
            out[i] = eco_dim_num(a.v / b.v);
            continue;
        }
        if (arith(k, a, b, &out[i]))
            return 0;
    }
    return eco_out_vals(c, 0, out, n);
}

static int infer_compare(struct eco_op_ctx *c)
{
    if (infer_binary(c))
        return -1;
    eco_out_dtype(c, 0, ECO_DT_BOOL);
    /* Equal on propagated values (exported Reshape logic uses it). */
    struct eco_val *a = eco_in(c, 0), *b = eco_in(c, 1);
    struct eco_val *o = c->n_out ? c->out[0] : NULL;
    if (!o || !a || !b || a->n_vals < 0 || b->n_vals < 0 || o->rank > 1)
        return 0;
    int64_t n = a->n_vals > b->n_vals ? a->n_vals : b->n_vals;
    if (n > ECO_ONNX_SMALL_VALUES || (a->n_vals != 1 && a->n_vals != n) || (b->n_vals != 1 && b->n_vals != n))
        return 0;
    struct eco_dim r[ECO_ONNX_SMALL_VALUES];
    const char *op = c->node->op_type;
    for (int64_t i = 0; i < n; i++) {
        struct eco_dim x = a->vals[a->n_vals == 1 ? 0 : i], y = b->vals[b->n_vals == 1 ? 0 : i];
        if (!eco_dim_known(x) || !eco_dim_known(y))
            return 0;
        int v;
        if (strcmp(op, "Equal") == 0) v = x.v == y.v;
        else if (strcmp(op, "Less") == 0) v = x.v < y.v;
        else if (strcmp(op, "Greater") == 0) v = x.v > y.v;
        else if (strcmp(op, "LessOrEqual") == 0) v = x.v <= y.v;
        else if (strcmp(op, "GreaterOrEqual") == 0) v = x.v >= y.v;
        else return 0;
        r[i] = eco_dim_num(v);
    }
    return eco_out_vals(c, 0, r, n);
}

static int infer_logical(struct eco_op_ctx *c)
{
    if (infer_binary(c))
        return -1;
    eco_out_dtype(c, 0, ECO_DT_BOOL);
    return 0;
}

static int infer_not(struct eco_op_ctx *c)
{
    infer_unary(c);
    eco_out_dtype(c, 0, ECO_DT_BOOL);
    return 0;
}

static int infer_is(struct eco_op_ctx *c) { return infer_not(c); }

static int infer_variadic(struct eco_op_ctx *c)
{
    int rank;
    struct eco_dim d[ECO_MAX_RANK];
    int dtype = eco_in(c, 0) ? eco_in(c, 0)->dtype : 0;
    int rc = eco_out_broadcast(c, c->in, c->n_in, dtype, &rank, d);
    if (rc < 0)
        return rc;
    /* Max/Min of propagated values. */
    const char *op = c->node->op_type;
    int is_max = strcmp(op, "Max") == 0, is_min = strcmp(op, "Min") == 0;
    if (rc == 0 && (is_max || is_min) && rank <= 1 && c->n_in >= 1) {
        int64_t n = -1;
        for (size_t i = 0; i < c->n_in; i++) {
            struct eco_val *v = c->in[i];
            if (!v || v->n_vals < 0)
                return 0;
            if (v->n_vals != 1) {
                if (n >= 0 && n != v->n_vals)
                    return 0;
                n = v->n_vals;
            }
        }
        if (n < 0)
            n = 1;
        if (n > ECO_ONNX_SMALL_VALUES)
            return 0;
        struct eco_dim r[ECO_ONNX_SMALL_VALUES];
        for (int64_t k = 0; k < n; k++) {
            int64_t best = 0;
            for (size_t i = 0; i < c->n_in; i++) {
                struct eco_dim x = c->in[i]->vals[c->in[i]->n_vals == 1 ? 0 : k];
                if (!eco_dim_known(x))
                    return 0;
                if (i == 0 || (is_max ? x.v > best : x.v < best))
                    best = x.v;
            }
            r[k] = eco_dim_num(best);
        }
        return eco_out_vals(c, 0, r, n);
    }
    return 0;
}

static int infer_where(struct eco_op_ctx *c)
{
    struct eco_val *vs[3] = {eco_in(c, 0), eco_in(c, 1), eco_in(c, 2)};
    int rank;
    struct eco_dim d[ECO_MAX_RANK];
    int dtype = vs[1] ? vs[1]->dtype : 0;
    int rc = eco_out_broadcast(c, vs, 3, dtype, &rank, d);
    if (rc)
        return rc < 0 ? rc : 0;
    if (rank > 1 || !vs[0] || !vs[1] || !vs[2] || vs[0]->n_vals < 0 || vs[1]->n_vals < 0 ||
        vs[2]->n_vals < 0)
        return 0;
    int64_t n = rank == 0 ? 1 : (eco_dim_known(d[0]) ? d[0].v : -1);
    if (n < 0 || n > ECO_ONNX_SMALL_VALUES)
        return 0;
    struct eco_dim r[ECO_ONNX_SMALL_VALUES];
    for (int64_t i = 0; i < n; i++) {
        struct eco_dim cond = vs[0]->vals[vs[0]->n_vals == 1 ? 0 : i];
        if (!eco_dim_known(cond))
            return 0;
        struct eco_val *src = cond.v ? vs[1] : vs[2];
        if (src->n_vals != 1 && src->n_vals != n)
            return 0;
        r[i] = src->vals[src->n_vals == 1 ? 0 : i];
    }
    return eco_out_vals(c, 0, r, n);
}

static int infer_clip(struct eco_op_ctx *c) { return infer_unary(c); }

/* PRelu: the slope broadcasts to X (unidirectionally; per-channel [C] in opset 6). */
static int infer_prelu(struct eco_op_ctx *c) { return infer_unary(c); }

/* Bernoulli, RandomUniformLike...: shape of the input, dtype from attribute. */
static int infer_like_dtype(struct eco_op_ctx *c)
{
    infer_unary(c);
    int64_t dt = eco_onnx_attr_int(c->node, "dtype", 0);
    if (dt)
        eco_out_dtype(c, 0, (int)dt);
    return 0;
}

#define U(name, k) {name, "", infer_unary, NULL, k}
#define B(name, k) {name, "", infer_binary, NULL, k}
const struct eco_op eco_ops_elementwise[] = {
    U("Relu", 1), U("LeakyRelu", 1), U("Elu", 1), U("Selu", 1), U("Celu", 1), U("Sigmoid", 1),
    U("HardSigmoid", 1), U("HardSwish", 1), U("Tanh", 1), U("Softplus", 1), U("Softsign", 1),
    U("ThresholdedRelu", 1), U("Mish", 1), U("Gelu", 1), U("Shrink", 1), U("Exp", 1), U("Log", 1),
    U("Sqrt", 1), U("Reciprocal", 1), U("Floor", 1), U("Ceil", 1), U("Round", 1), U("Sign", 1),
    U("Erf", 1), U("Sin", 1), U("Cos", 1), U("Tan", 1), U("Asin", 1), U("Acos", 1), U("Atan", 1),
    U("Sinh", 1), U("Cosh", 1), U("Asinh", 1), U("Acosh", 1), U("Atanh", 1), U("BitwiseNot", 1),
    {"Neg", "", infer_neg, NULL, 1}, {"Abs", "", infer_abs, NULL, 1},
    {"Identity", "", infer_identity, NULL, 0}, {"Cast", "", infer_cast, NULL, 0},
    {"CastLike", "", infer_cast, NULL, 0}, {"Clip", "", infer_clip, NULL, 1},
    {"Not", "", infer_not, NULL, 1}, {"IsNaN", "", infer_is, NULL, 1}, {"IsInf", "", infer_is, NULL, 1},
    B("Add", 1), B("Sub", 1), B("Mul", 1), B("Div", 1), B("Pow", 1), B("Mod", 1), B("BitShift", 1),
    B("BitwiseAnd", 1), B("BitwiseOr", 1), B("BitwiseXor", 1), {"PRelu", "", infer_prelu, NULL, 1},
    {"And", "", infer_logical, NULL, 1}, {"Or", "", infer_logical, NULL, 1},
    {"Xor", "", infer_logical, NULL, 1}, {"Equal", "", infer_compare, NULL, 1},
    {"Less", "", infer_compare, NULL, 1}, {"Greater", "", infer_compare, NULL, 1},
    {"LessOrEqual", "", infer_compare, NULL, 1}, {"GreaterOrEqual", "", infer_compare, NULL, 1},
    {"Max", "", infer_variadic, NULL, 1}, {"Min", "", infer_variadic, NULL, 1},
    {"Sum", "", infer_variadic, NULL, 1}, {"Mean", "", infer_variadic, NULL, 1},
    {"Where", "", infer_where, NULL, 1},
    {"Bernoulli", "", infer_like_dtype, NULL, 1}, {"RandomUniformLike", "", infer_like_dtype, NULL, 1},
    {"RandomNormalLike", "", infer_like_dtype, NULL, 1},
    {"FastGelu", "com.microsoft", infer_unary, NULL, 1}, {"Gelu", "com.microsoft", infer_unary, NULL, 1},
    {"BiasGelu", "com.microsoft", infer_binary, NULL, 2},
    {NULL, NULL, NULL, NULL, 0},
};
