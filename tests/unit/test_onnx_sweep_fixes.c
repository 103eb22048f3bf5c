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
