#!/usr/bin/python3
"""runs / show / compare / export on a test history built from synthetic runs
(tests/tools/eco_mkrun): outputs agree with each other and with the stored
figures; bad input gives clear errors and the documented exit codes."""
import csv
import io
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import eco_with, require as check  # noqa: E402

B = os.environ["ECOMETER_BIN"]
MKRUN = os.path.join(os.environ["ECOMETER_BUILD"], "tests", "eco_mkrun")
T = os.environ.get("ECO_TEST_TMPDIR") or "/tmp"
DB = os.path.join(T, "h.db")
ENV = dict(os.environ, ECOMETER_DB=DB)


eco = eco_with(ENV)  # ecometer ARGS; stops the test unless it exits with code=


# No history yet: a clear error, and reading creates nothing.
p = eco("runs", code=1)
check("no history at" in p.stderr and "hint:" in p.stderr, "missing history message: " + p.stderr)
check(not os.path.exists(DB), "runs created the history file")

subprocess.run([MKRUN, DB, "20261126-100000-teach", "gpu_w=250", "epochs=3", "items=1000",
                "start=1795680000", "command=python3 train.py --model teacher"], check=True, capture_output=True)
subprocess.run([MKRUN, DB, "20261126-110000-stud", "gpu_w=90", "cpu_w=40", "duration=30", "epochs=3",
                "items=1000", "start=1795683600", "command=python3 train.py --model student"],
               check=True, capture_output=True)
subprocess.run([MKRUN, DB, "20261126-120000-killed", "duration=12", "incomplete=1", "start=1795687200"],
               check=True, capture_output=True)

# runs: newest first, limit, formats.
p = eco("runs")
lines = p.stdout.splitlines()
check(lines[2].startswith("20261126-120000-killed") and "incomplete" in lines[2], "runs order/status:\n" + p.stdout)
check(lines[4].startswith("20261126-100000-teach"), "runs order:\n" + p.stdout)
runs = json.loads(eco("runs", "--format", "json").stdout)
check([r["id"] for r in runs] == ["20261126-120000-killed", "20261126-110000-stud", "20261126-100000-teach"],
      "json order")
check(runs[0]["complete"] is False and runs[1]["complete"] is True, "complete flags")
check(len(json.loads(eco("runs", "--limit", "1", "--format", "json").stdout)) == 1, "--limit")
rows = list(csv.DictReader(io.StringIO(eco("runs", "--format", "csv").stdout)))
check(len(rows) == 3 and rows[2]["command"] == "python3 train.py --model teacher", "runs csv")
eco("runs", "--limit", "0", code=2)
eco("runs", "--format", "xml", code=2)

# show: text and JSON agree; the killed run is kept and marked.
teach = json.loads(eco("show", "20261126-100000", "--format", "json").stdout)
stud = json.loads(eco("show", "latest~1", "--format", "json").stdout)
check(stud["id"] == "20261126-110000-stud", "latest~1")
text = eco("show", "20261126-100000").stdout
for word in ("package-0", "dram-0", "gpu-0", "epoch-1", "epoch-3", "per item", "CO2e", "measured"):
    check(word in text, "show text lacks " + word + ":\n" + text)
check("INCOMPLETE" in eco("show", "latest").stdout, "incomplete run not marked")
total = sum(d["energy_j"] for d in teach["domains"] if d["top_level"])
check(abs(total - teach["total_energy_j"]) < 1e-6 * total, "top-level domains add up to the total")
check(abs(teach["energy_per_item_j"] - teach["total_energy_j"] / 3000) < 1e-9, "energy per item")
p = eco("show", "nope", code=2)
check("no run 'nope'" in p.stderr, p.stderr)
eco("show", "20261126-1", code=2)  # ambiguous prefix
eco("show", code=2)
csv_rows = list(csv.DictReader(io.StringIO(eco("show", "latest~2", "--format", "csv").stdout)))
check([r["section"] for r in csv_rows].count("region") == 3, "show csv regions")

