/* Value propagation (value_eval.h): elementwise arithmetic with numpy
 * broadcasting, and the data-movement operators as index maps, over tensors
 * of any rank whose shape is known and whose element count is small. An
 * element is a number (int64, or a double for float tensors) or a symbolic
 * expression (sym_expr.h); arithmetic on symbols builds expressions. */
#include "model/value_eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/sym_expr.h"

/* A tensor with values, as the evaluator reads it. */
struct tv {
    int rank;
    int64_t dims[ECO_MAX_RANK];
    int64_t n;
    const struct eco_dim *v;
    const double *f; /* float tensors: the numbers as doubles */
};

static int64_t numel_of(int rank, const int64_t *dims)
{
    int64_t n = 1;
    for (int i = 0; i < rank; i++)
        if (dims[i] < 0 || __builtin_mul_overflow(n, dims[i], &n))
            return -1;
    return n;
}

/* The shape of v when every dim is a number; the element count or -1. */
static int64_t shape_of(const struct eco_val *v, int *rank, int64_t *dims)
{
    if (!v || v->rank < 0 || v->is_seq || v->non_tensor)
        return -1;
    for (int i = 0; i < v->rank; i++) {
        if (!eco_dim_known(v->d[i]))
            return -1;
        dims[i] = v->d[i].v;
    }
    *rank = v->rank;
    return numel_of(v->rank, dims);
}

static int get_tv(struct eco_op_ctx *c, size_t i, struct tv *t)
{
    struct eco_val *v = eco_in(c, i);
    if (!v || v->n_vals < 0)
        return 0;
    int64_t n = shape_of(v, &t->rank, t->dims);
    if (n != v->n_vals || (eco_dt_is_float(v->dtype) && !v->fvals))
        return 0; /* a float tensor whose exact values were not kept (float16...) */
    t->n = n;
    t->v = v->vals;
    t->f = v->fvals;
    return 1;
}

/* Like get_tv, but an input whose values are unknown and whose shape is
 * known and small reads as unknown elements (Concat of a known batch and an
 * unknown length still knows the batch). */
static int get_tv_or_unknown(struct eco_op_ctx *c, size_t i, struct tv *t)
{
    if (get_tv(c, i, t))
        return 1;
    struct eco_val *v = eco_in(c, i);
    int64_t n = shape_of(v, &t->rank, t->dims);
    if (n < 0 || n > ECO_MAX_RANK)
        return 0;
    struct eco_dim *u = eco_arena_array(c->arena, (size_t)(n ? n : 1), sizeof *u);
    if (!u)
        return 0;
    for (int64_t k = 0; k < n; k++)
        u[k] = v->data_dep ? eco_dim_sym("data-dependent", 0) : eco_dim_unknown();
    t->n = n;
    t->v = u;
    t->f = NULL;
    return 1;
}

/* Charge n element steps to the model's budget; 0 when over (values stop). */
static int charge(struct eco_op_ctx *c, int64_t n)
{
    struct eco_onnx_costs *r = c->rep;
    if (r->value_steps > ECO_VALUE_MAX_STEPS)
        return 0;
    r->value_steps += n + 1;
    if (r->value_steps > ECO_VALUE_MAX_STEPS) {
        eco_onnx_costs_note(r, "value propagation stopped at node '%s' after %d element operations "
                        "(the bound against hostile models); later shapes that depend on values "
                        "are unknown", c->node_name, ECO_VALUE_MAX_STEPS);
        return 0;
    }
    return 1;
}

/* Output 0's shape when known and small enough to hold values; -1 otherwise. */
static int64_t out_shape(struct eco_op_ctx *c, int *rank, int64_t *dims)
{
    if (c->n_out < 1 || !c->out[0])
        return -1;
    int64_t n = shape_of(c->out[0], rank, dims);
    if (n > ECO_VALUE_MAX_ELEMS) {
        int dt = c->out[0]->dtype;
        c->out[0]->vals_dropped = !eco_dt_is_float(dt) && dt != ECO_DT_BOOL;
        return -1;
    }
    return n;
}

