/* Constants, resizing, quantisation and control flow (If, Loop, Scan).
 * If counts the costlier branch; Loop counts its body x the trip count when
 * it is a constant (an upper bound when a condition may stop it earlier),
 * else the body once, flagged as depending on an unknown trip count; Scan
 * counts its body x the sequence length. */
#include <math.h>
#include <string.h>

#include "model/ops.h"
#include "model/sym_expr.h"

static int infer_constant(struct eco_op_ctx *c)
{
    const struct eco_onnx_node *n = c->node;
    for (size_t i = 0; i < n->n_attrs; i++) {
        const struct eco_onnx_attr *a = &n->attrs[i];
        struct eco_dim d[ECO_MAX_RANK], v[ECO_ONNX_SMALL_VALUES];
        double f[ECO_ONNX_SMALL_VALUES];
        if ((strcmp(a->name, "value") == 0 || strcmp(a->name, "sparse_value") == 0) && a->t) {
            const struct eco_onnx_tensor *t = a->t;
            if (t->n_dims > ECO_MAX_RANK)
                return eco_op_error(c, "constant of rank %d", t->n_dims);
            for (int k = 0; k < t->n_dims; k++)
                d[k] = eco_dim_num(t->dims[k]);
            eco_out_rank(c, 0, t->dtype, t->n_dims, d);
            if (t->n_vals >= 0 && strcmp(a->name, "value") == 0) {
                for (int64_t k = 0; k < t->n_vals; k++)
                    v[k] = eco_dim_num(t->ivals[k]);
                if (eco_out_vals(c, 0, v, t->n_vals))
                    return -1;
                if (t->dtype == ECO_DT_FLOAT || t->dtype == ECO_DT_DOUBLE)
                    return eco_out_fvals(c, 0, t->fvals, t->n_vals);
            }
            return 0;
        }
        if (strcmp(a->name, "value_int") == 0 || strcmp(a->name, "value_float") == 0) {
            int is_int = a->name[6] == 'i';
            eco_out_rank(c, 0, is_int ? ECO_DT_INT64 : ECO_DT_FLOAT, 0, NULL);
            v[0] = eco_dim_num(is_int ? a->i : eco_f2i(a->f));
            f[0] = is_int ? (double)a->i : a->f;
            if (eco_out_vals(c, 0, v, 1))
                return -1;
            return is_int ? 0 : eco_out_fvals(c, 0, f, 1);
        }
        if (strcmp(a->name, "value_ints") == 0 || strcmp(a->name, "value_floats") == 0 ||
            strcmp(a->name, "value_strings") == 0) {
            int kind = a->name[6]; /* 'i', 'f', 's' */
            size_t cnt = kind == 'i' ? a->n_ints : kind == 'f' ? a->n_floats : a->n_strings;
            d[0] = eco_dim_num((int64_t)cnt);
            eco_out_rank(c, 0, kind == 'i' ? ECO_DT_INT64 : kind == 'f' ? ECO_DT_FLOAT : ECO_DT_STRING, 1, d);
            if (kind == 's' || cnt > ECO_ONNX_SMALL_VALUES)
                return 0;
            for (size_t k = 0; k < cnt; k++) {
                f[k] = kind == 'i' ? (double)a->ints[k] : a->floats[k];
                v[k] = eco_dim_num(kind == 'i' ? a->ints[k] : eco_f2i(a->floats[k]));
            }
            if (eco_out_vals(c, 0, v, (int64_t)cnt))
                return -1;
            return kind == 'i' ? 0 : eco_out_fvals(c, 0, f, (int64_t)cnt);
        }
        if (strcmp(a->name, "value_string") == 0) {
            eco_out_rank(c, 0, ECO_DT_STRING, 0, NULL);
            return 0;
        }
    }
    return eco_op_error(c, "Constant has no value attribute");
}

