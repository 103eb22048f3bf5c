/* Symbolic dimension expressions (sym_expr.h): texts built bottom-up in a
 * fixed way, so the same arithmetic on the same symbols gives the same text
 * and equal dims compare equal. Not a computer-algebra system: it folds
 * what exported shape code does most (k*H, H*4/2, H - H, H % 7 with
 * 7 | k) and writes the rest down as an expression. */
#include "model/sym_expr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/numparse.h"
#include "model/ops.h"

static const char DATA_DEP[] = "data-dependent";

int eco_sym_data_dep(struct eco_dim d)
{
    return d.v == ECO_DIM_UNKNOWN && d.sym && strcmp(d.sym, DATA_DEP) == 0;
}

int eco_sym_named(struct eco_dim d)
{
    return d.v == ECO_DIM_UNKNOWN && d.sym && d.k > 0 && !eco_sym_data_dep(d);
}

void eco_sym_str(struct eco_dim d, char *buf, size_t len)
{
    if (d.v != ECO_DIM_UNKNOWN)
        snprintf(buf, len, "%lld", (long long)d.v);
    else if (d.sym && d.k > 1)
        snprintf(buf, len, "%lld*%s", (long long)d.k, d.sym);
    else
        snprintf(buf, len, "%s", d.sym ? d.sym : "?");
}

/* An expression from printf-style text; unknown when too long. */
static struct eco_dim make(struct eco_arena *a, const char *fmt, const char *x, const char *y)
{
    char buf[2 * ECO_SYM_MAX_LEN + 32];
    int n = snprintf(buf, sizeof buf, fmt, x, y);
    if (n < 0 || n > ECO_SYM_MAX_LEN)
        return eco_dim_unknown();
    char *s = eco_arena_strndup(a, buf, (size_t)n);
    return s ? eco_dim_sym(s, 1) : eco_dim_unknown();
}

/* Integral unless the text holds a real division not wrapped in a rounding. */
static int integral(const char *t)
{
    return !strchr(t, '/') || strncmp(t, "ceil(", 5) == 0 || strncmp(t, "floor(", 6) == 0 ||
           strncmp(t, "round(", 6) == 0;
}

static int same_text(struct eco_dim x, struct eco_dim y)
{
    return eco_sym_named(x) && eco_sym_named(y) && strcmp(x.sym, y.sym) == 0;
}

static struct eco_dim num_op(enum eco_sym_op op, int64_t x, int64_t y)
{
    int64_t z;
    switch (op) {
    case ECO_SYM_ADD: return __builtin_add_overflow(x, y, &z) ? eco_dim_unknown() : eco_dim_num(z);
    case ECO_SYM_SUB: return __builtin_sub_overflow(x, y, &z) ? eco_dim_unknown() : eco_dim_num(z);
    case ECO_SYM_MUL: return __builtin_mul_overflow(x, y, &z) ? eco_dim_unknown() : eco_dim_num(z);
    case ECO_SYM_MAX: return eco_dim_num(x > y ? x : y);
    case ECO_SYM_MIN: return eco_dim_num(x < y ? x : y);
    default: break;
    }
    if (y == 0 || (x == INT64_MIN && y == -1))
        return eco_dim_unknown();
    if (op == ECO_SYM_MOD) {
        z = x % y;
        return eco_dim_num(z != 0 && (z < 0) != (y < 0) ? z + y : z);
    }
    z = x / y; /* floor division */
    return eco_dim_num(z * y != x && (x < 0) != (y < 0) ? z - 1 : z);
}

/* Folds with a number n on the right: 1 when *r was set. */
static int fold_num(enum eco_sym_op op, struct eco_dim x, int64_t n, struct eco_dim *r)
{
    int64_t k;
    switch (op) {
    case ECO_SYM_ADD:
    case ECO_SYM_SUB:
        if (n == 0)
            return *r = x, 1;
        return 0;
    case ECO_SYM_MUL:
        if (n == 0)
            return *r = eco_dim_num(0), 1;
        if (n > 0 && !__builtin_mul_overflow(x.k, n, &k))
            return *r = eco_dim_sym(x.sym, k), 1;
        return 0;
    case ECO_SYM_DIV:
    case ECO_SYM_FDIV:
        if (n > 0 && x.k % n == 0)
            return *r = eco_dim_sym(x.sym, x.k / n), 1;
        return 0;
    case ECO_SYM_MOD:
        if (n > 0 && x.k % n == 0)
            return *r = eco_dim_num(0), 1;
        return 0;
    case ECO_SYM_POW:
        if (n == 1)
            return *r = x, 1;
        return 0;
    default:
        return 0;
    }
}

