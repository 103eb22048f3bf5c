/* ModelProto -> eco_onnx_model, field by field (pb.h). Repeated fields are
 * counted in a first pass over a message (skipping payloads costs nothing)
 * and filled in a second, so every array is allocated once in the arena. */
#include "model/onnx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/safe_open.h"
#include "model/pb.h"

struct rd {
    const uint8_t *base;
    struct eco_arena *arena;
    struct eco_err *err;
    int mapped; /* base is a file mapping: release pages once passed */
};

/* Large fields (initializers, Constant tensors) are passed over, never read,
 * but reading the header of the next one faults in pages around it; with
 * page-cache large folios that can be megabytes. Dropping the mapping of a
 * passed field's interior keeps the resident set at a few pages whatever the
 * weight size (the data stays in the page cache; nothing is re-read). */
#define RELEASE_MIN (256 * 1024)
static void release(struct rd *r, const struct eco_pb_field *f)
{
    if (!r->mapped || f->wire != ECO_PB_LEN || f->len < RELEASE_MIN)
        return;
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)(r->base + f->off) + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t b = (uintptr_t)(r->base + f->off + f->len) & ~((uintptr_t)page - 1);
    if (b > a)
        madvise((void *)a, b - a, MADV_DONTNEED);
}

static int oom(struct rd *r, size_t off)
{
    return eco_err_set(r->err, ECO_EXIT_RUNTIME, "out of memory reading the model (at byte offset %zu)",
                       off);
}

static int want(struct rd *r, const struct eco_pb_field *f, int wire, const char *what)
{
    if (f->wire == wire)
        return 0;
    return eco_err_set(r->err, ECO_EXIT_USAGE,
                       "%s (field %u) at byte offset %zu has wire type %d, expected %d", what, f->num,
                       f->tag_off, f->wire, wire);
}

static int str(struct rd *r, const struct eco_pb_field *f, const char *what, const char **out)
{
    if (want(r, f, ECO_PB_LEN, what))
        return -1;
    char *s = eco_arena_strndup(r->arena, (const char *)r->base + f->off, f->len);
    if (!s)
        return oom(r, f->off);
    *out = s;
    return 0;
}

/* A repeated string field, appended to list (sized by counting first). */
static int append_str(struct rd *r, const struct eco_pb_field *f, const char *what, char **list, size_t *n)
{
    if (str(r, f, what, (const char **)&list[*n]))
        return -1;
    (*n)++;
    return 0;
}

/* Count the occurrences of up to 8 field numbers in a message. */
static int count_fields(struct rd *r, size_t off, size_t end, const uint32_t *nums, size_t *counts,
                        int n)
{
    struct eco_pb pb;
    struct eco_pb_field f;
    int rc;
    eco_pb_init(&pb, r->base, off, end);
    for (int i = 0; i < n; i++)
        counts[i] = 0;
    while ((rc = eco_pb_next(&pb, &f, r->err)) == 1) {
        for (int i = 0; i < n; i++)
            if (f.num == nums[i])
                counts[i]++;
        release(r, &f);
    }
    return rc;
}

/* Repeated int64 (packed or not): total count over all fields of number num. */
static int count_ints(struct rd *r, size_t off, size_t end, uint32_t num, int elem_wire, size_t *n)
{
    struct eco_pb pb;
    struct eco_pb_field f;
    int rc;
    *n = 0;
    eco_pb_init(&pb, r->base, off, end);
    while ((rc = eco_pb_next(&pb, &f, r->err)) == 1) {
        if (f.num != num)
            continue;
        size_t k;
        if (eco_pb_count_packed(&f, r->base, elem_wire, &k, r->err))
            return -1;
        *n += k;
    }
    return rc;
}

/* ---- TensorProto ---- */