/* A symbolic axis times a scale: ONNX's floor(H x s). For s = p/q with q a
 * power of two up to 64 (2, 0.5, 1.5, 0.75: exact in binary, so p/q is the
 * scale itself, not a rounding of it) that is floor(p x H / q), written as an
 * expression (nn.Upsample(scale_factor=2) on a dynamic image is 2*H). Any other
 * scale (1/3 is stored rounded) leaves the size unknown. */
static struct eco_dim resize_sym_dim(struct eco_op_ctx *c, struct eco_dim in, double s)
{
    if (s == 1.0)
        return in;
    if (!(s > 0 && s <= (1 << 20)))
        return eco_dim_unknown();
    for (int64_t q = 1; q <= 64; q *= 2) {
        double p = s * (double)q;
        if (p != floor(p))
            continue;
        struct eco_dim r = (int64_t)p == 1 ? in : eco_sym_binop(c->arena, ECO_SYM_MUL, in, eco_dim_num((int64_t)p));
        return q == 1 ? r : eco_sym_binop(c->arena, ECO_SYM_DIV, r, eco_dim_num(q));
    }
    return eco_dim_unknown();
}

/* Resize (opset 10: X, scales; 11+: X, roi, scales, sizes; 18: axes) and Upsample. */
static int infer_resize(struct eco_op_ctx *c)
{
    int dtype;
    struct eco_val *x = eco_in_shaped(c, 0, &dtype);
    if (!x)
        return 0;
    int upsample = strcmp(c->node->op_type, "Upsample") == 0;
    size_t scales_i = upsample || c->opset < 11 ? 1 : 2, sizes_i = 3;
    double sc[ECO_MAX_RANK];
    struct eco_dim sz[ECO_MAX_RANK]; /* sizes may be symbolic: Concat(Shape(x)[:2], H', W') */
    int64_t axes[ECO_MAX_RANK];
    size_t ns = 0, nz = 0, na = 0;
    const int64_t *ap = eco_onnx_attr_ints(c->node, "axes", &na);
    if (ap && na <= ECO_MAX_RANK)
        memcpy(axes, ap, na * sizeof *ap);
    else
        na = 0;
    int have_sizes = !upsample && c->opset >= 11 && eco_in_dims(c, sizes_i, sz, ECO_MAX_RANK, &nz) && nz > 0;
    int have_scales = 0;
    if (upsample && c->opset < 9) {
        const struct eco_onnx_attr *a = eco_onnx_attr(c->node, "scales");
        if (a && a->n_floats <= ECO_MAX_RANK) {
            for (size_t i = 0; i < a->n_floats; i++)
                sc[i] = a->floats[i];
            ns = a->n_floats;
            have_scales = ns > 0;
        }
    } else
        have_scales = eco_in_floats(c, scales_i, sc, ECO_MAX_RANK, &ns) && ns > 0;
    struct eco_dim d[ECO_MAX_RANK];
    memcpy(d, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
    size_t k = have_sizes ? nz : ns;
    if (!have_sizes && !have_scales) {
        eco_out_unknown_dims(c, dtype, x->rank);
        return 0;
    }
    if ((na && na != k) || (!na && (int)k != x->rank))
        return eco_op_error(c, "%zu scales/sizes for rank %d", k, x->rank);
    const char *policy = eco_onnx_attr_str(c->node, "keep_aspect_ratio_policy", "stretch");
    if (have_sizes && strcmp(policy, "stretch") != 0) {
        /* one scale for all axes: the smallest (not_larger) or largest (not_smaller) */
        double s = strcmp(policy, "not_larger") == 0 ? INFINITY : 0;
        for (size_t i = 0; i < k; i++) {
            int ax = na ? eco_axis(axes[i], x->rank) : (int)i;
            if (ax < 0 || !eco_dim_known(x->d[ax]) || x->d[ax].v == 0 || !eco_dim_known(sz[i]))
                return eco_out_unknown(c, 0, dtype), 0;
            double r = (double)sz[i].v / (double)x->d[ax].v;
            if (!(r >= 0 && r < 1e9))
                return eco_op_error(c, "invalid size %lld", (long long)sz[i].v);
            s = strcmp(policy, "not_larger") == 0 ? fmin(s, r) : fmax(s, r);
        }
        for (size_t i = 0; i < k; i++) {
            int ax = na ? eco_axis(axes[i], x->rank) : (int)i;
            d[ax] = eco_dim_num(eco_f2i(floor((double)x->d[ax].v * s + 0.5)));
        }
        eco_out_rank(c, 0, dtype, x->rank, d);
        return 0;
    }
    for (size_t i = 0; i < k; i++) {
        int ax = na ? eco_axis(axes[i], x->rank) : (int)i;
        if (ax < 0)
            return eco_op_error(c, "axis out of range");
        if (have_sizes)
            d[ax] = sz[i];
        else if (!eco_dim_known(x->d[ax]))
            d[ax] = resize_sym_dim(c, x->d[ax], sc[i]);
        else {
            if (!(sc[i] >= 0) || sc[i] * (double)x->d[ax].v > 1e15)
                return eco_op_error(c, "invalid scale %g", sc[i]);
            d[ax] = eco_dim_num((int64_t)floor((double)x->d[ax].v * sc[i]));
        }
    }
    eco_out_rank(c, 0, dtype, x->rank, d);
    return 0;
}

/* nearest: 0 FLOPs; linear: 2 FLOPs (multiply-add) per neighbour, 2^k
 * neighbours over the k resized axes; cubic: 4^k neighbours. */
static int cost_resize(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *y = c->n_out ? c->out[0] : NULL;
    double n = y ? eco_numel(c, y) : -1;
    if (n < 0 || !eco_has_shape(x)) {
        c->no_shape = 1;
        return 0;
    }
    const char *mode = eco_onnx_attr_str(c->node, "mode", "nearest");
    int k = 0;
    for (int i = 0; i < x->rank && i < y->rank; i++)
        if (!eco_dim_eq(x->d[i], y->d[i]))
            k++;
    double per = 0;
    if (strcmp(mode, "linear") == 0 || strcmp(mode, "bilinear") == 0)
        per = 2 * pow(2, k);
    else if (strcmp(mode, "cubic") == 0)
        per = 2 * pow(4, k);
    c->flops = per * n;
    return 0;
}

static int infer_quantize(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *zp = eco_in(c, 2);
    eco_out_like(c, 0, x);
    int dt = (int)eco_onnx_attr_int(c->node, "output_dtype", 0);
    eco_out_dtype(c, 0, dt ? dt : zp && zp->dtype ? zp->dtype : ECO_DT_UINT8);
    return 0;
}

static int infer_dequantize(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *s = eco_in(c, 1);
    eco_out_like(c, 0, x);
    eco_out_dtype(c, 0, s && s->dtype ? s->dtype : ECO_DT_FLOAT);
    return 0;
}

static int infer_dyn_quantize(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    eco_out_like(c, 0, x);
    eco_out_dtype(c, 0, ECO_DT_UINT8);
    eco_out_rank(c, 1, ECO_DT_FLOAT, 0, NULL);
    eco_out_rank(c, 2, ECO_DT_UINT8, 0, NULL);
    return 0;
}

static int infer_det(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0);
    if (!eco_has_shape(x) || x->rank < 2) {
        eco_out_unknown(c, 0, x ? x->dtype : 0);
        return 0;
    }
    eco_out_rank(c, 0, x->dtype, x->rank - 2, x->d);
    return 0;
}

