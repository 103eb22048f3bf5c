#!/usr/bin/env python3
"""A cloud VM that hides its CPU model, in a cgroup limited to 2 CPUs
(tests/fixtures/vm-hidden-model): `sensors` and `run` estimate the CPU with
the generic per-thread figure, recomputed here from data/cpus.tsv (median of
TDP/threads over the Intel Xeon rows), times the 2 CPUs of cpu.max, labelled
estimated with the warning checked word by word; --cpu / --cpu-tdp and
ECOMETER_CPU / ECOMETER_CPU_TDP pick the figures; bad values exit 2 with a
clear message on run, monitor, top, serve and sensors."""
import csv
import io
import json
import os
import statistics
import subprocess
import sys

SRC = os.environ["ECOMETER_SRC"]
BIN = os.environ["ECOMETER_BIN"]
TMP = os.environ["ECO_TEST_TMPDIR"]
FX = os.path.join(SRC, "tests", "fixtures", "vm-hidden-model")
LIMIT = "cgroup cpu.max 200000 100000 (/system.slice/ecometer-job.scope)"
failures = []


def env(**extra):
    e = dict(os.environ, ECOMETER_SYSFS_ROOT=FX + "/sys", ECOMETER_PROC_ROOT=FX + "/proc",
             ECOMETER_CPUINFO=FX + "/proc/cpuinfo", ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1",
             XDG_DATA_HOME=TMP, XDG_STATE_HOME=TMP)
    for k in ("ECOMETER_CPU", "ECOMETER_CPU_TDP", "ECOMETER_CPU_TABLE"):
        e.pop(k, None)
    e.update(extra)
    return e


def run(args, **extra):
    return subprocess.run([BIN] + args, env=env(**extra), capture_output=True, text=True, timeout=60)


def expect(what, got, want):
    if got != want:
        failures.append("%s:\n  got  %r\n  want %r" % (what, got, want))


def table():
    rows, hdr = [], None
    for line in open(os.path.join(SRC, "data", "cpus.tsv")):
        if line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if hdr is None:
            hdr = cols
            continue
        rows.append(dict(zip(hdr, cols)))
    return rows


def g3(x):
    return "%.3g" % x


def g4(x):
    return "%.4g" % x


rows = table()
xeon = sorted(float(r["tdp_w"]) / int(r["threads"]) for r in rows if "Xeon" in r["name"])
wpt = statistics.median(xeon)
full = wpt * 2
print("generic Intel Xeon figure: %.4f W/thread over %d rows; 2 CPUs: %.4f W at full load" % (wpt, len(xeon), full))

# sensors, text: the warning word by word, the device, the power at load 0
p = run(["sensors", "--window", "0"])
expect("sensors exit", p.returncode, 0)
warning = ("warning: CPU power estimated, not measured: model hidden (a VM), generic figure: the median "
           "TDP/threads of the %d Intel Xeon rows of the CPU table (range %s-%s W): %s W per thread x 2 CPUs "
           "(%s) = %s W at full load" % (len(xeon), g3(xeon[0]), g3(xeon[-1]), g3(wpt), LIMIT, g4(full)))
lines = p.stdout.splitlines()
expect("sensors warning line", lines[1] if len(lines) > 1 else "", warning)
if "measured " in p.stdout.split("cpu-estimate")[-1]:
    failures.append("sensors: something says measured on the VM: %s" % p.stdout)
note = ("  note: estimated: P = %s W x (0.10 + 0.66 x load) for 2 CPUs, load from the cgroup's cpu.stat, "
        "generic per-thread figure (model hidden), memory 0.3725 W/GB; not a measurement" % g4(full))
expect("sensors note", note in lines, True)

# sensors, JSON: the estimate's text and the domain
p = run(["sensors", "--format", "json"])
j = json.loads(p.stdout)
expect("json cpu.estimate", j["cpu"].get("estimate"), warning[len("warning: "):])
est = [s for s in j["sources"] if s["name"] == "cpu-estimate"][0]
cpu = [d for d in est["domains"] if d["name"] == "cpu"][0]
expect("json device", cpu["device"], "Intel Xeon Processor (Icelake), %s W/thread x 2 CPUs" % g3(wpt))
expect("json method", cpu["method"], "estimated")

# run: the CPU domain's power is the formula at load 0 (cpu.stat does not move)
out = os.path.join(TMP, "run.json")
p = run(["run", "--no-history", "--interval", "50ms", "--json", out, "--", "sleep", "0.3"])
expect("run exit", p.returncode, 0)
expect("run warning", ("ecometer: " + warning) in p.stderr.splitlines(), True)
r = json.load(open(out))
cpu = [d for d in r["domains"] if d["name"] == "cpu"][0]
expect("run cpu method", cpu["method"], "estimated")
if abs(cpu["avg_w"] - 0.10 * full) > 1e-9 * full:
    failures.append("run cpu avg_w %r, formula %r" % (cpu["avg_w"], 0.10 * full))
expect("run total estimated", abs(r["estimated_energy_j"] - r["total_energy_j"]) < 1e-9, True)
if "measured" in [d["method"] for d in r["domains"]]:
    failures.append("run: a domain says measured on the VM")

