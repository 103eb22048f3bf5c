/* GGUF reader and costs on images built here byte by byte (the e2e tests
 * use a Python writer; this one needs nothing but the library). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/gguf.h"
#include "model/gguf_cost.h"
#include "test.h"

struct buf {
    unsigned char b[1 << 17]; /* header + 72 KiB of (zero) tensor data */
    size_t n;
};

static void put(struct buf *b, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        b->b[b->n++] = (unsigned char)(v >> (8 * i));
}

static void put_str(struct buf *b, const char *s)
{
    put(b, strlen(s), 8);
    memcpy(b->b + b->n, s, strlen(s));
    b->n += strlen(s);
}

static void kv_u32(struct buf *b, const char *k, uint32_t v)
{
    put_str(b, k);
    put(b, ECO_GGUF_UINT32, 4);
    put(b, v, 4);
}

/* A 1-layer llama: n_embd 256, 4 heads, context 100; tensors token_embd
 * (Q4_K 256x10), attn_q (Q8_0 256x256), norm (F32 256). */
static void tiny(struct buf *b)
{
    memset(b, 0, sizeof *b);
    memcpy(b->b, "GGUF", 4);
    b->n = 4;
    put(b, 3, 4);
    put(b, 3, 8); /* tensors */
    put(b, 7, 8); /* key-values */
    put_str(b, "general.architecture");
    put(b, ECO_GGUF_STRING, 4);
    put_str(b, "llama");
    kv_u32(b, "llama.block_count", 1);
    kv_u32(b, "llama.embedding_length", 256);
    kv_u32(b, "llama.attention.head_count", 4);
    kv_u32(b, "llama.context_length", 100);
    put_str(b, "tokenizer.ggml.tokens");
    put(b, ECO_GGUF_ARRAY, 4);
    put(b, ECO_GGUF_STRING, 4);
    put(b, 2, 8);
    put_str(b, "ab");
    put_str(b, "cde");
    put_str(b, "a.f32s");
    put(b, ECO_GGUF_ARRAY, 4);
    put(b, ECO_GGUF_FLOAT32, 4);
    put(b, 2, 8);
    put(b, 0x3f000000, 4); /* 0.5f */
    put(b, 0xc0000000, 4); /* -2.0f */
    const struct {
        const char *name;
        uint32_t n_dims;
        uint64_t d0, d1;
        uint32_t type;
        uint64_t bytes;
    } t[] = {{"token_embd.weight", 2, 256, 10, 12, 10 * 144},
             {"blk.0.attn_q.weight", 2, 256, 256, 8, 256 * 8 * 34},
             {"output_norm.weight", 1, 256, 0, 0, 1024}};
    uint64_t off = 0;
    for (int i = 0; i < 3; i++) {
        put_str(b, t[i].name);
        put(b, t[i].n_dims, 4);
        put(b, t[i].d0, 8);
        if (t[i].n_dims == 2)
            put(b, t[i].d1, 8);
        put(b, t[i].type, 4);
        put(b, off, 8);
        off += (t[i].bytes + 31) / 32 * 32;
    }
    b->n = (b->n + 31) / 32 * 32 + (size_t)off;
}

ECO_TEST(gguf_type_table_matches_block_layouts)
{
    /* bytes per block from the ggml block structs, added up by hand */
    CHECK_INT(eco_ggml_type(2)->bytes, 2 + 16);            /* Q4_0: d + 16 nibble bytes */
    CHECK_INT(eco_ggml_type(12)->bytes, 2 + 2 + 12 + 128); /* Q4_K */
    CHECK_INT(eco_ggml_type(14)->bytes, 128 + 64 + 16 + 2);/* Q6_K */
    CHECK_INT(eco_ggml_type(15)->bytes, 4 + 256 + 32);     /* Q8_K */
    CHECK_INT(eco_ggml_type(23)->bytes, 2 + 2 + 4 + 128);  /* IQ4_XS */
    CHECK_INT(eco_ggml_type(12)->block, 256);
    CHECK(eco_ggml_type(4) == NULL); /* Q4_2: removed, never sized */
    CHECK(eco_ggml_type(1000) == NULL);
    char buf[16];
    CHECK_STR(eco_ggml_type_name(30, buf, sizeof buf), "BF16");
    CHECK_STR(eco_ggml_type_name(77, buf, sizeof buf), "type77");
}

