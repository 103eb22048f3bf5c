#!/bin/sh
# The commands only parse, call the library and write (issue 12): no arithmetic
# on measured figures in src/cli/. Each pattern below is a formula that used to
# live there and now has one home: per-process power (meter/top_frame.c),
# average power and rates (eco_rate_per_s, meter/run_derive.c), energy per item
# (the record's energy_per_item_j), counter wrap (eco_counter_power_w,
# meter/ledger.c), J <-> Wh/kWh (core/units.c), a window's grams
# (carbon/series_time.c); the meter is opened by the run driver only.
# An estimate's per-unit figures: eco_device_per_unit (model/device_cost.c).
# Comment lines are left out.
src=${ECOMETER_SRC:?}
cd "$src/src/cli" || exit 1
fail=0
check() { # pattern, what it is
    hits=$(grep -nE "$1" ./*.c | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*|//)')
    if [ -n "$hits" ]; then
        echo "FAIL: $2 in src/cli/:"
        echo "$hits"
        fail=1
    fi
}
check 'eco_meter_open[[:space:]]*\(' "the meter opened beside the run driver"
check '\*[[:space:]]*[][a-z0-9_>.-]*share\b' "a power x share (per-process power)"
check '/[[:space:]]*[][a-z0-9_>.-]*(duration_s|dur_s|elapsed_s)\b' "a figure / duration (average power, a rate)"
check '/[[:space:]]*\(double\)[[:space:]]*[][a-z0-9_>.-]*items\b' "energy / items"
check '(\+=?|-=|[[:space:]]-)[[:space:]]*[a-z_>.-]*counter_max' "counter wrap arithmetic"
check '3\.6e6|[*/][[:space:]]*3600(\.0)?\b|[*/][[:space:]]*1e3\b' "a unit conversion by hand"
check 'eco_co2e_g\([^)]*\*' "energy computed inside a CO2e call"
check '(energy_j|co2e_g)[[:space:]]*/' "energy or CO2e per unit (model/device_cost.c: eco_device_per_unit)"
# a control: the patterns do find what they look for
printf 'p->watts = hw * shares[i].share;\nx = e / r->duration_s;\n' >"${ECO_TEST_TMPDIR:-/tmp}/cli_formula_probe.c"
grep -cE '\*[[:space:]]*[][a-z0-9_>.-]*share\b|/[[:space:]]*[][a-z0-9_>.-]*(duration_s|dur_s|elapsed_s)\b' \
    "${ECO_TEST_TMPDIR:-/tmp}/cli_formula_probe.c" | grep -qx 2 || { echo "FAIL: the patterns miss the probe"; fail=1; }
[ "$fail" -eq 0 ] && echo "no formula on measured figures in src/cli/"
exit "$fail"
