#!/usr/bin/env python3
"""--intensity-series end to end, on a fixture board whose rails the fixture
writer holds at constant power (tests/tools/fixture_writer.py), so the run's
energy accrues evenly in time and the expected CO2e follows from the run's
own start, duration and energy:

1. a series that doubles early in the run (100 -> 200 g/kWh at a boundary
   ~1 s into a 3.5 s run): time-resolved CO2e equal to
   E x ((b - s) x 100 + (e - b) x 200) / (e - s) to within the few sampling
   intervals that place the boundary, clearly above the yearly figure
   (--carbon-intensity 150), which stays unchanged beside it;
2. a series with a gap over the end of the run: the uncovered time is
   reported (JSON and `show`), the yearly figure fills it (said, not hidden);
3. `show` and `report` give the time-resolved figure and the advice, and
   the advice's best start is the series' cheapest window;
4. `serve`: the Prometheus CO2e counter follows the series;
5. a bad series is refused before anything runs, naming the line."""
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_lib  # noqa: E402

SRC = os.environ["ECOMETER_SRC"]
BIN = os.environ["ECOMETER_BIN"]
TMP = os.environ["ECO_TEST_TMPDIR"]
BOARD = os.path.join(SRC, "tests", "fixtures", "jetson-orin-nx")
POWERS = {"VDD_IN": 20, "VDD_CPU_GPU_CV": 8, "VDD_SOC": 4}
failures = []


