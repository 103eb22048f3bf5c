#!/usr/bin/python3
"""export --format codecarbon as a CodeCarbon user meets it: runs exported into one
emissions.csv with --experiment-id and --append, read back with csv.DictReader by
CodeCarbon's column names, and a dashboard's query (energy and emissions by
experiment_id and country_iso_code) gives the stored runs' figures. Appending to a file
of another layout is refused with the reason and leaves the file as it was."""
import csv
import json
import os
import subprocess
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import eco_with, require as check  # noqa: E402

B = os.environ["ECOMETER_BIN"]
MKRUN = os.path.join(os.environ["ECOMETER_BUILD"], "tests", "eco_mkrun")
T = os.environ.get("ECO_TEST_TMPDIR") or "/tmp"
DB = os.path.join(T, "h.db")
ENV = dict(os.environ, ECOMETER_DB=DB)


eco = eco_with(ENV)  # ecometer ARGS; stops the test unless it exits with code=


runs = {  # id: (experiment, mkrun arguments)
    "20261126-100000-teach": ("kd", ["gpu_w=250", "region=FR", "intensity=56"]),
    "20261126-110000-stud": ("kd", ["gpu_w=90", "region=FR", "intensity=56", "duration=30"]),
    "20261126-120000-ca": ("kd", ["gpu_w=300", "region=US-CA", "intensity=200"]),
    "20261126-130000-sweep": ("sweep", ["region=aws:eu-west-3", "intensity=56"]),
}
for rid, (_, args) in runs.items():
    subprocess.run([MKRUN, DB, rid, *args], check=True, capture_output=True)
stored = {rid: json.loads(eco("show", rid, "--format", "json").stdout) for rid in runs}

out = os.path.join(T, "emissions.csv")
first = True
for rid, (exp, _) in runs.items():
    eco("export", rid, "--format", "codecarbon", "--experiment-id", exp, "--project", "reid",
        "-o", out, *([] if first else ["--append"]))
    first = False

with open(out, newline="") as f:
    reader = csv.DictReader(f)
    header = reader.fieldnames
    rows = list(reader)
check(len(rows) == 4, "four rows, one header: %d rows" % len(rows))
check(header[:4] == ["timestamp", "project_name", "run_id", "experiment_id"] and header[-3:] == ["on_cloud", "pue", "wue"]
      and len(header) == 38, "CodeCarbon 3.x header: %s" % header)

# The dashboard's query: sums by experiment and country, as CodeCarbon's own dashboard groups.
energy = defaultdict(float)
emissions = defaultdict(float)
for r in rows:
    key = (r["experiment_id"], r["country_iso_code"])
    energy[key] += float(r["energy_consumed"])
    emissions[key] += float(r["emissions"])
want_e = defaultdict(float)
want_c = defaultdict(float)
for rid, (exp, args) in runs.items():
    country = {"FR": "FRA", "US-CA": "USA", "aws:eu-west-3": "FRA"}[[a for a in args if a.startswith("region=")][0][7:]]
    want_e[(exp, country)] += stored[rid]["total_energy_j"] / 3.6e6
    want_c[(exp, country)] += stored[rid]["co2e_g"] / 1000
check(set(energy) == {("kd", "FRA"), ("kd", "USA"), ("sweep", "FRA")}, "groups: %s" % sorted(energy))
for k in want_e:
    check(abs(energy[k] - want_e[k]) <= 1e-6 * want_e[k], "energy of %s: %g kWh, stored %g" % (k, energy[k], want_e[k]))
    check(abs(emissions[k] - want_c[k]) <= 1e-6 * want_c[k], "emissions of %s" % (k,))
ca = [r for r in rows if r["run_id"] == "20261126-120000-ca"][0]
check(ca["region"] == "california" and ca["country_name"] == "United States", "US-CA place: %s" % ca)
check(ca["gpu_model"].startswith("1 x ") and ca["water_consumed"] == "" and ca["wue"] == "", "gpu_model, empties")
sweep = [r for r in rows if r["experiment_id"] == "sweep"][0]
check(sweep["cloud_provider"] == "aws" and sweep["on_cloud"] == "Y" and sweep["gpu_model"] == "", "cloud row")

# Appending a 2.x layout to this 3.x file is refused; the file is untouched.
before = open(out, "rb").read()
p = eco("export", "latest", "--format", "codecarbon", "--codecarbon-version", "2", "--append", "-o", out, code=2)
check("column 15 is 'water_consumed', expected 'country_name'" in p.stderr and "3.x" in p.stderr
      and "--codecarbon-version 3" in p.stderr, "refusal says why: " + p.stderr)
check(open(out, "rb").read() == before, "refused append changed the file")

# A 2.x file (as CodeCarbon 2.8 writes it, last line without its newline) takes 2.x rows.
old = os.path.join(T, "old.csv")
eco("export", "20261126-100000-teach", "--format", "codecarbon", "--codecarbon-version", "2", "-o", old)
text = open(old).read().rstrip("\n")
open(old, "w").write(text)
eco("export", "20261126-110000-stud", "--format", "codecarbon", "--codecarbon-version", "2", "--append", "-o", old)
rows2 = list(csv.DictReader(open(old, newline="")))
check(len(rows2) == 2 and rows2[1]["run_id"] == "20261126-110000-stud" and "water_consumed" not in rows2[0],
      "2.x append: %s" % [r["run_id"] for r in rows2])
p = eco("export", "latest", "--format", "codecarbon", "--append", "-o", old, code=2)
check("--codecarbon-version 2" in p.stderr, "hint names the fitting version: " + p.stderr)

# Usage errors.
eco("export", "latest", "--format", "codecarbon", "--codecarbon-version", "1", code=2)
eco("export", "latest", "--format", "json", "--append", "-o", old, code=2)
eco("export", "latest", "--format", "codecarbon", "--append", code=2)
print("ok: 4 runs exported and appended; query by experiment_id x country_iso_code matches the stored runs")
