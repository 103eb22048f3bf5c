#!/bin/bash
# Start-up cost of ecometer (issue 15): wall time of
#   - `true` and an empty C program (the floor of any exec),
#   - `ecometer version` (the binary and the libraries it links),
#   - `ecometer run --no-history --quiet -- true` on the fixture server
#     (tests/fixtures/intel-2s-server: RAPL only, no real sensor read),
# with hyperfine -N (no shell), 5 warm-ups, RUNS runs per command. With several
# binaries (e.g. before and after a change) the rounds alternate between them,
# ROUNDS times, so a load spike on a shared machine hits both alike; the figure
# given is the median over the rounds, each round's own floor subtracted; the
# CPU time (user + system, hyperfine's mean) is printed too, as it moves less
# with the machine's load than the wall time.
# Usage: bench/startup.sh [ECOMETER_BINARY...]   (default: the installed
# `ecometer` if on PATH, else build/ecometer); env RUNS (default 100), ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- "$(command -v ecometer || echo build/ecometer)"
RUNS=${RUNS:-100}
ROUNDS=${ROUNDS:-3}
FIX=${FIXTURE:-tests/fixtures/intel-2s-server}
command -v hyperfine >/dev/null || { echo "bench/startup.sh: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
printf 'int main(void) { return 0; }\n' > "$TMP/empty.c"
cc -O2 -o "$TMP/empty" "$TMP/empty.c"
export ECOMETER_SYSFS_ROOT="$FIX/sys" ECOMETER_PROC_ROOT="$FIX/proc" XDG_STATE_HOME="$TMP" XDG_DATA_HOME="$TMP"
for r in $(seq "$ROUNDS"); do
    i=0
    for bin in "$@"; do
        i=$((i + 1))
        hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$TMP/h-$i-$r.json" \
            "true" "$TMP/empty" "$bin version" "$bin run --no-history --quiet -- true" >/dev/null 2>&1
    done
done
python3 - "$TMP" "$ROUNDS" "$@" <<'PY'
import json, statistics, sys
tmp, rounds, bins = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for i, b in enumerate(bins, 1):
    rows, cpu = [], []
    for r in range(1, rounds + 1):
        res = json.load(open("%s/h-%d-%d.json" % (tmp, i, r)))["results"]
        rows.append([x["median"] * 1000 for x in res])
        cpu.append([(x["user"] + x["system"]) * 1000 for x in res])
    t, e, v, run = (statistics.median(c) for c in zip(*rows))
    add_v = statistics.median(row[2] - row[1] for row in rows)
    add_run = statistics.median(row[3] - row[0] for row in rows)
    print("%s: median ms over %d rounds: true %.2f, empty C program %.2f, version %.2f (+%.2f over the "
          "empty program), run --no-history --quiet -- true %.2f (+%.2f over true)"
          % (b, rounds, t, e, v, add_v, run, add_run))
    ct, ce, cv, crun = (statistics.median(c) for c in zip(*cpu))
    print("  CPU (user+system, mean of each round's runs, median over rounds): true %.2f, empty %.2f, "
          "version %.2f, run %.2f ms" % (ct, ce, cv, crun))
PY
