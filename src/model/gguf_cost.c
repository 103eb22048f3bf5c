/* GGUF costs: see gguf_cost.h and docs/METHODOLOGY.md ("GGUF models").
 * Per generated token, each weight a token multiplies through costs one
 * multiply-accumulate (the 2N of Kaplan et al. 2020, "Scaling Laws for
 * Neural Language Models", table 1); embedding tables are lookups, and a
 * mixture-of-experts layer uses only expert_used_count of its expert_count
 * experts, in the merged layout (ffn_gate_exps) and the older one with one
 * tensor per expert (ffn_gate.E). Attention counts both the query-key
 * scores and the attention-value product over the context (Kaplan's
 * 2 n_layer n_ctx d_attn counts one of them), within the sliding window on
 * the layers that have one. */
#include "model/gguf_cost.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More layers than any model has: the per-layer loops stay bounded on a
 * hostile block_count. */
#define MAX_LAYERS 65536

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

/* The older MoE layout: blk.N.ffn_{gate,up,down}.E.weight, E = expert index. */
static int is_per_expert(const struct eco_gguf_str *n)
{
    static const char *const kinds[] = {".ffn_gate.", ".ffn_up.", ".ffn_down."};
    if (n->len < 4 || memcmp(n->ptr, "blk.", 4) != 0 || n->len < 7 ||
        memcmp(n->ptr + n->len - 7, ".weight", 7) != 0)
        return 0;
    for (size_t k = 0; k < 3; k++) {
        size_t kl = strlen(kinds[k]);
        for (uint64_t i = 4; i + kl < n->len; i++) {
            if (memcmp(n->ptr + i, kinds[k], kl) != 0)
                continue;
            uint64_t j = i + kl, digits = 0;
            while (j < n->len && n->ptr[j] >= '0' && n->ptr[j] <= '9') {
                j++;
                digits++;
            }
            return digits > 0 && j == n->len - 7;
        }
    }
    return 0;
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

/* need_heads: the family has attention (all but the recurrent ones). */
static void read_llm(const struct eco_gguf *g, struct eco_gguf_llm *l, int need_heads)
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
    l->head_dim_v = arch_u64(g, a, "attention.value_length");
    if (!l->head_dim_v)
        l->head_dim_v = l->head_dim;
    l->sum_d_attn = heads * (double)l->head_dim;
    l->sum_d_attn_v = heads * (double)l->head_dim_v;
    l->mla = arch_u64(g, a, "attention.key_length_mla") != 0;
    l->n_nextn = arch_u64(g, a, "nextn_predict_layers");
    l->n_layer_attn = l->n_layer > l->n_nextn ? l->n_layer - l->n_nextn : l->n_layer;
    uint64_t dec_layers = arch_u64(g, a, "decoder_block_count"); /* T5 */
    if (dec_layers)
        l->n_layer_attn = dec_layers;
    if (!l->n_layer)
        snprintf(l->missing, sizeof l->missing, "%s.block_count", a);
    else if (l->n_layer > MAX_LAYERS || l->n_layer_attn > MAX_LAYERS)
        snprintf(l->missing, sizeof l->missing, "%s.block_count (%" PRIu64 " layers: more than %d)", a,
                 l->n_layer > l->n_layer_attn ? l->n_layer : l->n_layer_attn, MAX_LAYERS);
    else if (heads <= 0 && need_heads)
        snprintf(l->missing, sizeof l->missing, "%s.attention.head_count", a);
    else if (!l->head_dim && need_heads)
        snprintf(l->missing, sizeof l->missing, "%s.embedding_length", a);
}

/* ---- per-layer attention ------------------------------------------------ */

