/* Small helpers the operator files share: dims, broadcasting, reading the
 * propagated values of small integer inputs, setting outputs. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/ops.h"
#include "model/sym_expr.h"

int eco_dim_known(struct eco_dim d) { return d.v != ECO_DIM_UNKNOWN; }
struct eco_dim eco_dim_num(int64_t v) { return (struct eco_dim){v, NULL, 0}; }
struct eco_dim eco_dim_unknown(void) { return (struct eco_dim){ECO_DIM_UNKNOWN, NULL, 0}; }
struct eco_dim eco_dim_sym(const char *sym, int64_t k)
{
    return (struct eco_dim){ECO_DIM_UNKNOWN, sym, sym && k > 0 ? k : 0};
}

double eco_dimv(struct eco_op_ctx *c, struct eco_dim d)
{
    if (d.v != ECO_DIM_UNKNOWN)
        return (double)d.v;
    if (eco_sym_data_dep(d))
        c->data_dep = 1;
    else if (eco_sym_named(d))
        c->symbolic = 1;
    else
        c->partial = 1;
    return d.sym && d.k > 0 ? (double)d.k : 1.0;
}

int eco_dim_eq(struct eco_dim a, struct eco_dim b)
{
    if (eco_dim_known(a) || eco_dim_known(b))
        return a.v == b.v;
    return a.sym && b.sym && strcmp(a.sym, b.sym) == 0 && (a.k > 0 ? a.k : 1) == (b.k > 0 ? b.k : 1);
}

struct eco_val *eco_in(struct eco_op_ctx *c, size_t i) { return i < c->n_in ? c->in[i] : NULL; }

int eco_has_shape(const struct eco_val *v) { return v && v->rank >= 0; }

int eco_dt_is_float(int dt)
{
    return dt == ECO_DT_FLOAT || dt == ECO_DT_DOUBLE || dt == ECO_DT_FLOAT16 || dt == ECO_DT_BFLOAT16;
}

void eco_val_shape_str(const struct eco_val *v, char *buf, size_t len)
{
    if (!v || v->rank < 0) {
        snprintf(buf, len, "?");
        return;
    }
    if (v->rank == 0) {
        snprintf(buf, len, "scalar");
        return;
    }
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < v->rank && o < len; i++) {
        char one[ECO_SYM_MAX_LEN + 32];
        eco_sym_str(v->d[i], one, sizeof one);
        int n = snprintf(buf + o, len - o, "%s%s", i ? "x" : "", one);
        if (n < 0)
            break;
        o += (size_t)n;
    }
}

int eco_shape_known(const struct eco_val *v)
{
    if (!eco_has_shape(v))
        return 0;
    for (int i = 0; i < v->rank; i++)
        if (!eco_dim_known(v->d[i]))
            return 0;
    return 1;
}

int eco_op_error(struct eco_op_ctx *c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return eco_err_set(c->err, ECO_EXIT_USAGE, "node '%s' (%s): %s", c->node_name, c->node->op_type, buf);
}

double eco_numel(struct eco_op_ctx *c, const struct eco_val *v)
{
    if (!eco_has_shape(v))
        return -1;
    double n = 1;
    for (int i = 0; i < v->rank; i++) {
        n *= eco_dimv(c, v->d[i]);
    }
    return n;
}

int eco_axis(int64_t axis, int rank)
{
    if (axis < 0)
        axis += rank;
    return axis < 0 || axis >= rank ? -1 : (int)axis;
}

void eco_out_rank(struct eco_op_ctx *c, size_t i, int dtype, int rank, const struct eco_dim *dims)
{
    if (i >= c->n_out || !c->out[i])
        return;
    struct eco_val *o = c->out[i];
    if (dtype)
        o->dtype = dtype;
    if (rank > ECO_MAX_RANK)
        rank = -1;
    o->rank = rank;
    for (int k = 0; k < rank; k++)
        o->d[k] = dims[k];
}

void eco_out_like(struct eco_op_ctx *c, size_t i, const struct eco_val *src)
{
    if (!src) {
        eco_out_unknown(c, i, 0);
        return;
    }
    eco_out_rank(c, i, src->dtype, src->rank, src->d);
    if (i < c->n_out && c->out[i]) { /* sequences and other containers pass through too */
        c->out[i]->is_seq = src->is_seq;
        c->out[i]->seq_len = src->seq_len;
        c->out[i]->elems = src->elems;
        c->out[i]->non_tensor = src->non_tensor;
    }
}

