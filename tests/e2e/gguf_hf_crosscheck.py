#!/usr/bin/env python3
"""GGUF checked against a reader and a writer nobody here wrote: huggingface.js's
@huggingface/gguf (pinned in mk/gguf.mk; `make npm-test-deps` installs it into build/npm;
skipped while absent).

1. Files written by tests/e2e/ggufwriter.py (v3, v2, big-endian; every metadata type,
   nested arrays, many quantisation types) are parsed by huggingface.js and by ecometer:
   tensor names, ggml types, dims, data offsets, the parameter count (huggingface.js's own
   computeParametersCount), the metadata count and the selected metadata values must agree.
   This catches a misreading of the format shared by our writer and our reader.
2. huggingface.js re-serialises a file's metadata with its own writer (buildGgufHeader),
   renaming the model and adding keys; ecometer must read the result and see the changes."""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ggufwriter as gw  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("ECOMETER_BIN", "build/ecometer")
BUILD = os.environ.get("ECOMETER_BUILD", "build")
TMP = os.environ.get("ECO_TEST_TMPDIR", "/tmp")
MODULES = os.path.join(os.path.abspath(BUILD), "npm", "node_modules")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


if not shutil.which("node"):
    print("skip: node is not installed (Debian package nodejs)")
    sys.exit(77)
if not os.path.isdir(os.path.join(MODULES, "@huggingface", "gguf")):
    print(f"skip: @huggingface/gguf is not in {MODULES}; run `make npm-test-deps` (needs the npm registry)")
    sys.exit(77)


def hf(*args):
    env = dict(os.environ, NODE_PATH=MODULES)
    p = subprocess.run(["node", os.path.join(HERE, "gguf_hf_read.cjs"), *args], capture_output=True,
                       text=True, timeout=60, env=env)
    if p.returncode != 0:
        raise RuntimeError(f"huggingface.js failed on {args}: {p.stderr.strip()}")
    return json.loads(p.stdout) if p.stdout.strip() else None


def eco(path):
    p = subprocess.run([BIN, "flops", path, "--format", "json"], capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, f"ecometer on {path}: exit {p.returncode} {p.stderr.strip()}")
    return json.loads(p.stdout) if p.returncode == 0 else None


def model(w, nested=True):
    w.kv("general.architecture", gw.STR, "llama").kv("general.name", gw.STR, "crosscheck")
    w.kv("llama.block_count", gw.U32, 2).kv("llama.embedding_length", gw.U64, 256)
    w.kv("llama.attention.head_count", gw.U16, 8).kv("llama.attention.head_count_kv", gw.U8, 2)
    w.kv("llama.context_length", gw.I32, 512).kv("llama.feed_forward_length", gw.I64, 512)
    w.kv("llama.rope.freq_base", gw.F32, 500000.0).kv("llama.attention.layer_norm_rms_epsilon", gw.F64, 1e-6)
    w.kv("llama.use_parallel_residual", gw.BOOL, False).kv("llama.test_i8", gw.I8, -7)
    w.kv("llama.test_i16", gw.I16, -1234).kv("llama.test_u64", gw.U64, 2**40 + 3)
    w.kv("tokenizer.ggml.tokens", gw.ARR, (gw.STR, [f"t{i}" for i in range(64)]))
    w.kv("tokenizer.ggml.scores", gw.ARR, (gw.F32, [i / 4 for i in range(64)]))
    if nested:
        w.kv("test.nested", gw.ARR, (gw.ARR, [(gw.I16, [1, -2]), (gw.STR, ["x"])]))
    types = ["Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K",
             "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "IQ1_M",
             "BF16", "F16", "F32", "F64", "I8", "I16", "I32", "I64", "TQ1_0", "TQ2_0"]
    w.tensor("token_embd.weight", [256, 64], "Q4_K")
    for i, t in enumerate(types):
        w.tensor(f"blk.{i % 2}.t{i}.weight", [256, 1 + i % 3], t)
    w.tensor("output_norm.weight", [256], "F32")
    return w


def compare(label, path):
    (h,) = hf(path)
    j = eco(path)
    if not j:
        return
    check(j["totals"]["params"] == h["parameterCount"],
          f"{label}: params ecometer {j['totals']['params']} vs huggingface.js {h['parameterCount']}")
    check(j.get("metadata_count") == h["metadata"]["kv_count"]["value"],
          f"{label}: metadata count {j.get('metadata_count')} vs {h['metadata']['kv_count']['value']}")
    check(len(j["tensors"]) == len(h["tensors"]), f"{label}: tensor count")
    for a, b in zip(j["tensors"], h["tensors"]):
        same = (a["name"] == b["name"] and a["type"] == b["type"] and a["dims"] == b["dims"]
                and a["offset"] == h["tensorDataOffset"] + b["offset"])
        check(same, f"{label}: tensor {a['name']} {a['type']} {a['dims']} @{a['offset']} vs huggingface.js {b}")
    for key, value in j["metadata"].items():
        ref = h["metadata"].get(key)
        check(ref is not None, f"{label}: huggingface.js has no key {key}")
        if ref is None:
            continue
        want = ref["value"]
        if isinstance(value, float) or isinstance(want, float):
            ok = abs(value - want) <= 1e-6 * max(abs(want), 1)
        else:
            ok = value == want
        check(ok, f"{label}: {key} = {value!r}, huggingface.js {want!r}")
    return j, h


def main():
    paths = []
    for label, kw in (("v3", {}), ("v2", {"version": 2}), ("v3 big-endian", {"big_endian": True}),
                      ("alignment 128", {"alignment": 128})):
        w = gw.Writer(**kw)
        model(w)
        if "alignment" in kw:
            w.kv("general.alignment", gw.U32, kw["alignment"])
        path = os.path.join(TMP, "hf-" + label.replace(" ", "-") + ".gguf")
        w.write(path)
        paths.append(path)
        compare(label, path)

    # huggingface.js's writer (it does not write nested arrays: a model without them).
    src = os.path.join(TMP, "hf-src.gguf")
    model(gw.Writer(), nested=False).write(src)
    dst = os.path.join(TMP, "hf-rewritten.gguf")
    hf("--rewrite", src, dst)
    r = compare("rewritten by huggingface.js", dst)
    if r:
        j, h = r
        check(j["metadata"].get("general.name") == "rewritten by huggingface.js", "rewritten: general.name")
        check(h["metadata"].get("hf.added_u32", {}).get("value") == 4242, "rewritten: hf.added_u32 written")
        s = eco(src)
        check(s and s["totals"] == j["totals"], "rewritten: same totals as the source file")

    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print(f"ecometer and huggingface.js agree on {len(paths) + 1} files")
    return 0


sys.exit(main())
