/* Matrix products: MatMul (numpy batched broadcast, 1-D operands),
 * MatMulInteger, QLinearMatMul, Gemm, Einsum. MACs = batch x M x K x N. */
#include <string.h>

#include "model/ops.h"

/* Shapes of a numpy matmul; fills out dims. 0 ok, 1 unknown. */
static int matmul_shape(struct eco_op_ctx *c, struct eco_val *a, struct eco_val *b, int *rank,
                        struct eco_dim *d)
{
    if (!eco_has_shape(a) || !eco_has_shape(b))
        return 1;
    if (a->rank == 0 || b->rank == 0)
        return eco_op_error(c, "MatMul operands must have rank >= 1");
    struct eco_val ta = *a, tb = *b;
    int a1 = a->rank == 1, b1 = b->rank == 1;
    if (a1) { /* (K) -> (1, K) */
        ta.rank = 2;
        ta.d[0] = eco_dim_num(1);
        ta.d[1] = a->d[0];
    }
    if (b1) { /* (K) -> (K, 1) */
        tb.rank = 2;
        tb.d[0] = b->d[0];
        tb.d[1] = eco_dim_num(1);
    }
    struct eco_dim ka = ta.d[ta.rank - 1], kb = tb.d[tb.rank - 2];
    if (eco_dim_known(ka) && eco_dim_known(kb) && ka.v != kb.v)
        return eco_op_error(c, "inner dimensions differ (%lld vs %lld)", (long long)ka.v, (long long)kb.v);
    /* Broadcast the batch dims. */
    struct eco_val ba = ta, bb = tb;
    ba.rank = ta.rank - 2;
    bb.rank = tb.rank - 2;
    struct eco_val *vs[2] = {&ba, &bb};
    int br;
    struct eco_dim bd[ECO_MAX_RANK];
    if (eco_broadcast(c, vs, 2, &br, bd) < 0)
        return eco_op_error(c, "batch dimensions cannot be broadcast together");
    int r = 0;
    for (int i = 0; i < br; i++)
        d[r++] = bd[i];
    if (!a1)
        d[r++] = ta.d[ta.rank - 2];
    if (!b1)
        d[r++] = tb.d[tb.rank - 1];
    if (r > ECO_MAX_RANK)
        return eco_op_error(c, "rank too large");
    *rank = r;
    return 0;
}

static int infer_mm(struct eco_op_ctx *c, size_t ai, size_t bi, int dtype)
{
    struct eco_val *a = eco_in(c, ai), *b = eco_in(c, bi);
    int rank = 0;
    struct eco_dim d[ECO_MAX_RANK];
    if (!dtype)
        dtype = a ? a->dtype : 0;
    int rc = matmul_shape(c, a, b, &rank, d);
    return eco_out_shape_rc(c, rc, dtype, rank, d);
}

static int infer_matmul(struct eco_op_ctx *c) { return infer_mm(c, 0, 1, 0); }
static int infer_matmul_integer(struct eco_op_ctx *c) { return infer_mm(c, 0, 1, ECO_DT_INT32); }
static int infer_qlinear_matmul(struct eco_op_ctx *c)
{
    struct eco_val *yzp = eco_in(c, 7);
    return infer_mm(c, 0, 3, yzp && yzp->dtype ? yzp->dtype : ECO_DT_UINT8);
}

/* output elements x K */
static int cost_mm(struct eco_op_ctx *c, size_t ai)
{
    struct eco_val *a = eco_in(c, ai), *y = c->n_out ? c->out[0] : NULL;
    if (!eco_has_shape(a) || !eco_has_shape(y) || a->rank == 0) {
        c->no_shape = 1;
        return 0;
    }
    double out = eco_numel(c, y);
    struct eco_dim k = a->d[a->rank - 1];
    double kk = eco_dimv(c, k);
    c->macs = out * kk;
    c->flops = 2 * c->macs;
    return 0;
}

static int cost_matmul(struct eco_op_ctx *c) { return cost_mm(c, 0); }

