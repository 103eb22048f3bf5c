#!/usr/bin/env python3
"""`ecometer serve` on every fixture board under tests/fixtures (every folder
with a sys/ tree, so boards added later are covered too; the Grace Hopper
node with two stand-in NVML GPUs): /metrics passes `promtool check metrics`
and no two series of a metric share a label set (domain names are unique on
every board, whatever its labels)."""
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import *  # noqa: E402,F401

FIXTURES = os.path.join(SRC, "tests", "fixtures")
STANDIN = os.path.join(BUILD, "tests", "libnvml-standin.so")
promtool = shutil.which("promtool")
if not promtool:
    skip("promtool is not installed (Debian package prometheus; .ci/run installs it)")

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def duplicates(text):
    seen, dup = set(), []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            fail("unparsable metrics line: %r" % line)
        key = (m.group(1), frozenset(LABEL.findall(m.group(3) or "")))
        if key in seen:
            dup.append(line)
        seen.add(key)
    return dup


failures = []
boards = sorted(b for b in os.listdir(FIXTURES) if os.path.isdir(os.path.join(FIXTURES, b, "sys")))
# and an AGX Orin whose second INA3221 repeats a label on an enabled channel
dup_board = os.path.join(TMP, "agx-orin-repeated-label")
shutil.copytree(os.path.join(FIXTURES, "jetson-agx-orin"), dup_board)
for f, v in (("in1_label", "VDD_CPU_CV"), ("in1_input", "4980"), ("curr1_input", "120")):
    with open(os.path.join(dup_board, "sys", "class", "hwmon", "hwmon2", f), "w") as fh:
        fh.write(v + "\n")
boards.append(dup_board)
for board in boards:
    root = os.path.join(FIXTURES, board)  # an absolute path stays itself
    env = {"ECOMETER_CPUINFO": os.path.join(root, "proc", "cpuinfo")}
    if board == "grace-hopper" and os.path.exists(STANDIN):
        env.update(ECOMETER_NVML_LIB=STANDIN, NVML_STANDIN_GPUS="2", NVML_STANDIN_NAMES="NVIDIA GH200 480GB",
                   NVML_STANDIN_POWER_MW="300000,280000")
    agent, port = start_agent(root, ["--interval", "200ms"], env)
    try:
        time.sleep(0.8)
        status, text = get(port)
    finally:
        stop(agent)
    if status != 200:
        failures.append("%s: GET /metrics %d" % (board, status))
        continue
    r = subprocess.run([promtool, "check", "metrics"], input=text, text=True, capture_output=True)
    dup = duplicates(text)
    n = sum(1 for line in text.splitlines() if line.startswith("ecometer_power_watts{"))
    print("%-18s promtool %s, %d power series, %d duplicate label sets" % (
        os.path.basename(board), "ok" if r.returncode == 0 else "FAILED", n, len(dup)))
    if r.returncode != 0:
        failures.append("%s: promtool check metrics: %s%s" % (board, r.stdout, r.stderr))
    if dup:
        failures.append("%s: series sharing a label set: %s" % (board, dup[:4]))
    if board == dup_board and ('domain="VDD_CPU_CV_2"' not in text or n != 5):
        failures.append("repeated label: want VDD_CPU_CV and VDD_CPU_CV_2 among 5 power series, got %d" % n)
if failures:
    fail("\n".join(failures))
print("ok: %d boards" % len(boards))
