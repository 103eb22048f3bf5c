#!/usr/bin/python3
"""Value propagation (src/model/value_eval.c, sym_expr.c) operator by operator:
each small graph computes an int64 vector from constants with the operator
under test and feeds it to ConstantOfShape, so the values ecometer
propagates become the output's shape, compared with numpy's result for the
same operator. Then symbolic dimensions (Range(0, seq) keeps seq,
ceil(H/7)*7 is printed as an expression) and hostile graphs (a 10^9-element
ConstantOfShape, a deep chain of shape arithmetic, a chain of large
tensors) that must end quickly with a note saying what was given up."""
import json
import shutil
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError as e:
    print(f"skip: python3-onnx or numpy is not installed ({e})")
    sys.exit(77)

BIN = os.environ.get("ECOMETER_BIN", "build/ecometer")
TMP = tempfile.mkdtemp(prefix="eco_values_", dir=os.environ.get("ECO_TEST_TMPDIR"))
failures = []
INT64_MIN_PLUS_1 = -(2 ** 63) + 1  # what torch.flip exports as the end of a reversed Slice


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def const(name, value, dtype=np.int64):
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.array(value, dtype=dtype)))


def run(nodes, name, inputs=(), opset=13, extra=(), timeout=60):
    graph = helper.make_graph(nodes, name, list(inputs),
                              [helper.make_tensor_value_info("y", TensorProto.UNDEFINED, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    path = os.path.join(TMP, name + ".onnx")
    onnx.save(model, path)
    p = subprocess.run([BIN, "flops", path, "--format", "json"] + list(extra), capture_output=True, text=True,
                       timeout=timeout)
    check(p.returncode == 0, f"{name}: exit {p.returncode}: {p.stderr.strip()[:300]}")
    return json.loads(p.stdout) if p.returncode == 0 else None


def as_shape(nodes, name, expected, opset=13):
    """nodes compute int64 'v'; ConstantOfShape(v) -> y; y's shape must be expected."""
    j = run(nodes + [helper.make_node("ConstantOfShape", ["v"], ["y"])], name, opset=opset)
    if j:
        got = j["outputs"][0]["shape"]
        check(got == [int(x) for x in expected], f"{name}: ecometer {got}, numpy {list(expected)}")


def value_cases():
    a, b = np.array([3, 9, 2]), np.array([5, 4, 2])
    as_shape([const("a", a), const("b", b), helper.make_node("Less", ["a", "b"], ["c"]),
              helper.make_node("Where", ["c", "a", "b"], ["v"])], "where_less", np.where(a < b, a, b))
    m, d = np.array([7, -7, 9]), np.array([3, 3, -4])
    as_shape([const("m", m), const("d", d), helper.make_node("Mod", ["m", "d"], ["r"]),
              helper.make_node("Abs", ["r"], ["v"])], "mod_abs", np.abs(np.mod(m, d)))
    as_shape([const("m", m), const("d", d), helper.make_node("Mod", ["m", "d"], ["r"], fmod=1),
              helper.make_node("Abs", ["r"], ["v"])], "fmod_abs", np.abs(np.fmod(m, d)))
    h = np.array([50, 56, 57])
    as_shape([const("h", h), const("seven", 7.0, np.float32), helper.make_node("Cast", ["h"], ["hf"], to=1),
              helper.make_node("Div", ["hf", "seven"], ["q"]), helper.make_node("Ceil", ["q"], ["cq"]),
              helper.make_node("Cast", ["cq"], ["v"], to=7)], "ceil_div", np.ceil(h / 7.0))
    rl = np.array([-3, 4, 0])  # Relu, as the expansion of Range does for its trip count
    as_shape([const("x", rl), const("two", [2, 2, 2]), helper.make_node("Relu", ["x"], ["rx"]),
              helper.make_node("Add", ["rx", "two"], ["v"])], "relu_add", np.maximum(rl, 0) + 2)
    r = np.array([2.5, 3.5, 0.4], np.float32)
    as_shape([const("r", r, np.float32), helper.make_node("Round", ["r"], ["rr"]),
              helper.make_node("Cast", ["rr"], ["v"], to=7)], "round_half_even", np.round(r))
    s = np.array([16.0, 81.0], np.float32)
    as_shape([const("s", s, np.float32), helper.make_node("Sqrt", ["s"], ["q"]),
              helper.make_node("Floor", ["q"], ["f"]), helper.make_node("Cast", ["f"], ["v"], to=7)],
             "sqrt_floor", np.floor(np.sqrt(s)))
    as_shape([const("a", [2, 3]), const("b", [3, 2]), helper.make_node("Pow", ["a", "b"], ["v"])], "pow",
             np.power([2, 3], [3, 2]))
    x2 = np.array([[2, 5], [3, 4]])
    for op, fn in (("ReduceMax", np.max), ("ReduceMin", np.min), ("ReduceProd", np.prod)):
        as_shape([const("x", x2), helper.make_node(op, ["x"], ["v"], axes=[0], keepdims=0)], op.lower(), fn(x2, 0))
    as_shape([const("x", x2), const("ax", [1]), helper.make_node("ReduceSum", ["x", "ax"], ["v"], keepdims=0)],
             "reducesum", x2.sum(1))
    t = np.array([[1, 2, 3], [4, 5, 6]])
    as_shape([const("t", t), const("flat", [-1]), helper.make_node("Transpose", ["t"], ["tt"], perm=[1, 0]),
              helper.make_node("Reshape", ["tt", "flat"], ["v"])], "transpose_reshape", t.T.reshape(-1))
    fl = np.array([[1, 2], [3, 4], [5, 6]])
    as_shape([const("x", fl), const("st", [-1]), const("en", [INT64_MIN_PLUS_1]), const("ax", [0]),
              const("sp", [-1]), const("flat", [-1]),
              helper.make_node("Slice", ["x", "st", "en", "ax", "sp"], ["s"]),
              helper.make_node("Reshape", ["s", "flat"], ["v"])], "slice_flip_2d", fl[::-1].reshape(-1))
    as_shape([const("x", t), const("i", [[2], [0]]), const("flat", [-1]),
              helper.make_node("Gather", ["x", "i"], ["g"], axis=1),
              helper.make_node("Reshape", ["g", "flat"], ["v"])], "gather_2d", np.take(t, [[2], [0]], 1).reshape(-1))
    as_shape([const("p", [[1], [2]]), const("q", [[3], [4]]), const("flat", [-1]),
              helper.make_node("Concat", ["p", "q"], ["c"], axis=1),
              helper.make_node("Reshape", ["c", "flat"], ["v"])], "concat_axis1", [1, 3, 2, 4])
    as_shape([const("x", [1, 2]), const("s", [3, 2]), const("flat", [-1]),
              helper.make_node("Expand", ["x", "s"], ["e"]),
              helper.make_node("Reshape", ["e", "flat"], ["v"])], "expand", np.broadcast_to([1, 2], (3, 2)).reshape(-1))
    as_shape([const("x", [1, 2]), const("k", [2]), helper.make_node("Tile", ["x", "k"], ["v"])], "tile",
             np.tile([1, 2], 2))
    as_shape([const("a", 1), const("l", 7), const("d", 2), helper.make_node("Range", ["a", "l", "d"], ["v"])],
             "range", np.arange(1, 7, 2))
    as_shape([const("a", [1, 2]), const("b", [1, 3]), helper.make_node("Equal", ["a", "b"], ["e"]),
              helper.make_node("Not", ["e"], ["n"]), helper.make_node("Cast", ["n"], ["v"], to=7)],
             "equal_not_cast", [0, 1])
    as_shape([const("a", [1, 5]), const("b", [4, 2]), const("c", [3, 3]),
              helper.make_node("Max", ["a", "b", "c"], ["v"])], "max_variadic", [4, 5])
    as_shape([const("a", [2, 3]), helper.make_node("Neg", ["a"], ["n"]), helper.make_node("Neg", ["n"], ["v"])],
             "neg_neg", [2, 3])
    as_shape([const("s", [3]), helper.make_node("ConstantOfShape", ["s"], ["v"],
                                                value=numpy_helper.from_array(np.array([2], np.int64)))],
             "constant_of_shape_values", [2, 2, 2])
    then_g = helper.make_graph([const("t", [4, 5])], "then", [], [helper.make_tensor_value_info("t", 7, [2])])
    else_g = helper.make_graph([const("e", [6])], "else", [], [helper.make_tensor_value_info("e", 7, [1])])
    as_shape([const("p", 3), const("q", 2), helper.make_node("Greater", ["p", "q"], ["c"]),
              helper.make_node("If", ["c"], ["v"], then_branch=then_g, else_branch=else_g)], "if_known", [4, 5])


def sym_input(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def symbolic_cases():
    # Range(0, seq) keeps seq
    j = run([helper.make_node("Shape", ["x"], ["s"]), const("zero", 0), const("one", 1),
             helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
             helper.make_node("Range", ["zero", "n", "one"], ["y"])], "range_seq", [sym_input("x", ["seq"])])
    if j:
        check(j["outputs"][0]["shape"] == ["seq"], f"Range(0, seq): {j['outputs'][0]['shape']}")
    # ceil(H/7)*7, as exported window padding computes it
    j = run([helper.make_node("Shape", ["x"], ["s"]), const("one", 1), const("seven", 7.0, np.float32),
             const("k", 7), const("ax", [0]), const("lead", [1]),
             helper.make_node("Gather", ["s", "one"], ["h"], axis=0),
             helper.make_node("Cast", ["h"], ["hf"], to=1), helper.make_node("Div", ["hf", "seven"], ["q"]),
             helper.make_node("Ceil", ["q"], ["cq"]), helper.make_node("Cast", ["cq"], ["ci"], to=7),
             helper.make_node("Mul", ["ci", "k"], ["p"]), helper.make_node("Unsqueeze", ["p", "ax"], ["pu"]),
             helper.make_node("Concat", ["lead", "pu"], ["v"], axis=0),
             helper.make_node("ConstantOfShape", ["v"], ["y"])], "ceil_h_7", [sym_input("x", [1, "H"])])
    if j:
        shape = j["outputs"][0]["shape"]
        check(shape == [1, "7*ceil(H/7)"], f"ceil(H/7)*7 printed as an expression: {shape}")
        check(j["totals"]["partial_nodes"] == 0, "ceil(H/7)*7: no partial node")


def hostile_cases():
    # a 10^9-element ConstantOfShape whose values would decide a Reshape
    j = run([const("big", [1000, 1000, 1000]), const("two", [2]), const("ax", [0]),
             helper.make_node("ConstantOfShape", ["big"], ["c"], value=numpy_helper.from_array(np.array([1], np.int64))),
             helper.make_node("ReduceSum", ["c"], ["s"], keepdims=0),
             helper.make_node("Unsqueeze", ["s", "ax"], ["su"]),
             helper.make_node("Concat", ["two", "su"], ["shape"], axis=0),
             helper.make_node("ConstantOfShape", ["shape"], ["r"],
                              value=numpy_helper.from_array(np.array([0], np.float32))),
             helper.make_node("Transpose", ["r"], ["rt"], perm=[1, 0]),
             helper.make_node("MatMul", ["rt", "x2"], ["y"])], "hostile_big",
            [sym_input("x2", [2, 4])], timeout=20)
    if j:
        notes = " ".join(j["notes"])
        check("4096 elements" in notes, f"10^9-element ConstantOfShape: a note names the bound: {j['notes']}")
        check(j["totals"]["partial_nodes"] >= 1 and not j["totals"]["complete"],
              f"10^9 elements: the MatMul is partial: {j['totals']}")
        mm = [n for n in j["nodes"] if n["op"] == "MatMul"][0]
        check(mm.get("partial") and "rt" in mm.get("unknown", ""), f"the footnote names the unknown: {mm}")
    # the same partial model in text and CSV, and a device estimate from it, say so too
    path = os.path.join(TMP, "hostile_big.onnx")
    p = subprocess.run([BIN, "flops", path, "--device", "a100"], capture_output=True, text=True, timeout=20)
    check(p.returncode == 0 and "lower bound: 1 node partial" in p.stdout and "MatMul" in p.stdout and
          "device estimate above is a lower bound" in p.stdout, f"text says lower bound: {p.stdout[-600:]}")
    p = subprocess.run([BIN, "flops", path, "--device", "a100", "--format", "json"], capture_output=True,
                       text=True, timeout=20)
    check(p.returncode == 0 and json.loads(p.stdout)["device"].get("lower_bound") is True,
          "JSON device estimate flagged lower_bound")
    p = subprocess.run([BIN, "flops", path, "--format", "csv"], capture_output=True, text=True, timeout=20)
    check(p.returncode == 0 and any(l.startswith("MatMul") and ",partial," in l for l in p.stdout.splitlines()),
          f"CSV status partial: {p.stdout[-300:]}")
    # a size computed from the input's contents (a box width cast to int) is data-dependent, not partial
    j = run([helper.make_node("ReduceMax", ["x"], ["m"], keepdims=0), helper.make_node("Cast", ["m"], ["mi"], to=7),
             const("ax", [0]), const("one", [1]), helper.make_node("Unsqueeze", ["mi", "ax"], ["mu"]),
             helper.make_node("Concat", ["one", "mu"], ["shape"], axis=0),
             helper.make_node("ConstantOfShape", ["shape"], ["c"],
                              value=numpy_helper.from_array(np.array([0], np.float32))),
             helper.make_node("Transpose", ["c"], ["ct"], perm=[1, 0]),
             helper.make_node("MatMul", ["ct", "w"], ["y"])], "size_from_data",
            [sym_input("x", [4]), sym_input("w", [1, 3])])
    if j:
        mm = [n for n in j["nodes"] if n["op"] == "MatMul"][0]
        check(mm.get("data_dependent") and not mm.get("partial") and j["totals"]["partial_nodes"] == 0,
              f"a size from the input's values is data-dependent: {mm}, {j['totals']}")
    # a deep chain of shape arithmetic on a symbol: n = 3n + 1, 3000 times
    nodes = [helper.make_node("Shape", ["x"], ["s0"]), const("three", 3), const("one", 1), const("ax", [0])]
    prev = "s0"
    for i in range(3000):
        nodes += [helper.make_node("Mul", [prev, "three"], [f"m{i}"]),
                  helper.make_node("Add", [f"m{i}", "one"], [f"a{i}"])]
        prev = f"a{i}"
    nodes.append(helper.make_node("ConstantOfShape", [prev], ["y"]))
    j = run(nodes, "hostile_chain", [sym_input("x", ["N"])], timeout=20)
    if j:
        check(any("longer than" in n for n in j["notes"]), f"deep symbolic chain: a note: {j['notes']}")
        check(j["outputs"][0]["shape"] == ["?"], f"deep chain: the result is unknown: {j['outputs'][0]['shape']}")
    # large tensors through many nodes: the step budget stops value propagation
    nodes = [const("n", [4096]), helper.make_node("ConstantOfShape", ["n"], ["t0"],
                                                  value=numpy_helper.from_array(np.array([1], np.int64)))]
    for i in range(700):
        nodes.append(helper.make_node("Add", [f"t{i}", "t0"], [f"t{i + 1}"]))
    nodes.append(helper.make_node("Identity", ["t700"], ["y"]))
    j = run(nodes, "hostile_steps", timeout=20)
    if j:
        check(any("element operations" in n for n in j["notes"]), f"step budget: a note: {j['notes']}")
        check(j["outputs"][0]["shape"] == [4096], f"step budget: shapes still inferred: {j['outputs'][0]['shape']}")


value_cases()
symbolic_cases()
hostile_cases()
shutil.rmtree(TMP, ignore_errors=True)
if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("all value-propagation checks passed")
