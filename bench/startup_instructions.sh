#!/bin/sh
# Instructions executed at start-up (callgrind; they do not depend on the
# machine's load): `ecometer version` and `ecometer run --no-history --quiet
# -- true` on the fixture server (tests/fixtures/intel-2s-server through
# ECOMETER_SYSFS_ROOT/ECOMETER_PROC_ROOT), for each binary given.
# Usage: bench/startup_instructions.sh [ECOMETER_BINARY...]  (default build/ecometer)
# Env KEEP=DIR keeps the callgrind files there (callgrind_annotate DIR/run-N.out).
set -eu
. "$(dirname "$0")/callgrind_env.sh"
OUT=${KEEP:-$TMP}
mkdir -p "$OUT"
i=0
for b in "$@"; do
    i=$((i + 1))
    for what in "version" "run --no-history --quiet -- true"; do
        f="$OUT/$(echo "$what" | cut -d' ' -f1)-$i.out"
        # shellcheck disable=SC2086 # the command's words
        n=$(valgrind --tool=callgrind --callgrind-out-file="$f" "$b" $what 2>&1 >/dev/null |
            sed -n 's/.*Collected : *//p')
        printf '%s %s: %s instructions\n' "$b" "$what" "$n"
    done
done
