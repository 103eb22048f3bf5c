#!/usr/bin/env python3
"""`ecometer run` on the hwmon-family fixture boards with the fixture writer
moving every counter and rail at known power: NVIDIA Grace Hopper (power
meters, with two stand-in NVML GPUs inside the modules), an Intel Arc on i915
and two Data Center GPU Max on xe (next to RAPL with forced counter wraps), an
x86 board with an INA3221 next to RAPL, and a Jetson AGX Orin with NC rails.

Checks, on each board:
- every measured domain within 1% of the writer's truth;
- the total within 1% of the machine's true energy, summed here from the
  board's README (which domains make up the machine), not from ecometer's
  own top-level flags: a GPU counted on top of the Grace module that holds
  it, or an INA3221 VDD_CPU rail on top of RAPL's package, would fail it;
- RAPL counters wrapped during the run where the board has RAPL (ranges cut
  so that a sample may come more than 1 s late, as on a loaded or sanitized run,
  without a second wrap in between).

Truth as in meter_fixtures.py: energy counters draw P only from t=0.5 s to
3 s, inside ecometer's run, so all their energy is seen (the writer's clock
starts when the measured command starts, after ecometer's first reading,
however slowly ecometer starts: a sanitizer build); power files hold a
constant power, whose truth over ecometer's own window is the written power
times the time the domain was covered."""
import json
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecotest  # noqa: E402

SRC = os.environ["ECOMETER_SRC"]
BIN = os.environ["ECOMETER_BIN"]
BUILD = os.environ.get("ECOMETER_BUILD", os.path.join(SRC, "build"))
TMP = os.environ["ECO_TEST_TMPDIR"]
WRITER = os.path.join(SRC, "tests", "tools", "fixture_writer.py")
STANDIN = os.path.join(BUILD, "tests", "libnvml-standin.so")
failures = []
# The counters' whole active phase (0.5-3 s of the writer's clock, started
# inside the run) lies inside the 3.6 s run, so the writer's lag cannot change
# what the run sees unless the writer paused for the 0.6 s left at the end:
# only then is an energy that is off (TIMED) the machine's, and the test skips.
END_MARGIN_S = 0.6
TIMED = set()
WRITER_GAPS = []

# board: (watts per domain, RAPL zone whose range is cut to force wraps and
# the range in uJ, NVML GPUs in W, the domains that make up the machine)
BOARDS = {
    "grace-hopper": ({"module-0": 600, "grace-0": 180, "cpu-0": 110, "sysio-0": 40,
                      "module-1": 620, "grace-1": 190, "cpu-1": 120, "sysio-1": 45},
                     None, [300, 280], ["module-0", "module-1"]),
    "intel-arc": ({"package-0": 100, "core-0": 60, "uncore-0": 8, "intel-gpu-0": 180},
                  ("package-0", 150000000), [], ["package-0", "intel-gpu-0"]),
    "intel-gpu-max": ({"package-0": 100, "package-1": 120, "dram-0": 15, "dram-1": 16,
                       "intel-gpu-0": 400, "intel-gpu-1": 450},
                      ("package-0", 150000000), [],
                      ["package-0", "package-1", "dram-0", "dram-1", "intel-gpu-0", "intel-gpu-1"]),
    "x86-ina3221": ({"package-0": 40, "core-0": 25, "VDD_CPU": 45, "VDD_DDR": 3, "VCC_5V_USB": 2},
                    ("package-0", 90000000), [], ["package-0", "VDD_DDR", "VCC_5V_USB"]),
    "jetson-agx-orin": ({"VDD_GPU_SOC": 6, "VDD_CPU_CV": 3, "VIN_SYS_5V0": 5, "VDDQ_VDD2_1V8AO": 0.8},
                        None, [], ["VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0", "VDDQ_VDD2_1V8AO"]),
}


def check(board, name, got, want, tol=0.01, timed=True):
    ok = abs(got - want) <= tol * abs(want) if want else abs(got) < 1e-6
    line = "%-16s %-16s measured %10.3f J  truth %10.3f J  %+.3f%%" % (
        board, name, got, want, 100 * (got - want) / want if want else 0)
    print(("ok   " if ok else "FAIL ") + line)
    if not ok:
        failures.append(line)
        if timed:  # read from the fixture writer's files (not the stand-in NVML's)
            TIMED.add(line)


def start_writer(board, watts, cut):
    sys.path.insert(0, os.path.join(SRC, "tests", "tools"))
    import fixture_writer  # noqa: E402  (which files are counters)
    doms = {d.name: d for d in fixture_writer.discover(os.path.join(SRC, "tests", "fixtures", board, "sys"))}
    out = os.path.join(TMP, board)
    args = [sys.executable, WRITER, "--fixture", board, "--out", out, "--tick", "0.01", "--default-power", "0",
            "--ready", out + ".ready", "--hold", out + ".go", "--truth", out + ".truth.json"]
    for name, w in watts.items():
        if name not in doms:
            failures.append("%s: the writer has no domain %s (has %s)" % (board, name, sorted(doms)))
            continue
        args += ["--power", "%s=%s" % (name, ("0@0,%g@0.5,0@3" % w) if doms[name].counter else "%g" % w)]
    if cut:
        args += ["--max-range", "%s=%d" % cut]
    w = subprocess.Popen(args)
    ecotest.wait_file(out + ".ready", w)
    return w, out


