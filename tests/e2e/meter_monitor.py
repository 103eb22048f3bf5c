#!/usr/bin/env python3
"""ecometer monitor: a line per interval on stdout (text, csv, json), the
summary at the end, --duration or Ctrl-C (SIGINT) to stop, the energy of the
fixture server at known power; --help of the three meter commands."""
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time

SRC = os.environ["ECOMETER_SRC"]
BIN = os.environ["ECOMETER_BIN"]
TMP = os.environ["ECO_TEST_TMPDIR"]
failures = []


def expect(cond, msg):
    if not cond:
        failures.append(msg)


for cmd in ("run", "monitor", "baseline"):
    p = subprocess.run([BIN, cmd, "--help"], capture_output=True, text=True)
    expect(p.returncode == 0 and p.stdout.startswith("usage: ecometer " + cmd), "%s --help" % cmd)
p = subprocess.run([BIN, "monitor", "--interval", "nonsense"], capture_output=True, text=True)
expect(p.returncode == 2 and "hint" in p.stderr, "bad --interval: %d %s" % (p.returncode, p.stderr))

out = os.path.join(TMP, "srv")
w = subprocess.Popen([sys.executable, os.path.join(SRC, "tests", "tools", "fixture_writer.py"),
                      "--fixture", "intel-2s-server", "--out", out, "--default-power", "0",
                      # 75 W from t=0.5 s to 1.5 s, 0 W before and after, t counting
                      # from the monitor's first line (--hold: it has read the counters
                      # by then, 0.25 s in): the monitor (2.5 s) sees exactly 75 J,
                      # whatever the writer's lag or the monitor's start-up time on a
                      # busy machine
                      "--power", "package-0=0@0,60@0.5,0@1.5", "--power", "dram-1=0@0,15@0.5,0@1.5",
                      "--ready", out + ".ready", "--hold", out + ".go"])
try:
    for _ in range(200):
        if os.path.exists(out + ".ready"):
            break
        time.sleep(0.05)
    env = dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(out, "sys"), XDG_STATE_HOME=TMP,
               ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1")
    env.pop("ECOMETER_PROC_ROOT", None)
    j = os.path.join(TMP, "mon.json")
    mon = subprocess.Popen([BIN, "monitor", "--no-history", "--interval", "250ms", "--duration", "2.5s", "--format",
                            "csv", "--json", j], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    head = mon.stdout.readline() + mon.stdout.readline()  # the header and the first sample
    open(out + ".go", "w").close()
    rest, err = mon.communicate(timeout=60)
    p = subprocess.CompletedProcess(mon.args, mon.returncode, head + rest, err)
    expect(p.returncode == 0, "monitor: %d %s" % (p.returncode, p.stderr))
    lines = p.stdout.splitlines()
    expect(lines and lines[0].startswith("t_s,power_w,energy_j,package-0_w"), "csv header %r" % lines[:1])
    expect(9 <= len(lines) - 1 <= 12, "%d lines for 2.5 s at 250 ms" % (len(lines) - 1))
    peak = max(float(x.split(",")[1]) for x in lines[1:])
    expect(peak > 60, "no line shows the 75 W phase (peak %.1f W)" % peak)
    expect(float(lines[-1].split(",")[1]) == 0, "last line %r: the load ended at 1.5 s" % lines[-1])
    d = json.load(open(j))
    expect(d["kind"] == "monitor" and d["exit_status"] is None, "JSON kind/exit_status")
    expect(abs(d["total_energy_j"] - 75) <= 0.75, "total %.3f J (75 W for 1 s)" % d["total_energy_j"])
    # the record's CSV on stderr (render/record_csv.c): a run row with the JSON's figures
    summary = list(csv.DictReader(io.StringIO(p.stderr[p.stderr.index("section,"):])))
    run_row = [r for r in summary if r["section"] == "run"]
    expect(len(run_row) == 1 and float(run_row[0]["total_energy_j"]) == float("%.15g" % d["total_energy_j"]),
           "csv run row %r" % run_row)
    expect(any(r["section"] == "domain" and r["name"] == "package-0" for r in summary), "csv domain rows")

    # Ctrl-C (SIGINT) stops it with the summary; text lines
    proc = subprocess.Popen([BIN, "monitor", "--no-history", "--interval", "200ms"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()  # a first line: it is sampling
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=20)
    expect(proc.returncode == 0, "monitor after SIGINT: rc %d" % proc.returncode)
    expect(" W " in first and "package-0" in first, "text line %r" % first)
    expect("whole machine" in err and "total" in err, "summary after SIGINT: %r" % err[-300:])
finally:
    w.send_signal(signal.SIGTERM)
    w.wait(timeout=10)
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: monitor lines, duration, SIGINT, summary and JSON at known power")
