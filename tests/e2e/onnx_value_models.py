#!/usr/bin/env python3
"""Models whose exports compute shapes with small integer subgraphs (value
propagation, docs/METHODOLOGY.md), counted by `ecometer flops` and checked
against an eager PyTorch count made here, independently of ONNX:

- Swin-T (window padding: Shape -> Gather -> Mod -> Concat -> Pad);
- SSDlite320 MobileNetV3 and Faster R-CNN MobileNetV3-320 FPN (anchors, box
  decoding, NMS: a data-dependent part);
- a small model using torch.flip and F.pad with amounts computed from shapes,
  exported once with fixed sizes and once with symbolic H and W.

"Complete" (docs/METHODOLOGY.md): no node partial, every graph output's shape
known. For the detection models, what follows NonMaxSuppression / TopK on
scores depends on the image: those nodes must be flagged data-dependent, and
everything else (backbone, FPN, heads) must be complete and match the eager
count of the same modules within 1%.

Eager count: Conv2d MACs from forward hooks (output elements x C_in/groups x
kernel), F.linear and matmul/bmm through a TorchFunctionMode (torchvision's
Swin calls F.linear directly, so module hooks on Linear would miss them).
Exports are cached under $ECOMETER_BUILD/torch_exports (torch version in the
name), so reruns skip the slow export."""
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torchtest  # noqa: E402
from torchtest import scope_of  # noqa: E402


try:
    import torch
    import torch.nn.functional as F
    import torchvision
    from torch.overrides import TorchFunctionMode
except ImportError as e:
    torchtest.reexec_with_system_python()
    print(f"skip: PyTorch or torchvision is not installed ({e}); install python3-torch python3-torchvision")
    sys.exit(77)

BIN = os.environ.get("ECOMETER_BIN", "build/ecometer")
CACHE = os.path.join(os.environ.get("ECOMETER_BUILD", "build"), "torch_exports")
TAG = "v1-torch" + torch.__version__.split("+")[0]
torch.manual_seed(0)
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


# ------------------------------------------------------------ eager count
MATMULS = {torch.matmul, torch.Tensor.matmul, torch.Tensor.__matmul__, torch.bmm, torch.Tensor.bmm}