/* A non-negative integer or bool value; def otherwise. */
static uint64_t value_u64(const struct eco_gguf_value *v, uint64_t def)
{
    switch (v->type) {
    case ECO_GGUF_BOOL: return v->v.b != 0;
    case ECO_GGUF_UINT8: case ECO_GGUF_UINT16: case ECO_GGUF_UINT32: case ECO_GGUF_UINT64: return v->v.u64;
    case ECO_GGUF_INT8: case ECO_GGUF_INT16: case ECO_GGUF_INT32: case ECO_GGUF_INT64:
        return v->v.i64 >= 0 ? (uint64_t)v->v.i64 : def;
    default: return def;
    }
}

/* One layer's value of a key that is one integer or one per layer; def when
 * absent or unreadable. A per-layer array shorter than block_count repeats
 * (llama.cpp tiles a short sliding_window_pattern). */
static uint64_t layer_u64(const struct eco_gguf *g, const struct eco_gguf_kv *kv, uint64_t layer, uint64_t def)
{
    if (!kv)
        return def;
    if (kv->value.type != ECO_GGUF_ARRAY)
        return value_u64(&kv->value, def);
    struct eco_gguf_value e;
    if (!kv->value.v.array.count || eco_gguf_array_get(g, &kv->value, layer % kv->value.v.array.count, &e) != 0)
        return def;
    return value_u64(&e, def);
}

static const struct eco_gguf_kv *arch_kv(const struct eco_gguf *g, const char *arch, const char *suffix)
{
    char key[160];
    snprintf(key, sizeof key, "%s.%s", arch, suffix);
    return eco_gguf_find(g, key);
}

/* Which layers attend within a window, and how wide it is. llama.cpp's rule
 * (llama_hparams::set_swa_pattern(N)): layer il is windowed when
 * il % N < N - 1 (N = 0: every layer), N read from
 * <arch>.attention.sliding_window_pattern (or a per-layer bool array there),
 * else the architecture's own default (gguf_arch.c); an architecture with no
 * default period, given a window and no pattern, windows every layer (as
 * Mistral 7B). Some architectures have a window when the file gives none
 * (gemma2 4096, llama4's chunks of 8192) or ignore the one it gives (phi3). */
struct swa_rule {
    const struct eco_gguf_kv *pattern; /* per-layer flags or period, NULL */
    uint64_t period;                   /* used when pattern is NULL or a scalar */
};

static void swa_window(const struct eco_gguf *g, struct eco_gguf_llm *l, const struct eco_gguf_arch *a)
{
    const struct eco_gguf_kv *kv = arch_kv(g, l->arch, "attention.sliding_window");
    l->n_swa = kv ? value_u64(&kv->value, 0) : 0;
    l->swa_rule = "every layer (no sliding_window_pattern in the metadata)";
    if (!a)
        return;
    if (a->swa_ignored && l->n_swa) {
        l->n_swa = 0; /* llama.cpp: "Phi SWA is currently disabled" */
    } else if (a->swa_chunked) {
        /* llama4: sliding_window = 0 turns chunking off; any other value
         * (or none) gives llama.cpp's fixed chunk of 8192. */
        l->n_swa = kv && l->n_swa == 0 ? 0 : a->swa_window;
        l->swa_chunked = l->n_swa != 0;
    } else if (!kv && a->swa_window) {
        l->n_swa = a->swa_window;
    }
}

static void swa_rule_for(const struct eco_gguf *g, struct eco_gguf_llm *l, const struct eco_gguf_arch *a,
                         struct swa_rule *r)
{
    r->pattern = arch_kv(g, l->arch, "attention.sliding_window_pattern");
    r->period = 0;
    if (a && a->swa_period) {
        r->period = a->swa_period;
        l->swa_rule = a->swa_chunked ? "the architecture's pattern (as llama.cpp): chunked attention"
                                     : "the architecture's pattern (as llama.cpp)";
    }
    if (r->pattern && r->pattern->value.type != ECO_GGUF_ARRAY) {
        r->period = layer_u64(g, r->pattern, 0, r->period);
        r->pattern = NULL;
        l->swa_rule = "<arch>.attention.sliding_window_pattern (period)";
    } else if (r->pattern) {
        l->swa_rule = "<arch>.attention.sliding_window_pattern (per layer)";
    }
}

