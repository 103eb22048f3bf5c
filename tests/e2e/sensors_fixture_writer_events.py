#!/usr/bin/env python3
"""The fixture writer's fault events do what the meter's tests rely on:
--garbage writes a non-number for a while then numbers again, --backwards makes
a counter go down (without a wrap), --vanish removes the file for good, and the
truth file records each event with the true energy (unchanged by glitches).

Times are the writer's own (its truth file's t_start, on the same monotonic
clock), not the moment this reader noticed --ready: on a loaded machine that
can come late. The reader's longest pause between two looks bounds when it can
see an event, as the writer's max_gap_s bounds when it makes one."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecotest  # noqa: E402

ecotest.realtime()  # look at the files in step with the writer (which asks for the same)
src = os.environ["ECOMETER_SRC"]
tmp = os.environ["ECO_TEST_TMPDIR"]
fw = os.path.join(src, "tests/tools/fixture_writer.py")
out = os.path.join(tmp, "root")
truth = os.path.join(tmp, "truth.json")
ready = os.path.join(tmp, "ready")
p = subprocess.Popen([sys.executable, fw, "--fixture", "intel-2s-server", "--out", out,
                      "--tick", "0.005", "--duration", "2.0",
                      "--power", "package-0=40", "--power", "package-1=40", "--power", "dram-0=5",
                      "--garbage", "package-1@0.6:0.4", "--backwards", "package-0@0.8:20",
                      "--vanish", "dram-0@1.0", "--truth", truth, "--ready", ready])
ecotest.wait_file(ready, p)
pc = os.path.join(out, "sys/class/powercap")


def val(z):
    try:
        with open(os.path.join(pc, z, "energy_uj")) as f:
            return f.read().strip()
    except FileNotFoundError:
        return None


seen_garbage = seen_after = False
pkg0 = []
dram_gone_at = None
looks = []
while p.poll() is None:  # until the writer's --duration is over
    t = time.monotonic()  # made relative to the writer's t_start below
    looks.append(t)
    g = val("intel-rapl:1")
    if g == "garbage":
        seen_garbage = True
    elif seen_garbage and g is not None and g.isdigit():
        seen_after = True
    v = val("intel-rapl:0")
    if v is not None and v.isdigit():
        pkg0.append((t, int(v)))
    if dram_gone_at is None and val("intel-rapl:0:1") is None:
        dram_gone_at = time.monotonic()  # after the look that found it gone
    time.sleep(0.01)
if p.wait(timeout=10) != 0:
    sys.exit("FAIL: writer exit %d" % p.returncode)
j = json.load(open(truth))
t_start = j["t_start"]
pkg0 = [(t - t_start, v) for t, v in pkg0]
if dram_gone_at is not None:
    dram_gone_at -= t_start
pause = max(b - a for a, b in zip(looks, looks[1:]))  # this reader's longest pause between two looks
fails = []
if not seen_garbage:
    fails.append("no garbage seen on package-1")
if not seen_after:
    fails.append("package-1 did not come back after the garbage")
gap = j["max_gap_s"]   # the writer's own stall, if the machine is busy
drops = [(a, b) for a, b in zip(pkg0, pkg0[1:]) if b[1] < a[1]]
if len(drops) != 1:
    fails.append("package-0 should go down exactly once, went down %d times" % len(drops))
else:
    (ta, va), (tb, vb) = drops[0]
    # 20 J back, minus what 40 W added between the two values seen
    # (written within [ta - gap, tb]), with 2 J of slack.
    drop = va - vb
    if not (0 < drop <= 20e6 and drop >= 20e6 - 40e6 * (tb - ta + gap) - 2e6):
        fails.append("backwards jump of %d uJ, want about 20 J (seen over %.3f s, writer gap %.3f s)"
                     % (drop, tb - ta, gap))
# removed at the writer's first pass at or after 1.0 s (within its gap), seen
# at this reader's first look after that (within its pause)
if dram_gone_at is None or not (1.0 <= dram_gone_at <= 1.0 + gap + pause):
    fails.append("dram-0 vanished at %s, want 1.0 s to 1.0 + %.3f s (writer gap) + %.3f s (reader pause)"
                 % (dram_gone_at, gap, pause))
d = j["domains"]
if abs(d["package-0"]["energy_j"] - 40 * j["duration_s"]) > 1e-6:
    fails.append("package-0 truth %g" % d["package-0"]["energy_j"])
if [e[0] for e in d["package-0"]["events"]] != ["backwards"]:
    fails.append("package-0 events %s" % d["package-0"]["events"])
if [e[0] for e in d["package-1"]["events"]] != ["garbage"]:
    fails.append("package-1 events %s" % d["package-1"]["events"])
if [e[0] for e in d["dram-0"]["events"]] != ["vanish"]:
    fails.append("dram-0 events %s" % d["dram-0"]["events"])
if fails:
    print("FAIL: " + "; ".join(fails))
    sys.exit(1)
print("ok")
