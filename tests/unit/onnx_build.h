/* A tiny protobuf/ONNX writer for the unit tests: models are built by hand,
 * field by field, so every test knows exactly which bytes it feeds the reader. */
#ifndef ECO_TEST_ONNX_BUILD_H
#define ECO_TEST_ONNX_BUILD_H

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct pbw {
    uint8_t *p;
    size_t n, cap;
};

static inline void pbw_bytes(struct pbw *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}
static inline void pbw_varint(struct pbw *b, uint64_t v)
{
    uint8_t t[10];
    int k = 0;
    do {
        t[k] = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (v)
            t[k] |= 0x80;
        k++;
    } while (v);
    pbw_bytes(b, t, (size_t)k);
}
static inline void pbw_int(struct pbw *b, unsigned num, int64_t v)
{
    pbw_varint(b, (uint64_t)num << 3);
    pbw_varint(b, (uint64_t)v);
}
static inline void pbw_len(struct pbw *b, unsigned num, const void *d, size_t n)
{
    pbw_varint(b, (uint64_t)num << 3 | 2);
    pbw_varint(b, n);
    pbw_bytes(b, d, n);
}
static inline void pbw_str(struct pbw *b, unsigned num, const char *s) { pbw_len(b, num, s, strlen(s)); }
/* append sub as a message field and free it */
static inline void pbw_msg(struct pbw *b, unsigned num, struct pbw *sub)
{
    pbw_len(b, num, sub->p ? sub->p : (uint8_t *)"", sub->n);
    free(sub->p);
    memset(sub, 0, sizeof *sub);
}

/* TensorProto: dims, dtype, name; int64 values in raw_data when vals != NULL,
 * else a raw_data payload of n_payload zero bytes (a stand-in for weights). */
static inline void onnx_tensor(struct pbw *t, const char *name, int dtype, int nd, const int64_t *dims,
                               const int64_t *vals, size_t n_payload)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) {
        pbw_int(t, 1, dims[i]);
        n *= dims[i];
    }
    pbw_int(t, 2, dtype);
    pbw_str(t, 8, name);
    if (vals)
        pbw_len(t, 9, vals, (size_t)n * 8);
    else if (n_payload) {
        uint8_t *z = calloc(1, n_payload);
        pbw_len(t, 9, z, n_payload);
        free(z);
    }
}

/* graph.initializer (field 5) */
static inline void onnx_init(struct pbw *g, const char *name, int dtype, int nd, const int64_t *dims,
                             const int64_t *vals)
{
    struct pbw t = {0};
    int64_t n = 1;
    for (int i = 0; i < nd; i++)
        n *= dims[i];
    onnx_tensor(&t, name, dtype, nd, dims, vals, vals ? 0 : (size_t)n * 4);
    pbw_msg(g, 5, &t);
}

/* ValueInfoProto into field num (11 input, 12 output); dim < 0 = symbol "N". */
static inline void onnx_vi(struct pbw *g, unsigned num, const char *name, int dtype, int nd, const int64_t *dims)
{
    struct pbw vi = {0}, tp = {0}, tt = {0}, sh = {0};
    for (int i = 0; i < nd; i++) {
        struct pbw d = {0};
        if (dims[i] >= 0)
            pbw_int(&d, 1, dims[i]);
        else
            pbw_str(&d, 2, "N");
        pbw_msg(&sh, 1, &d);
    }
    pbw_int(&tt, 1, dtype);
    if (nd >= 0)
        pbw_msg(&tt, 2, &sh);
    pbw_msg(&tp, 1, &tt);
    pbw_str(&vi, 1, name);
    pbw_msg(&vi, 2, &tp);
    pbw_msg(g, num, &vi);
    free(sh.p);
}

static inline void attr_int(struct pbw *n, const char *name, int64_t v)
{
    struct pbw a = {0};
    pbw_str(&a, 1, name);
    pbw_int(&a, 20, 2);
    pbw_int(&a, 3, v);
    pbw_msg(n, 5, &a);
}
static inline void attr_ints(struct pbw *n, const char *name, int k, const int64_t *v)
{
    struct pbw a = {0};
    pbw_str(&a, 1, name);
    pbw_int(&a, 20, 7);
    for (int i = 0; i < k; i++)
        pbw_int(&a, 8, v[i]);
    pbw_msg(n, 5, &a);
}
static inline void attr_str(struct pbw *n, const char *name, const char *s)
{
    struct pbw a = {0};
    pbw_str(&a, 1, name);
    pbw_int(&a, 20, 3);
    pbw_str(&a, 4, s);
    pbw_msg(n, 5, &a);
}

/* Start a node: op, then inputs and outputs as NULL-terminated lists. The
 * caller adds attributes and closes it with pbw_msg(graph, 1, &node). */
static inline void onnx_node(struct pbw *n, const char *op, const char *const *ins, const char *const *outs)
{
    for (; ins && *ins; ins++)
        pbw_str(n, 1, *ins);
    for (; outs && *outs; outs++)
        pbw_str(n, 2, *outs);
    pbw_str(n, 4, op);
}

/* ModelProto with ir_version 8 and an ai.onnx opset; frees graph. */
static inline void onnx_model(struct pbw *m, int64_t opset, struct pbw *graph)
{
    struct pbw os = {0};
    pbw_int(m, 1, 8);
    pbw_str(m, 2, "eco-test");
    pbw_str(&os, 1, "");
    pbw_int(&os, 2, opset);
    pbw_msg(m, 8, &os);
    pbw_msg(m, 7, graph);
}

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})
#define D(...) ((const int64_t[]){__VA_ARGS__})

#endif