/* Allocate output 0's values (and doubles for a float output). */
static int alloc_out(struct eco_op_ctx *c, int64_t n, struct eco_dim **v, double **f)
{
    struct eco_val *o = c->out[0];
    *v = eco_arena_array(c->arena, (size_t)(n ? n : 1), sizeof **v);
    *f = eco_dt_is_float(o->dtype) ? eco_arena_array(c->arena, (size_t)(n ? n : 1), sizeof **f) : NULL;
    if (!*v || (eco_dt_is_float(o->dtype) && !*f))
        return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
    o->vals = *v;
    o->fvals = *f;
    o->n_vals = n;
    return 0;
}

/* ---- elements ---- */

struct el {
    struct eco_dim d; /* a number (d.v) or an expression */
    double f;         /* the number as a double (exact for floats) */
};

static struct el el_at(const struct tv *t, int64_t i)
{
    struct el e = {t->v[i], 0};
    if (eco_dim_known(e.d))
        e.f = t->f ? t->f[i] : (double)e.d.v;
    return e;
}

static void el_put(struct eco_dim *v, double *f, int64_t i, struct el e)
{
    v[i] = e.d;
    if (f)
        f[i] = eco_dim_known(e.d) ? e.f : NAN;
}

static struct el el_num(double x, int as_float)
{
    struct el e;
    e.f = as_float ? x : trunc(x);
    e.d = eco_dim_num(eco_f2i(e.f));
    return e;
}

static struct el el_int(int64_t x)
{
    struct el e = {eco_dim_num(x), (double)x};
    return e;
}

static struct el el_sym(struct eco_dim d)
{
    struct el e = {d, 0};
    if (eco_dim_known(d))
        e.f = (double)d.v;
    return e;
}

enum op { ADD, SUB, MUL, DIV, MOD, POW, MAX, MIN, EQ, LT, GT, LE, GE, AND, OR, XOR, WHERE,
          NEG, ABS, FLOOR, CEIL, ROUND, SQRT, NOT, RECIP, RELU, CAST, IDENT };

static const struct { const char *name; enum op op; } OPS[] = {
    {"Add", ADD}, {"Sub", SUB}, {"Mul", MUL}, {"Div", DIV}, {"Mod", MOD}, {"Pow", POW},
    {"Max", MAX}, {"Min", MIN}, {"Equal", EQ}, {"Less", LT}, {"Greater", GT},
    {"LessOrEqual", LE}, {"GreaterOrEqual", GE}, {"And", AND}, {"Or", OR}, {"Xor", XOR},
    {"Where", WHERE}, {"Neg", NEG}, {"Abs", ABS}, {"Floor", FLOOR}, {"Ceil", CEIL},
    {"Round", ROUND}, {"Sqrt", SQRT}, {"Not", NOT}, {"Reciprocal", RECIP}, {"Cast", CAST},
    {"CastLike", CAST}, {"Identity", IDENT}, {"Relu", RELU},
};

static int is_cmp(enum op op) { return op >= EQ && op <= GE; }

static struct el truth(int b) { return el_int(b ? 1 : 0); }

