#!/usr/bin/python3
"""The Python training examples work as written (examples/python/): the plain
PyTorch loop and the Hugging Face-style Trainer loop (no transformers needed),
standalone on a fixture board at known power (each stored as one run with
its epochs as regions, every epoch at 120 W x its duration within 4% plus
20 ms of the fixture writer's lag: the epochs are short) and
under `ecometer run` (each epoch a region of the run, answered by the run)."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get("ECOMETER_SRC", os.getcwd()), "tests", "tools"))
from py_fixture import BIN, LIB, SRC, TMP, TOTAL_W, Board  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import check, check_power, finish, need_file  # noqa: E402

if subprocess.run(["/usr/bin/python3", "-c", "import torch"], capture_output=True).returncode != 0:
    print("SKIP: PyTorch is not installed (Debian: python3-torch)")
    sys.exit(77)
need_file(LIB)

EX = os.path.join(SRC, "examples", "python")
board = Board("pyex")
try:
    for script, epochs, command in (("pytorch_train.py", 3, "python: pytorch_train.py"),
                                    ("hf_style_train.py", 2, "python: transformers Trainer.train")):
        db = os.path.join(TMP, script + ".db")
        env = board.env(db)
        p = subprocess.run(["/usr/bin/python3", os.path.join(EX, script), "--region", "FR"], env=env,
                           capture_output=True, text=True, timeout=300)
        check(p.returncode == 0, "%s runs standalone%s" % (script, ": " + p.stderr[-500:] if p.returncode else ""))
        shown = re.findall(r"epoch-(\d+): ([0-9.e+]+) J", p.stdout)
        check([int(n) for n, _ in shown] == list(range(1, epochs + 1)), "%s prints %d epochs" % (script, epochs))
        q = subprocess.run(["/usr/bin/python3", "-c", "import ecometer, json; print(json.dumps(ecometer.load()))"],
                           env=env, capture_output=True, text=True, timeout=60)
        run = json.loads(q.stdout)
        names = [g["name"] for g in run["regions"]]
        check(run["command"] == command and names[1:] == ["epoch-%d" % i for i in range(1, epochs + 1)],
              "%s: stored as %r with regions %r" % (script, run["command"], names))
        for g in run["regions"]:
            # short epochs: 4% plus 20 ms of the writer's lag at 120 W
            d = g["end_s"] - g["start_s"]
            check_power(g["energy_j"], TOTAL_W, d, 0.04, "%s %s" % (script, g["name"]), slack_s=0.02)
        check(all(g["items"] > 0 for g in run["regions"][1:]), "%s: samples counted per epoch" % script)

        res = os.path.join(TMP, script + ".json")
        p = subprocess.run([BIN, "run", "--no-history", "--region", "FR", "--interval", "50ms", "--json", res, "--",
                            "/usr/bin/python3", os.path.join(EX, script)], env=env, capture_output=True, text=True,
                           timeout=300)
        check(p.returncode == 0, "%s under ecometer run%s" % (script, ": " + p.stderr[-500:] if p.returncode else ""))
        regions = {g["name"]: g for g in json.load(open(res))["regions"]}
        shown = dict(re.findall(r"(epoch-\d+): ([0-9.e+]+) J", p.stdout))
        check(sorted(shown) == ["epoch-%d" % i for i in range(1, epochs + 1)] and
              all(abs(float(j) - regions[n]["energy_j"]) <= 1e-3 * regions[n]["energy_j"] + 1e-9
                  for n, j in shown.items()), "%s: the printed epochs are the run's regions" % script)
finally:
    truth = board.stop()

finish("ok", truth)
