#!/usr/bin/env python3
"""Every run-record command against every format of the outputs table
(src/render/outputs.c), both ways (issue 12: "a format that a command does not
support is refused with exit 2 by the table"):
- a format the command offers is written, and is that format (JSON parses,
  CSV has its header (the record's, or export's power series), CodeCarbon its columns, Prometheus its TYPE lines, HTML
  is a document), never text in its place;
- any other (and an unknown name) exits 2 with the table's one message
  "CMD does not write --format 'F'" before anything runs or is stored.
`report` used to refuse with an if of its own and another message."""
import csv
import io
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
FORMATS = ["text", "json", "csv", "codecarbon", "prometheus", "html", "no-such-format"]
COMMANDS = {  # name: (args before --format, args after, formats offered, where the output goes)
    "run": (["run", "--carbon-intensity", "100"], ["--", "true"], {"text", "json", "csv"}, "stderr"),
    "monitor": (["monitor", "-q", "--carbon-intensity", "100", "--duration", "300ms"], [], {"text", "json", "csv"},
                "stderr"),
    "show": (["show", "latest"], [], {"text", "json", "csv"}, "stdout"),
    "export": (["export", "latest"], [], {"json", "csv", "codecarbon", "prometheus"}, "stdout"),
    "report": (["report", "latest", "-o", "-"], [], {"html"}, "stdout"),
}
failures = []


def is_format(fmt, text):
    try:
        if fmt == "json":
            return isinstance(json.loads(text), dict)
        if fmt == "csv":  # the record's rows, or export's power series (one row per sample and domain)
            head = next(csv.reader(io.StringIO(text)))
            return "section" in head or ("run_id" in head and "watts" in head)
        if fmt == "codecarbon":
            return "emissions" in next(csv.reader(io.StringIO(text)))
        if fmt == "prometheus":
            return "# TYPE ecometer_run_co2e_grams" in text
        if fmt == "html":
            return text.lstrip().lower().startswith("<!doctype html")
        if fmt == "text":  # the summary or the view: words, not one of the others
            return "CO2e" in text and not text.lstrip().startswith(("{", "<", "#", "section"))
    except (ValueError, StopIteration):
        return False
    return False


def eco(*args, run_env=env):
    return subprocess.run([BIN] + list(args), env=run_env, capture_output=True, text=True, timeout=60)


if eco("run", "-q", "--carbon-intensity", "100", "--", "true").returncode != 0:
    print("FAIL: the stored run")
    sys.exit(1)
for cmd, (before, after, offered, where) in COMMANDS.items():
    for fmt in FORMATS:
        fresh = os.path.join(TMP, "fresh-%s-%s.db" % (cmd, fmt))  # run/monitor: must not be created when refused
        p = eco(*(before + ["--format", fmt] + after), run_env=dict(env, ECOMETER_DB=fresh) if cmd in ("run", "monitor")
                else env)
        if fmt in offered:
            out = p.stderr if where == "stderr" else p.stdout
            if p.returncode != 0 or not is_format(fmt, out):
                failures.append("%s --format %s: exit %d, not %s:\n%s" % (cmd, fmt, p.returncode, fmt, out[:300]))
        else:
            first = p.stderr.splitlines()[0] if p.stderr else ""
            want = "ecometer: %s does not write --format '%s'" % (cmd, fmt)
            if p.returncode != 2 or first != want or p.stdout:
                failures.append("%s --format %s: exit %d, %r (want exit 2, %r)" % (cmd, fmt, p.returncode, first, want))
            if os.path.exists(fresh):
                failures.append("%s --format %s: refused, yet created the history" % (cmd, fmt))
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: %d commands x %d formats: offered ones written as such, the rest refused by the table (exit 2)"
      % (len(COMMANDS), len(FORMATS)))