/* a op b when both are numbers; fl: float arithmetic. */
static struct el bin_num(enum op op, struct el a, struct el b, int fl, int fmod_attr)
{
    double x = a.f, y = b.f;
    if (is_cmp(op)) {
        int c = fl ? (x < y ? -1 : x > y) : (a.d.v < b.d.v ? -1 : a.d.v > b.d.v);
        return truth(op == EQ ? c == 0 : op == LT ? c < 0 : op == GT ? c > 0 : op == LE ? c <= 0 : c >= 0);
    }
    if (op == AND || op == OR || op == XOR) {
        int p = x != 0, q = y != 0;
        return truth(op == AND ? p && q : op == OR ? p || q : p != q);
    }
    if (fl) {
        switch (op) {
        case ADD: return el_num(x + y, 1);
        case SUB: return el_num(x - y, 1);
        case MUL: return el_num(x * y, 1);
        case DIV: return el_num(x / y, 1);
        case MOD: return el_num(fmod_attr ? fmod(x, y) : x - y * floor(x / y), 1);
        case POW: return el_num(pow(x, y), 1);
        case MAX: return el_num(x > y ? x : y, 1);
        default: return el_num(x < y ? x : y, 1);
        }
    }
    int64_t p = a.d.v, q = b.d.v, z;
    switch (op) {
    case ADD: if (__builtin_add_overflow(p, q, &z)) goto unknown; break;
    case SUB: if (__builtin_sub_overflow(p, q, &z)) goto unknown; break;
    case MUL: if (__builtin_mul_overflow(p, q, &z)) goto unknown; break;
    case MAX: z = p > q ? p : q; break;
    case MIN: z = p < q ? p : q; break;
    case POW: {
        double r = pow(x, y);
        if (!(fabs(r) < 9e18))
            goto unknown;
        z = (int64_t)r;
        break;
    }
    default:
        if (q == 0 || (p == INT64_MIN && q == -1))
            goto unknown;
        if (op == DIV) {
            z = p / q; /* integer Div truncates toward zero (C, ONNX Runtime) */
        } else {
            z = p % q; /* Mod: the sign of the divisor unless fmod = 1 */
            if (!fmod_attr && z != 0 && (z < 0) != (q < 0))
                z += q;
        }
        break;
    }
    return el_int(z);
unknown:
    return el_sym(eco_dim_unknown());
}

static struct el bin(struct eco_op_ctx *c, enum op op, struct el a, struct el b, int fl, int fmod_attr)
{
    if (eco_dim_known(a.d) && eco_dim_known(b.d))
        return bin_num(op, a, b, fl, fmod_attr);
    if (is_cmp(op)) {
        int k = eco_sym_cmp(a.d, b.d);
        if (k == 2)
            return el_sym(eco_dim_unknown());
        return truth(op == EQ ? k == 0 : op == LT ? k < 0 : op == GT ? k > 0 : op == LE ? k <= 0 : k >= 0);
    }
    enum eco_sym_op so;
    switch (op) {
    case ADD: so = ECO_SYM_ADD; break;
    case SUB: so = ECO_SYM_SUB; break;
    case MUL: so = ECO_SYM_MUL; break;
    case DIV: so = fl ? ECO_SYM_FDIV : ECO_SYM_DIV; break;
    case MOD: so = ECO_SYM_MOD; break;
    case POW: so = ECO_SYM_POW; break;
    case MAX: so = ECO_SYM_MAX; break;
    case MIN: so = ECO_SYM_MIN; break;
    default: return el_sym(eco_dim_unknown());
    }
    return el_sym(eco_sym_binop(c->arena, so, a.d, b.d));
}

static struct el un(struct eco_op_ctx *c, enum op op, struct el a, int fl_in, int to_dtype)
{
    if (!eco_dim_known(a.d)) {
        switch (op) {
        case NEG: return el_sym(eco_sym_unop(c->arena, ECO_SYM_NEG, a.d));
        case ABS: return el_sym(eco_sym_unop(c->arena, ECO_SYM_ABS, a.d));
        case FLOOR: return el_sym(eco_sym_unop(c->arena, ECO_SYM_FLOOR, a.d));
        case CEIL: return el_sym(eco_sym_unop(c->arena, ECO_SYM_CEIL, a.d));
        case ROUND: return el_sym(eco_sym_unop(c->arena, ECO_SYM_ROUND, a.d));
        case SQRT: return el_sym(eco_sym_unop(c->arena, ECO_SYM_SQRT, a.d));
        case RECIP: return el_sym(eco_sym_binop(c->arena, ECO_SYM_FDIV, eco_dim_num(1), a.d));
        case CAST: /* float -> int truncates: a real expression is floored (dims are >= 0) */
            if (fl_in && !eco_dt_is_float(to_dtype))
                return el_sym(eco_sym_unop(c->arena, ECO_SYM_FLOOR, a.d));
            return a;
        case IDENT: return a;
        default: return el_sym(eco_dim_unknown());
        }
    }
    double x = a.f;
    switch (op) {
    case NEG: return fl_in ? el_num(-x, 1) : a.d.v == INT64_MIN ? a : el_int(-a.d.v);
    case ABS: return fl_in ? el_num(fabs(x), 1) : a.d.v == INT64_MIN ? a : el_int(a.d.v < 0 ? -a.d.v : a.d.v);
    case FLOOR: return fl_in ? el_num(floor(x), 1) : a;
    case CEIL: return fl_in ? el_num(ceil(x), 1) : a;
    case ROUND: return fl_in ? el_num(nearbyint(x), 1) : a; /* half to even, as ONNX */
    case SQRT: return el_num(sqrt(x), fl_in);
    case RECIP: return el_num(1 / x, fl_in);
    case RELU: return fl_in ? el_num(x < 0 ? 0 : x, 1) : a.d.v < 0 ? el_int(0) : a; /* (NaN stays NaN) */
    case NOT: return truth(x == 0);
    case CAST:
        if (to_dtype == ECO_DT_BOOL)
            return truth(x != 0);
        return eco_dt_is_float(to_dtype) ? el_num(x, 1) : fl_in ? el_num(x, 0) : a;
    default: return a;
    }
}

