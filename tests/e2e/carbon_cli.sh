#!/bin/sh
# ecometer carbon: list, look up, filter, formats, and the error paths
# (unknown region -> exit 2 with the closest codes; bad options -> exit 2).
set -u
bin=${ECOMETER_BIN:?}
tmp=${ECO_TEST_TMPDIR:-$(mktemp -d)}
unset ECOMETER_CARBON_TABLE
fail() { echo "FAIL: $*"; exit 1; }

# list: every row, sorted, with a count line
"$bin" carbon > "$tmp/list.txt" || fail "list exited $?"
grep -q '^FR  *France  *country' "$tmp/list.txt" || fail "list lacks FR"
grep -q 'regions\.' "$tmp/list.txt" || fail "list lacks the count line"

# lookup by code, name, bare cloud region
"$bin" carbon fr > "$tmp/fr.txt" || fail "lookup fr exited $?"
grep -q '^code: *FR$' "$tmp/fr.txt" || fail "lookup fr: $(cat "$tmp/fr.txt")"
grep -q '^source: .*Ember' "$tmp/fr.txt" || fail "lookup fr shows no source"
grep -q '^year: *20[12][0-9]$' "$tmp/fr.txt" || fail "lookup fr shows no year"
"$bin" carbon eu-west-3 | grep -q '^grid: *FR$' || fail "eu-west-3 is not on grid FR"
"$bin" carbon California | grep -q '^code: *US-CA$' || fail "California"

# unknown: exit 2, message and hint with three closest
"$bin" carbon Frnace > "$tmp/out" 2> "$tmp/err"; rc=$?
[ "$rc" = 2 ] || fail "unknown region exited $rc, want 2"
[ -s "$tmp/out" ] && fail "unknown region printed on stdout"
grep -q "^ecometer: unknown region 'Frnace'" "$tmp/err" || fail "message: $(cat "$tmp/err")"
grep -q '^ecometer: hint: did you mean FR (France)? closest: .*FR (France)' "$tmp/err" || fail "hint: $(cat "$tmp/err")"

# issue 13: what people type for a place with another code here
for alias in UK:GB uk:GB FRA:FR USA:US deu:DE EU:EU EU-27:EU; do
    code=$("$bin" carbon "${alias%%:*}" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])') \
        || fail "carbon ${alias%%:*} failed"
    [ "$code" = "${alias#*:}" ] || fail "carbon ${alias%%:*} gave $code, want ${alias#*:}"
done
"$bin" carbon EU | grep -q "EEA" || fail "the EU row names its source"
"$bin" carbon XYZ 2> "$tmp/err" >/dev/null && fail "XYZ (no ISO code) accepted"
grep -q "did you mean" "$tmp/err" && fail "a far guess offered as 'did you mean': $(cat "$tmp/err")"

# ambiguous name: exit 2, both candidates
"$bin" carbon georgia 2> "$tmp/err" >/dev/null; rc=$?
[ "$rc" = 2 ] || fail "ambiguous exited $rc"
grep -q 'US-GA' "$tmp/err" && grep -q 'GE (Georgia)' "$tmp/err" || fail "ambiguous hint: $(cat "$tmp/err")"

# bad usage: exit 2
for args in "--kind planet" "--format xml" "--bogus" "FR DE" "FR --kind country" "--kind"; do
    # shellcheck disable=SC2086
    "$bin" carbon $args >/dev/null 2>&1; rc=$?
    [ "$rc" = 2 ] || fail "'carbon $args' exited $rc, want 2"
done
"$bin" carbon --help | grep -q '^usage: ecometer carbon' || fail "--help"
"$bin" help carbon | grep -q '^usage: ecometer carbon' || fail "help carbon"

# json parses; kinds filter; csv has a header and one line per row
"$bin" carbon --format json > "$tmp/all.json" || fail "json list exited $?"
"$bin" carbon --format json --kind cloud > "$tmp/cloud.json" || fail "json cloud exited $?"
"$bin" carbon --format json aws:eu-west-3 > "$tmp/one.json" || fail "json one exited $?"
python3 - "$tmp" <<'PY' || fail "json check"
import json, sys
d = sys.argv[1]
rows = json.load(open(d + "/all.json"))
cloud = json.load(open(d + "/cloud.json"))
one = json.load(open(d + "/one.json"))
assert len(rows) > 250, len(rows)
assert [r["code"].lower() for r in rows] == sorted(r["code"].lower() for r in rows)
assert cloud and all(r["kind"] == "cloud" and r["grid"] for r in cloud)
assert len(cloud) == sum(r["kind"] == "cloud" for r in rows)
fr = [r for r in rows if r["code"] == "FR"][0]
assert one["code"] == "aws:eu-west-3" and one["grid"] == "FR"
assert one["g_per_kwh"] == fr["g_per_kwh"] and one["year"] == fr["year"]
for r in rows:
    assert set(r) == {"code", "name", "kind", "g_per_kwh", "grid", "source", "year"}, r
PY
"$bin" carbon --format csv --kind us-state > "$tmp/us.csv" || fail "csv exited $?"
[ "$(head -1 "$tmp/us.csv")" = "code,name,kind,g_per_kwh,grid,source,year" ] || fail "csv header"
[ "$(wc -l < "$tmp/us.csv")" = 52 ] || fail "csv: $(wc -l < "$tmp/us.csv") lines for 51 states + header"

# user override file: replaces a row; a bad file is exit 2 naming it
printf 'code\tname\tkind\tgrid\tg_per_kwh\tsource\tyear\nFR\tFrance\tcountry\t\t11\tmy contract\t2025\n' > "$tmp/mine.tsv"
ECOMETER_CARBON_TABLE="$tmp/mine.tsv" "$bin" carbon eu-west-3 | grep -q '^intensity: *11 ' || fail "override"
printf 'code\tname\nFR\tFrance\n' > "$tmp/bad.tsv"
ECOMETER_CARBON_TABLE="$tmp/bad.tsv" "$bin" carbon FR 2> "$tmp/err" >/dev/null; rc=$?
[ "$rc" = 2 ] || fail "bad override exited $rc"
grep -q "bad.tsv" "$tmp/err" || fail "bad override message: $(cat "$tmp/err")"
echo "carbon CLI ok"