void eco_out_unknown(struct eco_op_ctx *c, size_t i, int dtype)
{
    if (i >= c->n_out || !c->out[i])
        return;
    if (dtype)
        c->out[i]->dtype = dtype;
    c->out[i]->rank = -1;
}

void eco_out_dtype(struct eco_op_ctx *c, size_t i, int dtype)
{
    if (i < c->n_out && c->out[i])
        c->out[i]->dtype = dtype;
}

int eco_out_vals(struct eco_op_ctx *c, size_t i, const struct eco_dim *vals, int64_t n)
{
    if (i >= c->n_out || !c->out[i] || n < 0 || n > ECO_ONNX_SMALL_VALUES)
        return 0;
    struct eco_dim *p = eco_arena_array(c->arena, (size_t)(n ? n : 1), sizeof *p);
    if (!p)
        return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
    memcpy(p, vals, (size_t)n * sizeof *p);
    c->out[i]->vals = p;
    c->out[i]->n_vals = n;
    return 0;
}

int eco_out_fvals(struct eco_op_ctx *c, size_t i, const double *f, int64_t n)
{
    if (i >= c->n_out || !c->out[i] || n < 0 || n > ECO_ONNX_SMALL_VALUES)
        return 0;
    double *p = eco_arena_array(c->arena, (size_t)(n ? n : 1), sizeof *p);
    if (!p)
        return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
    memcpy(p, f, (size_t)n * sizeof *p);
    c->out[i]->fvals = p;
    return 0;
}

int eco_in_dims(struct eco_op_ctx *c, size_t i, struct eco_dim *buf, size_t cap, size_t *n)
{
    struct eco_val *v = eco_in(c, i);
    if (!v || v->n_vals < 0 || (size_t)v->n_vals > cap)
        return 0;
    memcpy(buf, v->vals, (size_t)v->n_vals * sizeof *buf);
    *n = (size_t)v->n_vals;
    return 1;
}

int eco_in_ints(struct eco_op_ctx *c, size_t i, int64_t *buf, size_t cap, size_t *n)
{
    struct eco_val *v = eco_in(c, i);
    if (!v || v->n_vals < 0 || (size_t)v->n_vals > cap)
        return 0;
    for (int64_t k = 0; k < v->n_vals; k++) {
        if (!eco_dim_known(v->vals[k]))
            return 0;
        buf[k] = v->vals[k].v;
    }
    *n = (size_t)v->n_vals;
    return 1;
}

int eco_in_floats(struct eco_op_ctx *c, size_t i, double *buf, size_t cap, size_t *n)
{
    struct eco_val *v = eco_in(c, i);
    if (!v || v->n_vals < 0 || (size_t)v->n_vals > cap)
        return 0;
    for (int64_t k = 0; k < v->n_vals; k++) {
        if (v->fvals)
            buf[k] = v->fvals[k];
        else if (eco_dim_known(v->vals[k]))
            buf[k] = (double)v->vals[k].v;
        else
            return 0;
    }
    *n = (size_t)v->n_vals;
    return 1;
}

/* Two unknown sizes broadcast together must be equal (or one of them 1):
 * keep the most informative name for it: a named symbol or expression (the
 * shorter text when two differ, taking a named size as not 1), then
 * data-dependent, then unnamed. */
static int better_unknown(struct eco_dim x, struct eco_dim cur)
{
    int nx = eco_sym_named(x), nc = eco_sym_named(cur);
    if (nx != nc)
        return nx;
    if (nx)
        return strlen(x.sym) < strlen(cur.sym) || (strlen(x.sym) == strlen(cur.sym) && x.k < cur.k &&
                                                   strcmp(x.sym, cur.sym) == 0);
    return eco_sym_data_dep(x) && !eco_sym_data_dep(cur);
}

