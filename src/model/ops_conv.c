/* Convolutions: Conv, ConvTranspose (1-D, 2-D, 3-D; groups, dilations,
 * strides, pads, auto_pad, output_padding, output_shape), ConvInteger,
 * QLinearConv. MACs: N x C_out x prod(output spatial) x (C_in/g) x prod(kernel)
 * for Conv; N x C_in x prod(input spatial) x (C_out/g) x prod(kernel) for
 * ConvTranspose (each input pixel is scattered once through the kernel: the
 * count over output positions over-counts by about stride^d). */
#include <string.h>

#include "model/ops.h"
#include "model/sym_expr.h"

struct conv_geom {
    int k;                      /* spatial rank */
    int64_t kernel[ECO_MAX_RANK], stride[ECO_MAX_RANK], dil[ECO_MAX_RANK];
    int64_t pad_b[ECO_MAX_RANK], pad_e[ECO_MAX_RANK], out_pad[ECO_MAX_RANK];
    const char *auto_pad;
    int kernel_known;
};

/* Read kernel/strides/dilations/pads; kernel from the attribute or the weight's dims. */
static int read_geom(struct eco_op_ctx *c, const struct eco_val *x, const struct eco_val *w,
                     struct conv_geom *g)
{
    memset(g, 0, sizeof *g);
    size_t n;
    const int64_t *ks = eco_onnx_attr_ints(c->node, "kernel_shape", &n);
    if (ks)
        g->k = (int)n;
    else if (eco_has_shape(w))
        g->k = w->rank - 2;
    else if (eco_has_shape(x))
        g->k = x->rank - 2;
    else
        return 1;
    if (g->k < 0 || g->k > ECO_MAX_RANK - 2)
        return eco_op_error(c, "cannot tell the number of spatial dimensions");
    g->kernel_known = 1;
    for (int i = 0; i < g->k; i++) {
        if (ks)
            g->kernel[i] = ks[i];
        else if (eco_has_shape(w) && w->rank == g->k + 2 && eco_dim_known(w->d[2 + i]))
            g->kernel[i] = w->d[2 + i].v;
        else
            g->kernel_known = 0;
        g->stride[i] = g->dil[i] = 1;
    }
    const int64_t *v;
    if ((v = eco_onnx_attr_ints(c->node, "strides", &n)) && (int)n == g->k)
        memcpy(g->stride, v, n * sizeof *v);
    if ((v = eco_onnx_attr_ints(c->node, "dilations", &n)) && (int)n == g->k)
        memcpy(g->dil, v, n * sizeof *v);
    if ((v = eco_onnx_attr_ints(c->node, "pads", &n)) && (int)n == 2 * g->k)
        for (int i = 0; i < g->k; i++) {
            g->pad_b[i] = v[i];
            g->pad_e[i] = v[g->k + i];
        }
    if ((v = eco_onnx_attr_ints(c->node, "output_padding", &n)) && (int)n == g->k)
        memcpy(g->out_pad, v, n * sizeof *v);
    g->auto_pad = eco_onnx_attr_str(c->node, "auto_pad", "NOTSET");
    for (int i = 0; i < g->k; i++)
        if (g->stride[i] <= 0 || g->dil[i] <= 0 || g->kernel[i] < 0 || g->kernel[i] > (1LL << 31) ||
            g->stride[i] > (1LL << 31) || g->dil[i] > (1LL << 31) || g->pad_b[i] < 0 ||
            g->pad_e[i] < 0 || g->pad_b[i] > (1LL << 40) || g->pad_e[i] > (1LL << 40))
            return eco_op_error(c, "invalid kernel, stride, dilation or pad");
    return 0;
}

/* Output size of a sliding window along one axis (Conv and pooling). */
int64_t eco_window_out(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe,
                       const char *auto_pad, int ceil_mode)
{
    int64_t eff = (k - 1) * d + 1;
    if (strcmp(auto_pad, "SAME_UPPER") == 0 || strcmp(auto_pad, "SAME_LOWER") == 0)
        return (in + s - 1) / s;
    if (strcmp(auto_pad, "VALID") == 0)
        return in < eff ? 0 : (in - eff) / s + 1;
    int64_t num = in + pb + pe - eff;
    if (num < 0)
        return 0;
    int64_t out = (ceil_mode ? (num + s - 1) / s : num / s) + 1;
    /* With ceil_mode, the last window must start inside the input or left pad. */
    if (ceil_mode && (out - 1) * s >= in + pb)
        out--;
    return out;
}

