#!/bin/sh
# ecometer's own cost while measuring (issue 4, "Speed"; re-measured for issue 12):
#  1. CPU time of ecometer itself (bench/overhead.py) while it samples the
#     fixture server (tests/fixtures/intel-2s-server: RAPL packages, cores and
#     DRAM on two sockets, 6 domains) at 1 s (the default), 100 ms and 10 ms:
#     `run -- sleep D` (attribution to the process tree on), `monitor
#     --duration D`, and `run` with two GPUs of the NVML stand-in the tests
#     build (make build/tests/libnvml-standin.so) as well. From wait4()'s
#     rusage (an upper bound: `sleep`'s own ~1 ms is in it), as % of one core
#     and per sample; median of REPEATS runs. With several binaries (before and
#     after a change) each run starts them all at once, so that both see the
#     same machine.
#  2. Added wall time of `ecometer run -- true` vs `true` (hyperfine, median
#     of 60, and the fastest), with the load average before it.
# Usage: bench/overhead.sh [DURATION_S] [REPEATS] [BINARY...]
#   (defaults 20, 3 and $ECOMETER_BIN or build/ecometer)
# Targets: <= 0.5 % of a core at 100 ms, <= 3 % at 10 ms, <= 15 ms added.
set -eu
cd "$(dirname "$0")/.."
DUR=${1:-20}
REP=${2:-3}
[ $# -gt 2 ] && shift 2 || set -- "${ECOMETER_BIN:-build/ecometer}"
FIX=${FIXTURE:-tests/fixtures/intel-2s-server}
for b in "$@"; do [ -x "$b" ] || { echo "build first: make ($b missing)" >&2; exit 1; }; done
[ -d "$FIX" ] || { echo "fixture $FIX missing" >&2; exit 1; }
[ -f build/tests/libnvml-standin.so ] || echo "(no build/tests/libnvml-standin.so: the GPU rows are left out; make build/tests/libnvml-standin.so)"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export FIXTURE="$FIX" XDG_STATE_HOME="$TMP" XDG_DATA_HOME="$TMP"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, $(uname -sr); $(date -u '+%F %T') UTC"
echo "tree: $(git rev-parse --short HEAD 2>/dev/null || echo '?'), fixture: $FIX"
python3 bench/overhead.py "$DUR" "$REP" "$@"
if command -v hyperfine >/dev/null; then
  export ECOMETER_SYSFS_ROOT="$FIX/sys"
  for b in "$@"; do
    echo "load average before the wall-time part of $b: $(cut -d' ' -f1-3 /proc/loadavg)"
    hyperfine -N --warmup 5 --runs 60 --export-json "$TMP/h.json" "true" "$b version" \
        "$b run --no-history -q -- true" >/dev/null 2>&1
    python3 - "$TMP/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
t, v, run = (x["median"] * 1e3 for x in r)
tm, vm, runm = (x["min"] * 1e3 for x in r)
print("  wall time (hyperfine, median of 60): true %.2f ms; ecometer version %.2f ms; ecometer run -- true %.2f ms: "
      "%.2f ms added to true; fastest of the 60: %.2f ms added" % (t, v, run, run - t, runm - tm))
PY
  done
else
  echo "hyperfine not installed (apt-get install hyperfine): wall-time part skipped"
fi
