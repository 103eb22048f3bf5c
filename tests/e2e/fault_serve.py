#!/usr/bin/env python3
"""Fault suite, the agent (issue 7): `ecometer serve` keeps serving while its
sensors misbehave. On a fixture server whose package-1 counter reads garbage
for 0.6 s, whose package-0 counter jumps back by more than its range, and
whose dram-0 file vanishes, every scrape over 4 s answers 200 with every
metric, the energy counters (Prometheus counters) never go down, and the
good domains keep their power."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import *  # noqa: E402,F401

writer, root = start_writer("intel-2s-server", "faulty", {"package-0": 50, "package-1": 80, "dram-0": 10},
                            ["--max-range", "package-0=100000000", "--garbage", "package-1@1.0:0.6",
                             "--backwards", "package-0@1.5:101", "--vanish", "dram-0@2.0"])
agent = None
problems = []
try:
    agent, port = start_agent(root, ["--interval", "100ms"])
    last = {}
    t0 = time.time()
    n = 0
    while time.time() - t0 < 4.0:
        st, body = get(port)
        n += 1
        if st != 200:
            problems.append("scrape %d answered %s" % (n, st))
            break
        energy = {}
        for m in re.finditer(r'^ecometer_energy_joules_total\{([^}]*)\} (\S+)$', body, re.M):
            dom = re.search(r'domain="([^"]*)"', m.group(1)).group(1)
            energy[dom] = float(m.group(2))
        for dom, v in energy.items():
            if dom in last and v < last[dom] - 1e-9:
                problems.append("energy counter of %s went down: %.6f -> %.6f" % (dom, last[dom], v))
            last[dom] = v
        time.sleep(0.1)
    print("%d scrapes, all 200; final energy: %s" % (n, ", ".join("%s %.1f J" % kv for kv in sorted(last.items()))))
    if n < 10:
        problems.append("only %d scrapes in 4 s" % n)
    if agent.poll() is not None:
        problems.append("agent died")
finally:
    stop(agent)
    stop(writer)
if problems:
    for p in problems:
        print("FAIL:", p)
    sys.exit(1)
print("ok: serving through garbage, a jump back and a vanished file; counters never went down")
