"""Shared by the Python e2e tests: a fixture board whose RAPL counters move at
known constant powers (tests/tools/fixture_writer.py), and the environment
that points ecometer, libecometer.so and the Python module at it."""
import json
import os
import signal
import subprocess
import sys
import time

SRC = os.environ.get("ECOMETER_SRC", os.getcwd())
BUILD = os.environ.get("ECOMETER_BUILD", os.path.join(SRC, "build"))
BIN = os.environ.get("ECOMETER_BIN", os.path.join(BUILD, "ecometer"))
TMP = os.environ.get("ECO_TEST_TMPDIR") or "/tmp"
LIB = os.path.join(BUILD, "libecometer.so")
WRITER = os.path.join(SRC, "tests", "tools", "fixture_writer.py")

# intel-2s-server: the counted domains are the packages and the DRAMs (the
# cores are inside the packages). Constant powers, so the truth over any
# window is its duration times TOTAL_W.
POWERS = {"package-0": 60.0, "package-1": 40.0, "dram-0": 8.0, "dram-1": 12.0, "core-0": 25.0, "core-1": 15.0}
TOTAL_W = 60.0 + 40.0 + 8.0 + 12.0


class Board:
    def __init__(self, name="fx"):
        self.out = os.path.join(TMP, name)
        args = [sys.executable, WRITER, "--fixture", "intel-2s-server", "--out", self.out, "--tick", "0.01",
                "--ready", self.out + ".ready", "--truth", self.out + ".truth.json"]
        for d, w in POWERS.items():
            args += ["--power", "%s=%g" % (d, w)]
        self.proc = subprocess.Popen(args, cwd=SRC)
        for _ in range(400):
            if os.path.exists(self.out + ".ready"):
                break
            time.sleep(0.05)
        else:
            self.stop()
            sys.exit("FAIL: the fixture writer did not start")

    def env(self, db):
        env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"), ECOMETER_LIB=LIB, ECOMETER_DB=db,
                   ECOMETER_SYSFS_ROOT=os.path.join(self.out, "sys"),
                   ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1")  # no real GPU leaks in
        for k in ("ECOMETER_SOCKET", "ECOMETER_PROC_ROOT"):
            env.pop(k, None)
        return sanitizer_env(env)

    def stop(self):
        """Stop the writer; its truth (max_gap_s says whether it stalled)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=20)
        try:
            return json.load(open(self.out + ".truth.json"))
        except OSError:
            return {}


def sanitizer_env(env):
    """Under `make check-sanitize` libecometer.so is built with ASan and UBSan,
    whose runtimes must be loaded first: preload the ones the library needs
    (from ldd, whichever compiler built it) into /usr/bin/python3, whose own
    allocations are not ours to judge (detect_leaks=0)."""
    if os.environ.get("ECO_SANITIZE") != "1":
        return env
    out = subprocess.run(["ldd", LIB], capture_output=True, text=True).stdout
    libs = [l.split("=>")[1].split()[0] for l in out.splitlines()
            if "=>" in l and any(k in l for k in ("asan", "ubsan", "clang_rt"))]
    env = dict(env, LD_PRELOAD=" ".join(libs))
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"  # the last setting wins
    return env


def near(got, want, tol):
    return got is not None and abs(got - want) <= tol * abs(want)
