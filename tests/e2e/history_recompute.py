#!/usr/bin/python3
"""show, compare, export and report --region / --carbon-intensity (issue 13):
the CO2e of stored runs for another place. The stored energy does not
change, the CO2e is energy x the other intensity (computed here by hand from
the carbon table's row), every output says it was recomputed (text, and a
field in JSON and CSV), the history itself is left as it was, and settings
(ECOMETER_REGION) never recompute a stored run."""
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
DB = os.path.join(T, "recompute.db")
ENV = {k: v for k, v in os.environ.items() if k != "ECOMETER_REGION"}
ENV["ECOMETER_DB"] = DB


eco = eco_with(ENV)  # ecometer ARGS; stops the test unless it exits with code=


def near(a, b):
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-12)


subprocess.run([MKRUN, DB, "20261126-100000-t", "name=teacher", "start=1795680000", "gpu_w=250", "epochs=2",
                "items=10", "region=FR", "intensity=56"], check=True, capture_output=True)
subprocess.run([MKRUN, DB, "20261126-110000-s", "name=student", "start=1795683600", "region=SE", "intensity=40"],
               check=True, capture_output=True)
pl = [r for r in json.loads(eco("carbon", "--format", "json").stdout) if r["code"] == "PL"][0]
g_pl = pl["g_per_kwh"]
stored = json.loads(eco("show", "teacher", "--format", "json").stdout)
E = stored["total_energy_j"]

# show: JSON fields, text note, the CO2e by hand, energy unchanged.
j = json.loads(eco("show", "teacher", "--region", "PL", "--format", "json").stdout)
check(j["total_energy_j"] == E and j["net_energy_j"] == stored["net_energy_j"], "energy changed")
check(near(j["co2e_g"], E / 3.6e6 * g_pl), "CO2e %r, by hand %r" % (j["co2e_g"], E / 3.6e6 * g_pl))
check(near(j["regions"][0]["co2e_g"], j["regions"][0]["energy_j"] / 3.6e6 * g_pl), "region CO2e")
check(j["intensity"]["recomputed"] is True and j["intensity"]["recorded_g_per_kwh"] == 56
      and j["intensity"]["region"] == "PL", "intensity fields: %s" % j["intensity"])
check(stored["intensity"]["recomputed"] is False, "a plain show says recomputed")
text = eco("show", "teacher", "--carbon-intensity", "100").stdout
check("CO2e recomputed at 100 gCO2e/kWh (given on the command line) instead of the 56 gCO2e/kWh recorded" in text,
      "show text:\n" + text)
rows = list(csv.DictReader(io.StringIO(eco("show", "teacher", "--region", "PL", "--format", "csv").stdout)))
run_row = [r for r in rows if r["section"] == "run"][0]
check(run_row["intensity_recomputed"] == "1" and float(run_row["recorded_intensity_g_per_kwh"]) == 56
      and near(float(run_row["co2e_g"]), E / 3.6e6 * g_pl), "show csv: %s" % run_row)

# The history is untouched; settings never recompute a stored run.
again = json.loads(eco("show", "teacher", "--format", "json", env=dict(ENV, ECOMETER_REGION="PL")).stdout)
check(again["co2e_g"] == stored["co2e_g"] and again["intensity"]["region"] == "FR", "ECOMETER_REGION recomputed")

# compare: both runs for the one place; the note says each one's recorded intensity.
c = json.loads(eco("compare", "teacher", "student", "--region", "PL", "--format", "json").stdout)
co2 = [r for r in c["rows"] if r["metric"].startswith("CO2e")][0]
check(co2["metric"] == "CO2e (recomputed)" and c["intensity_recomputed"] is True and c["a_g_per_kwh"] == g_pl
      and c["b_g_per_kwh"] == g_pl, "compare json: %s" % c)
check(near(co2["a"], E / 3.6e6 * g_pl), "compare CO2e A")
text = eco("compare", "teacher", "student", "--region", "PL").stdout
check("instead of the 56 gCO2e/kWh recorded" in text and "instead of the 40 gCO2e/kWh recorded" in text,
      "compare text:\n" + text)
check("CO2e (recomputed)" in eco("compare", "teacher", "student", "--region", "PL", "--format", "csv").stdout,
      "compare csv")

# export: JSON fields; CodeCarbon rows for the place, with a note on stderr.
ex = json.loads(eco("export", "--all", "--format", "json", "--region", "PL").stdout)
check(all(r["intensity"]["recomputed"] and r["intensity"]["g_per_kwh"] == g_pl for r in ex), "export json")
p = eco("export", "teacher", "--format", "codecarbon", "--region", "PL")
cc = list(csv.DictReader(io.StringIO(p.stdout)))[0]
check(near(float(cc["emissions"]) * 1000, E / 3.6e6 * g_pl) and cc["country_iso_code"] == "POL"
      and near(float(cc["energy_consumed"]) * 3.6e6, E), "codecarbon: %s" % cc)
check("CO2e recomputed for --region PL" in p.stderr, "export note: " + p.stderr)

# report: says it, per run.
html = os.path.join(T, "r.html")
eco("report", "teacher", "student", "--region", "PL", "-o", html)
page = open(html).read()
check(page.count("<tr><th>recomputed</th>") == 2 and "this run (recomputed): PL" in page, "report")

# Bad places: refused, nothing written.
p = eco("show", "teacher", "--region", "Atlantis", code=2)
check("unknown region 'Atlantis'" in p.stderr, p.stderr)
eco("compare", "teacher", "student", "--carbon-intensity", "-3", code=2)
eco("report", "teacher", "--region", "Atlantis", "-o", os.path.join(T, "bad.html"), code=2)
check(not os.path.exists(os.path.join(T, "bad.html")), "a report was written for a bad place")
print("ok: show/compare/export/report recompute CO2e at %g g/kWh (PL) for %.1f J; energy and history unchanged"
      % (g_pl, E))
