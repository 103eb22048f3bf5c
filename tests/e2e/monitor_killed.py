#!/usr/bin/env python3
"""A monitor session is kept in the history as incomplete while it measures:
one killed with SIGKILL (no chance to save again) after its checkpoints must
be stored with complete = false, as a killed `run` is; one stopped with
SIGINT ends complete. (Issue 12: monitor used to set "complete" before its
loop, so its checkpoints were taken as final saves.)"""
import json
import os
import signal
import subprocess
import sys
import time

BIN = os.environ["ECOMETER_BIN"]
SRC = os.environ["ECOMETER_SRC"]
TMP = os.environ["ECO_TEST_TMPDIR"]
board = os.path.join(SRC, "tests", "fixtures", "amd-epyc")
db = os.path.join(TMP, "history.db")
env = dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(board, "sys"), ECOMETER_PROC_ROOT=os.path.join(board, "proc"),
           ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1", ECOMETER_DB=db, XDG_STATE_HOME=TMP)
failures = []


def show(ref):
    p = subprocess.run([BIN, "show", ref, "--format", "json"], env=env, capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        failures.append("show %s: %d %s" % (ref, p.returncode, p.stderr))
        return {}
    return json.loads(p.stdout)


def session(stop_signal, seconds):
    proc = subprocess.Popen([BIN, "monitor", "-q", "--interval", "100ms", "--carbon-intensity", "100"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(seconds)  # past the first 5-s checkpoint
    proc.send_signal(stop_signal)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err


rc, err = session(signal.SIGKILL, 6.5)
if rc != -signal.SIGKILL:
    failures.append("monitor not killed: rc %d %s" % (rc, err))
killed = show("latest")
if killed.get("kind") != "monitor" or killed.get("complete") is not False:
    failures.append("SIGKILLed monitor stored as %r (want complete false)" %
                    {k: killed.get(k) for k in ("kind", "complete", "duration_s")})
if not killed.get("duration_s", 0) >= 4.5:
    failures.append("the checkpoint did not reach the history: duration %r" % killed.get("duration_s"))

rc, err = session(signal.SIGINT, 1.0)
ended = show("latest")
if rc != 0 or ended.get("complete") is not True or ended.get("exit_status", 0) is not None:
    failures.append("SIGINT monitor: rc %d, stored %r" % (rc, {k: ended.get(k) for k in ("complete", "exit_status")}))
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: a killed monitor is stored incomplete (%.1f s kept), a stopped one complete" % killed["duration_s"])
