/* More operator costs and shapes on hand-built models: GRU, RNN, attention,
 * Resize, Reshape with 0/-1, Split, Slice, If and Loop. Numbers by hand. */
#include <string.h>

#include "model/onnx.h"
#include "model/shape_infer.h"
#include "onnx_build.h"
#include "onnx_run.h"
#include "test.h"

static void check_shape(const struct eco_val *v, int rank, const int64_t *dims)
{
    CHECK(v != NULL);
    CHECK_INT(v->rank, rank);
    for (int i = 0; i < rank; i++)
        CHECK_INT(v->d[i].v, dims[i]);
}

static void opset_model(struct pbw *m, int64_t opset, const char *domain2, struct pbw *g)
{
    struct pbw os = {0}, os2 = {0};
    pbw_int(m, 1, 8);
    pbw_str(&os, 1, "");
    pbw_int(&os, 2, opset);
    pbw_msg(m, 8, &os);
    if (domain2) {
        pbw_str(&os2, 1, domain2);
        pbw_int(&os2, 2, 1);
        pbw_msg(m, 8, &os2);
    }
    pbw_msg(m, 7, g);
}

ECO_TEST(onnx_gru_and_rnn)
{
    /* GRU forward: seq 4, batch 3, input 8, hidden 16 (W 1x48x8):
     * MACs = 4*1*3*3*16*(8+16) = 13,824; FLOPs = 2*MACs + cells*(3 + 5), cells = 4*3*16 = 192
     * -> 27,648 + 1,536 = 29,184 (no B).
     * RNN reverse: hidden 16 (W 1x16x8): MACs = 4*1*3*1*16*24 = 4,608; FLOPs = 9,216 + 192*1 = 9,408 */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "GRU", L("x", "W", "R"), L("y"));
    attr_int(&n, "hidden_size", 16);
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "RNN", L("x", "W2", "R2"), L("y2"));
    attr_int(&n, "hidden_size", 16);
    attr_str(&n, "direction", "reverse");
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "W", 1, 3, D(1, 48, 8), NULL);
    onnx_init(&g, "R", 1, 3, D(1, 48, 16), NULL);
    onnx_init(&g, "W2", 1, 3, D(1, 16, 8), NULL);
    onnx_init(&g, "R2", 1, 3, D(1, 16, 16), NULL);
    onnx_vi(&g, 11, "x", 1, 3, D(4, 3, 8));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_vi(&g, 12, "y2", 1, -1, NULL);
    onnx_model(&m, 14, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 4, D(4, 1, 3, 16));
    CHECK_NEAR(x.r.nodes[0].macs, 13824.0, 0);
    CHECK_NEAR(x.r.nodes[0].flops, 29184.0, 0);
    CHECK_NEAR(x.r.nodes[1].macs, 4608.0, 0);
    CHECK_NEAR(x.r.nodes[1].flops, 9408.0, 0);
    run_free(&x);
}

ECO_TEST(onnx_contrib_attention)
{
    /* com.microsoft Attention: B 2, S 10, D_in 64, weights 64x192 (q=k=v=64), 4 heads.
     * MACs = 2*10*64*192 + 2*10*10*64 + 2*10*10*64 = 245,760 + 12,800 + 12,800 = 271,360
     * FLOPs = 2*MACs + 5*2*4*10*10 (softmax) + 2*10*192 (bias) = 542,720 + 4,000 + 3,840 */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Attention", L("x", "w", "b"), L("y"));
    pbw_str(&n, 7, "com.microsoft");
    attr_int(&n, "num_heads", 4);
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "w", 1, 2, D(64, 192), NULL);
    onnx_init(&g, "b", 1, 1, D(192), NULL);
    onnx_vi(&g, 11, "x", 1, 3, D(2, 10, 64));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    opset_model(&m, 14, "com.microsoft", &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 3, D(2, 10, 64));
    CHECK_NEAR(x.r.macs, 271360.0, 0);
    CHECK_NEAR(x.r.flops, 542720.0 + 4000.0 + 3840.0, 0);
    run_free(&x);
}

