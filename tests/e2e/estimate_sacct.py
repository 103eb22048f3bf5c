#!/usr/bin/env python3
"""ecometer estimate --sacct: a sacct file with one malformed line gives the
other jobs' totals (worked out here by hand from the Green Algorithms formula,
Lannelongue et al. 2021, Adv. Sci. 8:2100707: E = t x (P_cpu u_cpu +
n_gpu P_gpu u_gpu + M x 0.3725 W/GB) x PUE x PSF) and names the bad line;
JSON, CSV and text agree; stdin works; flags that --sacct replaces are refused."""
import csv
import io
import json
import os
import subprocess
import sys

BIN = os.environ["ECOMETER_BIN"]
TMP = os.environ["ECO_TEST_TMPDIR"]
failures = []


def fail(msg):
    print("FAIL:", msg)
    failures.append(msg)


SACCT = "\n".join([
    "JobID|JobName|Partition|NodeList|Elapsed|NCPUS|NNodes|AllocTRES|ReqMem|TotalCPU",
    "501|a|cpu|n1|01:00:00|4|1|billing=4,cpu=4,mem=16G,node=1|16G|02:00:00",        # line 2
    "501.batch|batch||n1|01:00:00|4|1|cpu=4,mem=16G,node=1||01:59:59",              # line 3: a step
    "502|b|gpu|g1|00:30:00|2|1|cpu=2,gres/gpu=1,mem=8G,node=1|8G|30:00.000",       # line 4
    "503|c|cpu|n2|00:1O:00|2|1|cpu=2,mem=4G,node=1|4G|00:10:00",                    # line 5: letter O
    "504|d|cpu|n3|2-00:00:00|1|1|cpu=1,node=1|2000Mc|1-00:00:00",                   # line 6
]) + "\n"
path = os.path.join(TMP, "jobs.sacct")
with open(path, "w") as f:
    f.write(SACCT)

PUE, CI, W_CORE, W_GPU = 1.2, 50.0, 10.0, 250.0
# by hand:
# 501: t 3600 s, CPU 4 x 10 W x u (7200 / (3600 x 4) = 0.5) = 20 W, memory 16 x 0.3725 = 5.96 W
e501 = 3600 * (20 + 5.96) * PUE
# 502: t 1800 s, CPU 2 x 10 x (1800 / (1800 x 2) = 0.5) = 10 W, GPU 1 x 250 W, memory 8 x 0.3725 = 2.98 W
e502 = 1800 * (10 + 250 + 2.98) * PUE
# 504: t 172800 s, CPU 1 x 10 x (86400 / 172800 = 0.5) = 5 W, memory 2000 MB per CPU x 1 = 1.953125 GB
e504 = 172800 * (5 + 2000 / 1024 * 0.3725) * PUE
want = {"501": e501, "502": e502, "504": e504}
total = sum(want.values())

args = [BIN, "estimate", "--sacct", path, "--cpu-power", str(W_CORE), "--gpu-power", str(W_GPU), "--pue", str(PUE),
        "--carbon-intensity", str(CI)]
p = subprocess.run(args + ["--format", "json"], capture_output=True, text=True, timeout=60)
if p.returncode != 0:
    fail("json: rc %d: %s" % (p.returncode, p.stderr))
else:
    d = json.loads(p.stdout)
    got = {j["id"]: j["energy_j"]["total"] for j in d["jobs"]}
    if sorted(got) != sorted(want):
        fail("jobs %s, want %s" % (sorted(got), sorted(want)))
    for k, v in want.items():
        if k in got and abs(got[k] - v) > 1e-9 * v:
            fail("job %s: %.6f J, by hand %.6f J" % (k, got[k], v))
    t = d["total"]
    print("total %.6f kWh (by hand %.6f), %.4f g CO2e, skipped %d" % (t["energy_kwh"], total / 3.6e6, t["co2e_g"],
                                                                       t["skipped_lines"]))
    if abs(t["energy_j"] - total) > 1e-9 * total or abs(t["co2e_g"] - total / 3.6e6 * CI) > 1e-9 * t["co2e_g"]:
        fail("total %s, by hand %.6f J" % (t, total))
    if t["skipped_lines"] != 1 or [s["line"] for s in d["skipped"]] != [5] or t["steps_folded"] != 1:
        fail("skipped %s, total %s" % (d["skipped"], t))
    if "line 5" not in p.stderr or "503" not in p.stderr or "Elapsed" not in p.stderr:
        fail("stderr does not name the bad line: %s" % p.stderr)
    j501 = next(j for j in d["jobs"] if j["id"] == "501")
    if j501["cpu_usage"] != 0.5 or j501["line"] != 2 or j501["memory_gb"] != 16 or j501["steps"] != 1:
        fail("job 501: %s" % j501)

p = subprocess.run(args + ["--format", "csv", "--sacct", "-"], input=SACCT, capture_output=True, text=True, timeout=60)
rows = list(csv.DictReader(io.StringIO(p.stdout)))
if p.returncode != 0 or [r["job_id"] for r in rows] != ["501", "502", "504"]:
    fail("csv from stdin: rc %d, rows %s: %s" % (p.returncode, rows, p.stderr))
elif abs(sum(float(r["total_wh"]) for r in rows) - total / 3600) > 1e-6 * total / 3600:
    fail("csv total Wh %s" % [r["total_wh"] for r in rows])

p = subprocess.run(args, capture_output=True, text=True, timeout=60)
if p.returncode != 0 or "3 jobs estimated" not in p.stdout or "1 line skipped" not in p.stdout:
    fail("text: rc %d: %s %s" % (p.returncode, p.stdout, p.stderr))

for extra, what in ((["--runtime", "1h"], "--runtime"), (["--cores", "4"], "--cores"), (["--gpus", "2"], "--gpus"),
                    (["--memory", "8"], "--memory")):
    p = subprocess.run(args + extra, capture_output=True, text=True, timeout=60)
    if p.returncode != 2 or what not in p.stderr:
        fail("%s with --sacct: rc %d: %s" % (what, p.returncode, p.stderr))
p = subprocess.run([BIN, "estimate", "--sacct-map", path, "--cpu-power", "3"], capture_output=True, text=True,
                   timeout=60)
if p.returncode != 2 or "--sacct" not in p.stderr:
    fail("--sacct-map alone: rc %d: %s" % (p.returncode, p.stderr))
bad = os.path.join(TMP, "noheader.sacct")
with open(bad, "w") as f:
    f.write("501|a|cpu|n1|01:00:00|4\n")
p = subprocess.run([BIN, "estimate", "--sacct", bad, "--cpu-power", "3"], capture_output=True, text=True, timeout=60)
if p.returncode != 2 or "header" not in p.stderr or "hint:" not in p.stderr:
    fail("no header: rc %d: %s" % (p.returncode, p.stderr))
p = subprocess.run([BIN, "estimate", "--sacct", TMP, "--cpu-power", "3"], capture_output=True, text=True, timeout=60)
if p.returncode == 0 or "ecometer:" not in p.stderr:
    fail("a folder as --sacct: rc %d: %s" % (p.returncode, p.stderr))

sys.exit(1 if failures else 0)
