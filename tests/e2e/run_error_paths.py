#!/usr/bin/env python3
"""Every way `ecometer run` can fail before or while starting the command
ends with its exit status and message and leaves nothing behind: no leaked
meter, socket or history (issue 12: early returns leaked them). Each case is
run as is, and under valgrind's leak check when valgrind is installed; under
`make check-sanitize` the binary is built with LeakSanitizer, whose report
fails the case too. The file-descriptor limit cases make signalfd (limit 4)
and the sampling timer (limit 5) fail after the meter and the marker socket
are open."""
import os
import resource
import shutil
import subprocess
import sys

BIN = os.environ["ECOMETER_BIN"]
SRC = os.environ["ECOMETER_SRC"]
TMP = os.environ["ECO_TEST_TMPDIR"]
board = os.path.join(SRC, "tests", "fixtures", "amd-epyc")
noexec = os.path.join(TMP, "not-executable")
open(noexec, "w").close()
env = dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(board, "sys"), ECOMETER_PROC_ROOT=os.path.join(board, "proc"),
           ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1", ECOMETER_DB=os.path.join(TMP, "h.db"),
           XDG_STATE_HOME=TMP)
CASES = [  # (name, args, fd limit or None, exit status, stderr must contain)
    ("unknown option", ["--bogus", "--", "true"], None, 2, "unknown option --bogus"),
    ("no command", ["--quiet"], None, 2, "no command to run"),
    ("unknown region", ["--region", "nowhere", "--", "true"], None, 2, "unknown region 'nowhere'"),
    ("intensity out of range", ["--carbon-intensity", "3000", "--", "true"], None, 2, "0..2000"),
    ("JSON file unwritable", ["--json", os.path.join(TMP, "no", "such", "dir.json"), "--", "true"], None, 2,
     "cannot write the JSON file"),
    ("command not found", ["--", os.path.join(TMP, "no-such-command")], None, 127, "cannot run"),
    ("command not executable", ["--", noexec], None, 126, "cannot run"),
    ("history unusable", ["--db", "/proc/no/such/h.db", "--", "true"], None, 0, "will not be kept in the history"),
    # the fds before them: 0-2, the marker socket's folder (kept open to clean it without
    # following links, issue 16) and the socket; so 5 leaves none for the signalfd, 6 none for the timer
    ("signalfd fails", ["--no-history", "--", "true"], 5, 1, "cannot set up signal handling"),
    ("sampling timer fails", ["--no-history", "--", "true"], 6, 1, "cannot create the sampling timer"),
]
VALGRIND = shutil.which("valgrind") if not os.environ.get("ECO_SANITIZE") else None
failures = []


def limit(n):
    return (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))) if n else None


def under_valgrind(args, nofile, want_rc, want_err):
    """valgrind's report of one case, or None when it could not be reached.
    valgrind keeps a dozen descriptors of its own below the limit, so the
    limit cases are searched a little higher for the one that fails alike."""
    limits = [None] if nofile is None else range(nofile + 8, nofile + 18)
    for n in limits:
        v = subprocess.run([VALGRIND, "-q", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect",
                            "--show-leak-kinds=definite,indirect", "--error-exitcode=99", BIN, "run", "-q"] + args,
                           env=env, capture_output=True, text=True, timeout=300, preexec_fn=limit(n))
        # under valgrind posix_spawn is a plain fork: a failed exec is the child's 127/126, without message
        if want_err in v.stderr or (nofile is None and v.returncode in (want_rc, 127)):
            return v
    return None


for name, args, nofile, want_rc, want_err in CASES:
    case_env = env
    if nofile and os.environ.get("ECO_SANITIZE"):  # LeakSanitizer cannot read /proc with no descriptor left
        case_env = dict(env, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    p = subprocess.run([BIN, "run", "-q"] + args, env=case_env, capture_output=True, text=True, timeout=60,
                       preexec_fn=limit(nofile))
    if p.returncode != want_rc or want_err not in p.stderr:
        failures.append("%s: exit %d (want %d), stderr %r" % (name, p.returncode, want_rc, p.stderr[-400:]))
    if "LeakSanitizer" in p.stderr or "AddressSanitizer" in p.stderr:
        failures.append("%s: sanitizer report:\n%s" % (name, p.stderr[-3000:]))
    if VALGRIND:
        v = under_valgrind(args, nofile, want_rc, want_err)
        if v is None:
            failures.append("%s: not reached under valgrind" % name)
        elif v.returncode == 99 or "definitely lost" in v.stderr or "indirectly lost" in v.stderr:
            failures.append("%s: valgrind finds a leak:\n%s" % (name, v.stderr[-3000:]))
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: %d error paths of run: exit status, message, no leak%s" %
      (len(CASES), " (valgrind)" if VALGRIND else " (LeakSanitizer)" if os.environ.get("ECO_SANITIZE") else ""))
