#!/usr/bin/python3
"""One rule for a run's tags and project in every command (meter/run_label.h):
a value `run --tag`/`--project` refuses is refused by `runs`, `runs prune`
and `runs delete` filters too, with exit status 2 and the same message; a
filter takes one tag (no ',')."""
import os
import subprocess
import sys

B = os.environ["ECOMETER_BIN"]
T = os.environ.get("ECO_TEST_TMPDIR") or "/tmp"
ENV = dict(os.environ, XDG_STATE_HOME=T, ECOMETER_DB=os.path.join(T, "label-rule.db"),
           ECOMETER_SYSFS_ROOT=os.path.join(os.environ["ECOMETER_SRC"], "tests/fixtures/intel-2s-server/sys"))


def fail(what):
    sys.exit("FAIL: " + what)


def eco(*args):
    return subprocess.run([B, *args], env=ENV, capture_output=True, text=True, timeout=60)


bad = {"--tag": ["", ",", "a\tb", "x" * 33], "--project": ["", "reid ", "a\x01b", "p" * 65]}
for opt, values in bad.items():
    for v in values:
        run = eco("run", "--no-history", opt, v, "--", "true")
        if run.returncode != 2 or not run.stderr.startswith("ecometer: "):
            fail("run %s %r: exit %d, %r" % (opt, v, run.returncode, run.stderr))
        for cmd in (["runs"], ["runs", "prune", "--older-than", "1d", "--yes"]):
            p = eco(*cmd, opt, v)
            if p.returncode != 2:
                fail("%s %s %r exited %d, not 2 as run does: %r" % (" ".join(cmd), opt, v, p.returncode, p.stderr))
            if p.stderr != run.stderr:
                fail("%s %s %r says %r; run says %r" % (" ".join(cmd), opt, v, p.stderr, run.stderr))

# a filter is one tag: "a,b" would match no run, so it is refused with a hint
p = eco("runs", "--tag", "kd,reid")
if p.returncode != 2 or "holds ','" not in p.stderr or "--tag kd" not in p.stderr:
    fail("runs --tag kd,reid: exit %d, %r" % (p.returncode, p.stderr))

# good values still select: a tagged run is listed by its tag and project
r = eco("run", "--tag", " kd ", "--project", "reid", "--", "true")
if r.returncode != 0:
    fail("run with a tag: %d %r" % (r.returncode, r.stderr))
for tag in ("kd", " kd "):  # spaces around a tag are dropped, as run drops them
    p = eco("runs", "--tag", tag, "--project", "reid", "--format", "csv")
    if p.returncode != 0 or len(p.stdout.strip().splitlines()) != 2:
        fail("runs --tag %r --project reid did not list the one run: %d %r %r" % (tag, p.returncode, p.stdout, p.stderr))
print("ok")
