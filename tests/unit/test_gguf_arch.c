/* Tensor roles by name and the architecture table (gguf_arch.c): the names
 * llama.cpp writes (gguf-py/gguf/constants.py, TENSOR_NAMES), and names a
 * hostile or unknown file may hold, which must come out UNKNOWN, never a
 * role that would hide them from the note. */
#include <string.h>

#include "model/gguf_arch.h"
#include "test.h"

static enum eco_gguf_role role(const char *name, int64_t *layer)
{
    struct eco_gguf_str s = {name, strlen(name)};
    return eco_gguf_tensor_role(&s, layer);
}

ECO_TEST(gguf_arch_tensor_roles)
{
    int64_t l;
    CHECK_INT(role("token_embd.weight", &l), ECO_GGUF_ROLE_LOOKUP);
    CHECK_INT(l, -1);
    CHECK_INT(role("per_layer_token_embd.weight", &l), ECO_GGUF_ROLE_LOOKUP);
    CHECK_INT(role("output.weight", &l), ECO_GGUF_ROLE_WEIGHT);
    CHECK_INT(role("blk.12.attn_q.weight", &l), ECO_GGUF_ROLE_WEIGHT);
    CHECK_INT(l, 12);
    CHECK_INT(role("blk.3.attn_q.bias", &l), ECO_GGUF_ROLE_WEIGHT);
    CHECK_INT(role("blk.0.ffn_gate.7.weight", &l), ECO_GGUF_ROLE_WEIGHT); /* one tensor per expert */
    CHECK_INT(role("blk.0.attn_norm_2.weight", &l), ECO_GGUF_ROLE_WEIGHT); /* not expert 2 of attn_norm */
    CHECK_INT(role("blk.1.ffn.act.scales", &l), ECO_GGUF_ROLE_WEIGHT);
    CHECK_INT(role("blk.1.ssm_a", &l), ECO_GGUF_ROLE_RECURRENT);
    CHECK_INT(role("blk.1.time_mix_first.weight", &l), ECO_GGUF_ROLE_RECURRENT);
    CHECK_INT(role("blk.1.shortconv.in_proj.weight", &l), ECO_GGUF_ROLE_RECURRENT);
    CHECK_INT(role("blk.61.nextn.eh_proj.weight", &l), ECO_GGUF_ROLE_NEXTN);
    CHECK_INT(role("enc.blk.0.attn_q.weight", &l), ECO_GGUF_ROLE_ENCODER);
    CHECK_INT(role("enc.output_norm.weight", &l), ECO_GGUF_ROLE_ENCODER);
    CHECK_INT(role("dec.blk.0.cross_attn_k.weight", &l), ECO_GGUF_ROLE_CROSS_KV);
    CHECK_INT(role("dec.blk.0.cross_attn_q.weight", &l), ECO_GGUF_ROLE_WEIGHT);
    CHECK_INT(role("dec.blk.0.attn_rel_b.weight", &l), ECO_GGUF_ROLE_LOOKUP);
    CHECK_INT(role("dec.output_norm.weight", &l), ECO_GGUF_ROLE_WEIGHT);
    CHECK_INT(role("cls.output.weight", &l), ECO_GGUF_ROLE_PER_INPUT);
}

ECO_TEST(gguf_arch_unknown_names_stay_unknown)
{
    int64_t l;
    static const char *const bad[] = {"",        "blk.",           "blk..attn_q.weight", "blk.1",
                                      "blk.1.",  "blk.x.attn_q",   "v.blk.0.attn_q.weight",
                                      "enc.",    "enc.mystery",    "blk.0.mystery.weight",
                                      "blk.99999999999999999999999.attn_q.weight", "attn_q.weight",
                                      "token_embd_extra.weight", "a.blk.0.ffn_up.weight"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (role(bad[i], &l) != ECO_GGUF_ROLE_UNKNOWN)
            eco_test_fail(__FILE__, __LINE__, "'%s' got role %d", bad[i], (int)role(bad[i], &l));
}

ECO_TEST(gguf_arch_table)
{
    const struct eco_gguf_arch *a = eco_gguf_arch_find("gemma2");
    CHECK(a && a->family == ECO_GGUF_FAM_DECODER && a->swa_period == 2 && a->swa_window == 4096);
    a = eco_gguf_arch_find("llama4");
    CHECK(a && a->swa_chunked && a->swa_period == 4 && a->swa_window == 8192);
    CHECK(eco_gguf_arch_find("phi3") && eco_gguf_arch_find("phi3")->swa_ignored);
    CHECK(eco_gguf_arch_find("gemma3n") && eco_gguf_arch_find("gemma3n")->kv_layers == 20);
    CHECK(eco_gguf_arch_find("bert") && eco_gguf_arch_find("bert")->family == ECO_GGUF_FAM_ENCODER);
    CHECK(eco_gguf_arch_find("mamba") && eco_gguf_arch_find("mamba")->family == ECO_GGUF_FAM_RECURRENT);
    CHECK(eco_gguf_arch_find("gpt-oss") == NULL);
    CHECK(eco_gguf_arch_find("") == NULL);
    CHECK_STR(eco_gguf_family_name(ECO_GGUF_FAM_ENC_DEC), "encoder-decoder");
}
