#!/usr/bin/env python3
"""`ecometer flops` on one small GGUF per architecture layout llama.cpp writes
(tensor names and metadata keys from llama.cpp's gguf-py/gguf/constants.py and
convert_hf_to_gguf.py, attention defaults from src/llama-model.cpp), written
here with ggufwriter.py (tiny F32 tensors, zero data).

For each layout the test states the architecture's forward pass for one token
and counts it by hand from the hyper-parameters (not by summing the file's
tensors): parameters must be exact (the sum of the tensor element counts),
FLOPs per token = 2 x MACs with every weight a token multiplies through once
(experts for expert_used_count / expert_count; norm and bias vectors one
operation per element, as docs/METHODOLOGY.md says) plus attention counting
both the query-key scores and the attention-value products over the keys each
layer sees, and the KV cache per position. Where ecometer cannot cost a layout
(recurrent state updates, an encoder's missing per-token figure, the T5
encoder, tensors it does not recognise, architectures it has not checked),
every output (JSON, text, CSV) must say so instead of printing a confident
number. Takes a few seconds of CPU: about 250 runs of ecometer on small files."""
import csv
import io
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ggufwriter as gw  # noqa: E402

BIN = os.environ.get("ECOMETER_BIN", "build/ecometer")
TMP = os.environ.get("ECO_TEST_TMPDIR", "/tmp")
failures = []

D, H, HKV, FF, V = 64, 4, 2, 96, 100     # d_model, heads, KV heads, FFN width, vocabulary
HD = D // H                                # head dimension
KV = HKV * HD                              # K (and V) projection width


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def near(a, b, rel=1e-9):
    return a is not None and b is not None and abs(a - b) <= rel * max(abs(a), abs(b), 1)


