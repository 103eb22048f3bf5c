#!/usr/bin/env python3
"""Fault suite, the agent under a slowloris attack (issue 16): 64 connections
from 8 other addresses (127.0.0.2-9, 8 each: a per-address limit alone does
not stop them) each send one header line every 5 s and come back 0.1 s after
being cut. At the default settings every one of 30 scrapes made from
127.0.0.1 during the attack must be answered 200, and the attackers'
connections must be cut by the header deadline rather than held.
Bounded: about 25 s on loopback."""
import os
import selectors
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import *  # noqa: E402,F401

N_ATTACK = 64
LINE_EVERY = 5.0


class Slowloris(threading.Thread):
    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.stop = False
        self.cut = 0      # connections the server closed on us
        self.opened = 0
        self.longest = 0.0

    def connect(self, sel, i):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.bind(("127.0.0.%d" % (2 + i % 8), 0))
            s.connect(("127.0.0.1", self.port))
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            return
        self.opened += 1
        sel.register(s, selectors.EVENT_READ, {"start": time.time(), "next": time.time(), "n": 0, "i": i})

    def run(self):
        sel = selectors.DefaultSelector()
        for i in range(N_ATTACK):
            self.connect(sel, i)
        again = []
        while not self.stop:
            now = time.time()
            for t, i in [a for a in again if a[0] <= now]:
                again.remove((t, i))
                self.connect(sel, i)
            for key in list(sel.get_map().values()):
                d = key.data
                if now >= d["next"]:
                    line = b"GET /metrics HTTP/1.1\r\n" if d["n"] == 0 else b"X-Slow-%d: x\r\n" % d["n"]
                    try:
                        key.fileobj.send(line)
                    except OSError:
                        pass
                    d["n"] += 1
                    d["next"] = now + LINE_EVERY
            for key, _ in sel.select(timeout=0.1):
                try:
                    data = key.fileobj.recv(4096)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                if not data:  # cut by the server: note how long it was held, come back soon
                    if key.data["n"] > 0:  # refused at accept: not held at all
                        self.longest = max(self.longest, time.time() - key.data["start"])
                    sel.unregister(key.fileobj)
                    key.fileobj.close()
                    self.cut += 1
                    again.append((time.time() + 0.1, key.data["i"]))
        for key in list(sel.get_map().values()):
            key.fileobj.close()


writer, root = start_writer("intel-2s-server", "slowloris", {"package-0": 50, "package-1": 80, "dram-0": 10})
agent = None
problems = []
attack = None
try:
    agent, port = start_agent(root, [])
    attack = Slowloris(port)
    attack.start()
    time.sleep(2.0)  # every attacker connected and holding a slot
    ok = 0
    for i in range(30):
        try:
            st, body = get(port)
        except Exception as e:  # timeout, reset: a starved scrape
            st, body = repr(e), ""
        if st == 200 and "ecometer_energy_joules_total" in body:
            ok += 1
        else:
            problems.append("scrape %d during the attack: %s" % (i + 1, st))
        time.sleep(0.7)
    attack.stop = True
    attack.join(5)
    print("%d of 30 scrapes answered 200 under %d slow connections; the server cut %d attacker "
          "connections (longest held %.1f s)" % (ok, N_ATTACK, attack.cut, attack.longest))
    if attack.cut == 0:
        problems.append("no attacker connection was ever cut: slots are held for as long as they like")
    if attack.longest > 5.0 + 1.5:
        problems.append("an attacker held a connection %.1f s, beyond the 5 s header deadline" % attack.longest)
    if agent.poll() is not None:
        problems.append("agent died")
finally:
    if attack:
        attack.stop = True
    stop(agent)
    stop(writer)
if problems:
    for p in problems[:10]:
        print("FAIL:", p)
    sys.exit(1)
print("ok: every scrape answered during a slowloris attack at the default settings")