# compare: the change in % is (B - A) / A of the stored figures.
cmp = json.loads(eco("compare", "20261126-100000-teach", "20261126-110000-stud", "--format", "json").stdout)
byname = {r["metric"]: r for r in cmp["rows"]}
expect = (stud["total_energy_j"] - teach["total_energy_j"]) / teach["total_energy_j"] * 100
check(abs(byname["energy"]["change_pct"] - expect) < 1e-6, "compare energy %")
check(abs(byname["duration"]["change_pct"] + 50) < 1e-9, "compare duration %")
check(abs(byname["energy per item"]["b"] - stud["total_energy_j"] / 3000) < 1e-9, "compare per item")
check(abs(byname["CO2e"]["a"] - teach["co2e_g"]) < 1e-9, "compare CO2e")
text = eco("compare", "20261126-100000-teach", "20261126-110000-stud").stdout
check("%.1f %%" % expect in text, "compare text shows the change: \n" + text)
eco("compare", "latest", code=2)

# export codecarbon: kWh and kg agree with the run's own figures.
out = os.path.join(T, "emissions.csv")
eco("export", "20261126-100000-teach", "--format", "codecarbon", "-o", out, "--project", "distil")
cc = list(csv.DictReader(open(out)))
check(len(cc) == 1 and cc[0]["project_name"] == "distil" and cc[0]["run_id"] == teach["id"], "codecarbon row")
kwh = float(cc[0]["energy_consumed"])
check(abs(kwh * 3.6e6 - teach["total_energy_j"]) <= 1e-6 * teach["total_energy_j"], "energy_consumed kWh")
parts = float(cc[0]["cpu_energy"]) + float(cc[0]["gpu_energy"]) + float(cc[0]["ram_energy"])
check(abs(parts - kwh) <= 1e-9 * kwh, "energy_consumed = cpu + gpu + ram")
check(abs(float(cc[0]["emissions"]) * 1000 - teach["co2e_g"]) <= 1e-6 * teach["co2e_g"], "emissions kg")
check(cc[0]["country_iso_code"] == "FRA" and cc[0]["tracking_mode"] == "machine", "place columns")
allcc = list(csv.DictReader(io.StringIO(eco("export", "--all", "--format", "codecarbon").stdout)))
check(len(allcc) == 3, "export --all")

# export csv: the series integrates back to the domain energies.
series = list(csv.DictReader(io.StringIO(eco("export", "20261126-100000-teach", "--format", "csv").stdout)))
energy = {}
prev = {}
for r in series:
    t = float(r["t_s"])
    energy[r["domain"]] = energy.get(r["domain"], 0) + float(r["watts"]) * (t - prev.get(r["domain"], 0))
    prev[r["domain"]] = t
for d in teach["domains"]:
    check(abs(energy[d["name"]] - d["energy_j"]) < 1e-3 * d["energy_j"], "series of " + d["name"])
js = json.loads(eco("export", "latest~2", "--format", "json").stdout)
check(len(js["domains"][0]["series"]) == len([r for r in series if r["domain"] == "package-0"]), "json series")

# Bad usage and failures.
eco("export", "latest", code=2)                       # no format
eco("export", "latest", "--format", "yaml", code=2)
bad = os.path.join(T, "no-such-dir", "x.csv")
p = eco("export", "latest", "--format", "csv", "-o", bad, code=1)
check("cannot write" in p.stderr and not os.path.exists(bad), p.stderr)
eco("export", "nope", "--format", "csv", "-o", os.path.join(T, "never.csv"), code=2)
check(not os.path.exists(os.path.join(T, "never.csv")), "a failed export left a file")
junk = os.path.join(T, "junk.db")
open(junk, "w").write("this is not a database\n" * 200)
p = eco("runs", "--db", junk, code=1)
check("not a readable ecometer history" in p.stderr, p.stderr)
for cmd in ("runs", "show", "compare", "export", "report"):
    check("usage: ecometer " + cmd in eco(cmd, "--help").stdout, cmd + " --help")
    check("usage: ecometer " + cmd in eco("help", cmd).stdout, "help " + cmd)

# --db wins over ECOMETER_DB.
other = os.path.join(T, "other.db")
subprocess.run([MKRUN, other, "only-here"], check=True, capture_output=True)
check(json.loads(eco("runs", "--db", other, "--format", "json").stdout)[0]["id"] == "only-here", "--db")

# The default path: $XDG_DATA_HOME/ecometer/history.db.
xdg = os.path.join(T, "xdg")
env = {k: v for k, v in os.environ.items() if k != "ECOMETER_DB"}
env["XDG_DATA_HOME"] = xdg
p = eco("runs", code=1, env=env)
check(os.path.join(xdg, "ecometer", "history.db") in p.stderr, "default path: " + p.stderr)
print("ok")
