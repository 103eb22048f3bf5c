/* Costs of a GGUF model from its tensor infos and metadata: parameters and
 * bytes per tensor and per ggml type, and for a decoder LLM (llama-style
 * metadata) the FLOPs per generated token at a context length and for a
 * prompt of N tokens. Formulas and sources: docs/METHODOLOGY.md, "A priori",
 * "GGUF models". Implemented in src/model/gguf_cost.c. */
#ifndef ECO_MODEL_GGUF_COST_H
#define ECO_MODEL_GGUF_COST_H

#include <stdint.h>

#include "core/err.h"
#include "model/gguf.h"
#include "model/gguf_arch.h"

struct eco_gguf_type_sum {
    uint32_t type; /* ggml type id */
    uint64_t count, params, bytes;
};

/* Decoder hyper-parameters read from `<arch>.*` metadata (0 = absent). */
struct eco_gguf_llm {
    char arch[64];
    uint64_t n_layer;     /* <arch>.block_count */
    uint64_t n_embd;      /* <arch>.embedding_length */
    uint64_t n_head;      /* <arch>.attention.head_count (sum over layers / n_layer if per-layer) */
    uint64_t n_head_kv;   /* <arch>.attention.head_count_kv */
    uint64_t head_dim;    /* <arch>.attention.key_length, else n_embd / n_head */
    uint64_t n_ff;        /* <arch>.feed_forward_length */
    uint64_t n_ctx_train; /* <arch>.context_length */
    uint64_t n_vocab;     /* <arch>.vocab_size, tokenizer.ggml.tokens length, or token_embd rows */
    uint64_t n_expert, n_expert_used;
    uint64_t head_dim_v;  /* <arch>.attention.value_length, else head_dim */
    double sum_d_attn;    /* sum over layers of n_head x head_dim (query-key width) */
    double sum_d_attn_v;  /* sum over layers of n_head x head_dim_v (attention-value width) */
    uint64_t n_swa;       /* <arch>.attention.sliding_window, 0 when absent */
    uint64_t swa_layers;  /* layers that attend within the window */
    int swa_chunked;      /* llama4: within fixed chunks of n_swa, not a sliding window */
    int mla;              /* attention.key_length_mla set: llama.cpp caches K only (MLA) */
    uint64_t kv_layers;   /* layers that own a KV cache (gemma3n shares the rest) */
    uint64_t attn_layers; /* layers with attention (hybrids: head_count_kv > 0) */
    const char *swa_rule; /* how those layers were chosen (metadata pattern, arch default...) */
    double kv_per_pos;    /* KV-cache elements per position, summed over layers */
    uint64_t n_layer_attn;/* layers the token passes through (block_count less MTP layers;
                             T5: decoder_block_count) */
    uint64_t n_nextn;     /* <arch>.nextn_predict_layers: trailing layers unused when decoding */
    char missing[160];    /* first key missing for the per-token estimate, "" if none */
};

struct eco_gguf_tensor_cost {
    int role;              /* enum eco_gguf_role */
    int per_token;         /* read for every token (weights, experts by share) */
    int is_embedding;      /* a lookup table: no multiply per token */
    int per_expert;        /* one expert's tensor in the older layout (blk.N.ffn_gate.E.weight) */
    double expert_share;   /* fraction of this tensor one token uses (MoE experts), else 1 */
    double macs_per_token; /* params x expert_share for weights a token multiplies through */
};

struct eco_gguf_cost {
    uint64_t params, weight_bytes;
    uint64_t embedding_params;    /* token/position embedding lookups */
    uint64_t unknown_type_tensors;/* tensors whose ggml type ecometer does not know (bytes missing) */
    struct eco_gguf_type_sum *by_type; /* sorted by bytes, largest first */
    size_t n_by_type;
    struct eco_gguf_tensor_cost *tensors; /* parallel to g->tensors */
    struct eco_gguf_llm llm;
    int tied_output;              /* no output.weight: the head reuses token_embd */
    enum eco_gguf_family family;  /* from general.architecture (gguf_arch.c) */

    /* Honesty: complete is 0 when the per-token (or per-input) figures leave
     * work out; note says what, in words, naming the tensors. A figure that
     * cannot be given at all is absent (decoder 0) and note says why. */
    int complete;
    char note[768];
    uint64_t unknown_tensors;     /* names ecometer does not recognise (counted once per token) */
    uint64_t excluded_params;     /* parameters not in the per-token figure (encoder, MTP, classifier) */
    double per_input_macs;        /* work once per input (classifier heads), in prompt_macs */
    int input_only;               /* an encoder: prompt_* is the cost of one input, no per-token */
    int has_k_b;                  /* MLA split tensors (attn_k_b) present */
    uint64_t unused_kv_b;         /* attn_kv_b tensors left out because attn_k_b/v_b replace them */

    int decoder;                  /* 1 when the per-token figures below are set */
    double linear_macs_per_token; /* non-embedding params used per token (+ tied head) */
    uint64_t context;             /* tokens attended to by the token being generated */
    const char *context_source;   /* "--context", "<arch>.context_length" or "unknown" */
    double attn_macs_per_token;   /* sum over layers of n_ctx_l x n_head x (d_k + d_v): the
                                     query-key scores and the attention-value product; n_ctx_l
                                     is the window on sliding-window layers */
    double macs_per_token, flops_per_token;
    uint64_t prompt_tokens;       /* 0 when no prompt was asked for */
    double prompt_macs, prompt_flops;
    /* Bytes moved (device estimate): weights read once per token (once per
     * prompt), the embedding row looked up, F32 activations in and out of
     * each matrix product, the F16 KV cache read over the context and
     * written for each new position. */
    double weight_bytes_per_token, act_bytes_per_token, kv_bytes_per_token, bytes_per_token;
    double prompt_bytes;
};

/* context 0 = <arch>.context_length; prompt 0 = none. out is freed with
 * eco_gguf_cost_free. Fails (code 1) only when memory runs out. */
int eco_gguf_cost(const struct eco_gguf *g, uint64_t context, uint64_t prompt,
                  struct eco_gguf_cost *out, struct eco_err *err);
void eco_gguf_cost_free(struct eco_gguf_cost *c);

#endif