int eco_broadcast(struct eco_op_ctx *c, struct eco_val *const *vs, size_t n, int *rank,
                  struct eco_dim *out)
{
    (void)c;
    int r = 0;
    for (size_t i = 0; i < n; i++) {
        if (!vs[i])
            continue;
        if (!eco_has_shape(vs[i]))
            return 1;
        if (vs[i]->rank > r)
            r = vs[i]->rank;
    }
    for (int k = 0; k < r; k++) {
        struct eco_dim d = eco_dim_num(1);
        int have_unknown = 0;
        struct eco_dim unk = eco_dim_unknown();
        for (size_t i = 0; i < n; i++) {
            if (!vs[i])
                continue;
            int off = r - vs[i]->rank;
            if (k < off)
                continue;
            struct eco_dim x = vs[i]->d[k - off];
            if (!eco_dim_known(x)) {
                if (!have_unknown || better_unknown(x, unk))
                    unk = x;
                have_unknown = 1;
                continue;
            }
            if (x.v == 1)
                continue;
            if (d.v != 1 && d.v != x.v)
                return -1;
            d = x;
        }
        if (d.v != 1)
            out[k] = d; /* a number > 1 wins over unknowns (they must be 1 or equal) */
        else if (have_unknown)
            out[k] = unk;
        else
            out[k] = d;
    }
    *rank = r;
    return 0;
}

int eco_cost_per_output(struct eco_op_ctx *c, double per_elem)
{
    double n = 0;
    int any = 0;
    for (size_t i = 0; i < c->n_out; i++) {
        if (!c->out[i])
            continue;
        double k = eco_numel(c, c->out[i]);
        if (k < 0) {
            c->no_shape = 1;
            return 0;
        }
        n += k;
        any = 1;
    }
    if (any)
        c->flops += per_elem * n;
    return 0;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

int eco_slice_range(int64_t dim, int64_t start, int64_t end, int64_t step, int64_t *first, int64_t *len)
{
    if (step == 0 || dim < 0)
        return -1;
    /* ONNX Slice: negative indices count from the end (adding dim cannot
     * overflow a negative number), then clamp: [0, dim] for positive steps,
     * [0, dim-1] for the start and [-1, dim-1] for the end of negative ones,
     * so an end below -dim (torch.flip exports INT64_MIN+1) reaches -1. */
    if (start < 0)
        start += dim;
    if (end < 0)
        end += dim;
    int64_t n;
    if (step > 0) {
        start = clamp64(start, 0, dim);
        end = clamp64(end, 0, dim);
        n = end > start ? (end - start - 1) / step + 1 : 0;
    } else {
        start = clamp64(start, 0, dim - 1);
        end = clamp64(end, -1, dim - 1);
        n = start > end ? (start - end - 1) / (step == INT64_MIN ? INT64_MAX : -step) + 1 : 0;
    }
    *first = start;
    *len = n;
    return 0;
}

struct eco_val *eco_in_shaped(struct eco_op_ctx *c, size_t i, int *dtype)
{
    struct eco_val *x = eco_in(c, i);
    *dtype = x ? x->dtype : 0;
    if (eco_has_shape(x))
        return x;
    eco_out_unknown(c, 0, *dtype);
    return NULL;
}

int eco_out_broadcast(struct eco_op_ctx *c, struct eco_val *const *vs, size_t n, int dtype, int *rank,
                      struct eco_dim *d)
{
    int rc = eco_broadcast(c, vs, n, rank, d);
    if (rc < 0)
        return eco_op_error(c, "input shapes cannot be broadcast together");
    if (rc > 0)
        eco_out_unknown(c, 0, dtype);
    else
        eco_out_rank(c, 0, dtype, *rank, d);
    return rc;
}

void eco_out_unknown_dims(struct eco_op_ctx *c, int dtype, int rank)
{
    if (rank < 0) {
        eco_out_unknown(c, 0, dtype);
        return;
    }
    struct eco_dim d[ECO_MAX_RANK];
    for (int i = 0; i < rank && i < ECO_MAX_RANK; i++)
        d[i] = eco_dim_unknown();
    eco_out_rank(c, 0, dtype, rank, d);
}

int eco_out_shape_rc(struct eco_op_ctx *c, int rc, int dtype, int rank, const struct eco_dim *d)
{
    if (rc < 0)
        return -1;
    if (rc > 0)
        eco_out_unknown(c, 0, dtype);
    else
        eco_out_rank(c, 0, dtype, rank, d);
    return 0;
}

int eco_cost_per_input_elem(struct eco_op_ctx *c, size_t i, double per)
{
    double n = eco_numel(c, eco_in(c, i));
    if (n < 0)
        c->no_shape = 1;
    else
        c->flops = n * per;
    return 0;
}