static int layer_is_swa(const struct eco_gguf *g, const struct swa_rule *r, uint64_t il)
{
    if (r->pattern)
        return layer_u64(g, r->pattern, il, 0) != 0;
    return r->period == 0 || il % r->period < r->period - 1;
}

/* Sum over k = 1..n of min(k, w): the keys each of n causal queries sees
 * within a window of w (w = 0: no window). */
static double causal_keys(double n, double w)
{
    if (w <= 0 || w >= n)
        return n * (n + 1) / 2;
    return w * (w + 1) / 2 + (n - w) * w;
}

/* Keys seen by n causal queries in chunks of c: query k (1-based) sees the
 * positions of its own chunk up to itself, (k - 1) mod c + 1. */
static double chunk_keys(double n, double c)
{
    double full = floor(n / c), rem = n - full * c;
    return full * c * (c + 1) / 2 + rem * (rem + 1) / 2;
}

/* One layer's attention shape; 0 when the layer has none (a recurrent layer
 * of a hybrid: head_count_kv 0 there, as llama.cpp's recurrent_layer_arr). */
struct layer_attn {
    double h, hkv, dk, dv, w;
    int swa;
};

struct attn_keys {
    const struct eco_gguf_kv *heads, *kv_heads, *dk_swa, *dv_swa;
    struct swa_rule rule;
};

static int layer_attn(const struct eco_gguf *g, const struct eco_gguf_llm *l, const struct attn_keys *k,
                      uint64_t il, struct layer_attn *la)
{
    la->h = (double)layer_u64(g, k->heads, il, 0);
    la->hkv = (double)layer_u64(g, k->kv_heads, il, (uint64_t)la->h);
    if (la->h <= 0 || la->hkv <= 0)
        return 0;
    la->swa = l->n_swa && layer_is_swa(g, &k->rule, il);
    la->w = la->swa ? (double)l->n_swa : 0;
    la->dk = (double)l->head_dim;
    la->dv = (double)l->head_dim_v;
    if (la->swa && k->dk_swa)
        la->dk = (double)layer_u64(g, k->dk_swa, il, l->head_dim);
    if (la->swa && k->dv_swa)
        la->dv = (double)layer_u64(g, k->dv_swa, il, l->head_dim_v);
    return 1;
}

/* Keys a layer's query sees: decoding at ctx, and summed over a prompt of n
 * (causal; an encoder's are bidirectional: n x n). */
static double decode_keys(const struct eco_gguf_llm *l, const struct layer_attn *la, double ctx)
{
    if (!la->swa)
        return ctx;
    if (l->swa_chunked)
        return ctx > 0 ? fmod(ctx - 1, la->w) + 1 : 0;
    return la->w < ctx ? la->w : ctx;
}

static double prompt_keys(const struct eco_gguf_cost *c, const struct layer_attn *la, double n)
{
    if (c->family == ECO_GGUF_FAM_ENCODER)
        return n * n;
    if (la->swa && c->llm.swa_chunked)
        return chunk_keys(n, la->w);
    return causal_keys(n, la->w);
}

/* Attention MACs and KV-cache bytes per token (decode at c->context) and for
 * the prompt, layer by layer. A layer's KV cache holds n_head_kv x (d_k +
 * d_v) elements per position; with MLA, llama.cpp caches the compressed K
 * only (d_k = kv_lora_rank + rope dims; V is a view of it); gemma3n's last
 * layers read the cache of earlier ones and write none. */