static int cost_det(struct eco_op_ctx *c)
{
    /* LU decomposition: about n^3/3 multiply-adds per matrix */
    struct eco_val *x = eco_in(c, 0);
    if (!eco_has_shape(x) || x->rank < 2) {
        c->no_shape = 1;
        return 0;
    }
    double batch = 1, n;
    for (int i = 0; i < x->rank - 2; i++)
        batch *= eco_dimv(c, x->d[i]);
    n = eco_dimv(c, x->d[x->rank - 1]);
    c->macs = batch * n * n * n / 3;
    c->flops = 2 * c->macs;
    return 0;
}

/* ---- control flow ---- */

static const struct eco_onnx_graph *graph_attr(struct eco_op_ctx *c, const char *name)
{
    const struct eco_onnx_attr *a = eco_onnx_attr(c->node, name);
    return a ? a->g : NULL;
}

static struct eco_dim merge_dim(struct eco_dim a, struct eco_dim b)
{
    return eco_dim_eq(a, b) ? a : eco_dim_unknown();
}

static int infer_if(struct eco_op_ctx *c)
{
    const struct eco_onnx_graph *g[2] = {graph_attr(c, "then_branch"), graph_attr(c, "else_branch")};
    if (!g[0] || !g[1])
        return eco_op_error(c, "If needs then_branch and else_branch graphs");
    struct eco_val **outs[2];
    double macs[2] = {0, 0}, flops[2] = {0, 0}, params = 0;
    int sym = 0;
    for (int b = 0; b < 2; b++) {
        outs[b] = eco_arena_array(c->arena, g[b]->n_outputs + 1, sizeof *outs[b]);
        if (!outs[b])
            return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
        if (eco_infer_subgraph(c, g[b], NULL, 0, outs[b], &macs[b], &flops[b], &params, &sym))
            return -1;
    }
    /* a constant condition picks its branch; otherwise shapes merge */
    struct eco_val *cond = eco_in(c, 0);
    int pick = -1;
    if (cond && cond->n_vals == 1 && eco_dim_known(cond->vals[0]))
        pick = cond->vals[0].v ? 0 : 1;
    for (size_t i = 0; i < c->n_out; i++) {
        struct eco_val *a = i < g[0]->n_outputs ? outs[0][i] : NULL;
        struct eco_val *b = i < g[1]->n_outputs ? outs[1][i] : NULL;
        if (pick >= 0) { /* the branch taken: its shapes and values */
            struct eco_val *src = pick == 0 ? a : b;
            eco_out_like(c, i, src);
            if (src && src->n_vals >= 0 && i < c->n_out && c->out[i]) {
                c->out[i]->n_vals = src->n_vals;
                c->out[i]->vals = src->vals;
                c->out[i]->fvals = src->fvals;
            }
            continue;
        }
        if (!a || !b || !eco_has_shape(a) || !eco_has_shape(b) || a->rank != b->rank) {
            eco_out_unknown(c, i, a ? a->dtype : 0);
            continue;
        }
        struct eco_dim d[ECO_MAX_RANK];
        for (int k = 0; k < a->rank; k++)
            d[k] = merge_dim(a->d[k], b->d[k]);
        eco_out_rank(c, i, a->dtype, a->rank, d);
    }
    int best = pick >= 0 ? pick : flops[1] > flops[0];
    c->macs = macs[best];
    c->flops = flops[best];
    c->symbolic |= sym;
    return 0;
}

