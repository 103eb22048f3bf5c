#!/bin/sh
# Runs measured by `ecometer run` on a fixture tree (counters advancing at
# known power) land in the history: two runs at once both land, a run whose
# ecometer is killed midway stays (marked incomplete), and runs/show/compare/
# export/report read them back consistently with the run's own --json.
set -eu
B=$ECOMETER_BIN
if ! "$B" help run >/dev/null 2>&1; then
    echo "skip: this build has no 'ecometer run' yet"
    exit 77
fi
T=${ECO_TEST_TMPDIR:-$(mktemp -d)}
export ECOMETER_DB="$T/history.db"
python3 tests/tools/fixture_writer.py --fixture intel-2s-server --out "$T/fx" --power package-0=50 \
    --power package-1=30 --power dram-0=6 --power dram-1=4 --ready "$T/ready" >"$T/writer.log" 2>&1 &
WRITER=$!
trap 'kill $WRITER 2>/dev/null || true; wait $WRITER 2>/dev/null || true' EXIT
i=0
while [ ! -e "$T/ready" ]; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "FAIL: fixture writer not ready"; exit 1; }
    sleep 0.1
done
export ECOMETER_SYSFS_ROOT="$T/fx/sys" ECOMETER_CPUINFO="$T/fx/proc/cpuinfo"

# Two runs at once.
"$B" run -q --region FR --json "$T/a.json" -- sleep 1.5 &
A=$!
"$B" run -q --region DE --json "$T/b.json" -- sleep 1.2 &
C=$!
wait $A; wait $C
"$B" runs
n=$("$B" runs --format csv | tail -n +2 | grep -c ',1,' || true)
[ "$n" -eq 2 ] || { echo "FAIL: expected 2 complete runs, found $n"; "$B" runs --format csv; exit 1; }

# The stored figures are the run's own.
python3 - "$T" "$B" <<'PY'
import csv, io, json, subprocess, sys
t, b = sys.argv[1], sys.argv[2]
runs = json.loads(subprocess.run([b, "runs", "--format", "json"], capture_output=True, text=True, check=True).stdout)
for name in ("a", "b"):
    mine = json.load(open("%s/%s.json" % (t, name)))
    want = mine.get("id")
    cand = [r for r in runs if r["id"] == want] if want else [r for r in runs
            if abs(r["total_energy_j"] - mine["total_energy_j"]) <= 1e-9 * mine["total_energy_j"]]
    assert len(cand) == 1, "run %s not found in the history" % name
    rid = cand[0]["id"]
    shown = json.loads(subprocess.run([b, "show", rid, "--format", "json"], capture_output=True, text=True,
                                      check=True).stdout)
    assert abs(shown["total_energy_j"] - mine["total_energy_j"]) <= 1e-9 * mine["total_energy_j"]
    assert abs(shown["co2e_g"] - mine["co2e_g"]) <= 1e-9 * max(mine["co2e_g"], 1e-12)
    assert shown["complete"] is True and shown["exit_status"] == 0
    cc = list(csv.DictReader(io.StringIO(subprocess.run([b, "export", rid, "--format", "codecarbon"],
                                                        capture_output=True, text=True, check=True).stdout)))
    kwh = float(cc[0]["energy_consumed"])
    assert abs(kwh * 3.6e6 - mine["total_energy_j"]) <= 1e-6 * mine["total_energy_j"], (kwh, mine["total_energy_j"])
    print("%s: %s, %.1f J, codecarbon %.9f kWh" % (name, rid, mine["total_energy_j"], kwh))
PY

# A run whose ecometer is killed midway (after the periodic save) is kept, incomplete.
"$B" run -q --region FR -- sleep 30 &
K=$!
sleep 7
kill -9 $K
wait $K 2>/dev/null || true
"$B" show latest >"$T/killed.txt"
cat "$T/killed.txt"
grep -q INCOMPLETE "$T/killed.txt" || { echo "FAIL: the killed run is not marked incomplete"; exit 1; }
python3 - "$B" <<'PY'
import json, subprocess, sys
r = json.loads(subprocess.run([sys.argv[1], "show", "latest", "--format", "json"], capture_output=True,
                              text=True, check=True).stdout)
assert r["complete"] is False
assert r["duration_s"] >= 4 and r["total_energy_j"] > 0, "nothing measured was kept: %r" % r["duration_s"]
print("killed run kept: %.1f s, %.1f J" % (r["duration_s"], r["total_energy_j"]))
PY
"$B" compare latest~2 latest~1 >/dev/null
"$B" report latest latest~1 -o "$T/report.html" 2>/dev/null
grep -q '<svg class="chart power"' "$T/report.html" || { echo "FAIL: report without chart"; exit 1; }
echo ok