static void attention_terms(const struct eco_gguf *g, struct eco_gguf_cost *c, const struct eco_gguf_arch *a,
                            double *prompt_kv_bytes)
{
    struct eco_gguf_llm *l = &c->llm;
    struct attn_keys k = {arch_kv(g, l->arch, "attention.head_count"),
                          arch_kv(g, l->arch, "attention.head_count_kv"),
                          arch_kv(g, l->arch, "attention.key_length_swa"),
                          arch_kv(g, l->arch, "attention.value_length_swa"), {NULL, 0}};
    if (l->n_swa)
        swa_rule_for(g, l, a, &k.rule);
    double ctx = (double)c->context, n = (double)c->prompt_tokens;
    const double kv_elem_bytes = 2; /* llama.cpp's default KV cache type is F16 */
    double prompt_attn = 0, kv_read = 0, prompt_kv_read = 0, prompt_kv_write = 0;
    /* A recurrent model has no attention, whatever head counts it carries
     * (RWKV files may give attention.head_count for the WKV heads). */
    uint64_t n_attn = c->family == ECO_GGUF_FAM_RECURRENT ? 0 : l->n_layer_attn;
    for (uint64_t il = 0; il < n_attn; il++) {
        struct layer_attn la;
        if (!layer_attn(g, l, &k, il, &la))
            continue;
        l->attn_layers++;
        l->swa_layers += la.swa;
        double kv_pos = la.hkv * (la.dk + (l->mla ? 0 : la.dv));
        int owns_kv = il < l->kv_layers;
        double keys = decode_keys(l, &la, ctx);
        c->attn_macs_per_token += keys * la.h * (la.dk + la.dv);
        kv_read += keys * kv_pos;
        prompt_attn += prompt_keys(c, &la, n) * la.h * (la.dk + la.dv);
        prompt_kv_read += (la.swa && la.w < n ? la.w : n) * kv_pos;
        if (owns_kv) {
            l->kv_per_pos += kv_pos;
            prompt_kv_write += n * kv_pos;
        }
    }
    c->kv_bytes_per_token = (kv_read + l->kv_per_pos) * kv_elem_bytes;
    c->prompt_macs = n * c->linear_macs_per_token + c->per_input_macs + prompt_attn;
    *prompt_kv_bytes = (prompt_kv_read + prompt_kv_write) * kv_elem_bytes;
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

/* Appends ", name" (or "name") to a note buffer, stopping with "..." when
 * it is full: the note names what it can. */
static void note_name(char *buf, size_t len, const struct eco_gguf_str *name)
{
    size_t used = strlen(buf);
    char printable[96];
    if (used + 8 >= len)
        return;
    if (used + 100 >= len) {
        if (used < 3 || strcmp(buf + used - 3, "...") != 0)
            snprintf(buf + used, len - used, ", ...");
        return;
    }
    snprintf(buf + used, len - used, "%s%s", used ? ", " : "", eco_gguf_str_print(name, printable, sizeof printable));
}

/* The role a tensor plays per token, given the family and the MTP layers. */
static enum eco_gguf_role role_of(const struct eco_gguf_cost *c, const struct eco_gguf_tensor *t)
{
    int64_t layer;
    enum eco_gguf_role r = eco_gguf_tensor_role(&t->name, &layer);
    const struct eco_gguf_llm *l = &c->llm;
    if (layer >= 0 && l->n_nextn && l->n_nextn < l->n_layer && (uint64_t)layer >= l->n_layer - l->n_nextn &&
        (uint64_t)layer < l->n_layer && r != ECO_GGUF_ROLE_ENCODER)
        r = ECO_GGUF_ROLE_NEXTN;
    if (r == ECO_GGUF_ROLE_ENCODER && c->family == ECO_GGUF_FAM_ENCODER)
        r = ECO_GGUF_ROLE_WEIGHT; /* t5encoder: the encoder is the model */
    /* MLA files that keep attn_kv_b beside the attn_k_b / attn_v_b split from
     * it: llama.cpp's MLA graph multiplies by k_b and v_b, not kv_b. */
    if (l->mla && c->has_k_b && name_has(&t->name, ".attn_kv_b."))
        r = ECO_GGUF_ROLE_NEXTN;
    return r;
}

/* Parameters, bytes and MACs per token of every tensor; unknown names go to
 * `unknown` for the note. */
static int count_tensors(const struct eco_gguf *g, struct eco_gguf_cost *c, int *has_output,
                         uint64_t *token_embd, char *unknown, size_t unknown_len, struct eco_err *err)
{
    for (uint64_t i = 0; i < g->n_tensors; i++)
        if (name_has(&g->tensors[i].name, ".attn_k_b."))
            c->has_k_b = 1;
    double expert_share = 1;
    if (c->llm.n_expert && c->llm.n_expert_used && c->llm.n_expert_used <= c->llm.n_expert)
        expert_share = (double)c->llm.n_expert_used / (double)c->llm.n_expert;
    for (uint64_t i = 0; i < g->n_tensors; i++) {
        const struct eco_gguf_tensor *t = &g->tensors[i];
        struct eco_gguf_tensor_cost *tc = &c->tensors[i];
        c->params += t->n_elements;
        c->weight_bytes += t->n_bytes;
        if (!eco_ggml_type(t->type))
            c->unknown_type_tensors++;
        if (add_type(c, t, err))
            return -1;
        if (name_is(&t->name, "output.weight"))
            *has_output = 1;
        if (name_is(&t->name, "token_embd.weight"))
            *token_embd = t->n_elements;
        tc->role = (int)role_of(c, t);
        tc->per_expert = is_per_expert(&t->name);
        tc->expert_share = name_has(&t->name, "_exps") || tc->per_expert ? expert_share : 1;
        switch (tc->role) {
        case ECO_GGUF_ROLE_LOOKUP:
            tc->is_embedding = 1;
            c->embedding_params += t->n_elements;
            break;
        case ECO_GGUF_ROLE_PER_INPUT:
            c->per_input_macs += (double)t->n_elements;
            break;
        case ECO_GGUF_ROLE_ENCODER: case ECO_GGUF_ROLE_CROSS_KV: case ECO_GGUF_ROLE_NEXTN:
            c->excluded_params += t->n_elements;
            c->unused_kv_b += c->has_k_b && name_has(&t->name, ".attn_kv_b.");
            break;
        case ECO_GGUF_ROLE_UNKNOWN:
            c->unknown_tensors++;
            note_name(unknown, unknown_len, &t->name);
            /* counted once per token, and said so */
            tc->per_token = 1;
            tc->macs_per_token = (double)t->n_elements * tc->expert_share;
            c->linear_macs_per_token += tc->macs_per_token;
            break;
        default:
            tc->per_token = 1;
            tc->macs_per_token = (double)t->n_elements * tc->expert_share;
            c->linear_macs_per_token += tc->macs_per_token;
        }
    }
    return 0;
}
/* Weight and activation bytes a token (and the prompt) moves. An embedding
 * table gives one row per token; a weight matrix is read whole, times the
 * share of experts used (for a prompt of n tokens, the share of experts at
 * least one token uses: 1 - (1 - share)^n); its input and output vectors
 * are F32. */
static void traffic_terms(const struct eco_gguf *g, struct eco_gguf_cost *c, double *prompt_weights,
                          double *prompt_act)
{
    double n = (double)c->prompt_tokens;
    double rows = c->llm.n_vocab ? (double)c->llm.n_vocab : 1;
    *prompt_weights = *prompt_act = 0;
    for (uint64_t i = 0; i < g->n_tensors; i++) {
        const struct eco_gguf_tensor *t = &g->tensors[i];
        const struct eco_gguf_tensor_cost *tc = &c->tensors[i];
        double bytes = (double)t->n_bytes;
        if (!tc->per_token && !tc->is_embedding)
            continue; /* not read for a token (encoder, MTP layers, classifier) */
        if (tc->is_embedding) {
            double n_rows = t->n_dims >= 2 ? (double)t->dims[t->n_dims - 1] : rows;
            double row = n_rows > 0 ? bytes / n_rows : 0; /* a 0-row table holds nothing */
            c->weight_bytes_per_token += row;
            *prompt_weights += n * row;
            continue;
        }
        c->weight_bytes_per_token += bytes * tc->expert_share;
        *prompt_weights += bytes * (tc->expert_share < 1 ? 1 - pow(1 - tc->expert_share, n) : 1);
        if (t->n_dims >= 2) {
            double act = ((double)t->dims[0] + (double)t->dims[1]) * 4 * tc->expert_share;
            c->act_bytes_per_token += act;
            *prompt_act += n * act;
        }
    }
    if (c->tied_output) { /* the head reads token_embd whole */
        for (uint64_t i = 0; i < g->n_tensors; i++)
            if (name_is(&g->tensors[i].name, "token_embd.weight")) {
                c->weight_bytes_per_token += (double)g->tensors[i].n_bytes;
                *prompt_weights += (double)g->tensors[i].n_bytes;
            }
    }
}

/* Appends a sentence to c->note. */
static void note_add(struct eco_gguf_cost *c, const char *fmt, ...)
{
    size_t used = strlen(c->note);
    if (used + 2 >= sizeof c->note)
        return;
    if (used)
        c->note[used++] = ' ', c->note[used] = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->note + used, sizeof c->note - used, fmt, ap);
    va_end(ap);
}