/* A Loop's condition that is true at the start and that the body hands back
 * unchanged (its cond output is its cond input, or the outer value the Loop
 * was given as its condition, directly or through Identity nodes): what
 * PyTorch exports for a `for` loop. The loop then runs exactly its trip count. */
static int cond_stays_true(struct eco_op_ctx *c, const struct eco_onnx_graph *body)
{
    int64_t v[1];
    size_t n;
    if (!eco_in_ints(c, 1, v, 1, &n) || n != 1 || v[0] == 0 || body->n_inputs < 2 || body->n_outputs < 1)
        return 0;
    const char *name = body->outputs[0].name;
    for (int hops = 0; hops <= 8; hops++) {
        if (strcmp(name, body->inputs[1].name) == 0 || strcmp(name, c->node->inputs[1]) == 0)
            return 1;
        const struct eco_onnx_node *from = NULL;
        for (size_t i = 0; i < body->n_nodes && !from; i++)
            for (size_t k = 0; k < body->nodes[i].n_outputs; k++)
                if (strcmp(body->nodes[i].outputs[k], name) == 0)
                    from = &body->nodes[i];
        if (!from || strcmp(from->op_type, "Identity") != 0 || *from->domain || from->n_inputs != 1)
            return 0;
        name = from->inputs[0];
    }
    return 0;
}

