#!/usr/bin/python3
"""`ecometer flops --value NAME=v1,v2,...`: the run-time values of a small
graph input, followed by value propagation. Small models built here with
onnx.helper; the expected shapes and counts are worked out in this file
from the operators' definitions (ONNX's Operators.md): Reshape with -1,
Resize's floor(size x scale) (a float16 scale rounded as the input holds
it), TopK's K, Pad's pads, Range's ceil((limit - start) / delta), Slice with
an int64 end of 2^63 - 1 (exact, not through a double). Every output (text,
JSON, CSV) lists the values given. The error paths exit 2 with a clear
message: a name that is no input (the inputs listed), a count the shape does
not hold, a shape not known (hint: --input), a value the type cannot hold,
a string input, a bad number, too many values, a name given twice, --value
on a GGUF file."""
import csv
import io
import json
import os
import subprocess
import sys

BIN = os.environ.get("ECOMETER_BIN", "build/ecometer")
TMP = os.environ.get("ECO_TEST_TMPDIR", "/tmp")

try:
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper
    import onnx
except ImportError:
    print("skip: python3-onnx is not installed")
    sys.exit(77)

fails = []


def check(cond, what):
    if not cond:
        fails.append(what)
        print("FAIL", what)


def save(name, nodes, inputs, outputs, inits=(), opset=13):
    g = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="eco-test")
    path = os.path.join(TMP, "given_%s_%d.onnx" % (name, os.getpid()))
    onnx.save(m, path)
    return path


def flops(path, *args, fmt="json"):
    r = subprocess.run([BIN, "flops", path, "--format", fmt, *args], capture_output=True, text=True, timeout=30)
    if fmt == "json" and r.returncode == 0:
        return r, json.loads(r.stdout)
    return r, None


def vi(name, dt, dims):
    return helper.make_tensor_value_info(name, dt, dims)


def out_shape(j, i=0):
    return j["outputs"][i]["shape"]


def usage_error(path, args, *phrases):
    r, _ = flops(path, *args)
    check(r.returncode == 2 and all(p in r.stderr for p in phrases),
          "%s: exit 2 naming %s; got %d: %s" % (" ".join(args), phrases, r.returncode, r.stderr.strip()))


# Reshape to a fed target, then MatMul: MACs = rows x 3 x 5
reshape = save("reshape", [helper.make_node("Reshape", ["x", "shape"], ["r"]),
                           helper.make_node("MatMul", ["r", "w"], ["y"])],
               [vi("x", TensorProto.FLOAT, [6, 4]), vi("shape", TensorProto.INT64, [2])],
               [vi("y", TensorProto.FLOAT, None)],
               [numpy_helper.from_array(np.ones((3, 5), np.float32), "w")])
r, j = flops(reshape)
check(r.returncode == 0 and j["given_values"] == [] and not all(isinstance(d, int) for d in out_shape(j) or ["?"]),
      "without --value the Reshape target is unknown: %s" % (j and out_shape(j)))
for given, rows in (("shape=8,3", 8), ("shape=-1,3", 8), ("shape=2,12", None)):
    r, j = flops(reshape, "--value", given)
    if rows is None:  # [2,12] x [3,5]: the MatMul does not fit, an error in the model as given
        check(r.returncode != 0, "%s: MatMul of 2x12 by 3x5 refused, got %d" % (given, r.returncode))
        continue
    check(r.returncode == 0 and out_shape(j) == [rows, 5] and j["totals"]["macs"] == rows * 3 * 5
          and j["totals"]["complete"] is True, "--value %s: y %sx5, %d MACs: %s" %
          (given, rows, rows * 15, (r.stderr, j and (out_shape(j), j["totals"]))))
    check(j and j["given_values"] == [{"name": "shape", "values": [int(v) for v in given[6:].split(",")]}],
          "JSON given_values for %s: %s" % (given, j and j["given_values"]))

# the same values as text and CSV
r, _ = flops(reshape, "--value", "shape=8,3", fmt="text")
check(r.returncode == 0 and "given values (--value" in r.stdout and "shape=8,3" in r.stdout,
      "text names the given values: %s" % r.stdout[:400])
