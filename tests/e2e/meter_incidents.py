#!/usr/bin/env python3
"""Incidents during a run, end to end: on the fixture server a RAPL counter
that jumps backwards (one interval dropped, reported), a value file that
holds garbage for a while (a gap, bridged exactly by the counter), a domain
whose file disappears (reported, energy kept until then); with the stand-in
NVML library a GPU lost mid-run (reported, the other GPU measured on).

On a slow machine (a sanitizer build starts ecometer late; samples come late)
nothing here depends on seconds of wall time: the writer's clock (its events
at 1.0 and 1.5 s) starts when the measured command starts, after ecometer's
first reading; gaps are compared with the sample intervals ecometer
recorded, energies with the time it covered."""
import json
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecotest  # noqa: E402

SRC = os.environ["ECOMETER_SRC"]
BIN = os.environ["ECOMETER_BIN"]
BUILD = os.environ.get("ECOMETER_BUILD", os.path.join(SRC, "build"))
TMP = os.environ["ECO_TEST_TMPDIR"]
failures = []


def expect(cond, msg):
    if not cond:
        failures.append(msg)


out = os.path.join(TMP, "srv")
w = subprocess.Popen([sys.executable, os.path.join(SRC, "tests", "tools", "fixture_writer.py"),
                      "--fixture", "intel-2s-server", "--out", out, "--default-power", "0",
                      "--power", "package-0=100", "--power", "dram-0=20", "--power", "package-1=50", "--power", "core-0=10", "--power", "core-1=10",
                      "--backwards", "package-0@1.0:50", "--garbage", "dram-0@1.0:0.15", "--vanish", "package-1@1.5",
                      "--ready", out + ".ready", "--hold", out + ".go", "--truth", out + ".truth"])
try:
    ecotest.wait_file(out + ".ready", w)
    env = dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(out, "sys"), XDG_STATE_HOME=TMP,
               ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1")
    env.pop("ECOMETER_SOCKET", None)
    env.pop("ECOMETER_PROC_ROOT", None)
    j = os.path.join(TMP, "srv.json")
    p = subprocess.run([BIN, "run", "--no-history", "--interval", "50ms", "--json", j, "--",
                        "sh", "-c", 'touch "$1"; exec sleep 2.5', "sh", out + ".go"],
                       env=env, capture_output=True, text=True, timeout=60)
finally:
    w.send_signal(signal.SIGTERM)
    w.wait(timeout=10)
expect(p.returncode == 0, "server run: %d %s" % (p.returncode, p.stderr))
run = json.load(open(j))
d = {x["name"]: x for x in run["domains"]}
pk, dr, p1 = d["package-0"], d["dram-0"], d["package-1"]
# The writer's clock started when the command ran, after ecometer's first
# reading; before it the counters stood still, and a writer stalled on a busy
# disk (its truth's max_gap_s) leaves every counter stale alike. So each
# domain is compared with the core of its socket (10 W, no incident, read
# right after its package) over the same samples: a ratio of two domains in
# one run, whatever the machine's speed. One writer pass can still fall
# between the two reads of a sample (more likely in a slow sanitizer build):
# at each end of a compared stretch that moves one domain ahead by at most
# what the writer's longest pass interval adds (slack below).
stall = json.load(open(out + ".truth"))["max_gap_s"]


def slack(watts, ends):
    return ends * watts * stall


def steps(dom):
    """[(t, seconds since the previous point, W)] of a domain's series."""
    pts = dom["series"]
    return [(t, t - (pts[k - 1][0] if k else 0.0), w) for k, (t, w) in enumerate(pts)]


def ref_energy(ref, times):
    """The reference's energy over the intervals ending at these sample times (the nearest of its own)."""
    total = 0.0
    for t in times:
        _, dt, w = min(ref, key=lambda r: abs(r[0] - t))
        total += dt * w
    return total


ref = steps(d["core-0"])


# the longest interval between two samples, as ecometer recorded it on a
# domain without incidents
longest = max(dt for _, dt, _ in ref)
# backwards: reported, one interval dropped, the rest measured at 100 W
expect("backwards" in pk["note"], "package-0 note: %r" % pk["note"])
expect(0 < pk["gap_s"] <= longest + 1e-6, "package-0 gap %.3f s, not one interval (the longest was %.3f s)"
       % (pk["gap_s"], longest))
