#!/bin/sh
# Unknown commands and regions: exit 2, and "did you mean" with the near one
# when what was typed looks like a typo of it; no guess when nothing is near.
B=${ECOMETER_BIN:?}
T=${ECO_TEST_TMPDIR:?}
fail() { echo "FAIL: $*"; exit 1; }
expect() { # expect CODE WANTED-HINT-TEXT ARGS...
    code=$1 want=$2; shift 2
    "$B" "$@" >"$T/out" 2>"$T/err"; rc=$?
    [ "$rc" = "$code" ] || fail "ecometer $* exited $rc, want $code: $(cat "$T/err")"
    grep -q "$want" "$T/err" || fail "ecometer $*: no '$want' in: $(cat "$T/err")"
}
expect 2 "did you mean 'ecometer export'" exprot latest
expect 2 "did you mean 'ecometer estimate'" estmate --runtime 1h
expect 2 "did you mean 'ecometer carbon'" carbn FR
expect 2 "did you mean 'ecometer hardware'" help hardwre
expect 2 "see 'ecometer help' for the commands" frobnicate
grep -q "did you mean" "$T/err" && fail "a far guess for frobnicate: $(cat "$T/err")"
expect 2 "did you mean FR (France)" carbon Frnace
expect 2 "did you mean DE (Germany)" estimate --runtime 1h --gpu-power 100 --region Germny
echo "ok: did you mean for commands and regions"
