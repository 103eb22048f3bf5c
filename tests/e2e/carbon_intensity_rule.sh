#!/bin/sh
# --carbon-intensity is checked by one rule with one message in every command
# that takes it (eco_intensity_parse: a number of gCO2e/kWh in 0..2000):
# run and estimate used to take up to 5000 or any positive number.
set -u
B=$ECOMETER_BIN
fail=0
for v in 3000 abc -1 nan; do
    for cmd in "run --carbon-intensity $v -- true" "monitor --carbon-intensity $v --duration 1s" \
               "estimate --runtime 1h --gpu-power 100 --carbon-intensity $v" "top --carbon-intensity $v --count 1" \
               "serve --carbon-intensity $v --duration 1s"; do
        # shellcheck disable=SC2086
        err=$("$B" $cmd 2>&1 >/dev/null)
        rc=$?
        want="ecometer: carbon intensity '$v' is not a number of gCO2e/kWh in 0..2000"
        if [ "$rc" -ne 2 ] || [ "$(printf '%s\n' "$err" | head -n 1)" != "$want" ]; then
            echo "FAIL: ecometer $cmd: exit $rc, stderr: $err"
            fail=1
        fi
    done
done
[ $fail -eq 0 ] && echo "ok: one rule and one message for --carbon-intensity in run, monitor, estimate, top, serve"
exit $fail
