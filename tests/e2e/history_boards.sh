#!/bin/sh
# Runs measured on other fixture boards (a Jetson whose board rail holds the
# others, a laptop whose psys holds everything, an AMD GPU) go through the
# history and the CodeCarbon export without counting a part twice:
# energy_consumed (kWh) = the run's total energy, and the report renders.
set -eu
B=$ECOMETER_BIN
if ! "$B" help run >/dev/null 2>&1; then
    echo "skip: this build has no 'ecometer run' yet"
    exit 77
fi
T=${ECO_TEST_TMPDIR:-$(mktemp -d)}
export ECOMETER_DB="$T/history.db"
for board in jetson-orin-nx laptop-psys amd-gpu; do
    python3 tests/tools/fixture_writer.py --fixture "$board" --out "$T/$board" --default-power 7 \
        --ready "$T/$board.ready" >"$T/$board.log" 2>&1 &
    W=$!
    i=0
    while [ ! -e "$T/$board.ready" ]; do
        i=$((i + 1)); [ $i -lt 100 ] || { echo "FAIL: fixture writer not ready for $board"; kill $W; exit 1; }
        sleep 0.1
    done
    ECOMETER_SYSFS_ROOT="$T/$board/sys" ECOMETER_CPUINFO="$T/$board/proc/cpuinfo" \
        "$B" run -q --region SE --json "$T/$board.json" -- sleep 1 || { kill $W; exit 1; }
    kill $W; wait $W 2>/dev/null || true
    python3 - "$B" "$T/$board.json" "$board" <<'PY'
import csv, io, json, subprocess, sys
b, mine, board = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
run = json.loads(subprocess.run([b, "show", "latest", "--format", "json"], capture_output=True, text=True,
                                check=True).stdout)
assert abs(run["total_energy_j"] - mine["total_energy_j"]) <= 1e-9 * max(mine["total_energy_j"], 1e-9)
assert run["total_energy_j"] > 0, "nothing measured on " + board
tops = sum(d["energy_j"] for d in run["domains"] if d["top_level"])
assert abs(tops - run["total_energy_j"]) <= 1e-6 * tops, (tops, run["total_energy_j"])
cc = next(csv.DictReader(io.StringIO(subprocess.run([b, "export", "latest", "--format", "codecarbon"],
                                                    capture_output=True, text=True, check=True).stdout)))
kwh = float(cc["energy_consumed"])
assert abs(kwh * 3.6e6 - run["total_energy_j"]) <= 1e-6 * run["total_energy_j"], (kwh, run["total_energy_j"])
kinds = sorted({d["kind"] for d in run["domains"]})
print("%s: %.1f J over %d domains (%s), codecarbon %.3g kWh (cpu %s, gpu %s, ram %s)" % (
    board, run["total_energy_j"], len(run["domains"]), ", ".join(kinds), kwh, cc["cpu_energy"],
    cc["gpu_energy"], cc["ram_energy"]))
PY
done
"$B" report latest latest~1 latest~2 -o "$T/boards.html" 2>/dev/null
[ "$(grep -c '<svg class="chart power"' "$T/boards.html")" -eq 3 ] || { echo "FAIL: report"; exit 1; }
echo ok