# --cpu and ECOMETER_CPU: the row of the instance's CPU
row = [x for x in rows if x["name"] == "Intel Xeon Platinum 8380"][0]
tdp, thr = float(row["tdp_w"]), int(row["threads"])
for how, args, extra in (("--cpu", ["--cpu", "Intel Xeon Platinum 8380"], {}),
                         ("ECOMETER_CPU", [], {"ECOMETER_CPU": "Intel Xeon Platinum 8380"})):
    p = run(["sensors", "--window", "0"] + args, **extra)
    want = ("warning: CPU power estimated, not measured: %s \"Intel Xeon Platinum 8380\" (TDP %g W, %d threads): "
            "%s W per thread x 2 CPUs (%s) = %s W at full load" % (how, tdp, thr, g3(tdp / thr), LIMIT,
                                                                 g4(2 * tdp / thr)))
    expect(how, p.stdout.splitlines()[1], want)
# --cpu-tdp alone: the TDP over the 8 CPUs online
p = run(["sensors", "--window", "0"], ECOMETER_CPU_TDP="120W")
want = ("warning: CPU power estimated, not measured: TDP 120 W from ECOMETER_CPU_TDP, over the CPUs online: "
        "%s W per thread x 2 CPUs (%s) = %s W at full load" % (g3(120 / 8), LIMIT, g4(2 * 120 / 8)))
expect("ECOMETER_CPU_TDP", p.stdout.splitlines()[1], want)

# the flags on the other commands: the CPU domain's power at load 0 is the formula
p = run(["top", "--count", "1", "--refresh", "200ms", "--format", "json", "--cpu", "Intel Xeon Platinum 8380"])
frame = json.loads(p.stdout.splitlines()[0])
cpu = [d for d in frame["domains"] if d["name"] == "cpu"][0]
if abs(cpu["power_w"] - 0.10 * 2 * tdp / thr) > 1e-9:
    failures.append("top --cpu: %r W, formula %r" % (cpu["power_w"], 0.10 * 2 * tdp / thr))
p = run(["monitor", "--duration", "1s", "--interval", "250ms", "--format", "csv", "--quiet", "--cpu-tdp", "80"])
# the record's CSV (issue 12): the cpu domain's row, by column name
lines = [l for l in p.stderr.splitlines() if not l.startswith("ecometer: ")]
rows = [r for r in csv.DictReader(io.StringIO("\n".join(lines))) if r["section"] == "domain" and r["name"] == "cpu"]
expect("monitor --cpu-tdp device", [(r["device"], r["method"], r["top_level"]) for r in rows[:1]],
       [("Intel Xeon Processor (Icelake), 10 W/thread x 2 CPUs", "estimated", "1")])
if rows and abs(float(rows[0]["avg_w"]) - 0.10 * 2 * 80 / 8) > 1e-3:
    failures.append("monitor --cpu-tdp avg_w %s, formula %r" % (rows[0]["avg_w"], 0.10 * 2 * 80 / 8))
out = os.path.join(TMP, "run-cpu.json")
p = run(["run", "--no-history", "--json", out, "--cpu", "Intel Xeon Platinum 8380", "--", "true"])
cpu = [d for d in json.load(open(out))["domains"] if d["name"] == "cpu"][0]
expect("run --cpu device", cpu["device"], "Intel Xeon Platinum 8380, %s W/thread x 2 CPUs" % g3(tdp / thr))

# bad values: exit 2 and a clear message, on every measuring command
bad_tdp = ["ecometer: --cpu-tdp 'lots' is not a power in watts between 0 and 1000",
           "ecometer: hint: give the TDP of one CPU socket in watts, e.g. --cpu-tdp 150"]
for cmd in (["run", "--cpu-tdp", "lots", "--", "true"], ["monitor", "--cpu-tdp", "lots", "--duration", "1s"],
            ["top", "--cpu-tdp", "lots", "--count", "1"], ["serve", "--cpu-tdp", "lots", "--duration", "1s"],
            ["sensors", "--cpu-tdp", "lots"]):
    p = run(cmd)
    expect("%s exit" % cmd[0], p.returncode, 2)
    expect("%s message" % cmd[0], p.stderr.splitlines()[:2], bad_tdp)
    p = run(cmd[:1] + ["--cpu", "Quantum Toaster 9000"] + cmd[3:])
    expect("%s --cpu exit" % cmd[0], p.returncode, 2)
    expect("%s --cpu message" % cmd[0], p.stderr.splitlines()[0] if p.stderr else "",
           "ecometer: --cpu 'Quantum Toaster 9000': no CPU in ecometer's table matches 'Quantum Toaster 9000'")
p = run(["sensors"], ECOMETER_CPU_TDP="0")
expect("env exit", p.returncode, 2)
expect("env message", p.stderr.splitlines()[:2],
       ["ecometer: ECOMETER_CPU_TDP '0' is not a power in watts between 0 and 1000",
        "ecometer: hint: give the TDP of one CPU socket in watts, e.g. ECOMETER_CPU_TDP=150"])

for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)
