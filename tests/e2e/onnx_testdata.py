#!/usr/bin/python3
"""ONNX's own backend test suite (Debian libonnx-testdata) against
`ecometer flops --format json`: for every model, compare the graph-output
shapes ecometer infers with the shapes of the expected output tensors
(test_data_set_0/output_N.pb). A wrong concrete shape fails the test; a shape
ecometer could not infer (symbols, unknown rank, or only declared in the
file) is not wrong but counts against coverage, which is printed.

Second pass ("inputs as constants"): most outputs ecometer cannot answer in
the first pass depend on the values of graph inputs (Reshape's shape, Slice's
starts, Pad's pads, TopK's K fed at run time). Exported models compute those
values from constants and shapes instead, so the second pass turns every
small input (at most 64 elements) of each test into an initializer holding
the test's own input_N.pb, and checks the output shapes again: this runs
value propagation (src/model/value_eval.c) against the operators' own
expected results, e.g. Slice with negative steps and ends below -dim."""
import copy
import glob
import json
import os
import shutil
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

import tempfile

models = sorted(glob.glob(os.path.join(DATA, "*", "*", "model.onnx")))
TMP = tempfile.mkdtemp(prefix="eco_testdata_", dir=os.environ.get("ECO_TEST_TMPDIR"))


def read_tensor(p):
    t = onnx.TensorProto()
    with open(p, "rb") as f:
        t.ParseFromString(f.read())
    return t


def inputs_as_constants(m, d):
    """A copy of m whose small graph inputs are initializers holding the test's
    input values; None when no input qualifies."""
    m = copy.deepcopy(m)
    inits = {i.name for i in m.graph.initializer}
    keep, changed = [], False
    for k, inp in enumerate(m.graph.input):
        p = os.path.join(d, "test_data_set_0", "input_%d.pb" % k)
        if inp.name in inits or not inp.type.HasField("tensor_type") or not os.path.exists(p):
            keep.append(inp)
            continue
        t = read_tensor(p)
        n = 1
        for x in t.dims:
            n *= x
        if n > 64 or t.data_type == onnx.TensorProto.STRING:
            keep.append(inp)
            continue
        t.name = inp.name
        m.graph.initializer.append(t)
        changed = True
    if not changed:
        return None
    del m.graph.input[:]
    m.graph.input.extend(keep)
    return m

class Tally:
    def __init__(self):
        self.runs = self.match = self.unknown = self.wrong = self.nontensor = self.failed = 0
        self.unknown_at = []  # (test, output, operators, flagged data-dependent)
        self.names = set()    # tests run


def main_ops(m):
    """The operators a test is about: its node types other than Constant."""
    ops = sorted({n.op_type for n in m.graph.node if n.op_type != "Constant"})
    return "+".join(ops[:2]) + ("+..." if len(ops) > 2 else "") if ops else "Constant"


def compare(name, path, m, d, tally, unknown_ops=None):
    expected = []
    for i, out in enumerate(m.graph.output):
        p = os.path.join(d, "test_data_set_0", "output_%d.pb" % i)
        if not out.type.HasField("tensor_type") or not os.path.exists(p):
            expected.append(None)
            continue
        expected.append(list(read_tensor(p).dims))
    r = subprocess.run([BIN, "flops", "--format", "json", path], capture_output=True, text=True, timeout=60)
    tally.runs += 1
    tally.names.add(name.replace(" (inputs as constants)", ""))
    if r.returncode != 0:
        tally.failed += 1
        problems.append("%s: exit %d: %s" % (name, r.returncode, r.stderr.strip()[:300]))
        return
    rep = json.loads(r.stdout)
    if unknown_ops is not None:
        for u in rep["unsupported"]:
            unknown_ops[u["op"]] = unknown_ops.get(u["op"], 0) + 1
    for i, exp in enumerate(expected):
        if exp is None:
            tally.nontensor += 1
            continue
        got = rep["outputs"][i] if i < len(rep["outputs"]) else None
        shape = got["shape"] if got else None
        if got is None or got.get("source") == "declared" or shape is None or \
                any(isinstance(x, str) for x in shape):
            tally.unknown += 1
            tally.unknown_at.append((name.replace(" (inputs as constants)", ""), i, main_ops(m),
                                     shape is not None and "data-dependent" in shape))
            if os.environ.get("ECO_VERBOSE"):
                print("unknown: %s output %d: %s (expected %s)" % (name, i, shape, exp))
            continue
        if shape == exp:
            tally.match += 1
        else:
            tally.wrong += 1
            problems.append("%s: output %d: inferred %s, expected %s" % (name, i, shape, exp))


unknown_ops = {}
problems = []
first, second = Tally(), Tally()
for path in models:
    d = os.path.dirname(path)
    name = os.path.relpath(d, DATA)
    try:
        m = onnx.load(path, load_external_data=False)
    except Exception:  # a file python cannot load is not ours to judge
        continue
    compare(name, path, m, d, first, unknown_ops)
    mc = inputs_as_constants(m, d)
    if mc is not None:
        q = os.path.join(TMP, "model.onnx")
        onnx.save(mc, q)
        compare(name + " (inputs as constants)", q, mc, d, second)
shutil.rmtree(TMP, ignore_errors=True)


def report(title, t):
    total = t.match + t.unknown + t.wrong
    print("%s: %d models run, %d tensor outputs (%d non-tensor skipped)" % (title, t.runs, total, t.nontensor))
    print("  concrete and matching: %d (%.1f%%)" % (t.match, 100.0 * t.match / max(total, 1)))
    print("  symbolic/unknown:      %d" % t.unknown)
    print("  WRONG:                 %d" % t.wrong)
    print("  models rejected:       %d" % t.failed)


report("libonnx-testdata", first)
report("libonnx-testdata, small inputs as constants", second)
if unknown_ops:
    print("  unsupported ops (models):", ", ".join("%s %d" % kv for kv in sorted(unknown_ops.items())))


def unknown_by_operator(first, second):
    """Why the first pass leaves outputs unknown, by operator: answered once the
    test's small inputs are constants (the shape needs a graph input's values),
    or not (the data itself, a Loop's trip count, string inputs not turned
    into constants)."""
    still = {(n, i) for n, i, _, _ in second.unknown_at}
    groups = {}
    for n, i, ops, _ in first.unknown_at:
        g = groups.setdefault(ops, [0, 0])
        g[0] += 1
        g[1] += n in second.names and (n, i) not in still
    rows = sorted(groups.items(), key=lambda kv: (-kv[1][0], kv[0]))
    print("  first-pass unknowns by operator (outputs; of which answered with the inputs as constants):")
    print("    " + ", ".join("%s %d (%d)" % (k, v[0], v[1]) for k, v in rows))


unknown_by_operator(first, second)
for p in problems:
    print("  " + p)
bad = first.wrong + first.failed + second.wrong + second.failed
sys.exit(1 if bad else 0)
