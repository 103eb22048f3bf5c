#!/usr/bin/env python3
"""`ecometer run` on every fixture board with the fixture writer advancing
counters and rails at known power: each measured domain's energy within 1% of
the writer's truth (RAPL with forced wraps, Jetson iio and hwmon rails, AMD
GPU power), the total equal to the sum of top-level domains, and NVIDIA GPUs
through the stand-in NVML library (energy counter and power-only).

Why the truth is exact:
- energy counters (RAPL): every domain draws 0 W, then P from t=0.5 s to 3 s,
  then 0 W again, t counting from inside ecometer's run (the writer's --hold),
  and the run (sleep 3.6 s) ends after the active phase, so the energy it sees is all the energy the writer
  produced, whatever the writer's own tick lag;
- power rails (Jetson iio/hwmon, AMD GPU): a constant power, so the truth over
  ecometer's own window is that power (as written, after the files' integer
  rounding: the writer's truth energy / its duration) times the window; a power
  step would instead be timed by the writer's tick, not by the meter."""
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
sys.path.insert(0, os.path.join(SRC, "tests", "tools"))
import fixture_writer  # noqa: E402  (discover(): the domains a board has)

WRITER = os.path.join(SRC, "tests", "tools", "fixture_writer.py")
BOARDS = ["intel-2s-server", "amd-epyc", "laptop-psys", "jetson-agx-xavier", "jetson-orin-nx", "amd-gpu"]
failures = []
# The counters' whole active phase (0.5-3 s of the writer's clock, started
# inside the run) lies inside the 3.6 s run, so the writer's lag cannot change
# what the run sees unless the writer paused for the 0.6 s left at the end:
# only then is an energy that is off (TIMED) the machine's, and the test skips.
END_MARGIN_S = 0.6
TIMED = set()
WRITER_GAPS = []


def base_env():
    env = dict(os.environ, XDG_STATE_HOME=TMP)
    for k in ("ECOMETER_SOCKET", "ECOMETER_PROC_ROOT", "ECOMETER_NVML_LIB"):
        env.pop(k, None)
    env["ECOMETER_NVML_LIB"] = "/nonexistent/libnvidia-ml.so.1"  # no real GPU leaks into fixture runs
    return env


def check(board, name, got, want, tol=0.01, timed=True):
    if want == 0:
        ok = abs(got) < 1e-6
    else:
        ok = abs(got - want) <= tol * abs(want)
    line = "%-18s %-16s measured %10.3f J  truth %10.3f J  %+.3f%%" % (
        board, name, got, want, 100 * (got - want) / want if want else 0)
    print(("ok   " if ok else "FAIL ") + line)
    if not ok:
        failures.append(line)
        if timed:  # read from the fixture writer's files (not the stand-in NVML's)
            TIMED.add(line)


