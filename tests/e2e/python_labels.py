#!/usr/bin/python3
"""Run labels from Python (issue 13): on a fixture board (tests/tools/
py_fixture.py), standalone

1. ecometer.window(..., run_name=, tags=, project=) is stored as a run with
   that name, tags and project (read back with `ecometer runs` and `show
   --format json` on the test's own history), and `compare NAME1 NAME2`
   works on two labelled windows;
2. measure(..., ecometer_run_name=...), a training callback and the notebook
   magics (%%ecometer --name --tag --project, %ecometer_start) label theirs;
3. a bad label is a clear Python error (ValueError / IPython UsageError)
   before anything is measured: nothing is stored, nothing crashes;
4. such runs have no exit status: `runs` shows "-", not "exit -1", and the
   JSON gives null."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get("ECOMETER_SRC", os.getcwd()), "tests", "tools"))
from py_fixture import BIN, LIB, Board  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import check, failures, finish, need_file, py  # noqa: E402,F401


def eco(env, *args):
    return subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=60)


need_file(LIB)

board = Board("pylabels")
try:
    db = os.path.join(os.path.dirname(board.out), "labels.db")
    if os.path.exists(db):
        os.unlink(db)
    env = board.env(db)
    p = py("""
        import ecometer, ecometer.callbacks, time
        with ecometer.window("epoch", region="FR", run_name="teacher", tags=["kd", "reid"], project="distil"):
            time.sleep(0.4)
        with ecometer.window("epoch", region="FR", run_name="student", tags="kd", project="distil"):
            time.sleep(0.2)
        ecometer.measure(lambda: time.sleep(0.1), ecometer_run_name="measured", ecometer_tags="m",
                         ecometer_project="p2")
        cb = ecometer.callbacks.HuggingFaceCallback(run_name="hf-train", tags=["cb"], project="p3")
        cb.on_train_begin(None, None, None)
        cb.on_epoch_begin(None, None, None)
        time.sleep(0.1)
        cb.on_epoch_end(None, None, None)
        cb.on_train_end(None, None, None)
        bad = []
        for kw in ({"run_name": "latest"}, {"run_name": "a~1"}, {"run_name": ""}, {"tags": ["x" * 33]},
                   {"project": "p\\n"}, {"run_name": 3}, {"tags": ["a,b"]}):
            try:
                ecometer.window("w", **kw)
                bad.append("accepted %r" % kw)
            except (ValueError, TypeError) as e:
                bad.append(type(e).__name__ + ": " + str(e))
        try:
            ecometer.callbacks.KerasCallback(run_name="latest")
            bad.append("callback accepted latest")
        except ValueError as e:
            bad.append("ValueError: " + str(e))
        print("\\n".join(bad))
    """, env)
    check(p.returncode == 0, "labelled windows, measure and callback ran")
    lines = p.stdout.splitlines()
    check(len(lines) == 8 and all(l.startswith(("ValueError: ", "TypeError: ")) for l in lines),
          "every bad label is a ValueError/TypeError: %r" % lines)
    check(any("'latest'" in l for l in lines) and any("'~'" in l for l in lines) and
          any("control character" in l for l in lines) and any("at most 32" in l for l in lines),
          "the errors say what is wrong")

    r = eco(env, "runs", "--format", "json")
    runs = json.loads(r.stdout) if r.returncode == 0 else []
    runs = runs.get("runs", runs) if isinstance(runs, dict) else runs
    by_name = {x.get("name"): x for x in runs}
    check(len(runs) == 4, "4 runs stored, none for the bad labels: %d" % len(runs))
    t = by_name.get("teacher", {})
    check(t.get("project") == "distil" and "kd" in str(t.get("tags")) and "reid" in str(t.get("tags")),
          "teacher stored with its tags and project: %r" % {k: t.get(k) for k in ("name", "tags", "project")})
    check(by_name.get("measured", {}).get("project") == "p2" and by_name.get("hf-train", {}).get("project") == "p3",
          "measure() and the callback labelled their runs: %r" % sorted(by_name, key=str))
    check(all(x.get("exit_status") is None for x in runs), "no exit status: null in JSON, not -1: %r"
          % [x.get("exit_status") for x in runs])
    s = eco(env, "show", "student", "--format", "json")
    sj = json.loads(s.stdout) if s.returncode == 0 else {}
    check(sj.get("name") == "student" and sj.get("project") == "distil", "show student: %s" % s.stderr)
    text = eco(env, "runs").stdout
    check("exit -1" not in text and "teacher" in text, "runs text has no 'exit -1':\n" + text)
    c = eco(env, "compare", "teacher", "student")
    check(c.returncode == 0 and "teacher" in c.stdout and "student" in c.stdout,
          "compare teacher student: %d %s" % (c.returncode, c.stderr))

    # The notebook magics, with IPython's own shell when it is installed.
    p = py("""
        try:
            from IPython.core.interactiveshell import InteractiveShell
        except ImportError:
            print("no-ipython"); raise SystemExit(0)
        shell = InteractiveShell.instance()
        shell.run_line_magic("load_ext", "ecometer")
        shell.run_cell("%%ecometer --name cell-run --tag nb --tag x,y --project nbp\\nimport time; time.sleep(0.1)")
        shell.run_cell("%ecometer_start --tag multi --project nbp2 cells-run")
        shell.run_cell("import time; time.sleep(0.1)")
        shell.run_cell("%ecometer_stop")
        r = shell.run_cell("%%ecometer --name latest\\n1")
        print("bad:", type(r.error_in_exec).__name__ if r.error_in_exec else None)
    """, env)
    if "no-ipython" in p.stdout:
        print("skip the magics: IPython is not installed")
    else:
        check(p.returncode == 0 and "bad: UsageError" in p.stdout, "a bad magic label is a UsageError:\n" +
              p.stdout[-400:] + p.stderr[-400:])
        runs = json.loads(eco(env, "runs", "--format", "json").stdout)
        runs = runs.get("runs", runs) if isinstance(runs, dict) else runs
        by_name = {x.get("name"): x for x in runs}
        c = by_name.get("cell-run", {})
        check(c.get("project") == "nbp" and all(t in str(c.get("tags")) for t in ("nb", "x", "y")),
              "%%ecometer labels its run: %r" % {k: c.get(k) for k in ("name", "tags", "project")})
        check(by_name.get("cells-run", {}).get("project") == "nbp2", "%ecometer_start labels its run")
        check(len(runs) == 6, "no run stored for the bad magic label: %d" % len(runs))
finally:
    board.stop()

finish("ok: labelled windows, measure, callbacks and magics stored with their labels; compare by name; "
      "bad labels are Python errors; no 'exit -1'")