/* ---- index arithmetic ---- */

static void unravel(int64_t i, int rank, const int64_t *dims, int64_t *idx)
{
    for (int k = rank - 1; k >= 0; k--) {
        idx[k] = dims[k] ? i % dims[k] : 0;
        i = dims[k] ? i / dims[k] : 0;
    }
}

/* Strides of t broadcast into an output of rank r (0 on broadcast axes). */
static void bcast_strides(const struct tv *t, int r, const int64_t *odims, int64_t *st)
{
    int64_t s = 1;
    for (int k = r - 1; k >= 0; k--) {
        int ik = k - (r - t->rank);
        if (ik < 0) {
            st[k] = 0;
            continue;
        }
        st[k] = t->dims[ik] == 1 && odims[k] != 1 ? 0 : s;
        s *= t->dims[ik];
    }
}

static int64_t offset(const int64_t *idx, const int64_t *st, int r)
{
    int64_t o = 0;
    for (int k = 0; k < r; k++)
        o += idx[k] * st[k];
    return o;
}

/* A symbolic operand gave an unnamed unknown: the expression grew too long
 * (or overflowed). Said once per model. */
static void note_long(struct eco_op_ctx *c)
{
    if (c->rep->expr_long_noted)
        return;
    c->rep->expr_long_noted = 1;
    eco_onnx_costs_note(c->rep, "node '%s' makes a symbolic expression longer than %d characters (or out of "
                    "range): that value is left unknown", c->node_name, ECO_SYM_MAX_LEN);
}

/* An arithmetic result left unknown although every operand was a number or
 * an expression: the text grew past its bound. */
static void check_long(struct eco_op_ctx *c, const struct tv *t, int64_t st[][ECO_MAX_RANK], size_t n_in, int r,
                       const int64_t *idx)
{
    int any_sym = 0;
    for (size_t k = 0; k < n_in; k++) {
        struct eco_dim d = t[k].v[offset(idx, st[k], r)];
        if (!eco_dim_known(d) && !eco_sym_named(d))
            return;
        any_sym |= !eco_dim_known(d);
    }
    if (any_sym)
        note_long(c);
}

