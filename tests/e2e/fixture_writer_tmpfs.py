#!/usr/bin/env python3
"""Where the fixture writer (tests/tools/fixture_writer.py) keeps its copy:
on tmpfs (/dev/shm) while it runs, --out a symlink to it, so that its
100 write + rename a second never wait for a disk journal; at the end the
copy, as it stands, with the modes and owners a test gave it, moves to --out
and /dev/shm is left clean; a copy left by a writer killed with SIGKILL is
swept by the next writer; --on-disk keeps the copy at --out. Skips where
/dev/shm is not a writable folder (the writer then copies to --out)."""
import grp
import json
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecotest  # noqa: E402

SRC = ecotest.SRC
TMP = ecotest.TMP
WRITER = os.path.join(SRC, "tests", "tools", "fixture_writer.py")
SHM = "/dev/shm"
if not (os.path.isdir(SHM) and os.access(SHM, os.W_OK | os.X_OK)):
    ecotest.skip("/dev/shm is not a writable folder here")
ZONE = os.path.join("sys", "class", "powercap", "intel-rapl:0", "energy_uj")


def start(name, *extra):
    out = os.path.join(TMP, name)
    w = subprocess.Popen([sys.executable, WRITER, "--fixture", "intel-2s-server", "--out", out, "--power",
                          "package-0=50", "--ready", out + ".ready", "--truth", out + ".truth", *extra])
    ecotest.wait_file(out + ".ready", w)
    return w, out


def holders(pid):
    return [n for n in os.listdir(SHM) if n.startswith("eco-fw-%d-" % pid)]


def stop(w):
    w.send_signal(signal.SIGTERM)
    return w.wait(timeout=30)


# 1. while it runs: --out is a symlink into a holder of this writer's on /dev/shm
w, out = start("fx")
real = os.path.realpath(out)
ecotest.check(os.path.islink(out) and real.startswith(SHM + "/eco-fw-%d-" % w.pid),
              "--out %s is a symlink to the copy on tmpfs (%s)" % (out, real))
first = int(open(os.path.join(out, ZONE)).read())
ecotest.wait_for(lambda: int(open(os.path.join(out, ZONE)).read()) > first, "the counter to move through the symlink")
# a test sets a mode and a group on the copy (as tests/e2e/rapl_recipe.py does)
gid = grp.getgrnam("nogroup").gr_gid if "nogroup" in [g.gr_name for g in grp.getgrall()] else 0
os.chown(os.path.join(out, "sys", "class", "powercap", "intel-rapl:0", "name"), 0, gid)
os.chmod(os.path.join(out, "sys", "class", "powercap", "intel-rapl:0", "name"), 0o640)

# 2. at the end: the copy is at --out itself, as it stood, and tmpfs is clean
ecotest.check(stop(w) == 0, "the writer ended cleanly on SIGTERM")
ecotest.check(os.path.isdir(out) and not os.path.islink(out), "the copy moved to --out")
ecotest.check(not holders(w.pid), "no holder of its left on /dev/shm: %s" % holders(w.pid))
last = int(open(os.path.join(out, ZONE)).read())
truth = json.load(open(out + ".truth"))
start_uj = int(open(os.path.join(SRC, "tests", "fixtures", "intel-2s-server", ZONE)).read())
want = start_uj + truth["domains"]["package-0"]["energy_j"] * 1e6
ecotest.check(last > first and abs(last - want) <= 1, "the landed counter is the last one written: %d uJ, the "
              "fixture's start + the truth's %.6f J = %.0f uJ" % (last, truth["domains"]["package-0"]["energy_j"], want))
st = os.stat(os.path.join(out, "sys", "class", "powercap", "intel-rapl:0", "name"))
ecotest.check((st.st_mode & 0o777, st.st_gid) == (0o640, gid), "mode and group kept: %o %d" % (st.st_mode & 0o777,
                                                                                               st.st_gid))

# 3. a writer killed with SIGKILL leaves its holder; the next writer sweeps it
k, kout = start("killed")
kpid = k.pid
k.kill()
k.wait()
ecotest.check(len(holders(kpid)) == 1, "a SIGKILLed writer leaves its holder (%s)" % holders(kpid))
w2, out2 = start("next")
ecotest.check(not holders(kpid), "the next writer swept it")
stop(w2)

# 4. --on-disk: the copy at --out, nothing on tmpfs
w3, out3 = start("disk", "--on-disk")
ecotest.check(os.path.isdir(out3) and not os.path.islink(out3) and not holders(w3.pid),
              "--on-disk: the copy at --out itself")
stop(w3)
ecotest.finish("ok: the writer's copy lives on tmpfs, lands at --out, and leaves nothing behind")
