#!/usr/bin/env python3
"""Fault suite, special files and hostile paths (issue 16). Every path
ecometer opens refuses a FIFO, a device and a directory at once with a clear
error (before, each FIFO hung the command): the model of `flops`, `--db`
(writers and readers), `--json`, the token file, the table override files,
the cpuinfo, meminfo and /proc/stat roots and ECOMETER_NVML_LIB. A truncated
or non-ELF NVIDIA library is reported as broken, by path, never a bus error
inside dlopen. A model cut short while `flops` reads it is reported as
changed, never a SIGBUS death. The run's temporary folder is cleaned without
following the links a child planted in or in place of it."""
import os
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time

SRC = os.environ["ECOMETER_SRC"]
BIN = os.environ["ECOMETER_BIN"]
BUILD = os.environ["ECOMETER_BUILD"]
TMP = os.environ["ECO_TEST_TMPDIR"]
BOARD = os.path.join(SRC, "tests", "fixtures", "intel-2s-server")
problems = []


def env(**kw):
    e = dict(os.environ, XDG_DATA_HOME=os.path.join(TMP, "data"), XDG_STATE_HOME=TMP,
             ECOMETER_SYSFS_ROOT=os.path.join(BOARD, "sys"), ECOMETER_PROC_ROOT=os.path.join(BOARD, "proc"),
             ECOMETER_NVML_LIB="/nonexistent/libnvidia-ml.so.1", TMPDIR=TMP)
    e.pop("ECOMETER_SOCKET", None)
    e.pop("ECOMETER_DB", None)
    e.update(kw)
    return e


