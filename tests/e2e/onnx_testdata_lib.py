"""Shared by onnx_testdata.py and onnx_testdata_vs_onnx.py (not a test
itself: not executable, so the runner skips it): where Debian's
libonnx-testdata keeps ONNX's operator test models, the binary under test,
the skip (77) when python3-onnx or the data is missing, and the models."""
import glob
import os
import sys

DATA = "/usr/share/libonnx-testdata/data"
BIN = os.environ.get("ECOMETER_BIN", "build/ecometer")


def need_onnx_and_data():
    """The onnx module; exit 77 (skip) when it or the test data is missing."""
    try:
        import onnx
    except ImportError:
        print("skip: python3-onnx is not installed")
        sys.exit(77)
    if not os.path.isdir(DATA):
        print("skip: libonnx-testdata is not installed (%s)" % DATA)
        sys.exit(77)
    return onnx


def models():
    """Every test model, in a stable order."""
    return sorted(glob.glob(os.path.join(DATA, "*", "*", "model.onnx")))
