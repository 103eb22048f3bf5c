#!/usr/bin/env python3
"""Real architectures exported by PyTorch (Debian's python3-torch and
python3-torchvision, random weights, nothing downloaded) checked three ways:

1. per-layer MACs of `ecometer flops --format json` against counts derived
   in this file from each layer's hyper-parameters (formulas below, shapes
   from PyTorch forward hooks);
2. graph-output shapes and every node's output shapes against ONNX's own
   shape inference (onnx.shape_inference.infer_shapes);
3. the total MACs of Conv/ConvTranspose/Gemm/MatMul/LSTM nodes against an
   independent count made here from ONNX's inferred shapes.

The hand counts are first checked against the independent ONNX count, so
this file's own formulas are tested even before the ONNX side of `flops`
exists (it then exits 77 after those checks, saying so).
MAC = one multiply-accumulate (docs/METHODOLOGY.md)."""
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torchtest  # noqa: E402
from torchtest import scope_of  # noqa: E402


try:
    import onnx
    import torch
    import torchvision
    from onnx import numpy_helper, shape_inference  # noqa: F401
except ImportError as e:
    torchtest.reexec_with_system_python()
    print(f"skip: PyTorch, torchvision or onnx is not installed ({e}); "
          "install python3-torch python3-torchvision python3-onnx")
    sys.exit(77)

BIN = os.environ.get("ECOMETER_BIN", "build/ecometer")
TMP = os.environ.get("ECO_TEST_TMPDIR", "/tmp")
torch.manual_seed(0)
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def prod(xs):
    return math.prod(int(x) for x in xs)


# ---------------------------------------------------------------- hand counts
# Each formula counts multiply-accumulates from the layer's hyper-parameters
# and the input/output shapes PyTorch saw (forward hooks).

def macs_conv(m, x, y):
    # every output element: (C_in / groups) x prod(kernel) MACs
    return prod(y.shape) * (m.in_channels // m.groups) * prod(m.kernel_size)


def macs_conv_transpose(m, x, y):
    # every *input* element scatters into (C_out / groups) x prod(kernel)
    # outputs; counting over output positions would over-count by ~stride^d
    return prod(x.shape) * (m.out_channels // m.groups) * prod(m.kernel_size)


def macs_linear(m, x, y):
    return prod(x.shape[:-1]) * m.in_features * m.out_features


def macs_lstm(m, x, y):
    seq, batch = (x.shape[1], x.shape[0]) if m.batch_first else (x.shape[0], x.shape[1])
    dirs = 2 if m.bidirectional else 1
    h = m.hidden_size
    total = 0
    for layer in range(m.num_layers):
        i = m.input_size if layer == 0 else h * dirs
        total += seq * batch * dirs * 4 * h * (i + h)  # 4 gates: W x + R h
    return total


def macs_mha(m, x, y):
    # self-attention, batch_first: in-projection (3 E x E), scores Q K^T and
    # the weighted sum A V (each L x L x E over all heads), out-projection.
    n, l, e = (x.shape if m.batch_first else (x.shape[1], x.shape[0], x.shape[2]))
    return n * (l * e * 3 * e + 2 * l * l * e + l * e * e)


HANDLERS = [
    (torch.nn.MultiheadAttention, macs_mha),
    (torch.nn.LSTM, macs_lstm),
    (torch.nn.modules.conv._ConvTransposeNd, macs_conv_transpose),
    (torch.nn.modules.conv._ConvNd, macs_conv),
    (torch.nn.Linear, macs_linear),
]


def hand_counts(model, x):
    counts = {}
    hooks = []
    for name, mod in model.named_modules():
        for cls, fn in HANDLERS:
            if isinstance(mod, cls):
                def hook(m, inp, out, name=name, fn=fn):
                    y = out[0] if isinstance(out, tuple) else out
                    # keyword-only calls (torchvision's attention) leave inp
                    # empty; self-attention's output has the query's shape
                    x_in = inp[0] if inp else y
                    counts[name] = counts.get(name, 0) + fn(m, x_in, y)
                hooks.append(mod.register_forward_hook(hook))
                break
    # With gradients on, PyTorch skips the fused fast path of its transformer
    # layers, so every submodule runs (and its hook fires) as in the export.
    model(x)
    for h in hooks:
        h.remove()
    return counts


# ------------------------------------------------------ ONNX-side independent count
def onnx_shapes(model):
    """name -> list of dims (ints, or None where unknown) from ONNX's inference."""
    inferred = shape_inference.infer_shapes(model)
    shapes = {}
    g = inferred.graph
    for vi in list(g.input) + list(g.value_info) + list(g.output):
        t = vi.type.tensor_type
        if t.HasField("shape"):
            shapes[vi.name] = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
    for init in g.initializer:
        shapes[init.name] = list(init.dims)
    return inferred, shapes


def onnx_node_macs(node, shapes):
    def s(i):
        return shapes.get(node.input[i]) if i < len(node.input) and node.input[i] else None

    def attr(name, default):
        for a in node.attribute:
            if a.name == name:
                return onnx.helper.get_attribute_value(a)
        return default

    out = shapes.get(node.output[0])
    op = node.op_type
    if op == "Conv":
        return prod(out) * prod(s(1)[1:])
    if op == "ConvTranspose":
        return prod(s(0)) * prod(s(1)[1:])
    if op == "Gemm":
        a = s(0)
        k = a[0] if attr("transA", 0) else a[1]
        return prod(out) * k
    if op == "MatMul":
        a = s(0)
        return prod(out) * a[-1]
    if op == "LSTM":
        x, w, r = s(0), s(1), s(2)
        seq, batch = x[0], x[1]
        dirs, four_h, i = w
        return seq * batch * dirs * four_h * (i + r[2])
    return None


def in_scope(node_scope, module):
    return node_scope == module or node_scope.startswith(module + ".")


# ----------------------------------------------------------------- the models
class ConvT3d(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.up = torch.nn.ConvTranspose3d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2)
        self.act = torch.nn.ReLU()
        self.mix = torch.nn.Conv3d(6, 2, 1)

    def forward(self, x):
        return self.mix(self.act(self.up(x)))


class BiLSTM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(8, 16, num_layers=2, bidirectional=True)
        self.head = torch.nn.Linear(32, 3)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.head(y)


class Encoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        layer = torch.nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True)
        self.enc = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = torch.nn.Linear(32, 5)

    def forward(self, x):
        return self.head(self.enc(x))


def models():
    tv = torchvision.models
    return [
        ("resnet18", tv.resnet18(weights=None), torch.randn(1, 3, 64, 64)),
        ("mobilenet_v2", tv.mobilenet_v2(weights=None), torch.randn(1, 3, 64, 64)),
        ("vit_tiny", tv.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2,
                                          hidden_dim=32, mlp_dim=64, num_classes=10, dropout=0.0),
         torch.randn(1, 3, 32, 32)),
        ("convtranspose3d", ConvT3d(), torch.randn(1, 4, 5, 5, 5)),
        ("bilstm2", BiLSTM(), torch.randn(7, 1, 8)),
        ("transformer_encoder", Encoder(), torch.randn(1, 10, 32)),
    ]