struct eco_dim eco_window_out_dim(struct eco_op_ctx *c, struct eco_dim in, int64_t k, int64_t s, int64_t d,
                                  int64_t pb, int64_t pe, const char *auto_pad, int ceil_mode)
{
    if (eco_dim_known(in))
        return eco_dim_num(eco_window_out(in.v, k, s, d, pb, pe, auto_pad, ceil_mode));
    /* symbolic: floor((in + pads - eff) / s) + 1, constants folded first */
    int64_t eff = (k - 1) * d + 1, add;
    if (strcmp(auto_pad, "SAME_UPPER") == 0 || strcmp(auto_pad, "SAME_LOWER") == 0)
        add = s - 1;
    else if (strcmp(auto_pad, "VALID") == 0)
        add = -eff;
    else if (ceil_mode && s > 1) {
        /* ceil((in + pads - eff) / s) + 1 = floor((in + pads - eff + 2s - 1) / s); the
         * last-window rule ((out-1) x s >= in + pb drops a window) can only fire when
         * s > eff - pe, since (out-1) x s <= in + pb + pe - eff + s - 1: otherwise it
         * needs the number (torchvision's ceil-mode pools have s <= eff - pe) */
        if (s > eff - pe)
            return eco_sym_data_dep(in) ? in : eco_dim_unknown();
        add = pb + pe - eff + s - 1;
    } else
        add = pb + pe - eff;
    int same = strcmp(auto_pad, "SAME_UPPER") == 0 || strcmp(auto_pad, "SAME_LOWER") == 0;
    if (!same)
        add += s; /* floor((in + add) / s) + 1 = floor((in + add + s) / s): one constant */
    struct eco_dim r = eco_sym_binop(c->arena, ECO_SYM_ADD, in, eco_dim_num(add));
    return s > 1 ? eco_sym_binop(c->arena, ECO_SYM_DIV, r, eco_dim_num(s)) : r;
}

/* The start every conv-like node shares: its geometry, and x's rank checked
 * against the kernel's. 1: the caller shapes the output; 0: the output was
 * set unknown (nothing more to infer); -1: error. */
static int conv_start(struct eco_op_ctx *c, const struct eco_val *x, const struct eco_val *w, int dtype,
                      struct conv_geom *g)
{
    int rc = read_geom(c, x, w, g);
    if (rc < 0)
        return -1;
    if (rc > 0 || !eco_has_shape(x)) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    if (x->rank != g->k + 2)
        return eco_op_error(c, "input has rank %d but the kernel has %d spatial dims", x->rank, g->k);
    return 1;
}

static int infer_conv_like(struct eco_op_ctx *c, size_t xi, size_t wi, int out_dtype)
{
    struct eco_val *x = eco_in(c, xi), *w = eco_in(c, wi);
    struct conv_geom g;
    int dtype = out_dtype ? out_dtype : (x ? x->dtype : 0);
    int rc = conv_start(c, x, w, dtype, &g);
    if (rc <= 0)
        return rc;
    struct eco_dim d[ECO_MAX_RANK];
    d[0] = x->d[0];
    d[1] = eco_has_shape(w) && w->rank >= 1 ? w->d[0] : eco_dim_unknown();
    for (int i = 0; i < g.k; i++) {
        struct eco_dim in = x->d[2 + i];
        if (!g.kernel_known)
            d[2 + i] = eco_dim_unknown();
        else
            d[2 + i] = eco_window_out_dim(c, in, g.kernel[i], g.stride[i], g.dil[i], g.pad_b[i], g.pad_e[i],
                                          g.auto_pad, 0);
    }
    eco_out_rank(c, 0, dtype, g.k + 2, d);
    return 0;
}

static int infer_conv(struct eco_op_ctx *c) { return infer_conv_like(c, 0, 1, 0); }
static int infer_conv_integer(struct eco_op_ctx *c) { return infer_conv_like(c, 0, 1, ECO_DT_INT32); }
static int infer_qlinear_conv(struct eco_op_ctx *c)
{
    struct eco_val *yzp = eco_in(c, 7);
    return infer_conv_like(c, 0, 3, yzp && yzp->dtype ? yzp->dtype : ECO_DT_UINT8);
}

/* The weights one element meets: every dim of W after the first (the
 * channels of one group times the kernel). */
static double weights_per_position(struct eco_op_ctx *c, const struct eco_val *w)
{
    double per = 1;
    for (int i = 1; i < w->rank; i++)
        per *= eco_dimv(c, w->d[i]);
    return per;
}

/* MACs of Conv: output elements x (C_in/g) x prod(kernel). */
static int cost_conv_like(struct eco_op_ctx *c, size_t wi, size_t bi)
{
    struct eco_val *w = eco_in(c, wi), *y = c->n_out ? c->out[0] : NULL;
    if (!eco_has_shape(w) || !eco_has_shape(y)) {
        c->no_shape = 1;
        return 0;
    }
    double out = eco_numel(c, y);
    c->macs = out * weights_per_position(c, w); /* C_in/g x kernel */
    c->flops = 2 * c->macs + (eco_in(c, bi) ? out : 0);
    return 0;
}

