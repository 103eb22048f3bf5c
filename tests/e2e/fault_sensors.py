#!/usr/bin/env python3
"""Fault suite, sensors (issue 7): `ecometer run` while its sources misbehave.

1. Sysfs files on a fixture server (tests/tools/fixture_writer.py), mid-run:
   package-1's counter reads "garbage" for 0.4 s, package-0's counter jumps
   back by more than its whole range (so a naive reader would take it for a
   wrap and count a burst of energy), dram-0's file vanishes for good.
   Expected: the run ends normally (the command's status), each domain's
   energy is the truth minus at most the glitched intervals (nothing measured
   before a fault is lost, nothing is invented by it), and the vanished
   domain keeps what it measured and says it vanished.
2. The NVML library (stand-in, tests/nvml_standin): missing, too old (no _v2
   entry points), failing to initialise, one call failing, one GPU lost
   mid-run. Expected: a clear line in `ecometer sensors`, the run goes on with
   what is left, and the energy of the good GPU is right."""
import json
import os
import signal
import subprocess
import sys
import time

SRC = os.environ["ECOMETER_SRC"]
BIN = os.environ["ECOMETER_BIN"]
BUILD = os.environ.get("ECOMETER_BUILD", os.path.join(SRC, "build"))
TMP = os.environ["ECO_TEST_TMPDIR"]
WRITER = os.path.join(SRC, "tests", "tools", "fixture_writer.py")
failures = []
writer_gap = 0.0  # the fixture writer's longest pause (its truth's max_gap_s)


def fail(msg):
    print("FAIL:", msg)
    failures.append(msg)


def base_env():
    env = dict(os.environ, XDG_STATE_HOME=TMP)
    for k in ("ECOMETER_SOCKET", "ECOMETER_PROC_ROOT", "ECOMETER_SYSFS_ROOT", "NVML_STANDIN_FAIL",
              "NVML_STANDIN_LOST", "NVML_STANDIN_INIT_RC"):
        env.pop(k, None)
    env["ECOMETER_NVML_LIB"] = "/nonexistent/libnvidia-ml.so.1"
    return env


excusable = {}   # failure -> the fixture writer's pause (s) that would explain it


def near(got, want, tol, what, watts=None):
    """got within tol of want. watts: the figure comes from the fixture writer
    at that power, and a writer that paused |got - want| / watts or longer
    (its truth's max_gap_s) explains the deviation (see ecotest.check_power)."""
    ok = abs(got - want) <= tol * abs(want)
    print("%s %-34s measured %9.3f J  expected %9.3f J  (%+.2f%%)" % (
        "ok  " if ok else "FAIL", what, got, want, 100.0 * (got - want) / want))
    if not ok:
        failures.append("%s: %.3f J, expected %.3f J" % (what, got, want))
        if watts:
            excusable[failures[-1]] = abs(got - want) / watts


# ---- 1. sysfs faults -------------------------------------------------------
out = os.path.join(TMP, "srv")
P = 40.0   # W, from t=0.5 s to t=3.0 s, 0 W outside: the truth does not depend on timing
sched = "0@0,%g@0.5,0@3" % P
w = subprocess.Popen([sys.executable, WRITER, "--fixture", "intel-2s-server", "--out", out,
                      "--tick", "0.005", "--default-power", "0",
                      "--power", "package-0=" + sched, "--power", "package-1=" + sched,
                      "--power", "dram-0=" + sched,
                      "--max-range", "package-0=100000000",           # 100 J range
                      "--garbage", "package-1@1.2:0.4",
                      # 101 J back on a 100 J range: read naively, a wrap and 99 J in one
                      # 20 ms sample (~5 kW); it must be dropped, not counted
                      "--backwards", "package-0@1.6:101",
                      "--vanish", "dram-0@2.0",
                      "--ready", out + ".ready", "--truth", out + ".truth.json", "--hold", out + ".go"])
for _ in range(400):
    if os.path.exists(out + ".ready"):
        break
    time.sleep(0.025)
env = base_env()
env["ECOMETER_SYSFS_ROOT"] = os.path.join(out, "sys")
j = out + ".json"
# the writer's clock starts inside the run (--hold), so a slow start cannot miss power
p = subprocess.run([BIN, "run", "--no-history", "--interval", "20ms", "--json", j, "--",
                    "sh", "-c", 'touch "$1"; exec sleep 3.6', "sh", out + ".go"],
                   env=env, capture_output=True, text=True, timeout=90)
w.send_signal(signal.SIGTERM)
w.wait(timeout=10)
print(p.stderr.strip())
if p.returncode != 0:
    fail("run over faulty sensors exited %d" % p.returncode)
