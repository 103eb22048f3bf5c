#!/bin/sh
# The live one-line status: shown on a terminal (power now, energy so far,
# CO2e so far), absent when stderr is not a terminal. The terminal is a pty
# from util-linux's `script`.
B=${ECOMETER_BIN:?}
T=${ECO_TEST_TMPDIR:?}
command -v script >/dev/null || { echo "skip: util-linux 'script' not installed"; exit 77; }
export ECOMETER_SYSFS_ROOT="$ECOMETER_SRC/tests/fixtures/intel-2s-server/sys" XDG_STATE_HOME="$T"
unset ECOMETER_SOCKET
script -qec "$B run --no-history --region FR -- sleep 1.3" "$T/tty.log" >/dev/null 2>&1 || { echo "FAIL: run under a pty"; exit 1; }
grep -q "now" "$T/tty.log" && grep -q "CO2e" "$T/tty.log" || { echo "FAIL: no live line on the terminal"; cat "$T/tty.log"; exit 1; }
grep -q "$(printf '\r')" "$T/tty.log" || { echo "FAIL: the live line does not rewrite itself"; exit 1; }
"$B" run --no-history --region FR -- sleep 0.7 2>"$T/pipe.log"
if grep -q " now " "$T/pipe.log"; then echo "FAIL: live line written to a non-terminal"; exit 1; fi
grep -q "total" "$T/pipe.log" || { echo "FAIL: no summary"; exit 1; }
echo "ok: live line on a terminal only"
