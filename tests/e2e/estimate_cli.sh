#!/bin/sh
# ecometer estimate end to end: the issue's example in text, JSON and CSV, its
# numbers recomputed here independently (python3, from the hardware table's
# TDPs and the region's intensity), --compare-regions, mlco2, and every error
# path (exit 2 and a hint on stderr).
set -u
BIN=${ECOMETER_BIN:-build/ecometer}
T=${ECO_TEST_TMPDIR:-$(mktemp -d)}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
command -v python3 >/dev/null || { echo "skip: python3 is needed to check the numbers"; exit 77; }
[ -x "$BIN" ] || { echo "FAIL: no ecometer binary at $BIN (run make first)"; exit 1; }

EXAMPLE='--runtime 4h30m --gpu "A100 SXM4 40GB" --gpus 4 --gpu-usage 0.8 --cpu "Xeon Gold 6248" --cores 20 --cpu-usage 0.5 --memory 128 --pue 1.2 --region FR'

# --- text -------------------------------------------------------------------
eval "\"$BIN\" estimate $EXAMPLE" >"$T/text" 2>"$T/text.err"; rc=$?
[ $rc -eq 0 ] || fail "example (text) exited $rc: $(cat "$T/text.err")"
for want in ESTIMATE "Green Algorithms" "cpu " "gpu " "memory " "total " "CO2e:" "gCO2e/kWh" "EEA 2023" "US EPA 2024" "UK DESNZ 2025" "inputs:"; do
    grep -q "$want" "$T/text" || fail "text output lacks '$want'"
done
grep -qi "world average" "$T/text.err" && fail "world-average warning printed although --region FR was given"

# --- JSON, checked against an independent computation ----------------------
eval "\"$BIN\" estimate $EXAMPLE --format json" >"$T/json" 2>"$T/json.err" || fail "example (json) failed: $(cat "$T/json.err")"
# The TDPs as the hardware command shows them, when that command exists.
"$BIN" hardware show "A100 SXM4 40GB" --format json >"$T/gpu.json" 2>/dev/null || rm -f "$T/gpu.json"
"$BIN" hardware show "Xeon Gold 6248" --format json >"$T/cpu.json" 2>/dev/null || rm -f "$T/cpu.json"
"$BIN" carbon FR --format json >"$T/fr.json" 2>/dev/null || rm -f "$T/fr.json"

python3 - "$T" "${ECOMETER_SRC:-.}" <<'PY' || fails=$((fails + 1))
import json, os, sys
T, SRC = sys.argv[1], sys.argv[2]
out = json.load(open(os.path.join(T, "json")))

def find_key(obj, names):
    """First value under any of names, searching nested objects and lists."""
    if isinstance(obj, dict):
        for n in names:
            if n in obj and isinstance(obj[n], (int, float)):
                return obj[n]
        for v in obj.values():
            r = find_key(v, names)
            if r is not None:
                return r
    if isinstance(obj, list):
        for v in obj:
            r = find_key(v, names)
            if r is not None:
                return r
    return None

def from_file(name, keys):
    p = os.path.join(T, name)
    if os.path.exists(p):
        try:
            v = find_key(json.load(open(p)), keys)
            if v is not None:
                return v, "hardware/carbon command"
        except ValueError:
            pass
    return None, None

gpu_tdp, how_g = from_file("gpu.json", ["tdp_w", "tdp"])
if gpu_tdp is None:
    gpu_tdp, how_g = out["hardware"]["gpu"]["tdp_w"], "estimate's JSON"
cpu_tdp, how_c = from_file("cpu.json", ["tdp_w", "tdp"])
cpu_cores, _ = from_file("cpu.json", ["cores"])
if cpu_tdp is None or cpu_cores is None:
    cpu_tdp, cpu_cores, how_c = out["hardware"]["cpu"]["tdp_w"], out["hardware"]["cpu"]["cores"], "estimate's JSON"
ci, how_ci = from_file("fr.json", ["carbon_intensity_g_per_kwh", "g_per_kwh"])
if ci is None:
    ci, how_ci = out["carbon_intensity_g_per_kwh"], "estimate's JSON"
print(f"figures: GPU TDP {gpu_tdp} W ({how_g}), CPU {cpu_tdp} W / {cpu_cores} cores ({how_c}), FR {ci} g/kWh ({how_ci})")

