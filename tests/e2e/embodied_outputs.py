#!/usr/bin/env python3
"""Embodied emissions in every output (issue 14).

On the two-socket server fixture at known powers, `ecometer run --lifetime 2y
--embodied-share 50%` gives embodied_co2e_g = footprint x 1000 x duration /
(2 x 365.25 days) x 0.5, with the footprint from the rows of data/embodied.tsv
(two default CPU packages at 17.02 kg, one per socket of the fixture's CPU
topology, + the RAM at 0.065 kg/GB, as the basis says), co2e_g stays the operational energy x intensity, and
total_lifecycle_co2e_g is their sum: in the run's JSON, the text summary,
`show` (text, JSON, CSV), `export` (JSON, Prometheus) and the HTML report
(its chart of the two parts). A run stored before embodied figures shows none
(null), never 0. `estimate` gives the same fields for 8 x H100 for one hour:
(8 x 164 + 17.02) kg x 1000 x 3600 s / (4 x 365.25 x 86400 s). Bad flag
values are refused before anything runs."""
import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import BIN, TMP, fail, parse_metrics, series, start_writer  # noqa: E402

YEAR = 365.25 * 86400
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def near(a, b, rel, what):
    return check(a is not None and b is not None and abs(a - b) <= rel * max(abs(a), abs(b), 1e-15),
                 "%s: %r vs %r" % (what, a, b))


def eco(env, *args, code=0):
    p = subprocess.run([BIN] + list(args), env=env, capture_output=True, text=True, timeout=120)
    check(p.returncode == code, "ecometer %s: exit %d, %s" % (" ".join(args), p.returncode, p.stderr[-500:]))
    return p


writer, root = start_writer("intel-2s-server", "embodied", {"package-0": 60, "package-1": 40})
db = os.path.join(TMP, "embodied.db")
env = dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(root, "sys"), ECOMETER_PROC_ROOT=os.path.join(root, "proc"),
           ECOMETER_CPUINFO=os.path.join(root, "proc", "cpuinfo"), ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1",
           ECOMETER_DB=db, XDG_STATE_HOME=TMP)
out = os.path.join(TMP, "embodied.json")
try:
    # refused before anything runs: no run in the history afterwards
    p = eco(env, "run", "--lifetime", "3h", "--", "true", code=2)
    check("--lifetime '3h': give a duration of at least 1d" in p.stderr and "hint:" in p.stderr,
          "bad --lifetime: " + p.stderr)
    p = eco(env, "run", "--embodied-share", "1.5", "--", "true", code=2)
    check("at most 1" in p.stderr, "bad --embodied-share: " + p.stderr)
    summary = eco(env, "run", "--carbon-intensity", "400", "--lifetime", "2y", "--embodied-share", "50%",
                  "--json", out, "--", "sleep", "1").stderr
finally:
    writer.terminate()
    writer.wait(timeout=10)

r = json.load(open(out))
emb = r["embodied"]
ram = round(r["host"]["ram_gb"] * 10) / 10
near(emb["footprint_kg"], 2 * 17.02 + ram * 0.065, 1e-12, "footprint = 2 default CPU packages + RAM x 0.065 kg/GB")
check("2 x cpu-default (DEFAULT, 17.02 kg" in emb["basis"] and "x memory-ddr4 (0.065 kg/GB)" in emb["basis"],
      "basis: " + emb["basis"])
check(emb["is_default"] is True and emb["share"] == 0.5 and emb["lifetime_s"] == 2 * YEAR, "embodied: %r" % emb)
want = emb["footprint_kg"] * 1000 * r["duration_s"] / (2 * YEAR) * 0.5
near(r["embodied_co2e_g"], want, 1e-12, "embodied_co2e_g")
near(r["co2e_g"], r["total_energy_j"] * 400 / 3.6e6, 1e-12, "co2e_g stays operational")
near(r["total_lifecycle_co2e_g"], r["co2e_g"] + want, 1e-12, "total_lifecycle_co2e_g")
check(re.search(r"embodied +[0-9.e+-]+ k?g CO2e of manufacturing.*DEFAULT", summary), "summary:\n" + summary)
check(re.search(r"lifecycle +[0-9.e+-]+ k?g CO2e: operational", summary), "summary lifecycle:\n" + summary)

shown = json.loads(eco(env, "show", "latest", "--format", "json").stdout)
for k in ("embodied_co2e_g", "total_lifecycle_co2e_g", "embodied", "co2e_g"):
    check(shown.get(k) == r[k], "show --format json %s: %r vs %r" % (k, shown.get(k), r[k]))
