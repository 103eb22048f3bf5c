/* ONNX reading and cost formulas on hand-built models (tests/unit/onnx_build.h),
 * each number computed by hand in the comment next to it. */
#include <stdio.h>
#include <string.h>

#include "model/onnx.h"
#include "model/shape_infer.h"
#include "onnx_build.h"
#include "test.h"

struct run {
    struct eco_onnx_model m;
    struct eco_report r;
    struct eco_err e;
    int rc;
};

static void run_model(struct pbw *model, const struct eco_infer_opts *o, struct run *x)
{
    memset(x, 0, sizeof *x);
    x->rc = eco_onnx_parse(model->p, model->n, &x->m, &x->e);
    if (x->rc == 0)
        x->rc = eco_infer_model(&x->m, o, &x->r, &x->e);
}

static void run_free(struct run *x, struct pbw *model)
{
    eco_report_free(&x->r);
    eco_onnx_free(&x->m);
    free(model->p);
}

static const struct eco_node_result *node(struct run *x, const char *op)
{
    for (size_t i = 0; i < x->r.n_nodes; i++)
        if (strcmp(x->r.nodes[i].node->op_type, op) == 0)
            return &x->r.nodes[i];
    return NULL;
}

static void check_shape(const struct eco_val *v, int rank, const int64_t *dims)
{
    CHECK(v != NULL);
    CHECK_INT(v->rank, rank);
    for (int i = 0; i < rank; i++)
        CHECK_INT(v->d[i].v, dims[i]);
}

ECO_TEST(onnx_conv_resnet_stem)
{
    /* 1x3x224x224, 64 filters 7x7 stride 2 pad 3 -> 1x64x112x112;
     * MACs = 64*112*112 * 3*49 = 118,013,952; FLOPs = 2*MACs + 802,816 (bias) */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Conv", L("x", "w", "b"), L("y"));
    attr_ints(&n, "strides", 2, D(2, 2));
    attr_ints(&n, "pads", 4, D(3, 3, 3, 3));
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "w", 1, 4, D(64, 3, 7, 7), NULL);
    onnx_init(&g, "b", 1, 1, D(64), NULL);
    onnx_vi(&g, 11, "x", 1, 4, D(1, 3, 224, 224));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 4, D(1, 64, 112, 112));
    CHECK_NEAR(x.r.macs, 118013952.0, 0);
    CHECK_NEAR(x.r.flops, 2 * 118013952.0 + 802816.0, 0);
    CHECK_NEAR(x.r.params, 64 * 3 * 49 + 64, 0);
    CHECK_NEAR(x.r.weight_bytes, 4.0 * (64 * 3 * 49 + 64), 0);
    CHECK_NEAR(node(&x, "Conv")->params, 64 * 3 * 49 + 64, 0);
    CHECK(!x.r.symbolic);
    run_free(&x, &m);
}

ECO_TEST(onnx_conv_groups_dilation_same_pad)
{
    /* depthwise-ish: 1x8x10x10, group 4, W 8x2x3x3, dilation 2, SAME_UPPER -> 1x8x10x10;
     * MACs = 8*10*10 * 2*9 = 14,400 */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Conv", L("x", "w"), L("y"));
    attr_int(&n, "group", 4);
    attr_ints(&n, "dilations", 2, D(2, 2));
    attr_str(&n, "auto_pad", "SAME_UPPER");
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "w", 1, 4, D(8, 2, 3, 3), NULL);
    onnx_vi(&g, 11, "x", 1, 4, D(1, 8, 10, 10));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 11, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 4, D(1, 8, 10, 10));
    CHECK_NEAR(x.r.macs, 14400.0, 0);
    CHECK_NEAR(x.r.flops, 28800.0, 0);
    run_free(&x, &m);
}

