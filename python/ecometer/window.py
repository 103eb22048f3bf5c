"""Measurement windows that return their figures.

    with ecometer.window("epoch-1", items=len(ds)) as w:
        train_one_epoch()
    w.energy_j, w.co2e_g, w.duration_s, w.domains

Where the figures come from:
- under `ecometer run` (ECOMETER_SOCKET set): the window is a marked region
  of the run, and the run answers its figures over the marker socket
  (`figures NAME`, docs/METHODOLOGY.md); nothing is measured twice;
- inside another standalone window: a region of that window's session;
- else: a session of its own in this process, through libecometer.so
  (ctypes), stored in the history as a run. When that cannot be done,
  entering the window raises ecometer.Unavailable saying why.

A figure the meter could not give is None, never 0.
"""

import os
import reprlib
import socket
import threading
import time

from . import _lib
from . import labels as _labels
from .markers import _check_name

_stack_lock = threading.Lock()
_standalone = []       # the open standalone windows (their sessions), outermost first
REPLY_MAX = 4096       # ECO_FIGURES_MAX_REPLY in src/meter/region_figures.h


def _name63(text):
    """text cut to a marker name: 63 bytes at a character boundary, no control characters."""
    text = "".join(c if ord(c) >= 32 and ord(c) != 127 else " " for c in text).strip() or "window"
    raw = text.encode("utf-8")[:63]
    return raw.decode("utf-8", "ignore").strip() or "window"


def parse_reply(data):
    """The run's reply to `figures NAME` (docs/METHODOLOGY.md): (status, name, figures dict or None)."""
    text = data.decode("utf-8", "replace")
    head, _, body = text.partition("\n")
    word, _, name = head.partition(" ")
    if word != "figures":
        return word, name, None
    f = {"domains": []}
    for line in body.splitlines():
        key, _, value = line.partition(" ")
        if key == "domain":
            method, counted, energy, dname = (value.split(" ", 3) + ["", "", "", ""])[:4]
            f["domains"].append({"name": dname, "energy_j": float(energy), "method": method,
                                 "counted": counted == "counted"})
        elif key in ("items", "intensity_default", "domains_omitted"):
            f[key] = int(value)
        elif key:
            f[key] = float(value)
    return "figures", name, f


