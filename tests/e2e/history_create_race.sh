#!/bin/bash
# Several ecometers creating the same new history at once: every run is kept
# in it, and none takes the file being created for another program's file
# (the owner check read the schema version and the table list in two
# snapshots, so a creator's commit between them made "schema version 0
# without its tables": found by history_run.sh under load).
set -u
B=${ECOMETER_BIN:-build/ecometer}
T=${ECO_TEST_TMPDIR:-$(mktemp -d)}
rounds=${ROUNDS:-40}
per=4
bad=0
for r in $(seq 1 "$rounds"); do
    db="$T/h$r.db"
    for k in $(seq 1 $per); do
        ECOMETER_DB="$db" "$B" run -q --carbon-intensity 100 -- true 2>>"$T/err$r.log" &
    done
    wait
    if grep -q "not an ecometer history\|will not be kept" "$T/err$r.log"; then
        bad=$((bad + 1))
        [ $bad -eq 1 ] && sed 's/^/  /' "$T/err$r.log" | head -4
        continue
    fi
    n=$(ECOMETER_DB="$db" "$B" runs --all --format csv 2>/dev/null | tail -n +2 | wc -l)
    if [ "$n" -ne $per ]; then
        bad=$((bad + 1))
        echo "  round $r: $n runs kept of $per"
    fi
done
echo "$rounds rounds of $per concurrent runs creating one new history: $bad rounds lost a run"
[ $bad -eq 0 ] || { echo "FAIL: a run was refused or lost while the history was being created"; exit 1; }
echo ok
