#!/usr/bin/env python3
"""Fixture writer: a fake /sys whose sensors move in real time, for e2e tests.

Copies a fixture board (tests/fixtures/<board>, or any directory with sys/ and
proc/) to OUT, then every TICK seconds advances its sensor files as if each
domain drew a known power: RAPL energy_uj counters (wrapping at
max_energy_range_uj + 1, the modulus ecometer uses), amdgpu power/energy files,
Jetson INA3221 rails (iio in_power/in_current/in_voltage, hwmon curr/in; NC and
disabled channels left out, a repeated label named <label>_2 as ecometer does),
Intel GPU energy counters (hwmon i915/xe energy1_input, else energy2_input: uJ,
named intel-gpu-N) and NVIDIA Grace power meters (power_meter power1_average in
uW, on the hwmon or its device/ folder, named <rail>-<socket> from
power1_oem_info: module-0, grace-0, cpu-0, sysio-0). Files
are replaced atomically (write + rename), as a reader would see sysfs change.
At the end (after --duration, or on SIGTERM/SIGINT) it writes the true energy
of every domain to --truth as JSON.

Usage:
  fixture_writer.py --fixture BOARD --out DIR [options]

  --fixture BOARD|PATH     board name under tests/fixtures, or a path
  --out DIR                where the copy goes (must not exist); point
                           ECOMETER_SYSFS_ROOT at DIR/sys, ECOMETER_PROC_ROOT at DIR/proc
  --power DOMAIN=SPEC      power of a domain in watts: "50", or a schedule
                           "50@0,120@2.5" (50 W from t=0 s, 120 W from t=2.5 s;
                           t counts from the start of the writer). Domains are
                           named as ecometer names them: package-0, core-0,
                           dram-1, psys, amdgpu-0, VDD_IN, GPU... A domain
                           without --power keeps --default-power (default 10 W).
  --default-power W
  --tick S                 update period (default 0.01)
  --duration S             stop after S seconds (default: until SIGTERM/SIGINT)
  --max-range DOMAIN=UJ    rewrite max_energy_range_uj (small ranges force many wraps)
  --wrap-at DOMAIN@T       start the counter so it wraps at t=T seconds
  --vanish DOMAIN@T        delete the domain's value file at t=T (for good)
  --garbage DOMAIN@T[:D]   write "garbage" instead of the value from t=T for D s
                           (default one tick), then correct values again
  --backwards DOMAIN@T[:J] at t=T the counter jumps back by J joules (default 1)
                           and goes on from there (a glitch, not energy)
  --truth FILE             JSON written at the end (see below)
  --ready FILE             created once the copy is in place and the first
                           values are written (wait for it before starting ecometer)
  --hold FILE              after --ready, write nothing and keep the clock at
                           t=0 until FILE exists (e.g. the measured command
                           creates it: ecometer has taken its first reading, so
                           a schedule's t counts from inside the run; a test
                           can also change the copy's modes meanwhile, with no
                           rewrite racing it)
  --keep-modes             each rewritten file keeps the mode and owner of the
                           file it replaces (a test can set sysfs permissions on
                           the copy, e.g. the RAPL recipe, and they stay)
  --on-disk                put the copy at OUT itself; by default it lives on
                           tmpfs (/dev/shm, when writable) and OUT is a symlink
                           to it until the writer ends, when the copy, as it
                           stands, moves to OUT (see FAST_ROOT below)

Truth JSON:
  {"t_start": <CLOCK_MONOTONIC s>, "t_end": ..., "duration_s": ...,
   "max_gap_s": <longest time between two update passes: the writer's own stall>,
   "domains": {"package-0": {"type": "counter"|"power", "file": "...",
       "energy_j": <true energy from t_start to t_end>,
       "power_w": [[t_from, watts], ...],   # the schedule actually applied
       "wraps": N, "events": [["vanish", t], ["garbage", t, d], ["backwards", t, j]]}}}
  energy_j is the exact integral of the schedule (for power-type files, of the
  power as written, after the file's integer rounding). t_start/t_end are on
  the monotonic clock ecometer's readings use, so a test can compute the truth
  over its own window from power_w.

Accuracy to expect: a reader sees the value of the last write, so each reading
lags its time stamp by up to one tick plus any delay in scheduling this
process. The kernel's counters never lag, so the writer asks for a real-time
priority (SCHED_FIFO; as root, as the tests run) and otherwise for nice -10:
a few ms then even on a busy 2-core machine, tens of ms (sometimes more)
without it. The copy lives on tmpfs (--on-disk above), as a write + rename on
a disk file system can wait for its journal (140 ms seen under a disk writer,
at real-time priority). Over a window of D seconds at P watts, a lag l is an
error of P x l, l/D relative: for a 1% check, measure for 5-10 s (or more),
not 1 s, or cover the whole of a power pulse (--hold) so that lag cannot
matter. max_gap_s in the truth file bounds every reading's lag, so a figure
off by more than P x max_gap_s is ecometer's error, never the writer's
(tests/e2e/ecotest.py check_power: skip only when the pause explains it).
"""
import argparse
import errno
import json
import os
import shutil
import signal
import sys
import tempfile
import time