def truth_of(d, t, duration):
    """The true energy of ecometer's domain d over its own window."""
    if t["type"] == "counter":
        return t["energy_j"]
    covered = d["energy_j"] / d["avg_w"] if d["avg_w"] > 0 else 0
    return t["energy_j"] / duration * covered


def run_board(board):
    watts, cut, gpus, machine = BOARDS[board]
    env = dict(os.environ, XDG_STATE_HOME=TMP, ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1")
    for k in ("ECOMETER_SOCKET", "ECOMETER_PROC_ROOT"):
        env.pop(k, None)
    if gpus:
        if not os.path.exists(STANDIN):
            print("skip %s: %s not built" % (board, STANDIN))
            return
        env.update(ECOMETER_NVML_LIB=STANDIN, NVML_STANDIN_GPUS=str(len(gpus)),
                   NVML_STANDIN_NAMES="NVIDIA GH200 480GB",
                   NVML_STANDIN_POWER_MW=",".join("%d" % (g * 1000) for g in gpus))
    w, out = start_writer(board, watts, cut)
    env.update(ECOMETER_SYSFS_ROOT=os.path.join(out, "sys"), ECOMETER_PROC_ROOT=os.path.join(out, "proc"),
               ECOMETER_CPUINFO=os.path.join(out, "proc", "cpuinfo"))
    j = out + ".json"
    p = subprocess.run([BIN, "run", "--no-history", "--interval", "20ms", "--json", j, "--",
                        "sh", "-c", 'touch "$1"; exec sleep 3.6', "sh", out + ".go"],
                       env=env, capture_output=True, text=True, timeout=90)
    w.send_signal(signal.SIGTERM)
    w.wait(timeout=10)
    if p.returncode != 0:
        failures.append("%s: ecometer exit %d: %s" % (board, p.returncode, p.stderr))
        return
    res = json.load(open(j))
    tr = json.load(open(out + ".truth.json"))
    WRITER_GAPS.append(tr["max_gap_s"])
    truth, dur = tr["domains"], tr["duration_s"]
    got = {d["name"]: d for d in res["domains"]}
    seen_truth = {}
    for d in res["domains"]:
        if d["method"] != "measured":
            failures.append("%s: %s is %s, not measured" % (board, d["name"], d["method"]))
            continue
        if d["name"].startswith("gpu-") and gpus:
            i = int(d["name"][4:])
            covered = d["energy_j"] / d["avg_w"] if d["avg_w"] > 0 else 0
            seen_truth[d["name"]] = gpus[i] * covered
        elif d["name"] in truth:
            seen_truth[d["name"]] = truth_of(d, truth[d["name"]], dur)
        else:
            failures.append("%s: domain %s not in the writer's truth" % (board, d["name"]))
            continue
        check(board, d["name"], d["energy_j"], seen_truth[d["name"]], timed=not (d["name"].startswith("gpu-") and gpus))
    for name in set(watts) - set(got):
        print("     %-16s %-16s not a domain of ecometer (left out on purpose: see the board's README)" % (board, name))
    missing = [m for m in machine if m not in seen_truth]
    if missing:
        failures.append("%s: machine domains missing from the run: %s" % (board, missing))
        return
    check(board, "TOTAL", res["total_energy_j"], sum(seen_truth[m] for m in machine))
    if cut and sum(t.get("wraps", 0) for t in truth.values()) < 1:
        failures.append("%s: expected RAPL counter wraps during the run" % board)
    if board == "grace-hopper":
        for g in ("gpu-0", "gpu-1"):
            if got.get(g, {}).get("top_level", True):
                failures.append("grace-hopper: %s is counted on its own, not inside its module" % g)
        if "cpu" in got or any(d["method"] == "estimated" for d in res["domains"]):
            failures.append("grace-hopper: the CPU is estimated although Grace measures it")


for b in BOARDS:
    run_board(b)
if failures and WRITER_GAPS and max(WRITER_GAPS) >= END_MARGIN_S and all(f in TIMED for f in failures):
    print("SKIP: the fixture writer paused %.2f s (busy machine), past the run's %.1f s margin: %s"
          % (max(WRITER_GAPS), END_MARGIN_S, "; ".join(failures)))
    sys.exit(77)
if failures:
    print("\n".join(["FAILED:"] + failures))
    sys.exit(1)
print("ok: every measured domain and every total within 1% of the truth")