static int infer_gemm(struct eco_op_ctx *c)
{
    struct eco_val *a = eco_in(c, 0), *b = eco_in(c, 1);
    int dtype = a ? a->dtype : 0;
    if (!eco_has_shape(a) || !eco_has_shape(b)) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    if (a->rank != 2 || b->rank != 2) {
        if (c->opset >= 7 || a->rank < 2 || b->rank != 2)
            return eco_op_error(c, "Gemm operands must be matrices (ranks %d and %d)", a->rank, b->rank);
    }
    int ta = eco_onnx_attr_int(c->node, "transA", 0) != 0, tb = eco_onnx_attr_int(c->node, "transB", 0) != 0;
    struct eco_dim m = a->d[ta ? a->rank - 1 : 0], n = b->d[tb ? 0 : 1];
    struct eco_dim d[2] = {m, n};
    eco_out_rank(c, 0, dtype, 2, d);
    return 0;
}

static int cost_gemm(struct eco_op_ctx *c)
{
    struct eco_val *a = eco_in(c, 0), *y = c->n_out ? c->out[0] : NULL;
    if (!eco_has_shape(a) || !eco_has_shape(y) || a->rank < 2) {
        c->no_shape = 1;
        return 0;
    }
    int ta = eco_onnx_attr_int(c->node, "transA", 0) != 0;
    struct eco_dim k = a->d[ta ? 0 : a->rank - 1];
    double out = eco_numel(c, y);
    double kk = eco_dimv(c, k);
    c->macs = out * kk;
    /* + alpha scaling and beta*C addition, one FLOP each per output when present */
    double alpha = eco_onnx_attr_float(c->node, "alpha", 1.0);
    c->flops = 2 * c->macs + (eco_in(c, 2) ? out : 0) + (alpha != 1.0 ? out : 0);
    return 0;
}

/* ---- Einsum ---- */

struct einsum {
    int n_ops;
    char terms[8][ECO_MAX_RANK + 4];
    char out[ECO_MAX_RANK + 4];
    int explicit_out;
};

static int parse_equation(const char *eq, struct einsum *e)
{
    memset(e, 0, sizeof *e);
    int t = 0, len = 0, in_out = 0;
    for (const char *p = eq;; p++) {
        char ch = *p;
        if (ch == ' ')
            continue;
        if (ch == '.') {
            if (p[1] != '.' || p[2] != '.')
                return -1;
            p += 2;
            ch = '.'; /* one char stands for the ellipsis */
        }
        char *dst = in_out ? e->out : e->terms[t];
        if (ch == ',' || ch == '-' || ch == 0) {
            if (in_out && ch != 0)
                return -1;
            if (!in_out)
                t++;
            if (ch == 0)
                break;
            if (t >= 8)
                return -1;
            len = 0;
            if (ch == '-') {
                if (p[1] != '>')
                    return -1;
                p++;
                in_out = 1;
                e->explicit_out = 1;
            }
            continue;
        }
        if (!(ch == '.' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) || len >= ECO_MAX_RANK + 2)
            return -1;
        dst[len++] = ch;
    }
    e->n_ops = t;
    return 0;
}

