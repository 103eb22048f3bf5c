/* The shape-inference engine: scopes of named tensors, topological order,
 * the per-node loop, subgraphs, totals. Operators live in ops_*.c. */
#include "model/shape_infer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/given_values.h"
#include "model/ops.h"
#include "model/sym_expr.h"
#include "model/value_eval.h"

#define MAX_NOTES 8

struct eco_scope {
    struct eco_scope *parent;
    size_t n_buckets;
    struct eco_val **buckets;
};

struct eco_infer {
    const struct eco_onnx_model *m;
    const struct eco_infer_opts *opts;
    struct eco_onnx_costs *rep;
    struct eco_arena *arena;
    struct eco_err *err;
    size_t cap_unsupported, cap_symbols;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static struct eco_scope *scope_new(struct eco_arena *a, struct eco_scope *parent, size_t n)
{
    struct eco_scope *s = eco_arena_alloc(a, sizeof *s);
    if (!s)
        return NULL;
    size_t nb = 16;
    while (nb < 2 * n && nb < ((size_t)1 << 30))
        nb <<= 1;
    s->buckets = eco_arena_array(a, nb, sizeof *s->buckets);
    if (!s->buckets)
        return NULL;
    s->n_buckets = nb;
    s->parent = parent;
    return s;
}

static struct eco_val *scope_get_local(struct eco_scope *s, const char *name)
{
    for (struct eco_val *v = s->buckets[hash(name) & (s->n_buckets - 1)]; v; v = v->next)
        if (strcmp(v->name, name) == 0)
            return v;
    return NULL;
}

static struct eco_val *scope_get(struct eco_scope *s, const char *name)
{
    for (; s; s = s->parent) {
        struct eco_val *v = scope_get_local(s, name);
        if (v)
            return v;
    }
    return NULL;
}

/* Insert (replacing a same-named local value: later definitions win). */
static void scope_put(struct eco_scope *s, struct eco_val *v)
{
    struct eco_val **pp = &s->buckets[hash(v->name) & (s->n_buckets - 1)];
    for (struct eco_val **q = pp; *q; q = &(*q)->next)
        if (strcmp((*q)->name, v->name) == 0) {
            v->next = (*q)->next;
            *q = v;
            return;
        }
    v->next = *pp;
    *pp = v;
}

static struct eco_val *val_alloc(struct eco_arena *a, const char *name)
{
    struct eco_val *v = eco_arena_alloc(a, sizeof *v);
    if (!v)
        return NULL;
    v->name = name;
    v->rank = -1;
    v->n_vals = -1;
    v->seq_len = -1;
    return v;
}

struct eco_val *eco_val_new(struct eco_op_ctx *c) { return val_alloc(c->arena, ""); }

static int val_from_tensor(struct eco_infer *inf, const struct eco_onnx_tensor *t, struct eco_val *v)
{
    v->dtype = t->dtype;
    if (t->n_dims > ECO_MAX_RANK)
        return eco_err_set(inf->err, ECO_EXIT_USAGE, "tensor '%s' has rank %d (more than %d)", t->name,
                           t->n_dims, ECO_MAX_RANK);
    v->rank = t->n_dims;
    for (int i = 0; i < t->n_dims; i++)
        v->d[i] = eco_dim_num(t->dims[i]);
    if (t->n_vals >= 0) {
        v->n_vals = t->n_vals;
        v->vals = eco_arena_array(inf->arena, (size_t)(t->n_vals ? t->n_vals : 1), sizeof *v->vals);
        if (!v->vals)
            return eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
        for (int64_t i = 0; i < t->n_vals; i++)
            v->vals[i] = eco_dim_num(t->ivals[i]);
        if (t->dtype == ECO_DT_FLOAT || t->dtype == ECO_DT_DOUBLE)
            v->fvals = t->fvals;
    }
    return 0;
}

static void val_from_info(const struct eco_onnx_value_info *vi, struct eco_val *v)
{
    v->dtype = vi->elem_type;
    v->non_tensor = vi->kind == 3;
    v->is_seq = vi->kind == 1;
    v->rank = vi->rank > ECO_MAX_RANK ? -1 : vi->rank;
    for (int i = 0; i < v->rank; i++) {
        if (vi->dims[i].value >= 0)
            v->d[i] = eco_dim_num(vi->dims[i].value);
        else
            v->d[i] = eco_dim_sym(vi->dims[i].param, 1);
    }
}

/* Parameters: initializers of the floating-point and small-integer types
 * (weights, including quantised ones); int64/bool/string initializers are
 * shapes, indices and masks, not learned parameters. */
static int is_param_dtype(int dt)
{
    return dt != ECO_DT_INT64 && dt != ECO_DT_BOOL && dt != ECO_DT_STRING && dt != ECO_DT_UNDEFINED &&
           dt != ECO_DT_UINT64;
}

static int note_symbol(struct eco_infer *inf, const char *sym)
{
    struct eco_onnx_costs *r = inf->rep;
    for (size_t i = 0; i < r->n_symbols; i++)
        if (strcmp(r->symbols[i], sym) == 0)
            return 0;
    if (r->n_symbols == inf->cap_symbols) {
        size_t cap = inf->cap_symbols ? 2 * inf->cap_symbols : 8;
        const char **p = eco_arena_array(&r->arena, cap, sizeof *p);
        if (!p)
            return -1;
        if (r->n_symbols)
            memcpy(p, r->symbols, r->n_symbols * sizeof *p);
        r->symbols = p;
        inf->cap_symbols = cap;
    }
    r->symbols[r->n_symbols++] = sym;
    return 0;
}

static int note_unsupported(struct eco_infer *inf, const struct eco_onnx_node *n)
{
    struct eco_onnx_costs *r = inf->rep;
    for (size_t i = 0; i < r->n_unsupported; i++)
        if (strcmp(r->unsupported[i].op, n->op_type) == 0 &&
            strcmp(r->unsupported[i].domain, n->domain) == 0) {
            r->unsupported[i].count++;
            return 0;
        }
    if (r->n_unsupported == inf->cap_unsupported) {
        size_t cap = inf->cap_unsupported ? 2 * inf->cap_unsupported : 8;
        struct eco_op_count *p = eco_arena_array(&r->arena, cap, sizeof *p);
        if (!p)
            return -1;
        if (r->n_unsupported)
            memcpy(p, r->unsupported, r->n_unsupported * sizeof *p);
        r->unsupported = p;
        inf->cap_unsupported = cap;
    }
    r->unsupported[r->n_unsupported++] = (struct eco_op_count){n->op_type, n->domain, 1};
    return 0;
}

/* Names a subgraph reads from enclosing scopes (for ordering). */
static void collect_graph_reads(const struct eco_onnx_graph *g, void (*fn)(void *, const char *), void *ud)
{
    for (size_t i = 0; i < g->n_nodes; i++) {
        const struct eco_onnx_node *n = &g->nodes[i];
        for (size_t k = 0; k < n->n_inputs; k++)
            if (n->inputs[k][0])
                fn(ud, n->inputs[k]);
        for (size_t a = 0; a < n->n_attrs; a++) {
            if (n->attrs[a].g)
                collect_graph_reads(n->attrs[a].g, fn, ud);
            for (size_t k = 0; k < n->attrs[a].n_graphs; k++)
                collect_graph_reads(n->attrs[a].graphs[k], fn, ud);
        }
    }
}

/* ---- topological order ---- */

struct producer_map {
    size_t n_buckets;
    struct prod { const char *name; size_t node; struct prod *next; } **b;
};

static long prod_find(const struct producer_map *pm, const char *name)
{
    for (struct prod *p = pm->b[hash(name) & (pm->n_buckets - 1)]; p; p = p->next)
        if (strcmp(p->name, name) == 0)
            return (long)p->node;
    return -1;
}

struct dep_ctx {
    const struct producer_map *pm;
    size_t self;
    size_t *deps;
    size_t n, cap;
    int overflow;
};

static void add_dep(void *ud, const char *name)
{
    struct dep_ctx *d = ud;
    long p = prod_find(d->pm, name);
    if (p < 0 || (size_t)p == d->self)
        return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 16;
        size_t *q = realloc(d->deps, cap * sizeof *q);
        if (!q) {
            d->overflow = 1;
            return;
        }
        d->deps = q;
        d->cap = cap;
    }
    d->deps[d->n++] = (size_t)p;
}