KEEP_MODES = False   # --keep-modes: a new file takes the mode and owner of the one it replaces


def atomic_write(path, text):
    tmp = path + ".fw-tmp"
    with open(tmp, "w") as f:
        f.write(text)
    if KEEP_MODES:
        try:
            st = os.stat(path)
            os.chown(tmp, st.st_uid, st.st_gid)
            os.chmod(tmp, st.st_mode & 0o7777)
        except OSError:
            pass
    os.rename(tmp, path)


# Where the copy really lives: tmpfs, so that a write + rename never waits for
# a disk. On ext4 each rename joins the journal, and while the disk is busy
# (another test's history, a build, CI's own I/O) a write here stalled 140 ms
# even at a real-time priority: 14 ticks of lag in every reading. A copy is
# under 1 MB (the largest board, multi-die, 0.5 MB), so even a 64 MB docker
# /dev/shm holds several at once.
FAST_ROOT = "/dev/shm"
FAST_PREFIX = "eco-fw-"


def sweep_stale(root):
    """Remove the copies of writers that died without cleaning up (SIGKILL):
    each holder is named eco-fw-<pid>-..., and a pid that no longer runs a
    process cannot come back to it."""
    try:
        names = os.listdir(root)
    except OSError:
        return
    for n in names:
        parts = n.split("-")
        if not n.startswith(FAST_PREFIX) or len(parts) < 4 or not parts[2].isdigit():
            continue
        try:
            os.kill(int(parts[2]), 0)
        except ProcessLookupError:
            shutil.rmtree(os.path.join(root, n), ignore_errors=True)
        except OSError:
            pass


def place_copy(src, out, fast_root):
    """Copy src to out. When fast_root (tmpfs) is usable the copy goes there
    and out is a symlink to it (readers follow it like any path); returns the
    holder folder to land() at the end, or None for a plain copy at out."""
    if fast_root and os.path.isdir(fast_root) and os.access(fast_root, os.W_OK | os.X_OK):
        sweep_stale(fast_root)
        holder = None
        try:
            holder = tempfile.mkdtemp(prefix="%s%d-" % (FAST_PREFIX, os.getpid()), dir=fast_root)
            os.chmod(holder, 0o755)  # as reachable as a copy in the test's folder (rapl_recipe reads as a user)
            shutil.copytree(src, os.path.join(holder, "tree"))
            os.symlink(os.path.join(holder, "tree"), out)
            return holder
        except OSError as e:
            if holder:
                shutil.rmtree(holder, ignore_errors=True)
            if e.errno not in (errno.ENOSPC, errno.EACCES, errno.EPERM, errno.EROFS):
                raise
            print("fixture_writer: %s: %s; copying to %s instead" % (fast_root, e.strerror, out), file=sys.stderr)
    shutil.copytree(src, out)
    return None


