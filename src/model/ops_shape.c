/* Shape and data-movement operators: no arithmetic (0 FLOPs, counted as
 * such), but their output shapes and, for small integer tensors, values
 * carry shape inference through exported graphs (Shape -> Gather -> Concat
 * -> Reshape). */
#include <math.h>
#include <string.h>

#include "model/ops.h"
#include "model/sym_expr.h"

#define MAXV ECO_ONNX_SMALL_VALUES

static int infer_shape(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    if (!eco_has_shape(x)) {
        eco_out_unknown(c, 0, ECO_DT_INT64);
        return 0;
    }
    int r = x->rank;
    int64_t start = eco_onnx_attr_int(c->node, "start", 0), end = eco_onnx_attr_int(c->node, "end", r);
    if (start < 0) start += r;
    if (end < 0) end += r;
    if (start < 0) start = 0;
    if (end > r) end = r;
    if (start > r) start = r;
    int64_t n = end > start ? end - start : 0;
    struct eco_dim d = eco_dim_num(n);
    eco_out_rank(c, 0, ECO_DT_INT64, 1, &d);
    return eco_out_vals(c, 0, x->d + start, n);
}

static int infer_size(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    eco_out_rank(c, 0, ECO_DT_INT64, 0, NULL);
    if (!eco_shape_known(x))
        return 0;
    int64_t n = 1;
    for (int i = 0; i < x->rank; i++)
        if (__builtin_mul_overflow(n, x->d[i].v, &n))
            return eco_op_error(c, "element count overflows");
    struct eco_dim v = eco_dim_num(n);
    return eco_out_vals(c, 0, &v, 1);
}

/* Element counts of symbol-bearing shapes: known product and the symbols. */
struct sym_prod {
    int64_t known;
    int n_sym, unnamed;
    const char *sym[ECO_MAX_RANK];
};

static void sym_prod(const struct eco_dim *d, int n, struct sym_prod *p)
{
    memset(p, 0, sizeof *p);
    p->known = 1;
    for (int i = 0; i < n; i++) {
        int64_t f;
        if (eco_dim_known(d[i]))
            f = d[i].v;
        else if (d[i].sym && d[i].k > 0) {
            p->sym[p->n_sym++] = d[i].sym;
            f = d[i].k;
        } else {
            p->unnamed++;
            continue;
        }
        if (p->known && __builtin_mul_overflow(p->known, f, &p->known))
            p->known = 0; /* too large to reason about */
    }
}

/* Remove from a the symbols of b one by one; 1 when they were the same multiset. */
static int same_syms(struct sym_prod *a, struct sym_prod *b)
{
    if (a->unnamed || b->unnamed || a->n_sym != b->n_sym)
        return 0;
    int used[ECO_MAX_RANK] = {0};
    for (int i = 0; i < b->n_sym; i++) {
        int found = 0;
        for (int j = 0; j < a->n_sym && !found; j++)
            if (!used[j] && strcmp(a->sym[j], b->sym[i]) == 0)
                used[j] = found = 1;
        if (!found)
            return 0;
    }
    return 1;
}

/* ratio x the symbols of pin that pout does not use (matched by text); an
 * unknown when pout has a symbol pin lacks. */
static struct eco_dim leftover_syms(struct eco_op_ctx *c, const struct sym_prod *pin, const struct sym_prod *pout,
                                    int64_t ratio)
{
    int used[ECO_MAX_RANK] = {0};
    for (int i = 0; i < pout->n_sym; i++) {
        int found = 0;
        for (int j = 0; j < pin->n_sym && !found; j++)
            if (!used[j] && strcmp(pin->sym[j], pout->sym[i]) == 0)
                used[j] = found = 1;
        if (!found)
            return eco_dim_unknown();
    }
    struct eco_dim r = eco_dim_num(ratio);
    for (int j = 0; j < pin->n_sym; j++)
        if (!used[j])
            r = eco_sym_binop(c->arena, ECO_SYM_MUL, r, eco_dim_sym(pin->sym[j], 1));
    return r;
}

/* One target dim whose value is unknown (not -1, 0 or a number we know)
 * still follows from the element count: whatever it is (-1, 0 to copy, or
 * the size), the output holds as many elements as the input. */
static void fill_one_unknown(const struct eco_val *x, struct eco_dim *t, size_t n)
{
    int unknown = -1;
    int64_t other = 1, total = 1;
    for (size_t i = 0; i < n; i++) {
        if (!eco_dim_known(t[i])) {
            if (unknown >= 0 || t[i].sym)
                return; /* two unknowns, or a symbol: nothing to deduce */
            unknown = (int)i;
        } else if (t[i].v <= 0 || __builtin_mul_overflow(other, t[i].v, &other))
            return;
    }
    for (int i = 0; i < x->rank; i++)
        if (__builtin_mul_overflow(total, x->d[i].v, &total))
            return;
    if (unknown >= 0 && other > 0 && total % other == 0)
        t[unknown] = eco_dim_num(total / other);
}

/* Reshape, Squeeze, Unsqueeze: output 0 takes the new shape and keeps x's
 * (small, propagated) values, which a shape change leaves in the same order. */
static int out_same_values(struct eco_op_ctx *c, const struct eco_val *x, int dtype, int rank,
                           const struct eco_dim *d)
{
    eco_out_rank(c, 0, dtype, rank, d);
    if (x && x->n_vals >= 0)
        return eco_out_vals(c, 0, x->vals, x->n_vals);
    return 0;
}