ECO_TEST(onnx_conv_transpose_3d_counts_input_positions)
{
    /* the trap: 1x16x8x8x8 -> ConvTranspose 3-D, W 16x8x3x3x3, stride 2, pads 1,
     * output_padding 1 -> 1x8x16x16x16. MACs = N*C_in*prod(in)*(C_out/g)*prod(k)
     * = 16*512*8*27 = 1,769,472 (counting over the 4096 output positions would
     * give 8*4096*16*27 = 14,155,776, stride^3 = 8 times too many). */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "ConvTranspose", L("x", "w"), L("y"));
    attr_ints(&n, "strides", 3, D(2, 2, 2));
    attr_ints(&n, "pads", 6, D(1, 1, 1, 1, 1, 1));
    attr_ints(&n, "output_padding", 3, D(1, 1, 1));
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "w", 1, 5, D(16, 8, 3, 3, 3), NULL);
    onnx_vi(&g, 11, "x", 1, 5, D(1, 16, 8, 8, 8));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 5, D(1, 8, 16, 16, 16));
    CHECK_NEAR(x.r.macs, 1769472.0, 0);
    run_free(&x, &m);
}

ECO_TEST(onnx_conv_transpose_groups_output_shape)
{
    /* 1x4x5x5, group 2, W 4x3x3x3 (C_out = 3*2 = 6), output_shape 10x10 given
     * -> 1x6x10x10. MACs = 4*25*3*9 = 2,700 */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "ConvTranspose", L("x", "w"), L("y"));
    attr_int(&n, "group", 2);
    attr_ints(&n, "strides", 2, D(2, 2));
    attr_ints(&n, "output_shape", 2, D(10, 10));
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "w", 1, 4, D(4, 3, 3, 3), NULL);
    onnx_vi(&g, 11, "x", 1, 4, D(1, 4, 5, 5));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 4, D(1, 6, 10, 10));
    CHECK_NEAR(x.r.macs, 2700.0, 0);
    run_free(&x, &m);
}

ECO_TEST(onnx_lstm_bidirectional)
{
    /* seq 5, batch 2, input 10, hidden 20, bidirectional: W 2x80x10, R 2x80x20, B 2x160.
     * MACs = seq*dirs*batch*4*hidden*(input+hidden) = 5*2*2*4*20*30 = 48,000.
     * FLOPs = 2*MACs + cells*(2*4 bias + 4 activations + 5 state) with
     * cells = 5*2*2*20 = 400 -> 96,000 + 6,800 = 102,800. Y = 5x2x2x20. */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "LSTM", L("x", "W", "R", "B"), L("y", "yh", "yc"));
    attr_int(&n, "hidden_size", 20);
    attr_str(&n, "direction", "bidirectional");
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "W", 1, 3, D(2, 80, 10), NULL);
    onnx_init(&g, "R", 1, 3, D(2, 80, 20), NULL);
    onnx_init(&g, "B", 1, 2, D(2, 160), NULL);
    onnx_vi(&g, 11, "x", 1, 3, D(5, 2, 10));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_vi(&g, 12, "yh", 1, -1, NULL);
    onnx_model(&m, 14, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 4, D(5, 2, 2, 20));
    check_shape(x.r.outputs[1], 3, D(2, 2, 20));
    CHECK_NEAR(x.r.macs, 48000.0, 0);
    CHECK_NEAR(x.r.flops, 102800.0, 0);
    CHECK_NEAR(x.r.params, 1600 + 3200 + 320, 0);
    run_free(&x, &m);
}

ECO_TEST(onnx_matmul_broadcast_and_gemm)
{
    /* MatMul 2x1x4x8 @ 3x8x5 -> 2x3x4x5: MACs = 2*3*4*5*8 = 960.
     * Gemm (y 2x3x4x5 is not a matrix, so a separate branch) A 4x8, B 16x8 transB
     * -> 4x16: MACs 512, FLOPs 1024 + 64 (C). */
    struct pbw g = {0}, n1 = {0}, n2 = {0}, m = {0};
    onnx_node(&n1, "MatMul", L("a", "b"), L("y"));
    pbw_msg(&g, 1, &n1);
    onnx_node(&n2, "Gemm", L("p", "q", "c"), L("z"));
    attr_int(&n2, "transB", 1);
    pbw_msg(&g, 1, &n2);
    onnx_init(&g, "q", 1, 2, D(16, 8), NULL);
    onnx_init(&g, "c", 1, 1, D(16), NULL);
    onnx_vi(&g, 11, "a", 1, 4, D(2, 1, 4, 8));
    onnx_vi(&g, 11, "b", 1, 3, D(3, 8, 5));
    onnx_vi(&g, 11, "p", 1, 2, D(4, 8));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_vi(&g, 12, "z", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 4, D(2, 3, 4, 5));
    check_shape(x.r.outputs[1], 2, D(4, 16));
    CHECK_NEAR(node(&x, "MatMul")->macs, 960.0, 0);
    CHECK_NEAR(node(&x, "Gemm")->macs, 512.0, 0);
    CHECK_NEAR(node(&x, "Gemm")->flops, 1088.0, 0);
    run_free(&x, &m);
}

