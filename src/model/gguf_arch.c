/* Architecture families, llama.cpp's attention defaults and tensor roles:
 * see gguf_arch.h. Facts from llama.cpp: gguf-py/gguf/constants.py
 * (MODEL_ARCH_NAMES, TENSOR_NAMES, MODEL_TENSORS) and src/llama-model.cpp
 * (load_hparams: swa_type, n_swa, set_swa_pattern, n_layer_kv_from_start). */
#include "model/gguf_arch.h"

#include <string.h>

#define DEC ECO_GGUF_FAM_DECODER
#define ENC ECO_GGUF_FAM_ENCODER
#define REC ECO_GGUF_FAM_RECURRENT
#define HYB ECO_GGUF_FAM_HYBRID

/* The architectures ecometer has checked (tests/e2e/gguf_arch_sweep.py
 * writes each listed layout). Attention defaults as llama.cpp sets them:
 * gemma2 windows every other layer with 4096 unless the file says; gemma3
 * (6) and cohere2 (4) window only when the file gives a window; gemma3n
 * windows 4 of 5 layers and its last layers reuse the KV cache of the first
 * 20; llama4 attends within chunks of 8192 on 3 of 4 layers unless the file
 * sets sliding_window = 0; phi3's window is disabled by llama.cpp (PR 13676). */
static const struct eco_gguf_arch archs[] = {
    {"llama", DEC, 0, 0, 0, 0, 0},       {"llama4", DEC, 4, 8192, 1, 0, 0},
    {"mistral3", DEC, 0, 0, 0, 0, 0},    {"falcon", DEC, 0, 0, 0, 0, 0},
    {"gpt2", DEC, 0, 0, 0, 0, 0},        {"gptj", DEC, 0, 0, 0, 0, 0},
    {"gptneox", DEC, 0, 0, 0, 0, 0},     {"mpt", DEC, 0, 0, 0, 0, 0},
    {"starcoder", DEC, 0, 0, 0, 0, 0},   {"starcoder2", DEC, 0, 0, 0, 0, 0},
    {"stablelm", DEC, 0, 0, 0, 0, 0},    {"bloom", DEC, 0, 0, 0, 0, 0},
    {"qwen", DEC, 0, 0, 0, 0, 0},        {"qwen2", DEC, 0, 0, 0, 0, 0},
    {"qwen2moe", DEC, 0, 0, 0, 0, 0},    {"qwen3", DEC, 0, 0, 0, 0, 0},
    {"qwen3moe", DEC, 0, 0, 0, 0, 0},    {"phi2", DEC, 0, 0, 0, 0, 0},
    {"phi3", DEC, 0, 0, 0, 1, 0},        {"gemma", DEC, 0, 0, 0, 0, 0},
    {"gemma2", DEC, 2, 4096, 0, 0, 0},   {"gemma3", DEC, 6, 0, 0, 0, 0},
    {"gemma3n", DEC, 5, 0, 0, 0, 20},    {"command-r", DEC, 0, 0, 0, 0, 0},
    {"cohere2", DEC, 4, 0, 0, 0, 0},     {"deepseek", DEC, 0, 0, 0, 0, 0},
    {"deepseek2", DEC, 0, 0, 0, 0, 0},   {"olmo", DEC, 0, 0, 0, 0, 0},
    {"olmo2", DEC, 0, 0, 0, 0, 0},       {"olmoe", DEC, 0, 0, 0, 0, 0},
    {"granite", DEC, 0, 0, 0, 0, 0},     {"granitemoe", DEC, 0, 0, 0, 0, 0},
    {"internlm2", DEC, 0, 0, 0, 0, 0},   {"baichuan", DEC, 0, 0, 0, 0, 0},
    {"dbrx", DEC, 0, 0, 0, 0, 0},        {"glm4moe", DEC, 0, 0, 0, 0, 0},
    {"qwen2vl", DEC, 0, 0, 0, 0, 0},     {"qwen3vl", DEC, 0, 0, 0, 0, 0},
    {"qwen3vlmoe", DEC, 0, 0, 0, 0, 0},  {"exaone", DEC, 0, 0, 0, 0, 0},
    {"ernie4_5-moe", DEC, 0, 0, 0, 0, 0}, {"minicpm", DEC, 0, 0, 0, 0, 0},
    {"bitnet", DEC, 0, 0, 0, 0, 0},
    {"bert", ENC, 0, 0, 0, 0, 0},        {"nomic-bert", ENC, 0, 0, 0, 0, 0},
    {"nomic-bert-moe", ENC, 0, 0, 0, 0, 0}, {"jina-bert-v2", ENC, 0, 0, 0, 0, 0},
    {"jina-bert-v3", ENC, 0, 0, 0, 0, 0}, {"t5encoder", ENC, 0, 0, 0, 0, 0},
    {"t5", ECO_GGUF_FAM_ENC_DEC, 0, 0, 0, 0, 0},
    {"mamba", REC, 0, 0, 0, 0, 0},       {"mamba2", REC, 0, 0, 0, 0, 0},
    {"rwkv6", REC, 0, 0, 0, 0, 0},       {"rwkv6qwen2", REC, 0, 0, 0, 0, 0},
    {"rwkv7", REC, 0, 0, 0, 0, 0},       {"arwkv7", REC, 0, 0, 0, 0, 0},
    {"jamba", HYB, 0, 0, 0, 0, 0},       {"falcon-h1", HYB, 0, 0, 0, 0, 0},
    {"granitehybrid", HYB, 0, 0, 0, 0, 0}, {"nemotron_h", HYB, 0, 0, 0, 0, 0},
    {"plamo2", HYB, 0, 0, 0, 0, 0},      {"lfm2", HYB, 0, 0, 0, 0, 0},
};

