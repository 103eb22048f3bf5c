#!/bin/sh
# Formats are rows of one table (src/render/outputs.c): a format a command
# does not offer is refused with exit 2 and the list of those it does, never
# printed as text instead; a one-run format is refused for several runs.
set -u
B=$ECOMETER_BIN
T=${ECO_TEST_TMPDIR:-$(mktemp -d)}
export ECOMETER_DB="$T/none.db"
fail=0
expect() { # want_rc, stderr fragment, command...
    want=$1 frag=$2
    shift 2
    err=$("$B" "$@" 2>&1 >/dev/null)
    rc=$?
    case "$err" in *"$frag"*) ok=1 ;; *) ok=0 ;; esac
    if [ "$rc" -ne "$want" ] || [ $ok -eq 0 ]; then
        echo "FAIL: ecometer $*: exit $rc (want $want), stderr: $err"
        fail=1
    fi
}
expect 2 "show writes text, json, csv" show latest --format codecarbon
expect 2 "show does not write --format 'html'" show latest --format html
expect 2 "export writes csv, json, codecarbon, prometheus" export latest --format text
expect 2 "export --format csv writes one run at a time" export --all --format csv
expect 2 "run writes text, json, csv" run --format prometheus -- true
expect 2 "monitor writes text, json, csv" monitor --format codecarbon --duration 1s
[ -e "$T/none.db" ] && { echo "FAIL: a refused format created the history"; fail=1; }
[ $fail -eq 0 ] && echo "ok: formats a command does not offer are refused by the outputs table"
exit $fail