/* Elementwise with broadcasting: unary, binary, variadic Max/Min, Where. */
static int eval_elementwise(struct eco_op_ctx *c, enum op op)
{
    struct tv t[8];
    size_t n_in = op == WHERE ? 3 : (op >= NEG || op == NOT) ? 1 : c->n_in;
    if (n_in == 0 || n_in > 8)
        return 0;
    for (size_t i = 0; i < n_in; i++)
        if (!get_tv(c, i, &t[i]))
            return 0;
    int r;
    int64_t od[ECO_MAX_RANK], idx[ECO_MAX_RANK], st[8][ECO_MAX_RANK];
    int64_t n = out_shape(c, &r, od);
    if (n < 0 || !charge(c, n * (int64_t)n_in))
        return 0;
    for (size_t i = 0; i < n_in; i++) {
        if (t[i].rank > r)
            return 0;
        bcast_strides(&t[i], r, od, st[i]);
    }
    struct eco_dim *v;
    double *f;
    if (alloc_out(c, n, &v, &f))
        return -1;
    int to = c->out[0]->dtype;
    int fl_in = eco_in(c, 0) && eco_dt_is_float(eco_in(c, 0)->dtype);
    int fl = is_cmp(op) ? fl_in : eco_dt_is_float(to);
    int fmod_attr = eco_onnx_attr_int(c->node, "fmod", 0) != 0;
    for (int64_t i = 0; i < n; i++) {
        unravel(i, r, od, idx);
        struct el a = el_at(&t[0], offset(idx, st[0], r)), e;
        if (op == WHERE) {
            struct el x = el_at(&t[1], offset(idx, st[1], r)), y = el_at(&t[2], offset(idx, st[2], r));
            e = !eco_dim_known(a.d) ? el_sym(eco_sym_cmp(x.d, y.d) == 0 ? x.d : eco_dim_unknown())
                : a.f != 0 ? x : y;
        } else if (n_in == 1)
            e = un(c, op, a, fl_in, to);
        else {
            e = a;
            for (size_t k = 1; k < n_in; k++)
                e = bin(c, op, e, el_at(&t[k], offset(idx, st[k], r)), fl, fmod_attr);
        }
        if (!eco_dim_known(e.d) && !e.d.sym && op != WHERE && !is_cmp(op) && op < AND)
            check_long(c, t, st, n_in, r, idx);
        el_put(v, f, i, e);
    }
    return 0;
}

/* ---- data movement: out[i] = in[src(i)] ---- */

/* Output 0's n values from x's: out[i] = x[src[i]], or x[i] when src is NULL. */
static int copy_from(struct eco_op_ctx *c, const struct tv *x, int64_t n, const int64_t *src)
{
    struct eco_dim *v;
    double *f;
    if (alloc_out(c, n, &v, &f))
        return -1;
    for (int64_t i = 0; i < n; i++)
        el_put(v, f, i, el_at(x, src ? src[i] : i));
    return 0;
}

/* Reshape, Flatten, Squeeze, Unsqueeze: the same elements in the same order. */
static int eval_same_order(struct eco_op_ctx *c)
{
    struct tv x;
    int r;
    int64_t od[ECO_MAX_RANK];
    if (!get_tv(c, 0, &x))
        return 0;
    int64_t n = out_shape(c, &r, od);
    if (n != x.n || !charge(c, n))
        return 0;
    return copy_from(c, &x, n, NULL);
}

/* Gathers out[i] = x[src(i)] where src comes from a per-op map. */
typedef int64_t (*src_fn)(struct eco_op_ctx *c, const struct tv *x, const int64_t *idx, void *ud);

static int eval_map(struct eco_op_ctx *c, const struct tv *x, src_fn fn, void *ud)
{
    int r;
    int64_t od[ECO_MAX_RANK], idx[ECO_MAX_RANK];
    int64_t n = out_shape(c, &r, od);
    if (n < 0 || !charge(c, n))
        return 0;
    int64_t *src = malloc((size_t)(n ? n : 1) * sizeof *src);
    if (!src)
        return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
    for (int64_t i = 0; i < n; i++) {
        unravel(i, r, od, idx);
        src[i] = fn(c, x, idx, ud);
        if (src[i] < 0 || src[i] >= x->n) {
            free(src);
            return 0; /* out of range: leave the values unknown */
        }
    }
    int rc = copy_from(c, x, n, src);
    free(src);
    return rc;
}

/* Row-major strides of x. */
static void strides(const struct tv *x, int64_t *st)
{
    int64_t s = 1;
    for (int k = x->rank - 1; k >= 0; k--) {
        st[k] = s;
        s *= x->dims[k];
    }
}

struct perm_ud { int64_t perm[ECO_MAX_RANK], st[ECO_MAX_RANK]; };

static int64_t src_transpose(struct eco_op_ctx *c, const struct tv *x, const int64_t *idx, void *ud)
{
    (void)c;
    struct perm_ud *p = ud;
    int64_t o = 0;
    for (int k = 0; k < x->rank; k++)
        o += idx[k] * p->st[p->perm[k]];
    return o;
}

