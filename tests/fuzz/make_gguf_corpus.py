#!/usr/bin/env python3
"""Writes the small committed seed corpus for tests/fuzz/fuzz_gguf.c into
tests/fuzz/corpus/gguf/ (run from the source root; regenerate when the
writer changes). Seeds stay under 4 KiB so libFuzzer can mutate them."""
import os
import struct
import sys

sys.path.insert(0, "tests/e2e")
import ggufwriter as gw  # noqa: E402

OUT = "tests/fuzz/corpus/gguf"
os.makedirs(OUT, exist_ok=True)


def llama(w, layers=1):
    w.kv("general.architecture", gw.STR, "llama")
    w.kv("llama.block_count", gw.U32, layers).kv("llama.embedding_length", gw.U32, 32)
    w.kv("llama.attention.head_count", gw.U32, 2).kv("llama.context_length", gw.U32, 64)
    w.kv("llama.expert_count", gw.U32, 4).kv("llama.expert_used_count", gw.U32, 2)
    return w


def save(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


w = llama(gw.Writer())
w.tensor("token_embd.weight", [32, 4], "Q8_0").tensor("blk.0.ffn_up_exps.weight", [32, 2, 4], "Q4_0")
w.tensor("output_norm.weight", [32], "F32")
save("llama-v3.gguf", w.to_bytes())

w = llama(gw.Writer(version=2))
w.tensor("token_embd.weight", [256, 1], "Q4_K").tensor("output.weight", [32, 2], "F16")
save("llama-v2.gguf", w.to_bytes())

w = llama(gw.Writer(big_endian=True))
w.kv("llama.attention.head_count", gw.ARR, (gw.U32, [2]))
w.tensor("blk.0.attn_q.weight", [32, 32], "BF16")
save("llama-be.gguf", w.to_bytes())

w = gw.Writer(alignment=64)
w.kv("general.alignment", gw.U32, 64)
for t, v in ((gw.U8, 1), (gw.I8, -1), (gw.U16, 2), (gw.I16, -2), (gw.U32, 3), (gw.I32, -3),
             (gw.F32, 0.5), (gw.BOOL, True), (gw.U64, 4), (gw.I64, -4), (gw.F64, 0.25)):
    w.kv(f"t.{t}", t, v)
w.kv("t.s", gw.STR, "text").kv("t.a", gw.ARR, (gw.ARR, [(gw.STR, ["a", "b"]), (gw.I16, [1, 2])]))
w.tensor("x", [64], "IQ4_NL").tensor("y", [256], "Q6_K")
save("all-types.gguf", w.to_bytes())

head = b"GGUF" + struct.pack("<IQQ", 3, 0, 1)
save("nested.gguf", head + struct.pack("<Q", 1) + b"k" + struct.pack("<I", gw.ARR)
     + struct.pack("<IQ", gw.ARR, 1) * 10 + struct.pack("<IQ", gw.U8, 1) + b"\1")
save("empty.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, 0))
save("truncated.gguf", w.to_bytes()[:150])
print("corpus written to", OUT)
