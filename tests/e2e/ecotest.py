"""Shared by the e2e tests (not a test itself: not executable, so the runner
skips it). A test imports it with

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import ecotest

Two ways to judge, as the tests did before they shared this:
- require(cond, what): stop at the first failure (exit 1, "FAIL: what");
- check(cond, what): print ok/FAIL, collect, and finish() exits 1 if any failed.
eco_with(env) gives an eco(*args, code=0) that runs build/ecometer and stops
the test when the exit status is not the one expected.

On a slow machine (a sanitizer build is 3-5x slower; CI's is shared) a test
waits for a condition with wait_for(), never for a fixed time, with a deadline
generous enough that only a hang reaches it."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

SRC = os.environ.get("ECOMETER_SRC", os.getcwd())
BUILD = os.environ.get("ECOMETER_BUILD", os.path.join(SRC, "build"))
BIN = os.environ.get("ECOMETER_BIN", os.path.join(BUILD, "ecometer"))
TMP = os.environ.get("ECO_TEST_TMPDIR") or "/tmp"
SANITIZE = os.environ.get("ECO_SANITIZE") == "1"
failures = []


def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


def require(cond, what):
    """Stop the test at the first failure."""
    if not cond:
        sys.exit("FAIL: " + what)


def check(cond, what):
    """Print the check and go on; finish() fails the test if any failed."""
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
    return cond


# Checks whose figure comes from the fixture writer's moving counters, and the
# writer lag (s) each deviation would take: {what: lag_s}. See check_power().
lag_needed = {}


def check_power(got_j, watts, window_s, tol, what, also=True, slack_s=0.0):
    """check() that an energy read from the fixture writer (tests/tools/
    fixture_writer.py) is watts x window_s within tol (and that `also`, the
    other conditions of the same line, holds). A reading lags the writer's
    clock by up to its longest pause (its truth's max_gap_s), so a window's
    energy can be off by watts x max_gap_s at most: a failure that a pause
    that long explains is the machine's, not ecometer's, and finish() skips on
    it. The budget is the check's own: a 4% check over 1 s absorbs a 40 ms
    pause, and a real error of 120 W vs 100 W (20 J over 1 s) would take a
    writer stall of 170 ms to excuse. slack_s adds a fixed lag allowance to
    tol (for windows too short for a percentage alone)."""
    want = watts * window_s
    if got_j is None:
        check(False, "%s: no figure" % what)
        return False
    ok = also and abs(got_j - want) <= tol * abs(want) + watts * slack_s
    lag = (got_j - want) / watts if watts > 0 else float("inf")
    check(ok, "%s: %.2f J vs %.0f W x %.3f s = %.2f J (%+.1f ms of lag; %.0f ms allowed)"
          % (what, got_j, watts, window_s, want, 1e3 * lag, 1e3 * (tol * window_s + slack_s)))
    if not ok and also:
        lag_needed[failures[-1]] = abs(lag)
    return ok


def writer_explains(writer_truth):
    """The failures that the writer's own longest pause explains (every one of
    them, or [] when any is not: a failure that its pause cannot explain, or
    one that does not depend on the writer's timing, is a failure)."""
    gap = (writer_truth or {}).get("max_gap_s")
    if not failures or gap is None or any(lag_needed.get(f, float("inf")) > gap for f in failures):
        return []
    return list(failures)


def finish(ok_text="ok", writer_truth=None):
    """Exit: 1 if a check failed, else 0. Given the fixture writer's truth
    (tests/tools/py_fixture.py Board.stop()): when every failure is a
    check_power() whose deviation is within what the writer's longest pause
    (max_gap_s) explains, its files lagged the clock by that much, so its
    truth is not what the meter could see: the test skips (77), saying so."""
    if writer_explains(writer_truth):
        print("SKIP: the fixture writer paused %.0f ms (busy machine), which explains every failure: %s"
              % (1e3 * writer_truth["max_gap_s"], "; ".join(failures)))
        sys.exit(77)
    if writer_truth and "max_gap_s" in writer_truth:
        print("the fixture writer's longest pause: %.0f ms" % (1e3 * writer_truth["max_gap_s"]))
    if failures:
        print("%d failure(s):\n  %s" % (len(failures), "\n  ".join(failures)))
        sys.exit(1)
    print(ok_text)
    sys.exit(0)


def timed_fail(msg, lag_s, writer, truth_path):
    """Stop the test on a figure read from the fixture writer that is off by
    lag_s seconds' worth of its power: stop the writer (a Popen) and read its
    truth; if the writer itself paused that long (max_gap_s), its files lagged
    the clock and the figure is not comparable: skip (77), as finish() does
    for check_power(). Otherwise ecometer is wrong: fail."""
    if writer.poll() is None:
        writer.send_signal(signal.SIGTERM)
        writer.wait(timeout=20)
    try:
        gap = json.load(open(truth_path))["max_gap_s"]
    except (OSError, ValueError, KeyError):
        gap = None
    if gap is not None and lag_s <= gap:
        skip("the fixture writer paused %.0f ms (busy machine), which explains: %s" % (1e3 * gap, msg))
    sys.exit("FAIL: %s (%.0f ms of the writer's lag; its longest pause %s)"
             % (msg, 1e3 * lag_s, "%.0f ms" % (1e3 * gap) if gap is not None else "unknown"))


def need_file(path, why="not built"):
    """Skip unless a build product (libecometer.so, a stand-in library) exists."""
    if not os.path.exists(path):
        skip("%s %s" % (path, why))


def board_env(board, db, **extra):
    """The environment of a run on a fixture board as it lies in tests/fixtures
    (counters that do not move): its sysfs and /proc roots, no NVIDIA library,
    the history db, state and config under TMP; plus extra variables."""
    root = os.path.join(SRC, "tests", "fixtures", board)
    return dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(root, "sys"), ECOMETER_PROC_ROOT=os.path.join(root, "proc"),
                ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1", ECOMETER_DB=db, XDG_STATE_HOME=TMP,
                XDG_CONFIG_HOME=TMP, **extra)