static int eval_transpose(struct eco_op_ctx *c)
{
    struct tv x;
    if (!get_tv(c, 0, &x))
        return 0;
    struct perm_ud p;
    size_t np;
    const int64_t *perm = eco_onnx_attr_ints(c->node, "perm", &np);
    if (perm && (int)np != x.rank)
        return 0;
    for (int k = 0; k < x.rank; k++) {
        int64_t q = perm ? perm[k] : x.rank - 1 - k;
        if (q < 0)
            q += x.rank;
        if (q < 0 || q >= x.rank)
            return 0;
        p.perm[k] = q;
    }
    strides(&x, p.st);
    return eval_map(c, &x, src_transpose, &p);
}

/* Slice: per axis of the output, source = start + i * step. */
struct slice_ud { int64_t start[ECO_MAX_RANK], step[ECO_MAX_RANK], st[ECO_MAX_RANK]; };

static int64_t src_slice(struct eco_op_ctx *c, const struct tv *x, const int64_t *idx, void *ud)
{
    (void)c;
    struct slice_ud *s = ud;
    int64_t o = 0;
    for (int k = 0; k < x->rank; k++)
        o += (s->start[k] + idx[k] * s->step[k]) * s->st[k];
    return o;
}

static int eval_slice(struct eco_op_ctx *c)
{
    struct tv x;
    if (c->opset < 10 || !get_tv(c, 0, &x))
        return 0;
    int64_t starts[ECO_MAX_RANK], ends[ECO_MAX_RANK], axes[ECO_MAX_RANK], steps[ECO_MAX_RANK];
    size_t ns, ne, na = 0, nst = 0;
    if (!eco_in_ints(c, 1, starts, ECO_MAX_RANK, &ns) || !eco_in_ints(c, 2, ends, ECO_MAX_RANK, &ne) || ns != ne)
        return 0;
    if (eco_in(c, 3) && (!eco_in_ints(c, 3, axes, ECO_MAX_RANK, &na) || na != ns))
        return 0;
    if (eco_in(c, 4) && (!eco_in_ints(c, 4, steps, ECO_MAX_RANK, &nst) || nst != ns))
        return 0;
    struct slice_ud s;
    for (int k = 0; k < x.rank; k++) {
        s.start[k] = 0;
        s.step[k] = 1;
    }
    for (size_t i = 0; i < ns; i++) {
        int ax = eco_axis(na ? axes[i] : (int64_t)i, x.rank);
        int64_t len;
        if (ax < 0 || eco_slice_range(x.dims[ax], starts[i], ends[i], nst ? steps[i] : 1, &s.start[ax], &len))
            return 0;
        s.step[ax] = nst ? steps[i] : 1;
    }
    strides(&x, s.st);
    return eval_map(c, &x, src_slice, &s);
}

/* Gather: out index = x[:axis] + indices' index + x[axis+1:]. */
struct gather_ud { int axis; struct tv idx; int64_t st[ECO_MAX_RANK]; };

static int64_t src_gather(struct eco_op_ctx *c, const struct tv *x, const int64_t *idx, void *ud)
{
    (void)c;
    struct gather_ud *g = ud;
    int64_t o = 0, ii = 0;
    int q = g->idx.rank;
    for (int k = 0; k < g->axis; k++)
        o += idx[k] * g->st[k];
    for (int k = 0; k < q; k++)
        ii = ii * g->idx.dims[k] + idx[g->axis + k];
    struct eco_dim d = g->idx.v[ii];
    if (!eco_dim_known(d))
        return -1;
    int64_t j = d.v < 0 ? d.v + x->dims[g->axis] : d.v;
    if (j < 0 || j >= x->dims[g->axis])
        return -1;
    o += j * g->st[g->axis];
    for (int k = g->axis + 1; k < x->rank; k++)
        o += idx[k - 1 + q] * g->st[k];
    return o;
}

static int eval_gather(struct eco_op_ctx *c)
{
    struct gather_ud g;
    struct tv x;
    if (!get_tv(c, 0, &x) || !get_tv(c, 1, &g.idx))
        return 0;
    g.axis = eco_axis(eco_onnx_attr_int(c->node, "axis", 0), x.rank);
    if (g.axis < 0)
        return 0;
    strides(&x, g.st);
    return eval_map(c, &x, src_gather, &g);
}

