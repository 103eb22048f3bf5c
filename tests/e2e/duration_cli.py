#!/usr/bin/env python3
"""Durations: one parser (core/duration.c) and ONE message in every command
that takes one (issue 12). Before, each command worded its own ("--since %s:
give a duration such as 7d...", "%s takes a duration of at least %s, not
'%s'", "give a %s duration (e.g. %s)", "%s %s is out of range", the parser's
bare message...). Now each refused value, unreadable or out of the option's
range, gives exit 2 and
    ecometer: OPT 'VALUE': give a duration[ RANGE]
    ecometer: hint: [the parser's reason; ]durations look like ...
before measuring or touching the history. On the amd-epyc fixture."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import BIN, TMP, board_env  # noqa: E402

db = os.path.join(TMP, "h.db")
env = board_env("amd-epyc", db)
SERIES = os.path.join(TMP, "none.csv")
# (option, args with V for the value, values out of this option's range)
COMMANDS = [
    ("--for", ["run", "-q", "--for", "V", "--", "true"], ["0", "0s"]),
    ("--grace", ["run", "-q", "--grace", "V", "--", "true"], []),
    ("--interval", ["run", "-q", "--interval", "V", "--", "true"], ["0.5ms", "2h"]),
    ("--baseline", ["run", "-q", "--baseline", "V", "--", "true"], ["0.1s", "2d"]),
    ("--duration", ["monitor", "-q", "--duration", "V"], ["0"]),
    ("--interval", ["monitor", "-q", "--duration", "1s", "--interval", "V"], ["2h"]),
    ("--interval", ["top", "--count", "1", "--interval", "V"], ["1ms"]),
    ("--refresh", ["top", "--count", "1", "--refresh", "V"], ["10ms"]),
    ("--interval", ["serve", "--duration", "1s", "--interval", "V"], ["1ms"]),
    ("--duration", ["serve", "--duration", "V"], []),
    ("--duration", ["baseline", "--duration", "V"], ["0.5s", "2d"]),
    ("--interval", ["baseline", "--interval", "V"], ["2d"]),
    ("--best-window", ["carbon", "--series", SERIES, "--best-window", "V"], ["0", "400d"]),
    ("--runtime", ["estimate", "--gpu-power", "100", "--runtime", "V"], []),
    ("--lifetime", ["estimate", "--gpu-power", "100", "--runtime", "1h", "--lifetime", "V"], ["12h"]),
    ("--since", ["runs", "--since", "V"], []),
    ("--older-than", ["runs", "prune", "--older-than", "V"], []),
    ("--window", ["sensors", "--window", "V"], ["11s"]),
]
UNREADABLE = ["5x", "-1s", "", "4h30", "0x10", "1e3s", "30m 1h", "+5s", " 5s", "nan"]
SHAPE = re.compile(r"^ecometer: (--[a-z-]+) '(.*)': give a duration"
                   r"( (of at least|of at most|from|above) [0-9].*)?$")
failures = []


def eco(args):
    return subprocess.run([BIN] + args, env=env, capture_output=True, text=True, timeout=60)


p = eco(["run", "-q", "--", "true"])
if p.returncode != 0:
    print("FAIL: the stored run: %d %s" % (p.returncode, p.stderr))
    sys.exit(1)
stored = os.path.getsize(db)
for opt, args, out_of_range in COMMANDS:
    for v in UNREADABLE + out_of_range:
        p = eco([v if a == "V" else a for a in args])
        lines = p.stderr.splitlines()
        m = SHAPE.match(lines[0]) if lines else None
        where = "%s %s %r" % (args[0], opt, v)
        if p.returncode != 2 or not m or m.group(1) != opt or m.group(2) != v:
            failures.append("%s: exit %d, first line %r" % (where, p.returncode, lines[:1]))
        elif len(lines) < 2 or not lines[1].startswith("ecometer: hint: ") or "durations look like" not in lines[1]:
            failures.append("%s: no hint with the grammar: %r" % (where, lines[1:2]))
        elif v in out_of_range and not m.group(3):
            failures.append("%s: out of range, yet the message names no range: %r" % (where, lines[0]))
if os.path.getsize(db) != stored:
    failures.append("a refused duration changed the history")
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: %d options in %d commands refuse %d unreadable durations and their out-of-range ones with one message"
      % (len(COMMANDS), len({a[0] for _, a, _ in COMMANDS}), len(UNREADABLE)))