def land(holder, out):
    """At the end the copy moves to out itself, as it stood last, so that a
    test can still read it after the writer stopped, and tmpfs is left clean."""
    if holder is None:
        return
    def copy_owned(src, dst):  # modes and owners too: a test may have set them (the RAPL recipe)
        shutil.copy2(src, dst)
        st = os.stat(src)
        os.chown(dst, st.st_uid, st.st_gid)
        os.chmod(dst, st.st_mode & 0o7777)  # chown clears set-id bits
    try:
        os.unlink(out)
        shutil.copytree(os.path.join(holder, "tree"), out, copy_function=copy_owned)
    finally:
        shutil.rmtree(holder, ignore_errors=True)


def read(path):
    with open(path) as f:
        return f.read().strip()


class Domain:
    def __init__(self, name, kind, **files):
        self.name = name
        self.kind = kind          # rapl, amd-power, amd-energy, iio, hwmon, uw-power, uj-energy
        self.files = files
        self.schedule = []        # [(t, watts)]
        self.energy_j = 0.0       # truth
        self.wraps = 0
        self.events = []
        self.gone = False
        self.garbage_until = -1.0
        self.offset_units = 0.0   # counter value at t=0, in counter units
        self.max_range = 0
        self.unit_j = 1e-6
        self.written_w = None     # last power written (quantized), for truth

    @property
    def counter(self):
        return self.kind in ("rapl", "amd-energy", "uj-energy")

    def value_file(self):
        f = self.files
        return f.get("energy") or f.get("power") or f.get("curr")

    def watts_at(self, t):
        w = self.schedule[0][1]
        for (t0, p) in self.schedule:
            if t >= t0:
                w = p
        return w

    def integral(self, t):
        """Exact energy (J) of the schedule from 0 to t."""
        e = 0.0
        for i, (t0, p) in enumerate(self.schedule):
            t1 = self.schedule[i + 1][0] if i + 1 < len(self.schedule) else float("inf")
            if t <= t0:
                break
            e += p * (min(t, t1) - t0)
        return e


def unique_name(doms, label):
    """A second rail with the same label is <label>_2 (then _3...), as ecometer names it."""
    if not any(x.name == label for x in doms):
        return label
    k = 2
    while any(x.name == "%s_%d" % (label, k) for x in doms):
        k += 1
    return "%s_%d" % (label, k)


def grace_rail(hwmon_dir):
    """(name, power file) of an NVIDIA Grace power meter, or None."""
    for base in (hwmon_dir, os.path.join(hwmon_dir, "device")):
        info = os.path.join(base, "power1_oem_info")
        avg = os.path.join(base, "power1_average")
        if os.path.exists(info) and os.path.exists(avg):
            parts = read(info).split()
            if len(parts) == 4 and parts[1:3] == ["Power", "Socket"] and \
                    parts[0] in ("Module", "Grace", "CPU", "SysIO"):
                return "%s-%s" % (parts[0].lower(), parts[3]), avg
    return None


