#!/bin/sh
# Benchmark of `ecometer flops` on ONNX files (figures: docs/PERFORMANCE.md).
#  1. VGG-16 from torchvision (random weights, ~550 MB), exported once into bench/out/:
#     `ecometer flops` against `python3 -c "import onnx; onnx.load(path)"` (median of 5 runs
#     each, hyperfine when installed, else a loop), and ecometer's peak RSS (/usr/bin/time -v).
#  2. Time grows with nodes, not weight bytes: three synthetic chains of MatMul+Relu built with
#     onnx.helper: 2000 nodes with 1 MB of weights, 2000 nodes with 262 MB, 20 nodes with 262 MB.
# Usage: bench/flops_vgg16.sh [RUNS]   (from the source root, after `make`)
set -eu
RUNS=${1:-5}
BIN=${ECOMETER_BIN:-build/ecometer}
OUT=bench/out
# torch and onnx are Debian packages: use the system interpreter.
PY=/usr/bin/python3
mkdir -p "$OUT"
[ -x "$BIN" ] || { echo "flops_vgg16: build ecometer first (make)" >&2; exit 1; }

if [ ! -s "$OUT/vgg16.onnx" ]; then
    echo "exporting torchvision VGG-16 (random weights) to $OUT/vgg16.onnx ..."
    "$PY" - "$OUT/vgg16.onnx" <<'EOF'
import sys, torch, torchvision
m = torchvision.models.vgg16(weights=None).eval()
torch.onnx.export(m, torch.randn(1, 3, 224, 224), sys.argv[1], opset_version=13)
EOF
fi

if [ ! -s "$OUT/chain-2000-light.onnx" ]; then
    echo "building the synthetic chains ..."
    "$PY" - "$OUT" <<'EOF'
import sys, numpy as np, onnx
from onnx import TensorProto, helper, numpy_helper
out = sys.argv[1]

def chain(path, n_matmul, width):
    rng = np.random.default_rng(0)
    nodes, inits, prev = [], [], "x"
    for i in range(n_matmul):
        w = numpy_helper.from_array(rng.standard_normal((width, width), dtype=np.float32), f"w{i}")
        inits.append(w)
        nodes.append(helper.make_node("MatMul", [prev, f"w{i}"], [f"m{i}"], name=f"mm{i}"))
        nodes.append(helper.make_node("Relu", [f"m{i}"], [f"r{i}"], name=f"relu{i}"))
        prev = f"r{i}"
    g = helper.make_graph(nodes, "chain", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, width])],
                          [helper.make_tensor_value_info(prev, TensorProto.FLOAT, [1, width])], inits)
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), path)

chain(f"{out}/chain-2000-light.onnx", 1000, 16)    # 2000 nodes, 1 MB of weights
chain(f"{out}/chain-2000-heavy.onnx", 1000, 256)   # 2000 nodes, 262 MB
chain(f"{out}/chain-20-heavy.onnx", 10, 2560)      # 20 nodes, 262 MB
EOF
fi

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(uname -sr)"
ls -l "$OUT"/*.onnx | awk '{printf "  %-34s %6.1f MB\n", $NF, $5/1e6}'

# median_of 'COMMAND LINE': median wall-clock seconds of RUNS runs after one warm-up (and,
# with hyperfine, the mean CPU seconds user+system in brackets). The command lines are this
# script's own (no user input); hyperfine -N runs them without a shell.
median_of() {
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine --runs "$RUNS" --warmup 1 -N --export-json "$OUT/hf.json" "$1" >/dev/null 2>&1
        "$PY" -c "import json;r=json.load(open('$OUT/hf.json'))['results'][0];print('%.5f (cpu %.5f)' % (r['median'], r['user'] + r['system']))"
    else
        sh -c "$1" >/dev/null 2>&1 || true
        for _ in $(seq "$RUNS"); do
            s=$(date +%s.%N); sh -c "$1" >/dev/null 2>&1; e=$(date +%s.%N)
            echo "$e - $s" | bc -l
        done | sort -n | awk '{a[NR]=$1} END {printf "%.5f\n", a[int((NR+1)/2)]}'
    fi
}

peak_rss_mb() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p' |
        awk '{printf "%.1f", $1/1024}'
}

median_rss() {
    for _ in $(seq "$RUNS"); do peak_rss_mb "$@"; echo; done | sort -n |
        awk 'NF {a[++n]=$1} END {print a[int((n+1)/2)]}'
}

VGG="$OUT/vgg16.onnx"
echo "VGG-16, $RUNS runs each, median wall-clock:"
c_eco="$BIN flops $VGG --format json"
c_onnx="$PY -c \"import onnx; onnx.load('$VGG')\""
c_imp="$PY -c \"import onnx\""
t_eco=$(median_of "$c_eco")
t_onnx=$(median_of "$c_onnx")
t_imp=$(median_of "$c_imp")
echo "  $c_eco : $t_eco s"
echo "  $c_onnx : $t_onnx s"
echo "  $c_imp (interpreter start + import alone) : $t_imp s"
echo "  speed-up vs onnx.load (wall-clock medians): $(echo "${t_onnx%% *} / ${t_eco%% *}" | bc -l | xargs printf '%.1f')x"
echo "  ecometer peak RSS (median of $RUNS, /usr/bin/time -v): $(median_rss "$BIN" flops "$VGG" --format json) MB"

echo "Nodes vs weight bytes, $RUNS runs each, median wall-clock and peak RSS:"
for m in chain-2000-light chain-2000-heavy chain-20-heavy; do
    t=$(median_of "$BIN flops $OUT/$m.onnx --format json")
    r=$(median_rss "$BIN" flops "$OUT/$m.onnx" --format json)
    echo "  $m: $t s, $r MB"
done
