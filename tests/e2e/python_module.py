#!/usr/bin/python3
"""The pure-Python module (python/ecometer) with Debian's /usr/bin/python3:
markers reach a test socket server exactly as the protocol says; without
ECOMETER_SOCKET they are no-ops with one warning; runs()/load() read a test
history read-only and agree with `ecometer show`; measure() runs a function
under `ecometer run` (a stand-in ecometer here; the real one in
distillation_example and run_python tests once `run` exists)."""
import json
import os
import socket
import subprocess
import sys
import textwrap

SRC = os.environ.get("ECOMETER_SRC", os.getcwd())
B = os.environ["ECOMETER_BIN"]
MKRUN = os.path.join(os.environ["ECOMETER_BUILD"], "tests", "eco_mkrun")
T = os.environ.get("ECO_TEST_TMPDIR") or "/tmp"
PY = "/usr/bin/python3"
ENV = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"))
ENV.pop("ECOMETER_SOCKET", None)


def check(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)


def child(code, env=ENV):
    return subprocess.run([PY, "-W", "always::RuntimeWarning", "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, env=env, timeout=60)


# 1. Markers over the socket: exact datagrams, in order.
sock_path = os.path.join(T, "meter.sock")
srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
srv.bind(sock_path)
srv.settimeout(5)
p = child("""
    import ecometer
    with ecometer.region("epoch-1", items=32):
        pass
    ecometer.begin("inférence")
    ecometer.items(5)
    ecometer.end("inférence")
    try:
        with ecometer.region("epoch-2"):
            raise KeyError("boom")
    except KeyError:
        pass
    for bad in ("", "a\\nb"):
        try:
            ecometer.begin(bad)
            print("accepted", repr(bad))
        except ValueError:
            pass
    try:
        ecometer.items(-1)
        print("accepted -1")
    except ValueError:
        pass
    try:
        ecometer.items(2.5)
        print("accepted 2.5")
    except TypeError:
        pass
""", env=dict(ENV, ECOMETER_SOCKET=sock_path))
check(p.returncode == 0 and p.stdout == "" and p.stderr == "", "marker child: %r %r" % (p.stdout, p.stderr))
got = []
srv.settimeout(0.5)
try:
    while True:
        got.append(srv.recv(4096).decode("utf-8"))
except socket.timeout:
    pass
expected = ["begin epoch-1", "items 32", "end epoch-1", "begin inférence", "items 5", "end inférence",
            "begin epoch-2", "end epoch-2"]
check(got == expected, "datagrams %r, expected %r" % (got, expected))
srv.close()

# 2. Outside `ecometer run`: no-ops, one warning, the script goes on.
p = child("""
    import ecometer
    for i in range(3):
        with ecometer.region("e%d" % i, items=1):
            pass
    print("done")
""")
check(p.returncode == 0 and p.stdout == "done\n", "no-socket child failed: " + p.stderr)
check(p.stderr.count("ECOMETER_SOCKET is not set") == 1, "expected one warning, got:\n" + p.stderr)

# 3. The meter vanished (socket path gone): warn once, never raise.
p = child("""
    import ecometer
    for i in range(3):
        ecometer.begin("x"); ecometer.end("x")
    print("done")
""", env=dict(ENV, ECOMETER_SOCKET=os.path.join(T, "gone.sock")))
check(p.returncode == 0 and p.stdout == "done\n", "vanished meter raised: " + p.stderr)
check(p.stderr.count("cannot reach the meter") == 1, "expected one warning, got:\n" + p.stderr)

# 4. runs() / load(): read-only reading of a test history, same figures as `ecometer show`.
db = os.path.join(T, "h.db")
subprocess.run([MKRUN, db, "20261126-100000-teach", "gpu_w=250", "epochs=3", "items=1000", "start=1795680000"],
               check=True, capture_output=True)
subprocess.run([MKRUN, db, "20261126-110000-stud", "gpu_w=90", "duration=30", "epochs=3", "items=1000",
                "start=1795683600"], check=True, capture_output=True)
show = json.loads(subprocess.run([B, "show", "20261126-100000-teach", "--format", "json", "--series", "--db", db],
                                 capture_output=True, text=True, check=True).stdout)
before = os.stat(db).st_mtime_ns, os.path.getsize(db)
p = child("""
    import ecometer, json
    rs = ecometer.runs()
    r = ecometer.load("20261126-10")
    print(json.dumps({"ids": [x["id"] for x in rs], "run": r, "latest": ecometer.load()["id"],
                      "limit": len(ecometer.runs(limit=1))}))
    try:
        ecometer.load("nope")
    except KeyError as e:
        print("KeyError")
""", env=dict(ENV, ECOMETER_DB=db))
check(p.returncode == 0, "history child: " + p.stderr)
out, tail = p.stdout.rsplit("\n", 2)[0], p.stdout.splitlines()[-1]
data = json.loads(out)
check(tail == "KeyError", "unknown run not reported")
check(data["ids"] == ["20261126-110000-stud", "20261126-100000-teach"], "runs order %r" % data["ids"])
check(data["latest"] == "20261126-110000-stud" and data["limit"] == 1, "latest/limit")
run = data["run"]
check(run["total_energy_j"] == show["total_energy_j"] and run["co2e_g"] == show["co2e_g"], "totals differ")
check([d["name"] for d in run["domains"]] == [d["name"] for d in show["domains"]], "domains differ")
for a, b in zip(run["domains"], show["domains"]):
    check(a["energy_j"] == b["energy_j"] and a["kind"] == b["kind"] and a["method"] == b["method"], "domain")
    # cJSON prints doubles to ~15 significant digits: compare within that.
    check(len(a["series"]) == len(b["series"]) and
          all(abs(x[0] - y[0]) <= 1e-12 * abs(y[0]) and abs(x[1] - y[1]) <= 1e-12 * abs(y[1])
              for x, y in zip(a["series"], b["series"])), "series of " + a["name"])
check([g["items"] for g in run["regions"]] == [1000, 1000, 1000], "regions")
check((os.stat(db).st_mtime_ns, os.path.getsize(db)) == before, "reading modified the history")
p = child("import ecometer; ecometer.runs()", env=dict(ENV, ECOMETER_DB=os.path.join(T, "absent.db")))
check("FileNotFoundError" in p.stderr and "no ecometer history" in p.stderr, p.stderr)
check(not os.path.exists(os.path.join(T, "absent.db")), "reading created a history")

# 5. measure(): the function runs in a child started by `ecometer run --json F -- python ...`.
# Stand-in ecometer: checks the command line, runs the child, writes a result.
fake = os.path.join(T, "fake-ecometer")
with open(fake, "w") as f:
    f.write(textwrap.dedent("""\
        #!/usr/bin/python3
        import json, subprocess, sys
        a = sys.argv[1:]
        assert a[0] == "run", a
        out = a[a.index("--json") + 1]
        cmd = a[a.index("--") + 1:]
        rc = subprocess.call(cmd)
        json.dump({"duration_s": 0.1, "exit_status": rc, "total_energy_j": 1.5, "co2e_g": 0.0,
                   "argv": a[:a.index("--")]}, open(out, "w"))
        sys.exit(rc)
        """))
os.chmod(fake, 0o755)
mod = os.path.join(T, "mymod.py")
with open(mod, "w") as f:
    f.write("def work(n, scale=1):\n    return sum(range(n)) * scale\n"
            "def fail():\n    raise ValueError('inside')\n")
p = child("""
    import sys; sys.path.insert(0, %r)
    import ecometer, mymod
    m = ecometer.measure(mymod.work, 10, scale=2, ecometer=%r, ecometer_args=["--region", "FR"])
    print(m.value, m.result["total_energy_j"], m.result["argv"])
    try:
        ecometer.measure(mymod.fail, ecometer=%r)
    except ValueError as e:
        print("raised", e)
    try:
        ecometer.measure(mymod.work, 1, ecometer=%r)
    except RuntimeError as e:
        print("missing", "not found" in str(e))
""" % (T, fake, fake, os.path.join(T, "no-such-ecometer")))
check(p.returncode == 0, "measure child: " + p.stderr)
lines = p.stdout.splitlines()
check(lines[0] == "90 1.5 ['run', '--region', 'FR', '--json', '%s']" % lines[0].split("'")[-2] and
      lines[0].startswith("90 1.5 ['run', '--region', 'FR', '--json'"), "measure value/result: %r" % lines[0])
check(lines[1] == "raised inside", "exception not re-raised: %r" % lines)
check(lines[2] == "missing True", "missing ecometer: %r" % lines)

# 6. measure() with the real `ecometer run` (when this build has it), on a fixture tree.
if subprocess.run([B, "help", "run"], capture_output=True).returncode == 0:
    env = dict(ENV, ECOMETER_SYSFS_ROOT=os.path.join(SRC, "tests", "fixtures", "intel-2s-server", "sys"),
               ECOMETER_DB=os.path.join(T, "measure.db"))
    p = child("""
        import sys, json; sys.path.insert(0, %r)
        import ecometer, mymod
        m = ecometer.measure(mymod.work, 1000, ecometer=%r, ecometer_args=["--region", "FR", "-q"])
        print(json.dumps({"value": m.value, "result": m.result, "runs": len(ecometer.runs())}))
    """ % (T, B), env=env)
    check(p.returncode == 0, "measure with ecometer run: " + p.stderr)
    out = json.loads(p.stdout)
    check(out["value"] == sum(range(1000)), "measure value")
    for key in ("duration_s", "total_energy_j", "co2e_g", "domains", "exit_status"):
        check(key in out["result"], "ecometer run --json lacks " + key)
    check(out["result"]["exit_status"] == 0 and out["runs"] == 1, "measured run not stored")
    print("measure() under the real ecometer run: %.2f s" % out["result"]["duration_s"])
else:
    print("(measure() with the real `ecometer run` not tested: this build has no run command)")
print("ok")