/* Sizes of each letter and the ellipsis dims; fills output shape. */
static int infer_einsum_shape(struct eco_op_ctx *c, struct einsum *e, struct eco_dim *letters,
                              int *ell_rank, struct eco_dim *ell, int *rank, struct eco_dim *d)
{
    for (int i = 0; i < 128; i++)
        letters[i] = eco_dim_unknown();
    int seen[128] = {0};
    *ell_rank = 0;
    if ((size_t)e->n_ops != c->n_in)
        return eco_op_error(c, "equation has %d operands but the node has %zu inputs", e->n_ops, c->n_in);
    for (int t = 0; t < e->n_ops; t++) {
        struct eco_val *v = eco_in(c, (size_t)t);
        if (!eco_has_shape(v))
            return 1;
        int nl = (int)strlen(e->terms[t]), has_ell = strchr(e->terms[t], '.') != NULL;
        int er = v->rank - (nl - has_ell);
        if (er < 0 || (!has_ell && er != 0))
            return eco_op_error(c, "operand %d has rank %d, which the equation does not match", t, v->rank);
        int k = 0;
        for (int i = 0; i < nl; i++) {
            char ch = e->terms[t][i];
            if (ch == '.') {
                /* broadcast the ellipsis dims (right-aligned) */
                if (er > *ell_rank) {
                    memmove(ell + (er - *ell_rank), ell, (size_t)*ell_rank * sizeof *ell);
                    for (int j = 0; j < er - *ell_rank; j++)
                        ell[j] = eco_dim_num(1);
                    *ell_rank = er;
                }
                for (int j = 0; j < er; j++) {
                    struct eco_dim x = v->d[k + j], *y = &ell[*ell_rank - er + j];
                    if (eco_dim_known(x) && x.v != 1)
                        *y = x;
                    else if (!eco_dim_known(x) && eco_dim_known(*y) && y->v == 1)
                        *y = x;
                }
                k += er;
                continue;
            }
            struct eco_dim x = v->d[k++];
            if (!seen[(int)ch] || (!eco_dim_known(letters[(int)ch]) && eco_dim_known(x)) ||
                (eco_dim_known(letters[(int)ch]) && letters[(int)ch].v == 1))
                letters[(int)ch] = x;
            seen[(int)ch]++;
        }
    }
    if (!e->explicit_out) { /* implicit: ellipsis then letters seen once, alphabetically */
        int n = 0;
        int has_ell = 0;
        for (int t = 0; t < e->n_ops; t++)
            if (strchr(e->terms[t], '.'))
                has_ell = 1;
        if (has_ell)
            e->out[n++] = '.';
        for (int ch = 'A'; ch <= 'z'; ch++)
            if (seen[ch] == 1)
                e->out[n++] = (char)ch;
        e->out[n] = 0;
    }
    int r = 0;
    for (const char *p = e->out; *p; p++) {
        if (*p == '.') {
            for (int j = 0; j < *ell_rank; j++)
                d[r++] = ell[j];
        } else
            d[r++] = letters[(int)*p];
        if (r > ECO_MAX_RANK)
            return eco_op_error(c, "output rank too large");
    }
    *rank = r;
    return 0;
}

static int infer_einsum(struct eco_op_ctx *c)
{
    struct einsum e;
    const char *eq = eco_onnx_attr_str(c->node, "equation", NULL);
    int dtype = eco_in(c, 0) ? eco_in(c, 0)->dtype : 0;
    if (!eq || parse_equation(eq, &e))
        return eco_op_error(c, "cannot parse the Einsum equation '%s'", eq ? eq : "");
    struct eco_dim letters[128], ell[ECO_MAX_RANK], d[ECO_MAX_RANK];
    int er, rank;
    int rc = infer_einsum_shape(c, &e, letters, &er, ell, &rank, d);
    return eco_out_shape_rc(c, rc, dtype, rank, d);
}

/* MACs: the product of every index's size (each term of the sum is one
 * multiply-accumulate per extra operand); one operand: one FLOP per input. */
static int cost_einsum(struct eco_op_ctx *c)
{
    struct einsum e;
    const char *eq = eco_onnx_attr_str(c->node, "equation", "");
    if (parse_equation(eq, &e)) {
        c->no_shape = 1;
        return 0;
    }
    struct eco_dim letters[128], ell[ECO_MAX_RANK], d[ECO_MAX_RANK];
    int er, rank;
    if (infer_einsum_shape(c, &e, letters, &er, ell, &rank, d) != 0) {
        c->no_shape = 1;
        return 0;
    }
    int used[128] = {0};
    double prod = 1;
    for (int t = 0; t < e.n_ops; t++)
        for (const char *p = e.terms[t]; *p; p++)
            if (*p != '.' && !used[(int)*p]) {
                used[(int)*p] = 1;
                prod *= eco_dimv(c, letters[(int)*p]);
            }
    for (int j = 0; j < er; j++)
        prod *= eco_dimv(c, ell[j]);
    if (e.n_ops <= 1) {
        c->flops = prod;
        return 0;
    }
    c->macs = prod * (e.n_ops - 1);
    c->flops = 2 * c->macs;
    return 0;
}

const struct eco_op eco_ops_matmul[] = {
    {"MatMul", "", infer_matmul, cost_matmul, 0},
    {"MatMulInteger", "", infer_matmul_integer, cost_matmul, 0},
    {"QLinearMatMul", "", infer_qlinear_matmul, cost_matmul, 0},
    {"Gemm", "", infer_gemm, cost_gemm, 0},
    {"Einsum", "", infer_einsum, cost_einsum, 0},
    {NULL, NULL, NULL, NULL, 0},
};
