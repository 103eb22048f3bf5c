"""measure(fn, *args, **kw): call fn(*args, **kw) here, in this process,
inside a window, and return the window with fn's return value.

Any callable works: a function of __main__, a lambda, a bound method, a
closure. Nothing is pickled and no child interpreter is started, so only
the call itself is measured (not an interpreter's start-up). Standalone the
call is stored in the history as a run whose command names it
("python: train.fit(3)"); under `ecometer run` it is a region of that run.
An exception in fn propagates unchanged, after the window is closed.
"""

from .window import Window, _name63, describe_call

Measured = Window  # what measure() returns (a Window with .value set)


def measure(fn, *args, ecometer_region=None, ecometer_items=None, ecometer_run_name=None, ecometer_tags=None,
            ecometer_project=None, **kw):
    """Measure fn(*args, **kw); returns the closed Window (m.value is what fn
    returned, m.energy_j, m.co2e_g, m.duration_s, m.domains its figures,
    m.result all of them as a dict).

    ecometer_region  carbon-intensity place (e.g. "FR") when measured standalone
    ecometer_items   items the call processes (energy per item)
    ecometer_run_name, ecometer_tags, ecometer_project
                     the stored run's name, tags and project when standalone
                     (window()'s run_name, tags, project)
    Every other keyword argument goes to fn.
    """
    if not callable(fn):
        raise TypeError("measure() needs a callable, not %r" % (fn,))
    what = describe_call(fn, args, kw)
    w = Window(_name63(what), ecometer_items, region=ecometer_region, describe="python: " + what,
               run_name=ecometer_run_name, tags=ecometer_tags, project=ecometer_project)
    with w:
        w.value = fn(*args, **kw)
    return w
