#!/bin/sh
# ecometer hardware: search, list, show, formats, and the error paths
# (unknown name: exit 2 with the three closest names; bad usage: exit 2).
set -u
BIN=${ECOMETER_BIN:-build/ecometer}
TMP=${ECO_TEST_TMPDIR:-$(mktemp -d)}
fail() { echo "FAIL: $*"; exit 1; }
unset ECOMETER_GPU_TABLE ECOMETER_CPU_TABLE

command -v python3 >/dev/null || { echo "python3 missing: cannot validate JSON output"; exit 77; }
json_ok() { python3 -c 'import json,sys; json.load(sys.stdin)' ; }

# search: best match first, both tables
out=$("$BIN" hardware search rtx 4090) || fail "search rtx 4090 exited $?"
echo "$out" | sed -n 3p | grep -q "NVIDIA GeForce RTX 4090" || fail "search rtx 4090: first row is not the 4090: $out"
out=$("$BIN" hardware search "gold 6248") || fail "search gold 6248"
echo "$out" | sed -n 3p | grep -q "Intel Xeon Gold 6248 " || fail "search gold 6248: $out"

# search --format json parses and has the expected first result
"$BIN" hardware search a100 --format json > "$TMP/s.json" || fail "search json exit"
json_ok < "$TMP/s.json" || fail "search --format json is not JSON"
python3 - "$TMP/s.json" <<'PY' || fail "search json content"
import json, sys
d = json.load(open(sys.argv[1]))
r = d["results"]
assert d["query"] == "a100" and r, d
assert r[0]["table"] == "gpu" and r[0]["row"]["name"] == "NVIDIA A100 SXM4 40GB" and r[0]["score"] == 1, r[0]
assert all(r[i]["score"] >= r[i + 1]["score"] for i in range(len(r) - 1))
# a clear GPU match is not followed by distant CPU rows
assert [x["row"]["name"] for x in r] == ["NVIDIA A100 SXM4 40GB", "NVIDIA A100 PCIe 40GB",
        "NVIDIA A100 SXM4 80GB", "NVIDIA A100 PCIe 80GB"], r
PY

# a search matching nothing: exit 2 with the closest names
"$BIN" hardware search quantum flux > "$TMP/out" 2> "$TMP/err"
rc=$?
[ $rc -eq 2 ] || fail "search for nothing exited $rc"
grep -q "^ecometer: hint: the closest names are" "$TMP/err" || fail "search for nothing: $(cat "$TMP/err")"
# a partial model number lists its family
"$BIN" hardware search xeon gold 62 --limit 3 | sed -n 3,5p | grep -c "Intel Xeon Gold 62" | grep -q 3 || fail "partial number search"


# search --format csv: header + rows with the same number of fields
"$BIN" hardware search epyc 7763 --format csv > "$TMP/s.csv" || fail "search csv exit"
python3 - "$TMP/s.csv" <<'PY' || fail "search csv content"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0][:3] == ["score", "table", "name"], rows[0]
assert all(len(r) == len(rows[0]) for r in rows), rows
assert rows[1][2] == "AMD EPYC 7763" and rows[1][11] == "64", rows[1]
PY

# show: a /proc/cpuinfo string and an nvidia-smi name
out=$("$BIN" hardware show "Intel(R) Xeon(R) CPU E5-2678 v3 @ 2.50GHz") || fail "show cpuinfo string"
echo "$out" | grep -q "^CPU  *Intel Xeon E5-2678 v3" || fail "show E5-2678 v3: $out"
echo "$out" | grep -q "^TDP  *120 W" || fail "show E5-2678 v3 TDP: $out"
out=$("$BIN" hardware show A100-SXM4-80GB) || fail "show A100-SXM4-80GB"
echo "$out" | grep -q "^GPU  *NVIDIA A100 SXM4 80GB" || fail "show A100-SXM4-80GB: $out"
out=$("$BIN" hardware show a100) || fail "show a100"
echo "$out" | grep -q "matched  *'a100' by alias" || fail "show a100 does not say which row/how: $out"
"$BIN" hardware show "h100 sxm" --format json | json_ok || fail "show --format json"
"$BIN" hardware show --cpu jetson nano --format json > "$TMP/j.json" || fail "show --cpu jetson nano"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); m=d["matches"]; assert len(m)==1 and m[0]["table"]=="cpu", m' "$TMP/j.json" || fail "show --cpu gave a GPU"

