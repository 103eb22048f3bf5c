#!/bin/sh
# ecometer's own cost while measuring (issue 4, "Speed"):
#  1. CPU time of ecometer itself while `ecometer run -- sleep D` samples every
#     source of a fixture server (tests/fixtures/intel-2s-server: RAPL packages,
#     cores, uncore, dram on two sockets) at 100 ms and at 10 ms, with
#     attribution on. From wait4()'s rusage of the ecometer process (it
#     includes `sleep`'s own ~1 ms, which is subtracted from nothing: the
#     figure is an upper bound). Reported as % of one core = cpu / wall.
#  2. Added wall time of `ecometer run -- true` vs `true` (hyperfine, median).
# Usage: bench/overhead.sh [DURATION_S] [REPEATS]   (defaults 20 and 3)
# Targets: <= 0.5 % of a core at 100 ms, <= 3 % at 10 ms, <= 15 ms added.
set -eu
cd "$(dirname "$0")/.."
DUR=${1:-20}
REP=${2:-3}
BIN=${ECOMETER_BIN:-build/ecometer}
FIX=${FIXTURE:-tests/fixtures/intel-2s-server}
[ -x "$BIN" ] || { echo "build first: make" >&2; exit 1; }
[ -d "$FIX" ] || { echo "fixture $FIX missing" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export ECOMETER_SYSFS_ROOT="$FIX/sys" XDG_STATE_HOME="$TMP"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, $(uname -sr)"
echo "binary:  $BIN ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), fixture: $FIX"
for iv in 100ms 10ms; do
  python3 - "$BIN" "$iv" "$DUR" "$REP" <<'PY'
import os, statistics, subprocess, sys, time
bin_, iv, dur, rep = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
pct, doms = [], None
for _ in range(rep):
    t0 = time.monotonic()
    p = subprocess.Popen([bin_, "run", "--no-history", "--interval", iv, "--format", "csv", "--", "sleep", str(dur)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    err = p.stderr.read()
    if "\nsection," in "\n" + err:  # the run record's CSV (section column): one "domain" row per domain
        doms = sum(1 for l in err.splitlines() if l.startswith("domain,"))
    else:  # builds before issue 12: a header "domain,kind,..." then a row per domain and a "total" row
        doms = sum(1 for l in err.splitlines() if l.count(",") >= 8 and not l.startswith(("domain,", "total,")))
    pct.append(100 * (ru.ru_utime + ru.ru_stime) / wall)
print("run -- sleep %g at %-5s: ecometer CPU = %.3f %% of one core (median of %d: %s), %d domains sampled"
      % (dur, iv, statistics.median(pct), rep, ", ".join("%.3f" % x for x in pct), doms))
PY
done
echo "load average before the wall-time part: $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 5 --runs 60 --export-json "$TMP/h.json" "true" "$BIN version" \
      "$BIN run --no-history -q -- true" >/dev/null 2>&1
  python3 - "$TMP/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
t, v, run = (x["median"] * 1e3 for x in r)
tm, vm, runm = (x["min"] * 1e3 for x in r)
print("wall time (hyperfine, median of 60): true %.2f ms; ecometer version %.2f ms (start-up of the binary and its "
      "libraries); ecometer run -- true %.2f ms: %.2f ms added to true" % (t, v, run, run - t))
print("wall time (fastest of the 60, the least disturbed): true %.2f ms; ecometer version %.2f ms; "
      "ecometer run -- true %.2f ms: %.2f ms added" % (tm, vm, runm, runm - tm))
PY
else
  echo "hyperfine not installed (apt-get install hyperfine): wall-time part skipped"
fi
