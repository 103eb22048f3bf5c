#!/usr/bin/env python3
"""Incidents during a run, end to end: on the fixture server a RAPL counter
that jumps backwards (one interval dropped, reported), a value file that
holds garbage for a while (a gap, bridged exactly by the counter), a domain
whose file disappears (reported, energy kept until then); with the stand-in
NVML library a GPU lost mid-run (reported, the other GPU measured on)."""
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
failures = []


def expect(cond, msg):
    if not cond:
        failures.append(msg)


out = os.path.join(TMP, "srv")
w = subprocess.Popen([sys.executable, os.path.join(SRC, "tests", "tools", "fixture_writer.py"),
                      "--fixture", "intel-2s-server", "--out", out, "--default-power", "0",
                      "--power", "package-0=100", "--power", "dram-0=20", "--power", "package-1=50",
                      "--backwards", "package-0@1.0:50", "--garbage", "dram-0@1.0:0.15", "--vanish", "package-1@1.5",
                      "--ready", out + ".ready", "--truth", out + ".truth"])
try:
    for _ in range(200):
        if os.path.exists(out + ".ready"):
            break
        time.sleep(0.05)
    env = dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(out, "sys"), XDG_STATE_HOME=TMP,
               ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1")
    env.pop("ECOMETER_SOCKET", None)
    env.pop("ECOMETER_PROC_ROOT", None)
    j = os.path.join(TMP, "srv.json")
    p = subprocess.run([BIN, "run", "--no-history", "--interval", "50ms", "--json", j, "--", "sleep", "2.5"],
                       env=env, capture_output=True, text=True, timeout=60)
finally:
    w.send_signal(signal.SIGTERM)
    w.wait(timeout=10)
expect(p.returncode == 0, "server run: %d %s" % (p.returncode, p.stderr))
d = {x["name"]: x for x in json.load(open(j))["domains"]}
pk, dr, p1 = d["package-0"], d["dram-0"], d["package-1"]
# backwards: reported, one interval dropped, the rest measured at 100 W
expect("backwards" in pk["note"], "package-0 note: %r" % pk["note"])
expect(0 < pk["gap_s"] <= 0.3, "package-0 gap %.3f s" % pk["gap_s"])
covered = pk["energy_j"] / pk["avg_w"] if pk["avg_w"] else 0
expect(abs(pk["avg_w"] - 100) <= 3, "package-0 average %.2f W over %.2f s (100 W)" % (pk["avg_w"], covered))
# garbage: a gap the counter bridges: the energy is all there
expect(0.1 <= dr["gap_s"] <= 0.5, "dram-0 gap %.3f s" % dr["gap_s"])
expect(abs(dr["avg_w"] - 20) <= 0.6, "dram-0 average %.2f W (20 W through the gap)" % dr["avg_w"])
# vanished file: no reading since ~1.5 s, the energy until then kept
expect("no reading" in p1["note"] or "vanished" in p1["note"], "package-1 note: %r" % p1["note"])
expect(40 <= p1["energy_j"] <= 90, "package-1 energy %.2f J (50 W until 1.5 s)" % p1["energy_j"])

lib = os.path.join(BUILD, "tests", "libnvml-standin.so")
if os.path.exists(lib):
    env = dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(SRC, "tests", "fixtures", "intel-2s-server", "sys"),
               XDG_STATE_HOME=TMP, ECOMETER_NVML_LIB=lib, NVML_STANDIN_GPUS="2",
               NVML_STANDIN_POWER_MW="120000,80000", NVML_STANDIN_LOST="1:15")
    env.pop("ECOMETER_SOCKET", None)
    j = os.path.join(TMP, "gpu.json")
    p = subprocess.run([BIN, "run", "--no-history", "--interval", "50ms", "--json", j, "--", "sleep", "1.5"],
                       env=env, capture_output=True, text=True, timeout=60)
    expect(p.returncode == 0, "nvml run: %d %s" % (p.returncode, p.stderr))
    g = {x["name"]: x for x in json.load(open(j))["domains"] if x["kind"] == "gpu"}
    expect(sorted(g) == ["gpu-0", "gpu-1"], "GPU domains %s" % sorted(g))
    if sorted(g) == ["gpu-0", "gpu-1"]:
        expect(g["gpu-1"]["note"] != "", "lost GPU not reported: %r" % g["gpu-1"]["note"])
        expect(0 < g["gpu-1"]["energy_j"] < 80 * 1.0, "gpu-1 energy %.2f J before it was lost" % g["gpu-1"]["energy_j"])
        expect(abs(g["gpu-0"]["avg_w"] - 120) <= 1.2, "gpu-0 average %.2f W (120 W)" % g["gpu-0"]["avg_w"])
        cov = g["gpu-0"]["energy_j"] / g["gpu-0"]["avg_w"] if g["gpu-0"]["avg_w"] else 0
        expect(cov > 1.3, "gpu-0 measured only %.2f s after gpu-1 was lost" % cov)
else:
    print("skip nvml part: %s not built" % lib)

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: backwards counter, garbage, vanished file, lost GPU: reported, and measured around")
