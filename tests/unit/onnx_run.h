/* Parsing and inferring a hand-built ONNX model in a unit test: the one
 * helper the ONNX test files share (test_onnx.c, test_onnx_ops.c,
 * test_onnx_sweep_fixes.c). The run takes the model's bytes and frees them
 * with the report, so a test never frees bytes the parsed model still uses. */
#ifndef ECO_TEST_ONNX_RUN_H
#define ECO_TEST_ONNX_RUN_H

#include <stdlib.h>
#include <string.h>

#include "model/onnx.h"
#include "model/shape_infer.h"
#include "onnx_build.h"

struct run {
    struct eco_onnx_model m;
    struct eco_onnx_costs r;
    struct eco_err e;
    int rc;
    struct pbw bytes; /* the serialised model, owned by the run */
};

static inline void run_model(struct pbw *model, const struct eco_infer_opts *o, struct run *x)
{
    memset(x, 0, sizeof *x);
    x->bytes = *model;
    memset(model, 0, sizeof *model);
    x->rc = eco_onnx_parse(x->bytes.p, x->bytes.n, &x->m, &x->e);
    if (x->rc == 0)
        x->rc = eco_infer_model(&x->m, o, &x->r, &x->e);
}

static inline void run_free(struct run *x)
{
    eco_onnx_costs_free(&x->r);
    eco_onnx_free(&x->m);
    free(x->bytes.p);
    memset(&x->bytes, 0, sizeof x->bytes);
}

#endif
