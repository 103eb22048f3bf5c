#!/usr/bin/python3
"""The Python marker call never blocks the measured program (issue 16): with a
meter that stopped reading (a socket nobody reads), 20,000 markers from a
child with Debian's /usr/bin/python3 never wait (the slowest call under 1 s
on a loaded machine; a blocking send waits for ever), the ones that do not fit are dropped and counted
by ecometer.dropped(), one warning says so, and the program finishes."""
import json
import os
import socket
import subprocess
import sys
import textwrap

SRC = os.environ.get("ECOMETER_SRC", os.getcwd())
T = os.environ.get("ECO_TEST_TMPDIR") or "/tmp"
sock_path = os.path.join(T, "stalled.sock")
srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
srv.bind(sock_path)  # bound, never read: the queue fills up
env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"), ECOMETER_SOCKET=sock_path)
code = textwrap.dedent("""
    import json, time, ecometer
    slowest = 0.0
    sent = 0
    t0 = time.monotonic()
    for i in range(20000):
        t = time.monotonic()
        sent += bool(ecometer.items(1))
        slowest = max(slowest, time.monotonic() - t)
    print(json.dumps({"sent": sent, "dropped": ecometer.dropped(), "slowest": slowest,
                      "total": time.monotonic() - t0}))
""")
try:
    p = subprocess.run(["/usr/bin/python3", "-W", "always::RuntimeWarning", "-c", code], env=env,
                       capture_output=True, text=True, timeout=30)
except subprocess.TimeoutExpired:
    sys.exit("FAIL: the marker calls blocked the program for 30 s on a stalled meter")
finally:
    srv.close()
if p.returncode != 0:
    sys.exit("FAIL: child exited %d: %s" % (p.returncode, p.stderr[-500:]))
out = json.loads(p.stdout)
print("20,000 markers to a stalled meter: %d sent, %d dropped, slowest call %.4f s, all %.2f s"
      % (out["sent"], out["dropped"], out["slowest"], out["total"]))
if out["dropped"] == 0 or out["sent"] + out["dropped"] != 20000:
    sys.exit("FAIL: the drops were not counted")
if out["slowest"] > 1.0:  # a blocked send waits for ever; 1 s only absorbs a loaded machine
    sys.exit("FAIL: a marker call took %.3f s" % out["slowest"])
if p.stderr.count("not keeping up") != 1:
    sys.exit("FAIL: expected one warning about dropped markers: %r" % p.stderr[-500:])
print("ok")