class LinearMatmulCounter(TorchFunctionMode):
    """MACs of F.linear and matmul calls, attributed to the module running."""

    def __init__(self, scope):
        super().__init__()
        self.scope = scope  # list: the stack of module names
        self.macs = {}

    def add(self, n):
        key = self.scope[-1] if self.scope else ""
        self.macs[key] = self.macs.get(key, 0) + n

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if func is F.linear:
            w = args[1] if len(args) > 1 else kwargs["weight"]
            self.add(args[0].numel() // w.shape[1] * w.shape[0] * w.shape[1])
        elif func in MATMULS:
            self.add(math.prod(out.shape) * args[0].shape[-1])
        return out


def eager_macs(model, x):
    """{module name: MACs} for convolutions, linear layers and matmuls."""
    scope, macs, hooks = [], {}, []

    def pre(name):
        return lambda m, i: scope.append(name)

    def post(name):
        def hook(m, i, o):
            scope.pop()
            if isinstance(m, torch.nn.Conv2d):
                macs[name] = macs.get(name, 0) + o.numel() * (m.in_channels // m.groups) * math.prod(m.kernel_size)
        return hook

    for name, mod in model.named_modules():
        hooks.append(mod.register_forward_pre_hook(pre(name)))
        hooks.append(mod.register_forward_hook(post(name)))
    with torch.no_grad(), LinearMatmulCounter(scope) as mc:
        model(x)
    for h in hooks:
        h.remove()
    for k, v in mc.macs.items():
        macs[k] = macs.get(k, 0) + v
    return macs


def under(name, prefixes):
    return any(name == p or name.startswith(p + ".") for p in prefixes)


# ------------------------------------------------------------ the models
class FlipPad(torch.nn.Module):
    """F.pad with amounts computed from the input's size, and torch.flip
    (a Slice with step -1 and an end below -dim)."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.mix = torch.nn.Conv2d(8, 8, 1)

    def forward(self, x):
        y = self.conv(x)
        h, w = y.shape[-2], y.shape[-1]
        y = F.pad(y, (0, (7 - w % 7) % 7, 0, (7 - h % 7) % 7))  # up to a multiple of 7
        y = y + torch.flip(y, [-1])
        y = F.pad(y, (0, y.shape[-1] - 40))  # the F.pad(x, (0, W - 52)) pattern
        return self.mix(y)


def export(name, model, args, dynamic_axes=None, input_names=None):
    return torchtest.export(os.path.join(CACHE, f"{name}-{TAG}.onnx"), model, args, dynamic_axes=dynamic_axes,
                            input_names=input_names)


def flops_json(path, *extra):
    p = subprocess.run([BIN, "flops", path, "--format", "json"] + list(extra), capture_output=True, text=True,
                       timeout=120)
    check(p.returncode == 0, f"{path}: exit {p.returncode}: {p.stderr.strip()[:300]}")
    return json.loads(p.stdout) if p.returncode == 0 else None


def within(a, b, rel=0.01):
    return b > 0 and abs(a - b) <= rel * b


def shapes_known(j):
    return all(isinstance(o["shape"], list) and all(isinstance(d, int) for d in o["shape"]) for o in j["outputs"])


def check_complete(name, model, x, path):
    eager = sum(eager_macs(model, x).values())
    j = flops_json(path)
    if j is None:
        return
    t = j["totals"]
    check(t["partial_nodes"] == 0 and t["complete"], f"{name}: not complete: {t}")
    check(shapes_known(j), f"{name}: output shapes {[o['shape'] for o in j['outputs']]}")
    check(within(t["macs"], eager), f"{name}: ecometer {t['macs']} MACs, eager count {eager}")
    print(f"{name}: {t['macs']} MACs (eager {eager}), complete, outputs {[o['shape'] for o in j['outputs']]}")


def check_detection(name, model, x, path, static, per_unit):
    """static: module prefixes whose cost follows from the input shape; per_unit:
    modules run once per detection/proposal (data-dependent count)."""
    eager = eager_macs(model, x)
    j = flops_json(path)
    if j is None:
        return
    t = j["totals"]
    check(t["partial_nodes"] == 0, f"{name}: {t['partial_nodes']} partial nodes: " +
          ", ".join(f"{n['name']} ({n.get('unknown')})" for n in j["nodes"] if n.get("partial"))[:600])
    check(t["data_dependent_nodes"] > 0 and not t["complete"], f"{name}: the NMS part must be flagged: {t}")
    static_eager = sum(v for k, v in eager.items() if under(k, static))
    static_eco = sum(n["macs"] for n in j["nodes"] if under(scope_of(n["name"]), static))
    flagged = [n["name"] for n in j["nodes"] if under(scope_of(n["name"]), static) and n.get("data_dependent")]
    check(not flagged, f"{name}: data-dependent nodes inside the static part: {flagged[:5]}")
    check(within(static_eco, static_eager), f"{name}: static part {static_eco} MACs, eager {static_eager}")
    for mod in per_unit:  # counted per unit of the data-dependent size
        nodes = [n for n in j["nodes"] if under(scope_of(n["name"]), [mod]) and n["macs"] > 0]
        check(nodes and all(n.get("data_dependent") for n in nodes), f"{name}: {mod} not flagged data-dependent")
    print(f"{name}: static part {static_eco} MACs (eager {static_eager}), "
          f"{t['data_dependent_nodes']} data-dependent nodes, 0 partial")


def check_symbolic_flip_pad():
    path = export("flip_pad2_dynamic", FlipPad().eval(), torch.randn(1, 3, 30, 40),
                  dynamic_axes={"x": {2: "H", 3: "W"}}, input_names=["x"])
    j = flops_json(path)
    if j is None:
        return
    shape = j["outputs"][0]["shape"]
    check(shape[:2] == [1, 8] and all(isinstance(d, str) and d != "?" for d in shape[2:]),
          f"flip_pad symbolic: output shape {shape} should keep H and W as expressions")
    check(j["totals"]["partial_nodes"] == 0, f"flip_pad symbolic: partial nodes {j['totals']}")
    print(f"flip_pad with symbolic H, W: output {shape}")
    j2 = flops_json(path, "--input", "x=1x3x30x40")
    if j2:
        check(j2["outputs"][0]["shape"] == [1, 8, 35, 44], f"flip_pad --input: {j2['outputs'][0]['shape']}")


def main():
    tv = torchvision.models
    fp = FlipPad().eval()
    x = torch.randn(1, 3, 30, 40)
    check_complete("flip_pad", fp, x, export("flip_pad2", fp, x))
    check_symbolic_flip_pad()

    swin = tv.swin_t(weights=None).eval()
    x = torch.randn(1, 3, 224, 224)
    check_complete("swin_t", swin, x, export("swin_t", swin, x))

    det = tv.detection
    img = [torch.rand(3, 320, 320)]
    ssd = det.ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None).eval()
    check_detection("ssdlite320", ssd, img, export("ssdlite320", ssd, (img,)), ["backbone", "head"], [])
    frcnn = det.fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None).eval()
    check_detection("fasterrcnn_mobilenet_320", frcnn, img, export("fasterrcnn_mobilenet_320", frcnn, (img,)),
                    ["backbone", "rpn.head"], ["roi_heads.box_head", "roi_heads.box_predictor"])
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all value-propagation model checks passed")
    return 0


sys.exit(main())