/* Who produces each output name: a hash map over prods[] (to free with
 * pm->b). 0, or -1 when out of memory. */
static int map_producers(const struct eco_onnx_graph *g, struct producer_map *pm, struct prod **prods)
{
    size_t n = g->n_nodes, n_prods = 0, k = 0;
    pm->n_buckets = 16;
    while (pm->n_buckets < 2 * n)
        pm->n_buckets <<= 1;
    pm->b = calloc(pm->n_buckets, sizeof *pm->b);
    for (size_t i = 0; i < n; i++)
        n_prods += g->nodes[i].n_outputs;
    *prods = calloc(n_prods ? n_prods : 1, sizeof **prods);
    if (!pm->b || !*prods)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t o = 0; o < g->nodes[i].n_outputs; o++) {
            const char *name = g->nodes[i].outputs[o];
            if (!name[0])
                continue;
            (*prods)[k] = (struct prod){name, i, NULL};
            size_t h = hash(name) & (pm->n_buckets - 1);
            (*prods)[k].next = pm->b[h];
            pm->b[h] = &(*prods)[k];
            k++;
        }
    return 0;
}

/* For each node its producers (dc->deps from edge_start[i]), including those
 * its subgraphs read; indeg[i] their count. 0, or an error set in inf. */
static int collect_deps(struct eco_infer *inf, const struct eco_onnx_graph *g, struct dep_ctx *dc,
                        size_t *indeg, size_t *edge_start)
{
    size_t n = g->n_nodes;
    for (size_t i = 0; i < n; i++) {
        const struct eco_onnx_node *nd = &g->nodes[i];
        dc->self = i;
        edge_start[i] = dc->n;
        for (size_t j = 0; j < nd->n_inputs; j++) {
            if (!nd->inputs[j][0])
                continue;
            if (prod_find(dc->pm, nd->inputs[j]) == (long)i)
                return eco_err_set(inf->err, ECO_EXIT_USAGE,
                                   "the graph has a cycle: node '%s' (%s, byte offset %zu) reads its own "
                                   "output '%s'",
                                   nd->name[0] ? nd->name : "(unnamed)", nd->op_type, nd->off, nd->inputs[j]);
            add_dep(dc, nd->inputs[j]);
        }
        for (size_t a = 0; a < nd->n_attrs; a++) {
            if (nd->attrs[a].g)
                collect_graph_reads(nd->attrs[a].g, add_dep, dc);
            for (size_t j = 0; j < nd->attrs[a].n_graphs; j++)
                collect_graph_reads(nd->attrs[a].graphs[j], add_dep, dc);
        }
        indeg[i] = dc->n - edge_start[i];
    }
    edge_start[n] = dc->n;
    return dc->overflow ? eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory") : 0;
}