static int read_small_values(struct rd *r, struct eco_onnx_tensor *t, size_t off, size_t end)
{
    int64_t n = t->n_elem;
    if (t->external || n > ECO_ONNX_SMALL_VALUES || t->dtype == ECO_DT_STRING)
        return 0;
    int64_t *iv = eco_arena_array(r->arena, (size_t)(n ? n : 1), sizeof *iv);
    double *fv = eco_arena_array(r->arena, (size_t)(n ? n : 1), sizeof *fv);
    if (!iv || !fv)
        return oom(r, off);
    int64_t got = 0;
    struct eco_pb pb;
    struct eco_pb_field f;
    int rc;
    eco_pb_init(&pb, r->base, off, end);
    while ((rc = eco_pb_next(&pb, &f, r->err)) == 1) {
        int dt = t->dtype;
        if (f.num == 9 && f.wire == ECO_PB_LEN) { /* raw_data, little-endian */
            const uint8_t *p = r->base + f.off;
            size_t w = 0;
            switch (dt) {
            case ECO_DT_FLOAT: case ECO_DT_INT32: case ECO_DT_UINT32: w = 4; break;
            case ECO_DT_INT64: case ECO_DT_UINT64: case ECO_DT_DOUBLE: w = 8; break;
            case ECO_DT_INT8: case ECO_DT_UINT8: case ECO_DT_BOOL: w = 1; break;
            case ECO_DT_INT16: case ECO_DT_UINT16: w = 2; break;
            default: return 0; /* float16 etc.: values not needed for shapes */
            }
            if (f.len != (size_t)n * w)
                return 0; /* inconsistent payload: treat the values as unknown */
            for (int64_t i = 0; i < n; i++, p += w) {
                switch (dt) {
                case ECO_DT_FLOAT: fv[i] = eco_pb_f32(eco_pb_le32(p)); iv[i] = eco_f2i(fv[i]); break;
                case ECO_DT_DOUBLE: fv[i] = eco_pb_f64(eco_pb_le64(p)); iv[i] = eco_f2i(fv[i]); break;
                case ECO_DT_INT32: iv[i] = (int32_t)eco_pb_le32(p); break;
                case ECO_DT_UINT32: iv[i] = eco_pb_le32(p); break;
                case ECO_DT_INT64: case ECO_DT_UINT64: iv[i] = (int64_t)eco_pb_le64(p); break;
                case ECO_DT_INT8: iv[i] = (int8_t)p[0]; break;
                case ECO_DT_UINT8: case ECO_DT_BOOL: iv[i] = p[0]; break;
                case ECO_DT_INT16: iv[i] = (int16_t)(p[0] | p[1] << 8); break;
                case ECO_DT_UINT16: iv[i] = (uint16_t)(p[0] | p[1] << 8); break;
                }
                if (dt != ECO_DT_FLOAT && dt != ECO_DT_DOUBLE)
                    fv[i] = (double)iv[i];
            }
            got = n;
        } else if ((f.num == 7 || f.num == 5 || f.num == 11) && got < n) { /* int64/int32/uint64 data */
            size_t k;
            if (eco_pb_count_packed(&f, r->base, ECO_PB_VARINT, &k, r->err))
                return -1;
            if (k > (size_t)(n - got))
                k = (size_t)(n - got);
            if (eco_pb_read_packed_i64(&f, r->base, iv + got, k, r->err))
                return -1;
            for (size_t i = 0; i < k; i++) {
                if (f.num == 5)
                    iv[got + i] = (int32_t)iv[got + i];
                fv[got + i] = (double)iv[got + i];
            }
            got += (int64_t)k;
        } else if (f.num == 4 && got < n) { /* float_data */
            size_t k;
            if (eco_pb_count_packed(&f, r->base, ECO_PB_I32, &k, r->err))
                return -1;
            if (k > (size_t)(n - got))
                k = (size_t)(n - got);
            float tmp[ECO_ONNX_SMALL_VALUES];
            eco_pb_read_packed_f32(&f, r->base, tmp, k, r->err);
            for (size_t i = 0; i < k; i++) {
                fv[got + i] = tmp[i];
                iv[got + i] = eco_f2i(tmp[i]);
            }
            got += (int64_t)k;
        } else if (f.num == 10 && got < n) { /* double_data */
            size_t k;
            if (eco_pb_count_packed(&f, r->base, ECO_PB_I64, &k, r->err))
                return -1;
            for (size_t i = 0; i < k && got < n; i++, got++) {
                uint64_t bits = f.wire == ECO_PB_LEN ? eco_pb_le64(r->base + f.off + 8 * i) : f.value;
                fv[got] = eco_pb_f64(bits);
                iv[got] = eco_f2i(fv[got]);
            }
        }
    }
    if (rc < 0)
        return -1;
    if (got == n) {
        t->n_vals = n;
        t->ivals = iv;
        t->fvals = fv;
    }
    return 0;
}

