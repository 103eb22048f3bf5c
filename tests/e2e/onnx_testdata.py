#!/usr/bin/python3
"""ONNX's own backend test suite (Debian libonnx-testdata) against
`ecometer flops --format json`: for every model, compare the graph-output
shapes ecometer infers with the shapes of the expected output tensors
(test_data_set_0/output_N.pb). A wrong concrete shape fails the test; a shape
ecometer could not infer (symbols, unknown rank, or only declared in the
file) is not wrong but counts against coverage, which is printed.

Second pass (run-time values given): most outputs ecometer cannot answer in
the first pass depend on the values of graph inputs (Reshape's shape, Slice's
starts, Pad's pads, TopK's K fed at run time). The second pass gives each
test's small inputs (at most 4096 elements, --value's bound; numbers or
booleans) to ecometer the way a user would, `--value NAME=v1,v2,...` with
the test's own input_N.pb (plus `--input NAME=DIMS` where the declared shape
is not concrete), and checks the output shapes again: this runs value
propagation (src/model/value_eval.c) against the operators' own expected
results, e.g. Slice with negative steps and ends below -dim. String inputs
(StringNormalizer's) cannot be given: --value takes numbers only, and
ecometer follows no string values either way.

Cost: about 2,100 short ecometer runs (both passes), several seconds of CPU."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_testdata_lib import BIN, DATA, need_onnx_and_data  # noqa: E402
import onnx_testdata_lib  # noqa: E402

onnx = need_onnx_and_data()
from onnx import numpy_helper  # noqa: E402

models = onnx_testdata_lib.models()
PASS2 = " (with --value)"


def read_tensor(p):
    t = onnx.TensorProto()
    with open(p, "rb") as f:
        t.ParseFromString(f.read())
    return t


SMALL = 4096  # value propagation's bound on a tensor's values (src/model/value_eval.h)
NUMERIC = {onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE, onnx.TensorProto.FLOAT16, onnx.TensorProto.BFLOAT16,
           onnx.TensorProto.INT8, onnx.TensorProto.UINT8, onnx.TensorProto.INT16, onnx.TensorProto.UINT16,
           onnx.TensorProto.INT32, onnx.TensorProto.UINT32, onnx.TensorProto.INT64, onnx.TensorProto.UINT64,
           onnx.TensorProto.BOOL}


def value_args(m, d):
    """The options a user would type to give ecometer the test's small inputs
    (--value, and --input where the declared shape is not concrete); None
    when no input qualifies."""
    inits = {i.name for i in m.graph.initializer}
    args = []
    for k, inp in enumerate(m.graph.input):
        p = os.path.join(d, "test_data_set_0", "input_%d.pb" % k)
        if inp.name in inits or not inp.type.HasField("tensor_type") or not os.path.exists(p):
            continue
        t = read_tensor(p)
        n = 1
        for x in t.dims:
            n *= x
        if n > SMALL or t.data_type not in NUMERIC:
            continue
        vals = numpy_helper.to_array(t).flatten().tolist()
        text = ",".join(repr(float(v)) if isinstance(v, float) else str(int(v)) for v in vals)
        args += ["--value", "%s=%s" % (inp.name, text)]
        dims = inp.type.tensor_type.shape.dim
        if len(dims) != len(t.dims) or not all(x.HasField("dim_value") for x in dims):
            args += ["--input", "%s=%s" % (inp.name, "x".join(str(x) for x in t.dims))]
    return args or None


class Tally:
    def __init__(self):
        self.runs = self.match = self.unknown = self.wrong = self.nontensor = self.failed = 0
        self.unknown_at = []  # (test, output, operators, flagged data-dependent)
        self.names = set()    # tests run


def main_ops(m):
    """The operators a test is about: its node types other than Constant."""
    ops = sorted({n.op_type for n in m.graph.node if n.op_type != "Constant"})
    return "+".join(ops[:2]) + ("+..." if len(ops) > 2 else "") if ops else "Constant"


def compare(name, path, m, d, tally, unknown_ops=None, extra=()):
    expected = []
    for i, out in enumerate(m.graph.output):
        p = os.path.join(d, "test_data_set_0", "output_%d.pb" % i)
        if not out.type.HasField("tensor_type") or not os.path.exists(p):
            expected.append(None)
            continue
        expected.append(list(read_tensor(p).dims))
    r = subprocess.run([BIN, "flops", "--format", "json", path] + list(extra), capture_output=True, text=True,
                       timeout=60)
    tally.runs += 1
    tally.names.add(name.replace(PASS2, ""))
    if r.returncode != 0:
        tally.failed += 1
        problems.append("%s: exit %d: %s" % (name, r.returncode, r.stderr.strip()[:300]))
        return
    rep = json.loads(r.stdout)
    given = [v["name"] for v in rep["given_values"]]
    if given != [extra[k + 1].split("=")[0] for k in range(0, len(extra), 2) if extra[k] == "--value"]:
        problems.append("%s: the report lists given values %s, not the --value options" % (name, given))
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
            tally.unknown_at.append((name.replace(PASS2, ""), i, main_ops(m),
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
    extra = value_args(m, d)
    if extra is not None:
        compare(name + PASS2, path, m, d, second, extra=extra)


def report(title, t):
    total = t.match + t.unknown + t.wrong
    print("%s: %d models run, %d tensor outputs (%d non-tensor skipped)" % (title, t.runs, total, t.nontensor))
    print("  concrete and matching: %d (%.1f%%)" % (t.match, 100.0 * t.match / max(total, 1)))
    print("  symbolic/unknown:      %d" % t.unknown)
    print("  WRONG:                 %d" % t.wrong)
    print("  models rejected:       %d" % t.failed)


report("libonnx-testdata", first)
report("libonnx-testdata, small inputs given with --value", second)
if unknown_ops:
    print("  unsupported ops (models):", ", ".join("%s %d" % kv for kv in sorted(unknown_ops.items())))


def unknown_by_operator(first, second):
    """Why the first pass leaves outputs unknown, by operator: answered once the
    test's small inputs are given with --value (the shape needs a graph
    input's values), or not (data ecometer does not compute on, a Loop's
    trip count, string inputs)."""
    still = {(n, i) for n, i, _, _ in second.unknown_at}
    groups = {}
    for n, i, ops, _ in first.unknown_at:
        g = groups.setdefault(ops, [0, 0])
        g[0] += 1
        g[1] += n in second.names and (n, i) not in still
    rows = sorted(groups.items(), key=lambda kv: (-kv[1][0], kv[0]))
    print("  first-pass unknowns by operator (outputs; of which answered with --value):")
    print("    " + ", ".join("%s %d (%d)" % (k, v[0], v[1]) for k, v in rows))
    answered = sum(v[1] for v in groups.values())
    total = first.match + first.unknown + first.wrong
    print("  first-pass unknowns: %d; %d answered once the inputs' values are given, %d not"
          % (first.unknown, answered, first.unknown - answered))
    print("  tensor outputs answered, from the model alone: %d of %d (%.1f%%); with the small inputs' values "
          "given: %d (%.1f%%)" % (first.match, total, 100.0 * first.match / total, first.match + answered,
                                  100.0 * (first.match + answered) / total))


unknown_by_operator(first, second)
for p in problems:
    print("  " + p)
bad = first.wrong + first.failed + second.wrong + second.failed
sys.exit(1 if bad else 0)