/* Reverse edges, producer -> consumers, as a CSR array: the consumers of
 * node p are owner[start[p] .. start[p + 1]). 0, or -1 when out of memory. */
static int reverse_edges(size_t n, const struct dep_ctx *dc, const size_t *edge_start, size_t **start_out,
                         size_t **owner_out)
{
    size_t *start = calloc(n + 1, sizeof *start), *fill = calloc(n, sizeof *fill);
    size_t *owner = calloc(dc->n ? dc->n : 1, sizeof *owner);
    if (!start || !fill || !owner) {
        free(start), free(fill), free(owner);
        return -1;
    }
    for (size_t e = 0; e < dc->n; e++)
        start[dc->deps[e] + 1]++;
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    for (size_t i = 0; i < n; i++)
        for (size_t e = edge_start[i]; e < edge_start[i + 1]; e++) {
            size_t p = dc->deps[e];
            owner[start[p] + fill[p]++] = i;
        }
    free(fill);
    *start_out = start;
    *owner_out = owner;
    return 0;
}

/* Kahn's algorithm; a ready queue kept in file order (a min-heap would be
 * overkill: files are almost always already sorted). The nodes ordered. */
static size_t kahn(size_t n, size_t *indeg, const size_t *start, const size_t *owner, size_t *order)
{
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < n; i++)
        if (indeg[i] == 0)
            order[tail++] = i;
    while (head < tail) {
        size_t i = order[head++];
        for (size_t e = start[i]; e < start[i + 1]; e++)
            if (--indeg[owner[e]] == 0)
                order[tail++] = owner[e];
    }
    return tail;
}

/* Nodes left with producers after Kahn's algorithm sit on a cycle. */
static int cycle_error(struct eco_infer *inf, const struct eco_onnx_graph *g, const size_t *indeg)
{
    for (size_t i = 0; i < g->n_nodes; i++)
        if (indeg[i]) {
            const struct eco_onnx_node *nd = &g->nodes[i];
            int rc = eco_err_set(inf->err, ECO_EXIT_USAGE,
                                 "the graph has a cycle: node '%s' (%s, byte offset %zu) depends on "
                                 "its own output",
                                 nd->name[0] ? nd->name : "(unnamed)", nd->op_type, nd->off);
            eco_err_hint(inf->err, "an ONNX graph must be acyclic; re-export the model");
            return rc;
        }
    return 0;
}

