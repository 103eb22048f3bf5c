/* Operator fixes found by tests/e2e/onnx_torch_sweep.py (PyTorch exports of
 * models not tried before), each on a hand-built model with numbers by hand. */
#include <string.h>

#include "model/onnx.h"
#include "model/shape_infer.h"
#include "onnx_build.h"
#include "onnx_run.h"
#include "test.h"

ECO_TEST(onnx_conv_transpose_symbolic_length)
{
    /* Conv1d stack with a dynamic time axis (sweep row conv1d_zoo): x 2x8xN,
     * ConvTranspose W 8x3x3, group 2, stride 2, output_padding 1 -> 2x6x(2*N + 2)
     * (2*(N-1) + 1 + 2 + 1). Before: the length was unknown and the node and the
     * Conv after it partial. MACs per unit of N: 2*8*N * 3*3 = 144. */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "ConvTranspose", L("x", "w"), L("y"));
    attr_int(&n, "group", 2);
    attr_ints(&n, "strides", 1, D(2));
    attr_ints(&n, "output_padding", 1, D(1));
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "w", 1, 3, D(8, 3, 3), NULL);
    onnx_vi(&g, 11, "x", 1, 3, D(2, 8, -1));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    const struct eco_val *y = x.r.outputs[0];
    CHECK_INT(y->rank, 3);
    CHECK_INT(y->d[1].v, 6);
    CHECK(y->d[2].v == ECO_DIM_UNKNOWN && y->d[2].sym != NULL);
    CHECK(y->d[2].sym && strcmp(y->d[2].sym, "(2*N + 2)") == 0);
    CHECK_INT((int)x.r.n_partial, 0);
    CHECK(x.r.symbolic);
    CHECK_NEAR(x.r.macs, 144.0, 0);
    run_free(&x);
}

static int sym_is(struct eco_dim d, const char *text)
{
    return d.v == ECO_DIM_UNKNOWN && d.sym && strcmp(d.sym, text) == 0;
}

ECO_TEST(onnx_maxpool_ceil_mode_symbolic)
{
    /* googlenet / squeezenet exported with dynamic H, W: MaxPool 3, stride 2,
     * ceil_mode 1 over N gives ceil((N - 3)/2) + 1 = floor(N/2) (before: unknown,
     * and every node after it partial). A kernel of 1 with stride 2 (s > kernel)
     * needs the last-window rule's number: that one stays unknown and partial. */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "MaxPool", L("x"), L("y"));
    attr_ints(&n, "kernel_shape", 1, D(3));
    attr_ints(&n, "strides", 1, D(2));
    attr_int(&n, "ceil_mode", 1);
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "MaxPool", L("x"), L("z"));
    attr_ints(&n, "kernel_shape", 1, D(1));
    attr_ints(&n, "strides", 1, D(2));
    attr_int(&n, "ceil_mode", 1);
    pbw_msg(&g, 1, &n);
    onnx_vi(&g, 11, "x", 1, 3, D(1, 4, -1));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_vi(&g, 12, "z", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    CHECK_INT(x.r.outputs[0]->rank, 3);
    CHECK(sym_is(x.r.outputs[0]->d[2], "floor(N/2)"));
    CHECK(x.r.outputs[1]->d[2].v == ECO_DIM_UNKNOWN && !x.r.outputs[1]->d[2].sym);
    CHECK_INT((int)x.r.n_partial, 1);
    run_free(&x);
}

