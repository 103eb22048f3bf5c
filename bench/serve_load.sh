#!/bin/sh
# Scrapes per second `ecometer serve` sustains on loopback, and its memory
# before and after: runs tests/e2e/serve_load.py (wrk, 2 threads, 16
# connections, on the intel-2s-server fixture) RUNS times for SECONDS each and
# prints the median. Usage: bench/serve_load.sh [RUNS] [SECONDS]
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
secs=${2:-10}
make -s all test-deps
out=$(mktemp -d)
i=0
while [ $i -lt "$runs" ]; do
    mkdir -p "$out/$i"
    ECOMETER_BIN=$PWD/build/ecometer ECOMETER_SRC=$PWD ECOMETER_BUILD=$PWD/build \
        ECO_TEST_TMPDIR=$out/$i ECO_LOAD_SECONDS=$secs python3 tests/e2e/serve_load.py |
        grep '^scrapes/s' | tee -a "$out/lines"
    i=$((i + 1))
done
python3 - "$out/lines" <<'PY'
import re, statistics, sys
rows = [re.findall(r"[\d.]+", l) for l in open(sys.argv[1])]
rps = [float(r[0]) for r in rows]
growth = [int(r[4]) - int(r[3]) for r in rows]
print("median scrapes/s %.0f (runs: %s); RSS idle %s kB, growth under steady load: median %d kB, max %d kB"
      % (statistics.median(rps), ", ".join("%.0f" % x for x in rps), rows[0][2], statistics.median(growth), max(growth)))
PY
rm -rf "$out"
