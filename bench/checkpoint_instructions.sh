#!/bin/sh
# Instructions of every history checkpoint of a long `monitor` (callgrind:
# they do not depend on the machine's load): `monitor --interval 100ms
# --duration MINUTES --db FILE` on the fixture server (6 RAPL domains), with
# callgrind counting only inside eco_history_save and dumping after each
# call, so each dump is one save (the first at start, then one every 5 s).
# Prints, for each binary, the median instructions of the saves of each
# minute and the minute's largest save (minute 0: the save at start). The binaries run side by side; the
# whole takes MINUTES minutes of wall time (default 12).
# Usage: bench/checkpoint_instructions.sh MINUTES [ECOMETER_BINARY...]
set -eu
MIN=${1:-12}
[ $# -gt 0 ] && shift
. "$(dirname "$0")/callgrind_env.sh"
i=0
for b in "$@"; do
    i=$((i + 1))
    mkdir -p "$TMP/$i"
    valgrind --tool=callgrind --toggle-collect=eco_history_save --dump-after=eco_history_save \
        --callgrind-out-file="$TMP/$i/cg" "$b" monitor --interval 100ms --duration "${MIN}m" \
        --db "$TMP/$i/h.db" >/dev/null 2>&1 &
done
wait
i=0
for b in "$@"; do
    i=$((i + 1))
    printf '%s: instructions per save, by minute: median (largest)\n' "$b"
    # dump N is the Nth save: N = 1 at start, then one per 5 s (12 a minute)
    for f in $(ls "$TMP/$i"/cg.* | sort -t. -k2 -n); do
        n=${f##*.}
        sed -n 's/^totals: *//p; s/^summary: *//p' "$f" | head -1 | awk -v n="$n" '{ print (n < 2 ? 0 : int((n - 2) / 12) + 1), $1 }'
    done | awk '{ v[$1] = v[$1] " " $2 } END { for (m in v) print m, v[m] }' | sort -n |
        python3 -c '
import statistics, sys
for line in sys.stdin:
    m, *xs = line.split()
    xs = [int(x) for x in xs]
    print("  minute %2s: %6.2f M (%.2f M, %d saves)" % (m, statistics.median(xs) / 1e6, max(xs) / 1e6, len(xs)))'
done
