#!/usr/bin/env python3
"""--carbon-intensity: one rule and one message in EVERY command that takes it
(issue 12), at the edges carbon_intensity_rule.sh does not try.

- The nine commands that take it (run, monitor, estimate, top, serve, and the
  stored-run commands show, export, report, compare) refuse each bad value
  with exit 2 and the same first line, before measuring or touching the
  history: negative, nan, inf, 1e9, 12abc, empty, just above 2000, and C's
  hexadecimal floats (0x10, which strtod reads as 16).
- 0 and "-0" are accepted and are 0: a stored run re-priced at -0 has
  co2e_g 0 in JSON and no "-0" in the text (it printed "-0 g at -0 gCO2e/kWh")."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import board_env  # noqa: E402

BIN = os.environ["ECOMETER_BIN"]
TMP = os.environ["ECO_TEST_TMPDIR"]
db = os.path.join(TMP, "h.db")
env = board_env("amd-epyc", db)
COMMANDS = [  # (name, args before the value, args after it)
    ("run", ["run", "-q", "--carbon-intensity"], ["--", "true"]),
    ("monitor", ["monitor", "-q", "--duration", "1s", "--carbon-intensity"], []),
    ("estimate", ["estimate", "--runtime", "1h", "--gpu-power", "100", "--carbon-intensity"], []),
    ("top", ["top", "--count", "1", "--carbon-intensity"], []),
    ("serve", ["serve", "--duration", "1s", "--carbon-intensity"], []),
    ("show", ["show", "latest", "--carbon-intensity"], []),
    ("export", ["export", "latest", "--format", "json", "--carbon-intensity"], []),
    ("report", ["report", "latest", "-o", os.path.join(TMP, "r.html"), "--carbon-intensity"], []),
    ("compare", ["compare", "latest", "latest", "--carbon-intensity"], []),
]
BAD = ["-1", "-0.5", "nan", "inf", "-inf", "1e9", "12abc", "", "2000.0001", "0x10", "0x1p4", "12 "]
failures = []


def eco(*args):
    return subprocess.run([BIN] + list(args), env=env, capture_output=True, text=True, timeout=60)


p = eco("run", "-q", "--carbon-intensity", "400", "--", "true")
if p.returncode != 0:
    print("FAIL: the stored run: %d %s" % (p.returncode, p.stderr))
    sys.exit(1)
stored = os.path.getsize(db)
for v in BAD:
    want = "ecometer: carbon intensity '%s' is not a number of gCO2e/kWh in 0..2000" % v
    for name, before, after in COMMANDS:
        p = eco(*(before + [v] + after))
        first = p.stderr.splitlines()[0] if p.stderr else ""
        if p.returncode != 2 or first != want:
            failures.append("%s --carbon-intensity %r: exit %d, first line %r" % (name, v, p.returncode, first))
if os.path.getsize(db) != stored or len(json.loads(eco("runs", "--format", "json").stdout)) != 1:
    failures.append("a refused --carbon-intensity changed the history")
for v in ("0", "-0"):
    p = eco("export", "latest", "--format", "json", "--carbon-intensity", v)
    run = json.loads(p.stdout) if p.returncode == 0 else {}
    if p.returncode != 0 or run.get("co2e_g") != 0 or run.get("intensity", {}).get("g_per_kwh") != 0:
        failures.append("export --carbon-intensity %s: exit %d, co2e_g %r, intensity %r"
                        % (v, p.returncode, run.get("co2e_g"), run.get("intensity")))
    for args in (["show", "latest"], ["estimate", "--runtime", "1h", "--gpu-power", "100"]):
        p = eco(*(args + ["--carbon-intensity", v]))
        if p.returncode != 0 or "-0 g" in p.stdout + p.stderr:
            failures.append("%s --carbon-intensity %s: exit %d, prints '-0 g':\n%s"
                            % (args[0], v, p.returncode, (p.stdout + p.stderr)[-600:]))
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: %d bad values refused alike by %d commands (exit 2, one message); 0 and -0 give 0 g"
      % (len(BAD), len(COMMANDS)))