ECO_TEST(onnx_resize_symbolic_sizes_and_scales)
{
    /* deeplabv3 / lraspp with dynamic H, W: Resize to sizes = Shape(image), a
     * tensor of symbols [1, 2, N, N] (before: every dim unknown, even the batch);
     * and nn.Upsample(scale_factor=2) on a symbolic axis: 2*N. Linear mode over two
     * resized axes: 2 x 2^2 = 8 FLOPs per output, 8 x 2 x N x N = 16 per unit of N. */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Shape", L("img"), L("s"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Resize", L("x", "", "", "s"), L("y"));
    attr_str(&n, "mode", "linear");
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Resize", L("img", "", "sc"), L("z"));
    pbw_msg(&g, 1, &n);
    static const float two[4] = {1, 1, 2, 2};
    struct pbw t = {0};
    pbw_int(&t, 1, 4);
    pbw_int(&t, 2, 1);
    pbw_str(&t, 8, "sc");
    pbw_len(&t, 9, two, sizeof two);
    pbw_msg(&g, 5, &t);
    onnx_vi(&g, 11, "x", 1, 4, D(1, 2, 4, 4));
    onnx_vi(&g, 11, "img", 1, 4, D(1, 2, -1, -1));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_vi(&g, 12, "z", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    const struct eco_val *y = x.r.outputs[0], *z = x.r.outputs[1];
    CHECK_INT(y->rank, 4);
    CHECK_INT(y->d[0].v, 1);
    CHECK_INT(y->d[1].v, 2);
    CHECK(sym_is(y->d[2], "N") && sym_is(y->d[3], "N"));
    CHECK_INT(z->rank, 4);
    CHECK(z->d[2].v == ECO_DIM_UNKNOWN && z->d[2].sym && strcmp(z->d[2].sym, "N") == 0 && z->d[2].k == 2);
    CHECK_INT((int)x.r.n_partial, 0);
    CHECK_NEAR(x.r.flops, 16.0, 0);
    run_free(&x);
}

ECO_TEST(onnx_concat_with_an_input_of_unknown_shape)
{
    /* MViT's pooling: Concat(class token of unknown shape, x 1x1x32x96) along
     * axis 2. The axis length is unknown, not 32 (before: 32, the class token
     * silently dropped and every attention after it 1/33 low). The MatMul
     * after it is partial: a lower bound, flagged. */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Concat", L("cls", "x"), L("c"));
    attr_int(&n, "axis", 2);
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "MatMul", L("c", "w"), L("y"));
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "w", 1, 2, D(96, 8), NULL);
    onnx_vi(&g, 11, "cls", 1, -1, NULL);
    onnx_vi(&g, 11, "x", 1, 4, D(1, 1, 32, 96));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    const struct eco_val *y = x.r.outputs[0];
    CHECK_INT(y->rank, 4);
    CHECK(y->d[2].v == ECO_DIM_UNKNOWN && !y->d[2].sym);
    CHECK_INT(y->d[3].v, 8);
    CHECK((int)x.r.n_partial >= 1);
    run_free(&x);
}

/* Loop body of torch.tensor_split(x, (1,), dim=1) as PyTorch exports it: slice
 * x[:, b[i]:b[i+1]] (b = bounds, an outer 3x1 tensor), insert it into the
 * carried sequence, and a MatMul of the slice as a scan output; the condition
 * handed back is the outer `go` through an Identity. */
static void split_loop_body(struct pbw *body)
{
    struct pbw bn = {0};
    onnx_node(&bn, "Gather", L("bounds", "i"), L("s"));
    pbw_msg(body, 1, &bn);
    onnx_node(&bn, "Add", L("i", "one"), L("i1"));
    pbw_msg(body, 1, &bn);
    onnx_node(&bn, "Gather", L("bounds", "i1"), L("e"));
    pbw_msg(body, 1, &bn);
    onnx_node(&bn, "Slice", L("x", "s", "e", "ax1"), L("part"));
    pbw_msg(body, 1, &bn);
    onnx_node(&bn, "SequenceInsert", L("seq_in", "part"), L("seq_out"));
    pbw_msg(body, 1, &bn);
    onnx_node(&bn, "MatMul", L("part", "w"), L("y"));
    pbw_msg(body, 1, &bn);
    onnx_node(&bn, "Identity", L("go"), L("c_out"));
    pbw_msg(body, 1, &bn);
    onnx_vi(body, 11, "i", 7, 0, NULL);
    onnx_vi(body, 11, "c_in", 9, 0, NULL);
    onnx_vi(body, 11, "seq_in", 1, -1, NULL);
    onnx_vi(body, 12, "c_out", 9, 0, NULL);
    onnx_vi(body, 12, "seq_out", 1, -1, NULL);
    onnx_vi(body, 12, "y", 1, -1, NULL);
}

