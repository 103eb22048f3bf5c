#!/usr/bin/env python3
"""A run's start and end are the meter's (issue 12's run record): start_unix is
the moment of the meter's first reading, so the command it measures starts
after it, and end_unix - start_unix is the measured duration_s to the
microsecond, in `run --json` and in the history (`show --format json`).

Before, start_unix was stamped when the machine was described, before the
meter started (the embodied lookup and the first sensor reads came between),
and end_unix after the final save: end - start exceeded duration_s by the
final refresh and save."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecotest  # noqa: E402
from ecotest import check, SRC, TMP  # noqa: E402

FIX = os.path.join(SRC, "tests", "fixtures", "intel-2s-server")
tmp = os.path.join(TMP, "eco-start-end-%d" % os.getpid())
os.makedirs(tmp, exist_ok=True)
env = dict(os.environ, ECOMETER_SYSFS_ROOT=FIX + "/sys", ECOMETER_PROC_ROOT=FIX + "/proc",
           XDG_STATE_HOME=tmp, XDG_DATA_HOME=tmp)
eco = ecotest.eco_with(env)
out, child_t = os.path.join(tmp, "run.json"), os.path.join(tmp, "child.t")
db = os.path.join(tmp, "h.db")

before = time.time()
eco("run", "--quiet", "--db", db, "--json", out, "--",
    "/usr/bin/python3", "-c", "import time,sys; open(sys.argv[1],'w').write(repr(time.time())); time.sleep(0.4)",
    child_t)
after = time.time()
r = json.load(open(out))
child = float(open(child_t).read())
start, end, dur = r["start_unix"], r["end_unix"], r["duration_s"]
check(before <= start <= child, "start_unix %.6f between the call (%.6f) and the child's start (%.6f)"
      % (start, before, child))
check(end <= after, "end_unix %.6f not after ecometer returned (%.6f)" % (end, after))
check(dur >= 0.4, "duration_s %.4f covers the child's 0.4 s" % dur)
check(abs((end - start) - dur) < 1e-5, "end_unix - start_unix (%.6f) is duration_s (%.6f)" % (end - start, dur))
shown = json.loads(eco("show", "latest", "--db", db, "--format", "json").stdout)
check(abs(shown["start_unix"] - start) < 1e-5 and abs(shown["end_unix"] - end) < 1e-5,
      "the history keeps the same start and end (%.6f %.6f)" % (shown["start_unix"], shown["end_unix"]))
ecotest.finish()
