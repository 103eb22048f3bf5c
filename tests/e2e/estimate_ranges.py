#!/usr/bin/env python3
"""`ecometer estimate` numbers (issue 16): every numeric input has a range
(docs/METHODOLOGY.md) and a value beyond it, or a number outside the
grammar, ends with exit 2 and a message; at the top of every range the
outputs (text, JSON, CSV) hold no inf, NaN or -0; durations take only
NUMBER UNIT parts (no exponent, no hex) and at most 100 years."""
import json
import os
import re
import subprocess
import sys

BIN = os.environ["ECOMETER_BIN"]
problems = []


def est(*args):
    env = dict(os.environ, ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1")
    return subprocess.run([BIN, "estimate"] + list(args), capture_output=True, text=True, env=env, timeout=30)


refused = [
    ["--runtime", "1h", "--gpu-power", "1e308"], ["--runtime", "1h", "--gpu-power", "10001"],
    ["--runtime", "1h", "--gpu-power", "0x10"], ["--runtime", "1h", "--gpu-power", "nan"],
    ["--runtime", "1h", "--gpu-power", "inf"], ["--runtime", "1h", "--gpu-power", "-1"],
    ["--runtime", "1h", "--gpu-power", "300", "--gpus", "1000001"],
    ["--runtime", "1h", "--gpu-power", "300", "--gpus", "99999999999999999999"],
    ["--runtime", "1h", "--gpu-power", "300", "--gpu-usage", "1.5"],
    ["--runtime", "1h", "--cpu-power", "1e300"], ["--runtime", "1h", "--cpu-power", "100001"],
    ["--runtime", "1h", "--cpu", "EPYC 7763", "--cores", "10000001"],
    ["--runtime", "1h", "--cpu-power", "100", "--cpu-usage", "101%"],
    ["--runtime", "1h", "--cpu-power", "100", "--memory", "1e300"],
    ["--runtime", "1h", "--cpu-power", "100", "--memory", "100000001"],
    ["--runtime", "1h", "--cpu-power", "100", "--pue", "1e300"],
    ["--runtime", "1h", "--cpu-power", "100", "--pue", "10.5"],
    ["--runtime", "1h", "--cpu-power", "100", "--pue", "0.9"],
    ["--runtime", "1h", "--cpu-power", "100", "--psf", "1000001"],
    ["--runtime", "1h", "--cpu-power", "100", "--carbon-intensity", "1e308"],
    ["--runtime", "1h", "--cpu-power", "100", "--carbon-intensity", "2001"],
    ["--runtime", "1e300", "--cpu-power", "100"], ["--runtime", "0x10", "--cpu-power", "100"],
    ["--runtime", "1e3s", "--cpu-power", "100"], ["--runtime", "+5s", "--cpu-power", "100"],
    ["--runtime", "10000000000000000000d", "--cpu-power", "100"],
    ["--runtime", "101y", "--cpu-power", "100"], ["--runtime", "36525d1s", "--cpu-power", "100"],
    ["--runtime", "1..5h", "--cpu-power", "100"], ["--runtime", "inf", "--cpu-power", "100"],
]
for args in refused:
    p = est(*args)
    if p.returncode != 2 or not p.stderr.startswith("ecometer: "):
        problems.append("%s: exit %d, %r" % (" ".join(args), p.returncode, (p.stdout + p.stderr)[-200:]))

edges = [
    ["--runtime", "36525d", "--gpu-power", "10000", "--gpus", "1000000", "--gpu-usage", "1",
     "--cpu-power", "100000", "--cpu-usage", "1", "--memory", "100000000", "--pue", "10",
     "--psf", "1000000", "--carbon-intensity", "2000"],
    ["--runtime", "36525d", "--gpu-power", "10000", "--gpus", "1000000", "--cpu-power", "100000",
     "--method", "mlco2", "--carbon-intensity", "2000", "--pue", "10"],
    ["--runtime", "0", "--gpu-power", "-0", "--gpus", "1", "--cpu-power", "-0.0", "--memory", "-0",
     "--carbon-intensity", "0"],
    ["--runtime", "0.0001ms", "--cpu-power", "0", "--region", "FR"],
]
bad = re.compile(r"(?<![A-Za-z])(inf|nan|-0(\.0*)?)(?![0-9.]*[1-9])(?![A-Za-z0-9])", re.I)
for args in edges:
    for fmt in ("text", "json", "csv"):
        p = est(*(args + ["--format", fmt]))
        if p.returncode != 0:
            problems.append("%s --format %s: exit %d %s" % (" ".join(args), fmt, p.returncode, p.stderr[-200:]))
            continue
        for line in p.stdout.splitlines():
            # the user's own words are echoed as the source of a figure ("--cpu-power -0.0")
            if bad.search(re.sub(r"--[a-z-]+ \S+", "", line)):
                problems.append("%s --format %s printed %r" % (" ".join(args[:4]), fmt, line.strip()[:120]))
                break
        if fmt == "json":
            json.loads(p.stdout, parse_constant=lambda c: problems.append("JSON constant " + c))
if problems:
    for x in problems:
        print("FAIL:", x)
    sys.exit(1)
print("ok: %d out-of-range or malformed inputs refused with exit 2; %d edge cases print finite numbers only"
      % (len(refused), len(edges)))
