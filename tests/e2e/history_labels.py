#!/usr/bin/python3
"""Named, tagged runs end to end (issue 13): `run --name/--tag/--project` on a
fixture board lands in the history; runs lists and filters them; names work
as RUN arguments in show/compare/report; bad labels are refused before
anything runs; `runs delete` and `runs prune` (refused without a terminal
unless --yes, asking on one) never corrupt a history that a concurrent
`ecometer run` is saving into."""
import json
import os
import pty
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import eco_with, require as check  # noqa: E402

B = os.environ["ECOMETER_BIN"]
SRC = os.environ["ECOMETER_SRC"]
MKRUN = os.path.join(os.environ["ECOMETER_BUILD"], "tests", "eco_mkrun")
T = os.environ.get("ECO_TEST_TMPDIR") or "/tmp"
DB = os.path.join(T, "labels.db")
FX = os.path.join(SRC, "tests", "fixtures", "intel-2s-server")
ENV = dict(os.environ, ECOMETER_DB=DB, ECOMETER_SYSFS_ROOT=os.path.join(FX, "sys"),
           ECOMETER_CPUINFO=os.path.join(FX, "proc", "cpuinfo"))
ENV.pop("ECOMETER_SOCKET", None)


eco = eco_with(ENV)  # ecometer ARGS; stops the test unless it exits with code=


def runs_json(*args):
    return json.loads(eco("runs", "--all", "--format", "json", *args).stdout)


# Labels given on the command line land with the run.
eco("run", "-q", "--region", "FR", "--name", "teacher", "--tag", "kd", "--tag", "reid,big", "--project", "reid",
    "--", "true")
eco("run", "-q", "--region", "FR", "--name", "student", "--tag", "kd", "--project", "reid", "--", "true")
eco("monitor", "-q", "--region", "FR", "--duration", "0.3", "--name", "idle", "--project", "lab")
eco("run", "-q", "--region", "FR", "--name", "teacher", "--", "true")
runs = runs_json()
check([r["name"] for r in runs] == ["teacher", "idle", "student", "teacher"], "names: %s" % runs)
check(runs[3]["tags"] == "kd,reid,big" and runs[3]["project"] == "reid", "labels of the first run: %s" % runs[3])
check(runs[1]["kind"] == "monitor" and runs[1]["project"] == "lab", "monitor label: %s" % runs[1])

# Bad labels: refused before anything runs (no run stored), with the reason.
for bad, why in ((["--name", "a~b"], "'~'"), (["--name", "x" * 65], "at most 64"),
                 (["--tag", "a\tb"], "control character"), (["--project", ""], "empty")):
    p = eco("run", "-q", *bad, "--", "true", code=2)
    check(why in p.stderr, "%s: %s" % (bad, p.stderr))
check(len(runs_json()) == 4, "a refused run was stored")

# Listing and filters.
text = eco("runs").stdout
check("teacher" in text.splitlines()[2] and "name" in text.splitlines()[0] and "kd,reid,big" in text,
      "runs text:\n" + text)
check([r["name"] for r in runs_json("--project", "reid")] == ["student", "teacher"], "--project")
check([r["name"] for r in runs_json("--tag", "kd")] == ["student", "teacher"], "--tag")
check(runs_json("--tag", "re") == [], "--tag matches whole tags only")
check(len(runs_json("--since", "1h")) == 4 and runs_json("--project", "reid", "--tag", "big")[0]["name"] == "teacher",
      "--since / combined filters")
eco("runs", "--since", "soon", code=2)

# Names as RUN arguments.
newest, first = runs[0]["id"], runs[3]["id"]
check(json.loads(eco("show", "teacher", "--format", "json").stdout)["id"] == newest, "show NAME = newest")
check(json.loads(eco("show", "teacher~1", "--format", "json").stdout)["id"] == first, "show NAME~1")
p = eco("compare", "teacher~1", "student")
check(p.stdout.startswith("A: teacher (%s)" % first) and "B: student (" in p.stdout, "compare titles:\n" + p.stdout)
cmp = json.loads(eco("compare", "teacher~1", "student", "--format", "json").stdout)
check(cmp["a_name"] == "teacher" and cmp["b_name"] == "student", "compare json names")
html = os.path.join(T, "r.html")
eco("report", "teacher~1", "student", "-o", html)
page = open(html).read()
check("<title>ecometer report: teacher and 1 more</title>" in page and "<h2>Run student <code>" in page,
      "report titles")