ECO_TEST(onnx_einsum_batched)
{
    /* bij,bjk->bik with b=2, i=3, j=4, k=5: MACs = 2*3*4*5 = 120 */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Einsum", L("a", "b"), L("y"));
    attr_str(&n, "equation", "bij,bjk->bik");
    pbw_msg(&g, 1, &n);
    onnx_vi(&g, 11, "a", 1, 3, D(2, 3, 4));
    onnx_vi(&g, 11, "b", 1, 3, D(2, 4, 5));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 12, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 3, D(2, 3, 5));
    CHECK_NEAR(x.r.macs, 120.0, 0);
    run_free(&x, &m);
}

ECO_TEST(onnx_pool_ceil_mode_and_global)
{
    /* MaxPool 1x2x5x5 kernel 2 stride 2 ceil_mode -> 1x2x3x3, FLOPs = 18*4 = 72;
     * GlobalAveragePool -> 1x2x1x1, FLOPs = 18 */
    struct pbw g = {0}, n1 = {0}, n2 = {0}, m = {0};
    onnx_node(&n1, "MaxPool", L("x"), L("p"));
    attr_ints(&n1, "kernel_shape", 2, D(2, 2));
    attr_ints(&n1, "strides", 2, D(2, 2));
    attr_int(&n1, "ceil_mode", 1);
    pbw_msg(&g, 1, &n1);
    onnx_node(&n2, "GlobalAveragePool", L("p"), L("y"));
    pbw_msg(&g, 1, &n2);
    onnx_vi(&g, 11, "x", 1, 4, D(1, 2, 5, 5));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 12, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(node(&x, "MaxPool")->outs[0], 4, D(1, 2, 3, 3));
    check_shape(x.r.outputs[0], 4, D(1, 2, 1, 1));
    CHECK_NEAR(x.r.flops, 72.0 + 18.0, 0);
    run_free(&x, &m);
}

/* Shape -> Gather(0) -> Unsqueeze -> Concat([-1]) -> Reshape, the pattern of
 * exported PyTorch flatten with a dynamic batch. */
static void flatten_model(struct pbw *m)
{
    struct pbw g = {0}, n = {0};
    onnx_node(&n, "Shape", L("x"), L("s"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Gather", L("s", "zero"), L("b"));
    attr_int(&n, "axis", 0);
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Unsqueeze", L("b", "axes0"), L("b1"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Concat", L("b1", "minus1"), L("target"));
    attr_int(&n, "axis", 0);
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Reshape", L("x", "target"), L("flat"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "MatMul", L("flat", "w"), L("y"));
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "zero", 7, 0, NULL, D(0));
    onnx_init(&g, "axes0", 7, 1, D(1), D(0));
    onnx_init(&g, "minus1", 7, 1, D(1), D(-1));
    onnx_init(&g, "w", 1, 2, D(512, 10), NULL);
    onnx_vi(&g, 11, "x", 1, 4, D(-1, 512, 1, 1)); /* batch is the symbol N */
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(m, 13, &g);
}

