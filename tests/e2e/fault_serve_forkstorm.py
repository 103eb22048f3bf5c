#!/usr/bin/env python3
"""Fault suite, the agent under a fork storm (issue 16): the per-process table
must forget processes that are gone. On a fixture /proc, batches of 800
short-lived processes (fake /proc/PID/stat entries, each batch replaced every
0.5 s) go by for 20 s: about 30,000 distinct processes, 16,000 of them seen
by the agent's once-a-second scan. The agent's resident memory may not grow
by more than 1.5 MiB between the warm-up and the end (before the fix it grew
by about 6 MiB, 400 bytes per process ever seen), and it keeps answering."""
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import *  # noqa: E402,F401

BATCH = 800
SECONDS = 20.0


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def spawn(proc_root, first_pid):
    pids = []
    for k in range(BATCH):
        pid = first_pid + k
        d = os.path.join(proc_root, str(pid))
        os.mkdir(d)
        with open(os.path.join(d, "stat"), "w") as f:
            f.write("%d (job-%d) S 1 1 1 0 -1 0 0 0 0 0 %d %d 0 0 20 0 1 0 100 0 0\n"
                    % (pid, pid % 97, 5 + k % 7, 2))
        pids.append(d)
    return pids


writer, root = start_writer("intel-2s-server", "forkstorm", {"package-0": 60, "package-1": 40, "dram-0": 8})
agent = None
problems = []
proc_root = os.path.join(root, "proc")
try:
    extra = None
    if os.environ.get("ECO_SANITIZE") == "1":
        # AddressSanitizer keeps freed memory in quarantine (up to 256 MB) to
        # catch use after free: that would be measured as growth here.
        extra = {"ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") +
                 ":quarantine_size_mb=0:thread_local_quarantine_size_kb=0"}
    agent, port = start_agent(root, ["--interval", "200ms"], extra)
    next_pid, alive, seen = 100000, [], 0
    t0 = time.time()
    warm = None
    peak = 0
    while time.time() - t0 < SECONDS:
        for d in alive:
            shutil.rmtree(d, ignore_errors=True)
        alive = spawn(proc_root, next_pid)
        next_pid += BATCH
        seen += BATCH
        time.sleep(0.5)
        if warm is None and time.time() - t0 >= 3.0:
            warm = rss_kib(agent.pid)
        peak = max(peak, rss_kib(agent.pid))
    end = rss_kib(agent.pid) if agent.poll() is None else 0
    try:
        st, body = get(port)
    except Exception as e:
        st, body = repr(e), ""
    print("%d short-lived processes in %.0f s; agent RSS %d KiB after warm-up, %d KiB at the end "
          "(peak %d KiB)" % (seen, SECONDS, warm, end, peak))
    if st != 200 or "ecometer_process_energy_joules_total" not in body:
        problems.append("scrape after the storm answered %s" % st)
    if end - warm > 1536:
        problems.append("resident memory grew by %d KiB under the fork storm" % (end - warm))
    if agent.poll() is not None:
        problems.append("agent died (exit %s): %s" % (agent.returncode, agent.stderr.read()[-1500:]))
finally:
    stop(agent)
    stop(writer)
if problems:
    for p in problems:
        print("FAIL:", p)
    sys.exit(1)
print("ok: memory flat under a fork storm")
