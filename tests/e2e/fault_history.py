#!/usr/bin/env python3
"""Fault suite, history database (issue 7): `ecometer run` and the history
commands when the database is locked by another process, read-only, corrupt,
or on a full disk, and when ecometer itself is killed mid-run.

Expected every time: a clear message naming the problem; the command's own
result (its exit status, the summary, --json) is never lost to a history
failure; a database that was there is left as it was (no truncation of a
corrupt file, no half-written run); after SIGKILL the database passes
PRAGMA integrity_check and keeps the run, marked incomplete.

Some cases need privileges: the read-only and disk-full cases use a private
mount namespace (unshare -m: a read-only bind mount, a 64 KiB tmpfs) because
root ignores file modes; the unprivileged read-only case runs as 'nobody'
through setpriv. Each is skipped with the reason when that is not allowed."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

SRC = os.environ["ECOMETER_SRC"]
BIN = os.environ["ECOMETER_BIN"]
TMP = os.environ["ECO_TEST_TMPDIR"]
failures = []
skipped = []


def fail(msg):
    print("FAIL:", msg)
    failures.append(msg)


def env_for(db):
    e = dict(os.environ, XDG_STATE_HOME=TMP, XDG_DATA_HOME=os.path.join(TMP, "data"), ECOMETER_DB=db)
    e.pop("ECOMETER_SOCKET", None)
    e["ECOMETER_SYSFS_ROOT"] = os.path.join(SRC, "tests", "fixtures", "intel-2s-server", "sys")
    e["ECOMETER_NVML_LIB"] = "/nonexistent/libnvidia-ml.so.1"
    return e


def run(db, cmd, json_path=None, prefix=(), timeout=90, extra=()):
    args = list(prefix) + [BIN, "run", "--db", db, "--interval", "50ms"] + list(extra)
    if json_path:
        args += ["--json", json_path]
    return subprocess.run(args + ["--"] + cmd, env=env_for(db), capture_output=True, text=True,
                          timeout=timeout)


def hist(db, *args, prefix=(), timeout=60):
    return subprocess.run(list(prefix) + [BIN] + list(args) + ["--db", db], env=env_for(db),
                          capture_output=True, text=True, timeout=timeout)


def integrity(db):
    c = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return c.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        c.close()


def result_kept(p, json_path, what, status=0):
    """The command's result survives a history failure."""
    if p.returncode != status:
        fail("%s: exit %d, expected the command's %d: %s" % (what, p.returncode, status, p.stderr[-500:]))
        return
    if "total" not in p.stderr:
        fail("%s: no summary on stderr: %s" % (what, p.stderr[-500:]))
    if json_path and not (os.path.exists(json_path) and json.load(open(json_path)).get("total_energy_j") is not None):
        fail("%s: --json not written" % what)


def warned(p, what, *words):
    err = p.stderr.lower()
    if "ecometer:" not in err or not any(w in err for w in words):
        fail("%s: no clear message (%s expected): %s" % (what, "/".join(words), p.stderr[-600:]))


# A database with one good run in it, to start from.
good = os.path.join(TMP, "good.db")
p = run(good, ["true"], extra=["-q"])
if p.returncode != 0 or integrity(good) != "ok":
    print("FAIL: cannot prepare a history database:", p.stderr)
    sys.exit(1)

# ---- locked: another process holds an exclusive transaction ----------------
# (a) held for the whole run: the measurement must not stall on it (the
#     checkpoints wait 250 ms, not the store's 15 s), the final save gives up
#     with a warning, the command's status and --json are intact;
# (b) released mid-run: the run is stored at the end all the same;
# readers are not blocked (WAL): 'runs' lists what is there.
locked = os.path.join(TMP, "locked.db")
shutil.copy(good, locked)
holder = sqlite3.connect(locked, timeout=0, isolation_level=None, check_same_thread=False)
holder.execute("BEGIN EXCLUSIVE")
j = os.path.join(TMP, "locked.json")
t0 = time.monotonic()
p = run(locked, ["sh", "-c", "sleep 1; exit 3"], j, timeout=120)
took = time.monotonic() - t0
result_kept(p, j, "locked database", status=3)
warned(p, "locked database (run)", "locked")
if os.path.exists(j):
    dur = json.load(open(j))["duration_s"]
    if not 0.9 <= dur < 3.0:
        fail("locked database: the measured run lasted %.2f s for a 1 s command (stalled on the lock?)" % dur)
q = hist(locked, "runs")
if q.returncode != 0 or "true" not in q.stdout:
    fail("locked database: 'runs' cannot read while a writer holds the lock: %s" % q.stderr)
