"""IPython magics, registered by `%load_ext ecometer`:

    %%ecometer [--region FR] [--items N] [--name NAME] [--tag T]... [--project P]
        measure one cell: its energy and CO2e are printed under it, and it
        is stored as a run ("python: notebook cell: <first line>") named
        NAME with those tags and project; under `ecometer run` (a kernel
        started by it) it is a region NAME of that run, which keeps its own
        label.
    %ecometer_start [--region FR] [--tag T]... [--project P] [NAME]
    %ecometer_stop
        measure everything between them, over several cells; %ecometer_stop
        prints the figures and returns the window (w = %ecometer_stop).

IPython is imported only when the extension is loaded.
"""

import shlex

from .window import Window

_open = None  # the window of %ecometer_start


def _usage(msg):
    from IPython.core.error import UsageError
    return UsageError("ecometer: %s; usage: %%%%ecometer [--region CODE] [--items N] [--name NAME] "
                      "[--tag T]... [--project P], %%ecometer_start [--region CODE] [--tag T]... [--project P] "
                      "[NAME], %%ecometer_stop" % msg)


def parse(line, allow_items=True):
    """Options of a magic line: {"region", "items", "name", "tag" (a list or None), "project"}."""
    try:
        words = shlex.split(line)
    except ValueError as e:
        raise _usage(str(e)) from None
    opts = {"region": None, "items": None, "name": None, "tag": None, "project": None}
    i = 0
    while i < len(words):
        w = words[i]
        key, eq, val = w.partition("=")
        if key in ("--region", "--items", "--name", "--tag", "--project") and (allow_items or key != "--items"):
            if not eq:
                if i + 1 >= len(words):
                    raise _usage("%s needs a value" % key)
                i, val = i + 1, words[i + 1]
            if key == "--items":
                if not val.isdigit():
                    raise _usage("--items takes a whole number, not %r" % val)
                val = int(val)
            if key == "--tag":
                val = (opts["tag"] or []) + [v.strip() for v in val.split(",")]
            opts[key[2:]] = val
        elif w.startswith("-"):
            raise _usage("unknown option %r" % w)
        elif opts["name"] is None:
            opts["name"] = w
        else:
            raise _usage("unexpected %r" % w)
        i += 1
    return opts


def _first_line(cell):
    for line in cell.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()[:80]
    return "(empty cell)"


def _show(w):
    print("ecometer: " + w.summary())
    if w.source == "session":
        print("ecometer: stored in the history as a run (see `ecometer runs`)")


def _window(opts, name, items, describe):
    """The magic's window; its --name (when given), --tag and --project label
    the stored run. A bad label is a UsageError before anything runs."""
    try:
        return Window(name, items, region=opts["region"], describe=describe, run_name=opts["name"],
                      tags=opts["tag"], project=opts["project"])
    except (ValueError, TypeError) as e:
        raise _usage(str(e)) from None


def register(ipython):
    def ecometer(line, cell):
        opts = parse(line)
        first = _first_line(cell)
        w = _window(opts, opts["name"] or "cell: " + first, opts["items"], "python: notebook cell: " + first)
        with w:
            result = ipython.run_cell(cell)
        _show(w)
        if result.error_in_exec is not None:
            print("ecometer: (the cell raised %s)" % type(result.error_in_exec).__name__)

    def ecometer_start(line):
        global _open
        if _open is not None:
            raise _usage("a measurement is already started (%r): %%ecometer_stop first" % _open.name)
        opts = parse(line, allow_items=False)
        name = opts["name"] or "notebook cells"
        _open = _window(opts, name, None, "python: notebook cells: " + name).start()
        print("ecometer: measuring from here until %ecometer_stop")

    def ecometer_stop(line):
        global _open
        if line.strip():
            raise _usage("%ecometer_stop takes no argument")
        if _open is None:
            raise _usage("nothing to stop: %ecometer_start first")
        w, _open = _open, None
        w.stop()
        _show(w)
        return w

    ipython.register_magic_function(ecometer, magic_kind="cell", magic_name="ecometer")
    ipython.register_magic_function(ecometer_start, magic_kind="line", magic_name="ecometer_start")
    ipython.register_magic_function(ecometer_stop, magic_kind="line", magic_name="ecometer_stop")