else:
    res = json.load(open(j))
    truth_all = json.load(open(out + ".truth.json"))
    truth, writer_gap = truth_all["domains"], truth_all["max_gap_s"]
    doms = {d["name"]: d for d in res["domains"]}
    for name in ("package-0", "package-1", "dram-0"):
        if name not in doms:
            fail("domain %s missing from the JSON" % name)
    if not failures:
        # garbage for 0.4 s: the counter kept counting, the first good read catches up
        near(doms["package-1"]["energy_j"], truth["package-1"]["energy_j"], 0.02, "package-1 (garbage 0.4 s)")
        # the jump back is a glitch: at most the interval around it is lost, nothing invented
        # (the interval dropped spans the writer's pause, if it paused there)
        near(doms["package-0"]["energy_j"], truth["package-0"]["energy_j"], 0.03, "package-0 (jump back 101 J)", P)
        # vanished at 2.0 s: what it measured from 0.5 s to 2.0 s is kept
        # (what it drew between the last sample that read it and the vanishing
        # cannot be seen: a sample late by load may miss up to ~0.3 s of it)
        near(doms["dram-0"]["energy_j"], P * 1.5, 0.15, "dram-0 (vanished at 2.0 s)", P)
        if doms["dram-0"]["energy_j"] > P * 1.5 * 1.03:
            fail("dram-0 measured more than it drew before vanishing")
        note = doms["dram-0"]["note"].lower()
        if "vanish" not in note and "gone" not in note:
            fail("dram-0's record does not say it vanished: %s" % doms["dram-0"]["note"])
        if not any("dram-0" in l and ("gone" in l or "vanish" in l) for l in p.stderr.splitlines()):
            fail("the summary does not say dram-0 vanished")
        # (the record keeps only its first anomaly, which may be a late sample on a loaded machine)
        print("package-0 note:", doms["package-0"]["note"])
        top = sum(d["energy_j"] for d in res["domains"] if d["top_level"])
        if abs(top - res["total_energy_j"]) > 1e-6 * max(1.0, top):
            fail("total %.6f != sum of top-level domains %.6f" % (res["total_energy_j"], top))

# ---- 2. NVML faults -------------------------------------------------------
lib = os.path.join(BUILD, "tests", "libnvml-standin.so")
old = os.path.join(BUILD, "tests", "libnvml-standin-old.so")


def nvml_env(libpath, **kw):
    e = base_env()
    e["ECOMETER_SYSFS_ROOT"] = os.path.join(SRC, "tests", "fixtures", "no-sensors", "sys")
    e["ECOMETER_PROC_ROOT"] = os.path.join(SRC, "tests", "fixtures", "no-sensors", "proc")
    e["ECOMETER_NVML_LIB"] = libpath
    e.update(NVML_STANDIN_GPUS="2", NVML_STANDIN_POWER_MW="150000,90000")
    e.update(kw)
    return e


def sensors(e):
    return subprocess.run([BIN, "sensors", "--window", "0"], env=e, capture_output=True, text=True, timeout=60)


def run_json(e, name, secs="1.5"):
    jj = os.path.join(TMP, name + ".json")
    r = subprocess.run([BIN, "run", "--no-history", "--interval", "50ms", "--json", jj, "--", "sleep", secs],
                       env=e, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        fail("%s: run exited %d: %s" % (name, r.returncode, r.stderr))
        return r, None
    return r, json.load(open(jj))


def gpu(res, i):
    for d in res["domains"]:
        if d["name"] == "gpu-%d" % i or d.get("device", "").endswith("gpu-%d" % i):
            return d
    return None


# missing library: sensors says so with a hint, run goes on without GPUs
e = nvml_env("/nonexistent/libnvidia-ml.so.1")
s = sensors(e)
if s.returncode != 0 or "nvml" not in s.stdout.lower() or "libnvidia-ml" not in s.stdout:
    fail("missing NVML: sensors rc %d: %s" % (s.returncode, s.stdout[-400:]))
r, res = run_json(e, "nvml-missing")
if res is not None and gpu(res, 0) is not None:
    fail("missing NVML: a GPU domain appeared")

# initialisation fails (driver not loaded): a clear line, no crash
e = nvml_env(lib, NVML_STANDIN_INIT_RC="9")
s = sensors(e)
if s.returncode != 0 or "nvml" not in s.stdout.lower():
    fail("NVML init failure: sensors rc %d: %s" % (s.returncode, s.stdout[-400:]))
r, res = run_json(e, "nvml-init")

# too old (no _v2 entry points): either measured through the old ones or said why
e = nvml_env(old)
s = sensors(e)
if s.returncode != 0:
    fail("old NVML: sensors rc %d: %s %s" % (s.returncode, s.stdout[-400:], s.stderr))
r, res = run_json(e, "nvml-old")
if res is not None and gpu(res, 0) is None and "nvml" not in (s.stdout + r.stderr).lower():
    fail("old NVML: no GPU and no word why: %s" % s.stdout[-400:])

# one GPU lost mid-run, one energy call failing: the other GPU measured right
e = nvml_env(lib, NVML_STANDIN_LOST="1:6", NVML_STANDIN_FAIL="nvmlDeviceGetTotalEnergyConsumption:5:999")
r, res = run_json(e, "nvml-lost", "2")
if res is not None:
    g0, g1 = gpu(res, 0), gpu(res, 1)
    if g0 is None or g1 is None:
        fail("lost GPU: domains missing: %s" % [d["name"] for d in res["domains"]])
    else:
        # 150 W constant: the energy counter keeps counting through the failed call
        near(g0["energy_j"], 150.0 * res["duration_s"], 0.03, "gpu-0 (one failed energy call)")
        if not g1["energy_j"] > 0:
            fail("gpu-1 lost mid-run: what it measured before is lost (%s)" % g1)
        if "gone" not in g1["note"] and "lost" not in g1["note"]:
            fail("gpu-1 lost mid-run is not reported: note '%s'" % g1["note"])

if failures and all(excusable.get(f, float("inf")) <= writer_gap for f in failures):
    print("SKIP: the fixture writer paused %.0f ms (busy machine), which explains every failure" % (1e3 * writer_gap))
    sys.exit(77)
if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok: garbage, counter jump back, vanished file; NVML missing, failing init, old, failing call, GPU lost")