def ecometer_json(path):
    p = subprocess.run([BIN, "flops", path, "--format", "json"], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def has_onnx_flops():
    # Only while the build has no `flops` command at all; once it exists,
    # any failure on these ONNX files is a failure of this test.
    p = subprocess.run([BIN, "flops", "--help"], capture_output=True, text=True)
    return "no command 'flops'" not in p.stdout + p.stderr


def shape_matches(eco_shape, onnx_shape):
    if onnx_shape is None or any(d is None for d in onnx_shape):
        return True  # ONNX itself does not know: nothing to compare
    return list(eco_shape) == list(onnx_shape)


def main():
    with_ecometer = has_onnx_flops()
    coverage = []
    for name, model, x in models():
        model.eval()
        hand = hand_counts(model, x)
        path = os.path.join(TMP, name + ".onnx")
        torchtest.export(path, model, x)
        m = onnx.load(path)
        inferred, shapes = onnx_shapes(m)

        # Independent ONNX count, per node and per module scope.
        node_macs = {}
        for node in inferred.graph.node:
            v = onnx_node_macs(node, shapes)
            if v is not None:
                node_macs[node.name] = v
        indep_total = sum(node_macs.values())
        for mod, v in hand.items():
            got = sum(c for n, c in node_macs.items() if in_scope(scope_of(n), mod))
            check(got == v, f"{name}: hand count for {mod} = {v}, ONNX-shape count {got}")
        check(indep_total == sum(hand.values()),
              f"{name}: ONNX-shape total {indep_total} != hand total {sum(hand.values())}")

        if not with_ecometer:
            coverage.append(f"{name}: {len(hand)} layers, hand = ONNX count {indep_total} MACs")
            continue

        rc, out, err = ecometer_json(path)
        check(rc == 0, f"{name}: ecometer exit {rc}: {err.strip()}")
        if rc != 0:
            continue
        j = json.loads(out)
        eco_nodes = {n["name"]: n for n in j["nodes"]}
        # 1. per layer, against the hand formulas
        for mod, v in hand.items():
            got = sum(n.get("macs") or 0 for nn, n in eco_nodes.items() if in_scope(scope_of(nn), mod))
            check(got == v, f"{name}: {mod}: ecometer {got} MACs, hand {v}")
        # 3. totals of the linear ops, against the ONNX-shape count
        eco_linear = sum(eco_nodes[n].get("macs") or 0 for n in node_macs if n in eco_nodes)
        check(eco_linear == indep_total, f"{name}: ecometer linear-op MACs {eco_linear} != ONNX count {indep_total}")
        check(j["totals"]["macs"] >= indep_total, f"{name}: totals.macs {j['totals']['macs']} < {indep_total}")
        # 2. shapes, against ONNX's shape inference
        for o in j["outputs"]:
            check(shape_matches(o["shape"], shapes.get(o["name"])),
                  f"{name}: output {o['name']} shape {o['shape']} vs ONNX {shapes.get(o['name'])}")
        compared = 0
        for n in j["nodes"]:
            for o in n.get("outputs", []):
                ref = shapes.get(o["name"])
                if ref is not None and None not in ref and isinstance(o.get("shape"), list):
                    compared += 1
                    check(o["shape"] == ref, f"{name}: node {n['name']} output {o['name']} {o['shape']} vs ONNX {ref}")
        check(j.get("unsupported") == [], f"{name}: unsupported ops {j.get('unsupported')}")
        coverage.append(f"{name}: {len(hand)} layers by hand, {len(node_macs)} linear nodes, "
                        f"{compared} node shapes compared, total {j['totals']['macs']} MACs")

    for line in coverage:
        print(line)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    if not with_ecometer:
        print("skip: hand counts agree with ONNX's shapes, but this build's `flops` does not read ONNX yet")
        return 77
    print("all PyTorch export checks passed")
    return 0


sys.exit(main())