ECO_TEST(onnx_resize_scales_and_linear_cost)
{
    /* Resize 1x3x8x8 by scales (1,1,2,2) linear -> 1x3x16x16; FLOPs = 768 * 2*2^2 = 6,144 */
    struct pbw g = {0}, n = {0}, m = {0}, t = {0};
    onnx_node(&n, "Resize", L("x", "", "scales"), L("y"));
    attr_str(&n, "mode", "linear");
    pbw_msg(&g, 1, &n);
    pbw_int(&t, 1, 4);
    pbw_int(&t, 2, 1);
    pbw_str(&t, 8, "scales");
    const float sc[4] = {1, 1, 2, 2};
    pbw_len(&t, 9, sc, sizeof sc);
    pbw_msg(&g, 5, &t);
    onnx_vi(&g, 11, "x", 1, 4, D(1, 3, 8, 8));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 4, D(1, 3, 16, 16));
    CHECK_NEAR(x.r.flops, 6144.0, 0);
    run_free(&x);
}

ECO_TEST(onnx_reshape_split_slice_transpose)
{
    /* x 2x3x4: Reshape [0,-1] -> 2x12; Split 2x12 axis 1 [5,7] -> 2x5, 2x7;
     * Slice 2x7 starts [1] ends [-1] axes [1] -> 2x5; Transpose -> 5x2 */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Reshape", L("x", "shape"), L("r"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Split", L("r", "sizes"), L("a", "b"));
    attr_int(&n, "axis", 1);
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Slice", L("b", "st", "en", "ax"), L("s"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Transpose", L("s"), L("t"));
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "shape", 7, 1, D(2), D(0, -1));
    onnx_init(&g, "sizes", 7, 1, D(2), D(5, 7));
    onnx_init(&g, "st", 7, 1, D(1), D(1));
    onnx_init(&g, "en", 7, 1, D(1), D(-1));
    onnx_init(&g, "ax", 7, 1, D(1), D(1));
    onnx_vi(&g, 11, "x", 1, 3, D(2, 3, 4));
    onnx_vi(&g, 12, "a", 1, -1, NULL);
    onnx_vi(&g, 12, "t", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 2, D(2, 5));
    check_shape(x.r.outputs[1], 2, D(5, 2));
    CHECK_NEAR(x.r.flops, 0.0, 0);
    CHECK_INT(x.r.n_unsupported, 0);
    run_free(&x);
}

ECO_TEST(onnx_reshape_bad_target_is_an_error)
{
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Reshape", L("x", "shape"), L("r"));
    pbw_str(&n, 3, "bad_reshape");
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "shape", 7, 1, D(2), D(5, 5));
    onnx_vi(&g, 11, "x", 1, 3, D(2, 3, 4));
    onnx_vi(&g, 12, "r", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK(x.rc != 0);
    CHECK(strstr(x.e.msg, "bad_reshape") != NULL);
    run_free(&x);
}

/* a body graph: Y = MatMul(X, W) with X, W from the enclosing scope */
static void matmul_body(struct pbw *g, const char *out, const char *w)
{
    struct pbw n = {0};
    onnx_node(&n, "MatMul", L("x", w), L(out));
    pbw_msg(g, 1, &n);
    onnx_vi(g, 12, out, 1, -1, NULL);
}

ECO_TEST(onnx_if_counts_the_costlier_branch)
{
    /* then: 1x8 @ 8x4 = 32 MACs; else: 1x8 @ 8x16 = 128 MACs -> 128 counted;
     * output shapes differ in dim 1 -> [1, ?] */
    struct pbw g = {0}, n = {0}, m = {0}, tg = {0}, eg = {0}, a = {0};
    matmul_body(&tg, "yt", "w4");
    matmul_body(&eg, "ye", "w16");
    onnx_node(&n, "If", L("cond"), L("y"));
    pbw_str(&a, 1, "then_branch");
    pbw_int(&a, 20, 5);
    pbw_msg(&a, 6, &tg);
    pbw_msg(&n, 5, &a);
    pbw_str(&a, 1, "else_branch");
    pbw_int(&a, 20, 5);
    pbw_msg(&a, 6, &eg);
    pbw_msg(&n, 5, &a);
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "w4", 1, 2, D(8, 4), NULL);
    onnx_init(&g, "w16", 1, 2, D(8, 16), NULL);
    onnx_vi(&g, 11, "cond", 9, 0, NULL);
    onnx_vi(&g, 11, "x", 1, 2, D(1, 8));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    CHECK_NEAR(x.r.macs, 128.0, 0);
    CHECK_INT(x.r.outputs[0]->rank, 2);
    CHECK_INT(x.r.outputs[0]->d[0].v, 1);
    CHECK(x.r.outputs[0]->d[1].v == ECO_DIM_UNKNOWN);
    run_free(&x);
}

