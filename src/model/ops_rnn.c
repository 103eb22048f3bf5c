/* Recurrent layers: LSTM (4 gates), GRU (3), RNN (1). One node is one layer;
 * MACs = seq_len x directions x batch x gates x hidden x (input + hidden).
 * FLOPs = 2 x MACs + per-cell elementwise work (see docs/METHODOLOGY.md). */
#include <string.h>

#include "model/ops.h"

static int gates_of(const char *op) { return strcmp(op, "LSTM") == 0 ? 4 : strcmp(op, "GRU") == 0 ? 3 : 1; }

static int infer_rnn(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *w = eco_in(c, 1);
    int dtype = x ? x->dtype : 0;
    int layout = (int)eco_onnx_attr_int(c->node, "layout", 0);
    const char *dir = eco_onnx_attr_str(c->node, "direction", "forward");
    int64_t dirs = strcmp(dir, "bidirectional") == 0 ? 2 : 1;
    int64_t hidden = eco_onnx_attr_int(c->node, "hidden_size", -1);
    struct eco_dim h = hidden > 0 ? eco_dim_num(hidden) : eco_dim_unknown();
    if (!eco_dim_known(h) && eco_has_shape(w) && w->rank == 3 && eco_dim_known(w->d[1]))
        h = eco_dim_num(w->d[1].v / gates_of(c->node->op_type));
    struct eco_dim seq = eco_dim_unknown(), batch = eco_dim_unknown();
    if (eco_has_shape(x) && x->rank == 3) {
        seq = x->d[layout ? 1 : 0];
        batch = x->d[layout ? 0 : 1];
    }
    struct eco_dim nd = eco_dim_num(dirs);
    struct eco_dim y[4], yh[3];
    if (layout) {
        y[0] = batch, y[1] = seq, y[2] = nd, y[3] = h;
        yh[0] = batch, yh[1] = nd, yh[2] = h;
    } else {
        y[0] = seq, y[1] = nd, y[2] = batch, y[3] = h;
        yh[0] = nd, yh[1] = batch, yh[2] = h;
    }
    eco_out_rank(c, 0, dtype, 4, y);
    eco_out_rank(c, 1, dtype, 3, yh);
    eco_out_rank(c, 2, dtype, 3, yh);
    return 0;
}

static int cost_rnn(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *w = eco_in(c, 1);
    if (!eco_has_shape(x) || x->rank != 3 || !eco_has_shape(w) || w->rank != 3) {
        c->no_shape = 1;
        return 0;
    }
    int layout = (int)eco_onnx_attr_int(c->node, "layout", 0);
    const char *dir = eco_onnx_attr_str(c->node, "direction", "forward");
    double dirs = strcmp(dir, "bidirectional") == 0 ? 2 : 1;
    int gates = gates_of(c->node->op_type);
    struct eco_dim dims[4] = {x->d[layout ? 1 : 0], x->d[layout ? 0 : 1], x->d[2], w->d[1]};
    double v[4];
    for (int i = 0; i < 4; i++)
        v[i] = eco_dimv(c, dims[i]);
    double seq = v[0], batch = v[1], input = v[2], hidden = v[3] / gates;
    double cells = seq * dirs * batch * hidden;
    c->macs = cells * gates * (input + hidden);
    /* per hidden unit and step: gate biases (2 per gate when B is given),
     * gate activations (1 per gate), state update: LSTM 5 (f*c, i*g, +, tanh, o*),
     * GRU 5 (r*h, 1-z, two products, +), RNN 0 */
    double elem = (eco_in(c, 3) ? 2.0 * gates : 0) + gates + (gates == 1 ? 0 : 5);
    c->flops = 2 * c->macs + cells * elem;
    return 0;
}

const struct eco_op eco_ops_rnn[] = {
    {"LSTM", "", infer_rnn, cost_rnn, 0},
    {"GRU", "", infer_rnn, cost_rnn, 0},
    {"RNN", "", infer_rnn, cost_rnn, 0},
    {NULL, NULL, NULL, NULL, 0},
};
