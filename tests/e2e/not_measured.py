#!/usr/bin/env python3
"""A machine where nothing can be measured or estimated (the no-sensors board
with a CPU that is not in the table): no output may say "0 J" or "measured".
Every output of the run says "not measured": the summary in text, JSON and
CSV, the --json file (null energy and CO2e), the history (runs, show in each
format), the exports (json, csv, codecarbon: empty cells) and the HTML report,
which also says why."""
import csv
import io
import json
import os
import shutil
import subprocess
import sys

SRC = os.environ["ECOMETER_SRC"]
BIN = os.environ["ECOMETER_BIN"]
TMP = os.environ["ECO_TEST_TMPDIR"]
BOARD = os.path.join(TMP, "no-sensors")
shutil.copytree(os.path.join(SRC, "tests", "fixtures", "no-sensors"), BOARD)
with open(os.path.join(BOARD, "proc", "cpuinfo"), "w") as f:
    f.write("processor\t: 0\nmodel name\t: Quantum Toaster 9000\n")
WHY = ("no power sensor was readable and the CPU could not be estimated (its model unknown or not in "
       "ecometer's CPU table, and no --cpu or --cpu-tdp given) on the machine the run was made on; "
       "'ecometer sensors' there says why and what would fix it")
ENV = dict(os.environ, ECOMETER_SYSFS_ROOT=BOARD + "/sys", ECOMETER_PROC_ROOT=BOARD + "/proc",
           ECOMETER_CPUINFO=BOARD + "/proc/cpuinfo", ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1",
           XDG_DATA_HOME=os.path.join(TMP, "data"), XDG_STATE_HOME=TMP)
for k in ("ECOMETER_CPU", "ECOMETER_CPU_TDP", "ECOMETER_CPU_TABLE"):
    ENV.pop(k, None)
failures = []


def run(args, code=0):
    p = subprocess.run([BIN] + args, env=ENV, capture_output=True, text=True, timeout=60)
    if p.returncode != code:
        failures.append("%s: exit %d, want %d: %s" % (" ".join(args), p.returncode, code, p.stderr))
    return p


def no_zero_energy(what, text):
    for bad in (" 0 J", "0 Wh", ", measured", "\tmeasured"):
        if bad in text:
            failures.append("%s says %r:\n%s" % (what, bad, text))


def expect(what, got, want):
    if got != want:
        failures.append("%s:\n  got  %r\n  want %r" % (what, got, want))


# the sensors say so first
p = run(["sensors", "--window", "0"])
if "Nothing can be measured or estimated on this machine" not in p.stdout:
    failures.append("sensors: no conclusion: " + p.stdout)

# run: text summary, then the JSON and CSV summaries, and the --json file
jf = os.path.join(TMP, "run.json")
p = run(["run", "--json", jf, "--", "true"])
no_zero_energy("run text summary", p.stderr)
expect("run text total", "  total           not measured: " + WHY in p.stderr.splitlines(), True)
expect("run text CO2e", any(l.startswith("  CO2e            not measured (no energy), at ")
                            for l in p.stderr.splitlines()), True)
res = json.load(open(jf))
for k in ("total_energy_j", "estimated_energy_j", "net_energy_j", "co2e_g", "net_co2e_g", "total_lifecycle_co2e_g"):
    expect("--json " + k, res[k], None)
expect("--json attributed", res["attributed"]["energy_j"], None)
expect("--json energy_method", res["energy_method"], "not measured")
expect("--json why", res["not_measured_why"], WHY)
p = run(["run", "--no-history", "--format", "json", "--", "true"])
j = json.loads(p.stderr[p.stderr.index("{"):p.stderr.rindex("}") + 1])
expect("summary json total", j["total_energy_j"], None)
p = run(["run", "--no-history", "--format", "csv", "--", "true"])
# the record's CSV (issue 12): the run row says "not measured", its energy and CO2e cells are empty
lines = [l for l in p.stderr.splitlines() if not l.startswith("ecometer: ")]
rows = [r for r in csv.DictReader(io.StringIO("\n".join(lines))) if r["section"] == "run"]
expect("summary csv run row", [(r["method"], r["total_energy_j"], r["co2e_g"], r["net_energy_j"]) for r in rows],
       [("not measured", "", "", "")])

# history
p = run(["runs"])
no_zero_energy("runs", p.stdout)
expect("runs text", "not measured" in p.stdout.splitlines()[2], True)
p = run(["runs", "--format", "json"])
r0 = json.loads(p.stdout)[0]
expect("runs json", (r0["total_energy_j"], r0["co2e_g"], r0["energy_method"]), (None, None, "not measured"))
p = run(["runs", "--format", "csv"])
r0 = list(csv.DictReader(io.StringIO(p.stdout)))[0]
expect("runs csv", (r0["total_energy_j"], r0["co2e_g"]), ("", ""))
p = run(["show", "latest"])
no_zero_energy("show", p.stdout)
expect("show energy", "energy    not measured: " + WHY in p.stdout.splitlines(), True)
p = run(["show", "latest", "--format", "json"])
j = json.loads(p.stdout)
expect("show json", (j["total_energy_j"], j["co2e_g"], j["not_measured_why"]), (None, None, WHY))
p = run(["show", "latest", "--format", "csv"])
r0 = list(csv.DictReader(io.StringIO(p.stdout)))[0]
expect("show csv", (r0["section"], r0["method"], r0["energy_j"], r0["avg_w"]), ("run", "not measured", "", ""))

# exports
p = run(["export", "latest", "--format", "json"])
expect("export json", json.loads(p.stdout).get("total_energy_j", 0), None)
p = run(["export", "latest", "--format", "codecarbon"])
r0 = list(csv.DictReader(io.StringIO(p.stdout)))[0]
expect("codecarbon energy", [r0[k] for k in ("emissions", "cpu_energy", "energy_consumed", "cpu_power")],
       ["", "", "", ""])

# the report says "not measured" and why
html = os.path.join(TMP, "r.html")
run(["report", "latest", "-o", html])
page = open(html).read()
expect("report why", ("not measured: " + WHY).replace("'", "&#39;") in page, True)
no_zero_energy("report", page)

for f in failures:
    print("FAIL " + f)
print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