def discover(sysroot):
    doms = []
    pc = os.path.join(sysroot, "class/powercap")
    if os.path.isdir(pc):
        zones = sorted(z for z in os.listdir(pc) if z.startswith(("intel-rapl:", "intel-rapl-mmio:", "intel-rapl-tpmi:")))
        names = {}
        for z in zones:
            d = os.path.join(pc, z)
            if not os.path.exists(os.path.join(d, "energy_uj")):
                continue
            nm = read(os.path.join(d, "name"))
            names[z] = nm
            parent = z.rsplit(":", 1)[0] if z.count(":") >= 2 else None
            pk = names.get(parent, "") if parent else ""
            if pk.startswith("package-"):
                nm = nm + "-" + pk[len("package-"):]
            if z.startswith("intel-rapl-mmio:") and any(x.name == nm for x in doms):
                nm = nm + "@mmio"   # a duplicate ecometer ignores; still advanced
            dm = Domain(nm, "rapl", energy=os.path.join(d, "energy_uj"), range=os.path.join(d, "max_energy_range_uj"))
            dm.max_range = int(read(dm.files["range"]))
            dm.offset_units = float(read(dm.files["energy"]))
            doms.append(dm)
    hw = os.path.join(sysroot, "class/hwmon")
    if os.path.isdir(hw):
        amd = 0
        for h in sorted(os.listdir(hw), key=lambda s: int(s[5:]) if s[5:].isdigit() else 0):
            d = os.path.join(hw, h)
            try:
                name = read(os.path.join(d, "name"))
            except OSError:
                continue
            if name == "amdgpu":
                for fn, kind in (("energy1_input", "amd-energy"), ("power1_average", "amd-power"), ("power1_input", "amd-power")):
                    p = os.path.join(d, fn)
                    if os.path.exists(p):
                        dm = Domain("amdgpu-%d" % amd, kind, **({"energy": p} if kind == "amd-energy" else {"power": p}))
                        if kind == "amd-energy":
                            dm.offset_units = float(read(p))
                        doms.append(dm)
                        amd += 1
                        break
            elif name == "ina3221":
                for k in range(1, 9):
                    lab = os.path.join(d, "in%d_label" % k)
                    cur = os.path.join(d, "curr%d_input" % k)
                    en = os.path.join(d, "in%d_enable" % k)
                    if not (os.path.exists(lab) and os.path.exists(cur)) or read(lab).startswith("sum of"):
                        continue
                    if read(lab) == "NC" or (os.path.exists(en) and read(en) == "0"):
                        continue  # not connected / switched off: ecometer leaves them out
                    doms.append(Domain(unique_name(doms, read(lab)), "hwmon", curr=cur,
                                       volt=os.path.join(d, "in%d_input" % k)))
            elif name in ("i915", "xe"):
                for fn in ("energy1_input", "energy2_input"):
                    p = os.path.join(d, fn)
                    if os.path.exists(p):
                        n = sum(1 for x in doms if x.name.startswith("intel-gpu-"))
                        dm = Domain("intel-gpu-%d" % n, "uj-energy", energy=p)
                        dm.offset_units = float(read(p))
                        doms.append(dm)
                        break
            elif name == "power_meter":
                grace = grace_rail(d)
                if grace:
                    doms.append(Domain(grace[0], "uw-power", power=grace[1]))
    drv = os.path.join(sysroot, "bus/i2c/drivers/ina3221x")
    if os.path.isdir(drv):
        for dev in sorted(os.listdir(drv)):
            dd = os.path.join(drv, dev)
            if not os.path.isdir(dd):
                continue
            for io in sorted(os.listdir(dd)):
                if not io.startswith("iio:device"):
                    continue
                base = os.path.join(dd, io)
                for k in range(8):
                    rn = os.path.join(base, "rail_name_%d" % k)
                    if os.path.exists(rn):
                        doms.append(Domain(read(rn), "iio", power=os.path.join(base, "in_power%d_input" % k),
                                           curr=os.path.join(base, "in_current%d_input" % k),
                                           volt=os.path.join(base, "in_voltage%d_input" % k)))
    return doms


