/* Operator fixes found by tests/e2e/onnx_torch_sweep.py (PyTorch exports of
 * models not tried before), each on a hand-built model with numbers by hand. */
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

static void run_model(struct pbw *model, struct run *x)
{
    memset(x, 0, sizeof *x);
    x->rc = eco_onnx_parse(model->p, model->n, &x->m, &x->e);
    if (x->rc == 0)
        x->rc = eco_infer_model(&x->m, NULL, &x->r, &x->e);
    free(model->p);
    memset(model, 0, sizeof *model);
}

static void run_free(struct run *x)
{
    eco_report_free(&x->r);
    eco_onnx_free(&x->m);
}

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
    run_model(&m, &x);
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
    run_model(&m, &x);
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
    run_model(&m, &x);
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
