#!/usr/bin/env python3
"""ecometer's own CPU while it samples (bench/overhead.sh): each binary given
runs the same command at once, REPEATS times; its CPU (user + system, from
wait4's rusage: an upper bound, the child `sleep`'s own ~1 ms is in it) per
second of run (% of one core) and per sample ((CPU - the median CPU of
`run -- true`, the start-up) / (seconds / interval)); medians over the runs.

usage: overhead.py SECONDS REPEATS BINARY...   (env as set by overhead.sh)
"""
import os, statistics, subprocess, sys, time

FIX = os.environ.get("FIXTURE", "tests/fixtures/intel-2s-server")
STANDIN = os.environ.get("NVML_STANDIN", "build/tests/libnvml-standin.so")
GPU_ENV = {"ECOMETER_NVML_LIB": STANDIN, "NVML_STANDIN_GPUS": "2", "NVML_STANDIN_POWER_MW": "150000,90000",
           "NVML_STANDIN_NO_ENERGY": "1"}  # gpu-0 with its energy counter, gpu-1 power only


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def at_once(cmds, env):
    """Start every command together; (cpu_s, wall_s, stderr) of each."""
    t0 = time.monotonic()
    ps = [subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for c in cmds]
    out = []
    for p in ps:
        err = p.stderr.read()
        _, _, ru = os.wait4(p.pid, 0)
        out.append((ru.ru_utime + ru.ru_stime, time.monotonic() - t0, err))
    return out


def domains(err):
    """Domains in the record's CSV summary (one "domain," row each)."""
    return sum(1 for l in err.splitlines() if l.startswith("domain,"))


def main():
    secs, rep, bins = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    base = dict(os.environ, ECOMETER_SYSFS_ROOT=FIX + "/sys")
    base.pop("ECOMETER_NVML_LIB", None)
    gpu = dict(base, **GPU_ENV) if os.path.exists(STANDIN) else None
    start = [[] for _ in bins]
    for _ in range(max(rep, 5)):
        for i, r in enumerate(at_once([[b, "run", "--no-history", "--format", "csv", "--", "true"] for b in bins], base)):
            start[i].append(r[0])
    start_ms = [statistics.median(s) * 1e3 for s in start]
    for b, s in zip(bins, start_ms):
        print("%s: CPU of `run --no-history -- true` (start-up), median of %d: %.2f ms" % (b, max(rep, 5), s))
    configs = [("run -- sleep, 6 RAPL domains + attribution", base, "run"),
               ("monitor, 6 RAPL domains", base, "monitor")]
    if gpu:
        configs.append(("run -- sleep, 6 RAPL + 2 NVML stand-in GPUs + attribution", gpu, "run"))
    for name, env, kind in configs:
        for iv, iv_s in (("1s", 1.0), ("100ms", 0.1), ("10ms", 0.01)):
            if kind == "run":
                cmd = ["run", "--no-history", "--interval", iv, "--format", "csv", "--", "sleep", "%g" % secs]
            else:
                cmd = ["monitor", "--no-history", "--interval", iv, "--format", "csv", "--duration", "%gs" % secs]
            l0 = load()
            res = [[] for _ in bins]
            for _ in range(rep):
                for i, r in enumerate(at_once([[b] + cmd for b in bins], env)):
                    res[i].append(r)
            for b, rs, st in zip(bins, res, start_ms):
                pct = [100 * c / w for c, w, _ in rs]
                per = [(c * 1e3 - st) / (secs / iv_s) for c, _, _ in rs]
                print("%s | %s at %s | %s: %.3f %% of a core (%s), %.4f ms per sample, %d domains; load %s -> %s"
                      % (name, kind, iv, b, statistics.median(pct), ", ".join("%.3f" % x for x in pct),
                         statistics.median(per), domains(rs[0][2]), l0, load()))


main()