text = eco(env, "show", "latest").stdout
check("embodied" in text and "lifecycle" in text and "cpu-default (DEFAULT" in text, "show text:\n" + text)
for how in (("show", "latest", "--format", "csv"),):  # export csv is the power series
    rows = [x for x in csv.DictReader(io.StringIO(eco(env, *how).stdout)) if x.get("section", "run") == "run"]
    if check(len(rows) == 1, "%s: one run row" % " ".join(how)):
        near(float(rows[0]["embodied_co2e_g"]), want, 1e-9, "%s embodied_co2e_g" % how[0])
        near(float(rows[0]["total_lifecycle_co2e_g"]), r["total_lifecycle_co2e_g"], 1e-9, "%s total" % how[0])
        check(rows[0]["embodied_is_default"] in ("1", "true"), "%s is_default %r" % (how[0], rows[0]["embodied_is_default"]))
exported = json.loads(eco(env, "export", "latest", "--format", "json").stdout)
exported = exported[0] if isinstance(exported, list) else exported
near(exported.get("embodied_co2e_g"), want, 1e-12, "export json embodied_co2e_g")
prom = parse_metrics(eco(env, "export", "latest", "--format", "prometheus").stdout)
got = series(prom, "ecometer_run_embodied_co2e_grams", run_id=r["id"])
if check(len(got) == 1, "export prometheus embodied: %r" % got):
    near(got[0][1], want, 1e-8, "export prometheus embodied")
html = eco(env, "report", "latest", "-o", "-").stdout
check("<h3>Operational and embodied CO2e</h3>" in html and "embodied (manufacturing, amortised)" in html
      and "url(#hatch)" in html.split("Operational and embodied")[1][:3000], "report: no chart of the two parts")

# a run stored before embodied figures: no figure (null), never 0
con = sqlite3.connect(db)
con.execute("UPDATE runs SET embodied_lifetime_s = 0, embodied_footprint_kg = 0, embodied_basis = '' WHERE id = ?",
            (r["id"],))
con.commit()
con.close()
old = json.loads(eco(env, "show", "latest", "--format", "json").stdout)
check(old["embodied_co2e_g"] is None and old["total_lifecycle_co2e_g"] is None, "old run: %r" % old.get("embodied_co2e_g"))
check("recorded before" in eco(env, "show", "latest").stdout, "old run: show text says nothing")
prom = parse_metrics(eco(env, "export", "latest", "--format", "prometheus").stdout)
check(not series(prom, "ecometer_run_embodied_co2e_grams", run_id=r["id"]), "old run: a Prometheus embodied sample")

# estimate: 8 x H100 SXM5 for an hour, four-year default life
est = json.loads(eco(env, "estimate", "--runtime", "1h", "--gpu", "H100 SXM", "--gpus", "8", "--carbon-intensity",
                     "400", "--format", "json").stdout)
near(est["embodied_co2e_g"], (8 * 164 + 17.02) * 1000 * 3600 / (4 * YEAR), 1e-12, "estimate embodied (8 x H100)")
near(est["total_lifecycle_co2e_g"], est["co2e_g"] + est["embodied_co2e_g"], 1e-12, "estimate total")
check("8 x gpu-h100-sxm5 (164 kg)" in est["embodied"]["basis"], "estimate basis: " + est["embodied"]["basis"])
t = eco(env, "estimate", "--runtime", "1h", "--gpu", "RTX 4090", "--carbon-intensity", "400").stdout
check(re.search(r"embodied CO2e: .*partly DEFAULT", t) and "gpu-default (DEFAULT" in t and "lifecycle CO2e" in t,
      "estimate text, unmatched GPU:\n" + t)
rows = list(csv.DictReader(io.StringIO(eco(env, "estimate", "--runtime", "1h", "--gpu", "H100 SXM", "--lifetime", "5y",
                                           "--carbon-intensity", "400", "--format", "csv").stdout)))
if check(len(rows) == 1, "estimate csv"):
    near(float(rows[0]["embodied_co2e_g"]), (164 + 17.02) * 1000 * 3600 / (5 * YEAR), 1e-9, "estimate csv embodied")
eco(env, "estimate", "--runtime", "1h", "--gpu", "H100", "--embodied-share", "0", code=2)

if failures:
    fail("\n  " + "\n  ".join(failures))
print("ok: embodied %.4g g beside operational %.4g g in run, show, export, report and estimate" % (want, r["co2e_g"]))