static int parse_tensor(struct rd *r, size_t off, size_t end, struct eco_onnx_tensor *t)
{
    size_t n_dims;
    memset(t, 0, sizeof *t);
    t->name = "";
    t->off = off;
    t->n_vals = -1;
    if (count_ints(r, off, end, 1, ECO_PB_VARINT, &n_dims))
        return -1;
    t->dims = eco_arena_array(r->arena, n_dims ? n_dims : 1, sizeof *t->dims);
    if (!t->dims)
        return oom(r, off);
    struct eco_pb pb;
    struct eco_pb_field f;
    int rc;
    size_t nd = 0;
    eco_pb_init(&pb, r->base, off, end);
    while ((rc = eco_pb_next(&pb, &f, r->err)) == 1) {
        switch (f.num) {
        case 1: {
            size_t k;
            if (eco_pb_count_packed(&f, r->base, ECO_PB_VARINT, &k, r->err) ||
                eco_pb_read_packed_i64(&f, r->base, t->dims + nd, k, r->err))
                return -1;
            nd += k;
            break;
        }
        case 2: t->dtype = (int)f.value; break;
        case 8: if (str(r, &f, "TensorProto.name", &t->name)) return -1; break;
        case 14: t->external = f.value == 1; break;
        default: break; /* payloads (raw_data, float_data...) are skipped */
        }
        release(r, &f);
    }
    if (rc < 0)
        return -1;
    if (n_dims > INT32_MAX)
        return eco_err_set(r->err, ECO_EXIT_USAGE, "tensor at byte offset %zu has too many dims", off);
    t->n_dims = (int)n_dims;
    t->n_elem = 1;
    for (size_t i = 0; i < n_dims; i++) {
        if (t->dims[i] < 0)
            return eco_err_set(r->err, ECO_EXIT_USAGE,
                               "tensor '%s' at byte offset %zu has a negative dimension %lld", t->name,
                               off, (long long)t->dims[i]);
        if (__builtin_mul_overflow(t->n_elem, t->dims[i], &t->n_elem))
            return eco_err_set(r->err, ECO_EXIT_USAGE,
                               "tensor '%s' at byte offset %zu: element count overflows 64 bits",
                               t->name, off);
    }
    return read_small_values(r, t, off, end);
}

/* SparseTensorProto: values (1) give the type, dims (3) the dense shape. */
static int parse_sparse(struct rd *r, size_t off, size_t end, struct eco_onnx_tensor *t)
{
    struct eco_pb pb;
    struct eco_pb_field f;
    int rc;
    size_t n_dims;
    memset(t, 0, sizeof *t);
    t->name = "";
    t->n_vals = -1;
    t->off = off;
    if (count_ints(r, off, end, 3, ECO_PB_VARINT, &n_dims))
        return -1;
    t->dims = eco_arena_array(r->arena, n_dims ? n_dims : 1, sizeof *t->dims);
    if (!t->dims)
        return oom(r, off);
    size_t nd = 0;
    eco_pb_init(&pb, r->base, off, end);
    while ((rc = eco_pb_next(&pb, &f, r->err)) == 1) {
        if (f.num == 1 && f.wire == ECO_PB_LEN) {
            struct eco_onnx_tensor v;
            if (parse_tensor(r, f.off, f.off + f.len, &v))
                return -1;
            t->dtype = v.dtype;
            t->name = v.name;
        } else if (f.num == 3) {
            size_t k;
            if (eco_pb_count_packed(&f, r->base, ECO_PB_VARINT, &k, r->err) ||
                eco_pb_read_packed_i64(&f, r->base, t->dims + nd, k, r->err))
                return -1;
            nd += k;
        }
    }
    if (rc < 0)
        return -1;
    t->n_dims = (int)n_dims;
    t->n_elem = 1;
    for (size_t i = 0; i < n_dims; i++)
        if (t->dims[i] < 0 || __builtin_mul_overflow(t->n_elem, t->dims[i], &t->n_elem))
            return eco_err_set(r->err, ECO_EXIT_USAGE,
                               "sparse tensor at byte offset %zu has an invalid shape", off);
    return 0;
}

/* ---- ValueInfoProto ---- */

