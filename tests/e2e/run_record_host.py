#!/usr/bin/env python3
"""The host a run records is the machine the sensors read (issue 12: "the host
description must follow ECOMETER_PROC_ROOT/ECOMETER_CPUINFO like the rest").

On every fixture board, with only ECOMETER_SYSFS_ROOT and ECOMETER_PROC_ROOT
set (no ECOMETER_CPUINFO: <proc>/cpuinfo must be found through the root),
`run --json` records:
- host.cpu_model: the model `ecometer sensors` reports for that board;
- host.cpu_count: the board's online CPUs, counted here from the files as the
  kernel writes them (<sys>/devices/system/cpu/online, a CPU list, else the
  cpuN lines of <proc>/stat), not the CPUs of the machine running the test
  (before, sysconf(_SC_NPROCESSORS_ONLN): the host's);
- host.ram_gb: the board's MemTotal in GiB;
and `show` says "N CPUs" ("1 CPU") and "N GB RAM", or "CPUs unknown" and "RAM
unknown" on a board without the files (never "0 CPUs", "0 GB RAM")."""
import json
import os
import re
import subprocess
import sys

BIN = os.environ["ECOMETER_BIN"]
SRC = os.environ["ECOMETER_SRC"]
TMP = os.environ["ECO_TEST_TMPDIR"]
FIX = os.path.join(SRC, "tests", "fixtures")
BOARDS = sorted(b for b in os.listdir(FIX) if os.path.isdir(os.path.join(FIX, b, "sys")))
failures = []


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def cpu_list_count(text):
    """CPUs in a kernel CPU list ("0-3,8,10-11"), Documentation/admin-guide/cputopology.rst."""
    n = 0
    for part in text.strip().split(","):
        lo, _, hi = part.partition("-")
        n += (int(hi) - int(lo) + 1) if hi else 1
    return n


def online_cpus(board):
    listed = read(os.path.join(FIX, board, "sys", "devices", "system", "cpu", "online"))
    if listed and listed.strip():
        return cpu_list_count(listed)
    stat = read(os.path.join(FIX, board, "proc", "stat"))
    return len(re.findall(r"^cpu\d+ ", stat, re.M)) if stat else 0


def mem_gib(board):
    m = re.search(r"^MemTotal:\s+(\d+) kB", read(os.path.join(FIX, board, "proc", "meminfo")) or "", re.M)
    return int(m.group(1)) / 1048576.0 if m else 0.0


def eco(env, *args):
    p = subprocess.run([BIN] + list(args), env=env, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        failures.append("ecometer %s: exit %d, %s" % (" ".join(args), p.returncode, p.stderr[-400:]))
    return p.stdout


counts = set()
for board in BOARDS:
    root = os.path.join(FIX, board)
    env = {k: v for k, v in os.environ.items() if k != "ECOMETER_CPUINFO"}
    env.update(ECOMETER_SYSFS_ROOT=os.path.join(root, "sys"), ECOMETER_PROC_ROOT=os.path.join(root, "proc"),
               ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1", ECOMETER_DB=os.path.join(TMP, board + ".db"),
               XDG_STATE_HOME=TMP, XDG_CONFIG_HOME=TMP)
    out = os.path.join(TMP, board + ".json")
    eco(env, "run", "-q", "--carbon-intensity", "100", "--json", out, "--", "true")
    try:
        host = json.load(open(out))["host"]
    except (OSError, ValueError, KeyError) as e:
        failures.append("%s: no run JSON: %s" % (board, e))
        continue
    want = online_cpus(board)
    counts.add(want)
    if host["cpu_count"] != want:
        failures.append("%s: host.cpu_count %r, the board has %d online" % (board, host["cpu_count"], want))
    if abs(host["ram_gb"] - mem_gib(board)) > 1e-6 * max(1.0, mem_gib(board)):
        failures.append("%s: host.ram_gb %r, the board's MemTotal is %.6g GiB" % (board, host["ram_gb"], mem_gib(board)))
    sensors = eco(env, "sensors", "--format", "json", "--window", "0")
    model = json.loads(sensors)["cpu"]["model"] if sensors else None
    if host["cpu_model"] != (model or ""):
        failures.append("%s: host.cpu_model %r, sensors %r" % (board, host["cpu_model"], model))
    shown = eco(env, "show", "latest")
    gib = mem_gib(board)
    for text in ("(%d CPU%s)" % (want, "" if want == 1 else "s") if want else "(CPUs unknown)",
                 "%.0f GB RAM" % gib if gib else "RAM unknown"):
        if text not in shown:
            failures.append("%s: show lacks %r:\n%s" % (board, text, shown[:600]))
# the boards must tell the host's count apart from theirs, or the test proves nothing
if len(counts) < 3:
    failures.append("the fixture boards give too few distinct CPU counts: %r" % sorted(counts))
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: on %d boards the run's host (CPU model, %s CPUs online, RAM) is the board's, through the roots"
      % (len(BOARDS), "/".join(str(c) for c in sorted(counts))))
