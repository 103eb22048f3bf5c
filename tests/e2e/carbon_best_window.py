#!/usr/bin/env python3
"""`ecometer carbon --best-window D --series FILE`: the answer on known
series worked by hand is exact (start instant and mean intensity), on a
simple CSV written in local time across the Paris spring DST change and on
an Electricity Maps export (direct and lifecycle columns); --from limits
the starts; a window longer than any gap-free stretch is refused."""
import json
import os
import subprocess
import sys

BIN = os.environ["ECOMETER_BIN"]
TMP = os.environ["ECO_TEST_TMPDIR"]
failures = []


def best(path, *args):
    p = subprocess.run([BIN, "carbon", "--series", path, "--format", "json"] + list(args),
                       capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        failures.append("%s %s: exit %d: %s" % (path, args, p.returncode, p.stderr))
        return None
    return json.loads(p.stdout)


def expect(what, got, start, mean, co2e=None):
    if got is None:
        return
    b = got["best"]
    ok = b["start"] == start and abs(b["g_per_kwh"] - mean) <= 1e-9 * mean
    if co2e is not None:
        ok = ok and abs(b["co2e_g"] - co2e) <= 1e-9 * co2e
    print("%s %s: best %s at %.10g g/kWh%s" % ("ok  " if ok else "FAIL", what, b["start"], b["g_per_kwh"],
                                               ", %.10g g" % b["co2e_g"] if "co2e_g" in b else ""))
    if not ok:
        failures.append("%s: %s, expected %s at %s" % (what, b, start, mean))


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


# Paris, 2026-03-29: 02:00 local does not exist (01:00Z: +01:00 -> +02:00).
# Hourly local rows 00:00+01 .. 06:00+02 are the UTC hours 23:00Z .. 04:00Z,
# contiguous. Values 400 300 100 150 500 500: the best 2 h window starts at
# 03:00+02:00 (01:00Z): (100 + 150) / 2 = 125 (next best: 00:00Z, 200). Read
# without the offsets, 03:00 would be 03:00Z and a gap would open at 02:00.
dst = write("dst.csv", "timestamp,g_per_kwh\n"
            "2026-03-29T00:00:00+01:00,400\n2026-03-29T01:00:00+01:00,300\n"
            "2026-03-29T03:00:00+02:00,100\n2026-03-29T04:00:00+02:00,150\n"
            "2026-03-29T05:00:00+02:00,500\n2026-03-29T06:00:00+02:00,500\n")
expect("DST series, 2 h window", best(dst, "--best-window", "2h", "--power", "1000"), "2026-03-29T01:00:00Z", 125,
       co2e=250)
# a window that does not fit the boundaries: 90 min over 100, 150 -> 1 h at 100 + 30 min at 150
expect("DST series, 90 min window", best(dst, "--best-window", "90m"), "2026-03-29T01:00:00Z", (100 + 75) / 1.5)
expect("DST series, from 02:00Z", best(dst, "--best-window", "1h", "--from", "2026-03-29T02:00:00Z"),
       "2026-03-29T02:00:00Z", 150)

em = write("em.csv", "Datetime (UTC),Country,Zone name,Zone id,Carbon intensity gCO\u2082eq/kWh (direct),"
           "Carbon intensity gCO\u2082eq/kWh (Life cycle),Carbon-free energy percentage (CFE%),"
           "Renewable energy percentage (RE%),Data source,Data estimated,Data estimation method\n"
           "2025-06-01 00:00:00,Denmark,West Denmark,DK-DK1,90,150,60,60,x,false,\n"
           "2025-06-01 00:05:00,Denmark,West Denmark,DK-DK1,10,200,60,60,x,false,\n"
           "2025-06-01 00:10:00,Denmark,West Denmark,DK-DK1,20,40,60,60,x,true,MODE_BREAKDOWN\n"
           "2025-06-01 00:15:00,Denmark,West Denmark,DK-DK1,80,30,60,60,x,false,\n")
expect("Electricity Maps lifecycle, 10 min", best(em, "--best-window", "10m"), "2025-06-01T00:10:00Z", 35)
expect("Electricity Maps direct, 10 min", best(em, "--best-window", "10m", "--series-basis", "direct"),
       "2025-06-01T00:05:00Z", 15)

p = subprocess.run([BIN, "carbon", "--series", em, "--best-window", "1h"], capture_output=True, text=True, timeout=30)
if p.returncode != 2 or "no window" not in p.stderr:
    failures.append("a window longer than the series: exit %d, %s" % (p.returncode, p.stderr))
text = subprocess.run([BIN, "carbon", "--series", dst, "--best-window", "2h"], capture_output=True, text=True,
                      timeout=30).stdout
if "arithmetic on the series" not in text or "best start" not in text:
    failures.append("text output does not label the answer: " + text)

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: best windows exact on the DST series and the Electricity Maps export")
