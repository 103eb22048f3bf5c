"""Region and item markers sent to the enclosing `ecometer run`.

Protocol (defined by the meter): a Unix SOCK_DGRAM socket at the path in
ECOMETER_SOCKET; one datagram per command, UTF-8 text, exactly one of
    begin NAME
    end NAME
    items COUNT
"""

import contextlib
import os
import socket
import threading
import warnings

_lock = threading.Lock()
_sock = None
_sock_path = None
_warned = set()
_dropped = 0


def dropped():
    """Markers dropped because the meter's queue was full (never waited for)."""
    return _dropped


def _caller_stacklevel():
    """The warnings stacklevel of the first frame outside this package and
    contextlib (the user's line), whether called through begin() or region()."""
    import sys
    here = os.path.dirname(os.path.abspath(__file__))

    def ours(frame):
        name = frame.f_code.co_filename
        return os.path.dirname(os.path.abspath(name)) == here or name.endswith("contextlib.py")

    f, level = sys._getframe(1), 1  # level 1 = the frame calling warnings.warn
    while f is not None and ours(f):
        f, level = f.f_back, level + 1
    return level


def _warn_once(key, message):
    if key not in _warned:
        _warned.add(key)
        warnings.warn(message, RuntimeWarning, stacklevel=_caller_stacklevel())


def _send(text):
    """Send one command; never raises for a missing or vanished meter: the
    measured program must not fail because its meter did."""
    global _sock, _sock_path, _dropped
    path = os.environ.get("ECOMETER_SOCKET")
    if not path:
        _warn_once("unset", "ecometer: ECOMETER_SOCKET is not set (not running under `ecometer run`); "
                            "region and item markers are ignored")
        return False
    data = text.encode("utf-8")
    with _lock:
        try:
            if _sock is None or _sock_path != path:
                if _sock is not None:
                    _sock.close()
                _sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                # Never block the measured program on a meter that is behind
                # (as the C API does with MSG_DONTWAIT): a full queue drops
                # the marker and counts it.
                _sock.setblocking(False)
                _sock_path = path
            _sock.sendto(data, path)
            return True
        except BlockingIOError:
            _dropped += 1
            _warn_once("full:" + path, "ecometer: the meter at %s is not keeping up; markers are dropped "
                       "(ecometer.dropped() counts them)" % path)
            return False
        except OSError as e:
            _warn_once("send:" + path, "ecometer: cannot reach the meter at %s (%s); markers are ignored"
                       % (path, e.strerror or e))
            return False


def _check_name(name):
    if not isinstance(name, str) or not name.strip():
        raise ValueError("a region name must be a non-empty string")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise ValueError("a region name must not contain control characters (newlines, tabs): %r" % name)
    return name


def begin(name):
    """Start region NAME (e.g. "epoch-3"). Returns True when the meter got it."""
    return _send("begin " + _check_name(name))


def end(name):
    """End region NAME."""
    return _send("end " + _check_name(name))


def items(count):
    """Count COUNT items (images, tokens, samples) done in the open regions
    and the run; energy per item is computed from them."""
    if isinstance(count, bool) or not isinstance(count, int):
        try:
            import numbers
            if isinstance(count, numbers.Integral) and not isinstance(count, bool):
                count = int(count)
            else:
                raise TypeError
        except TypeError:
            raise TypeError("items() takes a whole number, not %r" % (count,)) from None
    if count < 0:
        raise ValueError("items() takes a count >= 0, not %d" % count)
    return _send("items %d" % count)


_count_items = items  # region() has a parameter of the same name


@contextlib.contextmanager
def region(name, items=None):
    """with ecometer.region("epoch-1", items=len(batch)): ...

    Marks the block as region NAME; ITEMS (if given) are counted inside it,
    just before it ends, so the region's energy per item is known. The end is
    sent even when the block raises."""
    _check_name(name)
    if items is not None:
        # Validate before the block runs, not after an hour of training.
        if isinstance(items, bool) or not hasattr(items, "__index__") or items.__index__() < 0:
            raise ValueError("items must be a whole number >= 0, not %r" % (items,))
    begin(name)
    try:
        yield
    finally:
        if items is not None:
            _count_items(items.__index__())
        end(name)
