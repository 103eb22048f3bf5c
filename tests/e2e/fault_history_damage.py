#!/usr/bin/env python3
"""Fault suite, damaged and foreign histories (issue 16).

60 copies of a history of 12 runs, each damaged at random (seeded: bytes
overwritten at random offsets, a page zeroed or filled with noise, the file
cut short). For every copy SQLite's own integrity_check says whether it is
damaged; then `ecometer run --db COPY --json J -- true` must:
  - on a damaged copy: leave it byte for byte as it was, say it is damaged,
    write the run to --json and to the fresh history it names (which holds
    the run);
  - on a whole copy: store the run in it.
`ecometer runs --db COPY` on a damaged copy says it is damaged (or that it
cannot be read) and never crashes. A SQLite file of another program (its own
tables, or its own application_id) is refused and left untouched; an older
ecometer history without an application id stays readable and is stamped
by the next writer."""
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys

SRC = os.environ["ECOMETER_SRC"]
BIN = os.environ["ECOMETER_BIN"]
TMP = os.environ["ECO_TEST_TMPDIR"]
MKRUN = os.path.join(os.environ["ECOMETER_BUILD"], "tests", "eco_mkrun")
APP_ID = 0x45434F4D
failures = []


def fail(msg):
    print("FAIL:", msg)
    failures.append(msg)


def env():
    e = dict(os.environ, XDG_DATA_HOME=os.path.join(TMP, "data"), XDG_STATE_HOME=TMP)
    e.pop("ECOMETER_SOCKET", None)
    e.pop("ECOMETER_DB", None)
    e["ECOMETER_SYSFS_ROOT"] = os.path.join(SRC, "tests", "fixtures", "intel-2s-server", "sys")
    e["ECOMETER_NVML_LIB"] = "/nonexistent/libnvidia-ml.so.1"
    return e


def ecometer(*args, timeout=60):
    return subprocess.run([BIN] + list(args), env=env(), capture_output=True, text=True, errors="replace", timeout=timeout)


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def integrity(path):
    try:
        c = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        c.text_factory = lambda b: b.decode("utf-8", "replace")
        try:
            return c.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            c.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as e:
        return str(e) or "error"


def count_runs(path):
    c = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return c.execute("SELECT count(*) FROM runs").fetchone()[0]
    finally:
        c.close()


# A history of 12 runs, checkpointed into the main file.
base = os.path.join(TMP, "base.db")
for i in range(12):
    subprocess.run([MKRUN, base, "run%02d" % i, "start=%d" % (1700000000 + 3600 * i)], check=True,
                   capture_output=True)