ECO_TEST(onnx_value_propagation_symbolic_batch)
{
    struct pbw m = {0};
    flatten_model(&m);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    const struct eco_val *y = x.r.outputs[0];
    CHECK_INT(y->rank, 2);
    CHECK(y->d[0].v == ECO_DIM_UNKNOWN && y->d[0].sym && strcmp(y->d[0].sym, "N") == 0);
    CHECK_INT(y->d[1].v, 10);
    CHECK(x.r.symbolic);
    CHECK_INT(x.r.n_symbols, 1);
    CHECK_NEAR(x.r.macs, 5120.0, 0); /* per unit of N */
    run_free(&x, &m);

    /* --batch 8 makes it concrete: MACs = 8*512*10 = 40,960 */
    struct pbw m2 = {0};
    flatten_model(&m2);
    struct eco_infer_opts o = {.batch = 8};
    run_model(&m2, &o, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 2, D(8, 10));
    CHECK(!x.r.symbolic);
    CHECK_NEAR(x.r.macs, 40960.0, 0);
    run_free(&x, &m2);

    /* --input x=2x512x1x1 */
    struct pbw m3 = {0};
    flatten_model(&m3);
    struct eco_input_override ov = {"x", 4, {2, 512, 1, 1}};
    struct eco_infer_opts o3 = {.inputs = &ov, .n_inputs = 1};
    run_model(&m3, &o3, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 2, D(2, 10));
    run_free(&x, &m3);
}

ECO_TEST(onnx_unsupported_op_is_listed_not_zeroed)
{
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "FancyNewOp", L("x"), L("y"));
    pbw_msg(&g, 1, &n);
    onnx_vi(&g, 11, "x", 1, 1, D(4));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    CHECK_INT(x.r.n_unsupported, 1);
    CHECK_STR(x.r.unsupported[0].op, "FancyNewOp");
    CHECK_INT(x.r.nodes[0].status, ECO_NODE_UNSUPPORTED);
    run_free(&x, &m);
}

ECO_TEST(onnx_cycle_is_an_error_naming_a_node)
{
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Relu", L("b"), L("a"));
    pbw_str(&n, 3, "first");
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Relu", L("a"), L("b"));
    pbw_str(&n, 3, "second");
    pbw_msg(&g, 1, &n);
    onnx_vi(&g, 12, "a", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK(x.rc != 0);
    CHECK_INT(x.e.code, ECO_EXIT_USAGE);
    CHECK(strstr(x.e.msg, "cycle") && strstr(x.e.msg, "first"));
    run_free(&x, &m);
}

ECO_TEST(onnx_missing_input_names_the_node)
{
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Relu", L("nowhere"), L("y"));
    pbw_str(&n, 3, "act1");
    pbw_msg(&g, 1, &n);
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK(x.rc != 0);
    CHECK(strstr(x.e.msg, "act1") && strstr(x.e.msg, "nowhere"));
    run_free(&x, &m);
}

ECO_TEST(onnx_absurd_dims_overflow)
{
    struct pbw g = {0}, t = {0}, m = {0};
    onnx_tensor(&t, "huge", 1, 3, D(1LL << 30, 1LL << 30, 1LL << 30), NULL, 0);
    pbw_msg(&g, 5, &t);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK(x.rc != 0);
    CHECK(strstr(x.e.msg, "overflows") && strstr(x.e.msg, "huge"));
    run_free(&x, &m);
}

ECO_TEST(onnx_every_truncation_fails_cleanly)
{
    /* every prefix of a valid model either parses or fails with a message */
    struct pbw m = {0};
    flatten_model(&m);
    for (size_t len = 1; len < m.n; len++) {
        struct eco_onnx_model om;
        struct eco_err e;
        memset(&om, 0, sizeof om);
        eco_err_clear(&e);
        int rc = eco_onnx_parse(m.p, len, &om, &e);
        if (rc != 0)
            CHECK(e.msg[0] != 0);
        eco_onnx_free(&om);
    }
    free(m.p);
}

ECO_TEST(onnx_weights_are_not_read)
{
    /* raw_data of a big initializer is skipped: the parser stores only dims */
    struct pbw g = {0}, m = {0};
    onnx_init(&g, "w", 1, 2, D(1000, 1000), NULL); /* 4 MB payload */
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    CHECK_INT(x.m.graph->inits[0].n_elem, 1000000);
    CHECK_INT(x.m.graph->inits[0].n_vals, -1);
    CHECK(x.m.arena.total < 100000); /* nothing close to the 4 MB was copied */
    CHECK_NEAR(x.r.params, 1e6, 0);
    run_free(&x, &m);
}
