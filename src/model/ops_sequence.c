/* Sequences and optionals: a sequence value carries its length (when known)
 * and the shape shared by its elements (dims that differ become unknown), so
 * SequenceAt, SequenceLength and ConcatFromSequence produce shapes. No
 * arithmetic: 0 FLOPs, except SequenceMap's body. */
#include <string.h>

#include "model/ops.h"

static struct eco_val *out(struct eco_op_ctx *c, size_t i) { return i < c->n_out ? c->out[i] : NULL; }

/* Merge an element shape into a sequence's common element shape. */
static void merge_elem(struct eco_val *seq, const struct eco_val *x, int first)
{
    if (first) {
        seq->rank = x ? x->rank : -1;
        if (x && x->rank > 0)
            memcpy(seq->d, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
        if (x)
            seq->dtype = x->dtype;
        return;
    }
    if (!x || x->rank < 0 || seq->rank != x->rank) {
        seq->rank = -1;
        return;
    }
    for (int k = 0; k < x->rank; k++)
        if (!eco_dim_eq(seq->d[k], x->d[k]))
            seq->d[k] = eco_dim_unknown();
}

/* Elements are followed one by one up to this length (insertions copy the list). */
#define SEQ_ELEMS_MAX 64

/* o's element list: a copy of n elements of from (skipping index skip, and
 * putting add at index at when add is given); NULL when too long. */
static struct eco_val *const *elems_edit(struct eco_op_ctx *c, struct eco_val *const *from, int64_t n,
                                         int64_t skip, struct eco_val *add, int64_t at)
{
    int64_t len = n - (skip >= 0) + (add != NULL);
    if (len > SEQ_ELEMS_MAX || len < 0)
        return NULL;
    struct eco_val **e = eco_arena_array(c->arena, (size_t)(len ? len : 1), sizeof *e);
    if (!e)
        return NULL;
    int64_t k = 0;
    for (int64_t i = 0; i <= n; i++) {
        if (add && i == at)
            e[k++] = add;
        if (i < n && i != skip)
            e[k++] = from[i];
    }
    return e;
}

/* A position input (SequenceInsert/Erase/At): 1 and *pos in 0..n-1 (0..n
 * for an insertion) when known and valid, 0 otherwise. Absent: the end. */
static int seq_pos(struct eco_op_ctx *c, size_t i, int64_t n, int insert, int64_t *pos)
{
    if (!eco_in(c, i)) {
        *pos = insert ? n : n - 1;
        return n > 0 || insert;
    }
    int64_t p[1];
    size_t k;
    if (!eco_in_ints(c, i, p, 1, &k) || k != 1)
        return 0;
    int64_t hi = insert ? n : n - 1;
    if (p[0] < 0)
        p[0] += n;
    if (p[0] < 0 || p[0] > hi)
        return 0;
    *pos = p[0];
    return 1;
}

static int infer_construct(struct eco_op_ctx *c)
{
    struct eco_val *o = out(c, 0);
    if (!o)
        return 0;
    o->is_seq = 1;
    o->seq_len = (int64_t)c->n_in;
    for (size_t i = 0; i < c->n_in; i++)
        merge_elem(o, c->in[i], i == 0);
    int all = 1;
    for (size_t i = 0; i < c->n_in; i++)
        all &= c->in[i] != NULL;
    if (all)
        o->elems = elems_edit(c, c->in, (int64_t)c->n_in, -1, NULL, 0);
    return 0;
}

static int infer_empty(struct eco_op_ctx *c)
{
    struct eco_val *o = out(c, 0);
    if (!o)
        return 0;
    o->is_seq = 1;
    o->seq_len = 0;
    o->rank = -1;
    o->dtype = (int)eco_onnx_attr_int(c->node, "dtype", ECO_DT_FLOAT);
    o->elems = elems_edit(c, NULL, 0, -1, NULL, 0);
    return 0;
}

static int infer_insert_erase(struct eco_op_ctx *c)
{
    struct eco_val *s = eco_in(c, 0), *o = out(c, 0);
    if (!o || !s)
        return 0;
    int insert = strcmp(c->node->op_type, "SequenceInsert") == 0;
    o->is_seq = 1;
    o->dtype = s->dtype;
    o->seq_len = s->seq_len < 0 ? -1 : insert ? s->seq_len + 1 : s->seq_len > 0 ? s->seq_len - 1 : -1;
    if (insert) {
        merge_elem(o, s, 1);
        merge_elem(o, eco_in(c, 1), s->seq_len == 0);
    } else
        merge_elem(o, s, 1);
    int64_t pos;
    struct eco_val *t = insert ? eco_in(c, 1) : NULL;
    if (s->elems && (t || !insert) && seq_pos(c, insert ? 2 : 1, s->seq_len, insert, &pos))
        o->elems = elems_edit(c, s->elems, s->seq_len, insert ? -1 : pos, t, pos);
    return 0;
}

static int infer_at(struct eco_op_ctx *c)
{
    struct eco_val *s = eco_in(c, 0);
    int64_t pos;
    if (s && s->is_seq && s->elems && eco_in(c, 1) && seq_pos(c, 1, s->seq_len, 0, &pos)) {
        const struct eco_val *e = s->elems[pos];
        if (e->rank >= 0)
            eco_out_rank(c, 0, e->dtype, e->rank, e->d);
        else
            eco_out_unknown(c, 0, e->dtype);
        return 0;
    }
    if (s && s->is_seq) {
        eco_out_rank(c, 0, s->dtype, s->rank, s->d);
        if (s->rank < 0)
            eco_out_unknown(c, 0, s->dtype);
    } else
        eco_out_unknown(c, 0, s ? s->dtype : 0);
    return 0;
}

static int infer_length(struct eco_op_ctx *c)
{
    struct eco_val *s = eco_in(c, 0);
    eco_out_rank(c, 0, ECO_DT_INT64, 0, NULL);
    if (s && s->seq_len >= 0) {
        struct eco_dim v = eco_dim_num(s->seq_len);
        return eco_out_vals(c, 0, &v, 1);
    }
    return 0;
}

static int infer_split_to_seq(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *o = out(c, 0);
    if (!o)
        return 0;
    o->is_seq = 1;
    o->rank = -1;
    if (!eco_has_shape(x))
        return 0;
    o->dtype = x->dtype;
    int axis = eco_axis(eco_onnx_attr_int(c->node, "axis", 0), x->rank);
    if (axis < 0)
        return eco_op_error(c, "axis out of range");
    int keep = eco_onnx_attr_int(c->node, "keepdims", 1) != 0;
    struct eco_dim len = x->d[axis], part = eco_dim_unknown();
    int64_t sp[ECO_ONNX_SMALL_VALUES];
    size_t n = 0;
    struct eco_val *split = eco_in(c, 1);
    if (!split) { /* one element per index along axis */
        if (eco_dim_known(len))
            o->seq_len = len.v;
        o->rank = 0;
        for (int k = 0; k < x->rank; k++)
            if (k != axis || keep)
                o->d[o->rank++] = k == axis ? eco_dim_num(1) : x->d[k];
        return 0;
    }
    if (!eco_in_ints(c, 1, sp, ECO_ONNX_SMALL_VALUES, &n))
        return 0;
    if (split->rank == 0 && n == 1 && sp[0] > 0) { /* equal chunks, the last one may be shorter */
        if (eco_dim_known(len)) {
            o->seq_len = (len.v + sp[0] - 1) / sp[0];
            part = len.v % sp[0] ? eco_dim_unknown() : eco_dim_num(sp[0]);
        }
    } else {
        o->seq_len = (int64_t)n;
        part = n ? eco_dim_num(sp[0]) : eco_dim_unknown();
        for (size_t i = 1; i < n; i++)
            if (sp[i] != sp[0])
                part = eco_dim_unknown();
    }
    o->rank = x->rank;
    memcpy(o->d, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
    o->d[axis] = part;
    return 0;
}

static int infer_concat_from_seq(struct eco_op_ctx *c)
{
    struct eco_val *s = eco_in(c, 0);
    if (!s || !s->is_seq || s->rank < 0) {
        eco_out_unknown(c, 0, s ? s->dtype : 0);
        return 0;
    }
    int new_axis = eco_onnx_attr_int(c->node, "new_axis", 0) != 0;
    int r = s->rank + new_axis;
    if (r > ECO_MAX_RANK || r == 0)
        return eco_op_error(c, "rank out of range");
    int axis = eco_axis(eco_onnx_attr_int(c->node, "axis", 0), r);
    if (axis < 0)
        return eco_op_error(c, "axis out of range");
    struct eco_dim d[ECO_MAX_RANK];
    int k = 0;
    for (int i = 0; i < r; i++) {
        if (new_axis && i == axis) {
            d[i] = s->seq_len >= 0 ? eco_dim_num(s->seq_len) : eco_dim_unknown();
            continue;
        }
        d[i] = s->d[k++];
        if (!new_axis && i == axis)
            d[i] = s->seq_len >= 0 && eco_dim_known(d[i]) ? eco_dim_num(d[i].v * s->seq_len) : eco_dim_unknown();
    }
    eco_out_rank(c, 0, s->dtype, r, d);
    return 0;
}

/* Optional(x): wraps; OptionalGetElement: unwraps; OptionalHasElement: bool. */
static int infer_optional(struct eco_op_ctx *c)
{
    struct eco_val *x = eco_in(c, 0), *o = out(c, 0);
    if (!o)
        return 0;
    if (x) {
        *o = (struct eco_val){.name = o->name, .n_vals = -1, .seq_len = x->seq_len};
        o->dtype = x->dtype;
        o->is_seq = x->is_seq;
        o->rank = x->rank;
        memcpy(o->d, x->d, sizeof o->d);
    }
    return 0;
}

static int infer_has_element(struct eco_op_ctx *c)
{
    eco_out_rank(c, 0, ECO_DT_BOOL, 0, NULL);
    return 0;
}

/* SequenceMap: the body runs once per element of the first input sequence,
 * on the i-th element of each input sequence and on the tensors as they are.
 * Inferred once on the elements' common shape, its cost is counted once per
 * element; with the length unknown the body counts once, flagged partial. */
static int infer_sequence_map(struct eco_op_ctx *c)
{
    const struct eco_onnx_attr *a = eco_onnx_attr(c->node, "body");
    const struct eco_onnx_graph *body = a ? a->g : NULL;
    struct eco_val *s0 = eco_in(c, 0);
    if (!body || !s0)
        return eco_op_error(c, "SequenceMap needs an input sequence and a body graph");
    struct eco_val **bin = eco_arena_array(c->arena, c->n_in + 1, sizeof *bin);
    struct eco_val **bout = eco_arena_array(c->arena, body->n_outputs + 1, sizeof *bout);
    if (!bin || !bout)
        return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
    for (size_t i = 0; i < c->n_in; i++) {
        struct eco_val *x = c->in[i];
        if (!x || !x->is_seq) {
            bin[i] = x;
            continue;
        }
        if (!(bin[i] = eco_val_new(c)))
            return eco_err_set(c->err, ECO_EXIT_RUNTIME, "out of memory");
        bin[i]->dtype = x->dtype;
        bin[i]->rank = x->rank;
        if (x->rank > 0)
            memcpy(bin[i]->d, x->d, sizeof(struct eco_dim) * (size_t)x->rank);
    }
    double macs = 0, flops = 0, params = 0;
    int sym = 0;
    if (eco_infer_subgraph(c, body, bin, c->n_in, bout, &macs, &flops, &params, &sym))
        return -1;
    int64_t len = s0->is_seq ? s0->seq_len : -1;
    for (size_t i = 0; i < c->n_out; i++) {
        struct eco_val *o = out(c, i), *b = i < body->n_outputs ? bout[i] : NULL;
        if (!o)
            continue;
        o->is_seq = 1;
        o->seq_len = len;
        o->rank = -1;
        if (b && eco_has_shape(b))
            eco_out_rank(c, i, b->dtype, b->rank, b->d);
        else if (b)
            o->dtype = b->dtype;
    }
    double times = len >= 0 ? (double)len : 1;
    if (len < 0) {
        c->partial = 1;
        c->unknown_what = "the input sequence's length";
    }
    c->macs = macs * times;
    c->flops = flops * times;
    c->symbolic |= sym;
    return 0;
}

const struct eco_op eco_ops_sequence[] = {
    {"SequenceMap", "", infer_sequence_map, NULL, 0},
    {"SequenceConstruct", "", infer_construct, NULL, 0},
    {"SequenceEmpty", "", infer_empty, NULL, 0},
    {"SequenceInsert", "", infer_insert_erase, NULL, 0},
    {"SequenceErase", "", infer_insert_erase, NULL, 0},
    {"SequenceAt", "", infer_at, NULL, 0},
    {"SequenceLength", "", infer_length, NULL, 0},
    {"SplitToSequence", "", infer_split_to_seq, NULL, 0},
    {"ConcatFromSequence", "", infer_concat_from_seq, NULL, 0},
    {"Optional", "", infer_optional, NULL, 0},
    {"OptionalGetElement", "", infer_optional, NULL, 0},
    {"OptionalHasElement", "", infer_has_element, NULL, 0},
    {NULL, NULL, NULL, NULL, 0},
};