static int parse_shape(struct rd *r, size_t off, size_t end, struct eco_onnx_value_info *vi)
{
    uint32_t nums[] = {1};
    size_t n;
    if (count_fields(r, off, end, nums, &n, 1))
        return -1;
    vi->dims = eco_arena_array(r->arena, n ? n : 1, sizeof *vi->dims);
    if (!vi->dims)
        return oom(r, off);
    vi->rank = 0;
    struct eco_pb pb, dp;
    struct eco_pb_field f, g;
    int rc, rc2;
    eco_pb_init(&pb, r->base, off, end);
    while ((rc = eco_pb_next(&pb, &f, r->err)) == 1) {
        if (f.num != 1)
            continue;
        if (want(r, &f, ECO_PB_LEN, "TensorShapeProto.dim"))
            return -1;
        struct eco_onnx_dim *d = &vi->dims[vi->rank++];
        d->value = -1;
        eco_pb_sub(&pb, &f, &dp);
        while ((rc2 = eco_pb_next(&dp, &g, r->err)) == 1) {
            if (g.num == 1 && g.wire == ECO_PB_VARINT) {
                d->value = (int64_t)g.value;
                if (d->value < 0)
                    d->value = -1;
            } else if (g.num == 2 && str(r, &g, "dim_param", &d->param))
                return -1;
        }
        if (rc2 < 0)
            return -1;
    }
    return rc;
}

static int parse_type(struct rd *r, size_t off, size_t end, struct eco_onnx_value_info *vi, int depth)
{
    if (depth > 8)
        return eco_err_set(r->err, ECO_EXIT_USAGE, "types nested more than 8 deep at byte offset %zu", off);
    struct eco_pb pb, tp;
    struct eco_pb_field f, g;
    int rc, rc2;
    eco_pb_init(&pb, r->base, off, end);
    while ((rc = eco_pb_next(&pb, &f, r->err)) == 1) {
        if ((f.num == 4 || f.num == 9) && f.wire == ECO_PB_LEN) {
            /* Sequence / Optional: { elem_type: TypeProto = 1 } */
            vi->kind = f.num == 4 ? 1 : 2;
            eco_pb_sub(&pb, &f, &tp);
            while ((rc2 = eco_pb_next(&tp, &g, r->err)) == 1)
                if (g.num == 1 && g.wire == ECO_PB_LEN) {
                    int kind = vi->kind;
                    if (parse_type(r, g.off, g.off + g.len, vi, depth + 1))
                        return -1;
                    if (vi->kind != 0)
                        kind = 3; /* nested containers: not followed */
                    vi->kind = kind;
                }
            if (rc2 < 0)
                return -1;
            continue;
        }
        if ((f.num == 5 || f.num == 8) && f.wire == ECO_PB_LEN)
            vi->kind = 3; /* map, sparse tensor */
        if (f.num != 1 || f.wire != ECO_PB_LEN)
            continue;
        eco_pb_sub(&pb, &f, &tp);
        while ((rc2 = eco_pb_next(&tp, &g, r->err)) == 1) {
            if (g.num == 1 && g.wire == ECO_PB_VARINT)
                vi->elem_type = (int)g.value;
            else if (g.num == 2 && g.wire == ECO_PB_LEN && parse_shape(r, g.off, g.off + g.len, vi))
                return -1;
        }
        if (rc2 < 0)
            return -1;
    }
    return rc;
}

static int parse_value_info(struct rd *r, size_t off, size_t end, struct eco_onnx_value_info *vi)
{
    struct eco_pb pb;
    struct eco_pb_field f;
    int rc;
    vi->name = "";
    vi->rank = -1;
    eco_pb_init(&pb, r->base, off, end);
    while ((rc = eco_pb_next(&pb, &f, r->err)) == 1) {
        if (f.num == 1 && str(r, &f, "ValueInfoProto.name", &vi->name))
            return -1;
        if (f.num == 2 && f.wire == ECO_PB_LEN && parse_type(r, f.off, f.off + f.len, vi, 0))
            return -1;
    }
    return rc;
}

/* ---- NodeProto / AttributeProto ---- */

static int parse_graph(struct rd *r, size_t off, size_t end, int depth, struct eco_onnx_graph **out);

/* The arrays of an attribute, sized by counting its repeated fields first. */
static int attr_alloc(struct rd *r, size_t off, size_t end, struct eco_onnx_attr *a)
{
    size_t nf, ni;
    uint32_t snum[] = {9, 10, 11};
    size_t sc[3];
    if (count_ints(r, off, end, 7, ECO_PB_I32, &nf) || count_ints(r, off, end, 8, ECO_PB_VARINT, &ni) ||
        count_fields(r, off, end, snum, sc, 3))
        return -1;
    a->name = "";
    a->floats = eco_arena_array(r->arena, nf ? nf : 1, sizeof *a->floats);
    a->ints = eco_arena_array(r->arena, ni ? ni : 1, sizeof *a->ints);
    a->strings = eco_arena_array(r->arena, sc[0] ? sc[0] : 1, sizeof *a->strings);
    a->tensors = eco_arena_array(r->arena, sc[1] ? sc[1] : 1, sizeof *a->tensors);
    a->graphs = eco_arena_array(r->arena, sc[2] ? sc[2] : 1, sizeof *a->graphs);
    if (!a->floats || !a->ints || !a->strings || !a->tensors || !a->graphs)
        return oom(r, off);
    return 0;
}

