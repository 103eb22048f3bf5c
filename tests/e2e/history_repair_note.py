#!/usr/bin/python3
"""A history left by a development build (this schema version, a runs column
missing) is repaired on open, and the command says so once on stderr as a
note: the store hands the sentence back (eco_history_note), the CLI prints it.
Both ways in: a reading command (`runs`) and a measuring one (`run`)."""
import os
import sqlite3
import subprocess
import sys

B = os.environ["ECOMETER_BIN"]
SRC = os.environ["ECOMETER_SRC"]
T = os.environ.get("ECO_TEST_TMPDIR") or "/tmp"
FX = os.path.join(SRC, "tests", "fixtures", "intel-2s-server")
ENV = dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(FX, "sys"),
           ECOMETER_CPUINFO=os.path.join(FX, "proc", "cpuinfo"))
ENV.pop("ECOMETER_SOCKET", None)
NOTE = "lacked columns of its schema version; added them"


def eco(*args):
    p = subprocess.run([B, *args], capture_output=True, text=True, env=ENV, timeout=120,
                       stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        sys.exit("FAIL: ecometer %s exited %d\nstderr: %s" % (" ".join(args), p.returncode, p.stderr))
    return p


def hole(db):
    c = sqlite3.connect(db)
    c.execute("ALTER TABLE runs DROP COLUMN tags")
    c.commit()
    c.close()


for cmd in ("runs", "run"):
    db = os.path.join(T, "holed-%s.db" % cmd)
    eco("run", "-q", "--db", db, "--region", "FR", "--name", "kept", "--", "true")
    hole(db)
    args = ["runs", "--db", db] if cmd == "runs" else ["run", "-q", "--db", db, "--region", "FR", "--", "true"]
    p = eco(*args)
    notes = [l for l in p.stderr.splitlines() if NOTE in l]
    if notes != ["ecometer: note: the history %s %s" % (db, NOTE)]:
        sys.exit("FAIL: %s on a holed history: expected the note once, stderr was:\n%s" % (cmd, p.stderr))
    again = eco("runs", "--db", db)
    if NOTE in again.stderr:
        sys.exit("FAIL: the note again after the repair:\n" + again.stderr)
    if "kept" not in again.stdout:
        sys.exit("FAIL: the stored run is gone after the repair:\n" + again.stdout)
print("ok: the repair note is printed once by the CLI, for runs and for run")
