#!/usr/bin/env python3
"""Writes the small seed corpora of the harnesses in tests/fuzz/ (run once
from the source root; the files are committed). Seeds are valid inputs and
near misses taken from the formats' own rules, so libFuzzer starts from the
interesting edges. Regression inputs found by fuzzing are added by hand as
corpus/NAME/regress-*."""
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(name, seeds):
    d = os.path.join(ROOT, name)
    os.makedirs(d, exist_ok=True)
    for i, s in enumerate(seeds):
        if isinstance(s, str):
            s = s.encode()
        with open(os.path.join(d, "seed-%02d" % i), "wb") as f:
            f.write(s)


def head(path, n):
    out = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#"):
            continue
        out.append(line)
        if len(out) >= n:
            break
    return "".join(out)


src = os.path.join(os.path.dirname(ROOT), "..", "..")
gpus = head(os.path.join(src, "data/gpus.tsv"), 4)
cpus = head(os.path.join(src, "data/cpus.tsv"), 4)
carbon = head(os.path.join(src, "data/carbon.tsv"), 3)
gh = gpus.splitlines()[0] + "\n"
ch = cpus.splitlines()[0] + "\n"
kh = carbon.splitlines()[0] + "\n"

put("tsv", [
    gpus, cpus, carbon, "", "# only a comment\n", "a\tb\n1\t2\n", "a\tb\r\n1\t2\r\n\r\n",
    "a\tb\n1\n", "a\tb\n1\t2\t3\n", "a\n\n#c\n\tx\n", "a\tb\n\t\n", "a\x00b\n1\n", "h\nno newline at end",
    "\t\t\n\t\t\n",
])

put("hw_table", [
    b"\x01" + gpus.encode(), b"\x00" + cpus.encode(),
    b"\x01" + (gh + "My GPU\tmygpu|mine\tNVIDIA\tdatacenter\t300\t80\t19.5\t312\t624\tvendor sheet\t2024\n").encode(),
    b"\x00" + (ch + "My CPU\tmycpu\tIntel\t8\t16\t65\tvendor sheet\t2023\n").encode(),
    b"\x01" + (gh + "NVIDIA Tesla K80\t\tNVIDIA\tdatacenter\t1\t24\t8.73\t0\t0\tmine\t2014\n").encode(),
    b"\x00" + (ch + "X\t\tIntel\t8\t4\t65\ts\t2023\n").encode(),
    b"\x01" + (gh + "G\t\tNVIDIA\tdatacenter\tnan\t1\t1\t1\t1\ts\t2020\n").encode(),
    b"\x01" + (gh + "G\t\tNVIDIA\tdatacenter\t300\t1\t1\t1\t1\ts\t2020.5\n").encode(),
    b"\x01" + (gh + "G\ta|b||c|\tNVIDIA\tdatacenter\t300\t1\t1\t1\t1\ts\t2020\nG\t\tNVIDIA\tx\t1\t1\t1\t1\t1\ts\t2020\n").encode(),
    b"\x00name\tcores\n", b"\x01", b"\x00\xff\xfe",
])

put("carbon_table", [
    b"\x00" + (kh + "XX\tMy grid\tcountry\t\t123\tmy utility\t2024\n").encode(),
    b"\x00" + (kh + "FR\tFrance\tcountry\t\t1\tmine\t2024\n").encode(),
    b"\x00" + (kh + "aws:my-1\tAWS Mine\tcloud\tFR\t\tAWS\t\n").encode(),
    b"\x00" + (kh + "aws:my-1\tAWS Mine\tcloud\taws:eu-west-3\t\tAWS\t\n").encode(),
    b"\x00" + (kh + "aws:my-1\tAWS Mine\tcloud\tNOPE\t\tAWS\t\n").encode(),
    b"\x00" + (kh + "bad code!\tx\tcountry\t\t1\ts\t2020\n").encode(),
    b"\x00" + (kh + "YY\tY\tcountry\t\t2001\ts\t2020\n").encode(),
    b"\x01" + carbon.encode(),
    b"\x01" + (kh + "WORLD\tWorld\tworld\t\t481\ts\t2023\nC\tc\tcloud\tWORLD\t\ts\t\n").encode(),
    b"\x01" + (kh + "WORLD\tWorld\tcountry\t\t481\ts\t2023\n").encode(),
    b"\x01" + kh.encode(), b"\x01",
])