def parse_at(spec, what):
    if "@" not in spec:
        sys.exit("fixture_writer: %s wants DOMAIN@T, got %r" % (what, spec))
    name, rest = spec.rsplit("@", 1)
    if ":" in rest:
        t, x = rest.split(":", 1)
        return name, float(t), float(x)
    return name, float(rest), None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--power", action="append", default=[])
    ap.add_argument("--default-power", type=float, default=10.0)
    ap.add_argument("--tick", type=float, default=0.01)
    ap.add_argument("--duration", type=float)
    ap.add_argument("--max-range", action="append", default=[])
    ap.add_argument("--wrap-at", action="append", default=[])
    ap.add_argument("--vanish", action="append", default=[])
    ap.add_argument("--garbage", action="append", default=[])
    ap.add_argument("--backwards", action="append", default=[])
    ap.add_argument("--truth")
    ap.add_argument("--ready")
    ap.add_argument("--hold")
    ap.add_argument("--keep-modes", action="store_true")
    ap.add_argument("--on-disk", action="store_true")
    a = ap.parse_args()
    global KEEP_MODES
    KEEP_MODES = a.keep_modes

    src = a.fixture
    if not os.path.isdir(src):
        here = os.path.dirname(os.path.abspath(__file__))
        src = os.path.join(here, "..", "fixtures", a.fixture)
    if not os.path.isdir(os.path.join(src, "sys")):
        sys.exit("fixture_writer: no fixture %r (want a folder with sys/)" % a.fixture)
    if a.tick <= 0:
        sys.exit("fixture_writer: --tick must be > 0")
    if os.path.lexists(a.out):
        sys.exit("fixture_writer: --out %s exists (want a new path)" % a.out)
    holder = place_copy(src, a.out, None if a.on_disk else FAST_ROOT)
    try:
        truth = run(a)
    finally:
        land(holder, a.out)
    if a.truth:  # after land(): a test that waits for the truth finds the copy in place
        tmp = a.truth + ".tmp"
        with open(tmp, "w") as f:
            json.dump(truth, f, indent=1)
        os.rename(tmp, a.truth)
    return 0