/* What the figures leave out, by family and by tensor (sets complete). */
static void family_notes(struct eco_gguf_cost *c, const char *unknown)
{
    c->complete = 1;
    switch (c->family) {
    case ECO_GGUF_FAM_ENCODER:
        note_add(c, "An encoder (%s): it reads a whole input at once and generates no token, so there is "
                    "no per-token figure; --prompt N gives the cost of one input of N tokens "
                    "(bidirectional attention: every token sees all N).", c->llm.arch);
        break;
    case ECO_GGUF_FAM_ENC_DEC:
        c->complete = 0;
        note_add(c, "Lower bound: per token, the decoder only. Not counted: the encoder (enc.*, %" PRIu64
                    " parameters with cross_attn_k/v, run once per input) and the cross-attention over the "
                    "encoder output (its length is the input's); no prompt figure.", c->excluded_params);
        break;
    case ECO_GGUF_FAM_RECURRENT: case ECO_GGUF_FAM_HYBRID:
        c->complete = 0;
        note_add(c, "Lower bound: the recurrent state update (selective scan / WKV / short convolution, "
                    "per token and layer) is not counted, only the weights it uses once each (ssm_*, "
                    "time_mix_*, shortconv.*); the recurrent state is not in the bytes moved.");
        break;
    default:
        break;
    }
    if (c->llm.mla && c->has_k_b && c->unused_kv_b)
        note_add(c, "attn_kv_b (%" PRIu64 " tensors) is unused: with MLA llama.cpp multiplies by attn_k_b and "
                    "attn_v_b, which the file also holds; not in the per-token figures.", c->unused_kv_b);
    if (c->llm.n_nextn && c->excluded_params && c->family != ECO_GGUF_FAM_ENC_DEC)
        note_add(c, "The last %" PRIu64 " layer(s) predict further tokens (nextn_predict_layers, multi-token "
                    "prediction): unused when decoding, not in the per-token figures.", c->llm.n_nextn);
    if (c->unknown_tensors) {
        c->complete = 0;
        note_add(c, "%" PRIu64 " tensor(s) of a kind ecometer does not recognise, counted as one multiply "
                    "per weight per token, which may be wrong: %s.", c->unknown_tensors, unknown);
    }
}