/* AttributeProto.t, or its sparse_tensor (the dense shape and type only). */
static int attr_tensor(struct rd *r, const struct eco_pb_field *f, int sparse, struct eco_onnx_attr *a)
{
    if (want(r, f, ECO_PB_LEN, sparse ? "AttributeProto.sparse_tensor" : "AttributeProto.t"))
        return -1;
    if (!(a->t = eco_arena_alloc(r->arena, sizeof *a->t)))
        return oom(r, f->off);
    return (sparse ? parse_sparse : parse_tensor)(r, f->off, f->off + f->len, a->t) ? -1 : 0;
}

/* AttributeProto.floats (fixed32) or .ints (varints), packed or one at a
 * time, appended to what earlier fields gave. */
static int attr_packed(struct rd *r, const struct eco_pb_field *f, int floats, struct eco_onnx_attr *a)
{
    size_t k;
    if (eco_pb_count_packed(f, r->base, floats ? ECO_PB_I32 : ECO_PB_VARINT, &k, r->err) ||
        (floats ? eco_pb_read_packed_f32(f, r->base, a->floats + a->n_floats, k, r->err)
                : eco_pb_read_packed_i64(f, r->base, a->ints + a->n_ints, k, r->err)))
        return -1;
    *(floats ? &a->n_floats : &a->n_ints) += k;
    return 0;
}

/* One field of an AttributeProto into a: 0, or -1 (r->err set). */
static int attr_field(struct rd *r, const struct eco_pb_field *fp, int depth, struct eco_onnx_attr *a)
{
    struct eco_pb_field f = *fp;
    switch (f.num) {
    case 1: if (str(r, &f, "AttributeProto.name", &a->name)) return -1; break;
    case 20: a->type = (int)f.value; break;
    case 2: a->f = f.wire == ECO_PB_I32 ? eco_pb_f32((uint32_t)f.value) : 0; break;
    case 3: a->i = (int64_t)f.value; break;
    case 4:
        if (str(r, &f, "AttributeProto.s", &a->s))
            return -1;
        a->s_len = f.len;
        break;
    case 5: return attr_tensor(r, &f, 0, a);
    case 22: return attr_tensor(r, &f, 1, a);
    case 6:
        if (want(r, &f, ECO_PB_LEN, "AttributeProto.g") ||
            parse_graph(r, f.off, f.off + f.len, depth + 1, &a->g))
            return -1;
        break;
    case 7: return attr_packed(r, &f, 1, a);
    case 8: return attr_packed(r, &f, 0, a);
    case 9: return append_str(r, &f, "AttributeProto.strings", a->strings, &a->n_strings);
    case 10:
        if (want(r, &f, ECO_PB_LEN, "AttributeProto.tensors") ||
            parse_tensor(r, f.off, f.off + f.len, &a->tensors[a->n_tensors]))
            return -1;
        a->n_tensors++;
        break;
    case 11:
        if (want(r, &f, ECO_PB_LEN, "AttributeProto.graphs") ||
            parse_graph(r, f.off, f.off + f.len, depth + 1, &a->graphs[a->n_graphs]))
            return -1;
        a->n_graphs++;
        break;
    default: break;
    }
    return 0;
}

/* IR version 1 files carry no attribute type: deduce it from what is set. */
static void attr_deduce_type(struct eco_onnx_attr *a)
{
    if (a->type != ECO_AT_UNDEFINED)
        return;
    if (a->g) a->type = ECO_AT_GRAPH;
    else if (a->t) a->type = ECO_AT_TENSOR;
    else if (a->s) a->type = ECO_AT_STRING;
    else if (a->n_ints) a->type = ECO_AT_INTS;
    else if (a->n_floats) a->type = ECO_AT_FLOATS;
    else if (a->n_strings) a->type = ECO_AT_STRINGS;
}

