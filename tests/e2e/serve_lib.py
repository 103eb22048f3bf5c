"""Shared helpers for the `ecometer serve` e2e tests (not a test itself: not executable)."""
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

BIN = os.environ["ECOMETER_BIN"]
SRC = os.environ["ECOMETER_SRC"]
BUILD = os.environ["ECOMETER_BUILD"]
TMP = os.environ["ECO_TEST_TMPDIR"]
WRITER = os.path.join(SRC, "tests", "tools", "fixture_writer.py")


def skip(why):
    print("skip: " + why)
    sys.exit(77)


def fail(why):
    print("FAIL: " + why)
    sys.exit(1)


def start_writer(board, name, powers, extra=()):
    """Copy a fixture board and move its counters at the given powers (W)."""
    out = os.path.join(TMP, name)
    ready = out + ".ready"
    args = [sys.executable, WRITER, "--fixture", board, "--out", out, "--tick", "0.02",
            "--ready", ready, "--truth", out + ".truth.json"]
    for dom, w in powers.items():
        args += ["--power", "%s=%s" % (dom, w)]
    args += list(extra)
    p = subprocess.Popen(args)
    for _ in range(400):
        if os.path.exists(ready):
            return p, out
        if p.poll() is not None:
            fail("fixture writer for %s exited with %d" % (board, p.returncode))
        time.sleep(0.025)
    fail("fixture writer for %s not ready" % board)


def start_agent(root, args=(), env_extra=None):
    """Start `ecometer serve` on a fixture root, on a port chosen by the OS; returns (proc, port)."""
    env = dict(os.environ)
    env.update({"ECOMETER_SYSFS_ROOT": os.path.join(root, "sys"),
                "ECOMETER_PROC_ROOT": os.path.join(root, "proc"),
                "ECOMETER_NVML_LIB": "/nonexistent/libnvidia-ml.so.1"})
    env.update(env_extra or {})
    p = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--region", "FR"] + list(args),
                         env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 20
    lines = []
    while time.time() < deadline:
        line = p.stderr.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"\(port (\d+)\)", line)
        if m:
            return p, int(m.group(1))
    p.kill()
    fail("agent did not start: " + "".join(lines))


def stop(p):
    if p and p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=30 if os.environ.get("ECO_SANITIZE") == "1" else 10)
        except subprocess.TimeoutExpired:
            p.kill()
            fail("process %d ignored SIGTERM" % p.pid)
        # Under make check-sanitize the agent (a long-running path) must stop
        # clean: no leak report from LeakSanitizer, no ASan/UBSan error.
        if os.environ.get("ECO_SANITIZE") == "1" and p.stderr is not None:
            err = p.stderr.read() or ""
            if "Sanitizer" in err or "runtime error" in err:
                fail("sanitizer report from the agent:\n" + err[-4000:])
            if p.returncode != 0:
                fail("agent exited %d after SIGTERM: %s" % (p.returncode, err[-2000:]))


def get(port, path="/metrics", headers=None):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def parse_metrics(text):
    """{(name, frozenset(labels.items())): value} from the exposition text."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$', line)
        if not m:
            fail("unparsable metrics line: %r" % line)
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        out[(m.group(1), frozenset(labels.items()))] = float(m.group(4))
    return out


def series(metrics, name, **match):
    return [(dict(k[1]), v) for k, v in metrics.items()
            if k[0] == name and all(dict(k[1]).get(a) == b for a, b in match.items())]
