#!/usr/bin/env python3
"""The run record is one object whatever prints it (issue 12).

1. On every fixture board, `ecometer run --json FILE` and `ecometer show latest
   --format json --series` give the same object (and `runs --format json` the
   same values for its fields), compared field by field
   (keys, values, nesting), for a run with an epoch region, items and a
   forecast; and the host it describes is the fixture's CPU, as `ecometer
   sensors` reports it (the host follows ECOMETER_CPUINFO / ECOMETER_PROC_ROOT).
2. On the two-socket server fixture at known powers, the CO2e printed by every
   output is the run's energy x the intensity (400 g/kWh), and the energy is
   the known power x the duration: the text summary, the JSON, the CSV, the
   CodeCarbon export, the HTML report, and the Prometheus agent (its own
   session on the same board)."""
import csv
import io
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import json_diff  # noqa: E402
from serve_lib import BIN, SRC, TMP, fail, get, parse_metrics, series, start_agent, start_writer, stop  # noqa: E402

G_PER_KWH = 400.0
BOARDS = sorted(b for b in os.listdir(os.path.join(SRC, "tests", "fixtures"))
                if os.path.isdir(os.path.join(SRC, "tests", "fixtures", b, "sys")))
MARKS = ("import os, socket, time\n"
         "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
         "m = lambda x: s.sendto(x.encode(), os.environ['ECOMETER_SOCKET'])\n"
         "m('begin epoch-1'); time.sleep(0.5); m('items 12'); m('end epoch-1'); time.sleep(0.5)\n")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def env_for(root, db):
    return dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(root, "sys"),
                ECOMETER_PROC_ROOT=os.path.join(root, "proc"), ECOMETER_CPUINFO=os.path.join(root, "proc", "cpuinfo"),
                ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1", ECOMETER_DB=db, XDG_STATE_HOME=TMP)


def eco(env, *args, code=0):
    p = subprocess.run([BIN] + list(args), env=env, capture_output=True, text=True, timeout=120)
    check(p.returncode == code, "ecometer %s: exit %d, %s" % (" ".join(args), p.returncode, p.stderr[-500:]))
    return p


def same_record_on(board):
    writer, root = start_writer(board, "rec-" + board, {})
    db = os.path.join(TMP, board + ".db")
    env = env_for(root, db)
    out = os.path.join(TMP, board + ".json")
    try:
        eco(env, "run", "-q", "--carbon-intensity", "400", "--epochs", "3", "--json", out, "--",
            sys.executable, "-c", MARKS)
    finally:
        writer.terminate()
        writer.wait(timeout=10)
    mine = json.load(open(out))
    shown = json.loads(eco(env, "show", "latest", "--format", "json", "--series").stdout)
    d = json_diff(mine, shown, ("run --json", "show"))
    check(not d, "%s: run --json and show differ:\n    %s" % (board, "\n    ".join(d[:20])))
    check(mine.get("regions") and mine["regions"][0]["items"] == 12 and "forecast" in mine,
          "%s: the run lacks its region, items or forecast" % board)
    listed = json.loads(eco(env, "runs", "--format", "json").stdout)[0]  # the same fields, cut to the listing's
    check(all(listed[k] == shown[k] for k in listed if k != "host") and listed["host"]["name"] == shown["host"]["name"]
          and len(listed) >= 10, "%s: runs --format json differs from show: %r" % (board, listed))
    cpu = json.loads(eco(env, "sensors", "--format", "json", "--window", "0").stdout)["cpu"]["model"]
    check(mine["host"]["cpu_model"] == (cpu or ""), "%s: host cpu_model %r, sensors %r" % (board, mine["host"]["cpu_model"], cpu))


def near(a, b, rel, what):
    return check(abs(a - b) <= rel * max(abs(a), abs(b), 1e-12), "%s: %r vs %r" % (what, a, b))


def mass_text(g):
    """The number and unit of eco_fmt_mass (src/core/units.c) for grams g."""
    return (g, "g") if abs(g) < 1000 else (g / 1000, "kg")


