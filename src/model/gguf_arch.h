/* What ecometer knows about the model architectures llama.cpp writes into
 * GGUF files: which family an architecture belongs to (how a token flows
 * through it), the attention defaults llama.cpp applies when the metadata
 * is silent (llama-model.cpp, load_hparams), and the role of each tensor by
 * its name (gguf-py/gguf/constants.py, TENSOR_NAMES). gguf_cost.c uses this
 * to cost a token, or to say what it cannot cost. Sources and the list of
 * checked architectures: docs/METHODOLOGY.md, "GGUF models". */
#ifndef ECO_MODEL_GGUF_ARCH_H
#define ECO_MODEL_GGUF_ARCH_H

#include <stdint.h>

#include "model/gguf.h"

enum eco_gguf_family {
    ECO_GGUF_FAM_UNKNOWN = 0, /* not checked: per-token figures refused */
    ECO_GGUF_FAM_DECODER,     /* causal transformer: one token at a time */
    ECO_GGUF_FAM_ENCODER,     /* bidirectional: a whole input at once, no generated token */
    ECO_GGUF_FAM_ENC_DEC,     /* T5: encoder once per input, decoder per token */
    ECO_GGUF_FAM_RECURRENT,   /* Mamba, RWKV: a fixed-size state instead of attention */
    ECO_GGUF_FAM_HYBRID       /* attention layers and recurrent layers */
};

struct eco_gguf_arch {
    const char *name;
    enum eco_gguf_family family;
    uint64_t swa_period;   /* llama.cpp's set_swa_pattern(N) for this arch, 0 = none */
    uint64_t swa_window;   /* window when the metadata has none (0 = no window then) */
    int swa_chunked;       /* llama4: attention within fixed chunks, not a sliding window */
    int swa_ignored;       /* phi3: llama.cpp disables the window the metadata gives */
    uint64_t kv_layers;    /* gemma3n: only the first N layers own a KV cache, 0 = all */
};

/* NULL for an architecture ecometer has not checked. */
const struct eco_gguf_arch *eco_gguf_arch_find(const char *name);
const char *eco_gguf_family_name(enum eco_gguf_family f);

enum eco_gguf_role {
    ECO_GGUF_ROLE_WEIGHT = 0,  /* multiplied once per token (experts: by their share) */
    ECO_GGUF_ROLE_LOOKUP,      /* an embedding table or bias table: indexed, not multiplied */
    ECO_GGUF_ROLE_PER_INPUT,   /* a classifier head: once per input, not per token */
    ECO_GGUF_ROLE_ENCODER,     /* T5 encoder (enc.*): once per input */
    ECO_GGUF_ROLE_CROSS_KV,    /* T5 cross-attention K/V: applied to the encoder output */
    ECO_GGUF_ROLE_RECURRENT,   /* SSM / RWKV / short-conv tensors: weights counted once, the
                                  state update they drive is not */
    ECO_GGUF_ROLE_NEXTN,       /* multi-token-prediction layers: unused when decoding */
    ECO_GGUF_ROLE_UNKNOWN      /* a name ecometer does not recognise */
};

/* Role of a tensor by its name. *layer gets the block index (or -1). */
enum eco_gguf_role eco_gguf_tensor_role(const struct eco_gguf_str *name, int64_t *layer);

#endif