class _RunClient:
    """Markers and figure requests to the enclosing `ecometer run`, from a
    socket of our own (autobound: the run replies to its address)."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind("")  # Linux autobind: an abstract address the run can reply to
        self.sock.setblocking(False)
        self.dropped = 0
        self.error = None

    def send(self, text):
        try:
            self.sock.sendto(text.encode("utf-8"), self.path)
            return True
        except BlockingIOError:
            self.dropped += 1  # the meter is behind: never block the measured program
            return False
        except OSError as e:  # the run is gone: the program goes on, the figures say why
            self.error = "cannot reach the run at %s (%s)" % (self.path, e.strerror or e)
            return False

    def figures(self, name, timeout):
        """Ask until the run answers (or timeout): the figures dict, or (None, why)."""
        deadline = time.monotonic() + timeout
        while True:
            if not self.send("figures " + name) and self.error:
                return None, self.error
            wait_until = min(deadline, time.monotonic() + 0.25)
            while time.monotonic() < wait_until:
                self.sock.settimeout(max(0.001, wait_until - time.monotonic()))
                try:
                    data = self.sock.recv(REPLY_MAX + 1)
                except (socket.timeout, BlockingIOError):
                    break
                st, got, f = parse_reply(data)
                if got != name:
                    continue  # a late answer to an earlier request
                if st == "figures":
                    return f, None
                if st == "unknown":
                    return None, "the run has no closed region %r (was its end marker dropped?)" % name
                time.sleep(0.01)  # pending: the sample after its end is not in yet
                break
            if time.monotonic() >= deadline:
                return None, ("the enclosing `ecometer run` did not answer within %.0f s (an ecometer older "
                              "than this module answers no figures)" % timeout)

    def close(self):
        self.sock.close()


class Window:
    """A measured stretch of this program; figures are set when it closes.

    energy_j      energy of the counted domains (J), None when unknown
    co2e_g        its CO2e (g) at intensity_g_per_kwh
    duration_s    wall time of the window (s)
    estimated_j   the estimated part of energy_j (0: all measured)
    domains       {name: {"energy_j", "method": "measured"|"estimated", "counted"}}
    items         items counted in the window
    source        "run" (the enclosing `ecometer run`), "session" (its own
                  session, stored as a run) or "region" (of an outer window)
    why           why the figures are None ("" when known)
    """

    def __init__(self, name, items=None, region=None, interval=0.1, describe=None, timeout=5.0, run_name=None,
                 tags=None, project=None):
        self.name = _name63(_check_name(name))
        self._label = _labels.check(run_name, tags, project)
        if items is not None and (isinstance(items, bool) or not hasattr(items, "__index__") or
                                  items.__index__() < 0):
            raise ValueError("items must be a whole number >= 0, not %r" % (items,))
        self.items = items.__index__() if items is not None else 0
        self._items_at_close = self.items  # the ones given up front are sent at the close
        self.region, self.interval, self.timeout = region, interval, timeout
        self.describe = describe or "python: window " + self.name
        self.energy_j = self.co2e_g = self.duration_s = self.estimated_j = None
        self.intensity_g_per_kwh = self.intensity_is_default = None
        self.domains = {}
        self.source = None
        self.why = ""
        self.value = None
        self._client = self._session = self._parent = None
        self._t0 = None
        self._open = False

    # -- opening and closing ------------------------------------------------
    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        if self._open:
            raise RuntimeError("window %r is already open" % self.name)
        path = os.environ.get("ECOMETER_SOCKET")
        if path:
            self.source, self._client = "run", _RunClient(path)
            self._client.send("begin " + self.name)
        else:
            with _stack_lock:
                self._parent = _standalone[-1] if _standalone else None
            if self._parent is not None:
                self.source = "region"
                self._parent._session.begin(self.name)
            else:
                self.source = "session"
                self._session = _lib.Session(self.region, self.interval, self.describe)
                if any(v is not None for v in self._label):
                    try:
                        self._session.set_label(*self._label)
                    except Exception:
                        self._session.stop()  # checked above, so only a library that disagrees gets here
                        raise
                self._session.begin(self.name)
                with _stack_lock:
                    _standalone.append(self)
        self._t0 = time.monotonic()
        self._open = True
        return self

    def count(self, n):
        """Count n more items (samples, tokens, images) done in this window."""
        if isinstance(n, bool) or not hasattr(n, "__index__") or n.__index__() < 0:
            raise ValueError("count() takes a whole number >= 0, not %r" % (n,))
        n = n.__index__()
        self.items += n
        self._send_items(n)

    def _send_items(self, n):
        if self._client is not None:
            self._client.send("items %d" % n)
        elif self._session is not None:
            self._session.items(n)
        elif self._parent is not None and self._parent._session is not None:
            self._parent._session.items(n)

    def stop(self):
        if not self._open:
            raise RuntimeError("window %r is not open" % self.name)
        self._open = False
        self.duration_s = time.monotonic() - self._t0
        if self._items_at_close:
            self._send_items(self._items_at_close)
        if self.source == "run":
            self._client.send("end " + self.name)
            f, self.why = self._client.figures(self.name, self.timeout)
            self._client.close()
            self._set(f)
        elif self.source == "region":
            session = self._parent._session
            if session.s is None:
                self.why = "the outer window %r closed before this one" % self._parent.name
                return self
            session.end(self.name)
            f = session.region_figures(self.name)
            self.why = "" if f else "the library gave no figures for region %r" % self.name
            if f:
                f["intensity_default"] = 0 if self._parent.region else 1  # the outer session's place
            self._set(f)
        else:
            self._session.end(self.name)
            with _stack_lock:
                if self in _standalone:
                    _standalone.remove(self)
            f = self._session.stop()
            f["intensity_default"] = 0 if self.region else 1
            self._set(f)
        return self

    def _set(self, f):
        if not f:
            return
        self.energy_j, self.co2e_g = f["energy_j"], f["co2e_g"]
        self.duration_s = f.get("duration_s", self.duration_s)
        self.estimated_j = f.get("estimated_j")
        if f.get("domains") is not None:
            self.domains = {d["name"]: {k: d[k] for k in ("energy_j", "method", "counted")} for d in f["domains"]}
            if self.estimated_j is None:
                self.estimated_j = sum(d["energy_j"] for d in f["domains"]
                                       if d["counted"] and d["method"] == "estimated")
        if "intensity_g_per_kwh" in f:
            self.intensity_g_per_kwh = f["intensity_g_per_kwh"]
        elif self.energy_j:
            self.intensity_g_per_kwh = self.co2e_g / (self.energy_j / 3.6e6)
        self.intensity_is_default = bool(f.get("intensity_default", 0))

    # -- reading --------------------------------------------------------------
    def as_dict(self):
        keys = ("name", "energy_j", "co2e_g", "duration_s", "estimated_j", "items", "domains", "source",
                "intensity_g_per_kwh", "intensity_is_default", "why")
        return {k: getattr(self, k) for k in keys}

    def summary(self):
        """One line for people: energy, CO2e, duration, and how it was obtained."""
        if self.energy_j is None:
            return "%s: energy not known (%s)" % (self.name, self.why or "window still open")
        how = "measured"
        if self.estimated_j:
            how = "%.0f%% estimated" % (100 * self.estimated_j / self.energy_j) if self.energy_j else "estimated"
        place = " (world-average intensity: give a region)" if self.intensity_is_default else ""
        per = ", %.4g J/item" % (self.energy_j / self.items) if self.items else ""
        return "%s: %.4g J (%.4g Wh), %.4g g CO2e%s, %.3g s%s; %s" % (
            self.name, self.energy_j, self.energy_j / 3600, self.co2e_g, place, self.duration_s, per, how)

    def __repr__(self):
        return "<ecometer.Window %s>" % self.summary()


def window(name, items=None, *, region=None, interval=0.1, describe=None, timeout=5.0, run_name=None, tags=None,
           project=None):
    """A window measuring the block it encloses (see the module doc).

    name      its name (a region name of the run: at most 63 bytes, no control characters)
    items     items done in it (samples, tokens...), for energy per item; or count them with w.count(n)
    region    carbon-intensity place (e.g. "FR") of a standalone window
    interval  sampling interval (s) of a standalone window
    describe  what the stored run's command says (default "python: window NAME")
    timeout   how long to wait for the enclosing `ecometer run` to answer (s)
    run_name, tags, project
              the label of the run a standalone window is stored as (`ecometer runs`,
              `compare NAME1 NAME2`); tags a list or "a,b". Under `ecometer run` or inside
              another window they are not used: the run's own --name/--tag/--project label it.
              A bad label is a ValueError before anything is measured.
    """
    return Window(name, items, region=region, interval=interval, describe=describe, timeout=timeout,
                  run_name=run_name, tags=tags, project=project)


_repr = reprlib.Repr()
_repr.maxstring, _repr.maxother, _repr.maxlist, _repr.maxdict = 24, 24, 4, 4


def describe_call(fn, args, kw):
    """"train.fit(3)": the function's module and name, its arguments shortened."""
    mod = getattr(fn, "__module__", None) or ""
    qual = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__
    prefix = "" if mod in ("", "__main__", "builtins") else mod.rsplit(".", 1)[-1] + "."
    parts = [_repr.repr(a) for a in args] + ["%s=%s" % (k, _repr.repr(v)) for k, v in kw.items()]
    return "%s%s(%s)" % (prefix, qual, ", ".join(parts))


Window.result = property(lambda self: self.as_dict(), doc="the figures as a dict (as_dict())")
Window._repr_pretty_ = lambda self, p, cycle: p.text(self.summary())  # IPython's display
