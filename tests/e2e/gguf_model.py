#!/usr/bin/env python3
"""`ecometer flops` on GGUF files this script writes itself (no download):
a tiny llama-like decoder with many quantised types and every metadata type,
in v2, v3 and big-endian v3; a tied-output variant; a mixture-of-experts
variant in both layouts (merged ffn_gate_exps, one tensor per expert); sliding
windows; a file without decoder metadata. Parameters, bytes (from the ggml
block layouts in ggufwriter.py) and FLOPs per token (2 x non-embedding params
as Kaplan et al. 2020, plus attention counting both the query-key and the
attention-value products: 2 x 2 x n_layer x n_ctx x d_attn, within the
window on sliding-window layers) and bytes moved per token are computed here
and compared with ecometer's JSON, text and CSV."""
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


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    p = subprocess.run([BIN, "flops", *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


# Skip only while the `flops` command itself is absent from the build (the
# ONNX side owns the command and hands GGUF files to this code).
rc, out, err = run("--help")
if rc != 0 and "no command 'flops'" in out + err:
    print("skip: this build has no `flops` command yet")
    sys.exit(77)

N_LAYER, N_EMBD, N_HEAD, N_HEAD_KV, N_FF, N_VOCAB, N_CTX = 2, 256, 4, 2, 512, 320, 2048
HEAD_DIM = N_EMBD // N_HEAD

LAYER_TYPES = [
    # q, k, v, o, gate, up, down
    ["Q4_0", "Q5_1", "Q8_0", "Q6_K", "Q2_K", "IQ4_XS", "Q3_K"],
    ["Q4_1", "Q5_0", "Q8_1", "Q5_K", "IQ2_XXS", "IQ3_S", "BF16"],
]


def metadata(w, arch="llama", decoder=True, experts=None):
    w.kv("general.architecture", gw.STR, arch)
    w.kv("general.name", gw.STR, "ecometer tiny test model")
    w.kv("general.quantization_version", gw.U32, 2)
    w.kv("general.file_type", gw.U32, 15)
    if decoder:
        w.kv(f"{arch}.block_count", gw.U32, N_LAYER)
        w.kv(f"{arch}.embedding_length", gw.U64, N_EMBD)
        w.kv(f"{arch}.attention.head_count", gw.U16, N_HEAD)
        w.kv(f"{arch}.attention.head_count_kv", gw.U8, N_HEAD_KV)
    w.kv(f"{arch}.context_length", gw.I32, N_CTX)
    w.kv(f"{arch}.feed_forward_length", gw.I64, N_FF)
    w.kv(f"{arch}.rope.freq_base", gw.F32, 10000.0)
    w.kv(f"{arch}.attention.layer_norm_rms_epsilon", gw.F64, 1e-5)
    w.kv(f"{arch}.use_parallel_residual", gw.BOOL, True)
    w.kv("test.int8", gw.I8, -5)
    w.kv("test.int16", gw.I16, -300)
    w.kv("test.uint8", gw.U8, 200)
    if experts:
        w.kv(f"{arch}.expert_count", gw.U32, experts[0])
        w.kv(f"{arch}.expert_used_count", gw.U32, experts[1])
    w.kv("tokenizer.ggml.model", gw.STR, "llama")
    w.kv("tokenizer.ggml.tokens", gw.ARR, (gw.STR, [f"tok{i}" for i in range(N_VOCAB)]))
    w.kv("tokenizer.ggml.scores", gw.ARR, (gw.F32, [float(i) for i in range(N_VOCAB)]))
    w.kv("tokenizer.ggml.token_type", gw.ARR, (gw.I32, [1] * N_VOCAB))
    w.kv("test.bools", gw.ARR, (gw.BOOL, [True, False, True]))
    w.kv("test.nested", gw.ARR, (gw.ARR, [(gw.U16, [1, 2, 3]), (gw.STR, ["a", "bc"]),
                                           (gw.ARR, [(gw.F64, [0.5])])]))
    w.kv("test.empty", gw.ARR, (gw.U64, []))
    w.kv("test.u64s", gw.ARR, (gw.U64, [2**40, 7]))
    w.kv("test.i64s", gw.ARR, (gw.I64, [-(2**40), 7]))
    w.kv("test.unicode", gw.STR, "d\u00e9j\u00e0 vu \u2713")


def llama_tensors(w, tied=False, experts=None, per_expert=False):
    """Adds the tensors; returns a list of (name, dims, type, is_embedding, share)."""
    t = []
    t.append(("token_embd.weight", [N_EMBD, N_VOCAB], "Q4_K", True, 1))
    kv_dim = HEAD_DIM * N_HEAD_KV
    for l in range(N_LAYER):
        q, k, v, o, gate, up, down = LAYER_TYPES[l]
        t.append((f"blk.{l}.attn_norm.weight", [N_EMBD], "F32", False, 1))
        t.append((f"blk.{l}.attn_q.weight", [N_EMBD, N_EMBD], q, False, 1))
        t.append((f"blk.{l}.attn_k.weight", [N_EMBD, kv_dim], k, False, 1))
        t.append((f"blk.{l}.attn_v.weight", [N_EMBD, kv_dim], v, False, 1))
        t.append((f"blk.{l}.attn_output.weight", [N_EMBD, N_EMBD], o, False, 1))
        t.append((f"blk.{l}.ffn_norm.weight", [N_EMBD], "F16", False, 1))
        if experts:
            n_exp, used = experts
            share = used / n_exp
            t.append((f"blk.{l}.ffn_gate_inp.weight", [N_EMBD, n_exp], "F32", False, 1))
            if per_expert:  # the older layout: blk.N.ffn_gate.E.weight
                for x in range(n_exp):
                    t.append((f"blk.{l}.ffn_gate.{x}.weight", [N_EMBD, N_FF], gate, False, share))
                    t.append((f"blk.{l}.ffn_down.{x}.weight", [N_FF, N_EMBD], down, False, share))
                    t.append((f"blk.{l}.ffn_up.{x}.weight", [N_EMBD, N_FF], up, False, share))
                continue
            t.append((f"blk.{l}.ffn_gate_exps.weight", [N_EMBD, N_FF, n_exp], gate, False, share))
            t.append((f"blk.{l}.ffn_up_exps.weight", [N_EMBD, N_FF, n_exp], up, False, share))
            t.append((f"blk.{l}.ffn_down_exps.weight", [N_FF, N_EMBD, n_exp], down, False, share))
        else:
            t.append((f"blk.{l}.ffn_gate.weight", [N_EMBD, N_FF], gate, False, 1))
            t.append((f"blk.{l}.ffn_up.weight", [N_EMBD, N_FF], up, False, 1))
            t.append((f"blk.{l}.ffn_down.weight", [N_FF, N_EMBD], down, False, 1))
    t.append(("output_norm.weight", [N_EMBD], "F32", False, 1))
    if not tied:
        t.append(("output.weight", [N_EMBD, N_VOCAB], "Q8_0", False, 1))
    # Odd types the loader must still size.
    t.append(("extra.i8", [32, 3], "I8", False, 1))
    t.append(("extra.f64", [5], "F64", False, 1))
    t.append(("extra.tq1", [256, 2], "TQ1_0", False, 1))
    t.append(("extra.mxfp4", [64], "MXFP4", False, 1))
    t.append(("extra.iq1m", [256], "IQ1_M", False, 1))
    t.append(("extra.q8k", [256], "Q8_K", False, 1))
    for name, dims, ty, _, _ in t:
        w.tensor(name, dims, ty)
    return t


def prod(dims):
    n = 1
    for d in dims:
        n *= d
    return n


def causal_keys(n, w):
    """Keys seen by n causal queries within a window of w (None: no window)."""
    return sum(min(k, w) if w else k for k in range(1, n + 1))


def expected(tensors, context, prompt=None, tied=False, windows=None):
    """windows: per layer, the sliding window or None (default: none)."""
    windows = windows or [None] * N_LAYER
    params = sum(prod(d) for _, d, _, _, _ in tensors)
    nbytes = sum(gw.tensor_bytes(ty, d) for _, d, ty, _, _ in tensors)
    linear = sum(prod(d) * share for _, d, _, emb, share in tensors if not emb)
    if tied:
        linear += N_EMBD * N_VOCAB  # the head reuses token_embd
    # Attention per layer: scores (d_k) and attention x values (d_v) over the
    # positions the layer sees; key_length = value_length = HEAD_DIM here.
    width = N_HEAD * 2 * HEAD_DIM
    ctx = [min(context, w) if w else context for w in windows]
    attn_macs = sum(c * width for c in ctx)
    # Bytes per token: weights a token reads (experts by share, one row of
    # token_embd, token_embd whole again for a tied head), F32 vectors in and
    # out of every matrix, the F16 KV cache read over the context and written
    # for the new position.
    embd = [gw.tensor_bytes(ty, d) for name, d, ty, emb, _ in tensors if name == "token_embd.weight"][0]
    weights = sum(gw.tensor_bytes(ty, d) * share for _, d, ty, emb, share in tensors if not emb)
    weights += embd / N_VOCAB + (embd if tied else 0)
    acts = sum((d[0] + d[1]) * 4 * share for _, d, _, emb, share in tensors if not emb and len(d) >= 2)
    kv_pos = N_HEAD_KV * 2 * HEAD_DIM
    kv = sum((c + 1) * kv_pos * 2 for c in ctx)
    e = {"params": params, "weight_bytes": nbytes,
         "embedding_params": N_EMBD * N_VOCAB,
         "linear_macs_per_token": linear,
         "attention_macs_per_token": attn_macs,
         "macs_per_token": linear + attn_macs,
         "flops_per_token": 2 * linear + 2 * attn_macs,
         "weight_bytes_per_token": weights,
         "activation_bytes_per_token": acts,
         "kv_cache_bytes_per_token": kv,
         "bytes_per_token": weights + acts + kv}
    if prompt:
        e["prompt_macs"] = prompt * linear + sum(causal_keys(prompt, w) * width for w in windows)
        e["prompt_flops"] = 2 * e["prompt_macs"]
    by_type = {}
    for _, d, ty, _, _ in tensors:
        c = by_type.setdefault(ty, [0, 0, 0])
        c[0] += 1
        c[1] += prod(d)
        c[2] += gw.tensor_bytes(ty, d)
    return e, by_type


def near(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1)


def check_json(label, path, tensors, context, prompt=None, tied=False, args=(), windows=None):
    argv = [path, "--format", "json"] + list(args)
    if prompt:
        argv += ["--prompt", str(prompt)]
    rc, out, err = run(*argv)
    check(rc == 0, f"{label}: exit {rc}: {err}")
    if rc != 0:
        return None
    j = json.loads(out)
    exp, by_type = expected(tensors, context, prompt, tied, windows)
    tot = j["totals"]
    for k, v in exp.items():
        check(k in tot and near(tot[k], v), f"{label}: totals.{k} = {tot.get(k)}, expected {v}")
    check(tot.get("context") == context, f"{label}: context {tot.get('context')} != {context}")
    check(len(j["tensors"]) == len(tensors), f"{label}: {len(j['tensors'])} tensors")
    for jt, (name, dims, ty, _, _) in zip(j["tensors"], tensors):
        ok = (jt["name"] == name and jt["type"] == ty and jt["dims"] == dims
              and jt["params"] == prod(dims) and jt["bytes"] == gw.tensor_bytes(ty, dims))
        check(ok, f"{label}: tensor {jt} vs {(name, dims, ty, gw.tensor_bytes(ty, dims))}")
    got = {b["type"]: [b["count"], b["params"], b["bytes"]] for b in j["by_type"]}
    check(got == by_type, f"{label}: by_type {got} != {by_type}")
    check(j["unsupported"] == [], f"{label}: unsupported {j['unsupported']}")
    return j


def main():
    # 1. v3 little-endian, all metadata types, many quantisation types.
    w = gw.Writer(version=3)
    metadata(w)
    tensors = llama_tensors(w)
    p3 = os.path.join(TMP, "tiny-v3.gguf")
    w.write(p3)
    j = check_json("v3", p3, tensors, 128, prompt=10, args=["--context", "128"])
    if j:
        md = j["metadata"]
        check(md.get("general.architecture") == "llama", f"metadata arch {md.get('general.architecture')}")
        check(md.get("llama.block_count") == N_LAYER, "metadata block_count")
        check(md.get("llama.attention.head_count_kv") == N_HEAD_KV, "metadata head_count_kv (uint8)")
        check(md.get("llama.feed_forward_length") == N_FF, "metadata feed_forward_length (int64)")
        check(near(md.get("llama.rope.freq_base", 0), 10000.0), "metadata float32")
        check(near(md.get("llama.attention.layer_norm_rms_epsilon", 0), 1e-5), "metadata float64")
        check(md.get("llama.use_parallel_residual") is True, "metadata bool")
        check(j["decoder"]["n_vocab"] == N_VOCAB, f"n_vocab {j['decoder']['n_vocab']}")
        check(j["decoder"]["head_dim"] == HEAD_DIM, "head_dim")
        check(j["totals"]["tied_output"] is False, "tied_output false")

    # 2. Default context comes from llama.context_length.
    check_json("v3 default context", p3, tensors, N_CTX)

    # 3. Same model as v2 and as big-endian v3: same figures.
    for label, kw in (("v2", {"version": 2}), ("v3 big-endian", {"version": 3, "big_endian": True})):
        w = gw.Writer(**kw)
        metadata(w)
        llama_tensors(w)
        p = os.path.join(TMP, label.replace(" ", "-") + ".gguf")
        w.write(p)
        check_json(label, p, tensors, 64, prompt=7, args=["--context", "64"])

    # 4. Non-default alignment (general.alignment = 64).
    w = gw.Writer(alignment=64)
    metadata(w)
    w.kv("general.alignment", gw.U32, 64)
    llama_tensors(w)
    p = os.path.join(TMP, "align64.gguf")
    w.write(p)
    j = check_json("alignment 64", p, tensors, 32, args=["--context", "32"])
    if j:
        check(all(t["offset"] % 64 == 0 for t in j["tensors"]), "alignment 64: offsets")

    # 5. Tied output head.
    w = gw.Writer()
    metadata(w)
    tt = llama_tensors(w, tied=True)
    p = os.path.join(TMP, "tied.gguf")
    w.write(p)
    j = check_json("tied", p, tt, 100, tied=True, args=["--context", "100"])
    if j:
        check(j["totals"]["tied_output"] is True, "tied_output true")

    # 6. Mixture of experts: 2 of 4 experts per token.
    w = gw.Writer()
    metadata(w, experts=(4, 2))
    te = llama_tensors(w, experts=(4, 2))
    p = os.path.join(TMP, "moe.gguf")
    w.write(p)
    check_json("moe", p, te, 50, args=["--context", "50"])

    # 6b. The older MoE layout, one tensor per expert: the same active share.
    w = gw.Writer()
    metadata(w, experts=(4, 2))
    tp = llama_tensors(w, experts=(4, 2), per_expert=True)
    p = os.path.join(TMP, "moe-per-expert.gguf")
    w.write(p)
    j = check_json("moe per expert", p, tp, 50, args=["--context", "50"])
    if j:
        exp_merged, _ = expected(te, 50)
        check(near(j["totals"]["macs_per_token"], exp_merged["macs_per_token"]),
              "moe per expert: MACs per token differ from the merged layout")

    # 6c. Sliding windows (attention.sliding_window = 16, context 128): gemma2's
    #     own pattern (llama.cpp set_swa_pattern(2): layer 0 windowed, layer 1
    #     full); a per-layer bool pattern; a window without a pattern (every layer).
    for label, arch, pattern, windows in (("swa gemma2", "gemma2", None, [16, None]),
                                           ("swa pattern", "llama", (gw.ARR, (gw.BOOL, [False, True])), [None, 16]),
                                           ("swa every layer", "llama", None, [16, 16]),
                                           ("swa period 2", "llama", (gw.U32, 2), [16, None]),
                                           ("swa period 1", "llama", (gw.U32, 1), [None, None])):
        w = gw.Writer()
        metadata(w, arch=arch)
        w.kv(f"{arch}.attention.sliding_window", gw.U32, 16)
        if pattern:
            w.kv(f"{arch}.attention.sliding_window_pattern", *pattern)
        ts = llama_tensors(w)
        p = os.path.join(TMP, label.replace(" ", "-") + ".gguf")
        w.write(p)
        j = check_json(label, p, ts, 128, prompt=40, args=["--context", "128"], windows=windows)
        if j:
            n_swa = sum(1 for x in windows if x)
            check(j["decoder"]["sliding_window"] == 16 and j["decoder"]["sliding_window_layers"] == n_swa,
                  f"{label}: decoder {j['decoder']}")

    # 7. No decoder metadata: params and bytes, no per-token figure.
    w = gw.Writer()
    metadata(w, arch="clip", decoder=False)
    tc = llama_tensors(w)
    p = os.path.join(TMP, "clip.gguf")
    w.write(p)
    rc, out, err = run(p, "--format", "json")
    check(rc == 0, f"clip: exit {rc} {err}")
    if rc == 0:
        j = json.loads(out)
        e, _ = expected(tc, 0)
        check(j["totals"]["params"] == e["params"], "clip params")
        check(j["totals"]["weight_bytes"] == e["weight_bytes"], "clip bytes")
        check(j["totals"]["flops_per_token"] is None, "clip: flops_per_token must be null")
        check("clip.block_count" in j["totals"].get("note", ""), f"clip note {j['totals'].get('note')}")

    # 8. Text and CSV agree with the JSON.
    e, by_type = expected(tensors, 128, 10)
    rc, out, err = run(p3, "--context", "128", "--prompt", "10", "--per-layer")
    check(rc == 0, f"text: exit {rc} {err}")
    check(str(e["params"]) in out, "text: parameter count printed")
    check(str(e["weight_bytes"]) in out, "text: weight bytes printed")
    check("blk.1.ffn_down.weight" in out and "IQ2_XXS" in out, "text: per-layer table")
    rc, out, err = run(p3, "--context", "128", "--format", "csv", "--per-layer")
    check(rc == 0, f"csv: exit {rc} {err}")
    rows = list(csv.DictReader(io.StringIO(out)))
    tensor_rows = [r for r in rows if r["kind"] == "tensor"]
    total = [r for r in rows if r["kind"] == "total"]
    check(len(tensor_rows) == len(tensors), f"csv: {len(tensor_rows)} tensor rows")
    check(len(total) == 1 and int(total[0]["params"]) == e["params"]
          and int(total[0]["bytes"]) == e["weight_bytes"]
          and near(float(total[0]["flops_per_token"]), e["flops_per_token"]), f"csv total {total}")
    rc, out, err = run(p3, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    got = {r["type"]: [int(r["tensors"]), int(r["params"]), int(r["bytes"])] for r in rows if r["kind"] == "type"}
    check(got == by_type, f"csv by type {got}")

    # 9. Device estimate with the built-in table: A100 SXM4 40GB datasheet, 312 TFLOPS
    #    dense FP16 tensor, 1555 GB/s, 400 W; France 56 g/kWh (Ember). A roofline:
    #    max(FLOPs / (peak x compute eff.), bytes / (bandwidth x memory eff.)) plus the
    #    per-graph overhead; power = TDP x the busy share of the bound resource.
    e, _ = expected(tensors, 128, 10)
    rc, out, err = run(p3, "--context", "128", "--prompt", "10", "--device", "A100", "--precision", "fp16",
                       "--region", "FR", "--format", "json")
    check(rc == 0, f"device: exit {rc} {err}")
    if rc == 0:
        d = json.loads(out)["device_estimate"]
        tok, pr = d["per_token"], d["prompt"]
        ce, me, ov = tok["compute_efficiency"], tok["memory_efficiency"], tok["overhead_s"]
        check(0 < ce <= 1 and 0 < me <= 1 and ov >= 0, f"device efficiencies {tok}")
        for label, flops, nbytes, n, row in (("per token", e["flops_per_token"], e["bytes_per_token"], 1, tok),
                                             ("prompt", e["prompt_flops"], None, 10, pr)):
            cs = flops / (312e12 * ce)
            ms = (nbytes if nbytes is not None else row["bytes_moved"]) / (1555e9 * me)
            sec = max(cs, ms) + ov
            load = max(ce * cs, me * ms) / sec
            check(tok["device"] == "NVIDIA A100 SXM4 40GB" and row["estimated"] is True, f"device row {row}")
            check(row["bound"] == ("compute" if cs >= ms else "memory"), f"device {label} bound {row}")
            check(near(row["seconds"], sec) and near(row["energy_j"], sec * 400 * load)
                  and near(row["co2e_g"], sec * 400 * load / 3.6e6 * 56)
                  and near(row["units_per_s"], n / sec) and row["unit"] == "token" and row["units"] == n
                  and near(row["energy_j_per_unit"], row["energy_j"] / n), f"device {label} {row}")
        check(near(tok["bytes_moved"], e["bytes_per_token"]), f"device bytes {tok}")
    rc, out, err = run(p3, "--device", "A100")
    check(rc == 0 and "estimate on NVIDIA A100 SXM4 40GB" in out and "world" in err.lower()
          and "tokens/s" in out and "-bound" in out and "memory efficiency" in out,
          f"device text: exit {rc}, {out[-300:]!r} {err!r}")
    rc, out, err = run(p3, "--context", "128", "--prompt", "10", "--device", "A100", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out))) if rc == 0 else []
    dev = [r for r in rows if r.get("device")]
    check(rc == 0 and [r["kind"] for r in dev] == ["total", "prompt"]
          and all(r["estimated"] == "true" and r["bound"] in ("memory", "compute") and r["unit"] == "token"
                  and float(r["units_per_s"]) > 0 and float(r["energy_j_per_unit"]) > 0 for r in dev)
          and all(len(r) == len(rows[0]) for r in rows), f"device csv: exit {rc} {dev}")
    rc, out, err = run(p3, "--device", "cpu:EPYC 7763", "--format", "json")
    check(rc == 0 and json.loads(out)["device_estimate"]["per_token"]["table"] == "cpu",
          f"device on a CPU row: exit {rc} {err!r}")
    rc, out, err = run(p3, "--device", "no such gpu 9000")
    check(rc == 2 and err.startswith("ecometer: "), f"unknown device: exit {rc} {err!r}")

    # 10. Usage errors.
    for args, code in (((p3, "--context", "0"), 2), ((p3, "--context", "x"), 2),
                       ((p3, "--prompt", "-3"), 2), ((p3, "--format", "xml"), 2),
                       ((p3, "--utilization", "0.5"), 2), ((p3, "--bogus"), 2),
                       ((os.path.join(TMP, "missing.gguf"),), None)):
        rc, out, err = run(*args)
        # a missing file: 1 or 2 (cmd_flops.c, which dispatches, reports it as bad input)
        ok = rc in (1, 2) if code is None else rc == code
        check(ok and err.startswith("ecometer: "), f"{args}: exit {rc} (want {code}), stderr {err!r}")

    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all GGUF model checks passed")
    return 0


sys.exit(main())
