#!/usr/bin/env python3
"""ecometer run's fault cases: exit status passed on, a child killed by a
signal reported (128+N), an unwritable --json refused before the command
starts, SIGTERM and SIGINT to ecometer forwarded to the child with the summary
and the JSON still written, a command that cannot be started."""
import json
import os
import signal
import subprocess
import sys
import time

BIN = os.environ["ECOMETER_BIN"]
TMP = os.environ["ECO_TEST_TMPDIR"]
ENV = dict(os.environ, XDG_STATE_HOME=TMP, ECOMETER_DB=os.path.join(TMP, "h.db"))
ENV.pop("ECOMETER_SOCKET", None)
fixture = os.path.join(os.environ["ECOMETER_SRC"], "tests/fixtures/intel-2s-server")
if os.path.isdir(fixture):
    ENV["ECOMETER_SYSFS_ROOT"] = fixture  # the same sensors everywhere


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


# Paths that cannot be written even by root: below a regular file.
AFILE = os.path.join(TMP, "a-file")
open(AFILE, "w").close()
BAD = os.path.join(AFILE, "sub")


def run(args, **kw):
    return subprocess.run([BIN, "run", "--no-history", "--interval", "50ms"] + args, env=ENV,
                          capture_output=True, text=True, timeout=60, **kw)


# exit status passed on, summary on stderr
p = run(["--", "sh", "-c", "exit 7"])
if p.returncode != 7:
    fail(f"exit status 7 expected, got {p.returncode}: {p.stderr}")
if "exit status 7" not in p.stderr or "total" not in p.stderr:
    fail("summary missing: " + p.stderr)

# child killed by a signal: 128+9, reported, JSON says so
j = os.path.join(TMP, "killed.json")
p = run(["--json", j, "--", "sh", "-c", "kill -9 $$"])
if p.returncode != 137:
    fail(f"137 expected for SIGKILL, got {p.returncode}")
if "killed by signal 9" not in p.stderr:
    fail("signal not reported: " + p.stderr)
d = json.load(open(j))
if d["term_signal"] != 9 or d["exit_status"] is not None:
    fail(f"JSON: term_signal {d['term_signal']} exit_status {d['exit_status']}")

# unwritable --json: refused before the command starts (exit 2, command not run)
marker = os.path.join(TMP, "ran")
p = run(["--json", os.path.join(BAD, "x.json"), "--", "touch", marker])
if p.returncode != 2 or os.path.exists(marker):
    fail(f"unwritable --json: rc {p.returncode}, command ran: {os.path.exists(marker)}")
if "cannot write" not in p.stderr:
    fail("no reason given: " + p.stderr)

# a command that does not exist: 127 and a hint, like a shell
p = run(["--", "/no/such/command-xyz"])
if p.returncode != 127 or "cannot run" not in p.stderr:
    fail(f"missing command: rc {p.returncode}: {p.stderr}")

# no command at all: usage error
p = run([])
if p.returncode != 2:
    fail(f"no command: rc {p.returncode}")

# SIGTERM to ecometer: forwarded; the child dies of it; summary and JSON written
j = os.path.join(TMP, "term.json")
t0 = time.time()
proc = subprocess.Popen([BIN, "run", "--no-history", "--json", j, "--", "sleep", "30"], env=ENV,
                        stderr=subprocess.PIPE, text=True)
time.sleep(0.7)
proc.send_signal(signal.SIGTERM)
err = proc.communicate(timeout=20)[1]
if time.time() - t0 > 15:
    fail("SIGTERM was not forwarded (ecometer waited for sleep 30)")
if proc.returncode != 128 + signal.SIGTERM:
    fail(f"143 expected after SIGTERM, got {proc.returncode}: {err}")
if "passed on" not in err or "total" not in err:
    fail("summary after SIGTERM missing: " + err)
d = json.load(open(j))
if d["term_signal"] != signal.SIGTERM or d["duration_s"] < 0.5:
    fail(f"JSON after SIGTERM: {d['term_signal']} {d['duration_s']}")

# SIGINT to ecometer: forwarded; a child that handles it exits 0 cleanly
j = os.path.join(TMP, "int.json")
ready = os.path.join(TMP, "int.ready")
child = ("import signal,sys,time\n"
         "signal.signal(signal.SIGINT, lambda *a: (print('child: interrupted, saving'), sys.exit(0)))\n"
         "open(%r, 'w').close()\n"
         "time.sleep(30)\n" % ready)
proc = subprocess.Popen([BIN, "run", "--no-history", "--json", j, "--", sys.executable, "-c", child], env=ENV,
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
# wait until the child's handler is in place (python starts slowly on a loaded machine)
for _ in range(400):
    if os.path.exists(ready):
        break
    time.sleep(0.05)
proc.send_signal(signal.SIGINT)
out, err = proc.communicate(timeout=20)
if proc.returncode != 0 or "interrupted, saving" not in out:
    fail(f"SIGINT: rc {proc.returncode}, child said {out!r}, {err}")
d = json.load(open(j))
for key in ("duration_s", "exit_status", "total_energy_j", "co2e_g", "baseline_w", "domains", "attributed", "regions"):
    if key not in d:
        fail("JSON lacks " + key)
if d["exit_status"] != 0:
    fail("JSON exit_status after SIGINT: %r" % d["exit_status"])
print("ok: exit status, signal death, unwritable JSON, missing command, SIGTERM and SIGINT forwarding")

# --- the history: saved at the start (complete = false) and at the end ---
db = os.path.join(TMP, "hist.db")
env = dict(ENV, ECOMETER_DB=db)
p = subprocess.run([BIN, "run", "-q", "--", "true"], env=env, capture_output=True, text=True, timeout=60)
if p.returncode != 0:
    fail("run with history: " + p.stderr)
show = subprocess.run([BIN, "show", "latest", "--format", "json"], env=env, capture_output=True, text=True)
if show.returncode != 0 or json.loads(show.stdout).get("complete") is not True:
    fail("history after a run: %s %s" % (show.stdout, show.stderr))
# ecometer killed outright: the run stays in the history, incomplete
proc = subprocess.Popen([BIN, "run", "-q", "--", "sleep", "30"], env=env)
time.sleep(1.0)
try:
    kids = open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)).read().split()
except OSError:
    kids = []
proc.kill()
proc.wait()
for k in kids:  # the command it started, now orphaned: ours to end, by pid
    try:
        os.kill(int(k), signal.SIGKILL)
    except OSError:
        pass
show = subprocess.run([BIN, "show", "latest", "--format", "json"], env=env, capture_output=True, text=True)
d = json.loads(show.stdout) if show.returncode == 0 else {}
if d.get("complete") is not False or "sleep 30" not in d.get("command", ""):
    fail("a killed run should stay in the history as incomplete: %s %s" % (show.stdout[:300], show.stderr))
# a history that cannot be written is a warning: the run, summary and JSON go on
j = os.path.join(TMP, "nohist.json")
p = subprocess.run([BIN, "run", "--db", os.path.join(BAD, "h.db"), "--json", j, "--", "true"], env=ENV,
                   capture_output=True, text=True, timeout=60)
if p.returncode != 0 or "warning" not in p.stderr or not os.path.exists(j) or "total" not in p.stderr:
    fail("unwritable history: rc %d, %s" % (p.returncode, p.stderr))
print("ok: history saved at start and end, kept incomplete when ecometer is killed, failure only a warning")
