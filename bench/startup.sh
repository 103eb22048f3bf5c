#!/bin/bash
# Start-up cost of ecometer (issue 15): wall time of
#   - `true` and an empty C program (the floor of any exec),
#   - `ecometer version` (the binary and the libraries it links),
#   - `ecometer run --no-history --quiet -- true` on the fixture server
#     (tests/fixtures/intel-2s-server: RAPL only, no real sensor read),
# with hyperfine -N (no shell), 5 warm-ups, RUNS runs; prints the medians and
# what each adds. Usage: bench/startup.sh [ECOMETER_BINARY] [RUNS]
# (default: the installed `ecometer` if on PATH, else build/ecometer; 100 runs).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-$(command -v ecometer || echo build/ecometer)}
RUNS=${2:-100}
FIX=${FIXTURE:-tests/fixtures/intel-2s-server}
command -v hyperfine >/dev/null || { echo "bench/startup.sh: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
printf 'int main(void) { return 0; }\n' > "$TMP/empty.c"
cc -O2 -o "$TMP/empty" "$TMP/empty.c"
export ECOMETER_SYSFS_ROOT="$FIX/sys" ECOMETER_PROC_ROOT="$FIX/proc" XDG_STATE_HOME="$TMP" XDG_DATA_HOME="$TMP"
[ -f "$FIX/cpuinfo" ] && export ECOMETER_CPUINFO="$FIX/cpuinfo"
hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$TMP/h.json" \
    "true" "$TMP/empty" "$BIN version" "$BIN run --no-history --quiet -- true" >/dev/null 2>&1
python3 - "$TMP/h.json" "$BIN" <<'PY'
import json, sys
r = [x["median"] * 1000 for x in json.load(open(sys.argv[1]))["results"]]
t, e, v, run = r
print("%s (median of hyperfine runs, ms): true %.2f; empty C program %.2f; version %.2f (+%.2f over the empty program); "
      "run --no-history --quiet -- true %.2f (+%.2f over true)" % (sys.argv[2], t, e, v, v - e, run, run - t))
PY
