#!/usr/bin/env python3
"""Fixed-time runs (`ecometer run --for D`, issue 14).

- A command that ignores SIGTERM (and its child, which inherits that) is
  stopped by SIGKILL after --grace: the window closes no earlier than --for,
  the run lasts at least the grace after it (by ecometer's own clock), the
  command's 61 s sleep never ends on its own (no wall-time threshold: a
  loaded or sanitized machine may be late, never early), the record says
  "killed", and the energy measured is kept (window and total).
- A command that obeys SIGTERM is "stopped"; one that ends first "exited".
- Items per joule counts the window only: items sent after the stop (from
  the command's SIGTERM handler) are in the run's items, not the window's,
  and items_per_j is exactly window_items / window_energy_j.
- The window's energy is the integral of the power series up to the stop.
- The history keeps the scenario; `compare` of a fixed-time and a
  fixed-task run says so (a warning on stderr, and in the JSON).
"""
import json
import os
import subprocess
import sys
import time

BIN = os.environ["ECOMETER_BIN"]
SRC = os.environ["ECOMETER_SRC"]
BUILD = os.environ.get("ECOMETER_BUILD", os.path.join(SRC, "build"))
TMP = os.environ["ECO_TEST_TMPDIR"]
ENV = dict(os.environ, XDG_STATE_HOME=TMP, XDG_DATA_HOME=TMP)
ENV.pop("ECOMETER_SOCKET", None)
ENV["ECOMETER_SYSFS_ROOT"] = os.path.join(SRC, "tests", "fixtures", "no-sensors", "sys")
LIB = os.path.join(BUILD, "tests", "libnvml-standin.so")
if os.path.exists(LIB):  # a constant 150 W GPU: a measured domain on any machine
    ENV.update(ECOMETER_NVML_LIB=LIB, NVML_STANDIN_GPUS="1", NVML_STANDIN_POWER_MW="150000",
               NVML_STANDIN_NO_ENERGY="1")
else:
    ENV["ECOMETER_NVML_LIB"] = "/nonexistent/libnvidia-ml.so.1"
DB = os.path.join(TMP, "history.db")
failures = []


def fail(msg):
    print("FAIL:", msg)
    failures.append(msg)


def run(args, child, name):
    j = os.path.join(TMP, name + ".json")
    t0 = time.monotonic()
    p = subprocess.run([BIN, "run", "--db", DB, "--interval", "50ms", "--json", j] + args + ["--"] + child,
                       env=ENV, capture_output=True, text=True, timeout=120)
    wall = time.monotonic() - t0
    if not os.path.exists(j):
        fail("%s: no JSON (rc %d): %s" % (name, p.returncode, p.stderr))
        return p, None, wall
    return p, json.load(open(j)), wall


def series_energy_up_to(d, t_end):
    """Energy of the top-level domains from their power series up to t_end."""
    total = 0.0
    for dom in d["domains"]:
        if not dom["top_level"]:
            continue
        prev = 0.0
        for t, w in dom["series"]:
            if t > t_end + 1e-6:
                break
            total += w * (t - prev)
            prev = t
    return total


# 1. SIGTERM ignored by the command and its child: SIGKILL after the grace.
IGNORE = ["sh", "-c", "trap '' TERM; sleep 61.4142; echo never"]  # the sleep (a child) ignores it too


