"""Shared by the e2e tests that export PyTorch models to ONNX
(onnx_torch_exports.py, onnx_value_models.py); not a test itself (not
executable). It imports no torch at load time: a test imports torch itself
and calls reexec_with_system_python() when that fails."""
import os
import sys


def reexec_with_system_python():
    """torch and onnx come from Debian packages: use the system interpreter
    when the one on PATH (a pyenv, a venv) does not see them."""
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3") \
            and not os.environ.get("ECO_REEXEC"):
        os.environ["ECO_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)


def export(path, model, args, **kwargs):
    """torch.onnx.export at opset 13 to path, unless path exists (a cache);
    written to a temporary name first, so an interrupted export leaves no
    half-written model behind for the next run to read."""
    import torch
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        tmp = path + ".tmp"
        torch.onnx.export(model, args, tmp, opset_version=13, **kwargs)
        os.replace(tmp, path)
    return path


def scope_of(node_name):
    """ONNX node name -> PyTorch module path. PyTorch 1.13+ names a node
    after its module scopes, where a child of a container is spelled
    '<container>.<child>': '/features/features.17/conv/conv.0/conv.0.0/Conv'
    -> 'features.17.conv.0.0'; '/layer1/layer1.0/conv1/Conv' -> 'layer1.0.conv1'."""
    parts = [p for p in node_name.split("/") if p][:-1]
    path, last = [], None
    for p in parts:
        path.append(p[len(last) + 1:] if last is not None and p.startswith(last + ".") else p)
        last = p
    return ".".join(path)