static int cost_conv(struct eco_op_ctx *c) { return cost_conv_like(c, 1, 2); }
static int cost_qlinear_conv(struct eco_op_ctx *c) { return cost_conv_like(c, 3, 8); }
static int cost_conv_integer(struct eco_op_ctx *c) { return cost_conv_like(c, 1, (size_t)-1); }

/* A symbolic input length (a dynamic sequence or image axis): stride x in +
 * a constant, the same formula as below written as an expression (SAME:
 * stride x in). An unnamed unknown stays unknown (eco_sym_binop). */
static struct eco_dim conv_transpose_sym_dim(struct eco_op_ctx *c, const struct conv_geom *g, int i,
                                             struct eco_dim in)
{
    struct eco_dim r = g->stride[i] > 1 ? eco_sym_binop(c->arena, ECO_SYM_MUL, in, eco_dim_num(g->stride[i])) : in;
    if (strcmp(g->auto_pad, "SAME_UPPER") == 0 || strcmp(g->auto_pad, "SAME_LOWER") == 0)
        return r;
    int64_t pads = strcmp(g->auto_pad, "VALID") == 0 ? 0 : g->pad_b[i] + g->pad_e[i];
    int64_t add = g->out_pad[i] + (g->kernel[i] - 1) * g->dil[i] + 1 - pads - g->stride[i];
    return add ? eco_sym_binop(c->arena, ECO_SYM_ADD, r, eco_dim_num(add)) : r;
}

static int infer_conv_transpose(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *w = eco_in(c, 1);
    struct conv_geom g;
    int dtype = x ? x->dtype : 0;
    int rc = conv_start(c, x, w, dtype, &g);
    if (rc <= 0)
        return rc;
    int64_t group = eco_onnx_attr_int(c->node, "group", 1);
    if (group <= 0)
        return eco_op_error(c, "group must be positive");
    struct eco_dim d[ECO_MAX_RANK];
    d[0] = x->d[0];
    d[1] = eco_has_shape(w) && w->rank >= 2 && eco_dim_known(w->d[1]) ? eco_dim_num(w->d[1].v * group)
                                                                       : eco_dim_unknown();
    size_t n;
    const int64_t *os = eco_onnx_attr_ints(c->node, "output_shape", &n);
    for (int i = 0; i < g.k; i++) {
        struct eco_dim in = x->d[2 + i];
        if (os && (int)n >= g.k) {
            d[2 + i] = eco_dim_num(os[n - (size_t)g.k + (size_t)i]);
            continue;
        }
        if (!g.kernel_known) {
            d[2 + i] = eco_dim_unknown();
            continue;
        }
        if (!eco_dim_known(in)) {
            d[2 + i] = conv_transpose_sym_dim(c, &g, i, in);
            continue;
        }
        int64_t o;
        if (strcmp(g.auto_pad, "SAME_UPPER") == 0 || strcmp(g.auto_pad, "SAME_LOWER") == 0)
            o = in.v * g.stride[i];
        else {
            int64_t pb = g.pad_b[i], pe = g.pad_e[i];
            if (strcmp(g.auto_pad, "VALID") == 0)
                pb = pe = 0;
            o = g.stride[i] * (in.v - 1) + g.out_pad[i] + (g.kernel[i] - 1) * g.dil[i] + 1 - pb - pe;
        }
        if (o < 0)
            return eco_op_error(c, "negative output size along spatial axis %d", i);
        d[2 + i] = eco_dim_num(o);
    }
    eco_out_rank(c, 0, dtype, g.k + 2, d);
    return 0;
}

/* MACs of ConvTranspose: input elements x (C_out/g) x prod(kernel). */
static int cost_conv_transpose(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *w = eco_in(c, 1), *y = c->n_out ? c->out[0] : NULL;
    if (!eco_has_shape(x) || !eco_has_shape(w) || !eco_has_shape(y)) {
        c->no_shape = 1;
        return 0;
    }
    double in = eco_numel(c, x);
    c->macs = in * weights_per_position(c, w); /* C_out/g x kernel */
    c->flops = 2 * c->macs + (eco_in(c, 2) ? eco_numel(c, y) : 0);
    return 0;
}

const struct eco_op eco_ops_conv[] = {
    {"Conv", "", infer_conv, cost_conv, 0},
    {"ConvInteger", "", infer_conv_integer, cost_conv_integer, 0},
    {"QLinearConv", "", infer_qlinear_conv, cost_qlinear_conv, 0},
    {"ConvTranspose", "", infer_conv_transpose, cost_conv_transpose, 0},
    {NULL, NULL, NULL, NULL, 0},
};
