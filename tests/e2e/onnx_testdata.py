#!/usr/bin/python3
"""ONNX's own backend test suite (Debian libonnx-testdata) against
`ecometer flops --format json`: for every model, compare the graph-output
shapes ecometer infers with the shapes of the expected output tensors
(test_data_set_0/output_N.pb). A wrong concrete shape fails the test; a shape
ecometer could not infer (symbols, unknown rank, or only declared in the
file) is not wrong but counts against coverage, which is printed."""
import glob
import json
import os
import subprocess
import sys

DATA = "/usr/share/libonnx-testdata/data"
BIN = os.environ.get("ECOMETER_BIN", "build/ecometer")

try:
    import onnx
except ImportError:
    print("skip: python3-onnx is not installed")
    sys.exit(77)
if not os.path.isdir(DATA):
    print("skip: libonnx-testdata is not installed (%s)" % DATA)
    sys.exit(77)

models = sorted(glob.glob(os.path.join(DATA, "*", "*", "model.onnx")))
runs = match = unknown = wrong = nontensor = failed = 0
unknown_ops = {}
problems = []
for path in models:
    d = os.path.dirname(path)
    name = os.path.relpath(d, DATA)
    try:
        m = onnx.load(path, load_external_data=False)
    except Exception as e:  # a file python cannot load is not ours to judge
        continue
    expected = []
    for i, out in enumerate(m.graph.output):
        if not out.type.HasField("tensor_type"):
            expected.append(None)
            continue
        p = os.path.join(d, "test_data_set_0", "output_%d.pb" % i)
        if not os.path.exists(p):
            expected.append(None)
            continue
        t = onnx.TensorProto()
        with open(p, "rb") as f:
            t.ParseFromString(f.read())
        expected.append(list(t.dims))
    r = subprocess.run([BIN, "flops", "--format", "json", path], capture_output=True, text=True, timeout=60)
    runs += 1
    if r.returncode != 0:
        failed += 1
        problems.append("%s: exit %d: %s" % (name, r.returncode, r.stderr.strip()[:300]))
        continue
    rep = json.loads(r.stdout)
    for u in rep["unsupported"]:
        unknown_ops[u["op"]] = unknown_ops.get(u["op"], 0) + 1
    for i, exp in enumerate(expected):
        if exp is None:
            nontensor += 1
            continue
        got = rep["outputs"][i] if i < len(rep["outputs"]) else None
        shape = got["shape"] if got else None
        if got is None or got.get("source") == "declared" or shape is None or \
                any(isinstance(x, str) for x in shape):
            unknown += 1
            if os.environ.get("ECO_VERBOSE"):
                print("unknown: %s output %d: %s (expected %s)" % (name, i, shape, exp))
            continue
        if shape == exp:
            match += 1
        else:
            wrong += 1
            problems.append("%s: output %d: inferred %s, expected %s" % (name, i, shape, exp))

total = match + unknown + wrong
print("libonnx-testdata: %d models run, %d tensor outputs (%d non-tensor skipped)" % (runs, total, nontensor))
print("  concrete and matching: %d (%.1f%%)" % (match, 100.0 * match / max(total, 1)))
print("  symbolic/unknown:      %d" % unknown)
print("  WRONG:                 %d" % wrong)
print("  models rejected:       %d" % failed)
if unknown_ops:
    print("  unsupported ops (models):", ", ".join("%s %d" % kv for kv in sorted(unknown_ops.items())))
for p in problems:
    print("  " + p)
sys.exit(1 if wrong or failed else 0)