# Green Algorithms, by hand: t x (P_cpu u_cpu + n P_gpu u_gpu + M 0.3725) x PUE x PSF
t_h = 4.5
cpu_w = cpu_tdp / cpu_cores * 20 * 0.5
gpu_w = 4 * gpu_tdp * 0.8
mem_w = 128 * 0.3725
exp = {"cpu": cpu_w * t_h * 1.2, "gpu": gpu_w * t_h * 1.2, "memory": mem_w * t_h * 1.2}
exp["total"] = exp["cpu"] + exp["gpu"] + exp["memory"]
bad = []
def near(a, b, what):
    if abs(a - b) > 1e-9 * max(1.0, abs(b)):
        bad.append(f"{what}: got {a}, expected {b}")
for k, v in exp.items():
    near(out["energy_wh"][k], v, "energy_wh." + k)
near(out["co2e_g"], exp["total"] / 1000 * ci, "co2e_g")
near(out["runtime_s"], 16200, "runtime_s")
if out["method"] != "green-algorithms": bad.append("method " + out["method"])
if out["region"] != "FR": bad.append(f"region {out['region']}")
if out.get("estimate") is not True: bad.append("not labelled an estimate")
ins = out["inputs"]
for name, origin in [("runtime_s", "flag"), ("gpu_power_w", "table"), ("cpu_tdp_w", "table"),
                     ("cores", "flag"), ("gpu_usage", "flag"), ("memory_gb", "flag"), ("pue", "flag"),
                     ("psf", "default"), ("memory_w_per_gb", "method")]:
    if name not in ins: bad.append("input missing: " + name); continue
    if ins[name]["origin"] != origin: bad.append(f"input {name} origin {ins[name]['origin']}, expected {origin}")
    if not ins[name]["source"]: bad.append(f"input {name} has no source")
# equivalents recomputed from the data file
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(SRC, "data/equivalents.tsv")) if l.strip() and not l.startswith("#")]
hdr, rows = rows[0], rows[1:]
per = {r[hdr.index("key")]: float(r[hdr.index("g_co2e_per_unit")]) for r in rows}
got = {e["key"]: e["count"] for e in out["equivalents"]}
if set(got) != set(per): bad.append(f"equivalents {sorted(got)} != table {sorted(per)}")
for k, g in per.items():
    if k in got: near(got[k], out["co2e_g"] / g, "equivalent " + k)
for b in bad: print("FAIL:", b)
sys.exit(1 if bad else 0)
PY

# --- mlco2 through the CLI: full power, no memory, no PUE unless given --------
eval "\"$BIN\" estimate $EXAMPLE --method mlco2 --format json" >"$T/ml.json" 2>"$T/ml.err" || fail "mlco2 failed"
grep -q "ignored" "$T/ml.err" || fail "mlco2 does not say that usage/memory flags are ignored"
"$BIN" estimate --runtime 10h --gpu-power 300 --method mlco2 --carbon-intensity 100 --format json >"$T/ml2.json" 2>/dev/null || fail "mlco2 without PUE failed"
python3 - "$T" <<'PY' || fails=$((fails + 1))
import json, sys
T = sys.argv[1]
o = json.load(open(T + "/ml.json"))
g, c = o["hardware"]["gpu"]["tdp_w"], o["hardware"]["cpu"]["tdp_w"]
exp = 4.5 * (4 * g + c) * 1.2                      # all 20 of 20 cores: whole TDP; PUE 1.2 given
ok = abs(o["energy_wh"]["total"] - exp) < 1e-9 * exp and o["energy_wh"]["memory"] == 0
o2 = json.load(open(T + "/ml2.json"))
ok2 = abs(o2["energy_wh"]["total"] - 3000) < 1e-9 and o2["pue"] == 1 and abs(o2["co2e_g"] - 300) < 1e-9
if not ok: print("FAIL: mlco2 total", o["energy_wh"], "expected", exp)
if not ok2: print("FAIL: mlco2 without --pue", o2["energy_wh"], o2["pue"], o2["co2e_g"])
sys.exit(0 if ok and ok2 else 1)
PY

# --- compare regions --------------------------------------------------------
"$BIN" estimate --runtime 2h --gpu-power 250 --pue 1 --region FR --compare-regions "FR, DE,US-CA" --format json >"$T/cmp.json" 2>"$T/cmp.err" \
    || fail "--compare-regions failed: $(cat "$T/cmp.err")"
python3 - "$T" <<'PY' || fails=$((fails + 1))
import json, sys
o = json.load(open(sys.argv[1] + "/cmp.json"))
c = o["compare_regions"]
bad = [r for r in c if abs(r["co2e_g"] - 0.5 * r["g_per_kwh"]) > 1e-9]   # 500 Wh = 0.5 kWh
if [r["code"] for r in c] != ["FR", "DE", "US-CA"]:
    print("FAIL: compared regions", [r["code"] for r in c]); sys.exit(1)
