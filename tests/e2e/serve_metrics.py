#!/usr/bin/env python3
"""`ecometer serve` on a two-socket server fixture whose counters move at known
power, with two GPUs from the stand-in NVML: /metrics passes `promtool check
metrics`, every domain's power gauge matches the power applied, a token is
enforced, the Grafana dashboard only names metrics the agent exports, and a
sensor that vanishes mid-run does not stop the agent. The test waits for
what it reads (a scrape with every domain, a file gone, a later sample), never
a fixed time: an agent built with the sanitizers is slow to start."""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import *  # noqa: E402,F401
from ecotest import timed_fail, wait_for  # noqa: E402

nvml = os.path.join(BUILD, "tests", "libnvml-standin.so")
if not os.path.exists(nvml):
    skip("stand-in NVML library not built (make test-deps)")
writer, root = start_writer("intel-2s-server", "srv",
                            {"package-0": 50, "package-1": 80, "dram-0": 6, "dram-1": 7},
                            ["--vanish", "dram-1@6"])
agent = token_agent = None
try:
    env = {"ECOMETER_NVML_LIB": nvml, "NVML_STANDIN_GPUS": "2",
           "NVML_STANDIN_POWER_MW": "250000,120000"}
    agent, port = start_agent(root, ["--interval", "1s"], env)
    expect = {"package-0": 50, "package-1": 80, "dram-0": 6, "dram-1": 7, "gpu-0": 250, "gpu-1": 120}

    def scrape(after=None):
        """A scrape whose every domain has a power gauge (two samples taken)
        and, given the energy seen before, a later sample (energy grew)."""
        status, text = get(port)
        if status != 200:
            fail("GET /metrics: %d" % status)
        m = parse_metrics(text)
        if not {l["domain"] for l, _ in series(m, "ecometer_power_watts")} >= set(expect):
            return None
        e = sum(v for l, v in series(m, "ecometer_energy_joules_total", top_level="true"))
        return (text, m, e) if e > 0 and (after is None or e > after) else None

    text, m, e1 = wait_for(scrape, "a scrape with a power gauge for every domain", 120, 0.1)
    open(os.path.join(TMP, "metrics.txt"), "w").write(text)
    promtool = shutil.which("promtool")
    if promtool:
        r = subprocess.run([promtool, "check", "metrics"], input=text, text=True, capture_output=True)
        if r.returncode != 0:
            fail("promtool check metrics: %s%s" % (r.stdout, r.stderr))
        print("promtool check metrics: ok")
    else:
        print("note: promtool not installed (Debian package prometheus): format check skipped")
    power = {l["domain"]: v for l, v in series(m, "ecometer_power_watts")}
    for dom, w in expect.items():
        if dom not in power:
            fail("no power gauge for %s (have %s)" % (dom, sorted(power)))
        if abs(power[dom] - w) > 0.10 * w:  # one interval; the Prometheus test checks averages at 5%
            msg = "%s: %.3f W, applied %g W" % (dom, power[dom], w)
            if dom.startswith("gpu-"):  # the stand-in NVML's power is exact: no writer to lag
                fail(msg)
            # over the 1 s interval, that is |error| / W seconds of the writer's lag
            timed_fail(msg, abs(power[dom] - w) / w * 1.0, writer, root + ".truth.json")
    for l, v in series(m, "ecometer_energy_joules_total"):
        if v <= 0:
            fail("energy of %s is %g after 2 s" % (l["domain"], v))
        if l["method"] != "measured":
            fail("%s is labelled %s" % (l["domain"], l["method"]))
    kinds = {l["domain"]: l["kind"] for l, _ in series(m, "ecometer_power_watts")}
    if kinds.get("package-0") != "cpu-package" or kinds.get("dram-0") != "dram" or kinds.get("gpu-0") != "gpu":
        fail("kinds: %s" % kinds)
    co2 = series(m, "ecometer_co2e_grams_total", region="FR")
    if not co2 or co2[0][1] <= 0:
        fail("no CO2e counter for FR: %s" % co2)
    # energy counters keep growing, CO2e follows the top-level energy; dram-1
    # vanishes at t=6 s of the writer: wait for that, then for a later sample
    dram1 = os.path.join(root, "sys", "class", "powercap", "intel-rapl:1:1", "energy_uj")
    wait_for(lambda: not os.path.exists(dram1), "the writer to remove dram-1's file", 60)
    text2, m2, e2 = wait_for(lambda: scrape(after=e1), "a sample after dram-1 vanished (energy %g J)" % e1, 120, 0.1)
    if agent.poll() is not None:
        fail("agent died when a sensor vanished")
    ci = series(m2, "ecometer_carbon_intensity_grams_per_kwh", region="FR")[0][1]
    co2b = series(m2, "ecometer_co2e_grams_total", region="FR")[0][1]
    if abs(co2b - e2 / 3.6e6 * ci) > 1e-3 * max(co2b, 1e-9) + 1e-6:
        fail("CO2e %g != energy %g J x %g g/kWh" % (co2b, e2, ci))
    # the Grafana dashboard names only metrics that exist
    dash = json.load(open(os.path.join(SRC, "deploy", "grafana", "ecometer-dashboard.json")))
    exported = set(re.findall(r"^# TYPE (\S+) ", text, re.M))
    used = set()
    for p in dash["panels"]:
        for t in p.get("targets", []):
            used |= set(re.findall(r"\b(ecometer_[a-z_]+)\b", t["expr"]))
    if not used:
        fail("the dashboard queries no ecometer metric")
    if used - exported:
        fail("dashboard names metrics the agent does not export: %s" % sorted(used - exported))
    print("dashboard: %d metrics named, all exported" % len(used))
    # a token, when asked for, is required
    tok = os.path.join(TMP, "token")
    with open(tok, "w") as f:
        f.write("correct-horse-battery\n")
    os.chmod(tok, 0o600)
    token_agent, tport = start_agent(root, ["--interval", "200ms", "--token-file", tok], env)
    if get(tport)[0] != 401:
        fail("no token: not refused")
    if get(tport, headers={"Authorization": "Bearer wrong-horse-battery"})[0] != 401:
        fail("wrong token: not refused")
    if get(tport, headers={"Authorization": "Bearer correct-horse-battery"})[0] != 200:
        fail("right token: refused")
    print("serve: %d domains, power within 10%%, token enforced" % len(power))
finally:
    stop(agent)
    stop(token_agent)
    stop(writer)
