/* The history of runs: an embedded SQLite database (WAL mode, schema version
 * with migrations). Path: --db FILE, else ECOMETER_DB, else db = FILE in the
 * config file (core/settings.h), else
 * $XDG_DATA_HOME/ecometer/history.db (~/.local/share/ecometer/history.db).
 * Implemented in src/store/history.c (open, save, load, list, delete) and
 * src/store/migrate.c (the schema and its migration steps). */
#ifndef ECO_STORE_HISTORY_H
#define ECO_STORE_HISTORY_H

#include <stddef.h>

#include "core/err.h"
#include "meter/result.h"

struct eco_history;

/* path NULL: the default path above. Creates the file and its folder. */
struct eco_history *eco_history_open(const char *path, struct eco_err *err);
/* For commands that only read (runs, show, compare, export, report): never
 * creates anything; a missing file is an error that says no run is stored
 * yet. A history that is read-only on disk still opens. */
struct eco_history *eco_history_open_existing(const char *path, struct eco_err *err);
void eco_history_close(struct eco_history *h);
/* The path an open history uses / the path NULL resolves to. */
const char *eco_history_path(const struct eco_history *h);
int eco_history_default_path(char *buf, size_t len, struct eco_err *err);
/* What SQLite's integrity_check found when a reader opened a damaged history
 * (writers refuse it: see src/store/history_check.h), else NULL. */
const char *eco_history_damage(const struct eco_history *h);
/* What opening the history repaired (columns a development build's file
 * lacked), a sentence for the caller to show as a note, else NULL. */
const char *eco_history_note(const struct eco_history *h);
/* How long a write waits for another writer before giving up "locked"
 * (default 15 s; tests shorten it). */
void eco_history_set_busy_timeout(struct eco_history *h, int ms);

/* Insert the run, or replace it if a run with the same id is stored (so the
 * meter saves at start with complete = 0, refreshes it during the run, and
 * saves the final figures at the end: a run cut short stays, marked
 * incomplete). Power series are append-only between saves, so a refresh
 * writes only the new points. */
int eco_history_save(struct eco_history *h, const struct eco_run_result *r, struct eco_err *err);
/* Load one run (a reference, see eco_history_resolve) into *out (free with
 * eco_run_result_free). */
int eco_history_load(struct eco_history *h, const char *ref, struct eco_run_result *out,
                     struct eco_err *err);

/* A run reference into the run's id (room for len bytes), in this order:
 *   latest, latest~N   the newest run, the Nth before it
 *   an id              exactly
 *   NAME~N             the Nth run before the newest named NAME (N >= 0)
 *   a unique id prefix the run whose id starts with it
 *   NAME               the newest run named NAME (--name)
 * So an id or a unique prefix wins over a name; a prefix that several ids
 * share and that is no name is an error listing them. Implemented in
 * src/store/history_query.c. */
int eco_history_resolve(struct eco_history *h, const char *ref, char *id, size_t len, struct eco_err *err);

/* Which runs a listing or a prune takes; every member unset (NULL or 0)
 * takes every run. */
struct eco_run_filter {
    const char *project;      /* --project: exactly this project */
    const char *tag;          /* --tag: runs with this tag among theirs */
    double since_unix;        /* > 0: started at or after this time */
    double before_unix;       /* > 0: started before this time */
};

/* Runs newest first (at most limit; limit <= 0: all): run-level fields only
 * (domains, regions and series are NULL / 0). Free with free(*out). */
int eco_history_list(struct eco_history *h, int limit, struct eco_run_result **out, size_t *n,
                     struct eco_err *err);
/* The same, of the runs the filter takes (f NULL: all). */
int eco_history_find(struct eco_history *h, const struct eco_run_filter *f, int limit, struct eco_run_result **out,
                     size_t *n, struct eco_err *err);
/* How many domains a listed run has (0: nothing was measured or estimated),
 * or -1 when the query fails. */
int eco_history_domain_count(struct eco_history *h, const char *id);
/* Delete one run (by the same references as load) with its series. */
int eco_history_delete(struct eco_history *h, const char *ref, struct eco_err *err);
/* Delete these runs (ids, as resolved) with their series in one transaction:
 * all of them or, on error, none. A run still being measured comes back
 * whole at its meter's next save (a save writes the whole record). */
int eco_history_delete_ids(struct eco_history *h, char *const *ids, size_t n, struct eco_err *err);

/* The schema version this build writes (PRAGMA user_version). */
int eco_history_schema_version(void);

/* The stored kind and method of a domain are eco_kind_name / eco_method_name
 * (sensors/sensor.h); these read them back (unknown text: ECO_KIND_OTHER /
 * ECO_ESTIMATED, so a file written by a newer build never passes an unknown
 * figure as measured). */
enum eco_kind eco_history_kind_parse(const char *s);
enum eco_method eco_history_method_parse(const char *s);

#endif
