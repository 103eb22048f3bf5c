/* com.microsoft Attention and MultiHeadAttention (ONNX Runtime contrib ops).
 * The matrix products inside attention are real work and counted:
 * Attention = QKV projection (B x S x D_in x (Dq + Dk + Dv)) + Q.K^T
 * (B x S x S_kv x Dq) + softmax(..).V (B x S x S_kv x Dv); softmax at 5 FLOPs
 * per score. MultiHeadAttention takes projected Q, K, V. */
#include <string.h>

#include "model/ops.h"

static double dv(struct eco_op_ctx *c, struct eco_dim d)
{
    return eco_dimv(c, d);
}

/* hidden sizes of q, k, v from qkv_hidden_sizes or weights [D_in, 3H] */
static int qkv_sizes(struct eco_op_ctx *c, struct eco_dim *q, struct eco_dim *k, struct eco_dim *v)
{
    size_t n;
    const int64_t *s = eco_onnx_attr_ints(c->node, "qkv_hidden_sizes", &n);
    if (s && n == 3) {
        *q = eco_dim_num(s[0]), *k = eco_dim_num(s[1]), *v = eco_dim_num(s[2]);
        return 0;
    }
    struct eco_val *w = eco_in(c, 1);
    if (!eco_has_shape(w) || w->rank != 2)
        return 1;
    if (eco_dim_known(w->d[1]) && w->d[1].v % 3 == 0)
        *q = *k = *v = eco_dim_num(w->d[1].v / 3);
    else
        *q = *k = *v = eco_dim_unknown();
    return 0;
}

static int infer_attention(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    struct eco_dim q, k, v;
    if (!eco_has_shape(x) || x->rank != 3 || qkv_sizes(c, &q, &k, &v)) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    struct eco_dim d[3] = {x->d[0], x->d[1], v};
    eco_out_rank(c, 0, dtype, 3, d);
    int64_t heads = eco_onnx_attr_int(c->node, "num_heads", 0);
    struct eco_val *past = eco_in(c, 4);
    if (c->n_out > 1 && heads > 0 && eco_dim_known(k)) {
        struct eco_dim total = x->d[1];
        if (eco_has_shape(past) && past->rank == 5)
            total = eco_dim_known(past->d[3]) && eco_dim_known(x->d[1]) ? eco_dim_num(past->d[3].v + x->d[1].v)
                                                                         : eco_dim_unknown();
        struct eco_dim p[5] = {eco_dim_num(2), x->d[0], eco_dim_num(heads), total, eco_dim_num(k.v / heads)};
        eco_out_rank(c, 1, dtype, 5, p);
    }
    return 0;
}

static int cost_attention(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *w = eco_in(c, 1), *past = eco_in(c, 4);
    struct eco_dim q, k, v;
    if (!eco_has_shape(x) || x->rank != 3 || !eco_has_shape(w) || qkv_sizes(c, &q, &k, &v)) {
        c->no_shape = 1;
        return 0;
    }
    double b = dv(c, x->d[0]), s = dv(c, x->d[1]), din = dv(c, x->d[2]);
    double skv = s + (eco_has_shape(past) && past->rank == 5 ? dv(c, past->d[3]) : 0);
    double dq = dv(c, q), dk = dv(c, k), dvv = dv(c, v);
    c->macs = b * s * din * (dq + dk + dvv) + b * s * skv * dq + b * s * skv * dvv;
    double heads = (double)eco_onnx_attr_int(c->node, "num_heads", 1);
    c->flops = 2 * c->macs + 5 * b * heads * s * skv + (eco_in(c, 2) ? b * s * (dq + dk + dvv) : 0);
    return 0;
}

static int infer_mha(struct eco_op_ctx *c)
{
    struct eco_val *qv = eco_in(c, 0), *vv = eco_in(c, 2);
    int dtype = qv ? qv->dtype : 0;
    if (!eco_has_shape(qv) || qv->rank != 3) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    struct eco_dim d[3] = {qv->d[0], qv->d[1], qv->d[2]};
    if (eco_has_shape(vv) && vv->rank == 3)
        d[2] = vv->d[2];
    eco_out_rank(c, 0, dtype, 3, d);
    return 0;
}

static int cost_mha(struct eco_op_ctx *c)
{
    struct eco_val *qv = eco_in(c, 0), *kv = eco_in(c, 1), *vv = eco_in(c, 2);
    if (!eco_has_shape(qv) || qv->rank != 3) {
        c->no_shape = 1;
        return 0;
    }
    double b = dv(c, qv->d[0]), s = dv(c, qv->d[1]), dq = dv(c, qv->d[2]);
    double l = s, dvv = dq;
    if (eco_has_shape(kv) && kv->rank == 3)
        l = dv(c, kv->d[1]);
    else if (eco_has_shape(kv) && kv->rank == 4) /* (B, heads, L, head_size) */
        l = dv(c, kv->d[2]);
    if (eco_has_shape(vv) && vv->rank == 3)
        dvv = dv(c, vv->d[2]);
    double heads = (double)eco_onnx_attr_int(c->node, "num_heads", 1);
    c->macs = b * s * l * dq + b * s * l * dvv;
    c->flops = 2 * c->macs + 5 * b * heads * s * l;
    return 0;
}

const struct eco_op eco_ops_attention[] = {
    {"Attention", "com.microsoft", infer_attention, cost_attention, 0},
    {"MultiHeadAttention", "com.microsoft", infer_mha, cost_mha, 0},
    {NULL, NULL, NULL, NULL, 0},
};
