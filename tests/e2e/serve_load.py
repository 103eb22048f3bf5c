#!/usr/bin/env python3
"""Load on `ecometer serve` (loopback only, bounded in time): wrk scrapes
/metrics for 30 s and must get at least 1000 scrapes/s with the agent's memory
flat; malformed, oversized and unexpected requests are refused, and the agent
keeps serving afterwards."""
import os
import re
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import *  # noqa: E402,F401

wrk = shutil.which("wrk")
if not wrk:
    skip("wrk is not installed (Debian package wrk; .ci/run installs it)")
# Under the sanitizers (make check-sanitize sets ECO_SANITIZE=1) the load is
# shorter and neither the rate nor the RSS is judged: an instrumented agent is
# several times slower and ASan's quarantine holds freed memory on purpose.
# What that pass checks instead is that LeakSanitizer finds nothing when the
# agent stops after thousands of scrapes (serve_lib.stop).
sanitized = os.environ.get("ECO_SANITIZE") == "1"
seconds = int(os.environ.get("ECO_LOAD_SECONDS", "5" if sanitized else "30"))


def rss_kb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def raw(port, data, read=True):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        s.sendall(data)
        if not read:
            return b""
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            out += chunk
        return out
    except (BrokenPipeError, ConnectionResetError):
        return b""
    finally:
        s.close()


def status_of(resp):
    m = re.match(rb"HTTP/1\.[01] (\d+)", resp)
    return int(m.group(1)) if m else None


writer, root = start_writer("intel-2s-server", "srv", {"package-0": 50, "package-1": 80})
agent = None
try:
    agent, port = start_agent(root, ["--interval", "1s", "--max-connections", "256"])
    time.sleep(1.2)
    # hostile and odd requests
    checks = [
        ("garbage request line", b"\x00\x01\x02 nonsense\r\n\r\n", {400, None}),
        ("POST with a body", b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", {405, 413}),
        ("DELETE", b"DELETE /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", {405}),
        ("unknown path", b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", {404, 400}),
        ("64 KiB header", b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 65536 + b"\r\n\r\n", {431, 413, 400, None}),
        ("2000 headers", b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(2000)) + b"\r\n", {431, 413, 400, None}),
    ]
    for what, data, ok in checks:
        st = status_of(raw(port, data))
        print("%-22s -> %s" % (what, st))
        if st not in ok:
            fail("%s answered %s, expected one of %s" % (what, st, ok))
    # a half-open connection that never finishes its request does not block others
    hang = socket.create_connection(("127.0.0.1", port))
    hang.sendall(b"GET /metrics HTTP/1.1\r\n")
    if get(port)[0] != 200:
        fail("a slow client blocks the agent")
    hang.close()

    time.sleep(0.5)
    rss0 = rss_kb(agent.pid)
    w = subprocess.Popen([wrk, "-t2", "-c16", "-d%ds" % seconds, "--timeout", "5s",
                          "http://127.0.0.1:%d/metrics" % port],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # memory once the load has warmed up (thread stacks, allocator arenas)
    # and at the end: flat means no growth between the two
    time.sleep(min(3, seconds / 3))
    rss_warm = rss_kb(agent.pid)
    out, err = w.communicate(timeout=seconds + 60)
    r = subprocess.CompletedProcess(w.args, w.returncode, out, err)
    print(r.stdout)
    rss1 = rss_kb(agent.pid)
    m = re.search(r"Requests/sec:\s+([\d.]+)", r.stdout)
    if r.returncode != 0 or not m:
        fail("wrk failed: %s %s" % (r.stdout, r.stderr))
    rps = float(m.group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", r.stdout)
    if errors:
        fail("%s non-2xx answers under load" % errors.group(1))
    print("scrapes/s %.0f over %d s; agent RSS %d kB idle, %d kB warm, %d kB at the end" % (rps, seconds, rss0, rss_warm, rss1))
    if sanitized:
        print("(sanitizer build: rate and RSS not judged; leaks are checked when the agent stops)")
    elif rps < 1000:
        fail("fewer than 1000 scrapes/s")
    if not sanitized and rss1 - rss_warm > 1024:
        fail("memory grew by %d kB under steady load" % (rss1 - rss_warm))
    if agent.poll() is not None or get(port)[0] != 200:
        fail("agent not serving after the load")
finally:
    stop(agent)
    stop(writer)
