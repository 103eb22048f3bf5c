"""measure(fn, *args, **kw): call fn(*args, **kw) in a child Python process
started by `ecometer run --json FILE -- python ...`, and return what the
function returned together with ecometer's result for that run.

The function and its arguments travel to the child with pickle, so fn must be
importable from the child (a module-level function, not a lambda or a local
function) and the arguments picklable. An exception in fn is raised again
here. The whole child process is measured: interpreter start-up and imports
included.
"""

import collections
import json
import os
import pickle
import subprocess
import sys
import tempfile

Measured = collections.namedtuple("Measured", ["value", "result"])

_CHILD = r"""
import pickle, sys, traceback
with open(sys.argv[1], "rb") as f:
    sys.path[:0] = pickle.load(f)  # first, so that fn's module can be imported
    fn, args, kw = pickle.load(f)
try:
    value, error = fn(*args, **kw), None
except BaseException as e:
    value, error = None, (e, traceback.format_exc())
with open(sys.argv[2], "wb") as f:
    try:
        pickle.dump((value, error), f)
    except Exception as e:
        pickle.dump((None, (TypeError("cannot return %r: %s" % (type(value).__name__, e)), "")), f)
sys.exit(1 if error else 0)
"""


def measure(fn, *args, ecometer="ecometer", ecometer_args=(), python=None, **kw):
    """Run fn(*args, **kw) under `ecometer run` and return Measured(value, result).

    value   what fn returned
    result  the parsed `ecometer run --json` object (duration_s, total_energy_j,
            co2e_g, domains, regions...)

    ecometer       the ecometer executable (name on PATH or path)
    ecometer_args  extra options for `ecometer run`, e.g. ["--region", "FR"]
    python         the interpreter for the child (default: this one)
    """
    with tempfile.TemporaryDirectory(prefix="ecometer-measure-") as tmp:
        call = os.path.join(tmp, "call.pickle")
        ret = os.path.join(tmp, "return.pickle")
        out = os.path.join(tmp, "result.json")
        with open(call, "wb") as f:
            # The child sees the same import path, so fn's module is found.
            pickle.dump([p for p in sys.path if p], f)
            pickle.dump((fn, args, kw), f)
        cmd = [ecometer, "run", *ecometer_args, "--json", out, "--",
               python or sys.executable, "-c", _CHILD, call, ret]
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except FileNotFoundError:
            raise RuntimeError("ecometer not found (%r); pass ecometer='/path/to/ecometer'" % ecometer) from None
        result = None
        if os.path.exists(out):
            with open(out) as f:
                result = json.load(f)
        if not os.path.exists(ret):
            raise RuntimeError("`ecometer run` failed (exit %d): %s" % (proc.returncode, proc.stderr.strip()))
        with open(ret, "rb") as f:
            value, error = pickle.load(f)
        if error is not None:
            exc, tb = error
            raise exc from RuntimeError("in the measured child:\n" + tb)
        if result is None:
            raise RuntimeError("`ecometer run` wrote no result (exit %d): %s" % (proc.returncode, proc.stderr.strip()))
        return Measured(value, result)