threading = __import__("threading")
threading.Timer(2.0, lambda: holder.execute("ROLLBACK")).start()
p2 = run(locked, ["sh", "-c", "sleep 4"], timeout=120)
holder.close()
if p2.returncode != 0:
    fail("locked then released: exit %d: %s" % (p2.returncode, p2.stderr[-400:]))
q = hist(locked, "show", "latest", "--format", "json")
d = json.loads(q.stdout) if q.returncode == 0 else {}
if "sleep 4" not in d.get("command", "") or d.get("complete") is not True:
    fail("locked then released: the run was not stored at the end: %s" % q.stdout[:200])
if integrity(locked) != "ok":
    fail("locked database damaged")
print("locked: run exit 3 after %.1f s (measured %.2f s), result kept, warning; stored once the lock is gone" % (
    took, dur if os.path.exists(j) else -1))

# ---- corrupt: garbage bytes where the database should be -------------------
corrupt = os.path.join(TMP, "corrupt.db")
garbage = bytes((i * 7919 + 13) % 256 for i in range(8192))
open(corrupt, "wb").write(garbage)
j = os.path.join(TMP, "corrupt.json")
p = run(corrupt, ["true"], j)
result_kept(p, j, "corrupt database")
warned(p, "corrupt database (run)", "not a database", "corrupt", "malformed")
for cmd in (["runs"], ["show", "latest"]):
    q = hist(corrupt, *cmd)
    if q.returncode == 0:
        fail("corrupt database: '%s' succeeded" % " ".join(cmd))
    else:
        warned(q, "corrupt database (%s)" % cmd[0], "not a database", "corrupt", "malformed")
if open(corrupt, "rb").read() != garbage:
    fail("corrupt database: the file was changed (a user's file must not be overwritten)")
# a database whose pages are damaged after the header
damaged = os.path.join(TMP, "damaged.db")
shutil.copy(good, damaged)
with open(damaged, "r+b") as f:
    f.seek(4096)
    f.write(b"\xff" * 4096)
q = hist(damaged, "show", "latest")
if q.returncode == 0 and q.stdout.strip() == "":
    fail("damaged database: 'show' printed nothing and succeeded")
if q.returncode != 0:
    warned(q, "damaged database (show)", "corrupt", "malformed", "database", "not a database")
print("corrupt: run keeps its result, runs/show say so, the file is untouched")

# ---- read-only --------------------------------------------------------------
def as_nobody():
    if shutil.which("setpriv") is None:
        return None
    probe = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "true"],
                           capture_output=True)
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if probe.returncode == 0 else None


nobody = as_nobody()
shared = tempfile.mkdtemp(prefix="eco-fault-ro-")
try:
    os.chmod(shared, 0o755)
    ro = os.path.join(shared, "ro.db")
    shutil.copy(good, ro)
    os.chmod(ro, 0o644)
    exe_ok = nobody and subprocess.run(nobody + [BIN, "--version"], capture_output=True).returncode == 0
    if not exe_ok:
        skipped.append("read-only as an unprivileged user: cannot run ecometer as nobody here")
    else:
        before = open(ro, "rb").read()
        jn = os.path.join(shared, "out.json")
        open(jn, "w").close()
        os.chmod(jn, 0o666)
        p = run(ro, ["true"], jn, prefix=nobody)
        result_kept(p, jn, "read-only database (nobody)")
        warned(p, "read-only database (run as nobody)", "read-only", "readonly", "permission", "cannot")
        q = hist(ro, "runs", prefix=nobody)
        if q.returncode != 0 or "true" not in q.stdout:
            fail("read-only database: 'runs' as nobody cannot read it: %s" % q.stderr)
        if open(ro, "rb").read() != before:
            fail("read-only database changed")
        print("read-only (nobody): run warns and keeps its result; runs reads it")
finally:
    shutil.rmtree(shared, ignore_errors=True)


def in_namespace(script):
    """Run a shell script in a private mount namespace (mounts vanish with it)."""
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                          env=env_for(""), capture_output=True, text=True, timeout=120)


can_mount = shutil.which("unshare") and in_namespace(
    "mkdir -p %s/mnt-probe && mount -t tmpfs -o size=64k tmpfs %s/mnt-probe" % (TMP, TMP)).returncode == 0
if not can_mount:
    skipped.append("read-only bind mount and full disk: mounting in a private namespace is not permitted here")
