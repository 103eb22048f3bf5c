/* Losses, training optimisers (ai.onnx.preview.training), window functions,
 * GridSample, DFT and TfIdfVectorizer: shapes mostly follow an input; costs
 * per output element. */
#include <string.h>

#include "model/ops.h"

/* NegativeLogLikelihoodLoss / SoftmaxCrossEntropyLoss: reduction "none"
 * keeps [N, d1...] (the class axis 1 removed), else a scalar; SCE's second
 * output (log_prob) has the scores' shape. */
static int infer_loss(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    const char *red = eco_onnx_attr_str(c->node, "reduction", "mean");
    if (strcmp(red, "none") != 0)
        eco_out_rank(c, 0, dtype, 0, NULL);
    else if (!eco_has_shape(x) || x->rank < 2)
        eco_out_unknown(c, 0, dtype);
    else {
        struct eco_dim d[ECO_MAX_RANK];
        int r = 0;
        for (int i = 0; i < x->rank; i++)
            if (i != 1)
                d[r++] = x->d[i];
        eco_out_rank(c, 0, dtype, r, d);
    }
    eco_out_like(c, 1, x);
    return 0;
}

static int cost_loss(struct eco_op_ctx *c)
{
    /* SCE: log-softmax (5 per score) + gather; NLL: gather + reduce */
    return eco_cost_per_input_elem(c, 0, strcmp(c->node->op_type, "SoftmaxCrossEntropyLoss") == 0 ? 6 : 1);
}

/* Adagrad (R, T, X.., G.., H..), Momentum (R, T, X.., G.., V..), Adam (R, T,
 * X.., G.., V.., H..): output j is shaped like X_j for j < n, then like the
 * matching state tensor. */
static int infer_optimizer(struct eco_op_ctx *c)
{
    if (c->n_in < 2 + c->n_out) {
        for (size_t j = 0; j < c->n_out; j++)
            eco_out_unknown(c, j, 0);
        return 0;
    }
    size_t n = c->n_in - 2 - c->n_out;
    for (size_t j = 0; j < c->n_out; j++)
        eco_out_like(c, j, eco_in(c, j < n ? 2 + j : 2 + n + j));
    return 0;
}

static int cost_optimizer(struct eco_op_ctx *c)
{
    const char *op = c->node->op_type;
    return eco_cost_per_output(c, strcmp(op, "Adam") == 0 ? 6 : strcmp(op, "Adagrad") == 0 ? 5 : 3);
}

static int infer_window(struct eco_op_ctx *c)
{
    int64_t size[1];
    size_t n;
    int dtype = (int)eco_onnx_attr_int(c->node, "output_datatype", ECO_DT_FLOAT);
    struct eco_dim d = eco_dim_unknown();
    if (eco_in_ints(c, 0, size, 1, &n) && n == 1 && size[0] >= 0)
        d = eco_dim_num(size[0]);
    eco_out_rank(c, 0, dtype, 1, &d);
    return 0;
}

static int infer_grid_sample(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *g = eco_in(c, 1);
    int dtype = x ? x->dtype : 0;
    if (!eco_has_shape(x) || !eco_has_shape(g) || x->rank < 3 || g->rank != x->rank) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    struct eco_dim d[ECO_MAX_RANK];
    d[0] = x->d[0];
    d[1] = x->d[1];
    for (int i = 2; i < x->rank; i++)
        d[i] = g->d[i - 1];
    eco_out_rank(c, 0, dtype, x->rank, d);
    return 0;
}

static int infer_tfidf(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    size_t n;
    const int64_t *idx = eco_onnx_attr_ints(c->node, "ngram_indexes", &n);
    int64_t mx = -1;
    for (size_t i = 0; idx && i < n; i++)
        if (idx[i] > mx)
            mx = idx[i];
    struct eco_dim width = mx >= 0 ? eco_dim_num(mx + 1) : eco_dim_unknown();
    if (!eco_has_shape(x) || x->rank < 1 || x->rank > 2) {
        eco_out_unknown(c, 0, ECO_DT_FLOAT);
        return 0;
    }
    struct eco_dim d[2] = {x->d[0], width};
    if (x->rank == 1)
        eco_out_rank(c, 0, ECO_DT_FLOAT, 1, &width);
    else
        eco_out_rank(c, 0, ECO_DT_FLOAT, 2, d);
    return 0;
}

/* Gradient (ai.onnx.preview.training): output i is the gradient of y with
 * respect to input i (the i-th of the attribute xs), so it has that input's
 * shape. What it computes is a backward pass through the graph from xs to y,
 * which ecometer does not count: the node is partial (a lower bound), and a
 * note says why. */
static int infer_gradient(struct eco_op_ctx *c)
{
    const struct eco_onnx_attr *xs = eco_onnx_attr(c->node, "xs");
    size_t n_xs = xs ? xs->n_strings : 0;
    for (size_t i = 0; i < c->n_out; i++) {
        struct eco_val *x = i < n_xs ? eco_in(c, i) : NULL;
        if (eco_has_shape(x))
            eco_out_rank(c, i, x->dtype, x->rank, x->d);
        else
            eco_out_unknown(c, i, x ? x->dtype : 0);
    }
    return 0;
}

static int cost_gradient(struct eco_op_ctx *c)
{
    c->partial = 1;
    c->unknown_what = "the cost of its backward pass from xs to y";
    eco_onnx_costs_note(c->rep, "node '%s' (Gradient) stands for a backward pass from its xs to y, which is not "
                    "counted: the totals are a lower bound", c->node_name);
    return 0;
}

const struct eco_op eco_ops_loss[] = {
    {"Gradient", "ai.onnx.preview.training", infer_gradient, cost_gradient, 0},
    {"NegativeLogLikelihoodLoss", "", infer_loss, cost_loss, 0},
    {"SoftmaxCrossEntropyLoss", "", infer_loss, cost_loss, 0},
    {"Adagrad", "ai.onnx.preview.training", infer_optimizer, cost_optimizer, 0},
    {"Momentum", "ai.onnx.preview.training", infer_optimizer, cost_optimizer, 0},
    {"Adam", "ai.onnx.preview.training", infer_optimizer, cost_optimizer, 0},
    {"HannWindow", "", infer_window, NULL, 3},
    {"HammingWindow", "", infer_window, NULL, 3},
    {"BlackmanWindow", "", infer_window, NULL, 5},
    {"GridSample", "", infer_grid_sample, NULL, 10},
    {"TfIdfVectorizer", "", infer_tfidf, NULL, 0},
    {NULL, NULL, NULL, NULL, 0},
};