/* A `for` loop of a few iterations in the top-level graph (torch.tensor_split,
 * chunking, a fixed number of refinement steps) is unrolled: the body inferred once per
 * iteration with its iteration number known and the carried values (a
 * growing sequence too) handed on, so what the body slices by the iteration
 * number has its true shape, and the cost is the sum over the iterations.
 * Bounded so that a long loop costs no more than one pass. */
#define LOOP_UNROLL_MAX_TRIPS 64
#define LOOP_UNROLL_MAX_NODES 4096

/* Nodes of g and of every subgraph under it, counting up to cap (a hostile
 * nest of Loops stops the count, not the stack: depth is bounded too). */
static size_t graph_nodes(const struct eco_onnx_graph *g, size_t cap, int depth)
{
    size_t n = g->n_nodes;
    for (size_t i = 0; i < g->n_nodes && n <= cap; i++)
        for (size_t a = 0; a < g->nodes[i].n_attrs && n <= cap; a++) {
            const struct eco_onnx_attr *at = &g->nodes[i].attrs[a];
            if (depth >= 8 && (at->g || at->n_graphs))
                return cap + 1;
            if (at->g)
                n += graph_nodes(at->g, cap, depth + 1);
            for (size_t k = 0; k < at->n_graphs && n <= cap; k++)
                n += graph_nodes(at->graphs[k], cap, depth + 1);
        }
    return n;
}

static struct eco_val *loop_iter_val(struct eco_op_ctx *c, int64_t i)
{
    struct eco_val *v = eco_val_new(c);
    struct eco_dim *vals = eco_arena_array(c->arena, 1, sizeof *vals);
    if (!v || !vals)
        return NULL;
    v->dtype = ECO_DT_INT64;
    v->rank = 0;
    vals[0] = eco_dim_num(i);
    v->vals = vals;
    v->n_vals = 1;
    return v;
}

static void loop_out_from(struct eco_op_ctx *c, size_t i, const struct eco_val *src)
{
    eco_out_like(c, i, src);
    if (src && src->n_vals >= 0 && i < c->n_out && c->out[i]) {
        c->out[i]->n_vals = src->n_vals;
        c->out[i]->vals = src->vals;
        c->out[i]->fvals = src->fvals;
    }
}

