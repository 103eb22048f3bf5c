/* Signal processing (DFT, STFT, MelWeightMatrix) and StringNormalizer.
 * Cost of a transform of length n: 5 x n x log2(n) FLOPs (the classic
 * radix-2 FFT count for complex data), per transformed signal. */
#include <math.h>
#include <string.h>

#include "model/ops.h"

static int infer_dft(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    if (!eco_has_shape(x) || x->rank < 2) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    int64_t axis_attr = eco_onnx_attr_int(c->node, "axis", 1);
    int64_t ax_in[1];
    size_t n;
    if (c->opset >= 20 && eco_in(c, 2)) { /* opset 20 moved axis to an input */
        if (!eco_in_ints(c, 2, ax_in, 1, &n) || n != 1) {
            eco_out_unknown(c, 0, dtype);
            return 0;
        }
        axis_attr = ax_in[0];
    } else if (c->opset >= 20)
        axis_attr = -2;
    int axis = eco_axis(axis_attr, x->rank);
    if (axis < 0 || axis == x->rank - 1)
        return eco_op_error(c, "axis out of range");
    struct eco_dim d[ECO_MAX_RANK];
    memcpy(d, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
    int64_t len[1];
    if (eco_in(c, 1)) {
        if (eco_in_ints(c, 1, len, 1, &n) && n == 1)
            d[axis] = eco_dim_num(len[0]);
        else
            d[axis] = eco_dim_unknown();
    }
    if (eco_onnx_attr_int(c->node, "onesided", 0) && eco_dim_known(d[axis]))
        d[axis] = eco_dim_num(d[axis].v / 2 + 1);
    d[x->rank - 1] = eco_dim_num(2);
    eco_out_rank(c, 0, dtype, x->rank, d);
    return 0;
}

static double fft_flops(double n) { return n > 1 ? 5 * n * log2(n) : 0; }

static int cost_dft(struct eco_op_ctx *c)
{
    struct eco_val *y = c->n_out ? c->out[0] : NULL;
    struct eco_val *x = eco_in(c, 0);
    if (!eco_has_shape(x) || !eco_has_shape(y)) {
        c->no_shape = 1;
        return 0;
    }
    int axis = eco_axis(eco_onnx_attr_int(c->node, "axis", 1), x->rank);
    if (axis < 0) {
        c->no_shape = 1;
        return 0;
    }
    double total = eco_numel(c, x);
    double len = eco_dim_known(x->d[axis]) ? (double)x->d[axis].v : 1;
    double last = eco_dim_known(x->d[x->rank - 1]) ? (double)x->d[x->rank - 1].v : 1;
    double signals = total / (len > 0 ? len : 1) / (last > 0 ? last : 1);
    c->flops = signals * fft_flops(len);
    return 0;
}

static int infer_stft(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *win = eco_in(c, 2);
    int dtype = x ? x->dtype : 0;
    if (!eco_has_shape(x) || x->rank != 3) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    int64_t step[1], fl[1];
    size_t n;
    struct eco_dim d[4] = {x->d[0], eco_dim_unknown(), eco_dim_unknown(), eco_dim_num(2)};
    int64_t frame = -1;
    if (eco_in(c, 3) && eco_in_ints(c, 3, fl, 1, &n) && n == 1)
        frame = fl[0];
    else if (eco_has_shape(win) && win->rank == 1 && eco_dim_known(win->d[0]))
        frame = win->d[0].v;
    if (frame > 0 && eco_in_ints(c, 1, step, 1, &n) && n == 1 && step[0] > 0 && eco_dim_known(x->d[1]) &&
        x->d[1].v >= frame)
        d[1] = eco_dim_num((x->d[1].v - frame) / step[0] + 1);
    if (frame > 0)
        d[2] = eco_dim_num(eco_onnx_attr_int(c->node, "onesided", 1) ? frame / 2 + 1 : frame);
    eco_out_rank(c, 0, dtype, 4, d);
    return 0;
}

static int cost_stft(struct eco_op_ctx *c)
{
    struct eco_val *y = c->n_out ? c->out[0] : NULL;
    if (!eco_has_shape(y) || y->rank != 4) {
        c->no_shape = 1;
        return 0;
    }
    struct eco_val *win = eco_in(c, 2);
    int64_t fl[1];
    size_t n;
    double frame = 0;
    if (eco_in(c, 3) && eco_in_ints(c, 3, fl, 1, &n) && n == 1)
        frame = (double)fl[0];
    else if (eco_has_shape(win) && win->rank == 1 && eco_dim_known(win->d[0]))
        frame = (double)win->d[0].v;
    double b = eco_dimv(c, y->d[0]);
    double frames = eco_dimv(c, y->d[1]);
    c->flops = b * frames * (fft_flops(frame) + (win ? frame : 0));
    return 0;
}

static int infer_mel(struct eco_op_ctx *c)
{
    int64_t bins[1], dft[1];
    size_t n;
    int dtype = (int)eco_onnx_attr_int(c->node, "output_datatype", ECO_DT_FLOAT);
    struct eco_dim d[2] = {eco_dim_unknown(), eco_dim_unknown()};
    if (eco_in_ints(c, 1, dft, 1, &n) && n == 1 && dft[0] >= 0)
        d[0] = eco_dim_num(dft[0] / 2 + 1);
    if (eco_in_ints(c, 0, bins, 1, &n) && n == 1 && bins[0] >= 0)
        d[1] = eco_dim_num(bins[0]);
    eco_out_rank(c, 0, dtype, 2, d);
    return 0;
}

/* Case changes keep the shape; stop words make the last dim data-dependent. */
static int infer_string_normalizer(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    if (!eco_has_shape(x) || x->rank < 1) {
        eco_out_unknown(c, 0, ECO_DT_STRING);
        return 0;
    }
    struct eco_dim d[ECO_MAX_RANK];
    memcpy(d, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
    if (eco_onnx_attr(c->node, "stopwords")) {
        d[x->rank - 1] = eco_dim_sym("data-dependent", 0);
        if (c->n_out && c->out[0])
            c->out[0]->data_dep = 1;
    }
    eco_out_rank(c, 0, ECO_DT_STRING, x->rank, d);
    return 0;
}

const struct eco_op eco_ops_signal[] = {
    {"DFT", "", infer_dft, cost_dft, 0},
    {"STFT", "", infer_stft, cost_stft, 0},
    {"MelWeightMatrix", "", infer_mel, NULL, 0},
    {"StringNormalizer", "", infer_string_normalizer, NULL, 0},
    {NULL, NULL, NULL, NULL, 0},
};