c = sqlite3.connect(base)
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.execute("PRAGMA journal_mode=DELETE")
c.close()
size = os.path.getsize(base)
page = 4096
rng = random.Random(16)
damaged = appended_silently = fresh_ok = whole_stored = reader_crash = 0
for trial in range(60):
    copy = os.path.join(TMP, "copy%02d.db" % trial)
    shutil.copy(base, copy)
    data = bytearray(open(copy, "rb").read())
    how = rng.choice(["bytes", "page", "noise", "cut"])
    if how == "bytes":
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif how == "page":
        p = rng.randrange(len(data) // page)
        data[p * page:(p + 1) * page] = bytes(page)
    elif how == "noise":
        p = rng.randrange(len(data) // page)
        data[p * page:(p + 1) * page] = bytes(rng.randrange(256) for _ in range(page))
    else:
        del data[rng.randrange(page, len(data)):]
    open(copy, "wb").write(bytes(data))
    verdict = integrity(copy)
    before = digest(copy)
    j = os.path.join(TMP, "copy%02d.json" % trial)
    p = ecometer("run", "--db", copy, "--json", j, "--interval", "50ms", "--", "true")
    if p.returncode != 0 or not os.path.exists(j) or json.load(open(j)).get("total_energy_j") is None:
        fail("copy %d (%s): the run's own result was lost: exit %d %s" % (trial, how, p.returncode, p.stderr[-300:]))
    if verdict != "ok":
        damaged += 1
        if digest(copy) != before:
            appended_silently += 1
            fail("copy %d (%s, %s): a damaged history was written to" % (trial, how, verdict[:60]))
            continue
        m = re.search(r"fresh history, (\S+) \(read it", p.stderr)
        if "damaged" in p.stderr and m and os.path.exists(m.group(1)) and count_runs(m.group(1)) == 1:
            fresh_ok += 1
        elif "not a readable ecometer history" not in p.stderr:
            fail("copy %d (%s): no word of the damage or no fresh history: %s" % (trial, how, p.stderr[-400:]))
        q = ecometer("runs", "--db", copy)
        if q.returncode < 0 or q.returncode > 2:
            reader_crash += 1
            fail("copy %d: 'runs' died (%d): %s" % (trial, q.returncode, q.stderr[-300:]))
        elif not re.search(r"damaged|malformed|not a readable|corrupt", q.stderr):
            fail("copy %d (%s): 'runs' did not say the history is damaged: %s" % (trial, how, q.stderr[-300:]))
    else:
        try:
            if count_runs(copy) == 13:
                whole_stored += 1
            else:
                fail("copy %d (%s): whole, but the run was not stored" % (trial, how))
        except sqlite3.DatabaseError as e:
            fail("copy %d: whole by integrity_check, then unreadable: %s" % (trial, e))
print("%d of 60 copies damaged: %d written to silently, %d runs kept in a fresh history; %d whole copies "
      "took the run" % (damaged, appended_silently, fresh_ok, whole_stored))
if damaged < 30:
    fail("only %d copies were damaged: the damage is too gentle to test anything" % damaged)

# Another program's SQLite file: its own tables.
other = os.path.join(TMP, "contacts.db")
c = sqlite3.connect(other)
c.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
c.execute("INSERT INTO contacts VALUES ('a', '1')")
c.commit()
c.close()
before = digest(other)
j = os.path.join(TMP, "other.json")
p = ecometer("run", "--db", other, "--json", j, "--interval", "50ms", "--", "true")
if digest(other) != before or "not an ecometer history" not in p.stderr or not os.path.exists(j):
    fail("another program's database: changed=%s, %s" % (digest(other) != before, p.stderr[-300:]))
q = ecometer("runs", "--db", other)
if q.returncode == 0 or "not an ecometer history" not in q.stderr:
    fail("runs on another program's database: exit %d %s" % (q.returncode, q.stderr[-300:]))
# ... or its own application id on an empty file.
tagged = os.path.join(TMP, "tagged.db")
c = sqlite3.connect(tagged)
c.execute("PRAGMA application_id = 1234567")
c.close()
before = digest(tagged)
p = ecometer("run", "--db", tagged, "--interval", "50ms", "--", "true")
if digest(tagged) != before or "application_id" not in p.stderr:
    fail("a file with another application id: changed=%s, %s" % (digest(tagged) != before, p.stderr[-300:]))

# An ecometer history from before the application id: read, then stamped.
old = os.path.join(TMP, "old.db")
shutil.copy(base, old)
c = sqlite3.connect(old)
c.execute("PRAGMA application_id = 0")
c.close()
q = ecometer("runs", "--db", old)
if q.returncode != 0 or "run11" not in q.stdout:
    fail("an older history without an application id is not readable: %s" % q.stderr[-300:])
p = ecometer("run", "--db", old, "--interval", "50ms", "--", "true")
c = sqlite3.connect(old)
app = c.execute("PRAGMA application_id").fetchone()[0]
n = c.execute("SELECT count(*) FROM runs").fetchone()[0]
c.close()
if p.returncode != 0 or app != APP_ID or n != 13:
    fail("an older history: exit %d, application_id %d, %d runs: %s" % (p.returncode, app, n, p.stderr[-300:]))
if failures:
    sys.exit(1)
print("ok: damaged histories never written to, runs kept in a fresh file; foreign files refused")
