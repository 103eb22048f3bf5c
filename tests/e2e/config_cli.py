#!/usr/bin/python3
"""Settings given once (issue 13): `ecometer config` shows each key's value
and where it came from (flag, env, file:line, default); a region set by
ECOMETER_REGION or the config file reaches `run` (no world-average warning,
the stored intensity is that place's) and `estimate`; the file's interval
and db reach `run`; a bad line stops a command with file:line."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import eco_with, require as check  # noqa: E402

B = os.environ["ECOMETER_BIN"]
SRC = os.environ["ECOMETER_SRC"]
T = os.environ.get("ECO_TEST_TMPDIR") or "/tmp"
FX = os.path.join(SRC, "tests", "fixtures", "intel-2s-server")
CFG = os.path.join(T, "xdg")
os.makedirs(os.path.join(CFG, "ecometer"), exist_ok=True)
FILE = os.path.join(CFG, "ecometer", "config")
BASE = {k: v for k, v in os.environ.items() if k not in ("ECOMETER_REGION", "ECOMETER_DB", "ECOMETER_INTERVAL",
                                                         "ECOMETER_PUE", "ECOMETER_SOCKET",
                                                         "ECOMETER_INTENSITY_SERIES")}
BASE.update(XDG_CONFIG_HOME=CFG, XDG_DATA_HOME=os.path.join(T, "data"), ECOMETER_SYSFS_ROOT=os.path.join(FX, "sys"),
            ECOMETER_CPUINFO=os.path.join(FX, "proc", "cpuinfo"))


eco = eco_with(BASE)  # ecometer ARGS; stops the test unless it exits with code=


def settings(*args, **env):
    return {s["key"]: s for s in json.loads(eco("config", "--format", "json", *args, **env).stdout)["settings"]}


def write(text):
    with open(FILE, "w") as f:
        f.write(text)


# No file: every key has its default; the world-average warning is there.
if os.path.exists(FILE):
    os.unlink(FILE)
s = settings()
check(all(v["origin"] == "default" and v["value"] is None for v in s.values()), "defaults: %s" % s)
check("not there" in eco("config").stdout, "missing file not said")
p = eco("run", "--", "true")
check("no region given" in p.stderr, "no warning without a region:\n" + p.stderr)

# The file, the environment and a flag, each winning over the one before.
db = os.path.join(T, "from-file.db")
write("# this machine\nregion = FR   # France\n\ninterval = 250ms\ndb = %s\n" % db)
s = settings()
check(s["region"]["value"] == "FR" and s["region"]["origin"] == "file" and s["region"]["where"] == FILE + ":2",
      "file origin: %s" % s["region"])
check(s["interval"]["where"] == FILE + ":4" and s["db"]["value"] == db, "file lines: %s" % s)
s = settings(ECOMETER_REGION="DE")
check(s["region"]["value"] == "DE" and s["region"]["origin"] == "env" and s["region"]["where"] == "ECOMETER_REGION",
      "env origin: %s" % s["region"])
s = settings("--region", "SE", "--interval", "1s", ECOMETER_REGION="DE")
check(s["region"]["value"] == "SE" and s["region"]["origin"] == "flag" and s["interval"]["origin"] == "flag",
      "flag origin: %s" % s)
text = eco("config").stdout
check("file %s:2" % FILE in text and "default: the method's default" in text, "config text:\n" + text)

# run: the file's region (no warning), interval and history.
out = os.path.join(T, "run.json")
p = eco("run", "--json", out, "--", "true")
check("no region given" not in p.stderr and "world average" not in p.stderr, "warning with a region set:\n" + p.stderr)
r = json.load(open(out))
check(r["intensity"]["region"] == "FR" and r["intensity"]["is_default"] is False, "stored place: %s" % r["intensity"])
check("set by the config file" in r["intensity"]["label"], "label: %s" % r["intensity"]["label"])
check(abs(r["interval_s"] - 0.25) < 1e-9, "interval from the file: %s" % r["interval_s"])
check(os.path.exists(db) and eco("runs", "--format", "json").stdout.count(r["id"]) == 1, "db from the file")
p = eco("run", "--json", out, "--", "true", ECOMETER_REGION="PL", ECOMETER_INTERVAL="300ms")
r = json.load(open(out))
check(r["intensity"]["region"] == "PL" and "set by ECOMETER_REGION" in r["intensity"]["label"]
      and abs(r["interval_s"] - 0.3) < 1e-9, "env over file: %s %s" % (r["intensity"], r["interval_s"]))
eco("run", "--region", "SE", "--interval", "100ms", "--json", out, "--", "true", ECOMETER_REGION="PL")
r = json.load(open(out))
check(r["intensity"]["region"] == "SE" and abs(r["interval_s"] - 0.1) < 1e-9, "flags over env")

# estimate: region and pue from the settings, said in its inputs.
write("region = FR\npue = 1.4\n")
est = json.loads(eco("estimate", "--runtime", "1h", "--gpu", "A100", "--format", "json").stdout)
check(est["pue"] == 1.4 and est["world_average_used"] is False, "estimate settings: pue %s" % est["pue"])
p = eco("estimate", "--runtime", "1h", "--gpu", "A100")
check("setting: pue = 1.4 from %s:2" % FILE in p.stdout and "no --region" not in p.stderr, "estimate text:\n" + p.stdout)

# intensity_series: the file's series reaches run (stored with the run), the
# environment's wins over it, the flag over both; config says where each came from.
def series(name, g):
    path = os.path.join(T, name)
    now = int(time.time())
    with open(path, "w") as f:
        f.write("timestamp,g_per_kwh\n%d,%d\n%d,%d\n" % (now - 3600, g, now + 3600, g))
    return path


file_series, env_series, flag_series = series("file.csv", 300), series("env.csv", 200), series("flag.csv", 100)
write("region = FR\nintensity_series = %s\n" % file_series)
s = settings()
check(s["intensity_series"]["value"] == file_series and s["intensity_series"]["where"] == FILE + ":2",
      "series setting: %s" % s["intensity_series"])
check("intensity_series" in eco("config").stdout and "file %s:2" % FILE in eco("config").stdout, "config text")
eco("run", "--json", out, "--", "sleep", "0.3")
r = json.load(open(out))
check(r["intensity_series"]["file"] == file_series, "series from the file: %s" % r.get("intensity_series"))
check(r["intensity"]["region"] == "FR", "region beside the series: %s" % r["intensity"])
eco("run", "--json", out, "--", "true", ECOMETER_INTENSITY_SERIES=env_series)
check(json.load(open(out))["intensity_series"]["file"] == env_series, "series from the environment")
eco("run", "--intensity-series", flag_series, "--json", out, "--", "true", ECOMETER_INTENSITY_SERIES=env_series)
check(json.load(open(out))["intensity_series"]["file"] == flag_series, "series flag over environment")
s = settings("--intensity-series", flag_series)
check(s["intensity_series"]["origin"] == "flag", "config flag: %s" % s["intensity_series"])
write("intensity_series = %s\n" % os.path.join(T, "missing.csv"))
p = eco("run", "--", "true", code=2)
check("missing.csv" in p.stderr, "missing series file: " + p.stderr)

# Bad lines: every command that reads settings stops with file:line.
write("region = FR\nregoin = DE\n")
for args in (["config"], ["run", "--", "true"], ["estimate", "--runtime", "1h", "--gpu", "A100"]):
    p = eco(*args, code=2)
    check(p.stderr.startswith("ecometer: %s:2: unknown key 'regoin'" % FILE) and "hint: the keys are" in p.stderr,
          "%s: %s" % (args, p.stderr))
write("region = Atlantis\n")
p = eco("config", code=2)
check("region 'Atlantis' (set by %s:1)" % FILE in p.stderr, p.stderr)
p = eco("run", "--", "true", code=2)
check("region 'Atlantis' (set by %s:1)" % FILE in p.stderr, p.stderr)
eco("run", "--region", "FR", "--", "true")  # a flag replaces the bad place
print("ok: config origins (default, file:line, env, flag); run, estimate and the history follow the settings; "
      "bad lines stop commands with file:line")