/* "(A + m)" / "(A - m)" -> A and +-m: so adding numbers folds into one
 * constant. 1 when t has that form; the dim of A in *a (k from "k*X"). */
static int split_const(struct eco_arena *ar, const char *t, struct eco_dim *a, int64_t *m)
{
    size_t n = strlen(t);
    if (n < 7 || t[0] != '(' || t[n - 1] != ')')
        return 0;
    size_t e = n - 1, b = e;
    while (b > 0 && t[b - 1] >= '0' && t[b - 1] <= '9')
        b--;
    if (b == e || e - b > 15 || b < 4 || t[b - 1] != ' ' || (t[b - 2] != '+' && t[b - 2] != '-') || t[b - 3] != ' ')
        return 0;
    int depth = 0; /* the operator must be at the top level of the parentheses */
    for (size_t i = 1; i < b - 3; i++) {
        depth += t[i] == '(' ? 1 : t[i] == ')' ? -1 : 0;
        if (depth < 0)
            return 0;
    }
    if (depth)
        return 0;
    const char *digits = t + b;
    uint64_t mag; /* at most 15 digits (checked above): no overflow */
    if (eco_num_next_u64(&digits, UINT64_MAX, &mag) != ECO_NUM_OK)
        return 0;
    *m = (int64_t)mag * (t[b - 2] == '-' ? -1 : 1);
    const char *inner = t + 1;
    size_t len = b - 4;
    int64_t k = 1;
    char *star;
    if (inner[0] >= '1' && inner[0] <= '9' && (star = memchr(inner, '*', len)) != NULL) {
        const char *end = inner;
        int64_t kk; /* an overflowing k (strtoll clamped it to LLONG_MAX) stays in the symbol's text */
        if (eco_num_next_i64(&end, 1, INT64_MAX, &kk) == ECO_NUM_OK && end == star) {
            k = kk;
            len -= (size_t)(star + 1 - inner);
            inner = star + 1;
        }
    }
    char *s = eco_arena_strndup(ar, inner, len);
    if (!s)
        return 0;
    *a = eco_dim_sym(s, k);
    return 1;
}

static struct eco_dim add_const(struct eco_arena *ar, struct eco_dim x, int64_t n);

/* k*base + c for x (c = 0 unless x is "(A + c)"). */
static void linear_parts(struct eco_arena *ar, struct eco_dim x, struct eco_dim *base, int64_t *c)
{
    *c = 0;
    *base = x;
    if (x.k == 1)
        split_const(ar, x.sym, base, c);
}

/* x +- y when both are k*base + c with the same base: one term and one constant. */
static int linear_fold(struct eco_arena *ar, enum eco_sym_op op, struct eco_dim x, struct eco_dim y,
                       struct eco_dim *r)
{
    struct eco_dim bx, by;
    int64_t cx, cy, k = 0, c = 0;
    linear_parts(ar, x, &bx, &cx);
    linear_parts(ar, y, &by, &cy);
    if (strcmp(bx.sym, by.sym) != 0)
        return 0;
    if (op == ECO_SYM_ADD ? __builtin_add_overflow(bx.k, by.k, &k) || __builtin_add_overflow(cx, cy, &c)
                          : __builtin_sub_overflow(bx.k, by.k, &k) || __builtin_sub_overflow(cx, cy, &c))
        return 0;
    if (k < 0)
        return 0;
    *r = k ? add_const(ar, eco_dim_sym(bx.sym, k), c) : eco_dim_num(c);
    return 1;
}

/* 1 when x is "(Y + R)" with Y the text of y and R a Mod by a positive
 * constant ("(... % 7)"), so x >= y: a size padded up to a multiple. */
static int padded_of(struct eco_dim x, struct eco_dim y)
{
    char ty[ECO_SYM_MAX_LEN + 24];
    if (x.k != 1)
        return 0;
    eco_sym_str(y, ty, sizeof ty);
    size_t ly = strlen(ty), lx = strlen(x.sym);
    if (lx < ly + 8 || x.sym[0] != '(' || strncmp(x.sym + 1, ty, ly) != 0 || strncmp(x.sym + 1 + ly, " + ((", 5))
        return 0;
    const char *r = x.sym + 1 + ly + 3; /* R, then the closing ")" */
    size_t lr = lx - ly - 5;
    if (r[0] != '(' || r[lr - 1] != ')')
        return 0;
    size_t d = lr - 1;
    while (d > 0 && r[d - 1] >= '0' && r[d - 1] <= '9')
        d--;
    if (d == lr - 1 || d < 3 || strncmp(r + d - 3, " % ", 3) != 0 || r[d] == '0')
        return 0;
    int depth = 0; /* the % must be R's outermost operator */
    for (size_t i = 0; i < d - 3; i++) {
        depth += r[i] == '(' ? 1 : r[i] == ')' ? -1 : 0;
        if (depth == 0 && i > 0)
            return 0;
    }
    return depth == 1;
}