/* Fill order[] with node indices in an executable order; error on a cycle. */
static int topo_order(struct eco_infer *inf, const struct eco_onnx_graph *g, size_t *order)
{
    size_t n = g->n_nodes;
    if (n == 0)
        return 0;
    struct producer_map pm = {0};
    struct prod *prods = NULL;
    size_t *indeg = calloc(n, sizeof *indeg), *edge_start = calloc(n + 1, sizeof *edge_start);
    size_t *start = NULL, *owner = NULL;
    struct dep_ctx dc = {&pm, 0, NULL, 0, 0, 0};
    int rc = 0;
    if (map_producers(g, &pm, &prods) != 0 || !indeg || !edge_start)
        rc = eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
    else if ((rc = collect_deps(inf, g, &dc, indeg, edge_start)) != 0)
        ;
    else if (reverse_edges(n, &dc, edge_start, &start, &owner) != 0)
        rc = eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
    else if (kahn(n, indeg, start, owner, order) < n)
        rc = cycle_error(inf, g, indeg);
    free(pm.b);
    free(prods);
    free(indeg);
    free(edge_start);
    free(dc.deps);
    free(start);
    free(owner);
    return rc;
}

/* ---- one graph ---- */

struct graph_totals {
    double macs, flops, params, act_bytes;
    int symbolic, partial, data_dep;
};

void eco_onnx_costs_note(struct eco_onnx_costs *rep, const char *fmt, ...)
{
    if (rep->n_notes >= MAX_NOTES)
        return;
    if (!rep->notes && !(rep->notes = eco_arena_array(&rep->arena, MAX_NOTES, sizeof *rep->notes)))
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const char *s = eco_arena_strndup(&rep->arena, buf, strlen(buf));
    if (s)
        rep->notes[rep->n_notes++] = s;
}

int eco_onnx_costs_complete(const struct eco_onnx_costs *rep)
{
    return !rep->n_partial && !rep->n_data_dep && !rep->n_no_shape && !rep->n_unsupported;
}

/* The first tensor of a partial (or data-dependent) node with a dimension
 * of that kind, as "'name' dim K" (or "'name' (rank unknown)"). */
static const char *unknown_what(struct eco_infer *inf, struct eco_op_ctx *c, int want_data_dep)
{
    for (int pass = 0; pass < 2; pass++) {
        size_t n = pass ? c->n_out : c->n_in;
        struct eco_val **vs = pass ? c->out : c->in;
        for (size_t i = 0; i < n; i++) {
            const struct eco_val *v = vs[i];
            if (!v || v->non_tensor)
                continue;
            char buf[320];
            buf[0] = 0;
            if (v->rank < 0 && !want_data_dep)
                snprintf(buf, sizeof buf, "'%.256s' (rank unknown)", v->name);
            for (int k = 0; k < v->rank && !buf[0]; k++) {
                struct eco_dim d = v->d[k];
                if (eco_dim_known(d) || eco_sym_named(d) || eco_sym_data_dep(d) != want_data_dep)
                    continue;
                snprintf(buf, sizeof buf, "'%.256s' dim %d", v->name, k);
            }
            if (buf[0])
                return eco_arena_strndup(inf->arena, buf, strlen(buf));
        }
    }
    return want_data_dep ? "a value computed from the input data" : "a dimension of its inputs";
}

/* A tensor with a dimension of 0 has no elements, so its values are known
 * (none) whatever is fed: ReduceSum's axes declared [0] means "no axes". */
static int empty_values(struct eco_infer *inf, struct eco_val *v)
{
    if (v->n_vals >= 0 || v->is_seq || v->non_tensor || v->dtype == ECO_DT_STRING)
        return 0;
    for (int i = 0; i < v->rank; i++) {
        if (eco_dim_known(v->d[i]) && v->d[i].v == 0) {
            if (!(v->vals = eco_arena_array(inf->arena, 1, sizeof *v->vals)))
                return eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
            v->n_vals = 0;
            v->vals_data = 0;
            return 0;
        }
    }
    return 0;
}

static int run_graph(struct eco_infer *inf, const struct eco_onnx_graph *g, struct eco_scope *parent,
                     int depth, struct eco_val **bound, size_t n_bound, struct eco_val **outs,
                     struct graph_totals *tot, int top);

static void cost_params(struct eco_infer *inf, struct eco_op_ctx *c, double *params)
{
    (void)inf;
    if (strcmp(c->node->op_type, "Identity") == 0)
        return; /* a weight forwarded by Identity belongs to the node that uses it */
    for (size_t i = 0; i < c->n_in; i++) {
        struct eco_val *v = c->in[i];
        if (v && v->init_src)
            v = v->init_src;
        if (v && v->is_init && !v->param_done && is_param_dtype(v->dtype) && eco_shape_known(v)) {
            double n = 1;
            for (int k = 0; k < v->rank; k++)
                n *= (double)v->d[k].v;
            *params += n;
            v->param_done = 1;
        }
    }
}