static void pick_context(struct eco_gguf_cost *c, uint64_t context)
{
    if (context) {
        c->context = context;
        c->context_source = "--context";
    } else if (c->llm.n_ctx_train) {
        c->context = c->llm.n_ctx_train;
        c->context_source = "context_length";
    } else {
        c->context_source = "unknown";
    }
}

/* Which layers own a KV cache: gemma3n's last shared_kv_layers read
 * earlier layers' (llama.cpp: n_layer_kv_from_start, 20 by default). */
static void kv_layers(const struct eco_gguf *g, struct eco_gguf_llm *l, const struct eco_gguf_arch *a)
{
    uint64_t shared = arch_u64(g, l->arch, "attention.shared_kv_layers");
    l->kv_layers = l->n_layer_attn;
    if (shared && shared < l->n_layer_attn)
        l->kv_layers = l->n_layer_attn - shared;
    else if (a && a->kv_layers && a->kv_layers < l->n_layer_attn)
        l->kv_layers = a->kv_layers;
}

int eco_gguf_cost(const struct eco_gguf *g, uint64_t context, uint64_t prompt,
                  struct eco_gguf_cost *c, struct eco_err *err)
{
    memset(c, 0, sizeof *c);
    char arch_name[64] = "", unknown[400] = "";
    eco_gguf_get_str(g, "general.architecture", arch_name, sizeof arch_name);
    const struct eco_gguf_arch *a = eco_gguf_arch_find(arch_name);
    c->family = a ? a->family : ECO_GGUF_FAM_UNKNOWN;
    read_llm(g, &c->llm, c->family != ECO_GGUF_FAM_RECURRENT);
    if (g->n_tensors) {
        c->tensors = calloc((size_t)g->n_tensors, sizeof *c->tensors);
        if (!c->tensors)
            return eco_err_set(err, 1, "out of memory");
    }
    int has_output = 0;
    uint64_t token_embd = 0;
    if (count_tensors(g, c, &has_output, &token_embd, unknown, sizeof unknown, err) != 0) {
        eco_gguf_cost_free(c);
        return -1;
    }
    if (c->n_by_type > 1)
        qsort(c->by_type, c->n_by_type, sizeof *c->by_type, by_bytes_desc);
    if (!c->llm.n_vocab && token_embd && c->llm.n_embd)
        c->llm.n_vocab = token_embd / c->llm.n_embd;

