/* GGUF reader: see gguf.h. Every read goes through a cursor that knows the
 * end of the file, so a lying length fails with the offset where it was read
 * instead of reading past the map. Counts are checked against the smallest
 * size their items can take before anything is allocated for them, and
 * arrays nest at most ECO_GGUF_MAX_DEPTH deep, so a small hostile file can
 * neither exhaust memory nor the stack nor loop for long. */
#include "model/gguf.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/safe_open.h"

#define ECO_GGUF_MAX_DEPTH 16
#define ECO_GGUF_MAX_KEY 65535u  /* the spec's limit for keys */
#define ECO_GGUF_MAX_NAME 65535u /* ggml writes <= 63; be lenient, not unbounded */
#define ECO_GGUF_MAX_ALIGN (1u << 30)

/* Block sizes and bytes per block, from ggml's type traits (block structs
 * in ggml-common.h; gguf-py's GGML_QUANT_SIZES lists the same pairs). */
static const struct eco_ggml_type_info types[] = {
    [0] = {"F32", 1, 4, 0, 0},
    [1] = {"F16", 1, 2, 0, 0},
    [2] = {"Q4_0", 32, 18, 1, 0},
    [3] = {"Q4_1", 32, 20, 1, 0},
    [6] = {"Q5_0", 32, 22, 1, 0},
    [7] = {"Q5_1", 32, 24, 1, 0},
    [8] = {"Q8_0", 32, 34, 1, 0},
    [9] = {"Q8_1", 32, 36, 1, 0},
    [10] = {"Q2_K", 256, 84, 1, 0},
    [11] = {"Q3_K", 256, 110, 1, 0},
    [12] = {"Q4_K", 256, 144, 1, 0},
    [13] = {"Q5_K", 256, 176, 1, 0},
    [14] = {"Q6_K", 256, 210, 1, 0},
    [15] = {"Q8_K", 256, 292, 1, 0},
    [16] = {"IQ2_XXS", 256, 66, 1, 0},
    [17] = {"IQ2_XS", 256, 74, 1, 0},
    [18] = {"IQ3_XXS", 256, 98, 1, 0},
    [19] = {"IQ1_S", 256, 50, 1, 0},
    [20] = {"IQ4_NL", 32, 18, 1, 0},
    [21] = {"IQ3_S", 256, 110, 1, 0},
    [22] = {"IQ2_S", 256, 82, 1, 0},
    [23] = {"IQ4_XS", 256, 136, 1, 0},
    [24] = {"I8", 1, 1, 0, 0},
    [25] = {"I16", 1, 2, 0, 0},
    [26] = {"I32", 1, 4, 0, 0},
    [27] = {"I64", 1, 8, 0, 0},
    [28] = {"F64", 1, 8, 0, 0},
    [29] = {"IQ1_M", 256, 56, 1, 0},
    [30] = {"BF16", 1, 2, 0, 0},
    /* 31-33 and 36-38: interleaved repacks of Q4_0 / IQ4_NL blocks that
     * ggml wrote for a while and then dropped from files; same sizes. */
    [31] = {"Q4_0_4_4", 32, 18, 1, 1},
    [32] = {"Q4_0_4_8", 32, 18, 1, 1},
    [33] = {"Q4_0_8_8", 32, 18, 1, 1},
    [34] = {"TQ1_0", 256, 54, 1, 0},
    [35] = {"TQ2_0", 256, 66, 1, 0},
    [36] = {"IQ4_NL_4_4", 32, 18, 1, 1},
    [37] = {"IQ4_NL_4_8", 32, 18, 1, 1},
    [38] = {"IQ4_NL_8_8", 32, 18, 1, 1},
    [39] = {"MXFP4", 32, 17, 1, 0},
    [40] = {"NVFP4", 64, 36, 1, 0},
    [41] = {"Q1_0", 128, 18, 1, 0},
};
#define N_TYPES (sizeof types / sizeof types[0])

const struct eco_ggml_type_info *eco_ggml_type(uint32_t type)
{
    if (type >= N_TYPES || !types[type].name)
        return NULL;
    return &types[type];
}