/* 1 when t[0..n) has a '/' or '%' outside parentheses (a real division or
 * a remainder: not a plain product of factors). */
static int top_level_div(const char *t, size_t n)
{
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        depth += t[i] == '(' ? 1 : t[i] == ')' ? -1 : 0;
        if (depth == 0 && (t[i] == '/' || t[i] == '%'))
            return 1;
    }
    return 0;
}

/* (P*Y) / Y = P: a product divided by one of its factors (B*nw / nw in
 * windowed attention). Texts of products are "A*B*C" without parentheses,
 * so Y is a prefix or a suffix of x's text at a '*'. */
static int cancel_factor(struct eco_arena *ar, struct eco_dim x, struct eco_dim y, struct eco_dim *r)
{
    size_t lx = strlen(x.sym), ly = strlen(y.sym);
    if (y.k <= 0 || x.k % y.k != 0 || lx <= ly + 1 || top_level_div(y.sym, ly))
        return 0;
    const char *p;
    size_t lp;
    if (strcmp(x.sym + lx - ly, y.sym) == 0 && x.sym[lx - ly - 1] == '*') {
        p = x.sym;
        lp = lx - ly - 1;
    } else if (strncmp(x.sym, y.sym, ly) == 0 && x.sym[ly] == '*') {
        p = x.sym + ly + 1;
        lp = lx - ly - 1;
    } else
        return 0;
    if (top_level_div(p, lp))
        return 0; /* "A/B*Y": not a plain product */
    int depth = 0; /* the '*' must be at the top level */
    for (size_t i = 0; i < lp; i++) {
        depth += p[i] == '(' ? 1 : p[i] == ')' ? -1 : 0;
        if (depth < 0)
            return 0;
    }
    char *t = depth ? NULL : eco_arena_strndup(ar, p, lp);
    if (!t)
        return 0;
    *r = eco_dim_sym(t, x.k / y.k);
    return 1;
}

static const char *const FMT[] = {
    [ECO_SYM_ADD] = "(%s + %s)", [ECO_SYM_SUB] = "(%s - %s)", [ECO_SYM_MUL] = "%s*%s",
    [ECO_SYM_DIV] = "floor(%s/%s)", [ECO_SYM_FDIV] = "%s/%s", [ECO_SYM_MOD] = "(%s %% %s)",
    [ECO_SYM_MAX] = "max(%s, %s)", [ECO_SYM_MIN] = "min(%s, %s)", [ECO_SYM_POW] = "pow(%s, %s)",
};