static void notes_symbols(struct eco_infer *inf, const struct eco_val *v)
{
    if (!v || v->rank < 0)
        return;
    for (int k = 0; k < v->rank; k++)
        if (eco_sym_named(v->d[k]))
            note_symbol(inf, v->d[k].sym);
}

/* 1 when v has a dimension or value nobody knows (unnamed or data-dependent). */
static int has_unknown(const struct eco_val *v)
{
    if (v->rank < 0)
        return 1;
    for (int k = 0; k < v->rank; k++)
        if (!eco_dim_known(v->d[k]) && !eco_sym_named(v->d[k]))
            return 1;
    for (int64_t i = 0; i < v->n_vals; i++)
        if (!eco_dim_known(v->vals[i]) && !eco_sym_named(v->vals[i]))
            return 1;
    return 0;
}

/* What follows from data-dependent values is data-dependent too: outputs of
 * a node that reads one, where they are not known, carry the mark (so the
 * nodes after NonMaxSuppression are not reported as ecometer's failures). */
/* A small tensor (a shape, sizes, scales, a count) whose values were needed
 * but come from the input data (box coordinates cast to sizes). */
static int data_valued_shape_input(const struct eco_val *v)
{
    if (!v->vals_data || v->rank < 0 || v->rank > 1 || v->n_vals >= 0)
        return 0;
    int is_int = v->dtype == ECO_DT_INT64 || v->dtype == ECO_DT_INT32;
    return is_int || (v->rank == 0 || (eco_dim_known(v->d[0]) && v->d[0].v <= 8));
}

static void spread_data_dep(struct eco_op_ctx *c)
{
    int tainted = 0, dropped = 0, data_vals = 0;
    for (size_t i = 0; i < c->n_in; i++) {
        if (!c->in[i])
            continue;
        tainted |= c->in[i]->data_dep || data_valued_shape_input(c->in[i]);
        dropped |= c->in[i]->vals_dropped;
        data_vals |= c->in[i]->vals_data;
    }
    /* values follow from the inputs' values, except what only reads shapes */
    const char *op = c->node->op_type;
    int shape_only = !strcmp(op, "Shape") || !strcmp(op, "Size") || !strcmp(op, "ConstantOfShape");
    for (size_t i = 0; i < c->n_out; i++)
        if (c->out[i])
            c->out[i]->vals_data = data_vals && !shape_only;
    for (size_t i = 0; i < c->n_out && dropped; i++) /* what the bound left unknown stays so */
        if (c->out[i] && (has_unknown(c->out[i]) || (c->out[i]->n_vals < 0 && c->out[i]->dtype == ECO_DT_INT64)))
            c->out[i]->vals_dropped = 1;
    if (!tainted)
        return;
    struct eco_dim dd = eco_dim_sym("data-dependent", 0);
    for (size_t i = 0; i < c->n_out; i++) {
        struct eco_val *o = c->out[i];
        if (!o || !has_unknown(o))
            continue;
        o->data_dep = 1;
        for (int k = 0; k < o->rank; k++)
            if (!eco_dim_known(o->d[k]) && !eco_sym_named(o->d[k]))
                o->d[k] = dd;
        for (int64_t k = 0; k < o->n_vals; k++)
            if (!eco_dim_known(o->vals[k]) && !eco_sym_named(o->vals[k]))
                o->vals[k] = dd;
    }
}

/* A partial node fed by values the bound dropped: say so once. */
static void note_dropped(struct eco_infer *inf, struct eco_op_ctx *c)
{
    if (inf->rep->value_big_noted)
        return;
    for (size_t i = 0; i < c->n_in; i++)
        if (c->in[i] && c->in[i]->vals_dropped) {
            inf->rep->value_big_noted = 1;
            eco_onnx_costs_note(inf->rep, "node '%s' is partial because '%s' comes from an integer tensor of more "
                            "than %d elements, whose values are not followed (the bound against hostile models)",
                            c->node_name, c->in[i]->name, ECO_VALUE_MAX_ELEMS);
            return;
        }
}

