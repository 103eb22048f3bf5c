#!/usr/bin/env python3
"""The hour of `monitor` behind bench/checkpoint_hour.sh, and its figures.

  checkpoint_hour.py run OUTDIR MINUTES   run OUTDIR/ecometer, trace it
  checkpoint_hour.py report OUTDIR        CPU per checkpoint, RSS, rusage
"""
import json, os, statistics, subprocess, sys, threading, time

FIXTURE = "tests/fixtures/intel-2s-server"


def trace_later(out, pid, name, start_s, length_s, t0):
    """cpu_trace from start_s to start_s + length_s after t0."""
    time.sleep(max(0.0, t0 + start_s - time.monotonic()))
    with open(os.path.join(out, name), "w") as f:
        subprocess.run([os.path.join(out, "cpu_trace"), str(pid), os.path.join(out, "db"), str(length_s)],
                       stdout=f, check=False)


def rss_log(out, pid, stop):
    with open(os.path.join(out, "rss.log"), "w") as f:
        while not stop.wait(60):
            try:
                st = open("/proc/%d/status" % pid).read()
            except OSError:
                return
            kv = dict(l.split(":", 1) for l in st.splitlines() if ":" in l)
            f.write("%.0f %s %s %s\n" % (time.monotonic(), kv["VmRSS"].split()[0], kv["VmHWM"].split()[0],
                                         open("/proc/loadavg").read().split()[0]))
            f.flush()


def run(out, minutes):
    os.makedirs(os.path.join(out, "db"), exist_ok=True)
    os.makedirs(os.path.join(out, "state"), exist_ok=True)
    env = dict(os.environ, ECOMETER_SYSFS_ROOT=FIXTURE + "/sys", ECOMETER_PROC_ROOT=FIXTURE + "/proc",
               XDG_STATE_HOME=os.path.join(out, "state"), XDG_DATA_HOME=os.path.join(out, "state"))
    cmd = [os.path.join(out, "ecometer"), "monitor", "--interval", "100ms", "--duration", "%dm" % (minutes + 1),
           "--db", os.path.join(out, "db", "history.db")]
    meta = {"cmd": cmd, "fixture": FIXTURE, "minutes": minutes, "start_utc": time.strftime("%Y-%m-%d %H:%M:%S"),
            "load_start": open("/proc/loadavg").read().split()[:3]}
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(out, "summary.txt"), "w"))
    meta["t0"] = t0
    json.dump(meta, open(os.path.join(out, "meta.json"), "w"))
    stop = threading.Event()
    ths = [threading.Thread(target=trace_later, args=(out, p.pid, "trace-first.txt", 55, 70, t0)),
           threading.Thread(target=trace_later, args=(out, p.pid, "trace-last.txt", (minutes - 1) * 60 - 5, 70, t0)),
           threading.Thread(target=rss_log, args=(out, p.pid, stop))]
    for t in ths:
        t.start()
    _, status, ru = os.wait4(p.pid, 0)
    stop.set()
    for t in ths:
        t.join()
    meta.update(wall_s=time.monotonic() - t0, status=status, utime=ru.ru_utime, stime=ru.ru_stime,
                maxrss_kb=ru.ru_maxrss, end_utc=time.strftime("%Y-%m-%d %H:%M:%S"),
                load_end=open("/proc/loadavg").read().split()[:3])
    json.dump(meta, open(os.path.join(out, "meta.json"), "w"))


def iterations(path, gap_ns=30e6):
    """The loop's iterations in a trace: bursts of CPU separated by at least
    gap_ns without any, each (start, end, cpu_ns, wrote)."""
    its, writes, prev_t, prev_c = [], [], None, None
    for line in open(path):
        kind, t, v = line.split()[:3]
        t = int(t)
        if kind == "w":
            writes.append(t)
            continue
        c = int(v)
        if prev_c is not None:
            if not its or t - prev_t >= gap_ns:
                its.append([t, t, c - prev_c, False])
            else:
                its[-1][1] = t
                its[-1][2] += c - prev_c
        prev_t, prev_c = t, c
    for w in writes:  # a write belongs to the iteration around it
        for it in its:
            if it[0] - 2e6 <= w <= it[1] + 2e6:
                it[3] = True
    return its


def minute_figures(out, name, t0, lo_s):
    its = [i for i in iterations(os.path.join(out, name)) if lo_s <= (i[0] / 1e9 - t0) < lo_s + 60]
    ck = [i[2] / 1e6 for i in its if i[3]]
    plain = [i[2] / 1e6 for i in its if not i[3]]
    med = statistics.median(plain)
    return {"minute": int(lo_s // 60), "iterations": len(its), "checkpoints": len(ck),
            "sample_ms": med, "checkpoint_ms": [round(c, 3) for c in ck],
            "checkpoint_minus_sample_ms": statistics.median(ck) - med,
            "cpu_pct": 100 * sum(i[2] for i in its) / 1e9 / 60}


def report(out):
    m = json.load(open(os.path.join(out, "meta.json")))
    print("%s, %s to %s UTC, load %s at the start" % (" ".join(m["cmd"][1:]), m["start_utc"], m.get("end_utc", "?"),
                                                      " ".join(m["load_start"])))
    for name, lo in (("trace-first.txt", 60), ("trace-last.txt", (m["minutes"] - 1) * 60)):
        if not os.path.exists(os.path.join(out, name)) or not os.path.getsize(os.path.join(out, name)):
            continue
        f = minute_figures(out, name, m["t0"], lo)
        print("minute %d to %d: %d iterations, %d checkpoints; CPU of an iteration with a checkpoint: median %.3f ms "
              "(min %.3f, max %.3f), without: median %.3f ms; a checkpoint adds %.3f ms; the minute's CPU: %.3f %% "
              "of a core" % (f["minute"], f["minute"] + 1, f["iterations"], f["checkpoints"], statistics.median(f["checkpoint_ms"]),
                             min(f["checkpoint_ms"]), max(f["checkpoint_ms"]), f["sample_ms"],
                             f["checkpoint_minus_sample_ms"], f["cpu_pct"]))
        print("  each checkpoint's iteration (ms): %s" % ", ".join("%.3f" % c for c in f["checkpoint_ms"]))
    if os.path.exists(os.path.join(out, "rss.log")):
        rows = [l.split() for l in open(os.path.join(out, "rss.log"))]
        if rows:
            print("RSS (kB) at minutes 1, 2, 10, 30, last: %s; load average per minute: %s to %s" % (
                ", ".join(rows[i][1] for i in (0, 1, 9, 29, -1) if i < len(rows)),
                min(float(r[3]) for r in rows), max(float(r[3]) for r in rows)))
    if "maxrss_kb" in m:
        print("whole run: %.1f s wall, CPU %.2f s user + %.2f s system = %.3f %% of a core, max RSS %d kB, "
              "exit status %d" % (m["wall_s"], m["utime"], m["stime"], 100 * (m["utime"] + m["stime"]) / m["wall_s"],
                                  m["maxrss_kb"], m["status"] >> 8))


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], int(sys.argv[3]))
    else:
        report(sys.argv[2])
