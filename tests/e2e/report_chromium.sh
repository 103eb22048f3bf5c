#!/bin/sh
# The HTML report in a real browser: headless Chromium renders a report built
# from runs stored in a test history; the DOM after rendering must hold the
# charts with real path data, and the screenshot must show them (colour
# counts, not a blank page). Skips when Chromium is absent.
set -eu
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
    echo "skip: $CHROMIUM not found (apt-get install chromium)"
    exit 77
fi
T=${ECO_TEST_TMPDIR:-$(mktemp -d)}
DB=$T/history.db
MKRUN=$ECOMETER_BUILD/tests/eco_mkrun
B=$ECOMETER_BIN
$MKRUN "$DB" teacher-run gpu_w=250 epochs=3 items=1000 start=1795690000 >/dev/null
$MKRUN "$DB" student-run gpu_w=110 cpu_w=45 duration=30 epochs=3 items=1000 start=1795693600 \
    'command=python3 train.py <script>alert(1)</script> & "x"' >/dev/null
ECOMETER_DB=$DB $B report teacher-run -o "$T/one.html" 2>/dev/null
ECOMETER_DB=$DB $B report teacher-run student-run -o "$T/two.html" 2>/dev/null

# Self-contained: nothing to fetch, no script; user text escaped.
for f in one two; do
    if grep -Eqi '<script|<link|<img|<iframe| src=|@import|url\((https?:)?//' "$T/$f.html"; then
        echo "FAIL: $f.html refers to something outside itself"; exit 1
    fi
done
grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;' "$T/two.html" ||
    { echo "FAIL: the command was not escaped"; exit 1; }

run_chromium() {
    timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d -p "$T")" --window-size=1200,2000 "$@" 2>>"$T/chromium.log"
}

# The DOM after rendering: the SVG charts are there, with real path data.
run_chromium --dump-dom "file://$T/two.html" >"$T/dom.html"
python3 - "$T/dom.html" <<'PY'
import re, sys
dom = open(sys.argv[1]).read()
charts = re.findall(r'<svg class="chart power"', dom)
assert len(charts) == 2, "expected 2 power charts, found %d" % len(charts)
layers = re.findall(r'<path class="layer"[^>]* d="([^"]+)"', dom)
# Top-level domains only: package, dram, gpu in each of the two runs.
assert len(layers) == 6, "expected 6 stacked layers, found %d" % len(layers)
for d in layers:
    pts = re.findall(r'[ML](-?[\d.]+) (-?[\d.]+)', d)
    assert len(pts) > 100, "a layer has only %d points" % len(pts)
    ys = {float(y) for _, y in pts}
    assert len(ys) > 20, "a layer is flat: %d distinct heights" % len(ys)
bars = re.findall(r'<rect class="bar"[^>]* width="([\d.]+)"', dom)
assert len(bars) >= 8 and max(float(w) for w in bars) > 100, "bars missing or empty"
regions = re.findall(r'<rect class="region"', dom)
assert len(regions) == 6, "expected 3 shaded regions per run, found %d" % len(regions)
assert "<script>alert" not in dom, "user text became markup"
assert "Comparison" in dom
for label in ("Green Algorithms", "ML CO2 Impact", "measured by ecometer", "this run: FR", "Sweden (SE)", "Poland (PL)"):
    assert label in dom, "missing in the report: " + label
print("dom: 2 power charts, %d layers, %d bars, %d regions" % (len(layers), len(bars), len(regions)))
PY

# The screenshot: the charts are drawn (colours of the layers present in
# quantity), not a blank or text-only page.
run_chromium --screenshot="$T/one.png" "file://$T/one.html" >/dev/null
[ -s "$T/one.png" ] || { echo "FAIL: no screenshot"; cat "$T/chromium.log"; exit 1; }
# package (#0072B2), dram (#009E73), gpu (#CC79A7) layers as drawn (85% opacity on white).
set -- $(python3 tests/e2e/pngcheck.py stats "$T/one.png" 38,133,189 38,170,137 212,141,181)
echo "screenshot: ${1}x${2}, $3 distinct colours, non-white fraction $4"
python3 -c "import sys; sys.exit(0 if $3 > 100 and $4 > 0.05 else 1)" ||
    { echo "FAIL: the screenshot looks blank"; exit 1; }
shift 4
echo "layer pixels: package $1, dram $2, gpu $3"
[ "$1" -gt 5000 ] && [ "$2" -gt 500 ] && [ "$3" -gt 20000 ] ||
    { echo "FAIL: the power chart's layers are not drawn"; exit 1; }
if [ -n "${ECO_KEEP_SCREENSHOT:-}" ]; then cp "$T/one.png" "$ECO_KEEP_SCREENSHOT"; fi
echo "ok"