static int unroll_loop(struct eco_op_ctx *c, const struct eco_onnx_graph *body, int64_t trips, size_t n_carried)
{
    struct eco_val **bin = eco_arena_array(c->arena, n_carried + 3, sizeof *bin);
    struct eco_val **bout = eco_arena_array(c->arena, body->n_outputs + 1, sizeof *bout);
    size_t n_scan = body->n_outputs > 1 + n_carried ? body->n_outputs - 1 - n_carried : 0;
    struct eco_val **first = eco_arena_array(c->arena, n_scan + 1, sizeof *first);
    struct eco_dim(*scan_d)[ECO_MAX_RANK] = eco_arena_array(c->arena, n_scan + 1, sizeof *scan_d);
    if (!bin || !bout || !first || !scan_d)
        return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
    for (size_t k = 0; k < n_carried; k++)
        bin[2 + k] = c->in[2 + k];
    double macs = 0, flops = 0, params = 0;
    int sym = 0;
    for (int64_t it = 0; it < trips; it++) {
        bin[0] = loop_iter_val(c, it);
        bin[1] = eco_val_new(c);
        if (!bin[0] || !bin[1])
            return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
        bin[1]->dtype = ECO_DT_BOOL;
        bin[1]->rank = 0;
        memset(bout, 0, (body->n_outputs + 1) * sizeof *bout);
        double m = 0, f = 0;
        if (eco_infer_subgraph(c, body, bin, n_carried + 2, bout, &m, &f, &params, &sym))
            return -1;
        macs += m;
        flops += f;
        for (size_t k = 0; k < n_carried; k++)
            bin[2 + k] = bout[1 + k];
        for (size_t k = 0; k < n_scan; k++) { /* scan outputs: every iteration's shape must agree */
            struct eco_val *b = bout[1 + n_carried + k];
            if (it == 0)
                first[k] = b;
            if (!b || !eco_has_shape(b) || !first[k] || !eco_has_shape(first[k]) || b->rank != first[k]->rank)
                first[k] = NULL;
            else
                for (int r = 0; r < b->rank; r++)
                    scan_d[k][r] = it == 0 ? b->d[r] : merge_dim(scan_d[k][r], b->d[r]);
        }
    }
    for (size_t i = 0; i < c->n_out; i++) {
        if (i < n_carried) {
            loop_out_from(c, i, bin[2 + i]);
            continue;
        }
        size_t k = i - n_carried;
        if (k >= n_scan || !first[k] || first[k]->rank >= ECO_MAX_RANK) {
            eco_out_unknown(c, i, k < n_scan && bout[1 + n_carried + k] ? bout[1 + n_carried + k]->dtype : 0);
            continue;
        }
        struct eco_dim d[ECO_MAX_RANK];
        d[0] = eco_dim_num(trips);
        memcpy(d + 1, scan_d[k], sizeof(struct eco_dim) * (size_t)first[k]->rank);
        eco_out_rank(c, i, first[k]->dtype, first[k]->rank + 1, d);
    }
    c->macs = macs;
    c->flops = flops;
    c->symbolic |= sym;
    return 0;
}