/* Infer, evaluate values, count: the op-table row's work on one node. */
static int run_op(struct eco_infer *inf, struct eco_op_ctx *c, const struct eco_op *op, int *status)
{
    if (op->infer && op->infer(c) != 0)
        return -1;
    if (eco_value_eval(c) != 0)
        return -1;
    spread_data_dep(c);
    int sym_before = c->symbolic;
    c->symbolic = 0;
    if (op->cost && op->cost(c) != 0)
        return -1;
    else if (!op->cost && op->per_elem > 0)
        eco_cost_per_output(c, op->per_elem);
    c->symbolic |= sym_before;
    if (c->no_shape)
        *status = ECO_NODE_NO_SHAPE;
    if ((c->no_shape || c->partial) && !c->unknown_what)
        c->unknown_what = unknown_what(inf, c, 0);
    if (c->no_shape || c->partial)
        note_dropped(inf, c);
    else if (c->data_dep && !c->unknown_what)
        c->unknown_what = unknown_what(inf, c, 1);
    if (c->macs > 1e30 || c->flops > 1e30)
        return eco_op_error(c, "absurd cost (%.3g MACs): dimensions overflow", c->macs);
    return 0;
}

/* The node's result row and its share of the totals and flags. */
static void account(struct eco_infer *inf, struct eco_op_ctx *c, int status, double params,
                    struct eco_node_result *res, struct graph_totals *tot)
{
    if (res) {
        res->node = c->node;
        res->name = c->node_name;
        res->macs = c->macs;
        res->flops = c->flops;
        res->params = params;
        res->status = status;
        res->symbolic = c->symbolic;
        res->partial = c->partial || status == ECO_NODE_NO_SHAPE;
        res->data_dep = c->data_dep && !res->partial;
        res->unknown_what = c->unknown_what;
        res->n_outs = c->n_out;
        res->outs = c->out;
    }
    tot->macs += c->macs;
    tot->flops += c->flops;
    tot->params += params;
    if (c->symbolic && status == ECO_NODE_COUNTED)
        tot->symbolic = 1;
    if (status == ECO_NODE_NO_SHAPE && c->depth == 0)
        inf->rep->n_no_shape++;
    if (status != ECO_NODE_UNSUPPORTED) {
        int partial = c->partial || status == ECO_NODE_NO_SHAPE;
        tot->partial |= partial;
        tot->data_dep |= c->data_dep && !partial;
        if (c->depth == 0 && partial)
            inf->rep->n_partial++;
        else if (c->depth == 0 && c->data_dep)
            inf->rep->n_data_dep++;
    }
    for (size_t i = 0; i < c->n_out; i++) {
        struct eco_val *o = c->out[i];
        if (!o || o->rank < 0)
            continue;
        if (c->symbolic)
            notes_symbols(inf, o);
        double n = 1;
        for (int k = 0; k < o->rank; k++)
            if (eco_dim_known(o->d[k]))
                n *= (double)o->d[k].v;
        double sz = eco_onnx_dtype_size(o->dtype);
        tot->act_bytes += n * (sz > 0 ? sz : 4);
    }
    for (size_t i = 0; i < c->n_in; i++)
        if (c->symbolic)
            notes_symbols(inf, c->in[i]);
}

static int run_node(struct eco_infer *inf, struct eco_scope *scope, const struct eco_onnx_node *nd,
                    size_t index, int depth, struct eco_node_result *res, struct graph_totals *tot)
{
    struct eco_op_ctx c;
    memset(&c, 0, sizeof c);
    c.inf = inf;
    c.scope = scope;
    c.arena = inf->arena;
    c.err = inf->err;
    c.rep = inf->rep;
    c.node = nd;
    c.depth = depth;
    if (nd->name[0])
        c.node_name = nd->name;
    else {
        char buf[96];
        snprintf(buf, sizeof buf, "%.60s_%zu", nd->op_type, index);
        c.node_name = eco_arena_strndup(inf->arena, buf, strlen(buf));
        if (!c.node_name)
            return eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
    }
    c.opset = eco_onnx_opset(inf->m, nd->domain);
    c.n_in = nd->n_inputs;
    c.n_out = nd->n_outputs;
    c.in = eco_arena_array(inf->arena, c.n_in + 1, sizeof *c.in);
    c.out = eco_arena_array(inf->arena, c.n_out + 1, sizeof *c.out);
    if (!c.in || !c.out)
        return eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
    for (size_t i = 0; i < c.n_in; i++) {
        if (!nd->inputs[i][0])
            continue;
        c.in[i] = scope_get(scope, nd->inputs[i]);
        if (!c.in[i]) {
            eco_err_set(inf->err, ECO_EXIT_USAGE,
                        "node '%s' (%s) reads '%s', which no node, initializer or graph input provides",
                        c.node_name, nd->op_type, nd->inputs[i]);
            eco_err_hint(inf->err, "the model is incomplete; check it with onnx.checker");
            return -1;
        }
    }
    for (size_t i = 0; i < c.n_out; i++) {
        if (!nd->outputs[i][0])
            continue;
        c.out[i] = val_alloc(inf->arena, nd->outputs[i]);
        if (!c.out[i])
            return eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
    }
    const struct eco_op *op = eco_op_find(nd->op_type, nd->domain);
    double params = 0;
    int status = ECO_NODE_COUNTED;
    if (!op) {
        status = ECO_NODE_UNSUPPORTED;
        if (note_unsupported(inf, nd))
            return eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
    } else if (run_op(inf, &c, op, &status))
        return -1;
    cost_params(inf, &c, &params);
    /* Outputs join the scope; a value_info shape fills in what inference could not. */
    for (size_t i = 0; i < c.n_out; i++) {
        struct eco_val *o = c.out[i];
        if (!o)
            continue;
        scope_put(scope, o);
    }
    account(inf, &c, status, params, res, tot);
    return 0;
}

