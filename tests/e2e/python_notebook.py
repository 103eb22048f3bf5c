#!/usr/bin/python3
"""examples/notebook.ipynb executed cell by cell in IPython's own
InteractiveShell (Debian's python3-ipython), on a fixture board at known
power (tests/tools/py_fixture.py, 120 W counted), standalone through
libecometer.so:

- the file is a valid nbformat 4 notebook (nbformat's own validator, Debian's
  python3-nbformat);
- every code cell runs without error; the %%ecometer cell prints its energy
  and CO2e under its own output; %ecometer_start/%ecometer_stop span cells;
- each measurement is a stored run whose energy is 120 W x its duration (4%)
  and whose command says what it was;
- the magics refuse bad options with IPython's UsageError, not a traceback."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get("ECOMETER_SRC", os.getcwd()), "tests", "tools"))
from py_fixture import LIB, SRC, TMP, TOTAL_W, Board  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import check, check_power, finish, need_file  # noqa: E402

CHILD = r'''
import json, sys
import nbformat
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
shell = InteractiveShell.instance()
cells = []
for cell in nb.cells:
    if cell.cell_type != "code":
        continue
    with capture_output() as cap:
        r = shell.run_cell(cell.source, store_history=True)
    cells.append({"source": cell.source, "stdout": cap.stdout, "error": repr(r.error_in_exec or r.error_before_exec)
                  if not r.success else None})
bad = []
for line in ("%ecometer_stop", "%%ecometer --region\n1", "%%ecometer --bogus 3\n1", "%ecometer_start --items 3"):
    with capture_output() as cap:
        r = shell.run_cell(line)
    bad.append(cap.stdout + cap.stderr)
import ecometer
print(json.dumps({"cells": cells, "bad": bad, "runs": ecometer.runs()}))
'''

for mod in ("IPython", "nbformat"):
    if subprocess.run(["/usr/bin/python3", "-c", "import " + mod], capture_output=True).returncode != 0:
        print("SKIP: %s is not installed (Debian: python3-ipython, python3-nbformat)" % mod)
        sys.exit(77)
need_file(LIB)

board = Board("pynb")
try:
    env = board.env(os.path.join(TMP, "notebook.db"))
    env["IPYTHONDIR"] = os.path.join(TMP, "ipython")  # no user profile, no history file of the user's
    p = subprocess.run(["/usr/bin/python3", "-c", CHILD, os.path.join(SRC, "examples", "notebook.ipynb")],
                       env=env, capture_output=True, text=True, timeout=180)
    if p.returncode != 0:
        print(p.stdout[-2000:], p.stderr[-2000:])
    check(p.returncode == 0, "the notebook is valid nbformat 4 and was executed")
    out = json.loads(p.stdout)
    cells = out["cells"]
    for c in cells:
        check(c["error"] is None, "cell ran: %r %s" % (c["source"].splitlines()[0], c["error"] or ""))
    cell = [c for c in cells if c["source"].startswith("%%ecometer")][0]
    lines = cell["stdout"].splitlines()
    check(lines[0] == "work done: True" and lines[1].startswith("ecometer: cell: result = busy(1.5): ") and
          " J (" in lines[1] and "g CO2e" in lines[1] and "measured" in lines[1] and
          lines[2] == "ecometer: stored in the history as a run (see `ecometer runs`)",
          "%%%%ecometer prints its figures under the cell's output: %r" % lines)
    stop = [c for c in cells if "%ecometer_stop" in c["source"]][0]
    check(stop["stdout"].startswith("ecometer: training: "), "%%ecometer_stop prints: %r" % stop["stdout"])
    shown = [c for c in cells if "w.energy_j" in c["source"]][0]["stdout"]
    check(" W on average" in shown and "package-0" in shown and "(inside another domain)" in shown,
          "the window's figures and domains in the notebook: %r" % shown[:200])
    runs = {r["command"]: r for r in out["runs"]}
    want = {"python: notebook cell: result = busy(1.5)": 1.5, "python: notebook cells: training": 1.5,
            "python: window evaluation": 1.0}
    check(set(runs) == set(want), "stored runs: %r" % sorted(runs))
    for cmd, least in want.items():
        r = runs.get(cmd)
        if not r:
            continue
        check_power(r["total_energy_j"], TOTAL_W, r["duration_s"], 0.04, "%s (complete, FR, >= %g s)" % (cmd, least),
                    also=r["complete"] and r["duration_s"] >= least and r["region_code"] == "FR")
    for text, what in zip(out["bad"], ("nothing to stop", "--region needs a value", "unknown option '--bogus'",
                                       "unknown option '--items'")):
        check("UsageError" in text and what in text and "Traceback" not in text, "refused: %r" % text.strip())
finally:
    truth = board.stop()

finish("ok", truth)