static int infer_loop(struct eco_op_ctx *c)
{
    const struct eco_onnx_graph *body = graph_attr(c, "body");
    if (!body)
        return eco_op_error(c, "Loop needs a body graph");
    size_t n_carried = c->n_in > 2 ? c->n_in - 2 : 0;
    int64_t trip[1];
    size_t n;
    int trip_known = eco_in(c, 0) && eco_in_ints(c, 0, trip, 1, &n) && n == 1 && trip[0] >= 0;
    int cond_given = eco_in(c, 1) != NULL && !cond_stays_true(c, body);
    int inits_known = 1;
    for (size_t k = 0; k < n_carried; k++)
        inits_known &= c->in[2 + k] != NULL;
    /* only a loop of the top-level graph, and only while trips x every node under the
     * body stays within the bound: a Loop inside an unrolled body runs the body once */
    if (c->depth == 0 && trip_known && !cond_given && inits_known && trip[0] >= 1 &&
        trip[0] <= LOOP_UNROLL_MAX_TRIPS &&
        (size_t)trip[0] * (graph_nodes(body, LOOP_UNROLL_MAX_NODES, 0) + 1) <= LOOP_UNROLL_MAX_NODES)
        return unroll_loop(c, body, trip[0], n_carried);
    struct eco_val **bin = eco_arena_array(c->arena, n_carried + 3, sizeof *bin);
    struct eco_val **bout = eco_arena_array(c->arena, body->n_outputs + 1, sizeof *bout);
    if (!bin || !bout)
        return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
    bin[0] = eco_val_new(c);
    bin[1] = eco_val_new(c);
    if (!bin[0] || !bin[1])
        return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
    bin[0]->dtype = ECO_DT_INT64;
    bin[0]->rank = 0;
    bin[1]->dtype = ECO_DT_BOOL;
    bin[1]->rank = 0;
    for (size_t i = 0; i < n_carried; i++)
        bin[2 + i] = c->in[2 + i];
    double macs = 0, flops = 0, params = 0;
    int sym = 0;
    if (eco_infer_subgraph(c, body, bin, n_carried + 2, bout, &macs, &flops, &params, &sym))
        return -1;
    struct eco_dim seq = trip_known && !cond_given ? eco_dim_num(trip[0]) : eco_dim_unknown();
    for (size_t i = 0; i < c->n_out; i++) {
        struct eco_val *b = 1 + i < body->n_outputs ? bout[1 + i] : NULL;
        if (i < n_carried) {
            /* carried values keep the body's shape when it matches the initial one */
            struct eco_val *init = c->in[2 + i];
            if (b && init && eco_has_shape(b) && eco_has_shape(init) && b->rank == init->rank) {
                struct eco_dim d[ECO_MAX_RANK];
                for (int k = 0; k < b->rank; k++)
                    d[k] = merge_dim(b->d[k], init->d[k]);
                eco_out_rank(c, i, b->dtype, b->rank, d);
            } else if (b && eco_has_shape(b) && !init) {
                eco_out_like(c, i, b);
                if (c->out[i] && c->out[i]->is_seq) { /* one pass of the body: a carried
                                                       * sequence may grow each iteration */
                    c->out[i]->seq_len = -1;
                    c->out[i]->elems = NULL;
                }
            } else
                eco_out_unknown(c, i, b ? b->dtype : 0);
        } else if (b && eco_has_shape(b) && b->rank < ECO_MAX_RANK) {
            struct eco_dim d[ECO_MAX_RANK];
            d[0] = seq;
            memcpy(d + 1, b->d, sizeof(struct eco_dim) * (size_t)b->rank);
            eco_out_rank(c, i, b->dtype, b->rank + 1, d);
        } else
            eco_out_unknown(c, i, b ? b->dtype : 0);
    }
    double times = trip_known ? (double)trip[0] : 1;
    struct eco_val *tv = eco_in(c, 0);
    if (!trip_known && tv && (tv->data_dep || (tv->n_vals == 1 && eco_sym_data_dep(tv->vals[0])))) {
        c->data_dep = 1; /* once per detection, say: counted per unit of the data-dependent count */
        c->unknown_what = "the trip count (from the data)";
    } else if (!trip_known) { /* the body counted once: a lower bound */
        c->partial = 1;
        c->unknown_what = "the trip count";
    }
    c->macs = macs * times;
    c->flops = flops * times;
    c->symbolic |= sym;
    return 0;
}