const struct eco_gguf_arch *eco_gguf_arch_find(const char *name)
{
    for (size_t i = 0; i < sizeof archs / sizeof archs[0]; i++)
        if (strcmp(archs[i].name, name) == 0)
            return &archs[i];
    return NULL;
}

const char *eco_gguf_family_name(enum eco_gguf_family f)
{
    switch (f) {
    case ECO_GGUF_FAM_DECODER: return "decoder";
    case ECO_GGUF_FAM_ENCODER: return "encoder";
    case ECO_GGUF_FAM_ENC_DEC: return "encoder-decoder";
    case ECO_GGUF_FAM_RECURRENT: return "recurrent";
    case ECO_GGUF_FAM_HYBRID: return "hybrid";
    default: return "unknown";
    }
}

/* ---- tensor roles --------------------------------------------------------- */

/* Block tensors (blk.N.KIND.weight) a token multiplies through once. */
static const char *const weight_kinds[] = {
    "attn_norm", "attn_norm_2", "attn_qkv", "attn_q", "attn_k", "attn_v", "attn_output", "attn_o",
    "attn_rot_embd", "attn_sinks", "attn_gate", "attn_q_norm", "attn_k_norm", "attn_output_norm",
    "post_attention_norm", "ffn_gate_inp", "ffn_gate_inp_shexp", "ffn_norm", "post_ffw_norm",
    "ffn_gate", "ffn_down", "ffn_up", "ffn_gate_shexp", "ffn_down_shexp", "ffn_up_shexp", "ffn.act",
    "ffn_norm_exps", "ffn_gate_exps", "ffn_down_exps", "ffn_up_exps", "ffn_gate_up_exps",
    "exp_probs_b", "layer_output_norm", "layer_output_scale", "inp_gate", "proj", "post_norm",
    "altup_correct_coef", "altup_correct_scale", "altup_predict_coef", "altup_router",
    "altup_router_norm", "laurel_l", "laurel_r", "laurel_post_norm", "attn_q_a", "attn_q_b",
    "attn_kv_a_mqa", "attn_kv_b", "attn_k_b", "attn_v_b", "attn_q_a_norm", "attn_kv_a_norm",
    "attn_sub_norm", "ffn_sub_norm", "cross_attn_norm", "cross_attn_q", "cross_attn_o",
    "channel_mix_lerp_k", "channel_mix_lerp_r", "channel_mix_key", "channel_mix_receptance",
    "channel_mix_value", "attn_k_norm_2", "ffn_gate_chexps", "ffn_down_chexps", "ffn_up_chexps"};

