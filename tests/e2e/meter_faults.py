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

def wait_ready(proc):
    """The child prints 'ready' once it is running with its handlers in place
    (on a loaded machine a fixed sleep is not enough)."""
    line = proc.stdout.readline()
    if "ready" not in line:
        fail("child did not start: %r" % line)


# SIGTERM to ecometer: forwarded; the child dies of it; summary and JSON written
j = os.path.join(TMP, "term.json")
t0 = time.time()
child = "import sys,time\nprint('ready', flush=True)\ntime.sleep(30)\n"
proc = subprocess.Popen([BIN, "run", "--no-history", "--json", j, "--", sys.executable, "-c", child], env=ENV,
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
wait_ready(proc)
proc.send_signal(signal.SIGTERM)
err = proc.communicate(timeout=20)[1]
if time.time() - t0 > 25:
    fail("SIGTERM was not forwarded (ecometer waited for the child's 30 s)")
if proc.returncode != 128 + signal.SIGTERM:
    fail(f"143 expected after SIGTERM, got {proc.returncode}: {err}")
if "passed on" not in err or "total" not in err:
    fail("summary after SIGTERM missing: " + err)
d = json.load(open(j))
if d["term_signal"] != signal.SIGTERM or d["duration_s"] <= 0:
    fail(f"JSON after SIGTERM: {d['term_signal']} {d['duration_s']}")

# SIGINT to ecometer: forwarded; a child that handles it exits 0 cleanly
j = os.path.join(TMP, "int.json")
child = ("import signal,sys,time\n"
         "signal.signal(signal.SIGINT, lambda *a: (print('child: interrupted, saving'), sys.exit(0)))\n"
         "print('ready', flush=True)\n"
         "time.sleep(30)\n")
proc = subprocess.Popen([BIN, "run", "--no-history", "--json", j, "--", sys.executable, "-c", child], env=ENV,
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
wait_ready(proc)
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
proc = subprocess.Popen([BIN, "run", "-q", "--", sys.executable, "-c",
                         "import time\nprint('ready', flush=True)\ntime.sleep(30)\n"],
                        env=env, stdout=subprocess.PIPE, text=True)
wait_ready(proc)
for _ in range(100):  # until the start of the run is in the history
    show = subprocess.run([BIN, "show", "latest", "--format", "json"], env=env, capture_output=True, text=True)
    if show.returncode == 0 and "time.sleep(30)" in json.loads(show.stdout).get("command", ""):
        break
    time.sleep(0.1)
kids = []  # the command ecometer started (its children, by ppid in /proc)
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        stat = open("/proc/%s/stat" % pid).read()
    except OSError:
        continue
    if int(stat[stat.rindex(")") + 2:].split()[1]) == proc.pid:
        kids.append(pid)
proc.kill()
proc.wait()
for k in kids:  # the command it started, now orphaned: ours to end, by pid
    try:
        os.kill(int(k), signal.SIGKILL)
    except OSError:
        pass
show = subprocess.run([BIN, "show", "latest", "--format", "json"], env=env, capture_output=True, text=True)
d = json.loads(show.stdout) if show.returncode == 0 else {}
if d.get("complete") is not False or "time.sleep(30)" not in d.get("command", ""):
    fail("a killed run should stay in the history as incomplete: %s %s" % (show.stdout[:300], show.stderr))
# a history that cannot be written is a warning: the run, summary and JSON go on
j = os.path.join(TMP, "nohist.json")
p = subprocess.run([BIN, "run", "--db", os.path.join(BAD, "h.db"), "--json", j, "--", "true"], env=ENV,
                   capture_output=True, text=True, timeout=60)
if p.returncode != 0 or "warning" not in p.stderr or not os.path.exists(j) or "total" not in p.stderr:
    fail("unwritable history: rc %d, %s" % (p.returncode, p.stderr))
# a machine with nothing to measure: run warns and still runs the command;
# monitor refuses
nothing = dict(ENV, ECOMETER_SYSFS_ROOT=os.path.join(os.environ["ECOMETER_SRC"], "tests/fixtures/no-sensors/sys"),
               ECOMETER_CPU_TABLE=AFILE, ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1")
p = subprocess.run([BIN, "run", "--no-history", "--", "sh", "-c", "exit 3"], env=nothing, capture_output=True,
                   text=True, timeout=60)
if "nothing can be measured" in p.stderr:
    if p.returncode != 3:
        fail("run with nothing to measure: rc %d" % p.returncode)
    p = subprocess.run([BIN, "monitor", "--no-history", "--duration", "1s"], env=nothing, capture_output=True,
                       text=True, timeout=60)
    if p.returncode != 1 or "ecometer sensors" not in p.stderr:
        fail("monitor with nothing to measure: rc %d %s" % (p.returncode, p.stderr))
print("ok: history saved at start and end, kept incomplete when ecometer is killed, failure only a warning")