def json_diff(a, b, names=("the first", "the second"), path="$"):
    """Every difference between two JSON values (keys, values, nesting), by path."""
    if type(a) is not type(b):
        return ["%s: %r vs %r" % (path, a, b)]
    if isinstance(a, dict):
        out = ["%s.%s: only in %s" % (path, k, names[0] if k in a else names[1]) for k in sorted(set(a) ^ set(b))]
        for k in sorted(set(a) & set(b)):
            out += json_diff(a[k], b[k], names, path + "." + k)
        return out
    if isinstance(a, list):
        out = [] if len(a) == len(b) else ["%s: %d vs %d items" % (path, len(a), len(b))]
        for i, (x, y) in enumerate(zip(a, b)):
            out += json_diff(x, y, names, "%s[%d]" % (path, i))
        return out
    return [] if a == b else ["%s: %r vs %r" % (path, a, b)]


def eco_with(base_env):
    """eco(*args, code=0, env=None, stdin=None, timeout=120, **vars): run
    ecometer with base_env (or env), plus vars as environment variables; stop
    the test unless it exits with code."""
    def eco(*args, code=0, env=None, stdin=subprocess.DEVNULL, timeout=120, **extra):
        e = dict(env if env is not None else base_env, **extra)
        p = subprocess.run([BIN, *args], capture_output=True, text=True, env=e, timeout=timeout, stdin=stdin)
        if p.returncode != code:
            sys.exit("FAIL: ecometer %s exited %d (expected %d)\nstdout: %s\nstderr: %s"
                     % (" ".join(args), p.returncode, code, p.stdout, p.stderr))
        return p
    return eco


def py(code, env, timeout=120):
    """Run a Python snippet (dedented) in Debian's python3; print its output if it failed."""
    p = subprocess.run(["/usr/bin/python3", "-c", textwrap.dedent(code)], env=env, capture_output=True,
                       text=True, timeout=timeout)
    if p.returncode != 0:
        print(p.stdout, p.stderr)
    return p


def wait_for(pred, what, timeout=60.0, step=0.02):
    """Poll pred() until it returns something true; return that. Past the
    deadline (only a hang reaches it) the test fails, saying what it waited for."""
    deadline = time.monotonic() + timeout
    while True:
        got = pred()
        if got:
            return got
        if time.monotonic() > deadline:
            sys.exit("FAIL: waited %.0f s for %s" % (timeout, what))
        time.sleep(step)


def wait_file(path, proc=None, timeout=60.0):
    """Wait for a file a helper process creates (e.g. the fixture writer's
    --ready); fail at once if that process died first."""
    def there():
        if proc is not None and proc.poll() is not None and not os.path.exists(path):
            sys.exit("FAIL: %s exited %d before creating %s" % (proc.args[1] if len(proc.args) > 1 else proc.args,
                                                                proc.returncode, path))
        return os.path.exists(path)
    wait_for(there, path, timeout)


def realtime():
    """Ask for a real-time priority (as root; else ignored), for a test that
    polls files in step with the fixture writer (which asks for the same)."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(5))
        return True
    except (OSError, AttributeError):
        return False