def co2e_everywhere():
    powers = {"package-0": 60, "package-1": 40, "dram-0": 8, "dram-1": 7}
    writer, root = start_writer("intel-2s-server", "co2e-srv", powers)
    db = os.path.join(TMP, "co2e.db")
    env = env_for(root, db)
    out = os.path.join(TMP, "co2e.json")
    try:
        p = eco(env, "run", "--carbon-intensity", "400", "--json", out, "--", "sleep", "2")
    finally:
        writer.terminate()
        writer.wait(timeout=10)
    r = json.load(open(out))
    e, want = r["total_energy_j"], r["total_energy_j"] * G_PER_KWH / 3.6e6
    # the energy is the known power over the run: 115 W of top-level domains (cores are inside packages)
    near(e, sum(powers.values()) * r["duration_s"], 0.10, "energy vs 115 W x duration")
    near(r["co2e_g"], want, 1e-12, "JSON co2e_g")
    near(r["net_co2e_g"], r["net_energy_j"] * G_PER_KWH / 3.6e6, 1e-12, "JSON net_co2e_g")
    m = re.search(r"CO2e\s+([0-9.e+-]+) (k?g) at 400 gCO2e/kWh", p.stderr)
    if check(m, "text summary has no CO2e line:\n" + p.stderr[-800:]):
        num, unit = mass_text(want)
        check(m.group(2) == unit, "text unit %s, want %s" % (m.group(2), unit))
        near(float(m.group(1)), num, 0.006, "text CO2e (3 significant digits)")
    rows = list(csv.DictReader(io.StringIO(eco(env, "show", "latest", "--format", "csv").stdout)))
    run_row = [x for x in rows if x["section"] == "run"]
    if check(len(run_row) == 1, "CSV run row"):
        near(float(run_row[0]["co2e_g"]), want, 1e-9, "CSV co2e_g")
    cc = list(csv.DictReader(io.StringIO(eco(env, "export", "latest", "--format", "codecarbon").stdout)))
    if check(len(cc) == 1, "CodeCarbon row"):
        near(float(cc[0]["emissions"]) * 1000, want, 1e-9, "CodeCarbon emissions (kg)")
        near(float(cc[0]["energy_consumed"]) * 3.6e6, e, 1e-9, "CodeCarbon energy_consumed (kWh)")
    prom = parse_metrics(eco(env, "export", "latest", "--format", "prometheus").stdout)
    got = series(prom, "ecometer_run_co2e_grams", run_id=r["id"])
    if check(len(got) == 1, "export prometheus: %r" % got):
        near(got[0][1], want, 1e-8, "export --format prometheus co2e (%.9g)")
        near(series(prom, "ecometer_run_energy_joules", run_id=r["id"])[0][1], e, 1e-8, "export prometheus energy")
    html = eco(env, "report", "latest", "-o", "-").stdout
    num, unit = mass_text(want)
    check(("%.3g %s at 400 gCO2e/kWh" % (num, unit)) in html, "report lacks '%.3g %s at 400 gCO2e/kWh'" % (num, unit))
    return root


def co2e_prometheus(root):
    writer, root = start_writer("intel-2s-server", "co2e-serve", {"package-0": 60, "package-1": 40})
    agent, port = start_agent(root, ["--carbon-intensity", "400", "--interval", "200ms"])
    try:
        time.sleep(1.5)
        status, text = get(port)
        check(status == 200, "scrape: %d" % status)
        m = parse_metrics(text)
        tops = sum(v for lab, v in series(m, "ecometer_energy_joules_total") if lab["top_level"] == "true")
        co2 = series(m, "ecometer_co2e_grams_total")
        if check(tops > 0 and len(co2) == 1, "Prometheus energy %r, co2e %r" % (tops, co2)):
            # both printed with 6 decimals
            check(abs(co2[0][1] - tops * G_PER_KWH / 3.6e6) <= 2e-6, "Prometheus co2e %r vs energy %r J x 400 g/kWh"
                  % (co2[0][1], tops))
    finally:
        stop(agent)
        writer.terminate()
        writer.wait(timeout=10)


for b in BOARDS:
    same_record_on(b)
co2e_prometheus(co2e_everywhere())
if failures:
    fail("\n  " + "\n  ".join(failures))
print("ok: run --json = show --format json on %d boards (%s); CO2e = energy x intensity in text, JSON, CSV, "
      "CodeCarbon, report, Prometheus" % (len(BOARDS), ", ".join(BOARDS)))