/* --input NAME=DIMS and --batch N on a model input. */
static void apply_overrides(const struct eco_infer_opts *o, const char *name, struct eco_val *v)
{
    for (size_t k = 0; k < o->n_inputs; k++) {
        const struct eco_input_override *ov = &o->inputs[k];
        if (strcmp(ov->name, name) != 0)
            continue;
        v->rank = ov->rank;
        for (int j = 0; j < ov->rank; j++)
            v->d[j] = eco_dim_num(ov->dims[j]);
    }
    if (o->batch > 0 && v->rank > 0 && !eco_dim_known(v->d[0]))
        v->d[0] = eco_dim_num(o->batch);
}

/* A graph input: the value a subgraph is bound to, or what the graph
 * declares (a model input with --input, --batch and --value applied);
 * NULL with inf->err set on an error. */
static struct eco_val *input_val(struct eco_infer *inf, const struct eco_onnx_value_info *vi,
                                 const struct eco_val *bound, int top)
{
    struct eco_val *v = val_alloc(inf->arena, vi->name);
    if (!v) {
        eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
        return NULL;
    }
    if (bound) {
        const char *name = v->name;
        *v = *bound;
        v->name = name;
        v->next = NULL;
        v->is_init = 0;
        if (v->rank < 0 && vi->rank >= 0)
            val_from_info(vi, v);
    } else {
        val_from_info(vi, v);
        v->vals_data = top; /* a model input's contents are data (a subgraph's get bound) */
    }
    if (top && inf->opts) {
        apply_overrides(inf->opts, vi->name, v);
        if (eco_given_apply(inf->arena, inf->opts, v, inf->err))
            return NULL;
    }
    return empty_values(inf, v) ? NULL : v;
}

static int run_graph(struct eco_infer *inf, const struct eco_onnx_graph *g, struct eco_scope *parent,
                     int depth, struct eco_val **bound, size_t n_bound, struct eco_val **outs,
                     struct graph_totals *tot, int top)
{
    size_t n_names = g->n_inits + g->n_inputs + g->n_nodes * 2 + g->n_value_info;
    struct eco_scope *s = scope_new(inf->arena, parent, n_names);
    struct eco_scope *decl = scope_new(inf->arena, NULL, g->n_value_info + g->n_outputs);
    if (!s || !decl)
        return eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
    /* Graph inputs first, then initializers (an initializer is the input's default value). */
    for (size_t i = 0; i < g->n_inputs; i++) {
        struct eco_val *v = input_val(inf, &g->inputs[i], i < n_bound ? bound[i] : NULL, top);
        if (!v)
            return -1;
        scope_put(s, v);
    }
    for (size_t i = 0; i < g->n_inits; i++) {
        if (top && eco_given_find(inf->opts, g->inits[i].name))
            continue; /* an input's default value, replaced by the one given (--value) */
        struct eco_val *v = val_alloc(inf->arena, g->inits[i].name);
        if (!v || val_from_tensor(inf, &g->inits[i], v))
            return eco_err_set(inf->err, inf->err->code ? inf->err->code : ECO_EXIT_RUNTIME, "%s",
                               inf->err->code ? inf->err->msg : "out of memory");
        v->is_init = 1;
        scope_put(s, v);
    }
    for (size_t i = 0; i < g->n_value_info; i++) {
        struct eco_val *v = val_alloc(inf->arena, g->value_info[i].name);
        if (!v)
            return eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
        val_from_info(&g->value_info[i], v);
        scope_put(decl, v);
    }
    size_t *order = calloc(g->n_nodes ? g->n_nodes : 1, sizeof *order);
    if (!order)
        return eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
    if (topo_order(inf, g, order)) {
        free(order);
        return -1;
    }
    struct eco_node_result *results = NULL;
    if (top) {
        results = eco_arena_array(&inf->rep->arena, g->n_nodes ? g->n_nodes : 1, sizeof *results);
        if (!results) {
            free(order);
            return eco_err_set(inf->err, ECO_EXIT_RUNTIME, "out of memory");
        }
        inf->rep->nodes = results;
        inf->rep->n_nodes = g->n_nodes;
    }
    for (size_t k = 0; k < g->n_nodes; k++) {
        size_t i = order[k];
        if (run_node(inf, s, &g->nodes[i], i, depth, results ? &results[k] : NULL, tot)) {
            free(order);
            return -1;
        }
        /* value_info fills in shapes inference left unknown (marked as declared). */
        const struct eco_onnx_node *nd = &g->nodes[i];
        for (size_t o = 0; o < nd->n_outputs; o++) {
            if (!nd->outputs[o][0])
                continue;
            struct eco_val *v = scope_get_local(s, nd->outputs[o]);
            struct eco_val *d = scope_get_local(decl, nd->outputs[o]);
            if (v && d && v->rank < 0 && d->rank >= 0) {
                v->rank = d->rank;
                memcpy(v->d, d->d, sizeof v->d);
                if (!v->dtype)
                    v->dtype = d->dtype;
                v->declared = 1;
            }
        }
    }
    free(order);
    for (size_t i = 0; i < g->n_outputs; i++) {
        struct eco_val *v = scope_get(s, g->outputs[i].name);
        if (!v)
            return eco_err_set(inf->err, ECO_EXIT_USAGE,
                               "graph output '%s' is produced by no node, initializer or input",
                               g->outputs[i].name);
        if (outs)
            outs[i] = v;
    }
    return 0;
}

