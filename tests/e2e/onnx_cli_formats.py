#!/usr/bin/python3
"""`ecometer flops` output formats on a small committed model: the JSON keys
the issue fixes, CSV one row per node, text totals, --batch/--input, --help,
and GGUF files handed to the GGUF reader (not parsed as protobuf)."""
import csv
import io
import json
import os
import subprocess
import sys

BIN = os.environ.get("ECOMETER_BIN", "build/ecometer")
SRC = os.environ.get("ECOMETER_SRC", ".")
TMP = os.environ.get("ECO_TEST_TMPDIR", "/tmp")
MODEL = os.path.join(SRC, "tests/fuzz/corpus/onnx/pt_conv2d.onnx")
fails = []


def run(*args):
    return subprocess.run([BIN, "flops", *args], capture_output=True, text=True, timeout=60)


def check(cond, what):
    if not cond:
        fails.append(what)
        print("FAIL", what)


r = run("--format", "json", MODEL)
check(r.returncode == 0, "json exit 0")
d = json.loads(r.stdout)
for k in ("macs", "flops", "params", "weight_bytes", "activation_bytes"):
    check(isinstance(d["totals"].get(k), (int, float)), "totals.%s is a number" % k)
check(all(isinstance(o["name"], str) and isinstance(o["shape"], list) for o in d["outputs"]), "outputs name/shape")
for n in d["nodes"]:
    check(set(("name", "op", "outputs", "macs", "flops", "params")) <= set(n), "node keys %s" % n.get("name"))
check(isinstance(d["unsupported"], list), "unsupported list")
t = d["totals"]
check(t.get("partial_nodes") == 0 and t.get("data_dependent_nodes") == 0 and t.get("complete") is True,
      "a fully known model is complete (partial_nodes 0, complete true): %s" % t)
check(isinstance(d.get("notes"), list), "notes list")
check(abs(sum(n["macs"] for n in d["nodes"]) - d["totals"]["macs"]) < 1e-6, "node MACs add up to the total")
check(abs(sum(n["params"] for n in d["nodes"]) - d["totals"]["params"]) < 1e-6, "node params add up to the total")
conv = [n for n in d["nodes"] if n["op"] == "Conv"][0]
shape = conv["outputs"][0]["shape"]
check(all(isinstance(x, int) for x in shape), "conv output shape concrete")

r = run("--format", "csv", MODEL)
rows = list(csv.reader(io.StringIO(r.stdout)))
check(rows[0] == ["name", "op", "domain", "output_shape", "macs", "flops", "params", "status", "unknown"],
      "csv header")
check(len(rows) == 1 + len(d["nodes"]), "csv one row per node")

r = run(MODEL)
check(r.returncode == 0 and "MACs" in r.stdout and "FLOPs" in r.stdout and "parameters" in r.stdout, "text totals")

r = subprocess.run([BIN, "flops", "--help"], capture_output=True, text=True)
check(r.returncode == 0 and "usage: ecometer flops" in r.stdout, "--help")

# the model's input "0" is 2x3x7x5; --input with batch 1 halves every cost
r = run("--format", "json", "--input", "0=1x3x7x5", MODEL)
check(r.returncode == 0, "--input accepted (exit %d: %s)" % (r.returncode, r.stderr.strip()))
d1 = json.loads(r.stdout)
check(d1["totals"]["macs"] * 2 == d["totals"]["macs"] and d["totals"]["macs"] > 0, "--input batch 1 halves MACs")
check(d1["outputs"][0]["shape"][0] == 1, "--input sets the output batch")

# a typo in --input names no graph input: exit 2, and the inputs are listed
r = run("--input", "imgs=1x3x7x5", MODEL)
check(r.returncode == 2 and "'imgs'" in r.stderr and "inputs are: '0'" in r.stderr,
      "--input with an unknown name exits 2 listing the inputs (%d: %s)" % (r.returncode, r.stderr.strip()))
# options without effect without another are refused
for args in (["--utilization", "0.5"], ["--precision", "fp16"], ["--region", "FR"], ["--context", "128"]):
    r = run(*args, MODEL)
    check(r.returncode == 2 and r.stdout == "", "%s without its companion is refused (%d)" % (args, r.returncode))

gguf = os.path.join(TMP, "tiny.gguf")
with open(gguf, "wb") as f:
    f.write(b"GGUF" + b"\x03\x00\x00\x00" + b"\x00" * 16)
r = run(gguf)
check("protobuf" not in r.stderr and "wire type" not in r.stderr, "GGUF files go to the GGUF reader")

print("%d checks failed" % len(fails) if fails else "all format checks passed")
sys.exit(1 if fails else 0)