ECO_TEST(gguf_parse_tiny_model)
{
    static struct buf b;
    tiny(&b);
    struct eco_gguf g;
    struct eco_err e;
    eco_err_clear(&e);
    if (eco_gguf_parse(b.b, b.n, &g, &e) != 0)
        eco_test_fail(__FILE__, __LINE__, "parse failed: %s", e.msg);
    CHECK_INT(g.version, 3);
    CHECK_INT(g.n_tensors, 3);
    CHECK_INT(g.n_kv, 7);
    CHECK_INT(g.alignment, 32);
    CHECK_INT(g.data_offset % 32, 0);
    uint64_t v;
    CHECK(eco_gguf_get_u64(&g, "llama.block_count", &v) == 0 && v == 1);
    CHECK(eco_gguf_get_u64(&g, "missing.key", &v) == -1);
    char s[16];
    CHECK(eco_gguf_get_str(&g, "general.architecture", s, sizeof s) == 0);
    CHECK_STR(s, "llama");
    const struct eco_gguf_kv *tok = eco_gguf_find(&g, "tokenizer.ggml.tokens");
    CHECK(tok && tok->value.type == ECO_GGUF_ARRAY && tok->value.v.array.count == 2);
    struct eco_gguf_value ev;
    CHECK(eco_gguf_array_get(&g, &tok->value, 1, &ev) == 0);
    CHECK(ev.type == ECO_GGUF_STRING && ev.v.str.len == 3 && memcmp(ev.v.str.ptr, "cde", 3) == 0);
    CHECK(eco_gguf_array_get(&g, &tok->value, 2, &ev) == -1);
    const struct eco_gguf_kv *f = eco_gguf_find(&g, "a.f32s");
    CHECK(eco_gguf_array_get(&g, &f->value, 1, &ev) == 0 && ev.v.f64 == -2.0);
    CHECK_INT(g.tensors[1].n_elements, 65536);
    CHECK_INT(g.tensors[1].n_bytes, 65536 / 32 * 34);
    CHECK_INT(g.tensors[0].n_bytes, 10 * 144);

    struct eco_gguf_cost c;
    CHECK(eco_gguf_cost(&g, 0, 10, &c, &e) == 0);
    CHECK_INT(c.params, 2560 + 65536 + 256);
    CHECK_INT(c.weight_bytes, 1440 + 69632 + 1024);
    CHECK_INT(c.embedding_params, 2560);
    CHECK(c.decoder);
    CHECK(c.tied_output); /* no output.weight: the head reuses token_embd */
    CHECK_INT(c.context, 100);
    /* linear: attn_q 65536 + norm 256 + tied head 2560 = 68352 MACs;
     * attention: 1 layer x 100 ctx x 4 heads x (64 key + 64 value) = 51200 MACs */
    CHECK_NEAR(c.macs_per_token, 68352 + 51200, 1e-12);
    CHECK_NEAR(c.flops_per_token, 2 * (68352 + 51200), 1e-12);
    /* prompt of 10: 10 x 68352 + 512 x 55 (causal: 1 + 2 + ... + 10 keys) */
    CHECK_NEAR(c.prompt_macs, 683520 + 512 * 55, 1e-12);
    CHECK_INT(c.n_by_type, 3);
    CHECK_INT(c.by_type[0].type, 8); /* largest bytes first */
    eco_gguf_cost_free(&c);
    eco_gguf_close(&g);
}

ECO_TEST(gguf_every_truncation_fails_with_an_offset)
{
    static struct buf b;
    tiny(&b);
    /* every length through the header and infos, then a sample of the data */
    for (size_t n = 0; n < b.n; n += n < 600 ? 1 : 97) {
        struct eco_gguf g;
        struct eco_err e;
        eco_err_clear(&e);
        /* copy into an exact-size heap block so a read past n is caught by ASan */
        unsigned char *p = malloc(n ? n : 1);
        memcpy(p, b.b, n);
        int rc = eco_gguf_parse(p, n, &g, &e);
        free(p);
        if (rc == 0)
            eco_test_fail(__FILE__, __LINE__, "accepted a file truncated at %zu of %zu bytes", n, b.n);
        if (e.code != 2 || !strstr(e.msg, "byte offset"))
            eco_test_fail(__FILE__, __LINE__, "truncated at %zu: code %d, '%s'", n, e.code, e.msg);
    }
}

ECO_TEST(gguf_big_endian_reads_the_same)
{
    /* The same header swapped: version 3, one key-value, no tensors. */
    static const unsigned char be[] = {'G', 'G', 'U', 'F', 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 'k',
                                       0, 0, 0, 4, 0, 0, 1, 2};
    struct eco_gguf g;
    struct eco_err e;
    CHECK(eco_gguf_parse(be, sizeof be, &g, &e) == 0);
    CHECK(g.big_endian);
    uint64_t v = 0;
    CHECK(eco_gguf_get_u64(&g, "k", &v) == 0);
    CHECK_INT(v, 258);
    eco_gguf_close(&g);
}

ECO_TEST(gguf_strings_are_printed_safely)
{
    char buf[16];
    struct eco_gguf_str s = {"a\x1b[31mb", 7};
    CHECK_STR(eco_gguf_str_print(&s, buf, sizeof buf), "a?[31mb");
    s = (struct eco_gguf_str){"\xc3\xa9t\xc3\xa9\xff", 6}; /* "été" then an invalid byte */
    CHECK_STR(eco_gguf_str_print(&s, buf, sizeof buf), "\xc3\xa9t\xc3\xa9?");
    s = (struct eco_gguf_str){"0123456789abcdefghij", 20};
    CHECK_STR(eco_gguf_str_print(&s, buf, sizeof buf), "0123456789ab...");
    s = (struct eco_gguf_str){"0123456789abcd", 14}; /* fits exactly */
    CHECK_STR(eco_gguf_str_print(&s, buf, sizeof buf), "0123456789abcd");
    s = (struct eco_gguf_str){"0123456789abc\xc3\xa9xyz", 18}; /* no cut inside the é */
    CHECK_STR(eco_gguf_str_print(&s, buf, sizeof buf), "0123456789ab...");
    s = (struct eco_gguf_str){"\xed\xa0\x80", 3}; /* a UTF-16 surrogate is not UTF-8 */
    CHECK_STR(eco_gguf_str_print(&s, buf, sizeof buf), "???");
}