static int infer_reshape(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    struct eco_dim t[ECO_MAX_RANK];
    size_t n = 0;
    if (c->opset < 5 || !eco_in(c, 1)) {
        size_t k;
        const int64_t *s = eco_onnx_attr_ints(c->node, "shape", &k);
        if (!s || k > ECO_MAX_RANK) {
            eco_out_unknown(c, 0, dtype);
            return 0;
        }
        for (size_t i = 0; i < k; i++)
            t[i] = eco_dim_num(s[i]);
        n = k;
    } else if (!eco_in_dims(c, 1, t, ECO_MAX_RANK, &n)) {
        /* target values unknown: the rank is still the target's length */
        struct eco_val *s = eco_in(c, 1);
        if (eco_has_shape(s) && s->rank == 1 && eco_dim_known(s->d[0]) && s->d[0].v <= ECO_MAX_RANK) {
            struct eco_dim d[ECO_MAX_RANK];
            for (int64_t i = 0; i < s->d[0].v; i++)
                d[i] = eco_dim_unknown();
            /* to rank 1 every valid target (N, -1, or 0 copying a dim of N) is
             * [N], N the input's element count */
            int64_t numel = 1;
            int ok = s->d[0].v == 1 && eco_shape_known(x);
            for (int i = 0; ok && i < x->rank; i++)
                ok = !__builtin_mul_overflow(numel, x->d[i].v, &numel);
            if (ok)
                d[0] = eco_dim_num(numel);
            eco_out_rank(c, 0, dtype, (int)s->d[0].v, d);
        } else
            eco_out_unknown(c, 0, dtype);
        return 0;
    }
    int allowzero = eco_onnx_attr_int(c->node, "allowzero", 0) != 0;
    int neg = -1;
    for (size_t i = 0; i < n; i++) {
        if (eco_dim_known(t[i]) && t[i].v == 0 && !allowzero) {
            if (eco_has_shape(x) && (int)i < x->rank)
                t[i] = x->d[i];
            else if (eco_has_shape(x))
                return eco_op_error(c, "target dim %zu is 0 (copy) but the input has rank %d", i, x->rank);
            else
                t[i] = eco_dim_unknown();
        } else if (eco_dim_known(t[i]) && t[i].v == -1) {
            if (neg >= 0)
                return eco_op_error(c, "more than one -1 in the target shape");
            neg = (int)i;
            t[i] = eco_dim_unknown();
        } else if (eco_dim_known(t[i]) && t[i].v < 0)
            return eco_op_error(c, "invalid target dim %lld", (long long)t[i].v);
    }
    if (neg >= 0 && eco_has_shape(x)) {
        struct sym_prod pin, pout;
        sym_prod(x->d, x->rank, &pin);
        struct eco_dim rest[ECO_MAX_RANK];
        int m = 0;
        for (size_t i = 0; i < n; i++)
            if ((int)i != neg)
                rest[m++] = t[i];
        sym_prod(rest, m, &pout);
        if (same_syms(&pin, &pout) && pout.known > 0) {
            if (pin.known % pout.known)
                return eco_op_error(c, "cannot reshape %lld elements into a multiple of %lld",
                                    (long long)pin.known, (long long)pout.known);
            t[neg] = eco_dim_num(pin.known / pout.known);
        } else if (!pin.unnamed && !pout.unnamed && pout.known > 0 && pin.known % pout.known == 0) {
            /* [k*N, a, b] -> [-1, c]: the -1 is (k*a*b/c) x N; with several symbols,
             * those of the input not in the target, multiplied */
            t[neg] = leftover_syms(c, &pin, &pout, pin.known / pout.known);
        }
    }
    if (neg < 0 && eco_shape_known(x))
        fill_one_unknown(x, t, n);
    if (eco_shape_known(x) && neg < 0) {
        struct sym_prod pin, pout;
        sym_prod(x->d, x->rank, &pin);
        sym_prod(t, (int)n, &pout);
        if (pout.n_sym == 0 && !pout.unnamed && pin.known != pout.known)
            return eco_op_error(c, "cannot reshape %lld elements into %lld", (long long)pin.known,
                                (long long)pout.known);
    }
    return out_same_values(c, x, dtype, (int)n, t);
}

static int infer_flatten(struct eco_op_ctx *c)
{
    int dtype;
    struct eco_val *x = eco_in_shaped(c, 0, &dtype);
    if (!x)
        return 0;
    int64_t axis = eco_onnx_attr_int(c->node, "axis", 1);
    if (axis < 0)
        axis += x->rank;
    if (axis < 0 || axis > x->rank)
        return eco_op_error(c, "axis out of range");
    struct eco_dim d[2];
    struct sym_prod a, b;
    sym_prod(x->d, (int)axis, &a);
    sym_prod(x->d + axis, x->rank - (int)axis, &b);
    struct sym_prod *ps[2] = {&a, &b};
    for (int i = 0; i < 2; i++) {
        struct sym_prod *p = ps[i];
        if (!p->n_sym && !p->unnamed)
            d[i] = eco_dim_num(p->known);
        else if (p->n_sym == 1 && !p->unnamed && p->known > 0)
            d[i] = eco_dim_sym(p->sym[0], p->known);
        else
            d[i] = eco_dim_unknown();
    }
    eco_out_rank(c, 0, dtype, 2, d);
    return 0;
}

static int infer_transpose(struct eco_op_ctx *c)
{
    int dtype;
    struct eco_val *x = eco_in_shaped(c, 0, &dtype);
    if (!x)
        return 0;
    size_t n;
    const int64_t *perm = eco_onnx_attr_ints(c->node, "perm", &n);
    struct eco_dim d[ECO_MAX_RANK];
    if (perm && (int)n != x->rank)
        return eco_op_error(c, "perm has %zu entries for rank %d", n, x->rank);
    int seen[ECO_MAX_RANK] = {0};
    for (int i = 0; i < x->rank; i++) {
        int64_t p = perm ? perm[i] : x->rank - 1 - i;
        if (p < 0) p += x->rank;
        if (p < 0 || p >= x->rank || seen[p])
            return eco_op_error(c, "invalid perm");
        seen[p] = 1;
        d[i] = x->d[p];
    }
    eco_out_rank(c, 0, dtype, x->rank, d);
    return 0;
}