# memory bandwidth with its source (GPU), device figures (CPU), Apple GPUs, Jetson FP16
out=$("$BIN" hardware show "rtx 4090") || fail "show rtx 4090"
echo "$out" | grep -q "^memory BW  *1008 GB/s (NVIDIA RTX 4090 specifications" || fail "show 4090 bandwidth: $out"
out=$("$BIN" hardware show --cpu "epyc 7763") || fail "show epyc 7763"
echo "$out" | grep -q "^FP32  *5018 GFLOPS (peak: 64 cores x 2.45 GHz x 32 FLOP/cycle)" || fail "show epyc FP32: $out"
echo "$out" | grep -q "^memory BW  *204.8 GB/s (8 channels x 3200 MT/s x 8 bytes)" || fail "show epyc bandwidth: $out"
"$BIN" hardware show "m2 ultra" --format json | python3 -c '
import json, sys
m = json.load(sys.stdin)["matches"][0]["row"]
assert m["vendor"] == "Apple" and m["mem_bw_gbs"] == 800 and m["fp32_tflops"] == 27.2, m' || fail "show m2 ultra json"
"$BIN" hardware show "jetson agx orin" --gpu --format json | python3 -c '
import json, sys
m = json.load(sys.stdin)["matches"][0]["row"]
assert m["fp16_tflops"] > 0 and m["mem_bw_gbs"] == 204.8, m' || fail "jetson orin fp16/bandwidth"
"$BIN" hardware list --format csv | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
g = [r for r in rows if r["table"] == "gpu"]
assert all(float(r["mem_bw_gbs"]) > 0 and r["mem_bw_source"] for r in g), "a GPU without bandwidth"
c = [r for r in rows if r["table"] == "cpu" and r["device_source"]]
assert len(c) >= 15 and all(float(r["mem_bw_gbs"]) > 0 for r in c), len(c)' || fail "list csv bandwidth columns"

# unknown name: exit 2, message and hint with three closest names
"$BIN" hardware show "rtx 4065" > "$TMP/out" 2> "$TMP/err"
rc=$?
[ $rc -eq 2 ] || fail "unknown name exited $rc, expected 2"
[ -s "$TMP/out" ] && fail "unknown name printed on stdout"
grep -q "^ecometer: no GPU in ecometer's table matches 'rtx 4065'" "$TMP/err" || fail "message: $(cat "$TMP/err")"
grep -q '^ecometer: hint: the closest names are "NVIDIA GeForce RTX 4060", ".*", ".*"' "$TMP/err" || fail "hint: $(cat "$TMP/err")"

# list: every row, in each format
n=$("$BIN" hardware list gpus --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["gpus"]))') || fail "list gpus json"
[ "$n" -ge 60 ] || fail "list gpus: $n rows"
n=$("$BIN" hardware list cpus --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["cpus"]))') || fail "list cpus json"
[ "$n" -ge 200 ] || fail "list cpus: $n rows"
"$BIN" hardware list --format csv | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
assert len(rows) > 260 and all(len(r) == len(rows[0]) for r in rows)' || fail "list csv"
"$BIN" hardware list gpus | tail -1 | grep -q "GPUs$" || fail "list gpus text"

# override file: replaces a row; a malformed one names file:line, exit 2
printf 'name\taliases\tvendor\tkind\ttdp_w\tmemory_gb\tfp32_tflops\tfp16_tflops\tint8_tops\tsource\tyear\nNVIDIA T4\t\tNVIDIA\tdatacenter\t60\t16\t8.1\t65\t130\tour power cap\t2024\n' > "$TMP/g.tsv"
ECOMETER_GPU_TABLE="$TMP/g.tsv" "$BIN" hardware show t4 | grep -q "^TDP  *60 W" || fail "override did not replace T4"
printf 'name\taliases\tvendor\tkind\ttdp_w\tmemory_gb\tfp32_tflops\tfp16_tflops\tint8_tops\tsource\tyear\nX\t\tAcme\tdatacenter\tlots\t16\t8\t0\t0\ts\t2024\n' > "$TMP/bad.tsv"
ECOMETER_GPU_TABLE="$TMP/bad.tsv" "$BIN" hardware show t4 > /dev/null 2> "$TMP/err"
rc=$?
[ $rc -eq 2 ] || fail "malformed override exited $rc"
grep -q "bad.tsv:2: tdp_w 'lots'" "$TMP/err" || fail "malformed override message: $(cat "$TMP/err")"

# usage errors
"$BIN" hardware > /dev/null 2>&1; [ $? -eq 2 ] || fail "no subcommand should exit 2"
"$BIN" hardware frobnicate > /dev/null 2>&1; [ $? -eq 2 ] || fail "unknown subcommand should exit 2"
"$BIN" hardware search > /dev/null 2>&1; [ $? -eq 2 ] || fail "search without text should exit 2"
"$BIN" hardware list dpus > /dev/null 2>&1; [ $? -eq 2 ] || fail "list dpus should exit 2"
"$BIN" hardware search a100 --format xml > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad format should exit 2"
"$BIN" hardware search a100 --limit 0 > /dev/null 2>&1; [ $? -eq 2 ] || fail "--limit 0 should exit 2"
"$BIN" hardware --help | grep -q "^usage: ecometer hardware" || fail "--help"
"$BIN" help hardware | grep -q "^usage: ecometer hardware" || fail "help hardware"
echo "hardware CLI ok"
exit 0
