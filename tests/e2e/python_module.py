#!/usr/bin/python3
"""The pure-Python module (python/ecometer) with Debian's /usr/bin/python3:
markers reach a test socket server exactly as the protocol says; without
ECOMETER_SOCKET they are no-ops with one warning; runs()/load() read a test
history read-only and agree with `ecometer show`; measure() runs a function
in this process and asks the run for its figures (a stand-in meter here;
the real one in python_windows)."""
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

# 5. measure() under a run (ECOMETER_SOCKET): a stand-in meter that speaks the
# documented protocol (docs/METHODOLOGY.md, "Asking the run for a region's
# figures"): markers first, then `figures NAME` until it answers; "pending"
# makes the client ask again. The real run: tests/e2e/python_windows.py.
import threading
sock_path = os.path.join(T, "meter2.sock")
srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
srv.bind(sock_path)
srv.settimeout(10)
seen = []


def serve():
    pending = 1
    while True:
        try:
            data, addr = srv.recvfrom(4096)
        except socket.timeout:
            return
        text = data.decode()
        seen.append(text)
        if text.startswith("figures "):
            name = text[8:]
            if pending:
                pending -= 1
                srv.sendto(("pending " + name).encode(), addr)
            else:
                srv.sendto(("figures %s\nduration_s 1.5\nenergy_j 30\nestimated_j 10\nco2e_g 0.5\n"
                            "intensity_g_per_kwh 60\nintensity_default 0\nitems 4\n"
                            "domain measured counted 20 package 0\ndomain estimated counted 10 gpu-0\n"
                            % name).encode(), addr)
                return


mod = os.path.join(T, "mymod.py")
with open(mod, "w") as f:
    f.write("def work(n, scale=1):\n    return sum(range(n)) * scale\n")
t = threading.Thread(target=serve)
t.start()
p = child("""
    import sys, json; sys.path.insert(0, %r)
    import ecometer, mymod
    m = ecometer.measure(mymod.work, 10, scale=2, ecometer_items=4)
    print(json.dumps({"value": m.value, "r": m.result}))
""" % T, env=dict(ENV, ECOMETER_SOCKET=sock_path))
t.join()
srv.close()
check(p.returncode == 0, "measure child: " + p.stderr)
out = json.loads(p.stdout)
check(out["value"] == 90, "measure value")
check(seen[:3] == ["begin mymod.work(10, scale=2)", "items 4", "end mymod.work(10, scale=2)"] and
      seen[3:] == ["figures mymod.work(10, scale=2)"] * 2, "measure datagrams %r" % seen)
r = out["r"]
check(r["energy_j"] == 30 and r["estimated_j"] == 10 and r["co2e_g"] == 0.5 and r["duration_s"] == 1.5 and
      r["source"] == "run" and r["intensity_g_per_kwh"] == 60, "figures from the reply: %r" % r)
check(r["domains"] == {"package 0": {"energy_j": 20, "method": "measured", "counted": True},
                       "gpu-0": {"energy_j": 10, "method": "estimated", "counted": True}}, "domains %r" % r["domains"])

# 6. A run that never answers (an older ecometer): figures are None, and why.
srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock_path = os.path.join(T, "meter3.sock")
srv.bind(sock_path)
p = child("""
    import ecometer
    with ecometer.window("w", timeout=0.5) as w:
        pass
    print(w.energy_j, w.why)
""", env=dict(ENV, ECOMETER_SOCKET=sock_path))
srv.close()
check(p.returncode == 0 and p.stdout.startswith("None the enclosing `ecometer run` did not answer"),
      "silent run: %r %r" % (p.stdout, p.stderr))

# 7. A run that is gone (a stale ECOMETER_SOCKET): the program goes on, the figures say why.
p = child("""
    import ecometer
    with ecometer.window("w") as w:
        pass
    print(w.energy_j, w.why)
""", env=dict(ENV, ECOMETER_SOCKET=os.path.join(T, "gone-run.sock")))
check(p.returncode == 0 and p.stdout.startswith("None cannot reach the run at "), "gone run: %r %r" % (p.stdout, p.stderr))

# 8. Items given up front and counted on the way are each sent once.
srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock_path = os.path.join(T, "meter4.sock")
srv.bind(sock_path)
p = child("""
    import ecometer
    with ecometer.window("w", items=3, timeout=0.3) as w:
        w.count(2)
    print(w.items)
""", env=dict(ENV, ECOMETER_SOCKET=sock_path))
srv.settimeout(0.5)
got = []
try:
    while True:
        got.append(srv.recv(4096).decode())
except socket.timeout:
    pass
srv.close()
check(p.stdout == "5\n" and got[:4] == ["begin w", "items 2", "items 3", "end w"],
      "items: %r %r %r" % (p.stdout, got[:4], p.stderr))
print("ok")