static int infer_concat(struct eco_op_ctx *c)
{
    struct eco_val *x0 = NULL;
    for (size_t i = 0; i < c->n_in && !x0; i++)
        x0 = eco_has_shape(c->in[i]) ? c->in[i] : NULL;
    int dtype = eco_in(c, 0) ? eco_in(c, 0)->dtype : 0;
    if (!x0) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    int rank = x0->rank;
    int axis = eco_axis(eco_onnx_attr_int(c->node, "axis", 0), rank);
    if (axis < 0)
        return eco_op_error(c, "axis out of range for rank %d", rank);
    struct eco_dim d[ECO_MAX_RANK];
    memcpy(d, x0->d, sizeof(struct eco_dim) * (size_t)rank);
    int64_t total = 0;
    int total_known = 1;
    struct eco_dim sym_total = eco_dim_num(0);
    struct eco_dim vals[MAXV];
    int64_t nv = 0;
    int vals_ok = rank == 1;
    for (size_t i = 0; i < c->n_in; i++) {
        struct eco_val *x = c->in[i];
        if (!x)
            continue;
        if (!eco_has_shape(x)) { /* its length along the axis is unknown, so is the sum */
            total_known = 0;
            vals_ok = 0;
            sym_total = eco_dim_unknown();
            continue;
        }
        if (x->rank != rank)
            return eco_op_error(c, "inputs have ranks %d and %d", rank, x->rank);
        for (int k = 0; k < rank; k++)
            if (k != axis && !eco_dim_known(d[k]) && eco_dim_known(x->d[k]))
                d[k] = x->d[k];
        if (eco_dim_known(x->d[axis]))
            total += x->d[axis].v;
        else {
            total_known = 0;
            sym_total = eco_sym_binop(c->arena, ECO_SYM_ADD, sym_total, x->d[axis]);
        }
        if (vals_ok && x->n_vals >= 0 && nv + x->n_vals <= MAXV) {
            memcpy(vals + nv, x->vals, (size_t)x->n_vals * sizeof *vals);
            nv += x->n_vals;
        } else
            vals_ok = 0;
    }
    /* a symbolic total: the sum of the parts (torch.roll's halves add up to the axis) */
    d[axis] = total_known ? eco_dim_num(total) : eco_sym_binop(c->arena, ECO_SYM_ADD, sym_total, eco_dim_num(total));
    eco_out_rank(c, 0, dtype, rank, d);
    if (vals_ok)
        return eco_out_vals(c, 0, vals, nv);
    return 0;
}

/* The values of a small 1-D tensor split into parts (repeat_interleave's
 * repeats, a shape cut into pieces): each output takes its run of values. */
static void split_values(struct eco_op_ctx *c, const struct eco_val *x)
{
    if (x->rank != 1 || x->n_vals < 0 || !eco_dim_known(x->d[0]) || x->n_vals != x->d[0].v)
        return;
    int64_t at = 0;
    for (size_t i = 0; i < c->n_out; i++) {
        struct eco_val *o = c->out[i];
        if (!o || o->rank != 1 || !eco_dim_known(o->d[0]) || at + o->d[0].v > x->n_vals)
            return;
        eco_out_vals(c, i, x->vals + at, o->d[0].v);
        if (x->fvals)
            eco_out_fvals(c, i, x->fvals + at, o->d[0].v);
        at += o->d[0].v;
    }
}