def leftovers(marker):
    """Processes whose command line holds marker (the tree must be gone)."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    if marker.encode() in f.read():
                        found.append(pid)
            except OSError:
                pass
    return found


p, d, wall = run(["--for", "2s", "--grace", "1s"], IGNORE, "ignore")
if d:
    sc = d["scenario"]
    print("ignore-TERM: wall %.2f s, window %.3f s, duration %.3f s, child_end %s" %
          (wall, sc["window_s"], d["duration_s"], sc["child_end"]))
    if p.returncode != 0:
        fail("ignore: exit %d (stopped as asked is 0): %s" % (p.returncode, p.stderr))
    if sc["kind"] != "fixed-time" or sc["for_s"] != 2 or sc["grace_s"] != 1:
        fail("ignore: scenario %s" % sc)
    if sc["child_end"] != "killed" or d["term_signal"] != 9:
        fail("ignore: child_end %s, term_signal %s" % (sc["child_end"], d["term_signal"]))
    # Never early, and the grace is given: the window closes at --for (not
    # before), SIGKILL comes --grace after it. A loaded machine is late, so no
    # upper bound on seconds: that SIGKILL ended it is shown by child_end,
    # term_signal, "never" not printed and the 61 s sleep gone long before 61 s.
    if sc["window_s"] < 2.0:
        fail("ignore: window %.3f s for --for 2s" % sc["window_s"])
    if d["duration_s"] < sc["window_s"] + 1.0 - 0.001:
        fail("ignore: SIGKILL %.3f s after the window's end, the grace is 1 s" % (d["duration_s"] - sc["window_s"]))
    if wall >= 61.4142 or "never" in p.stdout:
        fail("ignore: the command ran to its end (%.2f s): not killed" % wall)
    if not (d["total_energy_j"] > 0 and 0 < sc["window_energy_j"] <= d["total_energy_j"]):
        fail("ignore: energy not kept: window %s, total %s" % (sc["window_energy_j"], d["total_energy_j"]))
    integ = series_energy_up_to(d, sc["window_s"])
    if abs(integ - sc["window_energy_j"]) > 0.01 * sc["window_energy_j"]:
        fail("ignore: window energy %.3f J, power series up to the stop %.3f J" % (sc["window_energy_j"], integ))
    if leftovers("61.4142"):
        fail("ignore: the command's child outlived the run: %s" % leftovers("61.4142"))
    if "killed by ecometer after --for" not in p.stderr or "SIGKILL" not in p.stderr:
        fail("ignore: stderr does not say what happened: %s" % p.stderr)

# 2. Items: counted every 50 ms; the SIGTERM handler sends 1003 more, after the stop
# (not a multiple of 10: a window that held them could not be a multiple of 10).
# --for 3s leaves a slow machine time to start Python and install the handler
# (starved, it once took 1.5 s: SIGTERM came first and nothing was counted).
ITEMS = r"""
import os, signal, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
path = os.environ["ECOMETER_SOCKET"]
def send(x): s.sendto(x.encode(), path)
def bye(*_):
    send("end work"); send("items 1003"); sys.exit(0)
signal.signal(signal.SIGTERM, bye)
send("begin work")
while True:
    send("items 10"); time.sleep(0.05)