const char *eco_ggml_type_name(uint32_t type, char *buf, size_t len)
{
    const struct eco_ggml_type_info *t = eco_ggml_type(type);
    if (t)
        return t->name;
    snprintf(buf, len, "type%" PRIu32, type);
    return buf;
}

static const char *const vtype_names[] = {"uint8", "int8",   "uint16", "int16",  "uint32",
                                          "int32", "float32", "bool",  "string", "array",
                                          "uint64", "int64", "float64"};

const char *eco_gguf_vtype_name(uint32_t type)
{
    return type < sizeof vtype_names / sizeof vtype_names[0] ? vtype_names[type] : "unknown";
}

/* Size of a fixed-size value type, 0 for string/array/unknown. */
static uint64_t fixed_size(uint32_t type)
{
    switch (type) {
    case ECO_GGUF_UINT8: case ECO_GGUF_INT8: case ECO_GGUF_BOOL: return 1;
    case ECO_GGUF_UINT16: case ECO_GGUF_INT16: return 2;
    case ECO_GGUF_UINT32: case ECO_GGUF_INT32: case ECO_GGUF_FLOAT32: return 4;
    case ECO_GGUF_UINT64: case ECO_GGUF_INT64: case ECO_GGUF_FLOAT64: return 8;
    default: return 0;
    }
}

/* The fewest bytes one value of this type can take (length prefixes). */
static uint64_t min_size(uint32_t type)
{
    if (type == ECO_GGUF_STRING)
        return 8;
    if (type == ECO_GGUF_ARRAY)
        return 12;
    return fixed_size(type);
}

struct cursor {
    const unsigned char *p;
    size_t size, pos;
    int be;
    struct eco_err *err;
};

static int need(struct cursor *c, uint64_t n, const char *what)
{
    if (n > c->size - c->pos)
        return eco_err_set(c->err, 2,
                           "GGUF file truncated at byte offset %zu: %s needs %" PRIu64
                           " bytes but the file ends at byte %zu",
                           c->pos, what, n, c->size);
    return 0;
}

static uint64_t load(const unsigned char *p, int n, int be)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
    return v;
}

static int rd(struct cursor *c, int n, uint64_t *out, const char *what)
{
    if (need(c, (uint64_t)n, what))
        return -1;
    *out = load(c->p + c->pos, n, c->be);
    c->pos += (size_t)n;
    return 0;
}

