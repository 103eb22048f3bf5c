#!/usr/bin/env python3
"""`--json FILE` and `show --format json --series` are the same object in the
cases record_outputs.py does not try (issue 12: "same keys, same values, same
nesting"): a command killed by a signal (exit_status null, term_signal 9), a
command's own exit status, a fixed-time run stopped by `--for`, a named and
tagged run, a `monitor` session (exit_status null, term_signal 0), and the
summary `run --format json` writes on stderr. A `--no-history` run writes
the same keys as a stored one and creates no history. Static fixture board:
no fixture writer, a few seconds."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import board_env, json_diff  # noqa: E402

BIN = os.environ["ECOMETER_BIN"]
TMP = os.environ["ECO_TEST_TMPDIR"]
failures = []


def env_for(db):
    return board_env("amd-epyc", db)


def case(name, cmd, args, want):
    """Run `ecometer CMD --json F ARGS`; F must equal show's object and hold want's values."""
    db = os.path.join(TMP, name + ".db")
    env, out = env_for(db), os.path.join(TMP, name + ".json")
    p = subprocess.run([BIN, cmd, "-q", "--carbon-intensity", "100", "--json", out] + args, env=env,
                       capture_output=True, text=True, timeout=60)
    try:
        mine = json.load(open(out))
    except (OSError, ValueError) as e:
        failures.append("%s: no JSON (exit %d, %s): %s" % (name, p.returncode, p.stderr[-300:], e))
        return None
    s = subprocess.run([BIN, "show", "latest", "--format", "json", "--series"], env=env, capture_output=True,
                       text=True, timeout=60)
    d = json_diff(mine, json.loads(s.stdout), ("--json", "show")) if s.returncode == 0 else ["show: exit %d %s" % (s.returncode, s.stderr)]
    if d:
        failures.append("%s: --json and show differ:\n    %s" % (name, "\n    ".join(d[:15])))
    got = {k: mine.get(k) for k in want}
    if got != want:
        failures.append("%s: %r, want %r" % (name, got, want))
    return mine


case("killed", "run", ["--", "sh", "-c", "kill -9 $$"], {"exit_status": None, "term_signal": 9, "complete": True})
case("exit3", "run", ["--", "sh", "-c", "exit 3"], {"exit_status": 3, "term_signal": 0})
case("fixed-time", "run", ["--for", "300ms", "--", "sleep", "30"], {"exit_status": None, "term_signal": 15})
case("labelled", "run", ["--name", "case-a", "--tag", "x,y", "--project", "p", "--", "true"],
     {"name": "case-a", "tags": "x,y", "project": "p"})
stored = case("plain", "run", ["--", "true"], {"kind": "run", "exit_status": 0})
case("monitor", "monitor", ["--duration", "300ms", "--interval", "100ms"],
     {"kind": "monitor", "exit_status": None, "term_signal": 0, "complete": True})

# the stderr summary in JSON is the file's object
env = env_for(os.path.join(TMP, "summary.db"))
p = subprocess.run([BIN, "run", "--format", "json", "--carbon-intensity", "100", "--json", os.path.join(TMP, "s.json"),
                    "--", "true"], env=env, capture_output=True, text=True, timeout=60)
try:
    d = json_diff(json.loads(p.stderr), json.load(open(os.path.join(TMP, "s.json"))))
except ValueError as e:
    d = ["stderr is not one JSON object: %s: %r" % (e, p.stderr[:300])]
if d:
    failures.append("run --format json on stderr vs --json:\n    %s" % "\n    ".join(d[:15]))

# --no-history: the same keys as a stored run, and no history file
db = os.path.join(TMP, "none.db")
out = os.path.join(TMP, "nohist.json")
p = subprocess.run([BIN, "run", "-q", "--no-history", "--carbon-intensity", "100", "--json", out, "--", "true"],
                   env=env_for(db), capture_output=True, text=True, timeout=60)
if p.returncode != 0 or os.path.exists(db):
    failures.append("--no-history: exit %d, history created: %s" % (p.returncode, os.path.exists(db)))
elif stored is not None:
    mine = json.load(open(out))
    keys = lambda o, pre="": sum(([pre + k] + keys(v, pre + k + ".") if isinstance(v, dict) else [pre + k]
                                  for k, v in o.items()), [])
    if set(keys(mine)) != set(keys(stored)):
        failures.append("--no-history keys differ: %r" % sorted(set(keys(mine)) ^ set(keys(stored))))
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: --json = show for a killed command, an exit status, --for, labels, monitor; the stderr JSON summary "
      "is the same object; --no-history writes the same keys")