r, _ = flops(reshape, "--value", "shape=8,3", fmt="csv")
rows = list(csv.reader(io.StringIO(r.stdout)))
check(r.returncode == 0 and rows[0][-1] == "given_values" and all(x[-1] == "shape=8,3" for x in rows[1:]),
      "CSV given_values on every row: %s" % rows)
r, _ = flops(reshape, fmt="csv")
check(r.returncode == 0 and "given_values" not in r.stdout.splitlines()[0], "no given_values column without --value")

# Resize, linear, to fed scales: out = floor(in x scale); 2 x 2^2 FLOPs per output element
resize = save("resize", [helper.make_node("Resize", ["X", "", "scales"], ["Y"], mode="linear")],
              [vi("X", TensorProto.FLOAT, [1, 3, 10, 10]), vi("scales", TensorProto.FLOAT, [4])],
              [vi("Y", TensorProto.FLOAT, None)])
r, j = flops(resize, "--value", "scales=1,1,2.5,0.3")
check(r.returncode == 0 and out_shape(j) == [1, 3, 25, 3] and j["totals"]["flops"] == 3 * 25 * 3 * 8,
      "Resize scales 2.5, 0.3 (float32 0.3 x 10 = 3.0000001): %s" % ((r.stderr, j and (out_shape(j), j["totals"])),))
check(j and j["given_values"][0]["values"] == [1, 1, 2.5, 0.3], "decimals read back: %s" % (j and j["given_values"]))
# a float16 input holds 0.8 as 0.7998046875 (float32: 0.800000012): 10 x that is 7.998, floor 7
resize16 = save("resize16", [helper.make_node("Resize", ["X", "", "scales"], ["Y"], mode="nearest")],
                [vi("X", TensorProto.FLOAT16, [1, 1, 10, 10]), vi("scales", TensorProto.FLOAT16, [4])],
                [vi("Y", TensorProto.FLOAT16, None)])
r, j = flops(resize16, "--value", "scales=1,1,0.8,2")
check(r.returncode == 0 and out_shape(j) == [1, 1, 7, 20], "float16 scale 0.8 rounds to 0.7998: %s" %
      ((r.stderr, j and out_shape(j)),))
usage_error(resize16, ["--value", "scales=1,1,1,70000"], "out of the range of float16")

# TopK's K, Pad's pads, Range's bounds
topk = save("topk", [helper.make_node("TopK", ["x", "k"], ["v", "i"], axis=1)],
            [vi("x", TensorProto.FLOAT, [3, 10]), vi("k", TensorProto.INT64, [1])],
            [vi("v", TensorProto.FLOAT, None), vi("i", TensorProto.INT64, None)])
r, j = flops(topk, "--value", "k=4")
check(r.returncode == 0 and out_shape(j, 0) == [3, 4] and out_shape(j, 1) == [3, 4], "TopK k=4: %s" % r.stdout[:300])
pad = save("pad", [helper.make_node("Pad", ["x", "pads"], ["y"])],
           [vi("x", TensorProto.FLOAT, [2, 3]), vi("pads", TensorProto.INT64, [4])], [vi("y", TensorProto.FLOAT, None)])
r, j = flops(pad, "--value", "pads=1,0,1,2")
check(r.returncode == 0 and out_shape(j) == [4, 5], "Pad 1,0,1,2 on 2x3 gives 4x5: %s" % r.stdout[:300])
rng = save("range", [helper.make_node("Range", ["s", "l", "d"], ["y"])],
           [vi("s", TensorProto.INT32, []), vi("l", TensorProto.INT32, []), vi("d", TensorProto.INT32, [])],
           [vi("y", TensorProto.INT32, None)], opset=11)
r, j = flops(rng, "--value", "s=0", "--value", "l=10", "--value", "d=3")
check(r.returncode == 0 and out_shape(j) == [4] and [v["name"] for v in j["given_values"]] == ["s", "l", "d"],
      "Range(0, 10, 3) has 4 elements: %s" % r.stdout[:300])

# Slice to an int64 end of 2^63 - 1, exactly (a double would round it to 2^63, out of int64)
big = 2 ** 63 - 1
slc = save("slice", [helper.make_node("Slice", ["x", "st", "en"], ["y"])],
           [vi("x", TensorProto.FLOAT, [10]), vi("st", TensorProto.INT64, [1]), vi("en", TensorProto.INT64, [1])],
           [vi("y", TensorProto.FLOAT, None)])