if bad: print("FAIL: compare co2e", bad); sys.exit(1)
if abs(c[0]["co2e_g"] - o["co2e_g"]) > 1e-9: print("FAIL: FR in the comparison differs from the estimate"); sys.exit(1)
PY
"$BIN" estimate --runtime 2h --gpu-power 250 --region FR --compare-regions FR,DE >"$T/cmp.txt" 2>/dev/null
grep -q "the same job elsewhere" "$T/cmp.txt" || fail "text output has no comparison table"

# --- CSV --------------------------------------------------------------------
eval "\"$BIN\" estimate $EXAMPLE --compare-regions DE --format csv" >"$T/csv" 2>/dev/null || fail "csv failed"
python3 - "$T" <<'PY' || fails=$((fails + 1))
import csv, json, sys
T = sys.argv[1]
rows = list(csv.DictReader(open(T + "/csv")))
j = json.load(open(T + "/json"))
if len(rows) != 1: print("FAIL: csv has", len(rows), "data rows"); sys.exit(1)
r = rows[0]
for k in ["cpu", "gpu", "memory", "total"]:
    if abs(float(r[k + "_wh"]) - j["energy_wh"][k]) > 1e-6 * max(1, j["energy_wh"][k]):
        print("FAIL: csv", k, r[k + "_wh"], j["energy_wh"][k]); sys.exit(1)
if abs(float(r["co2e_g"]) - j["co2e_g"]) > 1e-6 * j["co2e_g"] or "co2e_g_DE" not in r:
    print("FAIL: csv co2e", r); sys.exit(1)
PY

# --- a percentage is a usage; a bare number of seconds is a runtime -----------
a=$("$BIN" estimate --runtime 16200 --gpu-power 400 --gpu-usage 80% --carbon-intensity 100 --format csv 2>/dev/null | tail -1)
b=$("$BIN" estimate --runtime 4h30m --gpu-power 400 --gpu-usage 0.8 --carbon-intensity 100 --format csv 2>/dev/null | tail -1)
[ -n "$a" ] && [ "$a" = "$b" ] || fail "80% and 16200 s differ from 0.8 and 4h30m: '$a' vs '$b'"

# --- world-average warning ----------------------------------------------------
"$BIN" estimate --runtime 1h --gpu-power 300 >/dev/null 2>"$T/world.err" || fail "estimate without a region failed"
grep -qi "world average" "$T/world.err" || fail "no world-average warning without --region"
grep -q "hint:.*--region" "$T/world.err" || fail "world-average warning does not say to add --region"
"$BIN" estimate --runtime 1h --gpu-power 300 --carbon-intensity 42 >/dev/null 2>"$T/ci.err"
grep -qi "world average" "$T/ci.err" && fail "world-average warning although --carbon-intensity was given"

# --- help ---------------------------------------------------------------------
"$BIN" estimate --help | grep -q -- "--compare-regions" || fail "--help does not list --compare-regions"
"$BIN" help estimate | grep -q -- "--runtime" || fail "'ecometer help estimate' does not work"