ECO_TEST(onnx_loop_multiplies_by_constant_trip_count)
{
    /* Loop M=5, no condition: body MatMul 1x8 @ 8x4 = 32 MACs -> 160 MACs;
     * scan output y: 5x1x4 */
    struct pbw g = {0}, n = {0}, m = {0}, body = {0}, a = {0}, bn = {0};
    onnx_node(&bn, "MatMul", L("x", "w"), L("y"));
    pbw_msg(&body, 1, &bn);
    onnx_node(&bn, "Identity", L("c_in"), L("c_out"));
    pbw_msg(&body, 1, &bn);
    onnx_vi(&body, 11, "i", 7, 0, NULL);
    onnx_vi(&body, 11, "c_in", 9, 0, NULL);
    onnx_vi(&body, 12, "c_out", 9, 0, NULL);
    onnx_vi(&body, 12, "y", 1, -1, NULL);
    onnx_node(&n, "Loop", L("M", ""), L("ys"));
    pbw_str(&a, 1, "body");
    pbw_int(&a, 20, 5);
    pbw_msg(&a, 6, &body);
    pbw_msg(&n, 5, &a);
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "M", 7, 0, NULL, D(5));
    onnx_init(&g, "w", 1, 2, D(8, 4), NULL);
    onnx_vi(&g, 11, "x", 1, 2, D(1, 8));
    onnx_vi(&g, 12, "ys", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    CHECK_NEAR(x.r.macs, 160.0, 0);
    check_shape(x.r.outputs[0], 3, D(5, 1, 4));
    CHECK(!x.r.symbolic);
    run_free(&x);
}

ECO_TEST(onnx_external_data_is_never_opened)
{
    /* an initializer whose data lives in "weights.bin" (which does not exist):
     * dims are enough, the file is never opened */
    struct pbw g = {0}, n = {0}, m = {0}, t = {0}, kv = {0};
    onnx_node(&n, "MatMul", L("x", "w"), L("y"));
    pbw_msg(&g, 1, &n);
    pbw_int(&t, 1, 16);
    pbw_int(&t, 1, 32);
    pbw_int(&t, 2, 1);
    pbw_str(&t, 8, "w");
    pbw_str(&kv, 1, "location");
    pbw_str(&kv, 2, "weights.bin");
    pbw_msg(&t, 13, &kv);
    pbw_int(&t, 14, 1); /* EXTERNAL */
    pbw_msg(&g, 5, &t);
    onnx_vi(&g, 11, "x", 1, 2, D(4, 16));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    CHECK(x.m.graph->inits[0].external);
    CHECK_NEAR(x.r.params, 512.0, 0);
    CHECK_NEAR(x.r.weight_bytes, 2048.0, 0);
    CHECK_NEAR(x.r.macs, 4.0 * 16 * 32, 0);
    run_free(&x);
}

ECO_TEST(onnx_contrib_multihead_attention)
{
    /* MultiHeadAttention: Q 1x6x32, K 1x9x32, V 1x9x48, 4 heads.
     * MACs = 1*6*9*32 + 1*6*9*48 = 1,728 + 2,592 = 4,320; FLOPs = 8,640 + 5*4*6*9 = 9,720; out 1x6x48 */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "MultiHeadAttention", L("q", "k", "v"), L("y"));
    pbw_str(&n, 7, "com.microsoft");
    attr_int(&n, "num_heads", 4);
    pbw_msg(&g, 1, &n);
    onnx_vi(&g, 11, "q", 1, 3, D(1, 6, 32));
    onnx_vi(&g, 11, "k", 1, 3, D(1, 9, 32));
    onnx_vi(&g, 11, "v", 1, 3, D(1, 9, 48));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    opset_model(&m, 14, "com.microsoft", &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 3, D(1, 6, 48));
    CHECK_NEAR(x.r.macs, 4320.0, 0);
    CHECK_NEAR(x.r.flops, 9720.0, 0);
    run_free(&x);
}

ECO_TEST(onnx_layernorm_softmax_elementwise_costs)
{
    /* x 2x5x8 (80 elements): LayerNormalization with scale+bias: 8 per element = 640;
     * Softmax: 5 per element = 400; Relu: 1 per element = 80 -> 1,120 FLOPs, 0 MACs */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "LayerNormalization", L("x", "s", "b"), L("a"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Softmax", L("a"), L("c"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Relu", L("c"), L("y"));
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "s", 1, 1, D(8), NULL);
    onnx_init(&g, "b", 1, 1, D(8), NULL);
    onnx_vi(&g, 11, "x", 1, 3, D(2, 5, 8));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 17, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    CHECK_NEAR(x.r.flops, 1120.0, 0);
    CHECK_NEAR(x.r.macs, 0.0, 0);
    /* activation bytes: three float outputs of 80 elements = 960 */
    CHECK_NEAR(x.r.activation_bytes, 960.0, 0);
    run_free(&x);
}