r, j = flops(slc, "--value", "st=2", "--value", "en=%d" % big)
check(r.returncode == 0 and out_shape(j) == [8] and j["given_values"][1]["values"] == [big],
      "Slice 2:2^63-1 of 10 gives 8, the end listed exactly: %s" % r.stdout[:400])

# an input with a default (an initializer of the same name): the given values replace it
dflt = save("default", [helper.make_node("Reshape", ["x", "shape"], ["y"])],
            [vi("x", TensorProto.FLOAT, [6, 4]), vi("shape", TensorProto.INT64, [2])], [vi("y", TensorProto.FLOAT, None)],
            [numpy_helper.from_array(np.array([4, 6], np.int64), "shape")])
r, j = flops(dflt)
check(r.returncode == 0 and out_shape(j) == [4, 6], "the default target 4x6: %s" % r.stdout[:300])
r, j = flops(dflt, "--value", "shape=3,8")
check(r.returncode == 0 and out_shape(j) == [3, 8], "--value replaces the default: %s" % r.stdout[:300])

# a symbolic shape needs --input; the count must then match
sym = save("sym", [helper.make_node("Reshape", ["x", "shape"], ["y"])],
           [vi("x", TensorProto.FLOAT, [6, 4]), vi("shape", TensorProto.INT64, ["n"])], [vi("y", TensorProto.FLOAT, None)])
usage_error(sym, ["--value", "shape=8,3"], "shape is not known", "--input shape=")
r, j = flops(sym, "--value", "shape=8,3", "--input", "shape=2")
check(r.returncode == 0 and out_shape(j) == [8, 3], "--input sets the shape the values fill: %s" % r.stderr)
usage_error(sym, ["--value", "shape=8,3", "--input", "shape=3"], "gives 2 values", "holds 3")

# the error paths: exit 2, a clear message, nothing printed on stdout
usage_error(reshape, ["--value", "shap=8,3"], "not an input of the model", "'x', 'shape'")
usage_error(reshape, ["--value", "shape=8,3,1"], "gives 3 values", "holds 2")
usage_error(reshape, ["--value", "shape=8,2.5"], "not a whole number", "int64")
usage_error(reshape, ["--value", "shape=8,1e30"], "outside the range of 64-bit integers")
usage_error(reshape, ["--value", "shape=8,x"], "'x' is not a number")
usage_error(reshape, ["--value", "shape"], "--value takes NAME=")
usage_error(reshape, ["--value", "shape=8,3", "--value", "shape=8,3"], "given twice")
usage_error(reshape, ["--value", "shape=" + ",".join(["1"] * 4097)], "4097 values", "at most 4096")
many = [a for k in range(65) for a in ("--value", "v%d=1,2,3" % k)]  # the 65th is refused after 64 were read
usage_error(reshape, many, "at most 64 --value options")
u8 = save("u8", [helper.make_node("Cast", ["b"], ["y"], to=TensorProto.INT64)],
          [vi("b", TensorProto.UINT8, [2])], [vi("y", TensorProto.INT64, None)])
usage_error(u8, ["--value", "b=1,300"], "300 is outside uint8's range, 0 to 255")
usage_error(u8, ["--value", "b=1,-1"], "outside uint8's range")
r, j = flops(u8, "--value", "b=7,255")
check(r.returncode == 0 and out_shape(j) == [2], "uint8 values in range are taken: %s" % r.stderr)
strs = save("str", [helper.make_node("Identity", ["s"], ["y"])],
            [vi("s", TensorProto.STRING, [1])], [vi("y", TensorProto.STRING, None)])
usage_error(strs, ["--value", "s=1"], "the input is string")
gguf = os.path.join(TMP, "given_%d.gguf" % os.getpid())
with open(gguf, "wb") as f:  # a GGUF v3 header with no tensors and no metadata
    f.write(b"GGUF" + (3).to_bytes(4, "little") + (0).to_bytes(8, "little") * 2)
usage_error(gguf, ["--value", "k=3"], "--value applies to ONNX models")
for r_ in (reshape, resize, resize16, topk, pad, rng, slc, dflt, sym, u8, strs, gguf):
    os.unlink(r_)

if fails:
    print("%d checks failed" % len(fails))
    sys.exit(1)
print("ok")
