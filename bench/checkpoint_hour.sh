#!/bin/sh
# A real hour of `ecometer monitor --interval 100ms` on the fixture server
# (tests/fixtures/intel-2s-server: 6 RAPL domains), saving to a history, with
# the CPU time of each checkpoint (the save every 5 s) traced at minute 1 and
# at the last minute (bench/cpu_trace.c), the process's RSS every minute, and
# its rusage at the end. The figures: bench/checkpoint_hour.py report OUTDIR.
# ecometer has no faked clock, so this takes MINUTES+1 minutes of wall time
# (default 61); run it in the background.
# Usage: bench/checkpoint_hour.sh OUTDIR [ECOMETER_BINARY] [MINUTES]
set -eu
cd "$(dirname "$0")/.."
OUT=${1:?usage: bench/checkpoint_hour.sh OUTDIR [ECOMETER_BINARY] [MINUTES]}
BIN=${2:-build/ecometer}
MIN=${3:-60}
[ -x "$BIN" ] || { echo "build first: make" >&2; exit 1; }
mkdir -p "$OUT"
cp "$BIN" "$OUT/ecometer" # a rebuild during the hour must not change the binary under test
cc -O2 -o "$OUT/cpu_trace" bench/cpu_trace.c
exec python3 bench/checkpoint_hour.py run "$OUT" "$MIN"