ECO_TEST(onnx_symbol_multiples_keep_costs_exact)
{
    /* x Nx8x16 -> Reshape [-1, 16] = (8*N)x16 -> MatMul 16x4: per unit of N,
     * MACs = 8*16*4 = 512 (not 64, as "unknown counted as 1" would give) */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Reshape", L("x", "shape"), L("r"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "MatMul", L("r", "w"), L("y"));
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "shape", 7, 1, D(2), D(-1, 16));
    onnx_init(&g, "w", 1, 2, D(16, 4), NULL);
    onnx_vi(&g, 11, "x", 1, 3, D(-1, 8, 16));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    const struct eco_val *y = x.r.outputs[0];
    CHECK_INT(y->rank, 2);
    CHECK(y->d[0].v == ECO_DIM_UNKNOWN && y->d[0].sym && strcmp(y->d[0].sym, "N") == 0);
    CHECK_INT(y->d[0].k, 8);
    CHECK_INT(y->d[1].v, 4);
    CHECK_NEAR(x.r.macs, 512.0, 0);
    CHECK(x.r.symbolic);
    run_free(&x);
}

ECO_TEST(onnx_self_loop_is_a_cycle)
{
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Add", L("x", "a"), L("a"));
    pbw_str(&n, 3, "selfish");
    pbw_msg(&g, 1, &n);
    onnx_vi(&g, 11, "x", 1, 1, D(4));
    onnx_vi(&g, 12, "a", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK(x.rc != 0);
    CHECK(strstr(x.e.msg, "cycle") && strstr(x.e.msg, "selfish"));
    run_free(&x);
}

ECO_TEST(onnx_shapes_that_follow_without_the_fed_values)
{
    /* Graph inputs whose values are fed at run time: ReduceSum's axes declared
     * [0] are no axes (all reduced, keepdims); a Reshape target of length 1 is
     * [numel]; Split of an axis of 0 into parts of unknown sizes gives parts of 0;
     * Squeeze of two unknown axes of 1x3x1x5 removes its two dims of 1. */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "ReduceSum", L("x", "axes"), L("r"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Reshape", L("x", "shape"), L("f"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Split", L("e", "sizes"), L("a", "b", "c"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Squeeze", L("q", "sq_axes"), L("sq"));
    pbw_msg(&g, 1, &n);
    onnx_vi(&g, 11, "x", 1, 3, D(2, 3, 4));
    onnx_vi(&g, 11, "q", 1, 4, D(1, 3, 1, 5));
    onnx_vi(&g, 11, "sq_axes", 7, 1, D(2));
    onnx_vi(&g, 11, "axes", 7, 1, D(0));
    onnx_vi(&g, 11, "shape", 7, 1, D(1));
    onnx_vi(&g, 11, "e", 1, 1, D(0));
    onnx_vi(&g, 11, "sizes", 7, 1, D(3));
    onnx_vi(&g, 12, "r", 1, -1, NULL);
    onnx_vi(&g, 12, "f", 1, -1, NULL);
    onnx_vi(&g, 12, "c", 1, -1, NULL);
    onnx_vi(&g, 12, "sq", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 3, D(1, 1, 1));
    check_shape(x.r.outputs[1], 1, D(24));
    check_shape(x.r.outputs[2], 1, D(0));
    check_shape(x.r.outputs[3], 2, D(3, 5)); /* two axes, and only two dims of 1 */
    run_free(&x);
}

ECO_TEST(onnx_data_sized_ops_with_known_data)
{
    /* NonZero, Compress and Unique on initializers: sizes counted from the
     * values (numpy: nonzero of [[1,0],[2,3]] has 3 columns; compress of 3x2
     * rows by [0,1,1] keeps 2; unique of [2,1,1,3,4,3] has 4 elements). */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "NonZero", L("x"), L("nz"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Compress", L("y", "cond"), L("cp"));
    attr_int(&n, "axis", 0);
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Unique", L("u"), L("uy", "ui", "uinv", "uc"));
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "x", 7, 2, D(2, 2), D(1, 0, 2, 3));
    onnx_init(&g, "cond", 7, 1, D(3), D(0, 1, 1));
    onnx_init(&g, "u", 7, 1, D(6), D(2, 1, 1, 3, 4, 3));
    onnx_vi(&g, 11, "y", 1, 2, D(3, 2));
    onnx_vi(&g, 12, "nz", 7, -1, NULL);
    onnx_vi(&g, 12, "cp", 1, -1, NULL);
    onnx_vi(&g, 12, "uy", 7, -1, NULL);
    onnx_vi(&g, 12, "uinv", 7, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    check_shape(x.r.outputs[0], 2, D(2, 3));
    check_shape(x.r.outputs[1], 2, D(2, 2));
    check_shape(x.r.outputs[2], 1, D(4));
    check_shape(x.r.outputs[3], 1, D(6));
    CHECK_INT(x.r.n_data_dep, 0);
    run_free(&x);
}

ECO_TEST(onnx_sequence_map_counts_its_body_per_element)
{
    /* SequenceMap over a sequence of three 1x8 tensors, body MatMul by an 8x4
     * weight: 32 MACs per element, 96 in all; ConcatFromSequence of the
     * results on axis 0: 3x4. */
    struct pbw g = {0}, n = {0}, m = {0}, body = {0}, a = {0}, bn = {0};
    onnx_node(&n, "SequenceConstruct", L("p", "q", "r"), L("s"));
    pbw_msg(&g, 1, &n);
    onnx_node(&bn, "MatMul", L("e", "w"), L("y"));
    pbw_msg(&body, 1, &bn);
    onnx_vi(&body, 11, "e", 1, 2, D(1, 8));
    onnx_vi(&body, 12, "y", 1, -1, NULL);
    onnx_node(&n, "SequenceMap", L("s"), L("ys"));
    pbw_str(&a, 1, "body");
    pbw_int(&a, 20, 5);
    pbw_msg(&a, 6, &body);
    pbw_msg(&n, 5, &a);
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "ConcatFromSequence", L("ys"), L("out"));
    attr_int(&n, "axis", 0);
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "w", 1, 2, D(8, 4), NULL);
    onnx_vi(&g, 11, "p", 1, 2, D(1, 8));
    onnx_vi(&g, 11, "q", 1, 2, D(1, 8));
    onnx_vi(&g, 11, "r", 1, 2, D(1, 8));
    onnx_vi(&g, 12, "out", 1, -1, NULL);
    onnx_model(&m, 17, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    CHECK_NEAR(x.r.macs, 96.0, 0);
    check_shape(x.r.outputs[0], 2, D(3, 4));
    CHECK_INT(x.r.n_unsupported, 0);
    CHECK_INT(x.r.n_partial, 0);
    run_free(&x);
}

ECO_TEST(onnx_loop_with_a_condition_handed_back_unchanged)
{
    /* PyTorch's `for` loop: Loop(M=5, cond=true) whose body returns its cond
     * input through an Identity runs exactly 5 times: scan output 5x1x4. */
    struct pbw g = {0}, n = {0}, m = {0}, body = {0}, a = {0}, bn = {0};
    onnx_node(&bn, "MatMul", L("x", "w"), L("y"));
    pbw_msg(&body, 1, &bn);
    onnx_node(&bn, "Identity", L("c_in"), L("c_out"));
    pbw_msg(&body, 1, &bn);
    onnx_vi(&body, 11, "i", 7, 0, NULL);
    onnx_vi(&body, 11, "c_in", 9, 0, NULL);
    onnx_vi(&body, 12, "c_out", 9, 0, NULL);
    onnx_vi(&body, 12, "y", 1, -1, NULL);
    onnx_node(&n, "Loop", L("M", "go"), L("ys"));
    pbw_str(&a, 1, "body");
    pbw_int(&a, 20, 5);
    pbw_msg(&a, 6, &body);
    pbw_msg(&n, 5, &a);
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "M", 7, 0, NULL, D(5));
    struct pbw t = {0};
    const uint8_t yes = 1; /* a bool scalar: one byte of raw_data */
    pbw_int(&t, 2, 9);
    pbw_str(&t, 8, "go");
    pbw_len(&t, 9, &yes, 1);
    pbw_msg(&g, 5, &t);
    onnx_init(&g, "w", 1, 2, D(8, 4), NULL);
    onnx_vi(&g, 11, "x", 1, 2, D(1, 8));
    onnx_vi(&g, 12, "ys", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    CHECK_NEAR(x.r.macs, 160.0, 0);
    check_shape(x.r.outputs[0], 3, D(5, 1, 4));
    run_free(&x);
}