def env_for(root):
    env = dict(os.environ, XDG_STATE_HOME=TMP, XDG_DATA_HOME=TMP, ECOMETER_SYSFS_ROOT=os.path.join(root, "sys"),
               ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1")
    for k in ("ECOMETER_SOCKET", "ECOMETER_PROC_ROOT"):
        env.pop(k, None)
    return env


def write_series(name, rows):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write("timestamp,g_per_kwh\n")
        for t, g in rows:
            f.write("%s,%s\n" % (t, g))
    return path


def run(root, series, extra=(), seconds="3.5"):
    j = os.path.join(TMP, os.path.basename(series) + ".json")
    p = subprocess.run([BIN, "run", "--db", os.path.join(TMP, "h.db"), "--interval", "20ms",
                        "--carbon-intensity", "150", "--intensity-series", series, "--json", j] + list(extra) +
                       ["--", "sleep", seconds], env=env_for(root), capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        failures.append("run under %s: exit %d: %s" % (series, p.returncode, p.stderr))
        return None, p.stderr
    return json.load(open(j)), p.stderr


def near(what, got, want, tol):
    ok = abs(got - want) <= tol * abs(want)
    print("%s %-40s got %.6g  expected %.6g  (%+.3f%%)" % ("ok  " if ok else "FAIL", what, got, want,
                                                          100 * (got - want) / want if want else 0))
    if not ok:
        failures.append("%s: %.6g, expected %.6g" % (what, got, want))


def doubling(root):
    # The series doubles ~1 s into the 3.5 s run: the time-resolved figure then
    # sits near 171 g/kWh, far from the yearly 150 it must not fall back to.
    time.sleep(1 - time.time() % 1)
    b = int(time.time()) + 1
    path = write_series("double.csv", [(b - 3600, 100), (b, 200), (b + 3600, 200)])
    r, err = run(root, path)
    if not r:
        return None
    s, e, E = r["start_unix"], r["start_unix"] + r["duration_s"], r["total_energy_j"]
    if not (s < b < e) or E <= 0:
        failures.append("doubling: boundary %d not inside the run [%.3f, %.3f] or no energy (%g J)" % (b, s, e, E))
        return None
    want = E * ((b - s) * 100 + (e - b) * 200) / (e - s) / 3.6e6
    # Each sample's energy takes the intensity at its time stamp, so the
    # boundary's place is known to a few sampling intervals: on a loaded
    # machine a wake-up comes late. Allow 3 intervals + 60 ms of scheduling
    # delay there (1.7% at 20 ms), far below the 14% between the series' answer
    # and the yearly one.
    slip_s = 3 * r["interval_s"] + 0.06
    tol = slip_s * (200 - 100) / (((b - s) * 100 + (e - b) * 200))
    near("time-resolved CO2e, series doubling 1 s in", r["intensity_series"]["co2e_g"], want, tol)
    yearly = E * 150 / 3.6e6
    if not r["intensity_series"]["co2e_g"] > yearly * 1.08:
        failures.append("doubling: the time-resolved %g g is not clearly above the yearly %g g"
                        % (r["intensity_series"]["co2e_g"], yearly))
    near("yearly-average CO2e beside it", r["co2e_g"], E * 150 / 3.6e6, 1e-9)
    if r["intensity_series"]["uncovered_s"] != 0 or "covers the whole run" not in r["intensity_series"]["note"]:
        failures.append("doubling: coverage wrong: %s" % r["intensity_series"])
    if "%d:100;%d:200;" % (b - 3600, b) != r["intensity_series"]["points"]:
        failures.append("doubling: stored points %r" % r["intensity_series"]["points"])
    if "over time" not in err:
        failures.append("doubling: the summary has no 'over time' line: " + err)
    return r


def gap(root):
    g = int(time.time()) + 2  # the series stops ~1.7 s into the run, resumes an hour later
    path = write_series("gap.csv", [(g - 7200, 100), (g - 3600, 100), (g + 3600, 300)])
    r, err = run(root, path)
    if not r:
        return
    s, e, E = r["start_unix"], r["start_unix"] + r["duration_s"], r["total_energy_j"]
    want = E * ((g - s) * 100 + (e - g) * 150) / (e - s) / 3.6e6
    near("time-resolved CO2e, gap filled by yearly", r["intensity_series"]["co2e_g"], want, 0.005)
    near("uncovered time reported", r["intensity_series"]["uncovered_s"], e - g, 0.02)
    note = r["intensity_series"]["note"]
    if "1 gaps" not in note or "had no value" not in note or "yearly 150" not in note:
        failures.append("gap: the note does not say what was assumed: " + note)
    show = subprocess.run([BIN, "show", "--db", os.path.join(TMP, "h.db"), r["id"]], env=env_for(root),
                          capture_output=True, text=True, timeout=30)
    if "had no value in the series" not in show.stdout:
        failures.append("gap: show does not report the gap: " + show.stdout + show.stderr)


def show_and_report(root, r):
    db = os.path.join(TMP, "h.db")
    show = subprocess.run([BIN, "show", "--db", db, r["id"]], env=env_for(root), capture_output=True, text=True,
                          timeout=30)
    out = show.stdout
    for want in ("over time", "advice", "arithmetic on the series"):
        if want not in out:
            failures.append("show has no %r: %s %s" % (want, out, show.stderr))
    # the cheapest 3.5 s window of 100/200/200 is the series' first instant
    b = r["start_unix"]
    best = r["advice"]["best_start_unix"]
    pts = [int(x.split(":")[0]) for x in r["intensity_series"]["points"].split(";") if x]
    if best != pts[0] or r["advice"]["best_g_per_kwh"] != 100:
        failures.append("advice: best start %s at %s g/kWh, expected %s at 100" % (best, r["advice"]["best_g_per_kwh"],
                                                                                    pts[0]))
    own = r["advice"]["own_g_per_kwh"]
    near("advice saving in %", r["advice"]["saving_pct"], 100 * (own - 100) / own, 1e-9)
    html = os.path.join(TMP, "r.html")
    rep = subprocess.run([BIN, "report", "--db", db, r["id"], "-o", html], env=env_for(root), capture_output=True,
                         text=True, timeout=30)
    text = open(html).read() if os.path.exists(html) else ""
    if rep.returncode != 0 or "Carbon intensity over time" not in text or "arithmetic on the series" not in text:
        failures.append("report: no series section (exit %d): %s" % (rep.returncode, rep.stderr))
    del b


def serve(root):
    path = write_series("serve.csv", [(int(time.time()) - 600, 400), (int(time.time()) + 3000, 400)])
    p, port = serve_lib.start_agent(root, ["--interval", "100ms", "--intensity-series", path, "--carbon-intensity",
                                           "50"])
    try:
        time.sleep(1.5)
        code, text = serve_lib.get(port)
        m = serve_lib.parse_metrics(text)
        gi = serve_lib.series(m, "ecometer_carbon_intensity_grams_per_kwh")
        co2 = serve_lib.series(m, "ecometer_co2e_grams_total")[0][1]
        e = sum(v for lab, v in serve_lib.series(m, "ecometer_energy_joules_total") if lab.get("domain") == "VDD_IN")
        if code != 200 or not gi or gi[0][1] != 400:
            failures.append("serve: intensity gauge %s, expected the series' 400" % gi)
        # the counter is rendered from the same snapshot as the energy
        near("serve CO2e counter follows the series", co2, e * 400 / 3.6e6, 0.02)
    finally:
        serve_lib.stop(p)


def bad_series(root):
    path = os.path.join(TMP, "bad.csv")
    with open(path, "w") as f:
        f.write("timestamp,g_per_kwh\n2026-03-29T01:00:00Z,100\n2026-03-29 02:30:00,120\n")
    p = subprocess.run([BIN, "run", "--no-history", "--intensity-series", path, "--", "touch",
                        os.path.join(TMP, "ran")], env=env_for(root), capture_output=True, text=True, timeout=30)
    if p.returncode != 2 or "line 3" not in p.stderr or "no time zone" not in p.stderr \
            or os.path.exists(os.path.join(TMP, "ran")):
        failures.append("bad series: exit %d, %s" % (p.returncode, p.stderr))


def main():
    w, root = serve_lib.start_writer(BOARD, "board", POWERS)
    try:
        r = doubling(root)
        if r:
            show_and_report(root, r)
        gap(root)
        serve(root)
        bad_series(root)
    finally:
        w.terminate()
        w.wait(timeout=10)
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("ok: doubling series, gap, show/report/advice, serve counter, bad series refused")


if __name__ == "__main__":
    main()
