/* The op table: one row per operator type, gathered from the family files.
 * An operator with no row is reported as unsupported, never silently 0. */
#include <string.h>

#include "model/ops.h"

static const struct eco_op *const families[] = {
    eco_ops_elementwise, eco_ops_conv, eco_ops_matmul, eco_ops_pool, eco_ops_norm,
    eco_ops_reduce,      eco_ops_shape, eco_ops_rnn,   eco_ops_attention, eco_ops_misc, eco_ops_loss, eco_ops_sequence, eco_ops_signal,
};

static int same_domain(const char *a, const char *b)
{
    int da = !a[0] || strcmp(a, "ai.onnx") == 0, db = !b[0] || strcmp(b, "ai.onnx") == 0;
    return da && db ? 1 : strcmp(a, b) == 0;
}

const struct eco_op *eco_op_find(const char *op_type, const char *domain)
{
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (const struct eco_op *o = families[f]; o->op_type; o++)
            if (strcmp(o->op_type, op_type) == 0 && same_domain(o->domain, domain))
                return o;
    return NULL;
}
