#!/bin/sh
# Benchmark of `ecometer flops` on GGUF files (figures: docs/PERFORMANCE.md).
# Writes two llama-shaped GGUF files with tests/e2e/ggufwriter.py into bench/out/: a 7B-shaped
# model in Q4_K/Q6_K (4.3 GB) and a 70B-shaped one (44 GB). Their tensor data
# is a sparse hole (the file system stores no blocks for it): ecometer reads only the header,
# so what is measured is the header parse, as on a real download. Median of RUNS runs
# (hyperfine when installed, else a loop) and peak RSS (/usr/bin/time -v).
# Usage: bench/flops_gguf.sh [RUNS]   (from the source root, after `make`)
set -eu
RUNS=${1:-5}
BIN=${ECOMETER_BIN:-build/ecometer}
OUT=bench/out
mkdir -p "$OUT"
[ -x "$BIN" ] || { echo "flops_gguf: build ecometer first (make)" >&2; exit 1; }

python3 - "$OUT" <<'EOF'
import os, sys
sys.path.insert(0, "tests/e2e")
import ggufwriter as gw

def llama(path, n_layer, n_embd, n_head, n_head_kv, n_ff, n_vocab=32000):
    if os.path.exists(path):
        return
    w = gw.Writer()
    w.kv("general.architecture", gw.STR, "llama")
    for k, v in (("block_count", n_layer), ("embedding_length", n_embd), ("attention.head_count", n_head),
                 ("attention.head_count_kv", n_head_kv), ("feed_forward_length", n_ff), ("context_length", 4096)):
        w.kv("llama." + k, gw.U32, v)
    w.kv("tokenizer.ggml.tokens", gw.ARR, (gw.STR, [f"<tok{i}>" for i in range(n_vocab)]))
    w.kv("tokenizer.ggml.scores", gw.ARR, (gw.F32, [0.0] * n_vocab))
    kv = n_embd // n_head * n_head_kv
    w.tensor("token_embd.weight", [n_embd, n_vocab], "Q4_K")
    for l in range(n_layer):
        for name, dims, ty in (("attn_norm", [n_embd], "F32"), ("attn_q", [n_embd, n_embd], "Q4_K"),
                               ("attn_k", [n_embd, kv], "Q4_K"), ("attn_v", [n_embd, kv], "Q6_K"),
                               ("attn_output", [n_embd, n_embd], "Q4_K"), ("ffn_norm", [n_embd], "F32"),
                               ("ffn_gate", [n_embd, n_ff], "Q4_K"), ("ffn_up", [n_embd, n_ff], "Q4_K"),
                               ("ffn_down", [n_ff, n_embd], "Q6_K")):
            w.tensor(f"blk.{l}.{name}.weight", dims, ty)
    w.tensor("output_norm.weight", [n_embd], "F32").tensor("output.weight", [n_embd, n_vocab], "Q6_K")
    head, _, data_len = w.header_and_infos()
    with open(path, "wb") as f:
        f.write(head + b"\0" * ((-len(head)) % 32))
        f.truncate(f.tell() + data_len)  # sparse: no blocks written for the data

llama(sys.argv[1] + "/llama-7b-shape-q4k.gguf", 32, 4096, 32, 32, 11008)
llama(sys.argv[1] + "/llama-70b-shape-q4k.gguf", 80, 8192, 64, 8, 28672)
EOF

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(uname -sr)"
for m in llama-7b-shape-q4k llama-70b-shape-q4k; do
    f="$OUT/$m.gguf"
    size=$(stat -c %s "$f")
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine --runs "$RUNS" --warmup 1 -N --export-json "$OUT/hf.json" "$BIN flops $f --format json" >/dev/null 2>&1
        t=$(python3 -c "import json;print('%.4f' % json.load(open('$OUT/hf.json'))['results'][0]['median'])")
    else
        t=$(for _ in $(seq "$RUNS"); do s=$(date +%s.%N); "$BIN" flops "$f" --format json >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; done |
            sort -n | awk '{a[NR]=$1} END {printf "%.4f", a[int((NR+1)/2)]}')
    fi
    rss=$(/usr/bin/time -v "$BIN" flops "$f" --format json 2>&1 >/dev/null |
          sed -n 's/.*Maximum resident set size (kbytes): //p' | awk '{printf "%.1f", $1/1024}')
    echo "  $BIN flops $f --format json: file $(awk "BEGIN {printf \"%.1f\", $size / 1e9}") GB, median $t s, peak RSS $rss MB"
done