else:
    # read-only as root: a read-only bind mount of the directory
    rodir = os.path.join(TMP, "rodir")
    os.mkdir(rodir)
    shutil.copy(good, os.path.join(rodir, "h.db"))
    jr = os.path.join(TMP, "ro-root.json")
    script = ("mount --bind {d} {d} && mount -o remount,bind,ro {d} && "
              "{b} run --db {d}/h.db --interval 50ms --json {j} -- true; echo \"rc=$?\" >&2; "
              "{b} runs --db {d}/h.db").format(d=rodir, b=BIN, j=jr)
    p = in_namespace(script)
    if "rc=0" not in p.stderr or not os.path.exists(jr):
        fail("read-only mount: the run's result was lost: %s" % p.stderr[-600:])
    warned(p, "read-only mount (run)", "read-only", "readonly", "cannot")
    if "true" not in p.stdout:
        fail("read-only mount: 'runs' could not read the database: %s" % p.stdout[-300:])
    print("read-only (bind mount, root): run warns and keeps its result; runs reads it")

    # disk full: a 64 KiB tmpfs holding a database with one run, then filled
    full = os.path.join(TMP, "full")
    os.mkdir(full)
    jf = os.path.join(TMP, "full.json")
    script = ("mount -t tmpfs -o size=64k tmpfs {d} && cp {g} {d}/h.db && "
              "(dd if=/dev/zero of={d}/filler bs=1k count=1024 2>/dev/null; true) && "
              "{b} run --db {d}/h.db --interval 50ms --json {j} -- sleep 0.5; echo \"rc=$?\" >&2; "
              "cp {d}/h.db {t}/full-after.db; df -k {d} >&2").format(d=full, g=good, b=BIN, j=jf, t=TMP)
    p = in_namespace(script)
    if "rc=0" not in p.stderr or not os.path.exists(jf):
        fail("full disk: the run's result was lost: %s" % p.stderr[-800:])
    warned(p, "full disk (run)", "full", "no space", "disk", "cannot")
    after = os.path.join(TMP, "full-after.db")
    if not os.path.exists(after) or integrity(after) != "ok":
        fail("full disk: the database is damaged or gone")
    else:
        q = hist(after, "runs")
        if q.returncode != 0 or "true" not in q.stdout:
            fail("full disk: the run stored before is lost: %s %s" % (q.stdout, q.stderr))
    print("full disk (64 KiB tmpfs): run warns and keeps its result; the stored run and the database are intact")

# ---- ecometer itself killed mid-run ------------------------------------------
killed = os.path.join(TMP, "killed.db")
shutil.copy(good, killed)
for sig in (signal.SIGKILL, signal.SIGTERM):
    proc = subprocess.Popen([BIN, "run", "--db", killed, "--interval", "20ms", "-q", "--", "sleep", "30"],
                            env=env_for(killed), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(6.5)  # past the start save and the first 5 s checkpoint
    try:
        kids = open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)).read().split()
    except OSError:
        kids = []
    proc.send_signal(sig)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("SIGTERM: ecometer did not stop within 30 s")
    for k in kids:  # the orphaned 'sleep 30' after SIGKILL: ours, by pid
        try:
            os.kill(int(k), signal.SIGKILL)
        except OSError:
            pass
    name = signal.Signals(sig).name
    if integrity(killed) != "ok":
        fail("%s: integrity_check fails afterwards" % name)
    q = hist(killed, "show", "latest", "--format", "json")
    d = json.loads(q.stdout) if q.returncode == 0 else {}
    if "sleep 30" not in d.get("command", ""):
        fail("%s: the run is not in the history: %s %s" % (name, q.stdout[:300], q.stderr))
    elif sig == signal.SIGKILL and d.get("complete") is not False:
        fail("SIGKILL: the run should be marked incomplete: complete=%s" % d.get("complete"))
    elif sig == signal.SIGTERM and not (d.get("complete") is True or d.get("term_signal") == 15):
        fail("SIGTERM: the run should be finished and say the command was terminated: %s" % {
            k: d.get(k) for k in ("complete", "exit_status", "term_signal")})
    print("%s mid-run: integrity ok, run stored (complete=%s, term_signal=%s)" % (
        name, d.get("complete"), d.get("term_signal")))
    # SIGKILL: the last checkpoint (every 5 s) is what survives; SIGTERM: all of it
    if d and not d.get("duration_s", 0) >= (4.5 if sig == signal.SIGKILL else 6.0):
        fail("%s: what was measured before the signal is lost (duration %s)" % (name, d.get("duration_s")))

for s in skipped:
    print("not run:", s)
if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok: locked, corrupt, read-only, full disk, SIGKILL and SIGTERM mid-run")