put("duration", ["250ms", "500s", "90m", "4h30m", "1d", "1.5h", "0", "12", "1w2d3h4m5s6ms", "4h30",
                 "-1s", "1e3s", "1e400s", "1h1h", "30m4h", "5x", "", ".", "1.2.3s", "0x10s", "1day2hr3min4sec",
                 # issue 13: as people write them and as ecometer prints them
                 "4h 30m", "4h 30m 00s", "1d 2h 03m 04s", "12.34 s", "250 ms", "2 hours", "90min",
                 "1 hour 30 minutes", "01:30:00", "30:00", "2-03:00:00", "2-03", "1-00:30", "0:01.5",
                 "1:60", "1-24:00:00", "1:2:3:4", "4h 30", "2-", "99999999999-23:59:59", "1 hour and 30 minutes"])

put("markers", ["begin epoch", "end epoch\n", "items 32", "epoch 3", "epoch 1000000000", "items 1000000000000000",
                "items 1000000000000001", "begin " + "n" * 63, "begin " + "n" * 64, "begin caf\u00e9 \u6f22",
                b"begin \xc0\xaf", b"begin \xed\xa0\x80", "begin  x", "begin x ", "BEGIN x", "end", "items -1",
                b"begin a\x00b", "epoch 01", b"begin \xf4\x90\x80\x80", "begin \u00a0"])

tok = "Authorization: Bearer fuzz-token\r\n"
put("http", [
    "GET /metrics HTTP/1.1\r\nHost: x\r\n" + tok + "\r\n",
    "HEAD /metrics HTTP/1.1\r\nHost: x\r\n" + tok + "\r\n",
    "GET / HTTP/1.0\r\n" + tok + "\r\n",
    "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n\r\n",
    "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    "GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + tok + "\r\n5\r\nhello\r\n0\r\n\r\n",
    "GET /nope HTTP/1.1\r\nHost: x\r\n" + tok + "\r\n",
    "GET /metrics HTTP/1.1\r\nHost: x\r\n" + tok + "\r\nGET / HTTP/1.1\r\nHost: x\r\n" + tok + "\r\n",
    "GET /metrics HTTP/1.1\r\nHost: x\r\nX: " + "a" * 3000 + "\r\n\r\n",
    "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", "GET\r\n\r\n", "", "G",
    "GET /metrics?x=%00%zz HTTP/1.1\r\nHost: x\r\n" + tok + "\r\n",
])

put("listen", ["127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464", "localhost:0", "[::ffff:127.0.0.1]:1",
               "127.0.0.1:65536", "127.0.0.1:-1", ":9464", "[::1]", "[::1:9464", "1.2.3.4:", "[]:1",
               "127.1:80", "::1:80", "localhost:+80", "10.0.0.1:80"])

fx = os.path.join(src, "tests/fixtures")
def rd(p):
    try:
        return open(os.path.join(fx, p), encoding="utf-8", errors="replace").read()
    except OSError:
        return ""
stat = "cpu  10132153 290696 3084719 46828483 16683 0 25195 0 175628 0\ncpu0 1 2 3 4 5 6 7 8\n"
pstat = "1 (python3 train.py) S 0 1 1 0 -1 4194560 123 0 0 0 250 50 10 5 20 0 1 0 100 0 0\n"
sep = "\n@@\n"
put("procfs", [
    sep.join([stat, pstat, "0::/kubepods.slice/kubepods-burstable-pod1234_ab.slice/cri-x\n",
              rd("cpuinfo/xeon-e5-2678v3.txt"), "MemTotal:       16318412 kB\n", "123456789\n"]),
    sep.join([stat, "2 (a) b) R 1 2 2 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 0 0\n", "0::/system.slice/docker-0123456789abcdef.scope\n",
              rd("cpuinfo/graviton2.txt"), "MemTotal: 1 kB\n", "-42\n"]),
    sep.join(["cpu 1 2 3\n", "3 (x)", "0::/\n", rd("cpuinfo/jetson-nano.txt"), "", "18446744073709551616\n"]),
    sep.join(["cpu 18446744073709551615 18446744073709551615 1 1 1 1 1 1\n", "4 ()) Z 1", "1:name=systemd:/\n0::/slurm/uid_0/job_42/step_0\n",
              rd("cpuinfo/raspberry-pi-4.txt"), "MemTotal: 99999999999999999999 kB\n", "\n"]),
    sep.join(["", "", "0::/../../etc\n", rd("cpuinfo/armv7-board.txt"), "", "+1"]),
    "(" * 100 + ")" * 100,
])