# --- every error path: exit 2, "ecometer: ..." and a hint on stderr ------------
bad() {
    expect=$1; shift
    "$BIN" estimate "$@" >"$T/out" 2>"$T/err"; rc=$?
    if [ $rc -ne 2 ]; then fail "exit $rc (not 2) for: $*"; return; fi
    grep -q "^ecometer: hint: " "$T/err" || fail "no hint for: $*"
    grep -Eqi -- "$expect" "$T/err" || fail "message for '$*' lacks '$expect': $(cat "$T/err")"
    [ -s "$T/out" ] && fail "something on stdout for a refused input: $*"
}
bad "negative"           --runtime -5m --gpu-power 300
bad "duration"           --runtime 4x --gpu-power 300
bad "duration"           --runtime "" --gpu-power 300
bad "runtime"            --gpu-power 300
bad "between 0 and 1"    --runtime 1h --gpu-power 300 --gpu-usage 1.5
bad "between 0 and 1"    --runtime 1h --cpu-power 100 --cpu-usage 120%
bad "negative"           --runtime 1h --gpu-power 300 --gpu-usage -0.2
bad "negative"           --runtime 1h --gpu-power 300 --gpus -1
bad "whole number"       --runtime 1h --gpu-power 300 --gpus 1.5
bad "at least 1"         --runtime 1h --cpu "Xeon Gold 6248" --cores 0
bad "negative"           --runtime 1h --gpu-power -300
bad "not a number"       --runtime 1h --gpu-power lots
bad "negative"           --runtime 1h --gpu-power 300 --memory -4
bad "at least 1"         --runtime 1h --gpu-power 300 --pue 0.8
bad "at least 1"         --runtime 1h --gpu-power 300 --psf 0
bad "gpu|quantum"        --runtime 1h --gpu "Quantum Flux 9000"
bad "cpu|imaginary"      --runtime 1h --cpu "Pentium Imaginary 42"
bad "region|atlantis"    --runtime 1h --gpu-power 300 --region "Atlantis"
bad "region|atlantis"    --runtime 1h --gpu-power 300 --compare-regions FR,Atlantis
bad "names no region"    --runtime 1h --gpu-power 300 --compare-regions ,
bad "both given"         --runtime 1h --gpu "A100 SXM4 40GB" --gpu-power 300
bad "both given"         --runtime 1h --cpu "Xeon Gold 6248" --cpu-power 150
bad "both given"         --runtime 1h --gpu-power 300 --region FR --carbon-intensity 50
bad "[-][-]cores"        --runtime 1h --cpu-power 150 --cores 4
bad "without a GPU"      --runtime 1h --gpus 4
bad "nothing to estimate" --runtime 1h
bad "method"             --runtime 1h --gpu-power 300 --method magic
bad "format"             --runtime 1h --gpu-power 300 --format xml
bad "unknown option"     --runtime 1h --gpu-power 300 --gpu-count 4
bad "needs a value"      --runtime 1h --gpu-power
bad "unexpected argument" --runtime 1h --gpu-power 300 A100
# issue 13: a GPU named and none counted
bad "--gpu and --gpus 0" --runtime 1h --gpu a100 --gpus 0
bad "--gpu-power and --gpus 0" --runtime 1h --gpu-power 300 --gpus 0
# a laptop GPU is its own row, or refused with the closest laptop rows, never the desktop card
"$BIN" estimate --runtime 1h --gpu "NVIDIA GeForce RTX 4070 Laptop GPU" --carbon-intensity 100 --format json 2>/dev/null \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["inputs"]["gpu_power_w"]["value"] == 115 else 1)' \
    || { echo "FAIL: RTX 4070 Laptop GPU is not the 115 W laptop row"; fails=$((fails+1)); }
bad "closest laptop rows" --runtime 1h --gpu "GeForce RTX 3080 Laptop GPU"
# a cloud region's default PUE is its provider's published fleet PUE, shown as a default with its source
pue_of() { "$BIN" estimate --runtime 1h --gpu-power 300 "$@" --format json 2>/dev/null \
    | python3 -c 'import json,sys; p=json.load(sys.stdin)["inputs"]["pue"]; print(p["value"], p["origin"], p["source"])'; }
case "$(pue_of --region aws:eu-west-3)" in "1.15 default "*aws.amazon.com*) ;; *) echo "FAIL: aws PUE: $(pue_of --region aws:eu-west-3)"; fails=$((fails+1));; esac
case "$(pue_of --region europe-west1)" in "1.1 default "*google.com*) ;; *) echo "FAIL: gcp PUE: $(pue_of --region europe-west1)"; fails=$((fails+1));; esac
case "$(pue_of --region azure:francecentral)" in "1.18 default "*microsoft.com*) ;; *) echo "FAIL: azure PUE"; fails=$((fails+1));; esac
case "$(pue_of --region aws:eu-west-3 --pue 1.4)" in "1.4 flag "*) ;; *) echo "FAIL: --pue must win over the cloud default"; fails=$((fails+1));; esac
case "$(pue_of --region FR)" in "1.56 default "*Uptime*) ;; *) echo "FAIL: a country keeps the data-centre average"; fails=$((fails+1));; esac
# durations as people write them give the same estimate
a=$("$BIN" estimate --runtime 4h30m --gpu-power 400 --carbon-intensity 100 --format csv 2>/dev/null | tail -1)
for d in "4h 30m" "4h 30m 00s" "04:30:00" "0-04:30:00" "270min" "4.5 hours"; do
    b=$("$BIN" estimate --runtime "$d" --gpu-power 400 --carbon-intensity 100 --format csv 2>/dev/null | tail -1)
    [ "$a" = "$b" ] || { echo "FAIL: --runtime '$d' differs from 4h30m: $b"; fails=$((fails+1)); }
done

[ $fails -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "estimate CLI: all checks passed"
