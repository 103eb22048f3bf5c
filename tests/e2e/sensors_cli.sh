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
board no-sensors --format csv > $T/none.csv || fail "csv exit (no sensors)"
python3 - $T/out.csv $T/none.csv <<'PY' || fail "csv shape"
import csv, sys
for f in sys.argv[1:]:
    rows = list(csv.reader(open(f)))
    assert len(rows) > 1 and all(len(r) == len(rows[0]) == 11 for r in rows), f
    for r in rows[1:]:
        assert r[1] in ("0", "1") and (r[1] == "1" or r[9]), r  # disabled rows carry a reason
PY

# A machine with nothing to measure: exit 0, every source says why.
board no-sensors > $T/none.txt 2>&1 || fail "no-sensors: exit $?"
grep -q "^rapl *not available" $T/none.txt || fail "no-sensors: rapl line"
grep -q "why: no RAPL" $T/none.txt || fail "no-sensors: rapl reason"
grep -q "fix: " $T/none.txt || fail "no-sensors: no fix given"
if grep -q "Nothing can be measured" $T/none.txt; then :;
elif grep -q "every figure 'ecometer run' gives will be estimated" $T/none.txt; then :;
else fail "no-sensors: no conclusion: $(cat $T/none.txt)"; fi

# Permission denied (energy_uj root-only, as on Linux >= 5.10), seen by an
# unprivileged user: the reason, the safe fixes, the estimate takes over.
# Root reads any file, so as root the command runs as 'nobody' via setpriv.
cp -r "$F/intel-2s-server" "$T/perm"
chmod 0755 "$T"
for z in "$T"/perm/sys/class/powercap/intel-rapl:*; do chmod 0400 "$z/energy_uj"; done
as_user=""
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null; then
        as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
    else
        echo "note: no setpriv, permission case not run"
    fi
fi
if [ "$(id -u)" != 0 ] || [ -n "$as_user" ]; then
    ECOMETER_SYSFS_ROOT=$T/perm/sys ECOMETER_PROC_ROOT=$T/perm/proc ECOMETER_CPUINFO=$T/perm/proc/cpuinfo \
    ECOMETER_NVML_LIB=/nonexistent $as_user "$B" sensors --window 0 > "$T/perm.txt" 2>&1 || fail "perm: exit $?"
    grep -q "root only (Linux 5.10 and later, CVE-2020-8694)" "$T/perm.txt" || fail "perm: reason: $(cat $T/perm.txt)"
    grep -q "fix: .*group.*systemd-tmpfiles or a udev rule" "$T/perm.txt" || fail "perm: fix"
    grep -q "never make energy_uj world-readable" "$T/perm.txt" || fail "perm: warning"
    if grep -qi "chmod o+r\|0444" "$T/perm.txt"; then fail "perm: unsafe advice"; fi
    grep -q "^cpu-estimate *enabled" "$T/perm.txt" || fail "perm: no fallback: $(cat $T/perm.txt)"
    grep -q "estimated" "$T/perm.txt" || fail "perm: estimate not labelled"
fi

# Usage errors: exit 2 with a hint.
"$B" sensors --format xml > /dev/null 2> $T/err.txt; rc=$?
[ $rc -eq 2 ] || fail "--format xml: exit $rc"
grep -q "^ecometer: hint:" $T/err.txt || fail "--format xml: no hint"
"$B" sensors --bogus > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--bogus: exit $rc"
"$B" sensors --help | grep -q "usage: ecometer sensors" || fail "--help"
echo "ok"