"""
p, d, wall = run(["--for", "3s", "--format", "json"], [sys.executable, "-c", ITEMS], "items")
if d:
    sc = d["scenario"]
    print("items: window %.3f s, %d of %d items, %.4g J, %.6g items/J, child_end %s" %
          (sc["window_s"], sc["window_items"], d["items"], sc["window_energy_j"], sc["items_per_j"] or -1,
           sc["child_end"]))
    if sc["child_end"] != "stopped" or p.returncode != 0:
        fail("items: child_end %s, rc %d" % (sc["child_end"], p.returncode))
    if sc["window_items"] <= 0 or sc["window_items"] % 10 != 0:
        fail("items: window items %d" % sc["window_items"])
    # The window closes at the deadline, just before SIGTERM is sent: an
    # "items 10" the command sends in between is after the window too, so it
    # counts for the run only. How many depends on the machine's speed (a
    # sanitizer build sent 10 of them once): only their unit is checked. The
    # 1003 are in the run (the remainder 3) and not in the window (a multiple of 10).
    late = d["items"] - sc["window_items"] - 1003
    if late < 0 or late % 10 != 0:
        fail("items: run items %d, window %d: the 1003 sent after the stop (and any 'items 10' between "
             "the window's end and SIGTERM) belong to the run only" % (d["items"], sc["window_items"]))
    want = sc["window_items"] / sc["window_energy_j"]
    if sc["items_per_j"] is None or abs(sc["items_per_j"] - want) > 1e-9 * want:
        fail("items: items_per_j %s, window_items / window_energy_j %s" % (sc["items_per_j"], want))
    if [r["name"] for r in d["regions"]] != ["work"]:
        fail("items: regions %s" % d["regions"])
    if "items/J" not in p.stderr and "items_per_j" not in p.stderr:
        fail("items: the summary does not show items per joule: %s" % p.stderr)

# 3. A command that ends before --for: "exited", its own exit status.
p, d, wall = run(["--for", "30s"], ["sh", "-c", "exit 3"], "exited")
if d:
    if d["scenario"]["child_end"] != "exited" or p.returncode != 3:
        fail("exited: child_end %s, rc %d" % (d["scenario"]["child_end"], p.returncode))
    if d["scenario"]["window_energy_j"] != d["total_energy_j"]:
        fail("exited: the window is the whole run")

# 3b. A signal to ecometer before the limit (passed on): "interrupted", not "exited by itself".
j = os.path.join(TMP, "interrupted.json")
e = subprocess.Popen([BIN, "run", "--no-history", "--for", "60s", "--json", j, "--", "sleep", "29.777"], env=ENV,
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
for _ in range(400):  # the command is running: ecometer's signal handling is set up
    if leftovers("29.777") and len(leftovers("29.777")) > 1:
        break
    time.sleep(0.05)
e.send_signal(15)
err = e.communicate(timeout=60)[1]
if not os.path.exists(j):
    fail("interrupted: no JSON (rc %d): %s" % (e.returncode, err))
else:
    d = json.load(open(j))
    if d["scenario"]["child_end"] != "interrupted" or e.returncode != 128 + 15:
        fail("interrupted: child_end %s, rc %d" % (d["scenario"]["child_end"], e.returncode))

# 4. A fixed-task run; then compare them.
p, d, wall = run([], ["sleep", "0.3"], "task")
if d:
    if d["scenario"]["kind"] != "fixed-task" or d["scenario"]["child_end"] != "exited":
        fail("task: scenario %s" % d["scenario"])
p = subprocess.run([BIN, "compare", "--db", DB, "latest~3", "latest", "--format", "json"], env=ENV,
                   capture_output=True, text=True, timeout=60)
if p.returncode != 0:
    fail("compare: rc %d: %s" % (p.returncode, p.stderr))
else:
    c = json.loads(p.stdout)
    sc = c["scenario"]
    if sc["a"] != "fixed-time" or sc["b"] != "fixed-task" or sc["alike"] or "fixed-time" not in (sc["warning"] or ""):
        fail("compare: scenario %s" % sc)
    if "warning:" not in p.stderr:
        fail("compare: no warning line on stderr: %s" % p.stderr)
p = subprocess.run([BIN, "compare", "--db", DB, "latest~3", "latest"], env=ENV, capture_output=True, text=True,
                   timeout=60)
if "scenario A: fixed time" not in p.stdout or "scenario B: fixed task" not in p.stdout:
    fail("compare text: scenarios not labelled: %s" % p.stdout)
p = subprocess.run([BIN, "show", "--db", DB, "latest~3"], env=ENV, capture_output=True, text=True, timeout=60)
if "fixed time: --for 2.00 s" not in p.stdout or "killed by ecometer" not in p.stdout:
    fail("show: scenario of the stored run: %s" % p.stdout)

# 5. Bad flags: --grace alone, --for 0.
for args, what in ((["--grace", "1s"], "--grace needs --for"), (["--for", "0"], "--for 0")):
    p = subprocess.run([BIN, "run", "--no-history"] + args + ["--", "true"], env=ENV, capture_output=True,
                       text=True, timeout=60)
    if p.returncode != 2 or "ecometer" not in p.stderr:
        fail("%s: rc %d: %s" % (what, p.returncode, p.stderr))

sys.exit(1 if failures else 0)
