#!/bin/sh
# examples/distillation/run.sh end to end with tiny step counts, on a fixture
# tree (so the energy figures come from counters advancing at known power):
# two runs stored with their epoch regions and item counts, a comparison, a
# report. Skips when torch or `ecometer run` is absent.
set -eu
B=$ECOMETER_BIN
PY=/usr/bin/python3
if ! "$B" help run >/dev/null 2>&1; then
    echo "skip: this build has no 'ecometer run' yet"
    exit 77
fi
if ! "$PY" -c 'import torch' 2>/dev/null; then
    echo "skip: python3-torch is not installed (apt-get install python3-torch)"
    exit 77
fi
T=${ECO_TEST_TMPDIR:-$(mktemp -d)}
python3 tests/tools/fixture_writer.py --fixture intel-2s-server --out "$T/fx" --power package-0=40 \
    --power package-1=20 --power dram-0=5 --power dram-1=3 --ready "$T/ready" >"$T/writer.log" 2>&1 &
WRITER=$!
trap 'kill $WRITER 2>/dev/null || true; wait $WRITER 2>/dev/null || true' EXIT
i=0
while [ ! -e "$T/ready" ]; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "FAIL: fixture writer not ready"; exit 1; }
    sleep 0.1
done
export ECOMETER_SYSFS_ROOT="$T/fx/sys" ECOMETER_CPUINFO="$T/fx/proc/cpuinfo"
export ECOMETER_DB="$T/history.db" ECOMETER="$B" OUT="$T/work" PYTHON="$PY" THREADS=1
examples/distillation/run.sh 2 2 >"$T/out.txt" 2>"$T/err.txt" || { cat "$T/out.txt" "$T/err.txt"; exit 1; }
cat "$T/out.txt"
grep -q 'energy per item' "$T/out.txt" || { echo "FAIL: no comparison printed"; exit 1; }
[ -s "$T/work/report.html" ] || { echo "FAIL: no report"; exit 1; }
python3 - "$B" <<'PY'
import json, subprocess, sys
b = sys.argv[1]
runs = json.loads(subprocess.run([b, "runs", "--format", "json"], capture_output=True, text=True, check=True).stdout)
assert len(runs) == 2, runs
for r in runs:
    full = json.loads(subprocess.run([b, "show", r["id"], "--format", "json"], capture_output=True, text=True,
                                     check=True).stdout)
    names = [g["name"] for g in full["regions"]]
    assert names == ["epoch-1", "epoch-2"], names
    assert all(g["items"] == 2 * 32 for g in full["regions"]), [g["items"] for g in full["regions"]]
    assert full["items"] == 128 and full["complete"] and full["exit_status"] == 0
    assert all(g["energy_j"] > 0 for g in full["regions"])
    print("%s: %s, %.1f J, %.3f J/image" % (r["id"], full["command"][-40:], full["total_energy_j"],
                                           full["energy_per_item_j"]))
PY
echo ok
