#!/usr/bin/python3
"""The README's Python section works as written: its code blocks (windows,
measure, named runs, markers and history) run in one interpreter on a fixture board at
known power, with stand-ins only for the user's own names (ds,
train_one_epoch, train.fit, dataset); the printed summary has the README's
shape. The callback block needs the frameworks: python_callbacks.py and
python_examples.py cover it; the notebook block: python_notebook.py."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get("ECOMETER_SRC", os.getcwd()), "tests", "tools"))
from py_fixture import LIB, SRC, TMP, Board  # noqa: E402

STANDINS = """
import time, types
ds = dataset = list(range(100))
def train_one_epoch():
    time.sleep(0.3)
train = types.SimpleNamespace(fit=lambda epochs: time.sleep(0.1 * epochs) or "fitted")
"""

if not os.path.exists(LIB):
    print("SKIP: %s not built" % LIB)
    sys.exit(77)
text = open(os.path.join(SRC, "README.md")).read()
section = text[text.index("## Python: `import ecometer`"):]
section = section[:section.index("\n## ", 5)]
blocks, cur = [], []
for line in section.splitlines() + [""]:
    if line.startswith("    "):
        cur.append(line[4:])
    elif cur and line.strip() == "":
        cur.append("")
    elif cur:
        blocks.append("\n".join(cur).strip() + "\n")
        cur = []
if cur:
    blocks.append("\n".join(cur).strip() + "\n")
runnable = [b for b in blocks if "transformers." not in b]
if len(runnable) != 4 or len(blocks) != 5:
    sys.exit("FAIL: expected 5 code blocks in the README's Python section (4 runnable), found %d: %r"
             % (len(blocks), [b.splitlines()[0] for b in blocks]))
code = STANDINS + "\n".join(runnable) + "\nprint('m.value =', m.value)\n"
board = Board("pyreadme")
try:
    p = subprocess.run(["/usr/bin/python3", "-c", code], env=board.env(os.path.join(TMP, "readme.db")),
                       capture_output=True, text=True, timeout=120)
finally:
    board.stop()
print(p.stdout)
if p.returncode != 0:
    print(code)
    sys.exit("FAIL: the README's Python blocks failed:\n" + p.stderr)
summary = [l for l in p.stdout.splitlines() if l.startswith("epoch-1: ")]
shape = r"^epoch-1: [0-9.]+ J \([0-9.e-]+ Wh\), [0-9.e-]+ g CO2e, [0-9.]+ s, [0-9.]+ J/item; measured$"
if len(summary) != 1 or not re.match(shape, summary[0]):
    sys.exit("FAIL: the summary line does not have the README's shape: %r" % summary)
if "m.value = fitted" not in p.stdout:
    sys.exit("FAIL: measure() did not return the call's value")
print("ok")
