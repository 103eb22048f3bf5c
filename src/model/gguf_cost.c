/* GGUF costs: see gguf_cost.h and docs/METHODOLOGY.md ("GGUF models").
 * Per generated token, each weight a token multiplies through costs one
 * multiply-accumulate (Kaplan et al. 2020, "Scaling Laws for Neural Language
 * Models", table 1: C_forward = 2N + 2 n_layer n_ctx d_attn); embedding
 * tables are lookups, and a mixture-of-experts layer uses only
 * expert_used_count of its expert_count experts. */
#include "model/gguf_cost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int name_is(const struct eco_gguf_str *s, const char *n)
{
    size_t len = strlen(n);
    return s->len == len && memcmp(s->ptr, n, len) == 0;
}

static int name_has(const struct eco_gguf_str *s, const char *part)
{
    size_t len = strlen(part);
    for (uint64_t i = 0; len <= s->len && i + len <= s->len; i++)
        if (memcmp(s->ptr + i, part, len) == 0)
            return 1;
    return 0;
}

/* Token and position embedding tables are indexed, not multiplied. */
static int is_embedding(const struct eco_gguf_str *n)
{
    return name_is(n, "token_embd.weight") || name_is(n, "position_embd.weight") ||
           name_is(n, "token_types.weight");
}

static uint64_t arch_u64(const struct eco_gguf *g, const char *arch, const char *suffix)
{
    char key[160];
    uint64_t v = 0;
    snprintf(key, sizeof key, "%s.%s", arch, suffix);
    if (eco_gguf_get_u64(g, key, &v) != 0)
        return 0;
    return v;
}

/* head_count may be one integer or one per layer (e.g. OpenELM). Returns
 * the sum over layers, 0 when absent. */
static double head_sum(const struct eco_gguf *g, const char *arch, uint64_t n_layer, uint64_t *first)
{
    char key[160];
    snprintf(key, sizeof key, "%s.attention.head_count", arch);
    const struct eco_gguf_kv *kv = eco_gguf_find(g, key);
    uint64_t one;
    *first = 0;
    if (!kv)
        return 0;
    if (eco_gguf_get_u64(g, key, &one) == 0) {
        *first = one;
        return (double)one * (double)n_layer;
    }
    if (kv->value.type != ECO_GGUF_ARRAY)
        return 0;
    double sum = 0;
    for (uint64_t i = 0; i < kv->value.v.array.count; i++) {
        struct eco_gguf_value v;
        if (eco_gguf_array_get(g, &kv->value, i, &v) != 0)
            return 0;
        uint64_t h;
        if (v.type == ECO_GGUF_UINT8 || v.type == ECO_GGUF_UINT16 || v.type == ECO_GGUF_UINT32 ||
            v.type == ECO_GGUF_UINT64)
            h = v.v.u64;
        else if ((v.type == ECO_GGUF_INT8 || v.type == ECO_GGUF_INT16 || v.type == ECO_GGUF_INT32 ||
                  v.type == ECO_GGUF_INT64) && v.v.i64 >= 0)
            h = (uint64_t)v.v.i64;
        else
            return 0;
        if (i == 0)
            *first = h;
        sum += (double)h;
    }
    return sum;
}

static void read_llm(const struct eco_gguf *g, struct eco_gguf_llm *l)
{
    memset(l, 0, sizeof *l);
    if (eco_gguf_get_str(g, "general.architecture", l->arch, sizeof l->arch) != 0) {
        snprintf(l->missing, sizeof l->missing, "general.architecture");
        return;
    }
    const char *a = l->arch;
    l->n_layer = arch_u64(g, a, "block_count");
    l->n_embd = arch_u64(g, a, "embedding_length");
    l->n_head_kv = arch_u64(g, a, "attention.head_count_kv");
    l->n_ff = arch_u64(g, a, "feed_forward_length");
    l->n_ctx_train = arch_u64(g, a, "context_length");
    l->n_expert = arch_u64(g, a, "expert_count");
    l->n_expert_used = arch_u64(g, a, "expert_used_count");
    l->n_vocab = arch_u64(g, a, "vocab_size");
    if (!l->n_vocab) {
        const struct eco_gguf_kv *tok = eco_gguf_find(g, "tokenizer.ggml.tokens");
        if (tok && tok->value.type == ECO_GGUF_ARRAY)
            l->n_vocab = tok->value.v.array.count;
    }
    uint64_t first_heads;
    double heads = head_sum(g, a, l->n_layer, &first_heads);
    /* Mean heads per layer; a hostile file can make the sum absurd, and
     * converting an out-of-range double to an integer is undefined. */
    double mean = l->n_layer ? heads / (double)l->n_layer : (double)first_heads;
    l->n_head = mean < 1.8e19 ? (uint64_t)(mean + 0.5) : UINT64_MAX;
    l->head_dim = arch_u64(g, a, "attention.key_length");
    if (!l->head_dim && l->n_embd && first_heads)
        l->head_dim = l->n_embd / first_heads;
    l->sum_d_attn = heads * (double)l->head_dim;
    if (!l->n_layer)
        snprintf(l->missing, sizeof l->missing, "%s.block_count", a);
    else if (heads <= 0)
        snprintf(l->missing, sizeof l->missing, "%s.attention.head_count", a);
    else if (!l->head_dim)
        snprintf(l->missing, sizeof l->missing, "%s.embedding_length", a);
}