/* Expand (broadcast) and Tile (repeat): source index modulo the input dims. */
static int64_t src_wrap(struct eco_op_ctx *c, const struct tv *x, const int64_t *idx, void *ud)
{
    (void)c;
    int r = *(int *)ud, off = r - x->rank;
    int64_t o = 0;
    for (int k = 0; k < x->rank; k++)
        o = o * x->dims[k] + (x->dims[k] ? idx[k + off] % x->dims[k] : 0);
    return o;
}

static int eval_wrap(struct eco_op_ctx *c)
{
    struct tv x;
    if (!get_tv(c, 0, &x) || !c->out[0] || c->out[0]->rank < x.rank)
        return 0;
    int r = c->out[0]->rank;
    return eval_map(c, &x, src_wrap, &r);
}

static int eval_concat(struct eco_op_ctx *c)
{
    int r;
    int64_t od[ECO_MAX_RANK], idx[ECO_MAX_RANK];
    struct tv t[64];
    if (c->n_in > 64)
        return 0;
    for (size_t i = 0; i < c->n_in; i++)
        if (c->in[i] && !get_tv_or_unknown(c, i, &t[i]))
            return 0;
    int64_t n = out_shape(c, &r, od);
    int axis = eco_axis(eco_onnx_attr_int(c->node, "axis", 0), r);
    if (n < 0 || axis < 0)
        return 0;
    int64_t total = 0;
    for (size_t k = 0; k < c->n_in; k++)
        if (c->in[k]) {
            if (t[k].rank != r)
                return 0;
            total += t[k].dims[axis];
        }
    if (total != od[axis] || !charge(c, n))
        return 0;
    struct eco_dim *v;
    double *f;
    if (alloc_out(c, n, &v, &f))
        return -1;
    for (int64_t i = 0; i < n; i++) {
        unravel(i, r, od, idx);
        int64_t a = idx[axis];
        size_t k = 0;
        for (; k < c->n_in; k++) {
            if (!c->in[k])
                continue;
            if (a < t[k].dims[axis])
                break;
            a -= t[k].dims[axis];
        }
        int64_t o = 0;
        for (int q = 0; q < r; q++)
            o = o * t[k].dims[q] + (q == axis ? a : idx[q]);
        el_put(v, f, i, el_at(&t[k], o));
    }
    return 0;
}

static int eval_constant_of_shape(struct eco_op_ctx *c)
{
    int r;
    int64_t od[ECO_MAX_RANK];
    int64_t n = out_shape(c, &r, od);
    if (n < 0 || !charge(c, n))
        return 0;
    const struct eco_onnx_attr *a = eco_onnx_attr(c->node, "value");
    struct el e = el_int(0);
    if (a && a->t && a->t->n_vals > 0) {
        e = el_int(a->t->ivals[0]);
        e.f = a->t->fvals ? a->t->fvals[0] : (double)a->t->ivals[0];
    }
    struct eco_dim *v;
    double *f;
    if (alloc_out(c, n, &v, &f))
        return -1;
    for (int64_t i = 0; i < n; i++)
        el_put(v, f, i, e);
    return 0;
}

static int eval_range(struct eco_op_ctx *c)
{
    struct tv s, l, d;
    int r;
    int64_t od[ECO_MAX_RANK];
    if (!get_tv(c, 0, &s) || !get_tv(c, 1, &l) || !get_tv(c, 2, &d) || s.n != 1 || d.n != 1)
        return 0;
    int64_t n = out_shape(c, &r, od);
    if (n < 0 || !charge(c, n))
        return 0;
    struct el start = el_at(&s, 0), delta = el_at(&d, 0);
    if (!eco_dim_known(start.d) || !eco_dim_known(delta.d))
        return 0;
    struct eco_dim *v;
    double *f;
    if (alloc_out(c, n, &v, &f))
        return -1;
    for (int64_t i = 0; i < n; i++)
        el_put(v, f, i, f ? el_num(start.f + (double)i * delta.f, 1) : el_int(start.d.v + i * delta.d.v));
    return 0;
}

/* ReduceMax/Min/Sum/Prod: each input element joins the output element with
 * its reduced axes set to 0. */