static int rd_u32(struct cursor *c, uint32_t *out, const char *what)
{
    uint64_t v;
    if (rd(c, 4, &v, what))
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int rd_str(struct cursor *c, struct eco_gguf_str *s, uint64_t limit, const char *what)
{
    size_t at = c->pos;
    uint64_t len;
    if (rd(c, 8, &len, what))
        return -1;
    if (len > limit)
        return eco_err_set(c->err, 2,
                           "GGUF %s at byte offset %zu has an absurd length %" PRIu64
                           " (limit %" PRIu64 ")",
                           what, at, len, limit);
    if (need(c, len, what))
        return -1;
    s->ptr = (const char *)c->p + c->pos;
    s->len = len;
    c->pos += (size_t)len;
    return 0;
}

/* A scalar of a fixed-size type at the cursor into v. */
static void decode_fixed(const unsigned char *p, uint32_t type, int be, struct eco_gguf_value *v)
{
    uint64_t raw = load(p, (int)fixed_size(type), be);
    v->type = type;
    switch (type) {
    case ECO_GGUF_INT8: v->v.i64 = (int8_t)raw; break;
    case ECO_GGUF_INT16: v->v.i64 = (int16_t)raw; break;
    case ECO_GGUF_INT32: v->v.i64 = (int32_t)raw; break;
    case ECO_GGUF_INT64: v->v.i64 = (int64_t)raw; break;
    case ECO_GGUF_FLOAT32: {
        uint32_t bits = (uint32_t)raw;
        float f;
        memcpy(&f, &bits, sizeof f);
        v->v.f64 = f;
        break;
    }
    case ECO_GGUF_FLOAT64: memcpy(&v->v.f64, &raw, sizeof raw); break;
    case ECO_GGUF_BOOL: v->v.b = (int)raw; break;
    default: v->v.u64 = raw; break;
    }
}

static int read_value(struct cursor *c, uint32_t type, struct eco_gguf_value *v, int depth);

static int read_array(struct cursor *c, struct eco_gguf_value *v, int depth)
{
    size_t at = c->pos;
    uint32_t et;
    uint64_t count;
    if (depth >= ECO_GGUF_MAX_DEPTH)
        return eco_err_set(c->err, 2,
                           "GGUF arrays nested more than %d deep at byte offset %zu",
                           ECO_GGUF_MAX_DEPTH, at);
    if (rd_u32(c, &et, "array element type") || rd(c, 8, &count, "array length"))
        return -1;
    if (et > ECO_GGUF_FLOAT64)
        return eco_err_set(c->err, 2, "GGUF array at byte offset %zu has unknown element type %" PRIu32,
                           at, et);
    /* Every element takes at least min_size bytes: a count that cannot fit
     * in the rest of the file is rejected before the loop starts. */
    if (count > (c->size - c->pos) / min_size(et))
        return eco_err_set(c->err, 2,
                           "GGUF array at byte offset %zu claims %" PRIu64
                           " %s elements, more than the %zu bytes left in the file can hold",
                           at, count, eco_gguf_vtype_name(et), c->size - c->pos);
    v->type = ECO_GGUF_ARRAY;
    v->v.array.elem_type = et;
    v->v.array.count = count;
    v->v.array.offset = c->pos;
    uint64_t fs = fixed_size(et);
    if (fs) {
        for (uint64_t i = 0; et == ECO_GGUF_BOOL && i < count; i++)
            if (c->p[c->pos + i] > 1)
                return eco_err_set(c->err, 2, "GGUF bool at byte offset %zu is %u, not 0 or 1",
                                   (size_t)(c->pos + i), c->p[c->pos + i]);
        c->pos += (size_t)(count * fs);
        return 0;
    }
    for (uint64_t i = 0; i < count; i++) {
        struct eco_gguf_value elem;
        if (read_value(c, et, &elem, depth + 1))
            return -1;
    }
    return 0;
}

static int read_value(struct cursor *c, uint32_t type, struct eco_gguf_value *v, int depth)
{
    size_t at = c->pos;
    uint64_t fs = fixed_size(type);
    if (fs) {
        if (need(c, fs, eco_gguf_vtype_name(type)))
            return -1;
        decode_fixed(c->p + c->pos, type, c->be, v);
        if (type == ECO_GGUF_BOOL && c->p[c->pos] > 1)
            return eco_err_set(c->err, 2, "GGUF bool at byte offset %zu is %u, not 0 or 1", at,
                               c->p[c->pos]);
        c->pos += (size_t)fs;
        return 0;
    }
    if (type == ECO_GGUF_STRING) {
        v->type = type;
        return rd_str(c, &v->v.str, UINT64_MAX, "string");
    }
    if (type == ECO_GGUF_ARRAY)
        return read_array(c, v, depth);
    return eco_err_set(c->err, 2, "GGUF value at byte offset %zu has unknown type %" PRIu32, at, type);
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t need;
    uint32_t min;
    if (p[0] < 0x80)
        return 1;
    if ((p[0] & 0xE0) == 0xC0)
        need = 2, min = 0x80;
    else if ((p[0] & 0xF0) == 0xE0)
        need = 3, min = 0x800;
    else if ((p[0] & 0xF8) == 0xF0)
        need = 4, min = 0x10000;
    else
        return 0;
    if (need > n)
        return 0;
    uint32_t cp = p[0] & (0x7F >> need);
    for (size_t i = 1; i < need; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need;
}

char *eco_gguf_str_print(const struct eco_gguf_str *s, char *buf, size_t len)
{
    size_t o = 0;
    if (len == 0)
        return buf;
    const unsigned char *p = (const unsigned char *)s->ptr;
    for (uint64_t i = 0; i < s->len;) {
        size_t rest = s->len - i > 8 ? 8 : (size_t)(s->len - i);
        size_t k = utf8_len(p + i, rest);
        int bad = k == 0 || (k == 1 && (p[i] < 0x20 || p[i] == 0x7F));
        size_t w = bad ? 1 : k;
        if (o + w + 1 > len) {
            /* No room: end with "..." on a character boundary. */
            if (len < 4) {
                o = 0;
                break;
            }
            size_t end = o;
            while (end + 4 > len)
                end--;
            while (end > 0 && end < o && ((unsigned char)buf[end] & 0xC0) == 0x80)
                end--;
            o = end;
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (bad)
            buf[o] = '?';
        else
            memcpy(buf + o, p + i, k);
        o += w;
        i += w;
    }
    buf[o] = 0;
    return buf;
}

static int key_is(const struct eco_gguf_str *s, const char *key)
{
    size_t n = strlen(key);
    return s->len == n && memcmp(s->ptr, key, n) == 0;
}

static int set_alignment(struct eco_gguf *g, const struct eco_gguf_kv *kv, struct eco_err *err)
{
    const struct eco_gguf_value *v = &kv->value;
    uint64_t a;
    if (v->type == ECO_GGUF_UINT8 || v->type == ECO_GGUF_UINT16 || v->type == ECO_GGUF_UINT32 ||
        v->type == ECO_GGUF_UINT64)
        a = v->v.u64;
    else if (v->type == ECO_GGUF_INT8 || v->type == ECO_GGUF_INT16 || v->type == ECO_GGUF_INT32 ||
             v->type == ECO_GGUF_INT64)
        a = v->v.i64 < 0 ? 0 : (uint64_t)v->v.i64;
    else
        return eco_err_set(err, 2, "GGUF general.alignment at byte offset %" PRIu64 " is a %s, not an integer",
                           kv->offset, eco_gguf_vtype_name(v->type));
    if (a == 0 || (a & (a - 1)) != 0 || a > ECO_GGUF_MAX_ALIGN)
        return eco_err_set(err, 2,
                           "GGUF general.alignment at byte offset %" PRIu64
                           " is %" PRIu64 ", not a power of two up to 2^30",
                           kv->offset, a);
    g->alignment = a;
    return 0;
}

/* Grow an array of `elem` bytes to hold at least n+1 items. */
static int grow(void **arr, uint64_t *cap, uint64_t n, size_t elem, struct eco_err *err)
{
    if (n < *cap)
        return 0;
    uint64_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, (size_t)nc * elem);
    if (!p)
        return eco_err_set(err, 1, "out of memory reading GGUF (%" PRIu64 " items)", nc);
    *arr = p;
    *cap = nc;
    return 0;
}

static int read_header(struct cursor *c, struct eco_gguf *g)
{
    if (c->size < 4 || memcmp(c->p, "GGUF", 4) != 0)
        return eco_err_set(c->err, 2, "not a GGUF file: no magic \"GGUF\" at byte offset 0%s",
                           c->size < 4 ? " (the file is shorter than 4 bytes)" : "");
    c->pos = 4;
    uint32_t version;
    if (rd_u32(c, &version, "version"))
        return -1;
    /* A big-endian file reads as 0x0n000000 here: swap and remember. */
    if ((version & 0xFFFF) == 0 && (version >> 24) >= 2 && (version >> 24) <= 3) {
        c->be = 1;
        version >>= 24;
    }
    if (version == 1) {
        eco_err_set(c->err, 2, "GGUF version 1 (byte offset 4) is not supported");
        eco_err_hint(c->err, "version 1 files predate September 2023; re-convert the model with a current llama.cpp");
        return -1;
    }
    if (version != 2 && version != 3)
        return eco_err_set(c->err, 2, "unsupported GGUF version %" PRIu32 " at byte offset 4 (ecometer reads 2 and 3)",
                           version);
    g->version = version;
    g->big_endian = c->be;
    if (rd(c, 8, &g->n_tensors, "tensor count") || rd(c, 8, &g->n_kv, "metadata key-value count"))
        return -1;
    if (g->n_kv > (c->size - c->pos) / 13)
        return eco_err_set(c->err, 2,
                           "GGUF metadata key-value count %" PRIu64
                           " at byte offset 16 cannot fit in the %zu bytes that follow",
                           g->n_kv, c->size - c->pos);
    if (g->n_tensors > (c->size - c->pos) / 24)
        return eco_err_set(c->err, 2,
                           "GGUF tensor count %" PRIu64 " at byte offset 8 cannot fit in the %zu bytes that follow",
                           g->n_tensors, c->size - c->pos);
    return 0;
}

static int read_kvs(struct cursor *c, struct eco_gguf *g)
{
    uint64_t cap = 0;
    for (uint64_t i = 0; i < g->n_kv; i++) {
        if (grow((void **)&g->kv, &cap, i, sizeof *g->kv, c->err))
            return -1;
        struct eco_gguf_kv *kv = &g->kv[i];
        memset(kv, 0, sizeof *kv);
        kv->offset = c->pos;
        uint32_t type;
        if (rd_str(c, &kv->key, ECO_GGUF_MAX_KEY, "metadata key") ||
            rd_u32(c, &type, "metadata value type") || read_value(c, type, &kv->value, 0))
            return -1;
        if (key_is(&kv->key, "general.alignment") && set_alignment(g, kv, c->err))
            return -1;
    }
    return 0;
}

/* The tensor's name made safe to print in an error message. */
#define TNAME(t) eco_gguf_str_print(&(t)->name, (char[96]){0}, 96)

static int tensor_sizes(struct cursor *c, struct eco_gguf_tensor *t)
{
    uint64_t n = 1;
    for (uint32_t d = 0; d < t->n_dims; d++) {
        uint64_t dim = t->dims[d];
        if (dim > (uint64_t)INT64_MAX || (dim && n > (uint64_t)INT64_MAX / dim))
            return eco_err_set(c->err, 2,
                               "GGUF tensor '%s' (info at byte offset %" PRIu64
                               "): dimensions overflow 64 bits at dimension %" PRIu32 " (%" PRIu64 ")",
                               TNAME(t), t->info_offset, d, dim);
        n *= dim;
    }
    t->n_elements = n;
    const struct eco_ggml_type_info *ti = eco_ggml_type(t->type);
    if (!ti)
        return 0; /* unknown type: counted as parameters, bytes reported unknown */
    uint64_t row = t->n_dims ? t->dims[0] : 1;
    if (row % ti->block != 0)
        return eco_err_set(c->err, 2,
                           "GGUF tensor '%s' (info at byte offset %" PRIu64 "): first dimension %" PRIu64
                           " is not a multiple of the %s block size %" PRIu32,
                           TNAME(t), t->info_offset, row, ti->name, ti->block);
    uint64_t blocks = n / ti->block;
    if (blocks > UINT64_MAX / ti->bytes)
        return eco_err_set(c->err, 2, "GGUF tensor '%s' (info at byte offset %" PRIu64 "): byte size overflows",
                           TNAME(t), t->info_offset);
    t->n_bytes = blocks * ti->bytes;
    return 0;
}

static int read_tensor_infos(struct cursor *c, struct eco_gguf *g)
{
    uint64_t cap = 0;
    for (uint64_t i = 0; i < g->n_tensors; i++) {
        if (grow((void **)&g->tensors, &cap, i, sizeof *g->tensors, c->err))
            return -1;
        struct eco_gguf_tensor *t = &g->tensors[i];
        memset(t, 0, sizeof *t);
        t->info_offset = c->pos;
        if (rd_str(c, &t->name, ECO_GGUF_MAX_NAME, "tensor name") ||
            rd_u32(c, &t->n_dims, "tensor dimension count"))
            return -1;
        if (t->n_dims > ECO_GGUF_MAX_DIMS)
            return eco_err_set(c->err, 2,
                               "GGUF tensor '%s' (info at byte offset %" PRIu64 ") has %" PRIu32
                               " dimensions; ecometer reads at most %d",
                               TNAME(t), t->info_offset, t->n_dims, ECO_GGUF_MAX_DIMS);
        for (uint32_t d = 0; d < t->n_dims; d++)
            if (rd(c, 8, &t->dims[d], "tensor dimension"))
                return -1;
        size_t off_at;
        if (rd_u32(c, &t->type, "tensor type"))
            return -1;
        off_at = c->pos;
        if (rd(c, 8, &t->offset, "tensor data offset"))
            return -1;
        if (t->offset % g->alignment != 0)
            return eco_err_set(c->err, 2,
                               "GGUF tensor '%s': data offset %" PRIu64 " (read at byte offset %zu) is not a multiple of the alignment %" PRIu64,
                               TNAME(t), t->offset, off_at, g->alignment);
        if (tensor_sizes(c, t))
            return -1;
    }
    return 0;
}

/* Tensor data must lie inside the file: we never read it, but a file whose
 * tensors run past its end is truncated and its figures cannot be trusted. */
static int check_data_bounds(struct cursor *c, struct eco_gguf *g)
{
    uint64_t pos = c->pos;
    uint64_t aligned = pos + (g->alignment - pos % g->alignment) % g->alignment;
    g->data_offset = aligned;
    if (g->n_tensors == 0)
        return 0;
    if (aligned > c->size)
        return eco_err_set(c->err, 2,
                           "GGUF file truncated: tensor data should start at byte offset %" PRIu64
                           " but the file ends at byte %zu",
                           aligned, c->size);
    uint64_t room = c->size - aligned;
    for (uint64_t i = 0; i < g->n_tensors; i++) {
        const struct eco_gguf_tensor *t = &g->tensors[i];
        if (t->offset > room || t->n_bytes > room - t->offset)
            return eco_err_set(c->err, 2,
                               "GGUF tensor '%s' (info at byte offset %" PRIu64 "): its data at byte offset %" PRIu64
                               " + %" PRIu64 " bytes runs past the end of the file (%zu bytes)",
                               TNAME(t), t->info_offset,
                               aligned + (t->offset > room ? room : t->offset), t->n_bytes, c->size);
    }
    return 0;
}

/* Duplicate keys or tensor names make a file ambiguous (which block_count?)
 * or double-count parameters; ggml refuses them too. Sorting pointers keeps
 * this O(n log n) for hostile counts. */
struct named {
    const struct eco_gguf_str *name;
    uint64_t offset;
};

static int cmp_named(const void *a, const void *b)
{
    const struct named *x = a, *y = b;
    uint64_t n = x->name->len < y->name->len ? x->name->len : y->name->len;
    int c = n ? memcmp(x->name->ptr, y->name->ptr, (size_t)n) : 0;
    if (c)
        return c;
    if (x->name->len != y->name->len)
        return x->name->len < y->name->len ? -1 : 1;
    return (x->offset > y->offset) - (x->offset < y->offset);
}

static int check_unique(struct eco_gguf *g, struct eco_err *err)
{
    uint64_t most = g->n_kv > g->n_tensors ? g->n_kv : g->n_tensors;
    if (most < 2)
        return 0;
    struct named *v = malloc((size_t)most * sizeof *v);
    if (!v)
        return eco_err_set(err, 1, "out of memory reading GGUF");
    for (int pass = 0; pass < 2; pass++) {
        uint64_t n = pass ? g->n_tensors : g->n_kv;
        for (uint64_t i = 0; i < n; i++)
            v[i] = pass ? (struct named){&g->tensors[i].name, g->tensors[i].info_offset}
                        : (struct named){&g->kv[i].key, g->kv[i].offset};
        if (n > 1)
            qsort(v, (size_t)n, sizeof *v, cmp_named);
        for (uint64_t i = 1; i < n; i++)
            if (v[i].name->len == v[i - 1].name->len &&
                memcmp(v[i].name->ptr, v[i - 1].name->ptr, (size_t)v[i].name->len) == 0) {
                char buf[96];
                eco_err_set(err, 2, "GGUF %s '%s' appears twice (at byte offsets %" PRIu64 " and %" PRIu64 ")",
                            pass ? "tensor name" : "metadata key", eco_gguf_str_print(v[i].name, buf, sizeof buf),
                            v[i - 1].offset, v[i].offset);
                free(v);
                return -1;
            }
    }
    free(v);
    return 0;
}

int eco_gguf_parse(const void *bytes, size_t size, struct eco_gguf *g, struct eco_err *err)
{
    memset(g, 0, sizeof *g);
    g->data = bytes;
    g->size = size;
    g->alignment = 32;
    struct cursor c = {bytes, size, 0, 0, err};
    if (read_header(&c, g) || read_kvs(&c, g) || read_tensor_infos(&c, g) || check_data_bounds(&c, g) ||
        check_unique(g, err)) {
        free(g->kv);
        free(g->tensors);
        g->kv = NULL;
        g->tensors = NULL;
        return -1;
    }
    return 0;
}

int eco_gguf_open(const char *path, struct eco_gguf *g, struct eco_err *err)
{
    memset(g, 0, sizeof *g);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block */
    if (fd < 0)
        return eco_err_set(err, 1, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return eco_err_set(err, 2, "%s is %s, not a regular file", path, eco_file_type_name(st.st_mode));
    }
    if (st.st_size == 0) {
        close(fd);
        return eco_err_set(err, 2, "%s is empty: not a GGUF file (no magic at byte offset 0)", path);
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return eco_err_set(err, 1, "cannot map %s: %s", path, strerror(errno));
    if (eco_gguf_parse(map, (size_t)st.st_size, g, err) != 0) {
        munmap(map, (size_t)st.st_size);
        return -1;
    }
    g->map = map;
    g->map_size = (size_t)st.st_size;
    return 0;
}

void eco_gguf_close(struct eco_gguf *g)
{
    if (g->map)
        munmap(g->map, g->map_size);
    free(g->kv);
    free(g->tensors);
    memset(g, 0, sizeof *g);
}

const struct eco_gguf_kv *eco_gguf_find(const struct eco_gguf *g, const char *key)
{
    for (uint64_t i = 0; i < g->n_kv; i++)
        if (key_is(&g->kv[i].key, key))
            return &g->kv[i];
    return NULL;
}

int eco_gguf_get_u64(const struct eco_gguf *g, const char *key, uint64_t *out)
{
    const struct eco_gguf_kv *kv = eco_gguf_find(g, key);
    if (!kv)
        return -1;
    switch (kv->value.type) {
    case ECO_GGUF_UINT8: case ECO_GGUF_UINT16: case ECO_GGUF_UINT32: case ECO_GGUF_UINT64:
        *out = kv->value.v.u64;
        return 0;
    case ECO_GGUF_INT8: case ECO_GGUF_INT16: case ECO_GGUF_INT32: case ECO_GGUF_INT64:
        if (kv->value.v.i64 < 0)
            return -1;
        *out = (uint64_t)kv->value.v.i64;
        return 0;
    default:
        return -1;
    }
}

int eco_gguf_get_str(const struct eco_gguf *g, const char *key, char *buf, size_t len)
{
    const struct eco_gguf_kv *kv = eco_gguf_find(g, key);
    if (!kv || kv->value.type != ECO_GGUF_STRING || len == 0)
        return -1;
    eco_gguf_str_print(&kv->value.v.str, buf, len);
    return 0;
}

int eco_gguf_array_get(const struct eco_gguf *g, const struct eco_gguf_value *arr, uint64_t i,
                       struct eco_gguf_value *out)
{
    if (arr->type != ECO_GGUF_ARRAY || i >= arr->v.array.count)
        return -1;
    uint32_t et = arr->v.array.elem_type;
    uint64_t fs = fixed_size(et);
    if (fs) {
        decode_fixed(g->data + arr->v.array.offset + i * fs, et, g->big_endian, out);
        return 0;
    }
    if (et != ECO_GGUF_STRING)
        return -1;
    /* Strings are variable-sized: walk from the start (the parse already
     * proved every length fits, so no bound can fail here). */
    struct eco_err e;
    struct cursor c = {g->data, g->size, (size_t)arr->v.array.offset, g->big_endian, &e};
    for (uint64_t k = 0; k <= i; k++)
        if (read_value(&c, ECO_GGUF_STRING, out, 0))
            return -1;
    return 0;
}