/* Top-level tensors a token multiplies through once. */
static const char *const top_weights[] = {
    "output", "output_norm", "token_embd_norm", "rope_freqs", "rope_factors_long",
    "rope_factors_short", "per_layer_model_proj", "per_layer_proj_norm", "altup_proj",
    "altup_unembd_proj", "dense_2", "dense_3"};

static const char *const top_lookups[] = {"token_embd", "position_embd", "token_types",
                                          "per_layer_token_embd"};

static int in_list(const char *s, size_t n, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
            return 1;
    return 0;
}

static int has_prefix(const char *s, size_t n, const char *p)
{
    size_t pl = strlen(p);
    return n >= pl && memcmp(s, p, pl) == 0;
}

/* The name without its ".weight" / ".bias" / ".scales" (MPT's AWQ
 * ffn.act.scales) suffix and, in the per-expert layout (ffn_gate.E), without
 * the expert index. */
static size_t kind_len(const char *s, size_t n)
{
    static const char *const suffixes[] = {".weight", ".bias", ".scales"};
    for (size_t i = 0; i < 3; i++) {
        size_t sl = strlen(suffixes[i]);
        if (n > sl && memcmp(s + n - sl, suffixes[i], sl) == 0) {
            n -= sl;
            break;
        }
    }
    size_t j = n;
    while (j > 0 && s[j - 1] >= '0' && s[j - 1] <= '9')
        j--;
    if (j < n && j > 1 && s[j - 1] == '.')
        n = j - 1;
    return n;
}

static enum eco_gguf_role block_role(const char *k, size_t n)
{
    if (has_prefix(k, n, "nextn."))
        return ECO_GGUF_ROLE_NEXTN;
    if (in_list(k, n, (const char *const[]){"attn_rel_b", "cross_attn_rel_b"}, 2))
        return ECO_GGUF_ROLE_LOOKUP;
    if (in_list(k, n, (const char *const[]){"cross_attn_k", "cross_attn_v"}, 2))
        return ECO_GGUF_ROLE_CROSS_KV;
    if (has_prefix(k, n, "ssm_") || has_prefix(k, n, "time_mix_") || has_prefix(k, n, "shortconv."))
        return ECO_GGUF_ROLE_RECURRENT;
    if (in_list(k, n, weight_kinds, sizeof weight_kinds / sizeof weight_kinds[0]))
        return ECO_GGUF_ROLE_WEIGHT;
    return ECO_GGUF_ROLE_UNKNOWN;
}

enum eco_gguf_role eco_gguf_tensor_role(const struct eco_gguf_str *name, int64_t *layer)
{
    const char *s = name->ptr;
    size_t n = (size_t)name->len;
    *layer = -1;
    int enc = has_prefix(s, n, "enc.");
    if (enc || has_prefix(s, n, "dec.")) {
        s += 4;
        n -= 4;
    }
    if (has_prefix(s, n, "blk.")) {
        size_t i = 4;
        int64_t l = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && l < ((int64_t)1 << 40))
            l = l * 10 + (s[i++] - '0');
        if (i == 4 || i >= n || s[i] != '.')
            return ECO_GGUF_ROLE_UNKNOWN;
        *layer = l;
        enum eco_gguf_role r = block_role(s + i + 1, kind_len(s + i + 1, n - i - 1));
        return enc && r != ECO_GGUF_ROLE_UNKNOWN ? ECO_GGUF_ROLE_ENCODER : r;
    }
    if (enc)
        return has_prefix(s, n, "output_norm") ? ECO_GGUF_ROLE_ENCODER : ECO_GGUF_ROLE_UNKNOWN;
    size_t k = kind_len(s, n);
    if (in_list(s, k, top_lookups, sizeof top_lookups / sizeof top_lookups[0]))
        return ECO_GGUF_ROLE_LOOKUP;
    if (in_list(s, k, (const char *const[]){"cls", "cls.output", "cls.norm"}, 3))
        return ECO_GGUF_ROLE_PER_INPUT;
    if (in_list(s, k, top_weights, sizeof top_weights / sizeof top_weights[0]))
        return ECO_GGUF_ROLE_WEIGHT;
    return ECO_GGUF_ROLE_UNKNOWN;
}