static int eval_reduce(struct eco_op_ctx *c, enum op op)
{
    struct tv x;
    int r;
    int64_t od[ECO_MAX_RANK], idx[ECO_MAX_RANK];
    if (!get_tv(c, 0, &x) || x.n == 0)
        return 0;
    int64_t axes[ECO_MAX_RANK];
    size_t na = 0;
    const int64_t *a = eco_onnx_attr_ints(c->node, "axes", &na);
    if (a && na <= ECO_MAX_RANK)
        memcpy(axes, a, na * sizeof *a);
    else if (eco_in(c, 1) && !eco_in_ints(c, 1, axes, ECO_MAX_RANK, &na))
        return 0;
    if (na == 0 && eco_onnx_attr_int(c->node, "noop_with_empty_axes", 0))
        return eval_same_order(c);
    int red[ECO_MAX_RANK] = {0};
    for (size_t i = 0; i < na; i++) {
        int ax = eco_axis(axes[i], x.rank);
        if (ax < 0)
            return 0;
        red[ax] = 1;
    }
    int64_t n = out_shape(c, &r, od);
    if (n < 0 || !charge(c, x.n))
        return 0;
    struct eco_dim *v;
    double *f;
    if (alloc_out(c, n, &v, &f))
        return -1;
    char *seen = calloc((size_t)(n ? n : 1), 1);
    if (!seen)
        return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
    int fl = eco_dt_is_float(c->out[0]->dtype);
    for (int64_t i = 0; i < x.n; i++) {
        unravel(i, x.rank, x.dims, idx);
        int64_t o = 0;
        for (int k = 0; k < x.rank; k++)
            if (!red[k] && na)
                o = o * x.dims[k] + idx[k];
        if (o >= n)
            break;
        struct el e = el_at(&x, i);
        if (seen[o])
            e = bin(c, op, (struct el){v[o], f ? f[o] : (double)v[o].v}, e, fl, 0);
        seen[o] = 1;
        el_put(v, f, o, e);
    }
    free(seen);
    return 0;
}

/* ---- dispatch ---- */

static int any_input_values(const struct eco_op_ctx *c)
{
    for (size_t i = 0; i < c->n_in; i++)
        if (c->in[i] && c->in[i]->n_vals >= 0)
            return 1;
    return 0;
}

int eco_value_eval(struct eco_op_ctx *c)
{
    const char *op = c->node->op_type;
    if (c->node->domain[0] && strcmp(c->node->domain, "ai.onnx") != 0)
        return 0;
    if (c->rep->value_steps > ECO_VALUE_MAX_STEPS || c->n_out < 1 || !c->out[0])
        return 0;
    if (strcmp(op, "ConstantOfShape") == 0)
        return eval_constant_of_shape(c);
    if (!any_input_values(c))
        return 0;
    if (c->out[0]->dtype == ECO_DT_STRING)
        return 0;
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
        if (strcmp(op, OPS[i].name) == 0)
            return eval_elementwise(c, OPS[i].op);
    if (!strcmp(op, "Reshape") || !strcmp(op, "Flatten") || !strcmp(op, "Squeeze") || !strcmp(op, "Unsqueeze"))
        return eval_same_order(c);
    if (strcmp(op, "Transpose") == 0)
        return eval_transpose(c);
    if (strcmp(op, "Slice") == 0)
        return eval_slice(c);
    if (strcmp(op, "Gather") == 0)
        return eval_gather(c);
    if (strcmp(op, "Concat") == 0)
        return eval_concat(c);
    if (strcmp(op, "Expand") == 0 || strcmp(op, "Tile") == 0)
        return eval_wrap(c);
    if (strcmp(op, "Range") == 0)
        return eval_range(c);
    if (strcmp(op, "ReduceMax") == 0)
        return eval_reduce(c, MAX);
    if (strcmp(op, "ReduceMin") == 0)
        return eval_reduce(c, MIN);
    if (strcmp(op, "ReduceSum") == 0)
        return eval_reduce(c, ADD);
    if (strcmp(op, "ReduceProd") == 0)
        return eval_reduce(c, MUL);
    return 0;
}
