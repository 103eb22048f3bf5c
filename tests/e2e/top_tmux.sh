#!/bin/sh
# `ecometer top` in a real terminal: tmux (120x40) runs it on a fixture tree
# whose RAPL counters advance at known power (tests/tools/fixture_writer.py);
# the captured screen must show the domains with their power, the rates and
# the process list; q must end it. Then the plain-lines mode without a
# terminal, and JSON lines. Skips when tmux is absent.
set -eu
if ! command -v tmux >/dev/null 2>&1; then
    echo "skip: tmux not installed (apt-get install tmux)"
    exit 77
fi
T=${ECO_TEST_TMPDIR:-$(mktemp -d)}
B=$ECOMETER_BIN
SOCK="eco-top-test-$$"
python3 tests/tools/fixture_writer.py --fixture intel-2s-server --out "$T/fx" --power package-0=60 \
    --power package-1=30 --power dram-0=8 --power dram-1=4 --ready "$T/ready" >"$T/writer.log" 2>&1 &
WRITER=$!
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    kill "$WRITER" 2>/dev/null || true
    wait "$WRITER" 2>/dev/null || true
}
trap cleanup EXIT
i=0
while [ ! -e "$T/ready" ]; do
    i=$((i + 1)); [ $i -lt 600 ] || { echo "FAIL: fixture writer not ready within 60 s"; cat "$T/writer.log"; exit 1; }
    sleep 0.1
done
ENV="ECOMETER_SYSFS_ROOT=$T/fx/sys ECOMETER_CPUINFO=$T/fx/proc/cpuinfo TERM=xterm-256color"
tmux -L "$SOCK" -f /dev/null new-session -d -x 120 -y 40 "env $ENV $B top --region FR --interval 500ms; echo exited > $T/exited; sleep 30"
# A whole screen: every wanted text on it (a capture can catch top half-way
# through drawing a refresh on a starved machine; a sanitizer build is slower).
WANT='ecometer top|package-0|package-1|dram-0|dram-1|core-0|rate per hour|CO2e|PID|measured|####'
whole() {
    grep -q '[0-9] W' "$1" || return 1
    (IFS='|'; for w in $WANT; do grep -q -- "$w" "$1" || return 1; done)
}
# The next refresh: a whole screen that differs from the last one captured,
# waited for with a generous deadline, never a fixed time.
next_refresh() {
    j=0
    while :; do
        tmux -L "$SOCK" capture-pane -p >"$T/next.txt"
        if ! cmp -s "$T/next.txt" "$1" && whole "$T/next.txt"; then break; fi
        j=$((j + 1)); [ $j -lt 1200 ] || { echo "FAIL: no new whole screen within 60 s"; cat "$T/next.txt"; exit 1; }
        sleep 0.05
    done
    mv "$T/next.txt" "$2"
}
: >"$T/screen.txt"
next_refresh "$T/screen.txt" "$T/screen0.txt"   # the first refresh with figures comes after one second
cp "$T/screen0.txt" "$T/screen.txt"
cat "$T/screen.txt"
whole "$T/screen.txt" || { echo "FAIL: not every one of '$WANT' is on the screen"; exit 1; }
# package-0 draws 60 W in the fixture: the screen shows it within 20%, and
# twice package-1. Each refresh is one 500 ms interval, and on a loaded
# machine the writer could lag then catch up (one refresh showed 97.5 W in CI;
# the writer now asks for a real-time priority): five successive refreshes
# are read and their medians judged.
for k in 1 2 3 4 5; do
    next_refresh "$T/screen$((k - 1)).txt" "$T/screen$k.txt"
done
python3 - "$T"/screen[1-5].txt <<'PY'
import re, statistics, sys
p0, ratio = [], []
for path in sys.argv[1:]:
    w = {}
    for line in open(path):
        m = re.match(r"(package-[01]) .*?([\d.]+) W", line)
        if m:
            w[m.group(1)] = float(m.group(2))
    assert set(w) == {"package-0", "package-1"}, (path, w)
    p0.append(w["package-0"])
    ratio.append(w["package-0"] / w["package-1"] if w["package-1"] else float("inf"))
m0, mr = statistics.median(p0), statistics.median(ratio)
assert 48 <= m0 <= 72, "package-0 shows %g W (median of %s), the fixture draws 60 W" % (m0, p0)
assert 1.6 <= mr <= 2.4, "package-0/package-1 = %g (median of %s), the fixture's is 2" % (mr, ratio)
print("on screen: package-0 %g W median of %s, package-0/package-1 %g (fixture: 60 W, 30 W)" % (m0, p0, mr))
PY
tmux -L "$SOCK" send-keys q
i=0
while [ ! -e "$T/exited" ]; do
    i=$((i + 1)); [ $i -lt 300 ] || { echo "FAIL: q did not end top within 30 s"; exit 1; }
    sleep 0.1
done
echo "q ended top"

# Without a terminal: plain lines, one per refresh.
env ECOMETER_SYSFS_ROOT="$T/fx/sys" "$B" top --region FR --count 2 --refresh 500ms >"$T/plain.txt" 2>"$T/plain.err"
cat "$T/plain.txt"
[ "$(wc -l <"$T/plain.txt")" -eq 2 ] || { echo "FAIL: expected 2 plain lines"; exit 1; }
grep -q 'package-0' "$T/plain.txt" || { echo "FAIL: plain line lacks domains"; exit 1; }
if grep -q "$(printf '\033')" "$T/plain.txt"; then echo "FAIL: escape codes in plain output"; exit 1; fi

# JSON lines: total power is the sum of the top-level domains.
env ECOMETER_SYSFS_ROOT="$T/fx/sys" "$B" top --region FR --count 2 --refresh 500ms --format json >"$T/top.json"
python3 - "$T/top.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 2
for r in rows:
    top = sum(d["power_w"] for d in r["domains"] if d["top_level"])
    assert abs(top - r["power_w"]) <= 1e-6 * max(top, 1), (top, r["power_w"])
    # One intensity for both: CO2e so far per kWh so far = CO2e per hour per kW now.
    g_per_kwh = r["co2e_g"] / (r["energy_j"] / 3.6e6)
    assert abs(r["co2e_per_hour_g"] - r["power_w"] / 1000 * g_per_kwh) <= 1e-6 * r["co2e_per_hour_g"]
    assert abs(r["energy_per_hour_j"] - r["power_w"] * 3600) <= 1e-9 * r["energy_per_hour_j"]
print("json: %d frames, power %.1f W" % (len(rows), rows[-1]["power_w"]))
PY
"$B" top --count 0 2>/dev/null && { echo "FAIL: --count 0 accepted"; exit 1; }
"$B" top --help | grep -q 'usage: ecometer top' || { echo "FAIL: --help"; exit 1; }
echo ok