struct eco_dim eco_sym_binop(struct eco_arena *a, enum eco_sym_op op, struct eco_dim x, struct eco_dim y)
{
    int kx = eco_dim_known(x), ky = eco_dim_known(y);
    if (kx && ky)
        return op == ECO_SYM_FDIV || op == ECO_SYM_POW ? eco_dim_unknown() : num_op(op, x.v, y.v);
    if (eco_sym_data_dep(x) || eco_sym_data_dep(y))
        return eco_dim_sym(DATA_DEP, 0);
    if ((!kx && !eco_sym_named(x)) || (!ky && !eco_sym_named(y)))
        return eco_dim_unknown();
    struct eco_dim r;
    if (ky && fold_num(op, x, y.v, &r))
        return r;
    if (ky && (op == ECO_SYM_ADD || op == ECO_SYM_SUB) && y.v > INT64_MIN)
        return add_const(a, x, op == ECO_SYM_ADD ? y.v : -y.v);
    if (kx && op == ECO_SYM_ADD)
        return add_const(a, y, x.v);
    if (kx && (op == ECO_SYM_ADD || op == ECO_SYM_MUL || op == ECO_SYM_MAX || op == ECO_SYM_MIN) &&
        fold_num(op, y, x.v, &r))
        return r;
    if ((op == ECO_SYM_ADD || op == ECO_SYM_SUB) && !kx && !ky && linear_fold(a, op, x, y, &r))
        return r;
    if ((op == ECO_SYM_DIV || op == ECO_SYM_FDIV) && !kx && !ky && cancel_factor(a, x, y, &r))
        return r;
    if ((op == ECO_SYM_MIN || op == ECO_SYM_MAX) && !kx && !ky) {
        if (padded_of(x, y))
            return op == ECO_SYM_MIN ? y : x;
        if (padded_of(y, x))
            return op == ECO_SYM_MIN ? x : y;
    }
    if (same_text(x, y)) {
        int64_t k;
        if (op == ECO_SYM_ADD && !__builtin_add_overflow(x.k, y.k, &k))
            return eco_dim_sym(x.sym, k);
        if (op == ECO_SYM_SUB && x.k >= y.k)
            return x.k == y.k ? eco_dim_num(0) : eco_dim_sym(x.sym, x.k - y.k);
        if ((op == ECO_SYM_DIV || op == ECO_SYM_FDIV) && x.k % y.k == 0)
            return eco_dim_num(x.k / y.k);
        if (op == ECO_SYM_MOD && x.k % y.k == 0)
            return eco_dim_num(0);
        if (op == ECO_SYM_MAX || op == ECO_SYM_MIN)
            return (op == ECO_SYM_MAX) == (x.k >= y.k) ? x : y;
    }
    char tx[ECO_SYM_MAX_LEN + 24], ty[ECO_SYM_MAX_LEN + 24];
    eco_sym_str(x, tx, sizeof tx);
    eco_sym_str(y, ty, sizeof ty);
    if (op == ECO_SYM_SUB && ky && y.v < 0) {
        snprintf(ty, sizeof ty, "%lld", -(long long)y.v);
        op = ECO_SYM_ADD;
    } else if (op == ECO_SYM_ADD && ky && y.v < 0 && y.v > INT64_MIN) {
        snprintf(ty, sizeof ty, "%lld", -(long long)y.v);
        op = ECO_SYM_SUB;
    }
    if ((op == ECO_SYM_DIV || op == ECO_SYM_FDIV || op == ECO_SYM_MOD) && !ky && strpbrk(ty, "*/")) {
        char p[sizeof ty + 2];
        snprintf(p, sizeof p, "(%s)", ty);
        return make(a, FMT[op], tx, p);
    }
    return make(a, FMT[op], tx, ty);
}

/* x + n, folding n into x's own constant ("(H - 1) + 1" is H). */
static struct eco_dim add_const(struct eco_arena *ar, struct eco_dim x, int64_t n)
{
    struct eco_dim inner;
    int64_t m;
    if (x.k == 1 && split_const(ar, x.sym, &inner, &m) && !__builtin_add_overflow(m, n, &m)) {
        x = inner;
        n = m;
    }
    if (n == 0)
        return x;
    char tx[ECO_SYM_MAX_LEN + 24], ty[24];
    eco_sym_str(x, tx, sizeof tx);
    snprintf(ty, sizeof ty, "%lld", n < 0 ? -(long long)n : (long long)n);
    return make(ar, n < 0 ? "(%s - %s)" : "(%s + %s)", tx, ty);
}

struct eco_dim eco_sym_unop(struct eco_arena *a, enum eco_sym_fn fn, struct eco_dim x)
{
    if (eco_sym_data_dep(x))
        return x;
    if (!eco_sym_named(x))
        return eco_dim_unknown();
    char t[ECO_SYM_MAX_LEN + 24];
    eco_sym_str(x, t, sizeof t);
    switch (fn) {
    case ECO_SYM_CEIL:
        return integral(t) ? x : make(a, "ceil(%s)%s", t, "");
    case ECO_SYM_FLOOR:
        return integral(t) ? x : make(a, "floor(%s)%s", t, "");
    case ECO_SYM_ROUND:
        return integral(t) ? x : make(a, "round(%s)%s", t, "");
    case ECO_SYM_SQRT:
        return make(a, "sqrt(%s)%s", t, "");
    case ECO_SYM_NEG:
        return make(a, "(-%s)%s", t, "");
    default:
        return make(a, "abs(%s)%s", t, "");
    }
}

int eco_sym_cmp(struct eco_dim x, struct eco_dim y)
{
    if (eco_dim_known(x) && eco_dim_known(y))
        return x.v < y.v ? -1 : x.v > y.v;
    if (same_text(x, y))
        return x.k < y.k ? -1 : x.k > y.k;
    /* symbolic values stand for sizes (>= 0; slices are taken to stay within
     * their axis): above any negative number, so Where(Equal(shape, -1), ...)
     * in exported index code is decided */
    if (eco_sym_named(x) && eco_dim_known(y) && y.v < 0)
        return 1;
    if (eco_sym_named(y) && eco_dim_known(x) && x.v < 0)
        return -1;
    return 2;
}
