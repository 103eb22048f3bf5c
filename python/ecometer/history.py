"""Read the history of runs (the SQLite file `ecometer run` writes), read-only.

The path: the `db` argument, else ECOMETER_DB, else
$XDG_DATA_HOME/ecometer/history.db (~/.local/share/ecometer/history.db).
Figures are in joules, watts, seconds and grams CO2e, as stored.
"""

import os
import sqlite3
import urllib.parse

_RUN_COLUMNS = (
    "id", "kind", "host", "os", "cpu_model", "cpu_count", "gpu_model", "gpu_count", "ram_gb", "command",
    "start_unix", "end_unix", "duration_s", "exit_status", "term_signal", "complete", "interval_s",
    "baseline_w", "baseline_source", "total_energy_j", "net_energy_j", "attributed_energy_j",
    "attribution_method", "region_code", "intensity_label", "intensity_g_per_kwh", "intensity_is_default",
    "co2e_g", "items",
)
# Added in schema version 3: read when the file has them (this module never
# upgrades a history; the ecometer command does).
_RUN_COLUMNS_V3 = ("estimated_energy_j", "rejected_markers", "interval_note", "attribution_note",
                   "attributed_share")


def _columns(con):
    have = {r[1] for r in con.execute("PRAGMA table_info(runs)")}
    return _RUN_COLUMNS + tuple(c for c in _RUN_COLUMNS_V3 if c in have)


def default_db_path():
    env = os.environ.get("ECOMETER_DB")
    if env:
        return env
    xdg = os.environ.get("XDG_DATA_HOME")
    if xdg and xdg.startswith("/"):
        return os.path.join(xdg, "ecometer", "history.db")
    return os.path.join(os.path.expanduser("~"), ".local", "share", "ecometer", "history.db")


def _connect(db):
    path = db or default_db_path()
    if not os.path.exists(path):
        raise FileNotFoundError("no ecometer history at %s yet (runs are stored there by `ecometer run`)" % path)
    # mode=ro: this module never writes the history, even by accident.
    uri = "file:%s?mode=ro" % urllib.parse.quote(os.path.abspath(path))
    con = sqlite3.connect(uri, uri=True, timeout=15)
    con.row_factory = sqlite3.Row
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as e:
        con.close()
        raise ValueError("%s is not a readable ecometer history: %s" % (path, e)) from None
    return con


def _run_dict(row):
    d = {k: row[k] for k in row.keys()}
    d["complete"] = bool(d["complete"])
    d["intensity_is_default"] = bool(d["intensity_is_default"])
    return d


def runs(db=None, limit=None):
    """The stored runs, newest first: a list of dicts of run-level figures."""
    con = _connect(db)
    try:
        sql = "SELECT %s FROM runs ORDER BY start_unix DESC, rowid DESC" % ", ".join(_columns(con))
        if limit is not None:
            sql += " LIMIT %d" % int(limit)
        return [_run_dict(r) for r in con.execute(sql)]
    finally:
        con.close()


def _resolve(con, ref):
    if ref == "latest" or (isinstance(ref, str) and ref.startswith("latest~")):
        back = 0 if ref == "latest" else int(ref[7:])
        row = con.execute("SELECT id FROM runs ORDER BY start_unix DESC, rowid DESC LIMIT 1 OFFSET ?",
                          (back,)).fetchone()
        if row is None:
            raise KeyError("no run %s in the history" % ref)
        return row[0]
    rows = con.execute("SELECT id FROM runs WHERE id = ?1 OR substr(id, 1, length(?1)) = ?1 "
                       "ORDER BY (id = ?1) DESC LIMIT 3", (ref,)).fetchall()
    if not rows:
        raise KeyError("no run %r in the history" % ref)
    if len(rows) > 1 and rows[0][0] != ref:
        raise KeyError("run %r is ambiguous: %s" % (ref, ", ".join(r[0] for r in rows)))
    return rows[0][0]


def load(run="latest", db=None):
    """One run by id, unique id prefix, "latest" or "latest~N": a dict with
    the run's figures, "domains" (each with "series": [(t_s, watts), ...])
    and "regions"."""
    con = _connect(db)
    try:
        rid = _resolve(con, run)
        row = con.execute("SELECT %s FROM runs WHERE id = ?" % ", ".join(_columns(con)), (rid,)).fetchone()
        out = _run_dict(row)
        out["domains"] = []
        for d in con.execute("SELECT idx, name, device, kind, method, top_level, energy_j, avg_w, peak_w, "
                             "gap_s, note FROM domains WHERE run_id = ? ORDER BY idx", (rid,)):
            dom = {k: d[k] for k in d.keys() if k != "idx"}
            dom["top_level"] = bool(dom["top_level"])
            dom["series"] = [(s[0], s[1]) for s in con.execute(
                "SELECT t, watts FROM samples WHERE run_id = ? AND domain_idx = ? ORDER BY seq", (rid, d["idx"]))]
            out["domains"].append(dom)
        out["regions"] = [{k: g[k] for k in g.keys()} for g in con.execute(
            "SELECT name, start_s, end_s, energy_j, net_energy_j, items FROM regions "
            "WHERE run_id = ? ORDER BY idx", (rid,))]
        return out
    finally:
        con.close()
