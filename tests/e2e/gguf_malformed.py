#!/usr/bin/env python3
"""Malformed GGUF files: `ecometer flops` must exit 2 with an "ecometer: "
message naming the byte offset, never crash, hang or print figures.
Truncations at every offset of a small file, then one file per trap: wrong
magic, versions, huge counts, lengths past the end, absurd key lengths,
nesting bombs, dims overflow, bad alignment, data past the end."""
import os
import struct
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


def run_bytes(data, name="bad.gguf", *args):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data)
    p = subprocess.run([BIN, "flops", path, "--format", "json", *args], capture_output=True,
                       text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def expect_bad(label, data, needle="byte offset"):
    rc, out, err = run_bytes(data)
    ok = rc == 2 and err.startswith("ecometer: ") and needle in err and out == ""
    check(ok, f"{label}: exit {rc}, stderr {err.strip()!r}, stdout {out[:80]!r} (want 2 and {needle!r})")


rc0 = subprocess.run([BIN, "flops", "--help"], capture_output=True, text=True)
if rc0.returncode != 0 and "no command 'flops'" in rc0.stdout + rc0.stderr:
    print("skip: this build has no `flops` command yet")
    sys.exit(77)

E = "<"


def s(x):
    b = x.encode()
    return struct.pack(E + "Q", len(b)) + b


def header(n_tensors, n_kv, version=3):
    return b"GGUF" + struct.pack(E + "IQQ", version, n_tensors, n_kv)


def tensor_info(name, dims, ttype, offset):
    return (s(name) + struct.pack(E + "I", len(dims)) + struct.pack(E + "Q" * len(dims), *dims)
            + struct.pack(E + "IQ", ttype, offset))


def pad(b, a=32):
    return b + b"\0" * ((-len(b)) % a)


def main():
    # A small valid file with every metadata type and three tensors.
    w = gw.Writer()
    w.kv("general.architecture", gw.STR, "llama")
    w.kv("llama.block_count", gw.U32, 1).kv("llama.embedding_length", gw.U32, 32)
    w.kv("llama.attention.head_count", gw.U32, 2).kv("llama.context_length", gw.U32, 16)
    w.kv("a.u8", gw.U8, 1).kv("a.i8", gw.I8, -1).kv("a.u16", gw.U16, 2).kv("a.i16", gw.I16, -2)
    w.kv("a.i32", gw.I32, -3).kv("a.f32", gw.F32, 0.5).kv("a.bool", gw.BOOL, False)
    w.kv("a.u64", gw.U64, 5).kv("a.i64", gw.I64, -5).kv("a.f64", gw.F64, 0.25)
    w.kv("a.strs", gw.ARR, (gw.STR, ["x", "yz"]))
    w.kv("a.nested", gw.ARR, (gw.ARR, [(gw.U8, [1, 2]), (gw.STR, ["q"])]))
    w.tensor("token_embd.weight", [32, 8], "Q8_0").tensor("blk.0.attn_q.weight", [32, 32], "F16")
    w.tensor("output_norm.weight", [32], "F32")
    good = w.to_bytes()
    head, _, _ = w.header_and_infos()
    rc, out, err = run_bytes(good, "good.gguf")
    check(rc == 0 and '"params"' in out, f"valid small file: exit {rc} {err}")

    # Truncated at every offset through the header, infos, padding and data.
    bad_trunc = 0
    # Every length through the header and infos; a sample inside the data.
    lengths = list(range(len(head) + 64)) + list(range(len(head) + 64, len(good), 97))
    for n in lengths:
        rc, out, err = run_bytes(good[:n], "trunc.gguf")
        # Under 4 bytes there is no GGUF magic: `flops` reads it as (bad) ONNX,
        # whose messages are that reader's business; exit 2 is what matters.
        named = "byte offset" in err or n < 4
        if not (rc == 2 and err.startswith("ecometer: ") and named and out == ""):
            bad_trunc += 1
            if bad_trunc <= 5:
                check(False, f"truncated at {n}: exit {rc}, stderr {err.strip()!r}")
    print(f"truncations: {len(lengths)} lengths tried, {bad_trunc} wrong")
    check(bad_trunc == 0, "every truncation exits 2 with the offset")

    # Without the magic the file goes to the ONNX reader: only exit 2 is ours to check.
    expect_bad("wrong magic", b"GGUX" + good[4:], "")
    expect_bad("three bytes", b"GGU", "")
    expect_bad("version 1", b"GGUF" + struct.pack("<I", 1) + good[8:], "byte offset 4")
    expect_bad("version 99", b"GGUF" + struct.pack("<I", 99) + good[8:], "byte offset 4")
    expect_bad("huge tensor count", header(2**62, 0) + b"\0" * 64, "byte offset 8")
    expect_bad("huge kv count", header(0, 2**62) + b"\0" * 64, "byte offset 16")
    # Key length absurd (> 65535) at the first key-value, byte offset 24.
    expect_bad("absurd key length", header(0, 1) + struct.pack("<Q", 2**40) + b"k" * 64,
               "byte offset 24 has an absurd length")
    # Key length past the end of the file (plausible but the file is short).
    expect_bad("key past end", header(0, 1) + struct.pack("<Q", 1000) + b"k" * 10, "byte offset 32")
    # String value whose length points past the end: bytes would start at 24+8+3+4+8 = 47.
    expect_bad("string past end", header(0, 1) + s("abc") + struct.pack("<I", gw.STR)
               + struct.pack("<Q", 2**50) + b"x", "byte offset 47")
    # Array claiming 2^60 uint32 elements (array starts at 24+8+3+4 = 39).
    expect_bad("huge array", header(0, 1) + s("abc") + struct.pack("<IIQ", gw.ARR, gw.U32, 2**60)
               + b"\0" * 16, "byte offset 39")
    # Array of strings whose count fits but whose strings do not.
    expect_bad("array strings past end", header(0, 1) + s("abc") + struct.pack("<IIQ", gw.ARR, gw.STR, 3)
               + s("a") + struct.pack("<Q", 99) + b"\0" * 9, "byte offset")
    # Nesting bomb: 200 arrays of one array each.
    bomb = header(0, 1) + s("abc") + struct.pack("<I", gw.ARR)
    bomb += struct.pack("<IQ", gw.ARR, 1) * 200 + struct.pack("<IQ", gw.U8, 0)
    expect_bad("nesting bomb", bomb, "nested more than")
    expect_bad("unknown value type", header(0, 1) + s("abc") + struct.pack("<I", 13) + b"\0" * 8,
               "byte offset 39")
    expect_bad("unknown array element type", header(0, 1) + s("abc") + struct.pack("<IIQ", gw.ARR, 77, 1)
               + b"\0" * 8, "byte offset 39")
    expect_bad("bool 2", header(0, 1) + s("abc") + struct.pack("<I", gw.BOOL) + b"\x02", "byte offset 39")
    for align, label in ((48, "alignment 48"), (0, "alignment 0")):
        expect_bad(label, header(0, 1) + s("general.alignment") + struct.pack("<II", gw.U32, align),
                   "byte offset 24")
    expect_bad("alignment as string", header(0, 1) + s("general.alignment") + struct.pack("<I", gw.STR) + s("32"),
               "byte offset 24")
    # Tensors (infos start at byte 24 when there are no key-values).
    expect_bad("dims overflow", pad(header(1, 0) + tensor_info("t", [2**32, 2**32], 0, 0)),
               "info at byte offset 24")
    # A hostile name must not reach the terminal raw (escape sequences).
    rc, out, err = run_bytes(pad(header(1, 0) + tensor_info("\x1b[2J\x1b]0;pwned\x07", [2**32, 2**32], 0, 0)))
    check(rc == 2 and "\x1b" not in err and "\x07" not in err and "?[2J" in err,
          f"escape sequences in a tensor name: exit {rc}, stderr {err!r}")
    expect_bad("dim above int64", pad(header(1, 0) + tensor_info("t", [2**63 + 1], 0, 0)),
               "info at byte offset 24")
    expect_bad("nine dims", pad(header(1, 0) + tensor_info("t", [1] * 9, 0, 0)), "info at byte offset 24")
    expect_bad("huge n_dims", header(1, 0) + s("t") + struct.pack("<I", 2**31) + b"\0" * 40,
               "info at byte offset 24")
    expect_bad("absurd tensor name", header(1, 0) + struct.pack("<Q", 2**33) + b"\0" * 40,
               "byte offset 24 has an absurd length")
    expect_bad("misaligned offset", pad(header(1, 0) + tensor_info("t", [4], 0, 3)) + b"\0" * 64,
               "byte offset")
    expect_bad("data past end", pad(header(1, 0) + tensor_info("t", [1024], 0, 0)) + b"\0" * 100,
               "runs past the end")
    expect_bad("offset past end", pad(header(1, 0) + tensor_info("t", [1], 0, 2**40)) + b"\0" * 64,
               "runs past the end")
    expect_bad("row not a multiple of the block", pad(header(1, 0) + tensor_info("t", [100], 12, 0)) + b"\0" * 4096,
               "not a multiple of the Q4_K block size 256")
    expect_bad("infos past end", header(2, 0) + tensor_info("t", [1], 0, 0) + b"\0" * 30, "byte offset")

    # Duplicates: a second key (key-values start at 24; "abc" u8 takes 8+3+4+1 = 16 bytes)
    # and a second tensor name (infos start at 24; "t" with 1 dim takes 8+1+4+8+4+8 = 33).
    kv = s("abc") + struct.pack("<IB", gw.U8, 1)
    expect_bad("duplicate key", header(0, 2) + kv + kv, "'abc' appears twice (at byte offsets 24 and 40)")
    expect_bad("duplicate tensor", pad(header(2, 0) + tensor_info("t", [1], 0, 0) + tensor_info("t", [1], 0, 32))
               + b"\0" * 64, "'t' appears twice (at byte offsets 24 and 57)")

    # An unknown ggml type is not an error: counted, bytes unknown, listed.
    rc, out, err = run_bytes(pad(header(1, 0) + tensor_info("t", [10, 3], 200, 0)) + b"\0" * 32, "unk.gguf")
    check(rc == 0 and '"type200"' in out and '"unsupported"' in out and '"params":\t30' in out,
          f"unknown type: exit {rc} {err} {out[:400]}")

    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all malformed-GGUF checks passed")
    return 0


sys.exit(main())
