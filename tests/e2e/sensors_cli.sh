#!/bin/sh
# `ecometer sensors` end to end: on the two-socket server fixture (RAPL
# measured, estimate not used), on a machine with no sensor at all (clear
# text, every source disabled with a reason), the three formats, bad usage.
set -u
fail() { echo "FAIL: $*"; exit 1; }
B=${ECOMETER_BIN:?}
F=$ECOMETER_SRC/tests/fixtures
T=${ECO_TEST_TMPDIR:-/tmp}
board() {
    b=$1; shift
    ECOMETER_SYSFS_ROOT=$F/$b/sys ECOMETER_PROC_ROOT=$F/$b/proc ECOMETER_CPUINFO=$F/$b/proc/cpuinfo \
    ECOMETER_NVML_LIB=/nonexistent/libnvidia-ml.so.1 "$B" sensors --window 0 "$@"
}

board intel-2s-server > $T/out.txt 2> $T/err.txt || fail "server: exit $?"
grep -q "^rapl *enabled" $T/out.txt || fail "server: rapl not enabled: $(cat $T/out.txt)"
for d in package-0 package-1 core-0 dram-1; do
    grep -q "$d" $T/out.txt || fail "server: $d missing"
done
grep -q "already measured by rapl" $T/out.txt || fail "server: estimate not explained"
grep -q "6 measured domains" $T/out.txt || fail "server: summary"

board intel-2s-server --format json > $T/out.json || fail "json exit"
python3 - "$T/out.json" <<'PY' || fail "json content"
import json, sys
j = json.load(open(sys.argv[1]))
src = {s["name"]: s for s in j["sources"]}
r = src["rapl"]
assert r["enabled"] is True, r
names = {d["name"]: d for d in r["domains"]}
assert names["core-0"]["inside"] == "package-0"
assert names["dram-0"]["inside"] is None
assert names["package-1"]["kind"] == "cpu-package" and names["package-1"]["method"] == "measured"
assert names["package-0"]["counter_max"] == 262143328851
assert src["cpu-estimate"]["enabled"] is False
assert j["max_interval_s"] > 60
PY

board intel-2s-server --format csv > $T/out.csv || fail "csv exit"
head -1 $T/out.csv | grep -q "^source,enabled,domain,kind" || fail "csv header"
grep -q "^rapl,1,package-0,cpu-package," $T/out.csv || fail "csv rows: $(cat $T/out.csv)"

# A machine with nothing to measure: exit 0, every source says why.
board no-sensors > $T/none.txt 2>&1 || fail "no-sensors: exit $?"
grep -q "^rapl *not available" $T/none.txt || fail "no-sensors: rapl line"
grep -q "why: no RAPL" $T/none.txt || fail "no-sensors: rapl reason"
grep -q "fix: " $T/none.txt || fail "no-sensors: no fix given"
if grep -q "Nothing can be measured" $T/none.txt; then :;
elif grep -q "every figure 'ecometer run' gives will be estimated" $T/none.txt; then :;
else fail "no-sensors: no conclusion: $(cat $T/none.txt)"; fi

# Usage errors: exit 2 with a hint.
"$B" sensors --format xml > /dev/null 2> $T/err.txt; rc=$?
[ $rc -eq 2 ] || fail "--format xml: exit $rc"
grep -q "^ecometer: hint:" $T/err.txt || fail "--format xml: no hint"
"$B" sensors --bogus > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--bogus: exit $rc"
"$B" sensors --help | grep -q "usage: ecometer sensors" || fail "--help"
echo "ok"
