#!/usr/bin/python3
"""An independent reference for `ecometer flops` on ONNX's own backend test
suite (Debian libonnx-testdata): ONNX's shape inference with data
propagation (onnx.shape_inference.infer_shapes(model, data_prop=True)),
run on each model whose declared graph-output shapes are cleared first, so
it must derive them as ecometer does, from the model alone.

Asserts that every graph output ONNX infers concretely, ecometer infers
concretely and identically (ecometer answers a superset of what ONNX
answers), and that neither contradicts the expected output tensor
(test_data_set_0/output_N.pb) where it answers. Prints both shares.

Cost: ONNX's inference takes under a second for the whole suite; ecometer
runs once per model (about 1,070 short processes, a few seconds of CPU,
two at a time)."""
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_testdata_lib import BIN, DATA, models, need_onnx_and_data  # noqa: E402

onnx = need_onnx_and_data()
from onnx import shape_inference  # noqa: E402


def expected_dims(d, i):
    p = os.path.join(d, "test_data_set_0", "output_%d.pb" % i)
    if not os.path.exists(p):
        return None
    t = onnx.TensorProto()
    with open(p, "rb") as f:
        t.ParseFromString(f.read())
    return list(t.dims)


def onnx_shapes(m):
    """ONNX's inferred shape of each graph output (a list of ints), or None
    where it does not derive one concretely."""
    m2 = onnx.ModelProto()
    m2.CopyFrom(m)
    for o in m2.graph.output:
        if o.type.HasField("tensor_type"):
            o.type.tensor_type.ClearField("shape")
    try:
        inf = shape_inference.infer_shapes(m2, data_prop=True)
    except Exception:  # ONNX refuses the model: it answers nothing
        return [None] * len(m.graph.output)
    found = {v.name: v for v in list(inf.graph.value_info) + list(inf.graph.output)}
    res = []
    for o in m.graph.output:
        v = found.get(o.name)
        tt = v.type.tensor_type if v is not None and v.type.HasField("tensor_type") else None
        if tt is None or not tt.HasField("shape") or not all(x.HasField("dim_value") for x in tt.shape.dim):
            res.append(None)
        else:
            res.append([x.dim_value for x in tt.shape.dim])
    return res


def ecometer_shapes(path, n):
    """ecometer's inferred shape of each graph output, None where it is not
    concrete or only declared; (shapes, error text)."""
    r = subprocess.run([BIN, "flops", "--format", "json", path], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return [None] * n, "exit %d: %s" % (r.returncode, r.stderr.strip()[:300])
    outs = json.loads(r.stdout)["outputs"]
    res = []
    for i in range(n):
        o = outs[i] if i < len(outs) else None
        s = o["shape"] if o else None
        if o is None or o.get("source") == "declared" or s is None or any(isinstance(x, str) for x in s):
            res.append(None)
        else:
            res.append(s)
    return res, None


cases = []  # (name, dir, model)
for path in models():
    try:
        m = onnx.load(path, load_external_data=False)
    except Exception:  # a file python cannot load is not ours to judge
        continue
    cases.append((path, m))

with ThreadPoolExecutor(max_workers=2) as pool:
    eco_runs = list(pool.map(lambda c: ecometer_shapes(c[0], len(c[1].graph.output)), cases))

total = by_onnx = by_eco = both = onnx_wrong = 0
problems = []
for (path, m), (eco, err) in zip(cases, eco_runs):
    d = os.path.dirname(path)
    name = os.path.relpath(d, DATA)
    if err:
        problems.append("%s: ecometer %s" % (name, err))
    ref = onnx_shapes(m)
    for i, out in enumerate(m.graph.output):
        exp = expected_dims(d, i) if out.type.HasField("tensor_type") else None
        if exp is None:
            continue  # a sequence, map or optional output: no tensor to compare with
        total += 1
        o, e = ref[i], eco[i]
        if o is not None and o != exp:
            onnx_wrong += 1  # ONNX's own inference disagrees with its expected data: not a reference
            print("note: %s output %d: ONNX infers %s, the expected tensor is %s" % (name, i, o, exp))
            o = None
        by_onnx += o is not None
        by_eco += e == exp
        both += o is not None and e == exp
        if e is not None and e != exp:
            problems.append("%s: output %d: ecometer infers %s, expected %s" % (name, i, e, exp))
        elif o is not None and e is None:
            problems.append("%s: output %d: ONNX infers %s, ecometer leaves it unknown" % (name, i, o))

print("libonnx-testdata, %d tensor outputs, graph-output shapes from the model alone:" % total)
print("  ONNX %s infer_shapes(data_prop=True): %d (%.1f%%)" % (onnx.__version__, by_onnx, 100.0 * by_onnx / total))
print("  ecometer flops:                        %d (%.1f%%)" % (by_eco, 100.0 * by_eco / total))
print("  answered by ONNX and ecometer alike:   %d; by ecometer only: %d; ONNX contradicting its data: %d"
      % (both, by_eco - both, onnx_wrong))
for p in problems:
    print("  " + p)
# the test must see the suite: an empty or broken run is not a pass
if total < 1000 or by_onnx < 500:
    print("  too few outputs compared (%d, ONNX answered %d): the suite did not load" % (total, by_onnx))
    sys.exit(1)
sys.exit(1 if problems else 0)