ECO_TEST(onnx_short_loop_is_unrolled)
{
    /* Loop(M=2, go=true) over x 1x6x4 with bounds [0, 1, 6]: iteration 0 slices
     * 1x1x4, iteration 1 1x5x4 (before: the iteration number unknown, the
     * sequence unknown, MViT's class token lost). After the loop: SequenceAt 0
     * and 1 are 1x1x4 and 1x5x4. MACs: (1 + 5) x 4 x 3 = 72; the scan output
     * is 2 x 1 x ? x 3 (the slices differ in length). */
    struct pbw g = {0}, n = {0}, m = {0}, body = {0}, a = {0};
    split_loop_body(&body);
    onnx_node(&n, "SequenceEmpty", L(NULL), L("seq0"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Loop", L("M", "go", "seq0"), L("seq", "ys"));
    pbw_str(&a, 1, "body");
    pbw_int(&a, 20, 5);
    pbw_msg(&a, 6, &body);
    pbw_msg(&n, 5, &a);
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "SequenceAt", L("seq", "zero"), L("p0"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "SequenceAt", L("seq", "one"), L("p1"));
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "M", 7, 0, NULL, D(2));
    onnx_init(&g, "zero", 7, 0, NULL, D(0));
    onnx_init(&g, "one", 7, 0, NULL, D(1));
    onnx_init(&g, "ax1", 7, 1, D(1), D(1));
    onnx_init(&g, "bounds", 7, 2, D(3, 1), D(0, 1, 6));
    struct pbw t = {0};
    const uint8_t yes = 1;
    pbw_int(&t, 2, 9);
    pbw_str(&t, 8, "go");
    pbw_len(&t, 9, &yes, 1);
    pbw_msg(&g, 5, &t);
    onnx_init(&g, "w", 1, 2, D(4, 3), NULL);
    onnx_vi(&g, 11, "x", 1, 3, D(1, 6, 4));
    onnx_vi(&g, 12, "p0", 1, -1, NULL);
    onnx_vi(&g, 12, "p1", 1, -1, NULL);
    onnx_vi(&g, 12, "ys", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    const struct eco_val *p0 = x.r.outputs[0], *p1 = x.r.outputs[1], *ys = x.r.outputs[2];
    CHECK_INT(p0->rank, 3);
    CHECK_INT(p0->d[1].v, 1);
    CHECK_INT(p1->rank, 3);
    CHECK_INT(p1->d[1].v, 5);
    CHECK_INT(ys->rank, 4);
    CHECK_INT(ys->d[0].v, 2);
    CHECK(ys->d[2].v == ECO_DIM_UNKNOWN);
    CHECK_INT(ys->d[3].v, 3);
    CHECK_NEAR(x.r.macs, 72.0, 0);
    run_free(&x);
}

ECO_TEST(onnx_split_passes_values_on)
{
    /* x.repeat_interleave(2, dim=1) as PyTorch 1.13 exports it: the repeats
     * [2, 2, 2, 2] are Split into [2] each, each part then in an Expand target
     * (before: Split dropped the values, the channel count was unknown and
     * everything after it partial). Here v = [7, 7, 9] split [1, 2] gives
     * a = [7], b = [7, 9]; the Reshape target Concat(a - 4, b[0:1] - 3) is
     * [3, 4], so x 2x6 becomes 3x4. */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Split", L("v", "parts"), L("a", "b"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Sub", L("a", "four"), L("a4"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Slice", L("b", "zero1", "one1"), L("b0"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Sub", L("b0", "three"), L("b3"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Concat", L("a4", "b3"), L("target"));
    attr_int(&n, "axis", 0);
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Reshape", L("x", "target"), L("y"));
    pbw_msg(&g, 1, &n);
    onnx_init(&g, "v", 7, 1, D(3), D(7, 7, 9));
    onnx_init(&g, "parts", 7, 1, D(2), D(1, 2));
    onnx_init(&g, "four", 7, 1, D(1), D(4));
    onnx_init(&g, "three", 7, 1, D(1), D(3));
    onnx_init(&g, "zero1", 7, 1, D(1), D(0));
    onnx_init(&g, "one1", 7, 1, D(1), D(1));
    onnx_vi(&g, 11, "x", 1, 2, D(2, 6));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    const struct eco_val *y = x.r.outputs[0];
    CHECK_INT(y->rank, 2);
    CHECK_INT(y->d[0].v, 3);
    CHECK_INT(y->d[1].v, 4);
    run_free(&x);
}

ECO_TEST(onnx_resize_dyadic_scale_of_a_symbolic_axis)
{
    /* F.interpolate(scale_factor=1.5) on a dynamic image: floor(1.5 x N) is
     * floor(3*N/2) (before: unknown, the Resize and what follows partial);
     * a scale of 1/3, stored rounded in float, stays unknown (partial). */
    struct pbw g = {0}, n = {0}, m = {0};
    onnx_node(&n, "Resize", L("img", "", "sc"), L("y"));
    pbw_msg(&g, 1, &n);
    onnx_node(&n, "Resize", L("img", "", "third"), L("z"));
    pbw_msg(&g, 1, &n);
    static const float s15[3] = {1, 1, 1.5f}, s13[3] = {1, 1, 1.0f / 3};
    const float *vals[2] = {s15, s13};
    const char *names[2] = {"sc", "third"};
    for (int i = 0; i < 2; i++) {
        struct pbw t = {0};
        pbw_int(&t, 1, 3);
        pbw_int(&t, 2, 1);
        pbw_str(&t, 8, names[i]);
        pbw_len(&t, 9, vals[i], sizeof s15);
        pbw_msg(&g, 5, &t);
    }
    onnx_vi(&g, 11, "img", 1, 3, D(1, 2, -1));
    onnx_vi(&g, 12, "y", 1, -1, NULL);
    onnx_vi(&g, 12, "z", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    CHECK(sym_is(x.r.outputs[0]->d[2], "floor(3*N/2)"));
    CHECK(x.r.outputs[1]->d[2].v == ECO_DIM_UNKNOWN && !x.r.outputs[1]->d[2].sym);
    CHECK_INT((int)x.r.n_partial, 1);
    run_free(&x);
}

/* a Loop node over body, trip count "M", no condition: body outputs c_out, then scan ys */
static void loop_node(struct pbw *g, struct pbw *body, const char *out)
{
    struct pbw n = {0}, a = {0};
    onnx_node(&n, "Loop", L("M", ""), L(out));
    pbw_str(&a, 1, "body");
    pbw_int(&a, 20, 5);
    pbw_msg(&a, 6, body);
    pbw_msg(&n, 5, &a);
    pbw_msg(g, 1, &n);
}

static void loop_body_io(struct pbw *body, const char *scan_out)
{
    struct pbw bn = {0};
    onnx_node(&bn, "Identity", L("c_in"), L("c_out"));
    pbw_msg(body, 1, &bn);
    onnx_vi(body, 11, "i", 7, 0, NULL);
    onnx_vi(body, 11, "c_in", 9, 0, NULL);
    onnx_vi(body, 12, "c_out", 9, 0, NULL);
    onnx_vi(body, 12, scan_out, 1, -1, NULL);
}

ECO_TEST(onnx_nested_loops_unroll_only_the_outer)
{
    /* Loop(64) { Loop(64) { MatMul 1x8 @ 8x4 } }: the outer loop is unrolled,
     * the inner one (in a body) counted as its body x 64, so the work stays
     * 64 x the body, not 64^depth, and the count is exact: 64 x 64 x 32 =
     * 131,072 MACs; output 64x64x1x4. */
    struct pbw g = {0}, m = {0}, inner = {0}, outer = {0}, bn = {0};
    onnx_node(&bn, "MatMul", L("x", "w"), L("y"));
    pbw_msg(&inner, 1, &bn);
    loop_body_io(&inner, "y");
    loop_node(&outer, &inner, "yi");
    loop_body_io(&outer, "yi");
    loop_node(&g, &outer, "ys");
    onnx_init(&g, "M", 7, 0, NULL, D(64));
    onnx_init(&g, "w", 1, 2, D(8, 4), NULL);
    onnx_vi(&g, 11, "x", 1, 2, D(1, 8));
    onnx_vi(&g, 12, "ys", 1, -1, NULL);
    onnx_model(&m, 13, &g);
    struct run x;
    run_model(&m, NULL, &x);
    CHECK_INT(x.rc, 0);
    CHECK_NEAR(x.r.macs, 131072.0, 0);
    const struct eco_val *ys = x.r.outputs[0];
    CHECK_INT(ys->rank, 4);
    CHECK_INT(ys->d[0].v, 64);
    CHECK_INT(ys->d[1].v, 64);
    CHECK_INT(ys->d[3].v, 4);
    CHECK_INT((int)x.r.n_partial, 0);
    run_free(&x);
}
