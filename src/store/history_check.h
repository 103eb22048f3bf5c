/* Is this SQLite file an ecometer history, and is it whole? Checked on every
 * open (src/store/history.c):
 *  - ownership: PRAGMA application_id is ECO_HISTORY_APP_ID ("ECOM"); a file
 *    with another program's id, or without an id but with tables that are
 *    not ecometer's, is refused (ecometer never adds its tables to it).
 *    Histories written before the id existed (no id, ecometer's tables) are
 *    ours: a writer stamps the id on them.
 *  - damage: PRAGMA integrity_check(1), not the cheaper quick_check, which
 *    misses rows out of key order (3 of 57 randomly damaged copies in
 *    tests/e2e/fault_history_damage.py). On a 58 MB history (2.2 M samples):
 *    0.61 s against 0.43 s; on a typical one of a few MB, milliseconds.
 *    Writers refuse a damaged file, readers say so and show what they can. */
#ifndef ECO_STORE_HISTORY_CHECK_H
#define ECO_STORE_HISTORY_CHECK_H

#include <sqlite3.h>
#include <stddef.h>

#include "core/err.h"

#define ECO_HISTORY_APP_ID 0x45434F4D /* "ECOM" */

/* 0: ours (or empty); *stamp = 1 when the id is still to be written.
 * -1: another program's file (err says which and what to do). */
int eco_store_check_owner(sqlite3 *db, const char *path, int *stamp, struct eco_err *err);
/* Write the application id (a writer, on an empty or older history). */
int eco_store_stamp_owner(sqlite3 *db);
/* 1: whole; 0: damaged (why holds SQLite's first finding). full: the
 * integrity check, else the quick check. */
int eco_store_quick_check(sqlite3 *db, int full, char *why, size_t len);
/* Open path read-only and quick-check it: 1 when it exists and is damaged
 * (why filled), else 0. For a writer that was refused, to tell damage from
 * other failures (locked, read-only, another program's). */
int eco_history_file_damaged(const char *path, char *why, size_t len);
/* A fresh history path next to a damaged one: "<path minus .db>.after-damage-
 * YYYYmmdd-HHMMSS.db"; 0 or -1 (too long). */
int eco_history_fresh_path(const char *path, char *out, size_t len);

#endif