    if (c->llm.missing[0]) {
        note_add(c, "No per-token estimate: metadata key %s is missing.", c->llm.missing);
        return 0; /* params and bytes only */
    }
    if (!a) {
        note_add(c, "No per-token estimate: architecture '%s' is not one ecometer has checked (which tensors "
                    "a token uses, and how its layers attend, are not known); parameters and bytes are exact.",
                 c->llm.arch);
        return 0;
    }
    /* Tied embeddings: the output head multiplies by token_embd's matrix
     * (an encoder has no head over the vocabulary). */
    if (!has_output && token_embd && c->family != ECO_GGUF_FAM_ENCODER) {
        c->tied_output = 1;
        c->linear_macs_per_token += (double)token_embd;
    }
    family_notes(c, unknown);
    pick_context(c, context);
    swa_window(g, &c->llm, a);
    kv_layers(g, &c->llm, a);
    c->prompt_tokens = c->family == ECO_GGUF_FAM_ENC_DEC ? 0 : prompt;
    c->input_only = c->family == ECO_GGUF_FAM_ENCODER;
    c->decoder = !c->input_only;
    double prompt_kv, prompt_weights, prompt_act;
    attention_terms(g, c, a, &prompt_kv);
    traffic_terms(g, c, &prompt_weights, &prompt_act);
    c->macs_per_token = c->linear_macs_per_token + c->attn_macs_per_token;
    c->flops_per_token = 2 * c->macs_per_token;
    c->bytes_per_token = c->weight_bytes_per_token + c->act_bytes_per_token + c->kv_bytes_per_token;
    if (c->prompt_tokens) {
        c->prompt_flops = 2 * c->prompt_macs;
        c->prompt_bytes = prompt_weights + prompt_act + prompt_kv;
    } else {
        c->prompt_macs = 0;
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