static int infer_scan(struct eco_op_ctx *c)
{
    const struct eco_onnx_graph *body = graph_attr(c, "body");
    if (!body)
        return eco_op_error(c, "Scan needs a body graph");
    int64_t m = eco_onnx_attr_int(c->node, "num_scan_inputs", 0);
    size_t first = c->opset < 9 ? 1 : 0; /* opset 8 has sequence_lens first and a batch axis */
    if (m <= 0 || (size_t)m + first > c->n_in)
        return eco_op_error(c, "num_scan_inputs %lld does not fit %zu inputs", (long long)m, c->n_in);
    size_t n_state = c->n_in - first - (size_t)m;
    size_t na;
    const int64_t *in_axes = eco_onnx_attr_ints(c->node, "scan_input_axes", &na);
    if (in_axes && na != (size_t)m)
        in_axes = NULL;
    const int64_t *out_axes = eco_onnx_attr_ints(c->node, "scan_output_axes", &na);
    size_t n_out_axes = out_axes ? na : 0;
    struct eco_val **bin = eco_arena_array(c->arena, n_state + (size_t)m + 1, sizeof *bin);
    struct eco_val **bout = eco_arena_array(c->arena, body->n_outputs + 1, sizeof *bout);
    if (!bin || !bout)
        return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
    int batch = c->opset < 9; /* opset 8: [batch, seq, ...] */
    struct eco_dim seq = eco_dim_unknown(), bdim = eco_dim_unknown();
    for (size_t i = 0; i < n_state + (size_t)m; i++) {
        struct eco_val *x = c->in[first + i];
        if (i < n_state) {
            if (batch && x && eco_has_shape(x) && x->rank >= 1) {
                struct eco_val *v = eco_val_new(c);
                if (!v)
                    return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
                *v = *x;
                v->rank = x->rank - 1;
                memmove(v->d, x->d + 1, sizeof(struct eco_dim) * (size_t)v->rank);
                bdim = x->d[0];
                bin[i] = v;
            } else
                bin[i] = x;
            continue;
        }
        struct eco_val *v = eco_val_new(c);
        if (!v)
            return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
        if (x && eco_has_shape(x) && x->rank >= 1 + batch) {
            int ax = batch ? 1 : eco_axis(in_axes ? in_axes[i - n_state] : 0, x->rank);
            if (ax < 0)
                return eco_op_error(c, "scan input axis out of range");
            if (i == n_state)
                seq = x->d[ax];
            v->dtype = x->dtype;
            v->rank = 0;
            for (int k = 0; k < x->rank; k++)
                if (k != ax && !(batch && k == 0))
                    v->d[v->rank++] = x->d[k];
        }
        bin[i] = v;
    }
    double macs = 0, flops = 0, params = 0;
    int sym = 0;
    if (eco_infer_subgraph(c, body, bin, n_state + (size_t)m, bout, &macs, &flops, &params, &sym))
        return -1;
    for (size_t i = 0; i < c->n_out; i++) {
        struct eco_val *b = i < body->n_outputs ? bout[i] : NULL;
        if (!b || !eco_has_shape(b) || b->rank + 1 + batch > ECO_MAX_RANK) {
            eco_out_unknown(c, i, b ? b->dtype : 0);
            continue;
        }
        struct eco_dim d[ECO_MAX_RANK];
        if (i < n_state) {
            int r = 0;
            if (batch)
                d[r++] = bdim;
            memcpy(d + r, b->d, sizeof(struct eco_dim) * (size_t)b->rank);
            eco_out_rank(c, i, b->dtype, b->rank + r, d);
            continue;
        }
        int r = b->rank + 1;
        int ax = batch ? 1 : eco_axis(i - n_state < n_out_axes ? out_axes[i - n_state] : 0, r);
        if (ax < 0)
            return eco_op_error(c, "scan output axis out of range");
        int k = 0, o = 0;
        if (batch)
            d[o++] = bdim, r++;
        for (; o < r; o++)
            d[o] = o == ax ? seq : b->d[k++];
        eco_out_rank(c, i, b->dtype, r, d);
    }
    double times = eco_dimv(c, seq);
    if (batch)
        times *= eco_dimv(c, bdim);
    c->macs = macs * times;
    c->flops = flops * times;
    c->symbolic |= sym;
    return 0;
}

const struct eco_op eco_ops_misc[] = {
    {"Constant", "", infer_constant, NULL, 0},
    {"Resize", "", infer_resize, cost_resize, 0},
    {"Upsample", "", infer_resize, cost_resize, 0},
    {"QuantizeLinear", "", infer_quantize, NULL, 2},
    {"DequantizeLinear", "", infer_dequantize, NULL, 2},
    {"DynamicQuantizeLinear", "", infer_dyn_quantize, NULL, 4},
    {"Det", "", infer_det, cost_det, 0},
    {"If", "", infer_if, NULL, 0},
    {"Loop", "", infer_loop, NULL, 0},
    {"Scan", "", infer_scan, NULL, 0},
    {NULL, NULL, NULL, NULL, 0},
};