static int parse_attr(struct rd *r, size_t off, size_t end, int depth, struct eco_onnx_attr *a)
{
    if (attr_alloc(r, off, end, a))
        return -1;
    struct eco_pb pb;
    struct eco_pb_field f;
    int rc;
    eco_pb_init(&pb, r->base, off, end);
    while ((rc = eco_pb_next(&pb, &f, r->err)) == 1)
        if (attr_field(r, &f, depth, a))
            return -1;
    if (rc < 0)
        return -1;
    attr_deduce_type(a);
    return 0;
}

static int parse_node(struct rd *r, size_t off, size_t end, int depth, struct eco_onnx_node *n)
{
    uint32_t nums[] = {1, 2, 5};
    size_t c[3];
    if (count_fields(r, off, end, nums, c, 3))
        return -1;
    n->name = n->op_type = n->domain = "";
    n->off = off;
    n->inputs = eco_arena_array(r->arena, c[0] ? c[0] : 1, sizeof *n->inputs);
    n->outputs = eco_arena_array(r->arena, c[1] ? c[1] : 1, sizeof *n->outputs);
    n->attrs = eco_arena_array(r->arena, c[2] ? c[2] : 1, sizeof *n->attrs);
    if (!n->inputs || !n->outputs || !n->attrs)
        return oom(r, off);
    struct eco_pb pb;
    struct eco_pb_field f;
    int rc;
    eco_pb_init(&pb, r->base, off, end);
    while ((rc = eco_pb_next(&pb, &f, r->err)) == 1) {
        switch (f.num) {
        case 1:
            if (append_str(r, &f, "NodeProto.input", n->inputs, &n->n_inputs))
                return -1;
            break;
        case 2:
            if (append_str(r, &f, "NodeProto.output", n->outputs, &n->n_outputs))
                return -1;
            break;
        case 3: if (str(r, &f, "NodeProto.name", &n->name)) return -1; break;
        case 4: if (str(r, &f, "NodeProto.op_type", &n->op_type)) return -1; break;
        case 7: if (str(r, &f, "NodeProto.domain", &n->domain)) return -1; break;
        case 5:
            if (want(r, &f, ECO_PB_LEN, "NodeProto.attribute") ||
                parse_attr(r, f.off, f.off + f.len, depth, &n->attrs[n->n_attrs]))
                return -1;
            n->n_attrs++;
            break;
        default: break;
        }
    }
    return rc;
}

/* ---- GraphProto ---- */

/* A graph's input, output or value_info field, appended to list (sized by
 * counting first). */
static int graph_value_info(struct rd *r, const struct eco_pb_field *f, const char *what,
                            struct eco_onnx_value_info *list, size_t *n)
{
    return want(r, f, ECO_PB_LEN, what) || parse_value_info(r, f->off, f->off + f->len, &list[(*n)++]);
}

static int parse_graph(struct rd *r, size_t off, size_t end, int depth, struct eco_onnx_graph **out)
{
    if (depth > ECO_ONNX_MAX_DEPTH)
        return eco_err_set(r->err, ECO_EXIT_USAGE,
                           "graphs nested more than %d deep at byte offset %zu", ECO_ONNX_MAX_DEPTH, off);
    uint32_t nums[] = {1, 5, 15, 11, 12, 13};
    size_t c[6];
    if (count_fields(r, off, end, nums, c, 6))
        return -1;
    struct eco_onnx_graph *g = eco_arena_alloc(r->arena, sizeof *g);
    if (!g)
        return oom(r, off);
    g->name = "";
    g->nodes = eco_arena_array(r->arena, c[0] ? c[0] : 1, sizeof *g->nodes);
    g->inits = eco_arena_array(r->arena, c[1] + c[2] ? c[1] + c[2] : 1, sizeof *g->inits);
    g->inputs = eco_arena_array(r->arena, c[3] ? c[3] : 1, sizeof *g->inputs);
    g->outputs = eco_arena_array(r->arena, c[4] ? c[4] : 1, sizeof *g->outputs);
    g->value_info = eco_arena_array(r->arena, c[5] ? c[5] : 1, sizeof *g->value_info);
    if (!g->nodes || !g->inits || !g->inputs || !g->outputs || !g->value_info)
        return oom(r, off);
    struct eco_pb pb;
    struct eco_pb_field f;
    int rc;
    eco_pb_init(&pb, r->base, off, end);
    while ((rc = eco_pb_next(&pb, &f, r->err)) == 1) {
        int bad = 0;
        switch (f.num) {
        case 1:
            bad = want(r, &f, ECO_PB_LEN, "GraphProto.node") ||
                  parse_node(r, f.off, f.off + f.len, depth, &g->nodes[g->n_nodes++]);
            break;
        case 2: bad = str(r, &f, "GraphProto.name", &g->name); break;
        case 5:
            bad = want(r, &f, ECO_PB_LEN, "GraphProto.initializer") ||
                  parse_tensor(r, f.off, f.off + f.len, &g->inits[g->n_inits++]);
            break;
        case 15:
            bad = want(r, &f, ECO_PB_LEN, "GraphProto.sparse_initializer") ||
                  parse_sparse(r, f.off, f.off + f.len, &g->inits[g->n_inits++]);
            break;
        case 11: bad = graph_value_info(r, &f, "GraphProto.input", g->inputs, &g->n_inputs); break;
        case 12: bad = graph_value_info(r, &f, "GraphProto.output", g->outputs, &g->n_outputs); break;
        case 13: bad = graph_value_info(r, &f, "GraphProto.value_info", g->value_info, &g->n_value_info); break;
        default: break;
        }
        if (bad)
            return -1;
        release(r, &f);
    }
    if (rc < 0)
        return -1;
    *out = g;
    return 0;
}

