"""libecometer.so through ctypes: the meter in this process, for windows
outside `ecometer run`. Found, in this order, at ECOMETER_LIB, next to this
module, then by the dynamic loader (the library path, ldconfig)."""

import ctypes
import ctypes.util
import glob
import os
import threading


class Unavailable(RuntimeError):
    """ecometer cannot measure here; the message says why and what would help."""


class _Options(ctypes.Structure):
    _fields_ = [("interval_s", ctypes.c_double), ("region", ctypes.c_char_p)]


class _Summary(ctypes.Structure):
    _fields_ = [("duration_s", ctypes.c_double), ("energy_j", ctypes.c_double), ("co2e_g", ctypes.c_double),
                ("estimated", ctypes.c_int)]


class _Domain(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char * 64), ("energy_j", ctypes.c_double), ("estimated", ctypes.c_int),
                ("counted", ctypes.c_int)]


class _Region(ctypes.Structure):
    _fields_ = [("duration_s", ctypes.c_double), ("energy_j", ctypes.c_double), ("co2e_g", ctypes.c_double),
                ("estimated_j", ctypes.c_double), ("items", ctypes.c_longlong)]


MAX_DOMAINS = 64
_lock = threading.Lock()
_lib = None
_why = None


def _candidates():
    env = os.environ.get("ECOMETER_LIB")
    if env:
        return [env], True
    here = os.path.dirname(os.path.abspath(__file__))
    out = sorted(glob.glob(os.path.join(here, "libecometer.so*")))
    found = ctypes.util.find_library("ecometer")
    out += [found] if found else []
    out += ["libecometer.so.0", "libecometer.so"]
    return out, False


def _bind(lib):
    sp = ctypes.c_void_p
    lib.eco_session_start.restype = sp
    lib.eco_session_start.argtypes = [ctypes.POINTER(_Options), ctypes.c_char_p, ctypes.c_uint]
    for f in ("eco_region_begin", "eco_region_end"):
        getattr(lib, f).argtypes = [sp, ctypes.c_char_p]
    lib.eco_items.argtypes = [sp, ctypes.c_longlong]
    lib.eco_session_stop.argtypes = [sp, ctypes.POINTER(_Summary)]
    # API version 2 (ecometer.h): absent from an older library.
    if hasattr(lib, "eco_session_stop_domains"):
        lib.eco_session_stop_domains.argtypes = [sp, ctypes.POINTER(_Summary), ctypes.POINTER(_Domain),
                                                 ctypes.c_uint, ctypes.POINTER(ctypes.c_uint)]
        lib.eco_session_describe.argtypes = [sp, ctypes.c_char_p]
        lib.eco_region_figures.argtypes = [sp, ctypes.c_char_p, ctypes.POINTER(_Region), ctypes.POINTER(_Domain),
                                           ctypes.c_uint, ctypes.POINTER(ctypes.c_uint)]
    if hasattr(lib, "eco_session_set_label"):
        lib.eco_session_set_label.argtypes = [sp, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
        lib.eco_session_last_error.restype = ctypes.c_char_p
        lib.eco_session_last_error.argtypes = [sp]
    return lib


def library():
    """The loaded library, or Unavailable saying where it was looked for."""
    global _lib, _why
    with _lock:
        if _lib is not None:
            return _lib
        names, from_env = _candidates()
        errors = []
        for name in names:
            try:
                _lib = _bind(ctypes.CDLL(name))
                return _lib
            except OSError as e:
                errors.append("%s (%s)" % (name, e))
            except AttributeError as e:
                errors.append("%s is not libecometer (%s)" % (name, e))
        if from_env:
            _why = "ECOMETER_LIB=%s cannot be loaded: %s" % (names[0], "; ".join(errors))
        else:
            _why = ("libecometer.so was not found (looked next to the module, on the library path and with "
                    "ldconfig)")
        raise Unavailable("ecometer: cannot measure in this process: %s; hint: install ecometer (make install), "
                          "set ECOMETER_LIB=/path/to/libecometer.so, or run the script under `ecometer run -- "
                          "python ...`" % _why)


def domains_from(array, n):
    """[{"name", "energy_j", "method", "counted"}] from a ctypes array."""
    return [{"name": array[i].name.decode("utf-8", "replace"), "energy_j": array[i].energy_j,
             "method": "estimated" if array[i].estimated else "measured", "counted": bool(array[i].counted)}
            for i in range(min(n, MAX_DOMAINS))]


class Session:
    """One standalone eco_session (stored in the history as a run)."""

    def __init__(self, region=None, interval_s=0.1, describe=None):
        lib = library()
        self.lib = lib
        err = ctypes.create_string_buffer(512)
        opt = _Options(interval_s, region.encode("utf-8") if region else None)
        self.s = lib.eco_session_start(ctypes.byref(opt), err, len(err))
        if not self.s:
            msg = err.value.decode("utf-8", "replace") or "unknown error"
            raise Unavailable("ecometer: cannot measure in this process: " + msg)
        if describe and hasattr(lib, "eco_session_describe"):
            lib.eco_session_describe(self.s, describe.encode("utf-8", "replace"))

    def set_label(self, name, tags, project):
        """Name, tags ("a,b") and project of the stored run (None: unset); ValueError when refused."""
        if not hasattr(self.lib, "eco_session_set_label"):
            raise RuntimeError("ecometer: this libecometer.so is older than run labels (API version 2); "
                               "hint: install the ecometer of this module")
        enc = [v.encode("utf-8") if v is not None else None for v in (name, tags, project)]
        if self.lib.eco_session_set_label(self.s, *enc) < 0:
            why = (self.lib.eco_session_last_error(self.s) or b"").decode("utf-8", "replace")
            raise ValueError("ecometer: run label refused: " + (why or "unknown reason"))

    def begin(self, name):
        return self.lib.eco_region_begin(self.s, name.encode("utf-8")) == 0

    def end(self, name):
        return self.lib.eco_region_end(self.s, name.encode("utf-8")) == 0

    def items(self, n):
        return self.lib.eco_items(self.s, n) == 0

    def region_figures(self, name):
        """A closed region's figures as a dict, or None when not known."""
        if not hasattr(self.lib, "eco_region_figures"):
            return None
        r, doms, n = _Region(), (_Domain * MAX_DOMAINS)(), ctypes.c_uint(0)
        if self.lib.eco_region_figures(self.s, name.encode("utf-8"), ctypes.byref(r), doms, MAX_DOMAINS,
                                       ctypes.byref(n)) != 0:
            return None
        return {"duration_s": r.duration_s, "energy_j": r.energy_j, "co2e_g": r.co2e_g,
                "estimated_j": r.estimated_j, "items": r.items, "domains": domains_from(doms, n.value)}

    def stop(self):
        """Stop; the session's figures as a dict."""
        s, self.s = self.s, None
        if s is None:
            raise RuntimeError("this session is already stopped")
        out = _Summary()
        if hasattr(self.lib, "eco_session_stop_domains"):
            doms, n = (_Domain * MAX_DOMAINS)(), ctypes.c_uint(0)
            rc = self.lib.eco_session_stop_domains(s, ctypes.byref(out), doms, MAX_DOMAINS, ctypes.byref(n))
            domains = domains_from(doms, n.value)
        else:
            rc, domains = self.lib.eco_session_stop(s, ctypes.byref(out)), None
        if rc != 0:
            raise RuntimeError("ecometer: the session's figures could not be computed")
        return {"duration_s": out.duration_s, "energy_j": out.energy_j, "co2e_g": out.co2e_g,
                "estimated": bool(out.estimated), "domains": domains}
