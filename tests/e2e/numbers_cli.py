#!/usr/bin/env python3
"""Numbers in options go through core/numparse (issue 12): every numeric option
refuses with exit 2, and a first line naming the option, what strtol/strtod
took before: a leading '+' or blank, C's hex ("0x10" was 16 W of --power),
hex floats ("0x0.8p0" was a --utilization of 0.5), trailing text, and values
out of range; and still takes the plain value. On the amd-epyc fixture."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import BIN, TMP, board_env  # noqa: E402

env = board_env("amd-epyc", os.path.join(TMP, "h.db"))
NO_MODEL = os.path.join(TMP, "no-such-model.onnx")
CASES = [  # (option, args with V for the value, bad values, a good value or None: exit 0 expected)
    ("--limit", ["runs", "--limit", "V"], ["+5", " 5", "5 ", "0x5", "1e1", "0", "-1", "99999999999999999999"], None),
    ("--limit", ["hardware", "--limit", "V", "search", "a100"], ["+5", " 5", "0x5", "5.0", "10001"], "5"),
    ("--top", ["top", "--count", "1", "--top", "V"], ["+1", " 1", "0x1", "-1", "4294967297"], None),
    ("--count", ["top", "--top", "1", "--count", "V"], ["+1", "0", "1x", "0x1", "4294967297"], None),
    ("--top", ["serve", "--duration", "1s", "--top", "V"], ["+1", " 1", "0x1", "257"], None),
    ("--max-connections", ["serve", "--duration", "1s", "--max-connections", "V"], ["+4", "0x4", "0"], None),
    ("--epochs", ["run", "-q", "--no-history", "--epochs", "V", "--", "true"], ["+3", " 3", "0x3", "3.0"], "3"),
    ("--power", ["carbon", "--best-window", "4h", "--series", os.path.join(TMP, "none.csv"), "--power", "V"],
     ["0x10", "inf", "nan", "1e8", "-1", "12W"], None),
    ("--utilization", ["flops", NO_MODEL, "--device", "a100", "--utilization", "V"],
     ["0x0.8p0", "nan", "1.5", "0", ".5x"], None),
    ("--batch", ["flops", NO_MODEL, "--batch", "V"], ["+1", " 1", "0x1", "2147483649"], None),
    ("--gpus", ["estimate", "--runtime", "1h", "--gpu-power", "100", "--gpus", "V"], ["+1", "0x1", "1.5"], "2"),
    ("--gpu-power", ["estimate", "--runtime", "1h", "--gpu-power", "V"], ["0x10", "inf", "nan", "1e999"], "300"),
]
failures = []


def eco(args):
    return subprocess.run([BIN] + args, env=env, capture_output=True, text=True, timeout=60)


for opt, args, bad, good in CASES:
    for v in bad:
        p = eco([v if a == "V" else a for a in args])
        first = p.stderr.splitlines()[0] if p.stderr else ""
        if p.returncode != 2 or opt not in first:
            failures.append("%s %r: exit %d, first line %r" % (" ".join(args[:1] + [opt]), v, p.returncode, first))
    if good is not None:
        p = eco([good if a == "V" else a for a in args])
        if p.returncode != 0:
            failures.append("%s %s: exit %d: %s" % (args[0], opt, p.returncode, p.stderr[-400:]))
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: %d numeric options refuse signs, blanks, hex, trailing text and out-of-range values"
      % len(CASES))