want = 10 * ref_energy(ref, [t for t, _, _ in steps(pk)])
expect(abs(pk["energy_j"] - want) <= 0.03 * want + slack(100, 3), "package-0 %.2f J, 10 x core-0 over its "
       "intervals: %.2f J (100 W; writer stall %.3f s)" % (pk["energy_j"], want, stall))
# garbage: a gap the counter bridges: the energy is all there. The gap spans
# the writer's 0.15 s of garbage (longer if the writer stalled meanwhile), and
# at most an interval on either side.
expect(0.1 <= dr["gap_s"] <= 0.15 + stall + 2 * longest, "dram-0 gap %.3f s (0.15 s of garbage; intervals up to "
       "%.3f s; writer stall %.3f s)" % (dr["gap_s"], longest, stall))
want = 2 * d["core-0"]["energy_j"]
expect(abs(dr["energy_j"] - want) <= 0.03 * want + slack(20, 1), "dram-0 %.2f J, 2 x core-0: %.2f J (20 W through "
       "the gap)" % (dr["energy_j"], want))
# vanished file: no reading since ~1.5 s, the energy until then kept (50 W:
# 5 x core-1 until its last reading), and its readings ended before the
# other domains' did
expect("no reading" in p1["note"] or "vanished" in p1["note"], "package-1 note: %r" % p1["note"])
read_until = p1["series"][-1][0] if p1["series"] else 0
want = 5 * ref_energy(steps(d["core-1"]), [t for t, _, _ in steps(p1)])
expect(abs(p1["energy_j"] - want) <= 0.03 * want + slack(50, 1),
       "package-1 energy %.2f J, 5 x core-1 until its last reading (%.3f s): %.2f J" % (p1["energy_j"], read_until,
                                                                                     want))
expect(0 < read_until < ref[-1][0], "package-1 read until %.3f s of a %.3f s run" % (read_until, ref[-1][0]))

lib = os.path.join(BUILD, "tests", "libnvml-standin.so")
if os.path.exists(lib):
    env = dict(os.environ, ECOMETER_SYSFS_ROOT=os.path.join(SRC, "tests", "fixtures", "intel-2s-server", "sys"),
               XDG_STATE_HOME=TMP, ECOMETER_NVML_LIB=lib, NVML_STANDIN_GPUS="2",
               NVML_STANDIN_POWER_MW="120000,80000", NVML_STANDIN_LOST="1:15")
    env.pop("ECOMETER_SOCKET", None)
    j = os.path.join(TMP, "gpu.json")
    p = subprocess.run([BIN, "run", "--no-history", "--interval", "50ms", "--json", j, "--", "sleep", "1.5"],
                       env=env, capture_output=True, text=True, timeout=60)
    expect(p.returncode == 0, "nvml run: %d %s" % (p.returncode, p.stderr))
    doms = {x["name"]: x for x in json.load(open(j))["domains"]}
    g = {n: x for n, x in doms.items() if x["kind"] == "gpu"}
    expect(sorted(g) == ["gpu-0", "gpu-1"], "GPU domains %s" % sorted(g))
    if sorted(g) == ["gpu-0", "gpu-1"]:
        # the stand-in loses gpu-1 after 15 calls, however long they took:
        # compared with the time each GPU was measured, as ecometer recorded it
        g0, g1 = g["gpu-0"], g["gpu-1"]
        cov0 = g0["energy_j"] / g0["avg_w"] if g0["avg_w"] else 0
        cov1 = g1["energy_j"] / g1["avg_w"] if g1["avg_w"] else 0
        expect(g1["note"] != "", "lost GPU not reported: %r" % g1["note"])
        expect(g1["energy_j"] > 0 and abs(g1["avg_w"] - 80) <= 0.8, "gpu-1 %.2f J at %.2f W (80 W) before it was lost"
               % (g1["energy_j"], g1["avg_w"]))
        expect(abs(g0["avg_w"] - 120) <= 1.2, "gpu-0 average %.2f W (120 W)" % g0["avg_w"])
        # gpu-0 measured on to the run's last sample, after gpu-1 was lost
        n0, n1, ncpu = len(g0["series"]), len(g1["series"]), len(doms["core-0"]["series"])
        expect(cov0 > cov1 and n1 < n0 == ncpu, "gpu-0 measured %.2f s (%d samples), gpu-1 (lost) %.2f s (%d), "
               "the run %d samples" % (cov0, n0, cov1, n1, ncpu))
else:
    print("skip nvml part: %s not built" % lib)

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: backwards counter, garbage, vanished file, lost GPU: reported, and measured around")