def run_board(board):
    src = os.path.join(SRC, "tests", "fixtures", board)
    doms = fixture_writer.discover(os.path.join(src, "sys"))
    out = os.path.join(TMP, board)
    args = [sys.executable, WRITER, "--fixture", src, "--out", out, "--tick", "0.01", "--default-power", "0",
            "--ready", out + ".ready", "--truth", out + ".truth.json", "--hold", out + ".go"]
    counters = any(d.counter for d in doms)
    power = {}
    for i, d in enumerate(doms):
        if d.name in power:
            continue  # the same name twice (intel-rapl-mmio repeating a package): one schedule
        # low powers next to the kinds' ceilings (500 W+): a test writer that
        # the scheduler stalls catches up in one jump; real counters do not
        power[d.name] = (100.0 if i == 0 else 5.0 + 3.0 * i)
        sched = "0@0,%g@0.5,0@3" % power[d.name] if counters else "%g" % power[d.name]
        args += ["--power", "%s=%s" % (d.name, sched)]
    rapl = [d.name for d in doms if d.kind == "rapl"]
    if rapl:  # a 100 J range at 100 W over 2.5 s: 2 wraps (and 50 ms between samples at most)
        args += ["--max-range", "%s=100000000" % rapl[0]]
    w = subprocess.Popen(args)
    for _ in range(200):
        if os.path.exists(out + ".ready"):
            break
        time.sleep(0.05)
    j = out + ".json"
    env = base_env()
    env["ECOMETER_SYSFS_ROOT"] = os.path.join(out, "sys")
    # the writer's clock starts inside the run (--hold: after ecometer's first
    # reading), so a slow start (a sanitizer build, a busy machine) cannot miss
    # the first 0.5 s of power
    p = subprocess.run([BIN, "run", "--no-history", "--interval", "20ms", "--json", j, "--", "sh", "-c",
                        'touch "$1"; exec sleep %s' % ("3.6" if counters else "1.5"), "sh", out + ".go"],
                       env=env, capture_output=True, text=True, timeout=90)
    w.send_signal(signal.SIGTERM)
    w.wait(timeout=10)
    if p.returncode != 0:
        failures.append("%s: ecometer exit %d: %s" % (board, p.returncode, p.stderr))
        return
    res = json.load(open(j))
    truth_all = json.load(open(out + ".truth.json"))
    WRITER_GAPS.append(truth_all["max_gap_s"])
    truth = truth_all["domains"]
    measured = [d for d in res["domains"] if d["method"] == "measured"]
    if not measured:
        failures.append("%s: no measured domain: %s" % (board, p.stderr))
        return
    wraps = 0
    for d in measured:
        t = truth.get(d["name"])
        if t is None:
            failures.append("%s: domain %s not in the writer's truth" % (board, d["name"]))
            continue
        wraps += t.get("wraps", 0)
        if t["type"] == "counter":
            check(board, d["name"], d["energy_j"], t["energy_j"])
        else:
            covered = d["energy_j"] / d["avg_w"] if d["avg_w"] > 0 else 0
            if covered < 1.3:
                failures.append("%s: %s covered only %.2f s" % (board, d["name"], covered))
            check(board, d["name"], d["energy_j"], t["energy_j"] / truth_all["duration_s"] * covered)
    top = sum(d["energy_j"] for d in res["domains"] if d["top_level"])
    if abs(top - res["total_energy_j"]) > 1e-6 * max(1, top):
        failures.append("%s: total %.6f != sum of top-level %.6f" % (board, res["total_energy_j"], top))
    if rapl and wraps < 2:
        failures.append("%s: expected counter wraps in the run, truth says %d" % (board, wraps))


def run_nvml():
    """Two GPUs through the stand-in library: gpu-0 with its energy counter,
    gpu-1 power only (integrated). Constant powers, so the truth over
    ecometer's own window is the power times the window (the stand-in's own
    truth file starts at the probe's first query, before the run)."""
    lib = os.path.join(BUILD, "tests", "libnvml-standin.so")
    if not os.path.exists(lib):
        print("skip nvml: %s not built" % lib)
        return
    env = base_env()
    env.update(ECOMETER_SYSFS_ROOT=os.path.join(SRC, "tests", "fixtures", "no-sensors", "sys"),
               ECOMETER_NVML_LIB=lib, NVML_STANDIN_GPUS="2", NVML_STANDIN_POWER_MW="150000,90000",
               NVML_STANDIN_NO_ENERGY="1")
    j = os.path.join(TMP, "nvml.json")
    p = subprocess.run([BIN, "run", "--no-history", "--interval", "50ms", "--json", j, "--", "sleep", "1.5"],
                       env=env, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        failures.append("nvml: ecometer exit %d: %s" % (p.returncode, p.stderr))
        return
    res = json.load(open(j))
    gpus = {d["name"]: d for d in res["domains"] if d["kind"] == "gpu"}
    if sorted(gpus) != ["gpu-0", "gpu-1"]:
        failures.append("nvml: GPU domains %s: %s" % (sorted(gpus), p.stderr))
        return
    for name, watts in (("gpu-0", 150.0), ("gpu-1", 90.0)):
        d = gpus[name]
        covered = d["energy_j"] / d["avg_w"] if d["avg_w"] > 0 else 0
        if covered < 1.3:
            failures.append("nvml: %s covered only %.2f s" % (name, covered))
        check("nvml-standin", name, d["energy_j"], watts * covered, timed=False)


for b in BOARDS:
    run_board(b)
run_nvml()
if failures and WRITER_GAPS and max(WRITER_GAPS) >= END_MARGIN_S and all(f in TIMED for f in failures):
    print("SKIP: the fixture writer paused %.2f s (busy machine), past the run's %.1f s margin: %s"
          % (max(WRITER_GAPS), END_MARGIN_S, "; ".join(failures)))
    sys.exit(77)
if failures:
    print("\n".join(["FAILED:"] + failures))
    sys.exit(1)
print("ok: every measured domain within 1% of the truth")