p = eco("show", "teacher~2", code=2)
check("only 2 runs are named 'teacher'" in p.stderr, p.stderr)

# runs delete: all or nothing, by any reference.
p = eco("runs", "delete", "idle", "nobody", code=2)
check("nothing was deleted" in p.stderr and len(runs_json()) == 4, "delete with a bad reference: " + p.stderr)
p = eco("runs", "delete", "idle", runs[1]["id"])
check(p.stdout.count("deleted ") == 1 and '"idle"' in p.stdout, "delete the same run twice named: " + p.stdout)
check([r["name"] for r in runs_json()] == ["teacher", "student", "teacher"], "after delete")

# runs prune: refused without a terminal, asks on one, --yes.
for i in range(3):
    subprocess.run([MKRUN, DB, "old-%d" % i, "start=%d" % (1700000000 + i), "name=old"], check=True,
                   capture_output=True)
p = eco("runs", "prune", "--older-than", "30d", code=2)
check("3 runs would be deleted" in p.stderr and "--yes" in p.stderr, "prune without a terminal: " + p.stderr)
check(len(runs_json()) == 6, "prune without a terminal deleted something")


def prune_on_terminal(answer):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(B, [B, "runs", "prune", "--older-than", "30d"], ENV)
    out = b""
    while b"[y/N]" not in out:
        out += os.read(fd, 1024)
    os.write(fd, answer)
    try:
        while True:
            chunk = os.read(fd, 1024)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode()


rc, out = prune_on_terminal(b"n\n")
check(rc == 0 and "delete 3 runs started more than 30d ago?" in out and len(runs_json()) == 6, "prune, no: " + out)
rc, out = prune_on_terminal(b"y\n")
check(rc == 0 and out.count("deleted old-") == 3 and len(runs_json()) == 3, "prune, yes: " + out)
eco("runs", "prune", "--older-than", "30d", "--yes")  # nothing left to prune: fine

# A history in use: delete and prune while a run saves into it (start,
# checkpoint after 5 s, end), and while other runs are added.
live = subprocess.Popen([B, "run", "-q", "--region", "FR", "--interval", "20ms", "--name", "live", "--", "sleep", "6"],
                        env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
deadline = time.time() + 6.5
k = 0
while time.time() < deadline or live.poll() is None:
    subprocess.run([MKRUN, DB, "churn-%d" % k, "start=%d" % (1700000000 + k), "name=churn"], check=True,
                   capture_output=True, env=ENV)
    subprocess.run([MKRUN, DB, "keep-%d" % k, "name=keep"], check=True, capture_output=True, env=ENV)
    eco("runs", "delete", "keep")
    eco("runs", "prune", "--older-than", "30d", "--yes")
    k += 1
_, err = live.communicate(timeout=60)
check(live.returncode == 0 and "warning" not in err, "the live run: rc %d, %s" % (live.returncode, err))
check(k >= 3, "only %d delete/prune rounds ran during the live run" % k)
con = sqlite3.connect(DB)
check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check after the churn")
check(con.execute("SELECT count(*) FROM runs WHERE name IN ('churn', 'keep')").fetchone()[0] == 0,
      "churned runs left behind")
orphans = con.execute("SELECT count(*) FROM samples WHERE run_id NOT IN (SELECT id FROM runs)").fetchone()[0]
check(orphans == 0, "%d power points of deleted runs left behind" % orphans)
con.close()
shown = json.loads(eco("show", "live", "--format", "json", "--series").stdout)
check(shown["complete"] is True and shown["name"] == "live", "the live run is stored complete")
pts = [len(d["series"]) for d in shown["domains"]]
check(min(pts) > 100, "the live run's series lost points: %s" % pts)
print("ok: labels, filters, names as references, delete, prune; %d delete+prune rounds during a live run, "
      "integrity ok, live run complete with %d points per domain" % (k, min(pts)))