/* ---- ModelProto ---- */

int eco_onnx_parse(const uint8_t *buf, size_t len, struct eco_onnx_model *m, struct eco_err *err)
{
    struct rd r = {buf, &m->arena, err, m->mapped};
    m->file_size = len;
    m->producer = "";
    if (len == 0)
        return eco_err_set(err, ECO_EXIT_USAGE, "the file is empty");
    uint32_t nums[] = {8};
    size_t n_ops;
    if (count_fields(&r, 0, len, nums, &n_ops, 1))
        return -1;
    m->opsets = eco_arena_array(&m->arena, n_ops ? n_ops : 1, sizeof *m->opsets);
    if (!m->opsets)
        return oom(&r, 0);
    struct eco_pb pb, sp;
    struct eco_pb_field f, g;
    int rc, rc2;
    eco_pb_init(&pb, buf, 0, len);
    while ((rc = eco_pb_next(&pb, &f, err)) == 1) {
        switch (f.num) {
        case 1:
            if (want(&r, &f, ECO_PB_VARINT, "ModelProto.ir_version"))
                return -1;
            m->ir_version = (int64_t)f.value;
            break;
        case 2: if (str(&r, &f, "ModelProto.producer_name", &m->producer)) return -1; break;
        case 7:
            if (want(&r, &f, ECO_PB_LEN, "ModelProto.graph"))
                return -1;
            if (m->graph)
                return eco_err_set(err, ECO_EXIT_USAGE, "second graph at byte offset %zu", f.tag_off);
            if (parse_graph(&r, f.off, f.off + f.len, 0, &m->graph))
                return -1;
            break;
        case 8: {
            if (want(&r, &f, ECO_PB_LEN, "ModelProto.opset_import"))
                return -1;
            struct eco_onnx_opset *o = &m->opsets[m->n_opsets++];
            o->domain = "";
            eco_pb_sub(&pb, &f, &sp);
            while ((rc2 = eco_pb_next(&sp, &g, err)) == 1) {
                if (g.num == 1 && str(&r, &g, "OperatorSetIdProto.domain", &o->domain))
                    return -1;
                if (g.num == 2)
                    o->version = (int64_t)g.value;
            }
            if (rc2 < 0)
                return -1;
            break;
        }
        default: break;
        }
    }
    if (rc < 0)
        return -1;
    if (!m->graph)
        return eco_err_set(err, ECO_EXIT_USAGE, "no graph in the file (not an ONNX model?)");
    if (m->ir_version <= 0 || m->ir_version > 100)
        return eco_err_set(err, ECO_EXIT_USAGE, "ir_version %lld is not an ONNX IR version",
                           (long long)m->ir_version);
    return 0;
}

