#!/usr/bin/python3
"""`ecometer top` with a GPU through the stand-in NVML library (tests/nvml_standin):
the GPU's bar is scaled to the power limit NVML reports (nvmlDeviceGetEnforcedPowerLimit),
the other domains to the highest power seen; each process on the GPU gets its share of
the GPU's power by SM utilisation (nvmlDeviceGetProcessUtilization), labelled an
attribution estimate; a driver without per-process utilisation gives no per-process
GPU power, and says so."""
import json
import os
import subprocess
import sys

B = os.environ["ECOMETER_BIN"]
SRC = os.environ["ECOMETER_SRC"]
BUILD = os.environ["ECOMETER_BUILD"]
T = os.environ.get("ECO_TEST_TMPDIR") or "/tmp"
me = os.getpid()


def fail(what):
    sys.exit("FAIL: " + what)


def top(lib, **extra):
    env = dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(SRC, "tests/fixtures/intel-2s-server/sys"),
               XDG_STATE_HOME=T, ECOMETER_NVML_LIB=os.path.join(BUILD, "tests", lib),
               NVML_STANDIN_POWER_MW="100000", NVML_STANDIN_PROCS="%d:60:10,1:20:5" % me,
               NVML_STANDIN_PROCS_LIVE="1", **extra)
    p = subprocess.run([B, "top", "--format", "json", "--count", "3", "--refresh", "300ms",
                        "--region", "FR"], env=env, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        fail("top exited %d: %s" % (p.returncode, p.stderr))
    return [json.loads(line) for line in p.stdout.splitlines()]


frames = top("libnvml-standin.so", NVML_STANDIN_LIMIT_MW="400000")
last = frames[-1]
gpu = [d for d in last["domains"] if d["kind"] == "gpu"]
if len(gpu) != 1 or gpu[0]["range"] != "power limit" or gpu[0]["range_w"] != 400:
    fail("the GPU's bar is not scaled to its 400 W limit: %s" % gpu)
cpu = [d for d in last["domains"] if d["kind"] == "cpu-package"]
if not cpu or any(d["range"] != "highest seen" or d["range_w"] < d["power_w"] - 1e-9 for d in cpu):
    fail("a CPU domain's range is not the highest power seen: %s" % cpu)
procs = {p["pid"]: p for p in last["gpu_processes"]}
w = gpu[0]["power_w"]
if set(procs) != {me, 1}:
    fail("GPU processes: %s" % last["gpu_processes"])
if abs(procs[me]["power_w"] - w * 60 / 80) > 1e-6 * w or abs(procs[1]["power_w"] - w * 20 / 80) > 1e-6 * w:
    fail("per-process GPU power is not the GPU's power split by SM use: %s (GPU %g W)" % (procs, w))
if "estimate" not in procs[me]["method"] or procs[me]["comm"] != open("/proc/self/comm").read().strip():
    fail("per-process GPU power not labelled an estimate, or no command name: %s" % procs[me])
if last["gpu_processes"][0]["pid"] != me:
    fail("GPU processes not sorted by power")

# Without a power limit from NVML, the GPU's bar is scaled to the highest seen.
frames = top("libnvml-standin.so")
gpu = [d for d in frames[-1]["domains"] if d["kind"] == "gpu"][0]
if gpu["range"] != "highest seen":
    fail("no limit reported, yet the range is %s" % gpu["range"])

# An older driver (no nvmlDeviceGetProcessUtilization, only the running processes): no per-process GPU power, and why.
frames = top("libnvml-standin-noenergy.so")
if frames[-1]["gpu_processes"] or "no per-process GPU utilisation" not in frames[-1].get("gpu_processes_note", ""):
    fail("old driver: %s" % frames[-1])
print("ok: GPU bar to its 400 W limit, %g W split %g/%g W by SM use (estimate)" % (w, procs[me]["power_w"], procs[1]["power_w"]))