def eco(args, e=None, timeout=15):
    try:
        return subprocess.run([BIN] + args, env=e or env(), capture_output=True, text=True, errors="replace",
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


fifo = os.path.join(TMP, "fifo")
os.mkfifo(fifo)
folder = os.path.join(TMP, "a-folder")
os.mkdir(folder)
specials = {"FIFO": fifo, "device": "/dev/zero", "directory": folder}


def refused(what, args, e=None, words=("FIFO", "device", "directory", "not a regular file")):
    p = eco(args, e)
    if p is None:
        problems.append("%s: hung for 15 s" % what)
    elif p.returncode not in (1, 2) or not any(w in p.stderr for w in words):
        problems.append("%s: exit %d, %r" % (what, p.returncode, p.stderr[-300:]))


for kind, path in specials.items():
    refused("flops on a %s" % kind, ["flops", path])
    refused("runs --db on a %s" % kind, ["runs", "--db", path])
    j = os.path.join(TMP, "ok.json")
    p = eco(["run", "--db", path, "--json", j, "--interval", "50ms", "--", "true"])
    if p is None or p.returncode != 0 or "not a regular file" not in p.stderr or not os.path.exists(j):
        problems.append("run --db on a %s: %s" % (kind, "hung" if p is None else "exit %d %r" % (p.returncode, p.stderr[-300:])))
    refused("run --json on a %s" % kind, ["run", "--no-history", "--json", path, "--", "true"])
    refused("serve --token-file on a %s" % kind, ["serve", "--listen", "127.0.0.1:0", "--token-file", path])
    refused("ECOMETER_GPU_TABLE on a %s" % kind, ["hardware", "search", "A100"], env(ECOMETER_GPU_TABLE=path))
    p = eco(["sensors"], env(ECOMETER_NVML_LIB=path))
    if p is None or "broken NVIDIA library %s" % path not in p.stdout + p.stderr:
        problems.append("ECOMETER_NVML_LIB on a %s: %s" % (kind, "hung" if p is None else repr((p.stdout + p.stderr)[-300:])))

# /proc roots whose files are FIFOs: the commands go on without them.
proc = os.path.join(TMP, "proc-fifos")
os.mkdir(proc)
for name in ("stat", "meminfo", "cpuinfo"):
    os.mkfifo(os.path.join(proc, name))
for args in (["sensors"], ["run", "--no-history", "--interval", "50ms", "--", "true"]):
    p = eco(args, env(ECOMETER_PROC_ROOT=proc, ECOMETER_CPUINFO=os.path.join(proc, "cpuinfo")))
    if p is None or p.returncode < 0:
        problems.append("%s with FIFOs for /proc files: %s" % (args[0], "hung" if p is None else "died %d" % p.returncode))

# Broken NVIDIA libraries: truncated, not ELF.
lib = os.path.join(BUILD, "tests", "libnvml-standin.so")
data = open(lib, "rb").read()
for name, content in (("truncated.so", data[:len(data) // 2]), ("header-only.so", data[:64]),
                      ("text.so", b"this is not a library\n" * 100)):
    path = os.path.join(TMP, name)
    open(path, "wb").write(content)
    p = eco(["sensors"], env(ECOMETER_NVML_LIB=path))
    if p is None or p.returncode < 0 or "broken NVIDIA library %s" % path not in p.stdout + p.stderr:
        problems.append("%s as NVIDIA library: %s" % (name, "hung" if p is None else "exit %d %r" % (p.returncode, (p.stdout + p.stderr)[-300:])))
p = eco(["sensors"], env(ECOMETER_NVML_LIB=lib))
if p is None or "broken" in p.stdout + p.stderr:
    problems.append("the whole stand-in library was called broken")


# A model cut short while flops reads it.
def varint(n):
    out = b""
    while True:
        b, n = n & 0x7F, n >> 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out


def field(num, wire, payload):
    key = varint(num << 3 | wire)
    return key + (varint(payload) if wire == 0 else varint(len(payload)) + payload)


def tensor(name, n):
    return field(1, 0, n) + field(2, 0, 1) + field(8, 2, name.encode()) + field(9, 2, bytes(4 * n))


inits = b"".join(field(5, 2, tensor("w%d" % i, 4096)) for i in range(1500))
node = field(1, 2, b"w0") + field(2, 2, b"y") + field(4, 2, b"Identity")
graph = field(1, 2, node) + field(2, 2, b"g") + inits + field(12, 2, field(1, 2, b"y"))
model = field(1, 0, 8) + field(8, 2, field(2, 0, 17)) + field(7, 2, graph)
mpath = os.path.join(TMP, "big.onnx")
open(mpath, "wb").write(model)
p = eco(["flops", mpath])
if p is None or p.returncode != 0:
    problems.append("the stress model itself does not read: %r" % (p.stderr[-300:] if p else "hung"))
stop = False


def cutter():
    with open(mpath, "r+b") as f:
        while not stop:
            f.truncate(len(model) // 8)
            time.sleep(0.002)
            f.seek(len(model) // 8)
            f.write(model[len(model) // 8:])
            f.flush()
            time.sleep(0.004)


t = threading.Thread(target=cutter)
t.start()
outcomes = {"read": 0, "changed": 0, "refused": 0, "died": 0}
try:
    for i in range(100):
        p = eco(["flops", mpath], env(ASAN_OPTIONS="detect_leaks=0"))
        if p is None or p.returncode < 0:
            outcomes["died"] += 1
        elif p.returncode == 0:
            outcomes["read"] += 1
        elif "changed while being read" in p.stderr:
            outcomes["changed"] += 1
        else:
            outcomes["refused"] += 1
finally:
    stop = True
    t.join()
print("flops on a model cut short 100 times meanwhile: %(read)d read whole, %(changed)d reported as changed, "
      "%(refused)d refused as damaged, %(died)d died" % outcomes)
if outcomes["died"]:
    problems.append("%d flops runs died while the model was cut short" % outcomes["died"])

# Links planted by the child in, and in place of, the run's temporary folder.
victim = os.path.join(TMP, "victim")
os.mkdir(victim)
open(os.path.join(victim, "markers.sock"), "w").write("keep me\n")
open(os.path.join(victim, "precious"), "w").write("keep me too\n")
child = ('d=$(dirname "$ECOMETER_SOCKET"); ln -s %s/precious "$d/link"; mkdir "$d/sub"; '
         'ln -s %s "$d/sub/dirlink"; echo "$d" > %s/tmpdir' % (victim, victim, TMP))
p = eco(["run", "--no-history", "--interval", "50ms", "--", "sh", "-c", child])
d = open(os.path.join(TMP, "tmpdir")).read().strip()
if os.path.lexists(d) or not os.path.exists(os.path.join(victim, "precious")):
    problems.append("links in the temporary folder: folder left=%s, target kept=%s"
                    % (os.path.lexists(d), os.path.exists(os.path.join(victim, "precious"))))
child = ('d=$(dirname "$ECOMETER_SOCKET"); rm -rf "$d"; ln -s %s "$d"; echo "$d" > %s/tmpdir' % (victim, TMP))
p = eco(["run", "--no-history", "--interval", "50ms", "--", "sh", "-c", child])
if not os.path.exists(os.path.join(victim, "markers.sock")) or not os.path.exists(os.path.join(victim, "precious")):
    problems.append("a link in place of the temporary folder: the cleanup deleted files of the folder it points to")
if problems:
    for x in problems:
        print("FAIL:", x)
    sys.exit(1)
print("ok: FIFOs, devices and folders refused on every path; broken libraries named; truncation reported; "
      "cleanup follows no link")