int eco_onnx_load(const char *path, struct eco_onnx_model *m, struct eco_err *err)
{
    /* O_NONBLOCK: a FIFO opens at once (and is refused below) instead of
     * waiting for a writer. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return eco_err_set(err, errno == ENOENT ? ECO_EXIT_USAGE : ECO_EXIT_RUNTIME, "cannot open %s: %s",
                           path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return eco_err_set(err, ECO_EXIT_USAGE, "%s is %s, not a regular file", path,
                           eco_file_type_name(st.st_mode));
    }
    if (st.st_size == 0) {
        close(fd);
        return eco_err_set(err, ECO_EXIT_USAGE, "%s is empty", path);
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return eco_err_set(err, ECO_EXIT_RUNTIME, "cannot map %s: %s", path, strerror(errno));
    /* Reads jump over payloads: tell the kernel not to read ahead the weights. */
    madvise(map, (size_t)st.st_size, MADV_RANDOM);
    m->mapped = 1;
    int rc = eco_onnx_parse(map, (size_t)st.st_size, m, err);
    munmap(map, (size_t)st.st_size);
    return rc;
}

void eco_onnx_free(struct eco_onnx_model *m)
{
    eco_arena_free(&m->arena);
    memset(m, 0, sizeof *m);
}

int64_t eco_onnx_opset(const struct eco_onnx_model *m, const char *domain)
{
    int def = !domain[0] || strcmp(domain, "ai.onnx") == 0;
    for (size_t i = 0; i < m->n_opsets; i++) {
        const char *d = m->opsets[i].domain;
        int odef = !d[0] || strcmp(d, "ai.onnx") == 0;
        if (def ? odef : strcmp(d, domain) == 0)
            return m->opsets[i].version;
    }
    return 0;
}

const struct eco_onnx_attr *eco_onnx_attr(const struct eco_onnx_node *n, const char *name)
{
    for (size_t i = 0; i < n->n_attrs; i++)
        if (strcmp(n->attrs[i].name, name) == 0)
            return &n->attrs[i];
    return NULL;
}

int64_t eco_onnx_attr_int(const struct eco_onnx_node *n, const char *name, int64_t def)
{
    const struct eco_onnx_attr *a = eco_onnx_attr(n, name);
    return a ? a->i : def;
}

double eco_onnx_attr_float(const struct eco_onnx_node *n, const char *name, double def)
{
    const struct eco_onnx_attr *a = eco_onnx_attr(n, name);
    return a ? a->f : def;
}

const char *eco_onnx_attr_str(const struct eco_onnx_node *n, const char *name, const char *def)
{
    const struct eco_onnx_attr *a = eco_onnx_attr(n, name);
    return a && a->s ? a->s : def;
}

const int64_t *eco_onnx_attr_ints(const struct eco_onnx_node *n, const char *name, size_t *count)
{
    const struct eco_onnx_attr *a = eco_onnx_attr(n, name);
    if (!a || (a->type != ECO_AT_INTS && a->n_ints == 0)) {
        *count = 0;
        return NULL;
    }
    *count = a->n_ints;
    return a->ints;
}

int64_t eco_f2i(double v)
{
    if (!(v == v))
        return 0;
    if (v >= 9.2e18)
        return INT64_MAX;
    if (v <= -9.2e18)
        return INT64_MIN + 1;
    return (int64_t)v;
}

double eco_onnx_dtype_size(int dt)
{
    switch (dt) {
    case ECO_DT_FLOAT: case ECO_DT_INT32: case ECO_DT_UINT32: return 4;
    case ECO_DT_DOUBLE: case ECO_DT_INT64: case ECO_DT_UINT64: case ECO_DT_COMPLEX64: return 8;
    case ECO_DT_COMPLEX128: return 16;
    case ECO_DT_FLOAT16: case ECO_DT_BFLOAT16: case ECO_DT_INT16: case ECO_DT_UINT16: return 2;
    case ECO_DT_UINT8: case ECO_DT_INT8: case ECO_DT_BOOL: case ECO_DT_FLOAT8E4M3FN:
    case ECO_DT_FLOAT8E4M3FNUZ: case ECO_DT_FLOAT8E5M2: case ECO_DT_FLOAT8E5M2FNUZ: return 1;
    case ECO_DT_UINT4: case ECO_DT_INT4: case ECO_DT_FLOAT4E2M1: return 0.5;
    default: return 0;
    }
}

const char *eco_onnx_dtype_name(int dt)
{
    static const char *names[] = {"undefined", "float32", "uint8", "int8", "uint16", "int16", "int32",
                                  "int64", "string", "bool", "float16", "float64", "uint32", "uint64",
                                  "complex64", "complex128", "bfloat16", "float8e4m3fn", "float8e4m3fnuz",
                                  "float8e5m2", "float8e5m2fnuz", "uint4", "int4", "float4e2m1"};
    return dt >= 0 && dt < (int)(sizeof names / sizeof names[0]) ? names[dt] : "unknown";
}
