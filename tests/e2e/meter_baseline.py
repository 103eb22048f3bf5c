#!/usr/bin/env python3
"""The idle baseline on a fixture server whose counters the fixture writer
advances at known, constant power: `ecometer baseline` stores the idle power
(checked against the writer's power), `run` then uses the stored one and
says so, `run --baseline` measures a fresh one, the net energy is total minus
baseline x duration, a baseline stored with other sensors is not used, and a
malformed stored file is a warning."""
import json
import os
import signal
import subprocess
import sys
import time

SRC = os.environ["ECOMETER_SRC"]
BIN = os.environ["ECOMETER_BIN"]
TMP = os.environ["ECO_TEST_TMPDIR"]
WRITER = os.path.join(SRC, "tests", "tools", "fixture_writer.py")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecotest  # noqa: E402
WATTS = {"package-0": 40.0, "dram-0": 6.0, "package-1": 30.0, "dram-1": 4.0}  # core-N stay 0 (inside packages)
IDLE = sum(WATTS.values())


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def timed_fail(msg, lag_s):
    """A figure lag_s seconds' worth of the writer's power off: skip if the
    writer paused that long, else fail (ecotest.timed_fail)."""
    ecotest.timed_fail(msg, lag_s, w, out + ".truth")


out = os.path.join(TMP, "srv")
args = [sys.executable, WRITER, "--fixture", "intel-2s-server", "--out", out, "--default-power", "0",
        "--ready", out + ".ready", "--truth", out + ".truth"]
for k, v in WATTS.items():
    args += ["--power", "%s=%g" % (k, v)]
w = subprocess.Popen(args)
try:
    for _ in range(200):
        if os.path.exists(out + ".ready"):
            break
        time.sleep(0.05)
    env = dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(out, "sys"), XDG_STATE_HOME=os.path.join(TMP, "state"),
               ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1")
    for k in ("ECOMETER_SOCKET", "ECOMETER_PROC_ROOT", "ECOMETER_BASELINE_FILE"):
        env.pop(k, None)

    def ecometer(*a):
        return subprocess.run([BIN] + list(a), env=env, capture_output=True, text=True, timeout=60)

    p = ecometer("baseline", "--show")
    if p.returncode != 1 or "no stored baseline" not in p.stderr:
        fail("--show without a baseline: %d %s" % (p.returncode, p.stderr))
    p = ecometer("baseline", "--duration", "2s", "--format", "json")
    if p.returncode != 0:
        fail("baseline: " + p.stderr)
    b = json.loads(p.stdout)
    # a 2 s average of counters that the writer refreshes every 10 ms, later
    # when the machine is busy (its lag at either end shifts the figure): 5 %.
    # The arithmetic itself is pinned exactly by the unit tests.
    if abs(b["baseline_w"] - IDLE) > 0.05 * IDLE:
        timed_fail("stored idle power %.3f W, the writer draws %.1f W" % (b["baseline_w"], IDLE),
                   abs(b["baseline_w"] - IDLE) / IDLE * 2.0)
    path = os.path.join(TMP, "state", "ecometer", "baseline.tsv")
    if b["file"] != path or not os.path.exists(path):
        fail("baseline file %s (expected %s)" % (b["file"], path))

    j = os.path.join(TMP, "stored.json")
    p = ecometer("run", "--no-history", "--json", j, "--", "sleep", "1.5")
    d = json.load(open(j))
    if p.returncode != 0 or not d["baseline_source"].startswith("stored") or "stored" not in p.stderr:
        fail("run did not use the stored baseline: %s / %s" % (d["baseline_source"], p.stderr))
    if abs(d["baseline_w"] - b["baseline_w"]) > 1e-3:
        fail("baseline_w %.4f vs stored %.4f" % (d["baseline_w"], b["baseline_w"]))
    want_net = max(0.0, d["total_energy_j"] - d["baseline_w"] * d["duration_s"])
    if abs(d["net_energy_j"] - want_net) > 1e-6 * max(1, want_net):
        fail("net %.4f != total - baseline x duration %.4f" % (d["net_energy_j"], want_net))
    # the machine only idles: what the run added is small next to the total
    if d["net_energy_j"] > 0.10 * d["total_energy_j"]:
        timed_fail("net %.2f J of an idle run with total %.2f J" % (d["net_energy_j"], d["total_energy_j"]),
                   d["net_energy_j"] / IDLE)

    j = os.path.join(TMP, "fresh.json")
    p = ecometer("run", "--no-history", "--baseline", "1s", "--json", j, "--", "true")
    d = json.load(open(j))
    if p.returncode != 0 or not d["baseline_source"].startswith("measured 1"):
        fail("run --baseline 1s: %s %.3f W %s" % (d["baseline_source"], d["baseline_w"], p.stderr))
    if abs(d["baseline_w"] - IDLE) > 0.08 * IDLE:
        timed_fail("run --baseline 1s: %.3f W, the writer draws %.1f W" % (d["baseline_w"], IDLE),
                   abs(d["baseline_w"] - IDLE) / IDLE * 1.0)

    # a baseline stored with other sensors is not used
    text = open(path).read().replace("sensors\t", "sensors\tgpu-0,")
    open(path, "w").write(text)
    j = os.path.join(TMP, "other.json")
    p = ecometer("run", "--no-history", "--json", j, "--", "true")
    d = json.load(open(j))
    if d["baseline_w"] != 0 or "other sensors" not in p.stderr:
        fail("mismatched stored baseline used: %s" % p.stderr)
    # a malformed file: a warning, the run goes on
    open(path, "w").write("watts\tlots\n")
    p = ecometer("run", "--no-history", "--", "true")
    if p.returncode != 0 or "warning" not in p.stderr:
        fail("malformed stored baseline: %d %s" % (p.returncode, p.stderr))
finally:
    w.send_signal(signal.SIGTERM)
    w.wait(timeout=10)
print("ok: baseline stored (%.2f W for %.1f W drawn), used by later runs, measured on demand, refused when stale"
      % (b["baseline_w"], IDLE))
