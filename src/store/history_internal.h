/* Shared by the files of src/store/ (history.c: open, save, load, list;
 * history_query.c: run references, filters, deletion); not part of the
 * store's interface (store/history.h). */
#ifndef ECO_STORE_HISTORY_INTERNAL_H
#define ECO_STORE_HISTORY_INTERNAL_H

#include <limits.h>
#include <sqlite3.h>

#include "store/history.h"

struct eco_history {
    sqlite3 *db;
    int readonly;
    char path[PATH_MAX];
    char damage[256]; /* integrity_check's finding when a reader opened a damaged file */
    char note[PATH_MAX + 96]; /* what opening it repaired, for the caller to say (eco_history_note) */
    /* The run row's upsert, prepared at the first save and kept: it names
     * every stored field (60-odd), and preparing it again at each 5-second
     * checkpoint was a fifth of the checkpoint's cost. */
    sqlite3_stmt *save_run;
    /* The other statements of a save (child rows, power series), prepared at
     * the first save that needs each and kept, keyed by their SQL text
     * (eco_history_kept): preparing them at every checkpoint was an eighth
     * of its instructions. */
    struct eco_kept_stmt {
        char *sql;
        sqlite3_stmt *st;
    } *kept;
    size_t n_kept;
};

/* An SQLite result code as a message a person can act on (locked,
 * read-only, not a database, disk full); returns -1. */
int eco_history_fail(struct eco_history *h, int rc, const char *doing, struct eco_err *err);
int eco_history_exec(struct eco_history *h, const char *sql, const char *doing, struct eco_err *err);
int eco_history_prepare(struct eco_history *h, const char *sql, sqlite3_stmt **st, struct eco_err *err);
/* Like eco_history_prepare, but the statement is the handle's: prepared once,
 * kept until eco_history_close, never finalised by the caller, which resets
 * it after use (eco_history_step_done does). */
int eco_history_kept(struct eco_history *h, const char *sql, sqlite3_stmt **st, struct eco_err *err);
/* Step a statement that returns no row, then reset it for the next use. */
int eco_history_step_done(struct eco_history *h, sqlite3_stmt *st, const char *doing, struct eco_err *err);

/* " WHERE ..." for the filter (or ""), and its values bound from parameter
 * `first` on; returns how many parameters it bound. */
void eco_run_filter_sql(const struct eco_run_filter *f, char *buf, size_t len);
int eco_run_filter_bind(sqlite3_stmt *st, const struct eco_run_filter *f, int first);

#endif