def run(a):
    """Discover the copy's domains, apply the options, and write until told to stop."""
    doms = discover(os.path.join(a.out, "sys"))
    by = {d.name: d for d in doms}

    def dom(name, opt):
        if name not in by:
            sys.exit("fixture_writer: %s: no domain %r in %s (have: %s)" % (opt, name, a.fixture, ", ".join(sorted(by))))
        return by[name]

    for d in doms:
        d.schedule = [(0.0, a.default_power)]
    for spec in a.power:
        name, _, sched = spec.partition("=")
        steps = []
        for part in sched.split(","):
            w, _, t = part.partition("@")
            steps.append((float(t) if t else 0.0, float(w)))
        steps.sort()
        if steps[0][0] > 0:
            steps.insert(0, (0.0, a.default_power))
        dom(name, "--power").schedule = steps
    for spec in a.max_range:
        name, _, uj = spec.partition("=")
        d = dom(name, "--max-range")
        if d.kind != "rapl":
            sys.exit("fixture_writer: --max-range: %s is not a RAPL counter" % name)
        d.max_range = int(uj)
        atomic_write(d.files["range"], "%d\n" % d.max_range)
        d.offset_units = d.offset_units % (d.max_range + 1)
    for spec in a.wrap_at:
        name, t, _ = parse_at(spec, "--wrap-at")
        d = dom(name, "--wrap-at")
        if d.kind != "rapl":
            sys.exit("fixture_writer: --wrap-at: %s is not a RAPL counter" % name)
        d.offset_units = (d.max_range + 1) - d.integral(t) / d.unit_j
        if d.offset_units < 0:
            sys.exit("fixture_writer: --wrap-at %s: more than one range before t=%g" % (name, t))
    events = []
    for spec in a.vanish:
        name, t, _ = parse_at(spec, "--vanish")
        events.append((t, "vanish", dom(name, "--vanish"), None))
    for spec in a.garbage:
        name, t, dur = parse_at(spec, "--garbage")
        events.append((t, "garbage", dom(name, "--garbage"), dur if dur is not None else a.tick))
    for spec in a.backwards:
        name, t, j = parse_at(spec, "--backwards")
        d = dom(name, "--backwards")
        if not d.counter:
            sys.exit("fixture_writer: --backwards: %s is not a counter" % name)
        events.append((t, "backwards", d, j if j is not None else 1.0))
    events.sort(key=lambda e: e[0])

    # Readers see the last write: a writer that waits for the CPU makes every
    # reader's values stale (the kernel's counters never are). Ask for a
    # real-time priority, else a higher nice (both work as root, as the tests
    # run; otherwise ignored) so that busy test machines lag less. The writer
    # sleeps between ticks, so it never holds a CPU for long.
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
    except (OSError, AttributeError):
        try:
            os.nice(-10)
        except OSError:
            pass

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    t0 = time.monotonic()
    last_t = {d.name: 0.0 for d in doms}

    def write(d, t):
        if d.gone:
            return
        path = d.value_file()
        if t < d.garbage_until:
            atomic_write(path, "garbage\n")
            return
        if d.counter:
            units = d.offset_units + d.integral(t) / d.unit_j
            if d.kind == "rapl":
                mod = d.max_range + 1
                d.wraps = int(units // mod)
                units = units % mod
            atomic_write(path, "%d\n" % int(units))
            return
        w = d.watts_at(t)
        if d.kind in ("amd-power", "uw-power"):
            q = int(round(w * 1e6))
            atomic_write(path, "%d\n" % q)
            d.written_w = q / 1e6
        elif d.kind == "iio":
            v = int(read(d.files["volt"]))
            mw = int(round(w * 1e3))
            atomic_write(d.files["power"], "%d\n" % mw)
            atomic_write(d.files["curr"], "%d\n" % int(round(mw * 1000.0 / v)) if v else "0\n")
            d.written_w = mw / 1e3
        elif d.kind == "hwmon":
            v = int(read(d.files["volt"]))
            ma = int(round(w * 1e6 / v)) if v else 0
            atomic_write(d.files["curr"], "%d\n" % ma)
            d.written_w = v * ma / 1e6

    def account(t):
        """Truth of power-type domains: the written power held since the last write."""
        for d in doms:
            if not d.counter and d.written_w is not None:
                d.energy_j += d.written_w * (t - last_t[d.name])
            last_t[d.name] = t

    for d in doms:
        write(d, 0.0)
    if a.ready:
        open(a.ready, "w").close()
    while a.hold and not stop and not os.path.exists(a.hold):
        time.sleep(a.tick)  # the clock starts when the test says so
    t0 = time.monotonic()
    last_t = {d.name: 0.0 for d in doms}
    ei = 0
    t = 0.0
    max_gap = 0.0
    next_t = a.tick
    while not stop:
        # Sleep to the next tick on the clock, not a tick after the last write;
        # a writer behind its clock still sleeps a little, so that at a
        # real-time priority it never keeps a CPU from the rest of the machine.
        delay = next_t - (time.monotonic() - t0)
        time.sleep(max(delay, a.tick / 10))
        next_t = max(next_t + a.tick, time.monotonic() - t0)
        prev_t = t
        t = time.monotonic() - t0
        max_gap = max(max_gap, t - prev_t)
        if a.duration is not None and t >= a.duration:
            t = a.duration
        account(t)
        while ei < len(events) and events[ei][0] <= t:
            et, kind, d, x = events[ei]
            ei += 1
            if kind == "vanish":
                d.gone = True
                d.events.append(["vanish", et])
                try:
                    os.unlink(d.value_file())
                except OSError:
                    pass
            elif kind == "garbage":
                d.garbage_until = t + x
                d.events.append(["garbage", et, x])
            elif kind == "backwards":
                d.offset_units -= x / d.unit_j
                d.events.append(["backwards", et, x])
        for d in doms:
            write(d, t)
        if a.duration is not None and t >= a.duration:
            break
    t_end = t0 + t
    for d in doms:
        if d.counter:
            d.energy_j = d.integral(t)
    out = {"t_start": t0, "t_end": t_end, "duration_s": t, "max_gap_s": max_gap, "domains": {}}
    for d in doms:
        out["domains"][d.name] = {
            "type": "counter" if d.counter else "power",
            "file": os.path.relpath(d.value_file(), a.out),
            "energy_j": d.energy_j,
            "power_w": [[s, w] for (s, w) in d.schedule],
            "wraps": d.wraps,
            "events": d.events,
        }
    return out


if __name__ == "__main__":
    sys.exit(main())