static int add_type(struct eco_gguf_cost *c, const struct eco_gguf_tensor *t, struct eco_err *err)
{
    for (size_t i = 0; i < c->n_by_type; i++)
        if (c->by_type[i].type == t->type) {
            c->by_type[i].count++;
            c->by_type[i].params += t->n_elements;
            c->by_type[i].bytes += t->n_bytes;
            return 0;
        }
    /* ggml has fewer than 64 type ids, so this array stays tiny; grow by one. */
    struct eco_gguf_type_sum *p = realloc(c->by_type, (c->n_by_type + 1) * sizeof *p);
    if (!p)
        return eco_err_set(err, 1, "out of memory");
    c->by_type = p;
    c->by_type[c->n_by_type++] = (struct eco_gguf_type_sum){t->type, 1, t->n_elements, t->n_bytes};
    return 0;
}

static int by_bytes_desc(const void *a, const void *b)
{
    const struct eco_gguf_type_sum *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    if (x->params != y->params)
        return x->params < y->params ? 1 : -1;
    return (x->type > y->type) - (x->type < y->type);
}

int eco_gguf_cost(const struct eco_gguf *g, uint64_t context, uint64_t prompt,
                  struct eco_gguf_cost *c, struct eco_err *err)
{
    memset(c, 0, sizeof *c);
    read_llm(g, &c->llm);
    if (g->n_tensors) {
        c->tensors = calloc((size_t)g->n_tensors, sizeof *c->tensors);
        if (!c->tensors)
            return eco_err_set(err, 1, "out of memory");
    }
    double expert_share = 1;
    if (c->llm.n_expert && c->llm.n_expert_used && c->llm.n_expert_used <= c->llm.n_expert)
        expert_share = (double)c->llm.n_expert_used / (double)c->llm.n_expert;
    int has_output = 0;
    uint64_t token_embd = 0;
    for (uint64_t i = 0; i < g->n_tensors; i++) {
        const struct eco_gguf_tensor *t = &g->tensors[i];
        struct eco_gguf_tensor_cost *tc = &c->tensors[i];
        c->params += t->n_elements;
        c->weight_bytes += t->n_bytes;
        if (!eco_ggml_type(t->type))
            c->unknown_type_tensors++;
        if (add_type(c, t, err)) {
            eco_gguf_cost_free(c);
            return -1;
        }
        if (name_is(&t->name, "output.weight"))
            has_output = 1;
        if (name_is(&t->name, "token_embd.weight"))
            token_embd = t->n_elements;
        tc->expert_share = name_has(&t->name, "_exps") ? expert_share : 1;
        if (is_embedding(&t->name)) {
            tc->is_embedding = 1;
            c->embedding_params += t->n_elements;
        } else {
            tc->macs_per_token = (double)t->n_elements * tc->expert_share;
            c->linear_macs_per_token += tc->macs_per_token;
        }
    }
    if (c->n_by_type > 1)
        qsort(c->by_type, c->n_by_type, sizeof *c->by_type, by_bytes_desc);
    if (!c->llm.n_vocab && token_embd && c->llm.n_embd)
        c->llm.n_vocab = token_embd / c->llm.n_embd;

    if (c->llm.missing[0])
        return 0; /* not a decoder we can describe: params and bytes only */
    /* Tied embeddings: the output head multiplies by token_embd's matrix. */
    if (!has_output && token_embd) {
        c->tied_output = 1;
        c->linear_macs_per_token += (double)token_embd;
    }
    c->decoder = 1;
    if (context) {
        c->context = context;
        c->context_source = "--context";
    } else if (c->llm.n_ctx_train) {
        c->context = c->llm.n_ctx_train;
        c->context_source = "context_length";
    } else {
        c->context_source = "unknown";
    }
    c->attn_macs_per_token = (double)c->context * c->llm.sum_d_attn;
    c->macs_per_token = c->linear_macs_per_token + c->attn_macs_per_token;
    c->flops_per_token = 2 * c->macs_per_token;
    if (prompt) {
        /* Causal prefill: token k (1-based) attends to k positions. */
        double n = (double)prompt;
        c->prompt_tokens = prompt;
        c->prompt_macs = n * c->linear_macs_per_token + c->llm.sum_d_attn * n * (n + 1) / 2;
        c->prompt_flops = 2 * c->prompt_macs;
    }
    return 0;
}

void eco_gguf_cost_free(struct eco_gguf_cost *c)
{
    free(c->by_type);
    free(c->tensors);
    c->by_type = NULL;
    c->tensors = NULL;
}
