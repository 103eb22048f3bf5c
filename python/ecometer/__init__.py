"""ecometer from Python: measure windows of a program and get their energy
and CO2e back, mark regions and count items of a script measured by
`ecometer run`, measure a function call, hook into training loops and
notebooks, and read the history of runs.

Pure Python, standard library only; nothing to compile.

    import ecometer

    with ecometer.window("epoch-1", items=len(dataset)) as w:
        train_one_epoch()
    print(w.energy_j, w.co2e_g, w.duration_s, w.domains)

    m = ecometer.measure(train.fit, 3)     # in this process; m.value, m.energy_j
    with ecometer.region("epoch-1"):       # a marker only (inside `ecometer run`)
        ...
    ecometer.runs(); ecometer.load("latest")   # the stored runs

Windows talk to the enclosing `ecometer run` through the socket named in
ECOMETER_SOCKET; without it they measure in this process through
libecometer.so (ctypes), or raise ecometer.Unavailable saying why.
Training callbacks: ecometer.callbacks; notebooks: %load_ext ecometer.
"""

from ._lib import Unavailable
from .history import default_db_path, load, runs
from .markers import begin, dropped, end, items, region
from .measure import Measured, measure
from .window import Window, window

__all__ = ["window", "Window", "measure", "Measured", "Unavailable", "region", "begin", "end", "items", "dropped",
           "runs", "load", "default_db_path", "load_ipython_extension"]
__version__ = "0.2.0"


def load_ipython_extension(ipython):
    """%load_ext ecometer: the %%ecometer, %ecometer_start and %ecometer_stop magics."""
    from .magics import register
    register(ipython)
