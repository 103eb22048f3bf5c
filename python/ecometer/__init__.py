"""ecometer from Python: mark regions and count items of a script measured by
`ecometer run`, read the history of runs, and measure a function.

Pure Python, standard library only; nothing to compile.

    import ecometer

    with ecometer.region("epoch-1", items=len(dataset)):   # inside `ecometer run -- python train.py`
        train_one_epoch()

    ecometer.runs()            # the stored runs, newest first (list of dicts)
    ecometer.load("latest")    # one run with its domains, power series and regions
    m = ecometer.measure(fn, x, y)   # fn(x, y) run under `ecometer run`; m.value, m.result

Markers travel over the socket named in ECOMETER_SOCKET, which `ecometer run`
puts in the environment of the command it measures. Outside `ecometer run`
they do nothing (with one warning), so a script runs the same either way.
"""

from .history import default_db_path, load, runs
from .markers import begin, dropped, end, items, region
from .measure import Measured, measure

__all__ = ["region", "begin", "end", "items", "dropped", "runs", "load", "default_db_path", "measure", "Measured"]
__version__ = "0.1.0"
