#!/usr/bin/env python3
"""Fault suite, the agent's front door (issue 16): over-long and group-readable
token files, a FIFO as token file, the `bearer` scheme in any case (RFC 7235
section 2.1), header blocks around both limits (always a status line, 431
beyond the limit, never a silent close), two Content-Length headers (400),
SIGHUP (ignored, the agent keeps serving) and an address that is not this
machine's (said in words)."""
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import *  # noqa: E402,F401

problems = []


def serve_once(args, timeout=10):
    env = dict(os.environ, ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1")
    try:
        p = subprocess.run([BIN, "serve", "--listen", "127.0.0.1:0", "--region", "FR", "--duration", "1s"]
                           + args, env=env, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        return None, "hung for %d s" % timeout


def raw(port, data):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(5)
    s.sendall(data)
    try:
        out = s.recv(300)
    except OSError as e:
        out = repr(e).encode()
    s.close()
    return out


def expect(cond, what):
    if not cond:
        problems.append(what)


# Token files.
long_tok = os.path.join(TMP, "long.token")
with open(long_tok, "w") as f:
    f.write("x" * 5000 + "\n")
os.chmod(long_tok, 0o600)
rc, err = serve_once(["--token-file", long_tok])
expect(rc == 2 and "longer than" in err, "a 5000-character token: exit %s, %r" % (rc, err[-300:]))

group_tok = os.path.join(TMP, "group.token")
with open(group_tok, "w") as f:
    f.write("s3cret-token-value\n")
os.chmod(group_tok, 0o640)
rc, err = serve_once(["--token-file", group_tok, "--quiet"])
expect(rc == 0 and "readable by its group" in err, "a group-readable token: exit %s, %r" % (rc, err[-300:]))

fifo = os.path.join(TMP, "token.fifo")
os.mkfifo(fifo)
rc, err = serve_once(["--token-file", fifo], timeout=8)
expect(rc == 2 and "FIFO" in err, "a FIFO as token file: exit %s, %r" % (rc, err[-300:]))

# An address this machine does not have (TEST-NET-1, RFC 5737).
rc, err = serve_once(["--listen", "192.0.2.1:9464"])
expect(rc == 1 and "not one of this machine's" in err and "port taken" not in err,
       "a foreign address: exit %s, %r" % (rc, err[-300:]))

writer, root = start_writer("intel-2s-server", "front", {"package-0": 30, "package-1": 30, "dram-0": 5})
agent = None
try:
    tok = os.path.join(TMP, "ok.token")
    with open(tok, "w") as f:
        f.write("abcdefgh12345678\n")
    os.chmod(tok, 0o600)
    agent, port = start_agent(root, ["--token-file", tok])
    for auth, want in (("Bearer abcdefgh12345678", 200), ("bearer abcdefgh12345678", 200),
                       ("BEARER  abcdefgh12345678", 200), ("Bearer abcdefgh1234567", 401),
                       ("Basic abcdefgh12345678", 401), ("Bearerabcdefgh12345678", 401)):
        st, _ = get(port, headers={"Authorization": auth})
        expect(st == want, "Authorization %r answered %s, not %s" % (auth, st, want))
    hdr = b"Authorization: Bearer abcdefgh12345678\r\n"
    silent = []
    for n in list(range(15800, 17000, 41)) + list(range(23800, 25200, 41)):
        out = raw(port, b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + hdr + b"X-Pad: " + b"a" * n + b"\r\n\r\n")
        if not out.startswith(b"HTTP/1.1 "):
            silent.append(n)
        elif n > 16384 and b" 431 " not in out[:20]:
            problems.append("a %d-byte header answered %r, not 431" % (n, out[:20]))
    expect(not silent, "header blocks closed without a status line at sizes %s" % silent[:8])
    out = raw(port, b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + hdr + b"Content-Length: 0\r\nContent-Length: 5\r\n\r\n")
    expect(out.startswith(b"HTTP/1.1 400"), "two Content-Length headers answered %r" % out[:30])
    agent.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    expect(agent.poll() is None, "SIGHUP stopped the agent")
    if agent.poll() is None:
        st, _ = get(port, headers={"Authorization": "Bearer abcdefgh12345678"})
        expect(st == 200, "after SIGHUP a scrape answered %s" % st)
finally:
    stop(agent)
    stop(writer)
if problems:
    for p in problems:
        print("FAIL:", p)
    sys.exit(1)
print("ok: token limits, bearer in any case, 431 near the limits, one Content-Length, SIGHUP, foreign address")