def run(*args):
    p = subprocess.run([BIN, "flops", *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


class Model:
    """A GGUF under construction: metadata plus F32 tensors (dims in ggml order)."""

    def __init__(self, arch, n_layer, ctx=4096, vocab=True):
        self.arch, self.n_layer = arch, n_layer
        self.w = gw.Writer()
        self.tensors = []
        self.kv("general.architecture", gw.STR, arch)
        self.u32("block_count", n_layer)
        self.u32("embedding_length", D)
        self.u32("context_length", ctx)
        self.u32("feed_forward_length", FF)
        if vocab:
            self.w.kv("tokenizer.ggml.tokens", gw.ARR, (gw.STR, [f"t{i}" for i in range(V)]))

    def kv(self, key, vtype, value):
        self.w.kv(key, vtype, value)

    def u32(self, suffix, value):
        self.w.kv(f"{self.arch}.{suffix}", gw.U32, value)

    def t(self, name, *dims):
        self.tensors.append((name, list(dims)))
        self.w.tensor(name, list(dims), "F32")

    def params(self):
        total = 0
        for _, dims in self.tensors:
            n = 1
            for d in dims:
                n *= d
            total += n
        return total

    def write(self):
        path = os.path.join(TMP, f"sweep-{self.arch}-{len(self.tensors)}.gguf")
        self.w.write(path)
        return path


def heads(m, h=H, hkv=HKV):
    m.u32("attention.head_count", h)
    m.u32("attention.head_count_kv", hkv)


def llama_attn(m, l, bias=False):
    """q, k, v, o (+ biases): d.d + 2 d.kv + d.d MACs, + d + 2 kv bias adds."""
    m.t(f"blk.{l}.attn_norm.weight", D)
    m.t(f"blk.{l}.attn_q.weight", D, D)
    m.t(f"blk.{l}.attn_k.weight", D, KV)
    m.t(f"blk.{l}.attn_v.weight", D, KV)
    m.t(f"blk.{l}.attn_output.weight", D, D)
    if bias:
        m.t(f"blk.{l}.attn_q.bias", D)
        m.t(f"blk.{l}.attn_k.bias", KV)
        m.t(f"blk.{l}.attn_v.bias", KV)


ATTN = D + D * D + 2 * D * KV + D * D       # llama_attn without biases, per layer
ATTN_BIAS = D + 2 * KV


def swiglu(m, l, ff=FF):
    m.t(f"blk.{l}.ffn_norm.weight", D)
    m.t(f"blk.{l}.ffn_gate.weight", D, ff)
    m.t(f"blk.{l}.ffn_up.weight", D, ff)
    m.t(f"blk.{l}.ffn_down.weight", ff, D)


def swiglu_macs(ff=FF):
    return D + 3 * D * ff


def experts(m, l, n_exp, ff, per_expert=False):
    m.t(f"blk.{l}.ffn_norm.weight", D)
    m.t(f"blk.{l}.ffn_gate_inp.weight", D, n_exp)
    if per_expert:
        for e in range(n_exp):
            m.t(f"blk.{l}.ffn_gate.{e}.weight", D, ff)
            m.t(f"blk.{l}.ffn_up.{e}.weight", D, ff)
            m.t(f"blk.{l}.ffn_down.{e}.weight", ff, D)
    else:
        m.t(f"blk.{l}.ffn_gate_exps.weight", D, ff, n_exp)
        m.t(f"blk.{l}.ffn_up_exps.weight", D, ff, n_exp)
        m.t(f"blk.{l}.ffn_down_exps.weight", ff, D, n_exp)


def moe_macs(n_exp, used, ff):
    """Router (d x n_exp) and the used experts' SwiGLU: the token visits `used`."""
    return D + D * n_exp + used * 3 * D * ff


def head(m, tied=False):
    m.t("token_embd.weight", D, V)
    m.t("output_norm.weight", D)
    if not tied:
        m.t("output.weight", D, V)


HEAD = D + D * V  # output norm and the head (tied or not: the d x V product is done)


def attention(ctx_per_layer, h=H, dk=HD, dv=HD):
    """Scores (dk) and attention x values (dv) over the keys each layer sees."""
    return sum(c * h * (dk + dv) for c in ctx_per_layer)


# ---- the layouts --------------------------------------------------------

def llama_dense():
    m = Model("llama", 2)
    heads(m)
    head(m)
    for l in range(2):
        llama_attn(m, l)
        swiglu(m, l)
    ctx = 40
    e = dict(linear=2 * (ATTN + swiglu_macs()) + HEAD, attn=attention([ctx] * 2),
             kv_pos=2 * HKV * 2 * HD, ctx=ctx)
    return m, e


def llama_moe(per_expert):
    m = Model("llama", 2)
    heads(m)
    m.u32("expert_count", 4)
    m.u32("expert_used_count", 2)
    head(m)
    for l in range(2):
        llama_attn(m, l)
        experts(m, l, 4, FF, per_expert)
    e = dict(linear=2 * (ATTN + moe_macs(4, 2, FF)) + HEAD, attn=attention([40] * 2),
             kv_pos=2 * HKV * 2 * HD, ctx=40)
    return m, e


def qwen2():
    m = Model("qwen2", 2)
    heads(m)
    head(m, tied=True)  # small Qwen2 models tie the head to token_embd
    for l in range(2):
        llama_attn(m, l, bias=True)
        swiglu(m, l)
    e = dict(linear=2 * (ATTN + ATTN_BIAS + swiglu_macs()) + HEAD, attn=attention([40] * 2),
             kv_pos=2 * HKV * 2 * HD, ctx=40, tied=True)
    return m, e


def qwen2moe():
    """Routed experts (2 of 4, width 32) plus a shared expert (width 48) with its gate."""
    m = Model("qwen2moe", 2)
    heads(m)
    m.u32("expert_count", 4)
    m.u32("expert_used_count", 2)
    m.u32("expert_feed_forward_length", 32)
    m.u32("expert_shared_feed_forward_length", 48)
    head(m)
    for l in range(2):
        llama_attn(m, l, bias=True)
        experts(m, l, 4, 32)
        m.t(f"blk.{l}.ffn_gate_inp_shexp.weight", D)
        m.t(f"blk.{l}.ffn_gate_shexp.weight", D, 48)
        m.t(f"blk.{l}.ffn_up_shexp.weight", D, 48)
        m.t(f"blk.{l}.ffn_down_shexp.weight", 48, D)
    shared = D + 3 * D * 48
    e = dict(linear=2 * (ATTN + ATTN_BIAS + moe_macs(4, 2, 32) + shared) + HEAD, attn=attention([40] * 2),
             kv_pos=2 * HKV * 2 * HD, ctx=40)
    return m, e


def qwen3(moe):
    """Per-head RMS norms on q and k (attn_q_norm, attn_k_norm: head_dim each)."""
    m = Model("qwen3moe" if moe else "qwen3", 2)
    heads(m)
    m.u32("attention.key_length", 32)    # Qwen3 heads are wider than d_model / n_head
    m.u32("attention.value_length", 32)
    if moe:
        m.u32("expert_count", 8)
        m.u32("expert_used_count", 2)
        m.u32("expert_feed_forward_length", 24)
    head(m)
    q, kv = H * 32, HKV * 32
    for l in range(2):
        m.t(f"blk.{l}.attn_norm.weight", D)
        m.t(f"blk.{l}.attn_q.weight", D, q)
        m.t(f"blk.{l}.attn_k.weight", D, kv)
        m.t(f"blk.{l}.attn_v.weight", D, kv)
        m.t(f"blk.{l}.attn_output.weight", q, D)
        m.t(f"blk.{l}.attn_q_norm.weight", 32)
        m.t(f"blk.{l}.attn_k_norm.weight", 32)
        experts(m, l, 8, 24) if moe else swiglu(m, l)
    attn_w = D + D * q + 2 * D * kv + q * D + 64
    ffn = moe_macs(8, 2, 24) if moe else swiglu_macs()
    e = dict(linear=2 * (attn_w + ffn) + HEAD, attn=attention([40] * 2, dk=32, dv=32),
             kv_pos=2 * HKV * 64, ctx=40)
    return m, e


def gemma_layer(m, l):
    llama_attn(m, l)
    m.t(f"blk.{l}.post_attention_norm.weight", D)
    swiglu(m, l)
    m.t(f"blk.{l}.post_ffw_norm.weight", D)


def gemma2():
    """No sliding_window key: llama.cpp's default 4096 on layers 0, 2 (pattern 2)."""
    m = Model("gemma2", 4, ctx=8192)
    heads(m)
    head(m, tied=True)
    for l in range(4):
        gemma_layer(m, l)
    ctx = 5000
    e = dict(linear=4 * (ATTN + swiglu_macs() + 2 * D) + HEAD, attn=attention([4096, ctx, 4096, ctx]),
             kv_pos=4 * HKV * 2 * HD, ctx=ctx, tied=True, swa_layers=2, prompt=4500,
             prompt_attn=attention([causal(4500, 4096), causal(4500, 0)] * 2))
    return m, e


def gemma3():
    """Window 16 on 5 of every 6 layers (llama.cpp set_swa_pattern(6)); key_length 32."""
    m = Model("gemma3", 8)
    heads(m)
    m.u32("attention.key_length", HD)
    m.u32("attention.sliding_window", 16)
    head(m, tied=True)
    for l in range(8):
        gemma_layer(m, l)
        m.t(f"blk.{l}.attn_q_norm.weight", HD)
        m.t(f"blk.{l}.attn_k_norm.weight", HD)
    ctx = 40
    windows = [16 if l % 6 < 5 else 0 for l in range(8)]
    e = dict(linear=8 * (ATTN + swiglu_macs() + 2 * D + 2 * HD) + HEAD,
             attn=attention([min(ctx, w) if w else ctx for w in windows]),
             kv_pos=8 * HKV * 2 * HD, ctx=ctx, tied=True, swa_layers=7)
    return m, e


def phi3():
    """Fused qkv and gate+up; llama.cpp disables the sliding window Phi-3 files carry."""
    m = Model("phi3", 2)
    heads(m)
    m.u32("attention.sliding_window", 16)
    head(m)
    for l in range(2):
        m.t(f"blk.{l}.attn_norm.weight", D)
        m.t(f"blk.{l}.attn_qkv.weight", D, D + 2 * KV)
        m.t(f"blk.{l}.attn_output.weight", D, D)
        m.t(f"blk.{l}.ffn_norm.weight", D)
        m.t(f"blk.{l}.ffn_up.weight", D, 2 * FF)
        m.t(f"blk.{l}.ffn_down.weight", FF, D)
    e = dict(linear=2 * (ATTN + swiglu_macs()) + HEAD, attn=attention([40] * 2),
             kv_pos=2 * HKV * 2 * HD, ctx=40, swa_layers=0)
    return m, e


def command_r():
    """Parallel attention and FFN from one norm (with bias); tied head."""
    m = Model("command-r", 2)
    heads(m)
    head(m, tied=True)
    for l in range(2):
        llama_attn(m, l)
        m.t(f"blk.{l}.attn_norm.bias", D)
        m.t(f"blk.{l}.ffn_gate.weight", D, FF)
        m.t(f"blk.{l}.ffn_up.weight", D, FF)
        m.t(f"blk.{l}.ffn_down.weight", FF, D)
    e = dict(linear=2 * (ATTN + D + 3 * D * FF) + HEAD, attn=attention([40] * 2),
             kv_pos=2 * HKV * 2 * HD, ctx=40, tied=True)
    return m, e


QL, KVL, ROPE, NOPE, VH = 32, 24, 8, 16, 16  # MLA: q and kv LoRA ranks, rope/nope/value head dims


def deepseek2(nextn=0, arch="deepseek2"):
    """MLA as converted today (k_b and v_b split from kv_b: the absorbed form llama.cpp runs)
    with one leading dense layer, routed experts (2 of 4) and a shared expert.
    Per token and layer: q_a, q_b, kv_a_mqa, then q_nope x k_b into the latent
    (H x NOPE x KVL), scores over (KVL + ROPE) and values over KVL per cached
    position, v_b (H x KVL x VH) and the output (H x VH x d). The cache holds
    KVL + ROPE per position and layer (the compressed K; V is a view of it)."""
    n_layer = 3 + nextn
    m = Model(arch, n_layer)
    m.u32("attention.head_count", H)
    m.u32("attention.head_count_kv", 1)
    m.u32("attention.key_length", KVL + ROPE)
    m.u32("attention.value_length", KVL)
    m.u32("attention.key_length_mla", NOPE + ROPE)
    m.u32("attention.value_length_mla", VH)
    m.u32("attention.q_lora_rank", QL)
    m.u32("attention.kv_lora_rank", KVL)
    m.u32("rope.dimension_count", ROPE)
    m.u32("leading_dense_block_count", 1)
    m.u32("expert_count", 4)
    m.u32("expert_used_count", 2)
    m.u32("expert_shared_count", 1)
    m.u32("expert_feed_forward_length", 32)
    if nextn:
        m.u32("nextn_predict_layers", nextn)
    head(m)
    for l in range(n_layer):
        m.t(f"blk.{l}.attn_norm.weight", D)
        m.t(f"blk.{l}.attn_q_a.weight", D, QL)
        m.t(f"blk.{l}.attn_q_a_norm.weight", QL)
        m.t(f"blk.{l}.attn_q_b.weight", QL, H * (NOPE + ROPE))
        m.t(f"blk.{l}.attn_kv_a_mqa.weight", D, KVL + ROPE)
        m.t(f"blk.{l}.attn_kv_a_norm.weight", KVL)
        m.t(f"blk.{l}.attn_k_b.weight", NOPE, KVL, H)
        m.t(f"blk.{l}.attn_v_b.weight", KVL, VH, H)
        m.t(f"blk.{l}.attn_output.weight", H * VH, D)
        if l == 0:
            swiglu(m, l)
            continue
        experts(m, l, 4, 32)
        m.t(f"blk.{l}.exp_probs_b.bias", 4)
        m.t(f"blk.{l}.ffn_gate_shexp.weight", D, 32)
        m.t(f"blk.{l}.ffn_up_shexp.weight", D, 32)
        m.t(f"blk.{l}.ffn_down_shexp.weight", 32, D)
        if l >= 3:  # the multi-token-prediction layer's own tensors
            m.t(f"blk.{l}.nextn.eh_proj.weight", 2 * D, D)
            m.t(f"blk.{l}.nextn.enorm.weight", D)
            m.t(f"blk.{l}.nextn.hnorm.weight", D)
    attn_w = D + D * QL + QL + QL * H * (NOPE + ROPE) + D * (KVL + ROPE) + KVL + H * NOPE * KVL \
        + H * KVL * VH + H * VH * D
    moe = moe_macs(4, 2, 32) + 4 + 3 * D * 32
    e = dict(linear=3 * attn_w + swiglu_macs() + 2 * moe + HEAD,
             attn=attention([40] * 3, dk=KVL + ROPE, dv=KVL),
             kv_pos=3 * (KVL + ROPE), ctx=40)
    return m, e


def olmoe():
    """q and k RMS norms over the full projection width; 2 of 8 experts."""
    m = Model("olmoe", 2)
    heads(m, hkv=H)
    m.u32("expert_count", 8)
    m.u32("expert_used_count", 2)
    head(m)
    for l in range(2):
        m.t(f"blk.{l}.attn_norm.weight", D)
        m.t(f"blk.{l}.attn_q.weight", D, D)
        m.t(f"blk.{l}.attn_k.weight", D, D)
        m.t(f"blk.{l}.attn_v.weight", D, D)
        m.t(f"blk.{l}.attn_output.weight", D, D)
        m.t(f"blk.{l}.attn_q_norm.weight", D)
        m.t(f"blk.{l}.attn_k_norm.weight", D)
        experts(m, l, 8, 24)
    e = dict(linear=2 * (D + 4 * D * D + 2 * D + moe_macs(8, 2, 24)) + HEAD, attn=attention([40] * 2),
             kv_pos=2 * H * 2 * HD, ctx=40)
    return m, e


def granite(moe):
    m = Model("granitemoe" if moe else "granite", 2)
    heads(m)
    m.kv(f"{m.arch}.residual_scale", gw.F32, 0.22)
    m.kv(f"{m.arch}.embedding_scale", gw.F32, 12.0)
    m.kv(f"{m.arch}.attention.scale", gw.F32, 0.015625)
    m.kv(f"{m.arch}.logit_scale", gw.F32, 8.0)
    if moe:
        m.u32("expert_count", 4)
        m.u32("expert_used_count", 1)
    head(m, tied=True)
    for l in range(2):
        llama_attn(m, l)
        experts(m, l, 4, 32) if moe else swiglu(m, l)
    ffn = moe_macs(4, 1, 32) if moe else swiglu_macs()
    e = dict(linear=2 * (ATTN + ffn) + HEAD, attn=attention([40] * 2), kv_pos=2 * HKV * 2 * HD, ctx=40,
             tied=True)
    return m, e


def gelu_block(m, l, kv):
    """GPT-2 style: LayerNorms with bias, fused qkv with bias, a 4d GELU MLP with biases."""
    ff = 4 * D
    for name, dims in (("attn_norm.weight", [D]), ("attn_norm.bias", [D]), ("attn_qkv.weight", [D, D + 2 * kv]),
                       ("attn_qkv.bias", [D + 2 * kv]), ("attn_output.weight", [D, D]),
                       ("attn_output.bias", [D]), ("ffn_norm.weight", [D]), ("ffn_norm.bias", [D]),
                       ("ffn_up.weight", [D, ff]), ("ffn_up.bias", [ff]), ("ffn_down.weight", [ff, D]),
                       ("ffn_down.bias", [D])):
        m.t(f"blk.{l}.{name}", *dims)
    return 2 * D + D * (D + 2 * kv) + (D + 2 * kv) + D * D + D + 2 * D + 2 * D * ff + ff + D


def gpt2():
    """Learned position embeddings (a lookup), as many K/V heads as query heads, a tied head."""
    m = Model("gpt2", 2)
    heads(m, hkv=H)
    m.t("token_embd.weight", D, V)
    m.t("position_embd.weight", D, 1024)
    m.t("output_norm.weight", D)
    m.t("output_norm.bias", D)
    per_layer = [gelu_block(m, l, D) for l in range(2)]
    e = dict(linear=sum(per_layer) + 2 * D + D * V, attn=attention([40] * 2), kv_pos=2 * H * 2 * HD,
             ctx=40, tied=True)
    return m, e


def falcon():
    """Falcon-7B: multi-query (1 KV head), fused qkv, no biases, parallel attention and MLP."""
    m = Model("falcon", 2)
    heads(m, hkv=1)
    head(m)
    for l in range(2):
        m.t(f"blk.{l}.attn_norm.weight", D)
        m.t(f"blk.{l}.attn_norm.bias", D)
        m.t(f"blk.{l}.attn_qkv.weight", D, D + 2 * HD)
        m.t(f"blk.{l}.attn_output.weight", D, D)
        m.t(f"blk.{l}.ffn_up.weight", D, 4 * D)
        m.t(f"blk.{l}.ffn_down.weight", 4 * D, D)
    per_layer = 2 * D + D * (D + 2 * HD) + D * D + 8 * D * D
    e = dict(linear=2 * per_layer + HEAD, attn=attention([40] * 2), kv_pos=2 * 1 * 2 * HD, ctx=40)
    return m, e


def starcoder2():
    """LayerNorms with bias, q/k/v/o with biases, a GELU MLP with biases."""
    m = Model("starcoder2", 2)
    heads(m)
    head(m)
    m.t("output_norm.bias", D)
    for l in range(2):
        llama_attn(m, l, bias=True)
        for name, dims in (("attn_norm.bias", [D]), ("attn_output.bias", [D]), ("ffn_norm.weight", [D]),
                           ("ffn_norm.bias", [D]), ("ffn_up.weight", [D, FF]), ("ffn_up.bias", [FF]),
                           ("ffn_down.weight", [FF, D]), ("ffn_down.bias", [D])):
            m.t(f"blk.{l}.{name}", *dims)
    per_layer = ATTN + ATTN_BIAS + 2 * D + 2 * D + 2 * D * FF + FF + D
    e = dict(linear=2 * per_layer + HEAD + D, attn=attention([40] * 2), kv_pos=2 * HKV * 2 * HD, ctx=40)
    return m, e


def causal(n, w):
    """Keys seen by n causal queries within a window of w (0: no window)."""
    return sum(min(k, w) if w else k for k in range(1, n + 1))


def chunked(n, c):
    """Keys seen by n causal queries in chunks of c: query k sees (k - 1) mod c + 1."""
    return sum((k - 1) % c + 1 for k in range(1, n + 1))


def stablelm():
    """StableLM 2: LayerNorms with bias, q/k/v biases, SwiGLU; partial rotary changes no MAC."""
    m = Model("stablelm", 2)
    heads(m)
    m.u32("rope.dimension_count", 4)
    head(m)
    m.t("output_norm.bias", D)
    for l in range(2):
        llama_attn(m, l, bias=True)
        m.t(f"blk.{l}.attn_norm.bias", D)
        swiglu(m, l)
        m.t(f"blk.{l}.ffn_norm.bias", D)
    e = dict(linear=2 * (ATTN + ATTN_BIAS + D + swiglu_macs() + D) + HEAD + D, attn=attention([40] * 2),
             kv_pos=2 * HKV * 2 * HD, ctx=40)
    return m, e


def mistral3():
    m = Model("mistral3", 2)
    heads(m)
    head(m)
    for l in range(2):
        llama_attn(m, l)
        swiglu(m, l)
    e = dict(linear=2 * (ATTN + swiglu_macs()) + HEAD, attn=attention([40] * 2), kv_pos=2 * HKV * 2 * HD,
             ctx=40)
    return m, e


def llama4():
    """No sliding_window key: llama.cpp's chunked attention (chunks of 8192) on layers
    0, 1, 2 of every 4; MoE on every 2nd layer (interleave_moe_layer_step) with a
    shared expert, dense SwiGLU on the others."""
    m = Model("llama4", 4, ctx=1 << 20)
    heads(m)
    m.u32("expert_count", 4)
    m.u32("expert_used_count", 1)
    m.u32("expert_feed_forward_length", 32)
    m.u32("interleave_moe_layer_step", 2)
    head(m)
    ffn = 0
    for l in range(4):
        llama_attn(m, l)
        if (l + 1) % 2 == 0:
            experts(m, l, 4, 32)
            m.t(f"blk.{l}.ffn_gate_shexp.weight", D, 32)
            m.t(f"blk.{l}.ffn_up_shexp.weight", D, 32)
            m.t(f"blk.{l}.ffn_down_shexp.weight", 32, D)
            ffn += moe_macs(4, 1, 32) + 3 * D * 32
        else:
            swiglu(m, l)
            ffn += swiglu_macs()
    ctx, n = 10000, 9000
    keys = [(ctx - 1) % 8192 + 1] * 3 + [ctx]
    e = dict(linear=4 * ATTN + ffn + HEAD, attn=attention(keys), kv_pos=4 * HKV * 2 * HD, ctx=ctx,
             swa_layers=3, prompt=n, prompt_attn=attention([chunked(n, 8192)] * 3 + [causal(n, 0)]))
    return m, e


def gemma3n():
    """Per-layer token embeddings (a lookup of n_vocab rows, not a matrix a token
    multiplies through), AltUp and LAuReL projections (each matrix once per token),
    a window of 16 on 4 of every 5 layers, and KV caches only in the first 20
    layers (llama.cpp n_layer_kv_from_start = 20: the last layers reuse them)."""
    n_layer, P, A = 22, 8, 4  # layers, per-layer input width, AltUp streams
    m = Model("gemma3n", n_layer)
    heads(m)
    m.u32("attention.sliding_window", 16)
    m.u32("embedding_length_per_layer_input", P)
    m.u32("altup.num_inputs", A)
    head(m, tied=True)
    m.t("per_layer_token_embd.weight", n_layer * P, V)
    m.t("per_layer_model_proj.weight", D, n_layer * P)
    m.t("per_layer_proj_norm.weight", P)
    m.t("altup_proj.weight", D, D, A - 1)
    m.t("altup_unembd_proj.weight", D, D, A - 1)
    for l in range(n_layer):
        gemma_layer(m, l)
        m.t(f"blk.{l}.attn_q_norm.weight", HD)
        m.t(f"blk.{l}.attn_k_norm.weight", HD)
        for name, dims in (("inp_gate.weight", [D, P]), ("proj.weight", [P, D]), ("post_norm.weight", [D]),
                           ("altup_correct_coef.weight", [A, A]), ("altup_correct_scale.weight", [D]),
                           ("altup_predict_coef.weight", [A, A * A]), ("altup_router.weight", [D, A]),
                           ("altup_router_norm.weight", [D]), ("laurel_l.weight", [D, P]),
                           ("laurel_r.weight", [P, D]), ("laurel_post_norm.weight", [D])):
            m.t(f"blk.{l}.{name}", *dims)
    layer = ATTN + swiglu_macs() + 2 * D + 2 * HD + 2 * D * P + D + A * A + D + A ** 3 + D * A + D \
        + 2 * D * P + D
    top = D * n_layer * P + P + 2 * D * D * (A - 1)
    ctx = 40
    keys = [16 if l % 5 < 4 else ctx for l in range(n_layer)]
    e = dict(linear=n_layer * layer + top + HEAD, attn=attention(keys), kv_pos=20 * HKV * 2 * HD, ctx=ctx,
             tied=True, swa_layers=sum(1 for l in range(n_layer) if l % 5 < 4))
    return m, e


DI, DS, DCONV, DTR = 128, 16, 4, 4  # Mamba: inner width, state size, conv kernel, dt rank


def mamba_layer(m, l):
    for name, dims in (("attn_norm.weight", [D]), ("ssm_in.weight", [D, 2 * DI]),
                       ("ssm_conv1d.weight", [DCONV, DI]), ("ssm_conv1d.bias", [DI]),
                       ("ssm_x.weight", [DI, DTR + 2 * DS]), ("ssm_dt.weight", [DTR, DI]), ("ssm_dt.bias", [DI]),
                       ("ssm_a", [DS, DI]), ("ssm_d", [DI]), ("ssm_out.weight", [DI, D])):
        m.t(f"blk.{l}.{name}", *dims)
    return D + 2 * D * DI + DCONV * DI + DI + DI * (DTR + 2 * DS) + DTR * DI + DI + DS * DI + DI + DI * D


def mamba_meta(m):
    m.u32("ssm.conv_kernel", DCONV)
    m.u32("ssm.inner_size", DI)
    m.u32("ssm.state_size", DS)
    m.u32("ssm.time_step_rank", DTR)


LOWER = ["lower bound", "recurrent state"]


def mamba():
    """Weights once per token (in_proj, the depthwise conv kernel, x_proj, dt_proj,
    A and D as one operation per element, out_proj); the selective scan itself
    (h = exp(dt A) h + dt B x, y = C h: at least 3 x d_inner x d_state MACs per
    layer) is what ecometer leaves out and must say so."""
    m = Model("mamba", 2)
    mamba_meta(m)
    head(m)
    layer = sum(mamba_layer(m, l) for l in range(2))
    e = dict(linear=layer + HEAD, attn=0, kv_pos=0, ctx=40, complete=False, note=LOWER,
             true_macs=layer + HEAD + 2 * 3 * DI * DS)
    return m, e


def mamba2():
    G, NH = 1, 8
    m = Model("mamba2", 2)
    mamba_meta(m)
    m.u32("ssm.group_count", G)
    head(m)
    width = DI + 2 * G * DS
    for l in range(2):
        for name, dims in (("attn_norm.weight", [D]), ("ssm_in.weight", [D, 2 * DI + 2 * G * DS + NH]),
                           ("ssm_conv1d.weight", [DCONV, width]), ("ssm_conv1d.bias", [width]),
                           ("ssm_dt.bias", [NH]), ("ssm_a", [NH]), ("ssm_d", [NH]),
                           ("ssm_norm.weight", [DI // G, G]), ("ssm_out.weight", [DI, D])):
            m.t(f"blk.{l}.{name}", *dims)
    layer = D + D * (2 * DI + 2 * G * DS + NH) + DCONV * width + width + 3 * NH + DI + DI * D
    e = dict(linear=2 * layer + HEAD, attn=0, kv_pos=0, ctx=40, complete=False, note=LOWER,
             true_macs=2 * layer + HEAD + 2 * 3 * DI * DS)
    return m, e


def rwkv(version):
    """RWKV-6 / RWKV-7: time-mix (the WKV recurrence over a head_size x head_size
    state per head) and channel-mix; no attention.head_count. The WKV update
    (at least d x head_size MACs per layer) is what ecometer leaves out."""
    HS = 16
    m = Model(f"rwkv{version}", 2)
    m.u32("wkv.head_size", HS)
    m.t("token_embd.weight", D, V)
    m.t("token_embd_norm.weight", D)
    m.t("token_embd_norm.bias", D)
    m.t("output_norm.weight", D)
    m.t("output_norm.bias", D)
    m.t("output.weight", D, V)
    mix = [("time_mix_key", [D, D]), ("time_mix_value", [D, D]), ("time_mix_receptance", [D, D]),
           ("time_mix_output", [D, D]), ("time_mix_ln", [D]), ("time_mix_lerp_fused", [D, 1, 1, 5]),
           ("channel_mix_key", [D, FF]), ("channel_mix_value", [FF, D]), ("channel_mix_lerp_k", [D, 1, 1])]
    if version == 6:
        mix += [("time_mix_gate", [D, D]), ("time_mix_first", [HS, D // HS]), ("time_mix_decay", [D]),
                ("time_mix_decay_w1", [D, 8]), ("time_mix_decay_w2", [8, D]), ("time_mix_w1", [D, 40]),
                ("time_mix_w2", [8, D, 5]), ("time_mix_lerp_x", [D, 1, 1]),
                ("channel_mix_receptance", [D, D]), ("channel_mix_lerp_r", [D, 1, 1])]
    else:
        mix += [("time_mix_w0", [D]), ("time_mix_w1", [D, 8]), ("time_mix_w2", [8, D]),
                ("time_mix_a0", [D]), ("time_mix_a1", [D, 8]), ("time_mix_a2", [8, D]),
                ("time_mix_g1", [D, 8]), ("time_mix_g2", [8, D]), ("time_mix_k_k", [D]),
                ("time_mix_k_a", [D]), ("time_mix_r_k", [HS, D // HS])]
    layer = 4 * D
    for l in range(2):
        m.t(f"blk.{l}.attn_norm.weight", D)
        m.t(f"blk.{l}.attn_norm.bias", D)
        m.t(f"blk.{l}.attn_norm_2.weight", D)
        m.t(f"blk.{l}.attn_norm_2.bias", D)
        for name, dims in mix:
            m.t(f"blk.{l}.{name}.weight", *dims)
    for _, dims in mix:
        n = 1
        for d in dims:
            n *= d
        layer += n
    top = 2 * D + D  # token_embd_norm (weight, bias), output_norm.bias
    e = dict(linear=2 * layer + top + HEAD, attn=0, kv_pos=0, ctx=40, complete=False, note=LOWER,
             true_macs=2 * layer + top + HEAD + 2 * D * HS)
    return m, e


ENCODER = ["encoder", "--prompt"]


def bert(cls=False):
    """BERT: token, token-type and position embeddings (lookups), post-LayerNorms with
    bias, q/k/v/o and a GELU MLP with biases, no head over the vocabulary. An input of
    N tokens costs N x the weights plus bidirectional attention (N x N keys per layer);
    a classifier head (cls, cls.output) runs once per input."""
    m = Model("bert", 2, ctx=512)
    heads(m, hkv=H)
    m.kv("bert.attention.causal", gw.BOOL, False)
    for name, dims in (("token_embd.weight", [D, V]), ("token_types.weight", [D, 2]),
                       ("position_embd.weight", [D, 512]), ("token_embd_norm.weight", [D]),
                       ("token_embd_norm.bias", [D])):
        m.t(name, *dims)
    for l in range(2):
        for name, dims in (("attn_q.weight", [D, D]), ("attn_q.bias", [D]), ("attn_k.weight", [D, D]),
                           ("attn_k.bias", [D]), ("attn_v.weight", [D, D]), ("attn_v.bias", [D]),
                           ("attn_output.weight", [D, D]), ("attn_output.bias", [D]),
                           ("attn_output_norm.weight", [D]), ("attn_output_norm.bias", [D]),
                           ("ffn_up.weight", [D, FF]), ("ffn_up.bias", [FF]), ("ffn_down.weight", [FF, D]),
                           ("ffn_down.bias", [D]), ("layer_output_norm.weight", [D]),
                           ("layer_output_norm.bias", [D])):
            m.t(f"blk.{l}.{name}", *dims)
    layer = 4 * D * D + 4 * D + 2 * D + 2 * D * FF + FF + D + 2 * D
    once = 0
    if cls:
        m.t("cls.weight", D, D)
        m.t("cls.bias", D)
        m.t("cls.output.weight", D, 2)
        m.t("cls.output.bias", 2)
        once = D * D + D + 2 * D + 2
    n = 10
    e = dict(encoder=True, linear=2 * layer + 2 * D, prompt=n,
             prompt_macs=n * (2 * layer + 2 * D) + once + 2 * n * n * H * 2 * HD, note=ENCODER)
    return m, e


def nomic_bert():
    """Nomic BERT: fused qkv, SwiGLU, rotary positions (no position table)."""
    m = Model("nomic-bert", 2, ctx=2048)
    heads(m, hkv=H)
    for name, dims in (("token_embd.weight", [D, V]), ("token_types.weight", [D, 2]),
                       ("token_embd_norm.weight", [D]), ("token_embd_norm.bias", [D])):
        m.t(name, *dims)
    for l in range(2):
        for name, dims in (("attn_qkv.weight", [D, 3 * D]), ("attn_output.weight", [D, D]),
                           ("attn_output_norm.weight", [D]), ("attn_output_norm.bias", [D]),
                           ("ffn_gate.weight", [D, FF]), ("ffn_up.weight", [D, FF]),
                           ("ffn_down.weight", [FF, D]), ("layer_output_norm.weight", [D]),
                           ("layer_output_norm.bias", [D])):
            m.t(f"blk.{l}.{name}", *dims)
    layer = 4 * D * D + 2 * D + 3 * D * FF + 2 * D
    n = 7
    e = dict(encoder=True, linear=2 * layer + 2 * D, prompt=n,
             prompt_macs=n * (2 * layer + 2 * D) + 2 * n * n * H * 2 * HD, note=ENCODER)
    return m, e


def t5():
    """T5: per generated token the decoder runs (self-attention, cross-attention
    queries and output, FFN) and the head; the encoder (enc.*) runs once per input
    and the cross-attention K/V projections are applied to its output. ecometer
    gives the decoder part and must flag the rest. attn_rel_b are lookups."""
    m = Model("t5", 2, ctx=512)
    heads(m, hkv=H)
    m.u32("attention.key_length", HD)
    m.u32("attention.value_length", HD)
    m.u32("attention.relative_buckets_count", 32)
    m.t("token_embd.weight", D, V)
    m.t("output.weight", D, V)
    m.t("enc.output_norm.weight", D)
    m.t("dec.output_norm.weight", D)
    for l in range(2):
        for p in ("enc", "dec"):
            for name, dims in (("attn_norm.weight", [D]), ("attn_q.weight", [D, D]), ("attn_k.weight", [D, D]),
                               ("attn_v.weight", [D, D]), ("attn_o.weight", [D, D]), ("ffn_norm.weight", [D]),
                               ("ffn_up.weight", [D, FF]), ("ffn_down.weight", [FF, D])):
                m.t(f"{p}.blk.{l}.{name}", *dims)
            if l == 0:
                m.t(f"{p}.blk.{l}.attn_rel_b.weight", H, 32)
        for name, dims in (("cross_attn_norm.weight", [D]), ("cross_attn_q.weight", [D, D]),
                           ("cross_attn_k.weight", [D, D]), ("cross_attn_v.weight", [D, D]),
                           ("cross_attn_o.weight", [D, D])):
            m.t(f"dec.blk.{l}.{name}", *dims)
    dec_layer = D + 4 * D * D + D + 2 * D * FF + D + 2 * D * D
    e = dict(linear=2 * dec_layer + D + D * V, attn=attention([40] * 2), kv_pos=2 * H * 2 * HD, ctx=40,
             complete=False, note=["encoder", "enc.*", "cross-attention"])
    return m, e


def jamba():
    """Hybrid: Mamba layers (head_count_kv 0 in the per-layer array, as llama.cpp's
    recurrent_layer_arr) and one attention layer; MoE on odd layers."""
    m = Model("jamba", 4)
    mamba_meta(m)
    m.u32("attention.head_count", H)
    m.kv("jamba.attention.head_count_kv", gw.ARR, (gw.U32, [0, 0, HKV, 0]))
    m.u32("expert_count", 4)
    m.u32("expert_used_count", 2)
    head(m)
    linear = HEAD
    for l in range(4):
        if l == 2:
            llama_attn(m, l)
            linear += ATTN
        else:
            linear += mamba_layer(m, l)
            m.t(f"blk.{l}.ssm_dt_norm.weight", DTR)
            m.t(f"blk.{l}.ssm_b_norm.weight", DS)
            m.t(f"blk.{l}.ssm_c_norm.weight", DS)
            linear += DTR + 2 * DS
        if l % 2:
            experts(m, l, 4, 32)
            linear += moe_macs(4, 2, 32)
        else:
            swiglu(m, l)
            linear += swiglu_macs()
    e = dict(linear=linear, attn=attention([40]), kv_pos=HKV * 2 * HD, ctx=40, complete=False, note=LOWER,
             attn_layers=1, true_macs=linear + attention([40]) + 3 * 3 * DI * DS)
    return m, e


def unknown_arch():
    """An architecture ecometer has not checked: parameters exact, no per-token figure."""
    m = Model("newarch2027", 2)
    heads(m)
    head(m)
    for l in range(2):
        llama_attn(m, l)
        swiglu(m, l)
    return m, dict(refused=True, note=["newarch2027", "not one ecometer has checked"])


def unknown_tensor():
    """A checked architecture with a tensor of a kind ecometer does not know."""
    m, e = llama_dense()
    m.t("blk.0.mystery_proj.weight", D, 8)
    e["linear"] += D * 8  # counted once per token, and flagged as such
    e["complete"] = False
    e["note"] = ["blk.0.mystery_proj.weight", "does not recognise"]
    return m, e


def deepseek2_nextn():
    """DeepSeek-V3-style file with one multi-token-prediction layer at the end
    (nextn_predict_layers = 1): llama.cpp skips it when decoding."""
    m, e = deepseek2(nextn=1)
    e["note"] = ["nextn_predict_layers"]
    return m, e


def has_all(text, words):
    return all(w.lower() in (text or "").lower() for w in words)


def check_flags(label, path, e, argv):
    """Text and CSV must carry what JSON says: complete or not, and the note."""
    rc, out, err = run(path, *argv)
    check(rc == 0, f"{label}: text exit {rc}: {err}")
    complete = e.get("complete", True) and not e.get("refused")
    if e.get("refused") or e.get("encoder"):
        check("not estimated" in out, f"{label}: text must say the per-token figure is not estimated: {out}")
    if not complete and not e.get("refused"):
        check("INCOMPLETE" in out, f"{label}: text must flag the figures as incomplete: {out}")
    if complete:
        check("INCOMPLETE" not in out, f"{label}: text flags a complete figure: {out}")
    check(has_all(out, e.get("note", [])), f"{label}: text note lacks {e.get('note')}: {out}")
    rc, out, err = run(path, *argv, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out))) if rc == 0 else []
    total = [r for r in rows if r["kind"] == "total"]
    check(len(total) == 1, f"{label}: csv total row: exit {rc} {out} {err}")
    if total:
        t = total[0]
        check(t.get("complete") == ("true" if complete else "false"), f"{label}: csv complete {t.get('complete')}")
        check(has_all(t.get("note"), e.get("note", [])), f"{label}: csv note {t.get('note')!r}")
        if e.get("refused") or e.get("encoder"):
            check(t["flops_per_token"] == "", f"{label}: csv must not print a per-token figure: {t}")
        else:
            check(near(float(t["flops_per_token"]), 2 * (e["linear"] + e["attn"])), f"{label}: csv flops {t}")


def check_layout(label, build):
    m, e = build()
    path = m.write()
    argv = ["--context", str(e.get("ctx", 40))]
    if e.get("prompt"):
        argv += ["--prompt", str(e["prompt"])]
    rc, out, err = run(path, *argv, "--format", "json")
    check(rc == 0, f"{label}: exit {rc}: {err}")
    if rc != 0:
        return
    j = json.loads(out)
    tot, dec = j["totals"], j["decoder"]
    check(tot["params"] == m.params(), f"{label}: params {tot['params']} != {m.params()}")
    complete = e.get("complete", True) and not e.get("refused")
    if "family" in e:
        check(tot.get("family") == e["family"], f"{label}: family {tot.get('family')}")
    if "unrecognised" in e:
        check(tot.get("unrecognised_tensors") == e["unrecognised"], f"{label}: unrecognised {tot.get('note')}")
    check(tot.get("complete") is complete, f"{label}: complete {tot.get('complete')} (note {tot.get('note')})")
    check(has_all(tot.get("note"), e.get("note", [])), f"{label}: note {tot.get('note')!r} lacks {e.get('note')}")
    if e.get("refused"):
        check(tot["flops_per_token"] is None and tot["macs_per_token"] is None, f"{label}: a per-token figure")
    elif e.get("encoder"):
        check(tot["flops_per_token"] is None, f"{label}: an encoder has no per-token figure: {tot}")
        check(near(tot.get("prompt_macs"), e["prompt_macs"]), f"{label}: input MACs {tot.get('prompt_macs')} "
              f"!= {e['prompt_macs']}")
        check(near(tot.get("prompt_flops"), 2 * e["prompt_macs"]), f"{label}: input FLOPs")
        rc, _, err = run(path, "--device", "A100")
        check(rc == 2 and "encoder" in err, f"{label}: --device on an encoder: exit {rc} {err!r}")
    else:
        check(near(tot["linear_macs_per_token"], e["linear"]),
              f"{label}: linear MACs/token {tot['linear_macs_per_token']} != {e['linear']}")
        check(near(tot["attention_macs_per_token"], e["attn"]),
              f"{label}: attention MACs/token {tot['attention_macs_per_token']} != {e['attn']}")
        check(near(tot["flops_per_token"], 2 * (e["linear"] + e["attn"])), f"{label}: FLOPs/token")
        check(near(dec["kv_cache_elements_per_position"], e["kv_pos"]),
              f"{label}: KV elements/position {dec['kv_cache_elements_per_position']} != {e['kv_pos']}")
        check(tot["tied_output"] is e.get("tied", False), f"{label}: tied_output {tot['tied_output']}")
        if "swa_layers" in e:
            check(dec.get("sliding_window_layers") == e["swa_layers"], f"{label}: windowed layers {dec}")
        if "attn_layers" in e:
            check(dec.get("attention_layers") == e["attn_layers"], f"{label}: attention layers {dec}")
        if "true_macs" in e:  # a lower bound must lie below the full forward pass
            check(tot["macs_per_token"] < e["true_macs"], f"{label}: not a lower bound")
        if e.get("prompt"):
            want = e["prompt"] * e["linear"] + e["prompt_attn"]
            check(near(tot.get("prompt_macs"), want), f"{label}: prompt MACs {tot.get('prompt_macs')} != {want}")
    check_flags(label, path, e, argv)


def deepseek2_kv_b_kept():
    """An MLA file that also keeps attn_kv_b beside the k_b / v_b split from it:
    llama.cpp's MLA graph does not use kv_b, so the figures stay those of the split."""
    m, e = deepseek2()
    for l in range(3):
        m.t(f"blk.{l}.attn_kv_b.weight", KVL, H * (NOPE + VH))
    e["note"] = ["attn_kv_b", "unused"]
    return m, e


def deepseek2_no_mla():
    """DeepSeek-V2 as converted before MLA absorption: attn_kv_b decompresses the
    token's latent into H heads of K (NOPE) and V (VH); the cache holds full K
    (NOPE + ROPE) and V (VH) per head: head_count_kv = head_count."""
    m = Model("deepseek2", 2)
    heads(m, hkv=H)
    m.u32("attention.key_length", NOPE + ROPE)
    m.u32("attention.value_length", VH)
    m.u32("attention.kv_lora_rank", KVL)
    m.u32("rope.dimension_count", ROPE)
    head(m)
    for l in range(2):
        for name, dims in (("attn_norm.weight", [D]), ("attn_q.weight", [D, H * (NOPE + ROPE)]),
                           ("attn_kv_a_mqa.weight", [D, KVL + ROPE]), ("attn_kv_a_norm.weight", [KVL]),
                           ("attn_kv_b.weight", [KVL, H * (NOPE + VH)]), ("attn_output.weight", [H * VH, D])):
            m.t(f"blk.{l}.{name}", *dims)
        swiglu(m, l)
    attn_w = D + D * H * (NOPE + ROPE) + D * (KVL + ROPE) + KVL + KVL * H * (NOPE + VH) + H * VH * D
    e = dict(linear=2 * (attn_w + swiglu_macs()) + HEAD, attn=attention([40] * 2, dk=NOPE + ROPE, dv=VH),
             kv_pos=2 * H * (NOPE + ROPE + VH), ctx=40)
    return m, e


# The other architectures of the checked list, with the block tensors of their
# MODEL_TENSORS entry in constants.py (shapes generic: projections d x d, K/V d x kv,
# experts d x ff x 4 with 2 used, vectors d). The count is the convention itself:
# every non-lookup weight once per token (experts for 2 of 4) plus attention on
# every attention layer; what this part checks is that each name is known, the
# family is right and the flags follow.
GENERIC = {
    "gemma": ("decoder", "attn_norm attn_q attn_k attn_v attn_output ffn_gate ffn_down ffn_up ffn_norm"),
    "cohere2": ("decoder", "attn_norm attn_q attn_k attn_v attn_output ffn_gate ffn_down ffn_up"),
    "olmo": ("decoder", "attn_q attn_k attn_v attn_output ffn_gate ffn_down ffn_up"),
    "olmo2": ("decoder", "attn_q attn_k attn_v attn_output post_attention_norm attn_q_norm attn_k_norm "
              "post_ffw_norm ffn_gate ffn_down ffn_up"),
    "deepseek": ("decoder", "attn_norm attn_q attn_k attn_v attn_output ffn_gate_inp ffn_norm ffn_gate_exps "
                 "ffn_down_exps ffn_up_exps ffn_gate_shexp ffn_down_shexp ffn_up_shexp"),
    "dbrx": ("decoder", "attn_norm attn_qkv attn_output attn_output_norm ffn_gate_inp ffn_gate_exps "
             "ffn_down_exps ffn_up_exps"),
    "glm4moe": ("decoder", "attn_norm post_attention_norm attn_q attn_k attn_v attn_output attn_q_norm "
                "attn_k_norm ffn_gate_inp ffn_gate_exps ffn_down_exps ffn_up_exps ffn_gate_shexp "
                "ffn_down_shexp ffn_up_shexp exp_probs_b"),
    "internlm2": ("decoder", "attn_norm attn_q attn_k attn_v attn_output ffn_norm ffn_gate ffn_down ffn_up"),
    "baichuan": ("decoder", "attn_norm attn_q attn_k attn_v attn_output ffn_norm ffn_gate ffn_down ffn_up"),
    "bloom": ("decoder", "attn_norm attn_qkv attn_output ffn_norm ffn_down ffn_up"),
    "qwen": ("decoder", "attn_norm attn_qkv attn_output ffn_norm ffn_gate ffn_down ffn_up"),
    "gptj": ("decoder", "attn_norm attn_q attn_k attn_v attn_output ffn_down ffn_up"),
    "gptneox": ("decoder", "attn_norm attn_qkv attn_output ffn_norm ffn_down ffn_up"),
    "mpt": ("decoder", "attn_norm attn_qkv attn_output ffn_norm ffn_down ffn_up ffn.act attn_q_norm attn_k_norm"),
    "starcoder": ("decoder", "attn_norm attn_qkv attn_output ffn_norm ffn_down ffn_up"),
    "phi2": ("decoder", "attn_norm attn_qkv attn_output ffn_norm ffn_down ffn_up"),
    "qwen2vl": ("decoder", "attn_norm attn_q attn_k attn_v attn_output ffn_norm ffn_gate ffn_down ffn_up"),
    "qwen3vl": ("decoder", "attn_norm attn_q attn_q_norm attn_k attn_k_norm attn_v attn_output ffn_norm "
                "ffn_gate ffn_down ffn_up"),
    "qwen3vlmoe": ("decoder", "attn_norm attn_q attn_q_norm attn_k attn_k_norm attn_v attn_output ffn_norm "
                   "ffn_gate_inp ffn_gate_exps ffn_down_exps ffn_up_exps"),
    "exaone": ("decoder", "attn_norm attn_q attn_k attn_v attn_output attn_rot_embd ffn_norm ffn_gate ffn_down "
               "ffn_up"),
    "ernie4_5-moe": ("decoder", "attn_norm attn_q attn_k attn_v attn_output ffn_norm ffn_gate_inp ffn_gate_exps "
                     "ffn_down_exps ffn_up_exps ffn_gate_shexp ffn_down_shexp ffn_up_shexp exp_probs_b"),
    "minicpm": ("decoder", "attn_norm attn_q attn_k attn_v attn_output ffn_norm ffn_gate ffn_down ffn_up"),
    "bitnet": ("decoder", "attn_q attn_k attn_v attn_norm attn_output ffn_norm ffn_gate ffn_down ffn_up "
               "attn_sub_norm ffn_sub_norm"),
    "nomic-bert-moe": ("encoder", "attn_output_norm attn_qkv attn_output ffn_gate_inp ffn_down_exps ffn_up_exps "
                       "layer_output_norm"),
    "jina-bert-v2": ("encoder", "attn_norm_2 attn_output_norm attn_q attn_q_norm attn_k attn_k_norm attn_v "
                     "attn_output ffn_up ffn_gate ffn_down layer_output_norm"),
    "jina-bert-v3": ("encoder", "attn_output_norm attn_qkv attn_output ffn_down ffn_up layer_output_norm"),
    "t5encoder": ("encoder", "enc:attn_norm enc:attn_q enc:attn_k enc:attn_v enc:attn_o enc:ffn_norm "
                  "enc:ffn_gate enc:ffn_down enc:ffn_up"),
    "rwkv6qwen2": ("recurrent", "attn_norm time_mix_w1 time_mix_lerp_x time_mix_first time_mix_decay "
                   "time_mix_key time_mix_value time_mix_receptance time_mix_gate time_mix_ln "
                   "time_mix_output ffn_norm ffn_gate ffn_down ffn_up"),
    "arwkv7": ("recurrent", "attn_norm time_mix_lerp_fused time_mix_w0 time_mix_a0 time_mix_k_k time_mix_key "
               "time_mix_value time_mix_receptance time_mix_ln time_mix_output ffn_norm ffn_gate ffn_down ffn_up"),
    "granitehybrid": ("hybrid", "attn_norm ssm_in ssm_conv1d ssm_dt ssm_a ssm_d ssm_norm ssm_out | attn_norm "
                      "attn_q attn_k attn_v attn_output ffn_norm ffn_gate ffn_down ffn_up"),
    "nemotron_h": ("hybrid", "attn_norm ssm_in ssm_conv1d ssm_dt ssm_a ssm_d ssm_norm ssm_out | attn_norm "
                   "attn_q attn_k attn_v attn_output | attn_norm ffn_down ffn_up"),
    "falcon-h1": ("hybrid", "attn_norm attn_q attn_k attn_v attn_output ssm_in ssm_conv1d ssm_dt ssm_a ssm_d "
                  "ssm_norm ssm_out ffn_norm ffn_gate ffn_down ffn_up"),
    "plamo2": ("hybrid", "attn_norm ssm_in ssm_conv1d ssm_x ssm_dt ssm_a ssm_d ssm_out ssm_dt_norm ssm_b_norm "
               "ssm_c_norm ffn_norm ffn_gate ffn_down ffn_up | attn_norm attn_qkv attn_output attn_q_norm "
               "attn_k_norm ffn_norm ffn_gate ffn_down ffn_up"),
    "lfm2": ("hybrid", "attn_norm shortconv.conv shortconv.in_proj shortconv.out_proj ffn_norm ffn_gate ffn_down "
             "ffn_up | attn_norm attn_q attn_k attn_v attn_output attn_q_norm attn_k_norm ffn_norm ffn_gate "
             "ffn_down ffn_up"),
}


def generic_dims(kind):
    if kind.endswith("_exps"):
        return [D, FF, 4] if kind != "ffn_down_exps" else [FF, D, 4]
    if kind in ("attn_k", "attn_v"):
        return [D, KV]
    if kind == "attn_qkv":
        return [D, D + 2 * KV]
    if kind in ("ffn_gate_inp",):
        return [D, 4]
    if kind in ("exp_probs_b",):
        return [4]
    if "norm" in kind or kind in ("ffn.act", "time_mix_first", "time_mix_decay", "time_mix_lerp_x",
                                  "time_mix_lerp_fused", "time_mix_w0", "time_mix_a0", "time_mix_k_k",
                                  "ssm_a", "ssm_d", "time_mix_ln"):
        return [D]
    return [D, D]


def generic(arch):
    family, spec = GENERIC[arch]
    patterns = [p.split() for p in spec.split("|")]
    n_layer = 4
    m = Model(arch, n_layer)
    m.u32("attention.head_count", H)
    kv_layers = [HKV if any(k.startswith("attn_q") for k in patterns[l % len(patterns)]) else 0
                 for l in range(n_layer)]
    if family == "hybrid" and arch != "falcon-h1":
        m.kv(f"{arch}.attention.head_count_kv", gw.ARR, (gw.U32, kv_layers))
    else:
        m.u32("attention.head_count_kv", HKV)
        kv_layers = [HKV] * n_layer
    if family in ("recurrent", "hybrid"):
        mamba_meta(m)
    if "exps" in spec:
        m.u32("expert_count", 4)
        m.u32("expert_used_count", 2)
    if arch == "cohere2":
        m.u32("attention.sliding_window", 16)
    if arch == "glm4moe":
        m.u32("nextn_predict_layers", 1)
    m.t("token_embd.weight", D, V)
    if family != "encoder":
        m.t("output_norm.weight", D)
        m.t("output.weight", D, V)
    linear = 0 if family == "encoder" else D + D * V
    for l in range(n_layer):
        for kind in patterns[l % len(patterns)]:
            prefix = "blk."
            if kind.startswith("enc:"):
                prefix, kind = "enc.blk.", kind[4:]
            dims = generic_dims(kind)
            suffix = "scales" if kind == "ffn.act" else "weight"  # MPT's AWQ activation scales
            m.t(f"{prefix}{l}.{kind}.{suffix}", *dims)
            n = 1
            for d in dims:
                n *= d
            if not (arch == "glm4moe" and l == n_layer - 1):  # the MTP layer
                linear += n // 2 if kind.endswith("_exps") else n
    attn_layers = n_layer - (1 if arch == "glm4moe" else 0)
    ctx = 40
    keys = [ctx if kv_layers[l] else 0 for l in range(attn_layers)]
    if arch == "cohere2":  # llama.cpp set_swa_pattern(4): 3 windowed, 1 full
        keys = [16 if l % 4 < 3 else ctx for l in range(n_layer)]
    e = dict(linear=linear, attn=attention(keys), ctx=ctx,
             kv_pos=sum(1 for k in kv_layers[:attn_layers] if k) * HKV * 2 * HD, unrecognised=0)
    if family == "encoder":
        n = 6
        e = dict(encoder=True, linear=linear, prompt=n, note=ENCODER, unrecognised=0,
                 prompt_macs=n * linear + n_layer * n * n * H * 2 * HD)
    elif family in ("recurrent", "hybrid"):
        e.update(complete=False, note=LOWER)
        if family == "recurrent":
            e.update(attn=0, kv_pos=0)
    if arch == "glm4moe":
        e["note"] = ["nextn_predict_layers"]
    e["family"] = family
    return m, e


LAYOUTS = [
    ("llama dense", llama_dense), ("llama MoE merged", lambda: llama_moe(False)),
    ("llama MoE per expert", lambda: llama_moe(True)), ("qwen2", qwen2), ("qwen2moe", qwen2moe),
    ("qwen3", lambda: qwen3(False)), ("qwen3moe", lambda: qwen3(True)), ("gemma2", gemma2),
    ("gemma3", gemma3), ("gemma3n", gemma3n), ("phi3", phi3), ("command-r", command_r),
    ("deepseek2 MLA", deepseek2), ("deepseek2 + MTP layer", deepseek2_nextn), ("olmoe", olmoe),
    ("granite", lambda: granite(False)), ("granitemoe", lambda: granite(True)), ("falcon", falcon),
    ("gpt2", gpt2), ("starcoder2", starcoder2), ("stablelm", stablelm), ("mistral3", mistral3),
    ("llama4", llama4), ("deepseek2 MLA keeping attn_kv_b", deepseek2_kv_b_kept),
    ("deepseek2 before MLA", deepseek2_no_mla), ("mamba", mamba), ("mamba2", mamba2), ("rwkv6", lambda: rwkv(6)),
    ("rwkv7", lambda: rwkv(7)), ("bert", bert), ("bert + classifier", lambda: bert(cls=True)),
    ("nomic-bert", nomic_bert), ("t5", t5), ("jamba", jamba), ("unknown architecture", unknown_arch),
    ("unknown tensor", unknown_tensor),
] + [(arch, (lambda a: lambda: generic(a))(arch)) for arch in GENERIC]


def main():
    rc, out, err = run("--help")
    if rc != 0 and "no command 'flops'" in out + err:
        print("skip: this build has no `flops` command yet")
        return 77
    for label, build in LAYOUTS:
        before = len(failures)
        try:
            check_layout(label, build)
        except (KeyError, TypeError, ValueError) as ex:  # an output lacking a field
            check(False, f"{label}: {type(ex).__name__} {ex}")
        print(("ok   " if len(failures) == before else "FAIL ") + label)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print(f"all {len(LAYOUTS)} GGUF layouts checked")
    return 0


sys.exit(main())