static int infer_split(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    size_t nout = c->n_out;
    if (!eco_has_shape(x)) {
        for (size_t i = 0; i < nout; i++)
            eco_out_unknown(c, i, dtype);
        return 0;
    }
    int axis = eco_axis(eco_onnx_attr_int(c->node, "axis", 0), x->rank);
    if (axis < 0)
        return eco_op_error(c, "axis out of range");
    int64_t sizes[MAXV];
    size_t n = 0;
    int have = 0;
    const int64_t *s = eco_onnx_attr_ints(c->node, "split", &n);
    if (s && n <= MAXV) {
        memcpy(sizes, s, n * sizeof *s);
        have = 1;
    } else if (eco_in(c, 1)) {
        have = eco_in_ints(c, 1, sizes, MAXV, &n);
        if (!have) {
            /* sizes unknown: non-negative and summing to the axis, so an axis
             * of 0 gives parts of 0 and a single part is the whole axis */
            struct eco_dim len = x->d[axis];
            int whole = nout == 1 || (eco_dim_known(len) && len.v == 0);
            for (size_t i = 0; i < nout; i++) {
                struct eco_dim d[ECO_MAX_RANK];
                memcpy(d, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
                d[axis] = whole ? len : eco_dim_unknown();
                eco_out_rank(c, i, dtype, x->rank, d);
            }
            return 0;
        }
    }
    if (have && n != nout)
        return eco_op_error(c, "split has %zu sizes for %zu outputs", n, nout);
    struct eco_dim len = x->d[axis];
    int64_t num_outputs = eco_onnx_attr_int(c->node, "num_outputs", (int64_t)nout);
    if (num_outputs <= 0)
        return eco_op_error(c, "num_outputs must be positive");
    for (size_t i = 0; i < nout; i++) {
        struct eco_dim d[ECO_MAX_RANK];
        memcpy(d, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
        if (have)
            d[axis] = eco_dim_num(sizes[i]);
        else if (!eco_dim_known(len))
            d[axis] = eco_dim_unknown();
        else {
            /* equal parts; from opset 18 the last one may be smaller */
            int64_t part = (len.v + (int64_t)nout - 1) / (int64_t)nout;
            int64_t rest = len.v - part * (int64_t)i;
            d[axis] = eco_dim_num(rest < part ? (rest < 0 ? 0 : rest) : part);
            if (len.v % (int64_t)nout && c->opset < 18)
                d[axis] = eco_dim_unknown();
        }
        eco_out_rank(c, i, dtype, x->rank, d);
    }
    split_values(c, x);
    return 0;
}

/* A slice of a symbolic axis: x[a:] (a >= 0, step 1, end past any size) is
 * dim - a (taking dim >= a), x[-a:] is a, x[:-a] is dim - a, x[a:b] is
 * b - a (taking dim >= the bounds: exporters slice within the axis), x[s::k] is ceil((dim - s) / k); the whole axis reversed stays
 * dim; anything else is unknown. */
static struct eco_dim slice_symbolic(struct eco_op_ctx *c, struct eco_dim dim, int64_t s, int64_t e, int64_t step)
{
    if (!eco_sym_named(dim)) /* no assumption on a data-dependent size (NMS may keep fewer) */
        return eco_sym_data_dep(dim) ? dim : eco_dim_unknown();
    if (step == 1 && s >= 0 && e >= ((int64_t)1 << 31))
        return eco_sym_binop(c->arena, ECO_SYM_SUB, dim, eco_dim_num(s));
    const int64_t big = (int64_t)1 << 31;
    /* fixed bounds on the same side: x[a:b] or x[-a:-b] is b - a (taking dim >= |those|) */
    if (step == 1 && ((s >= 0 && e >= s && e < big) || (s < 0 && s > -big && e < 0 && e >= s)))
        return eco_dim_num(e - s);
    /* the last -s or all but the last -e elements (taking dim >= those: torch.roll's two halves) */
    if (step == 1 && s < 0 && s > -((int64_t)1 << 31) && e >= ((int64_t)1 << 31))
        return eco_dim_num(-s);
    if (step == 1 && s == 0 && e < 0 && e > -((int64_t)1 << 31))
        return eco_sym_binop(c->arena, ECO_SYM_ADD, dim, eco_dim_num(e));
    if (step > 1 && s >= 0 && s < step && e >= ((int64_t)1 << 31)) { /* x[s::step]: ceil((dim - s) / step) */
        struct eco_dim n = eco_sym_binop(c->arena, ECO_SYM_ADD, dim, eco_dim_num(step - 1 - s));
        return eco_sym_binop(c->arena, ECO_SYM_DIV, n, eco_dim_num(step));
    }
    if (step == -1 && (s == -1 || s >= ((int64_t)1 << 31)) && e <= -((int64_t)1 << 31))
        return dim; /* the whole axis reversed (torch.flip) */
    return eco_dim_unknown();
}

/* Slice bounds that are symbolic expressions (x[:, :H] after a padding):
 * with step 1, [0, e) is min(dim, e) and [s, end) is dim - s. 1 when the
 * bounds were read (d set, maybe with unknowns), 0 to fall back. */
static int slice_symbolic_bounds(struct eco_op_ctx *c, const struct eco_val *x, struct eco_dim *d)
{
    struct eco_dim st[ECO_MAX_RANK], en[ECO_MAX_RANK];
    int64_t axes[ECO_MAX_RANK], steps[ECO_MAX_RANK];
    size_t ns, ne, na = 0, nst = 0;
    if (!eco_in_dims(c, 1, st, ECO_MAX_RANK, &ns) || !eco_in_dims(c, 2, en, ECO_MAX_RANK, &ne) || ns != ne)
        return 0;
    if ((eco_in(c, 3) && (!eco_in_ints(c, 3, axes, ECO_MAX_RANK, &na) || na != ns)) ||
        (eco_in(c, 4) && (!eco_in_ints(c, 4, steps, ECO_MAX_RANK, &nst) || nst != ns)))
        return 0;
    for (size_t i = 0; i < ns; i++) {
        int ax = eco_axis(na ? axes[i] : (int64_t)i, x->rank);
        int64_t step = nst ? steps[i] : 1, first, len;
        if (ax < 0 || step == 0)
            return 0;
        struct eco_dim dim = x->d[ax], s = st[i], e = en[i];
        if (eco_dim_known(s) && eco_dim_known(e) && eco_dim_known(dim)) {
            eco_slice_range(dim.v, s.v, e.v, step, &first, &len);
            d[ax] = eco_dim_num(len);
        } else if (eco_dim_known(s) && eco_dim_known(e))
            d[ax] = slice_symbolic(c, dim, s.v, e.v, step);
        else if (step == 1 && eco_dim_known(s) && s.v == 0 && eco_sym_named(e))
            d[ax] = eco_sym_binop(c->arena, ECO_SYM_MIN, dim, e);
        else if (step == 1 && eco_sym_named(s) && eco_dim_known(e) && e.v >= ((int64_t)1 << 31))
            d[ax] = eco_sym_binop(c->arena, ECO_SYM_SUB, dim, s);
        else
            d[ax] = eco_dim_unknown();
    }
    return 1;
}

/* Slice and Pad change some axes of their input's shape: d starts as x's
 * dims; 0 (output 0 set unknown) when x's shape is not known. */
static int dims_of_input(struct eco_op_ctx *c, const struct eco_val *x, int dtype, struct eco_dim *d)
{
    if (!eco_has_shape(x)) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    memcpy(d, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
    return 1;
}

static int infer_slice(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    int64_t starts[ECO_MAX_RANK], ends[ECO_MAX_RANK], axes[ECO_MAX_RANK], steps[ECO_MAX_RANK];
    size_t ns = 0, ne = 0, na = 0, nst = 0;
    int known = 1;
    if (c->opset < 10) {
        const int64_t *p;
        size_t k;
        if ((p = eco_onnx_attr_ints(c->node, "starts", &k)) && k <= ECO_MAX_RANK) memcpy(starts, p, (ns = k) * 8);
        else known = 0;
        if ((p = eco_onnx_attr_ints(c->node, "ends", &k)) && k <= ECO_MAX_RANK) memcpy(ends, p, (ne = k) * 8);
        else known = 0;
        if ((p = eco_onnx_attr_ints(c->node, "axes", &k)) && k <= ECO_MAX_RANK) memcpy(axes, p, (na = k) * 8);
    } else {
        known = eco_in_ints(c, 1, starts, ECO_MAX_RANK, &ns) && eco_in_ints(c, 2, ends, ECO_MAX_RANK, &ne);
        if (eco_in(c, 3) && !eco_in_ints(c, 3, axes, ECO_MAX_RANK, &na))
            known = 0;
        if (eco_in(c, 4) && !eco_in_ints(c, 4, steps, ECO_MAX_RANK, &nst))
            known = 0;
    }
    struct eco_dim d[ECO_MAX_RANK];
    if (!dims_of_input(c, x, dtype, d))
        return 0;
    if (!known && c->opset >= 10 && slice_symbolic_bounds(c, x, d)) {
        eco_out_rank(c, 0, dtype, x->rank, d);
        return 0;
    }
    if (!known || ns != ne || (na && na != ns) || (nst && nst != ns)) {
        /* which axes change is unknown unless axes are given */
        if (known || na == ns) {
            for (size_t i = 0; i < na; i++) {
                int ax = eco_axis(axes[i], x->rank);
                if (ax >= 0)
                    d[ax] = eco_dim_unknown();
            }
            if (na)
                eco_out_rank(c, 0, dtype, x->rank, d);
            else
                eco_out_unknown_dims(c, dtype, x->rank);
        } else
            eco_out_unknown_dims(c, dtype, x->rank);
        return 0;
    }
    int64_t vstart = 0, vstep = 1, vcount = -1;
    for (size_t i = 0; i < ns; i++) {
        int ax = eco_axis(na ? axes[i] : (int64_t)i, x->rank);
        if (ax < 0)
            return eco_op_error(c, "axis out of range");
        int64_t step = nst ? steps[i] : 1;
        if (step == 0)
            return eco_op_error(c, "step 0");
        if (!eco_dim_known(x->d[ax])) {
            d[ax] = slice_symbolic(c, x->d[ax], starts[i], ends[i], step);
            continue;
        }
        int64_t s, len;
        eco_slice_range(x->d[ax].v, starts[i], ends[i], step, &s, &len);
        d[ax] = eco_dim_num(len);
        if (x->rank == 1) {
            vstart = s;
            vstep = step;
            vcount = len;
        }
    }
    eco_out_rank(c, 0, dtype, x->rank, d);
    if (x->rank == 1 && x->n_vals >= 0) {
        if (vcount < 0) { /* the one axis was not sliced */
            vcount = x->n_vals;
            vstart = 0;
            vstep = 1;
        }
        struct eco_dim v[MAXV];
        for (int64_t i = 0; i < vcount && i < MAXV; i++) {
            int64_t k = vstart + i * vstep;
            if (k < 0 || k >= x->n_vals)
                return 0;
            v[i] = x->vals[k];
        }
        return eco_out_vals(c, 0, v, vcount);
    }
    return 0;
}

static int infer_gather(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *idx = eco_in(c, 1);
    int dtype = x ? x->dtype : 0;
    if (!eco_has_shape(x) || !eco_has_shape(idx)) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    int axis = eco_axis(eco_onnx_attr_int(c->node, "axis", 0), x->rank);
    if (axis < 0)
        return eco_op_error(c, "axis out of range");
    struct eco_dim d[ECO_MAX_RANK];
    int r = 0;
    if (x->rank - 1 + idx->rank > ECO_MAX_RANK)
        return eco_op_error(c, "output rank too large");
    for (int i = 0; i < axis; i++)
        d[r++] = x->d[i];
    for (int i = 0; i < idx->rank; i++)
        d[r++] = idx->d[i];
    for (int i = axis + 1; i < x->rank; i++)
        d[r++] = x->d[i];
    eco_out_rank(c, 0, dtype, r, d);
    /* values: gathering from a 1-D propagated tensor (Shape -> Gather) */
    if (x->rank == 1 && x->n_vals >= 0 && idx->n_vals >= 0 && idx->n_vals <= MAXV) {
        struct eco_dim v[MAXV];
        for (int64_t i = 0; i < idx->n_vals; i++) {
            if (!eco_dim_known(idx->vals[i]))
                return 0;
            int64_t k = idx->vals[i].v;
            if (k < 0)
                k += x->n_vals;
            if (k < 0 || k >= x->n_vals)
                return eco_op_error(c, "index %lld out of range", (long long)idx->vals[i].v);
            v[i] = x->vals[k];
        }
        return eco_out_vals(c, 0, v, idx->n_vals);
    }
    return 0;
}

static int infer_gather_elements(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *idx = eco_in(c, 1);
    eco_out_like(c, 0, idx);
    eco_out_dtype(c, 0, x ? x->dtype : 0);
    return 0;
}

static int infer_gather_nd(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *idx = eco_in(c, 1);
    int dtype = x ? x->dtype : 0;
    int64_t b = eco_onnx_attr_int(c->node, "batch_dims", 0);
    if (!eco_has_shape(x) || !eco_has_shape(idx) || idx->rank < 1 || !eco_dim_known(idx->d[idx->rank - 1])) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    int64_t last = idx->d[idx->rank - 1].v;
    if (b < 0 || last < 1 || b + last > x->rank)
        return eco_op_error(c, "invalid indices shape");
    struct eco_dim d[ECO_MAX_RANK];
    int r = 0;
    for (int i = 0; i < idx->rank - 1; i++)
        d[r++] = idx->d[i];
    for (int64_t i = b + last; i < x->rank; i++) {
        if (r >= ECO_MAX_RANK)
            return eco_op_error(c, "output rank too large");
        d[r++] = x->d[i];
    }
    eco_out_rank(c, 0, dtype, r, d);
    return 0;
}

static int get_axes(struct eco_op_ctx *c, int64_t *axes, size_t *n)
{
    size_t k;
    const int64_t *a = eco_onnx_attr_ints(c->node, "axes", &k);
    if (a && k <= ECO_MAX_RANK) {
        memcpy(axes, a, k * sizeof *a);
        *n = k;
        return 1;
    }
    if (eco_in(c, 1))
        return eco_in_ints(c, 1, axes, ECO_MAX_RANK, n) ? 1 : -1;
    *n = 0;
    return 0; /* absent */
}

/* Squeeze's axes fed at run time, but their count k known: every listed
 * axis must have size 1 and repeating one is an error (numpy.squeeze, the
 * reference implementation), so when the input's shape is known and has
 * exactly k dims of 1, those are the ones removed. 1 when the output was set. */
static int squeeze_count_only(struct eco_op_ctx *c, const struct eco_val *x)
{
    struct eco_val *a = eco_in(c, 1);
    if (!eco_has_shape(a) || a->rank != 1 || !eco_dim_known(a->d[0]) || !eco_shape_known(x))
        return 0;
    struct eco_dim d[ECO_MAX_RANK];
    int r = 0;
    for (int i = 0; i < x->rank; i++)
        if (x->d[i].v != 1)
            d[r++] = x->d[i];
    if (x->rank - r != a->d[0].v || a->d[0].v == 0) /* (empty axes: a reading differs by runtime) */
        return 0;
    eco_out_rank(c, 0, x->dtype, r, d);
    return 1;
}

/* Input 0, its dtype and the axes of a Squeeze/Unsqueeze (*rc as get_axes). */
static struct eco_val *axes_op_start(struct eco_op_ctx *c, int64_t *axes, size_t *n, int *rc, int *dtype)
{
    struct eco_val *x = eco_in(c, 0);
    *dtype = x ? x->dtype : 0;
    *rc = get_axes(c, axes, n);
    return x;
}

static int infer_squeeze(struct eco_op_ctx *c)
{
    int64_t axes[ECO_MAX_RANK];
    size_t n;
    int rc, dtype;
    struct eco_val *x = axes_op_start(c, axes, &n, &rc, &dtype);
    if (eco_has_shape(x) && rc < 0 && squeeze_count_only(c, x))
        return 0;
    if (!eco_has_shape(x) || rc < 0) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    if (rc == 1 && n == 0 && eco_in(c, 1)) {
        /* an empty axes input: ONNX's shape inference squeezes nothing,
         * onnxruntime every dim of 1; answer only where both agree */
        for (int i = 0; i < x->rank; i++)
            if (!eco_dim_known(x->d[i]) || x->d[i].v == 1) {
                eco_out_unknown(c, 0, dtype);
                return 0;
            }
    }
    int drop[ECO_MAX_RANK] = {0};
    if (rc == 0) { /* all dims of size 1 */
        for (int i = 0; i < x->rank; i++) {
            if (!eco_dim_known(x->d[i])) {
                eco_out_unknown(c, 0, dtype);
                return 0;
            }
            drop[i] = x->d[i].v == 1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        int ax = eco_axis(axes[i], x->rank);
        if (ax < 0)
            return eco_op_error(c, "axis out of range");
        if (eco_dim_known(x->d[ax]) && x->d[ax].v != 1)
            return eco_op_error(c, "cannot squeeze axis %d of size %lld", ax, (long long)x->d[ax].v);
        drop[ax] = 1;
    }
    struct eco_dim d[ECO_MAX_RANK];
    int r = 0;
    for (int i = 0; i < x->rank; i++)
        if (!drop[i])
            d[r++] = x->d[i];
    return out_same_values(c, x, dtype, r, d);
}

static int infer_unsqueeze(struct eco_op_ctx *c)
{
    int64_t axes[ECO_MAX_RANK];
    size_t n;
    int rc, dtype;
    struct eco_val *x = axes_op_start(c, axes, &n, &rc, &dtype);
    if (!eco_has_shape(x) || rc <= 0) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    int r = x->rank + (int)n;
    if (r > ECO_MAX_RANK)
        return eco_op_error(c, "output rank too large");
    int ins[ECO_MAX_RANK] = {0};
    for (size_t i = 0; i < n; i++) {
        int ax = eco_axis(axes[i], r);
        if (ax < 0 || ins[ax])
            return eco_op_error(c, "invalid axes");
        ins[ax] = 1;
    }
    struct eco_dim d[ECO_MAX_RANK];
    int k = 0;
    for (int i = 0; i < r; i++)
        d[i] = ins[i] ? eco_dim_num(1) : x->d[k++];
    return out_same_values(c, x, dtype, r, d);
}

static int infer_expand(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    struct eco_dim s[ECO_MAX_RANK];
    size_t n;
    if (!eco_in_dims(c, 1, s, ECO_MAX_RANK, &n)) {
        /* values unknown: the rank is still max(rank of x, length of shape) */
        struct eco_val *sv = eco_in(c, 1);
        if (eco_has_shape(x) && eco_has_shape(sv) && sv->rank == 1 && eco_dim_known(sv->d[0]) &&
            sv->d[0].v <= ECO_MAX_RANK) {
            eco_out_unknown_dims(c, dtype, x->rank > (int)sv->d[0].v ? x->rank : (int)sv->d[0].v);
        } else
            eco_out_unknown(c, 0, dtype);
        return 0;
    }
    struct eco_val shp = {0};
    shp.rank = (int)n;
    memcpy(shp.d, s, n * sizeof *s);
    struct eco_val *vs[2] = {x, &shp};
    int r;
    struct eco_dim d[ECO_MAX_RANK];
    int rc = eco_broadcast(c, vs, 2, &r, d);
    if (rc < 0)
        return eco_op_error(c, "shape cannot be broadcast");
    if (rc > 0)
        eco_out_unknown(c, 0, dtype);
    else
        eco_out_rank(c, 0, dtype, r, d);
    return 0;
}

static int infer_tile(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    int64_t rep[ECO_MAX_RANK];
    size_t n;
    if (!eco_has_shape(x) || !eco_in_ints(c, 1, rep, ECO_MAX_RANK, &n) || (int)n != x->rank) {
        eco_out_unknown_dims(c, dtype, eco_has_shape(x) ? x->rank : -1);
        return 0;
    }
    struct eco_dim d[ECO_MAX_RANK];
    for (int i = 0; i < x->rank; i++) {
        if (rep[i] < 0)
            return eco_op_error(c, "negative repeat");
        if (!eco_dim_known(x->d[i]))
            d[i] = rep[i] == 1 ? x->d[i] : eco_dim_unknown();
        else if (__builtin_mul_overflow(x->d[i].v, rep[i], &d[i].v))
            return eco_op_error(c, "dimension overflows");
        else
            d[i].sym = NULL;
    }
    eco_out_rank(c, 0, dtype, x->rank, d);
    return 0;
}

static int infer_pad(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    struct eco_dim pads[2 * ECO_MAX_RANK];
    int64_t axes[ECO_MAX_RANK];
    size_t n = 0, na = 0;
    int known;
    if (c->opset < 11) {
        const int64_t *p = eco_onnx_attr_ints(c->node, "pads", &n);
        if (!p)
            p = eco_onnx_attr_ints(c->node, "paddings", &n);
        known = p && n <= 2 * ECO_MAX_RANK;
        for (size_t i = 0; known && i < n; i++)
            pads[i] = eco_dim_num(p[i]);
    } else /* amounts computed in the graph may be symbolic expressions */
        known = eco_in_dims(c, 1, pads, 2 * ECO_MAX_RANK, &n);
    if (known && eco_in(c, 3) && !eco_in_ints(c, 3, axes, ECO_MAX_RANK, &na))
        known = 0;
    struct eco_dim d[ECO_MAX_RANK];
    if (!dims_of_input(c, x, dtype, d))
        return 0;
    if (!known) {
        eco_out_unknown_dims(c, dtype, x->rank);
        return 0;
    }
    size_t k = na ? na : (size_t)x->rank;
    if (n != 2 * k)
        return eco_op_error(c, "pads has %zu values for %zu axes", n, k);
    for (size_t i = 0; i < k; i++) {
        int ax = na ? eco_axis(axes[i], x->rank) : (int)i;
        if (ax < 0)
            return eco_op_error(c, "axis out of range");
        d[ax] = eco_sym_binop(c->arena, ECO_SYM_ADD, d[ax], pads[i]);
        d[ax] = eco_sym_binop(c->arena, ECO_SYM_ADD, d[ax], pads[k + i]);
        if (eco_dim_known(d[ax]) && d[ax].v < 0)
            return eco_op_error(c, "negative output size");
    }
    eco_out_rank(c, 0, dtype, x->rank, d);
    return 0;
}

static int infer_constant_of_shape(struct eco_op_ctx *c)
{
    struct eco_dim s[ECO_MAX_RANK];
    size_t n;
    const struct eco_onnx_attr *v = eco_onnx_attr(c->node, "value");
    int dtype = v && v->t ? v->t->dtype : ECO_DT_FLOAT;
    if (!eco_in_dims(c, 0, s, ECO_MAX_RANK, &n)) {
        struct eco_val *in = eco_in(c, 0);
        if (eco_has_shape(in) && in->rank == 1 && eco_dim_known(in->d[0]) && in->d[0].v <= ECO_MAX_RANK) {
            for (int64_t i = 0; i < in->d[0].v; i++)
                s[i] = eco_dim_unknown();
            eco_out_rank(c, 0, dtype, (int)in->d[0].v, s);
        } else
            eco_out_unknown(c, 0, dtype);
        return 0;
    }
    int64_t total = 1;
    for (size_t i = 0; i < n; i++) {
        if (eco_dim_known(s[i]) && s[i].v < 0)
            return eco_op_error(c, "negative dimension");
        if (eco_dim_known(s[i]) && total >= 0 && __builtin_mul_overflow(total, s[i].v, &total))
            return eco_op_error(c, "dimensions overflow");
        if (!eco_dim_known(s[i]))
            total = -1;
    }
    eco_out_rank(c, 0, dtype, (int)n, s);
    /* the values (the fill value repeated) for small integer results */
    if (total >= 0 && total <= MAXV && dtype != ECO_DT_FLOAT && dtype != ECO_DT_DOUBLE) {
        int64_t fill = v && v->t && v->t->n_vals > 0 ? v->t->ivals[0] : 0;
        struct eco_dim vals[MAXV];
        for (int64_t i = 0; i < total; i++)
            vals[i] = eco_dim_num(fill);
        return eco_out_vals(c, 0, vals, total);
    }
    return 0;
}

static int infer_range(struct eco_op_ctx *c)
{
    struct eco_val *s = eco_in(c, 0);
    int dtype = s ? s->dtype : 0;
    double a[1], b[1], d[1];
    size_t n;
    if (eco_in_floats(c, 0, a, 1, &n) && n == 1 && eco_in_floats(c, 1, b, 1, &n) && n == 1 &&
        eco_in_floats(c, 2, d, 1, &n) && n == 1 && d[0] != 0) {
        double len = ceil((b[0] - a[0]) / d[0]);
        if (len < 0)
            len = 0;
        if (!(len <= 1e15))
            return eco_op_error(c, "absurd range length");
        struct eco_dim dim = eco_dim_num((int64_t)len);
        eco_out_rank(c, 0, dtype, 1, &dim);
        if (len <= MAXV && dtype != ECO_DT_FLOAT && dtype != ECO_DT_DOUBLE) {
            struct eco_dim v[MAXV];
            for (int64_t i = 0; i < (int64_t)len; i++)
                v[i] = eco_dim_num(eco_f2i(a[0] + (double)i * d[0]));
            return eco_out_vals(c, 0, v, (int64_t)len);
        }
        return 0;
    }
    /* a symbolic limit (Range(0, seq) keeps seq): ceil((limit - start) / delta) */
    struct eco_dim st, lim, del;
    size_t k;
    struct eco_dim dim = eco_dim_unknown();
    if (eco_in_dims(c, 0, &st, 1, &n) && n == 1 && eco_in_dims(c, 1, &lim, 1, &k) && k == 1 &&
        eco_in_dims(c, 2, &del, 1, &k) && k == 1 && eco_dim_known(del) && del.v > 0 &&
        dtype != ECO_DT_FLOAT && dtype != ECO_DT_DOUBLE) {
        dim = eco_sym_binop(c->arena, ECO_SYM_SUB, lim, st);
        dim = eco_sym_binop(c->arena, ECO_SYM_ADD, dim, eco_dim_num(del.v - 1));
        dim = eco_sym_binop(c->arena, ECO_SYM_DIV, dim, del);
    }
    eco_out_rank(c, 0, dtype, 1, &dim);
    return 0;
}

static int infer_dropout(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    eco_out_like(c, 0, x);
    eco_out_like(c, 1, x);
    eco_out_dtype(c, 1, c->opset >= 10 ? ECO_DT_BOOL : (x ? x->dtype : 0));
    return 0;
}

static int infer_depth_space(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    int64_t b = eco_onnx_attr_int(c->node, "blocksize", 0);
    if (!eco_has_shape(x) || x->rank != 4 || b <= 0 || b > (1 << 20)) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    int to_space = strcmp(c->node->op_type, "DepthToSpace") == 0;
    struct eco_dim d[4] = {x->d[0], x->d[1], x->d[2], x->d[3]};
    if (eco_dim_known(d[1]))
        d[1].v = to_space ? d[1].v / (b * b) : d[1].v * b * b;
    for (int i = 2; i < 4; i++)
        if (eco_dim_known(d[i]))
            d[i].v = to_space ? d[i].v * b : d[i].v / b;
    eco_out_rank(c, 0, dtype, 4, d);
    return 0;
}

static int infer_same(struct eco_op_ctx *c)
{
    eco_out_like(c, 0, eco_in(c, 0));
    return 0;
}

static int infer_onehot(struct eco_op_ctx *c)
{
    struct eco_val *idx = eco_in(c, 0), *vals = eco_in(c, 2);
    int dtype = vals ? vals->dtype : 0;
    int64_t depth[1];
    size_t n;
    if (!eco_has_shape(idx) || idx->rank + 1 > ECO_MAX_RANK) {
        eco_out_unknown(c, 0, dtype);
        return 0;
    }
    double fd[1];
    struct eco_dim dd = eco_dim_unknown();
    if (eco_in_ints(c, 1, depth, 1, &n) && n == 1)
        dd = eco_dim_num(depth[0]);
    else if (eco_in_floats(c, 1, fd, 1, &n) && n == 1)
        dd = eco_dim_num(eco_f2i(fd[0]));
    int r = idx->rank + 1;
    int axis = eco_axis(eco_onnx_attr_int(c->node, "axis", -1), r);
    if (axis < 0)
        return eco_op_error(c, "axis out of range");
    struct eco_dim d[ECO_MAX_RANK];
    int k = 0;
    for (int i = 0; i < r; i++)
        d[i] = i == axis ? dd : idx->d[k++];
    eco_out_rank(c, 0, dtype, r, d);
    return 0;
}

static int infer_eyelike(struct eco_op_ctx *c)
{
    infer_same(c);
    int64_t dt = eco_onnx_attr_int(c->node, "dtype", 0);
    if (dt)
        eco_out_dtype(c, 0, (int)dt);
    return 0;
}

/* Outputs whose size depends on the data: rank known, dims not. */
/* Output 0 is x with axis ax's length replaced by n (Compress and Unique
 * along an axis keep every other dimension); -1 after an error for an axis
 * out of range. */
static int out_with_axis(struct eco_op_ctx *c, const struct eco_val *x, int64_t ax, struct eco_dim n)
{
    int a = eco_axis(ax, x->rank);
    if (a < 0)
        return eco_op_error(c, "axis out of range");
    struct eco_dim o[ECO_MAX_RANK];
    memcpy(o, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
    o[a] = n;
    eco_out_rank(c, 0, x->dtype, x->rank, o);
    return 0;
}

static int infer_data_dep(struct eco_op_ctx *c)
{
    const char *op = c->node->op_type;
    struct eco_val *x = eco_in(c, 0);
    if (eco_data_known_sizes(c))
        return 0;
    struct eco_dim d[ECO_MAX_RANK];
    for (int i = 0; i < ECO_MAX_RANK; i++)
        d[i] = eco_dim_sym("data-dependent", 0);
    if (strcmp(op, "NonZero") == 0) {
        if (eco_has_shape(x)) {
            d[0] = eco_dim_num(x->rank);
            eco_out_rank(c, 0, ECO_DT_INT64, 2, d);
        } else
            eco_out_unknown(c, 0, ECO_DT_INT64);
    } else if (strcmp(op, "Compress") == 0) {
        int64_t ax = eco_onnx_attr_int(c->node, "axis", INT64_MIN);
        if (!eco_has_shape(x))
            eco_out_unknown(c, 0, x ? x->dtype : 0);
        else if (ax == INT64_MIN)
            eco_out_rank(c, 0, x->dtype, 1, d);
        else if (out_with_axis(c, x, ax, d[0]) != 0)
            return -1;
    } else if (strcmp(op, "Unique") == 0) {
        int64_t ax = eco_onnx_attr_int(c->node, "axis", INT64_MIN);
        if (!eco_has_shape(x) || ax == INT64_MIN)
            eco_out_rank(c, 0, x ? x->dtype : 0, 1, d);
        else if (out_with_axis(c, x, ax, d[0]) != 0)
            return -1;
        for (size_t i = 1; i < c->n_out; i++)
            eco_out_rank(c, i, ECO_DT_INT64, 1, d);
    } else if (strcmp(op, "NonMaxSuppression") == 0) {
        d[1] = eco_dim_num(3);
        eco_out_rank(c, 0, ECO_DT_INT64, 2, d);
    }
    for (size_t i = 0; i < c->n_out; i++)
        if (c->out[i])
            c->out[i]->data_dep = 1;
    return 0;
}

static int infer_topk(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    int dtype = x ? x->dtype : 0;
    if (!eco_has_shape(x)) {
        eco_out_unknown(c, 0, dtype);
        eco_out_unknown(c, 1, ECO_DT_INT64);
        return 0;
    }
    int axis = eco_axis(eco_onnx_attr_int(c->node, "axis", -1), x->rank);
    if (axis < 0)
        return eco_op_error(c, "axis out of range");
    int64_t k[1];
    size_t n;
    struct eco_dim d[ECO_MAX_RANK];
    memcpy(d, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
    if (c->opset < 10)
        d[axis] = eco_dim_num(eco_onnx_attr_int(c->node, "k", 0));
    else if (eco_in_ints(c, 1, k, 1, &n) && n == 1)
        d[axis] = eco_dim_num(k[0]);
    else {
        d[axis] = eco_dim_sym("data-dependent", 0);
        for (size_t i = 0; i < c->n_out; i++)
            if (c->out[i])
                c->out[i]->data_dep = 1;
    }
    eco_out_rank(c, 0, dtype, x->rank, d);
    eco_out_rank(c, 1, ECO_DT_INT64, x->rank, d);
    return 0;
}

static int cost_topk(struct eco_op_ctx *c)
{
    return eco_cost_per_input_elem(c, 0, 1); /* one comparison per input element (selection) */
}

static int infer_trilu(struct eco_op_ctx *c) { return infer_same(c); }

/* Scatter*: output like data. */
static int infer_scatter(struct eco_op_ctx *c) { return infer_same(c); }

const struct eco_op eco_ops_shape[] = {
    {"Shape", "", infer_shape, NULL, 0},
    {"Size", "", infer_size, NULL, 0},
    {"Reshape", "", infer_reshape, NULL, 0},
    {"Flatten", "", infer_flatten, NULL, 0},
    {"Transpose", "", infer_transpose, NULL, 0},
    {"Concat", "", infer_concat, NULL, 0},
    {"Split", "", infer_split, NULL, 0},
    {"Slice", "", infer_slice, NULL, 0},
    {"Gather", "", infer_gather, NULL, 0},
    {"GatherElements", "", infer_gather_elements, NULL, 0},
    {"GatherND", "", infer_gather_nd, NULL, 0},
    {"Squeeze", "", infer_squeeze, NULL, 0},
    {"Unsqueeze", "", infer_unsqueeze, NULL, 0},
    {"Expand", "", infer_expand, NULL, 0},
    {"Tile", "", infer_tile, NULL, 0},
    {"Pad", "", infer_pad, NULL, 0},
    {"ConstantOfShape", "", infer_constant_of_shape, NULL, 0},
    {"Range", "", infer_range, NULL, 0},
    {"Dropout", "", infer_dropout, NULL, 0},
    {"DepthToSpace", "", infer_depth_space, NULL, 0},
    {"SpaceToDepth", "", infer_depth_space, NULL, 0},
    {"OneHot", "", infer_onehot, NULL, 0},
    {"EyeLike", "", infer_eyelike, NULL, 0},
    {"Trilu", "", infer_trilu, NULL, 0},
    {"ScatterElements", "", infer_scatter, NULL, 0},
    {"ScatterND", "", infer_scatter, NULL, 0},
    {"Scatter", "", infer_scatter, NULL, 0},
    {"ReverseSequence", "", infer_same, NULL, 0},
    {"NonZero", "", infer_data_dep, NULL, 0},
    {"Compress", "", infer_data_dep, NULL, 0},
    {"Unique", "", infer_data_dep, NULL, 0},
    {"NonMaxSuppression", "", infer_data_dep, NULL, 0},
    {"TopK", "", infer_topk, cost_topk, 0},
    {NULL, NULL, NULL, NULL, 0},
};
