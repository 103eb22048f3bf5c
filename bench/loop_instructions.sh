#!/bin/sh
# Instructions (callgrind: they do not depend on the machine's load) that
# ecometer spends per sample and per history checkpoint, for each binary:
#  - per sample: eco_run_driver_tick's inclusive count / its calls, in
#    `run --no-history --interval 10ms -- sleep 5` (the sampling loop of run;
#    under valgrind fewer than 500 ticks may happen: the count is per tick);
#  - per save: the run driver's save() / its calls, in `monitor --interval
#    100ms --duration 30s --db FILE` (the save at start, the 5-second
#    checkpoints, the final save);
#  - all of `run --db FILE --quiet -- true` on a history that holds 2 runs
#    (start-up as users run it, with the history).
# On the fixture server (tests/fixtures/intel-2s-server).
# Usage: bench/loop_instructions.sh [ECOMETER_BINARY...]   (default build/ecometer)
set -eu
. "$(dirname "$0")/callgrind_env.sh"
per_call() { # FILE FUNCTION-REGEX: "inclusive / calls = per call"
    callgrind_annotate --tree=caller --inclusive=yes "$1" 2>/dev/null |
        awk -v f="$2" '$0 ~ "< .*" f " \\(" { gsub(",", "", $1); n = $0; sub(/.*\(/, "", n); sub(/x\).*/, "", n);
                                               gsub(",", "", n); s += $1; c += n }
                       END { if (c) printf "%d / %d = %d", s, c, s / c; else printf "not found" }'
}
i=0
for b in "$@"; do
    i=$((i + 1))
    valgrind --tool=callgrind --callgrind-out-file="$TMP/tick-$i" "$b" run --no-history --interval 10ms -- sleep 5 \
        >/dev/null 2>&1
    rm -f "$TMP/h-$i.db"*
    valgrind --tool=callgrind --callgrind-out-file="$TMP/save-$i" "$b" monitor --interval 100ms --duration 30s \
        --db "$TMP/h-$i.db" >/dev/null 2>&1
    rm -f "$TMP/r-$i.db"*
    "$b" run --db "$TMP/r-$i.db" --quiet -- true 2>/dev/null
    "$b" run --db "$TMP/r-$i.db" --quiet -- true 2>/dev/null
    n=$(valgrind --tool=callgrind --callgrind-out-file="$TMP/run-$i" "$b" run --db "$TMP/r-$i.db" --quiet -- true 2>&1 \
        >/dev/null | sed -n 's/.*Collected : *//p')
    echo "$b:"
    echo "  per sample (run at 10 ms, eco_run_driver_tick): $(per_call "$TMP/tick-$i" 'run_driver.c:eco_run_driver_tick')"
    echo "  per save (monitor at 100 ms for 30 s, save): $(per_call "$TMP/save-$i" 'run_driver.c:save')"
    echo "  run --db FILE --quiet -- true (history of 2 runs): $n"
done