int eco_infer_subgraph(struct eco_op_ctx *c, const struct eco_onnx_graph *g, struct eco_val **inputs,
                       size_t n_inputs, struct eco_val **outs, double *macs, double *flops,
                       double *params, int *symbolic)
{
    struct graph_totals t = {0};
    if (run_graph(c->inf, g, c->scope, c->depth + 1, inputs, n_inputs, outs, &t, 0))
        return -1;
    *macs += t.macs;
    *flops += t.flops;
    *params += t.params;
    *symbolic |= t.symbolic;
    c->partial |= t.partial;
    c->data_dep |= t.data_dep;
    return 0;
}

/* Parameters and weight bytes of a graph and its subgraphs. */
static void count_weights(const struct eco_onnx_graph *g, struct eco_onnx_costs *rep)
{
    for (size_t i = 0; i < g->n_inits; i++)
        if (is_param_dtype(g->inits[i].dtype)) {
            rep->params += (double)g->inits[i].n_elem;
            rep->weight_bytes += (double)g->inits[i].n_elem * eco_onnx_dtype_size(g->inits[i].dtype);
        }
    for (size_t i = 0; i < g->n_nodes; i++)
        for (size_t a = 0; a < g->nodes[i].n_attrs; a++) {
            const struct eco_onnx_attr *at = &g->nodes[i].attrs[a];
            if (at->g)
                count_weights(at->g, rep);
            for (size_t k = 0; k < at->n_graphs; k++)
                count_weights(at->graphs[k], rep);
        }
}

int eco_infer_model(const struct eco_onnx_model *m, const struct eco_infer_opts *opts,
                    struct eco_onnx_costs *rep, struct eco_err *err)
{
    struct eco_infer inf = {m, opts, rep, &rep->arena, err, 0, 0};
    rep->opset = eco_onnx_opset(m, "");
    struct graph_totals t = {0};
    rep->n_outputs = m->graph->n_outputs;
    rep->outputs = eco_arena_array(&rep->arena, rep->n_outputs + 1, sizeof *rep->outputs);
    if (!rep->outputs)
        return eco_err_set(err, ECO_EXIT_RUNTIME, "out of memory");
    if (run_graph(&inf, m->graph, NULL, 0, NULL, 0, rep->outputs, &t, 1))
        return -1;
    rep->macs = t.macs;
    rep->flops = t.flops;
    /* Every parameter of the model, including initializers no node reads. */
    count_weights(m->graph, rep);
    rep->activation_bytes = t.act_bytes;
    rep->symbolic = t.symbolic;
    return 0;
}

void eco_onnx_costs_free(struct eco_onnx_costs *rep)
{
    eco_arena_free(&rep->arena);
    memset(rep, 0, sizeof *rep);
}
