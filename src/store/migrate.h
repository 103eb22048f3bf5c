/* The history's schema as a list of migration steps. PRAGMA user_version is
 * the number of steps applied; opening a history applies the missing ones in
 * one transaction each and logs them in the `migrations` table, so a file
 * written by an older ecometer is upgraded in place and one written by a
 * newer ecometer is refused instead of misread. */
#ifndef ECO_STORE_MIGRATE_H
#define ECO_STORE_MIGRATE_H

#include <sqlite3.h>

#include "core/err.h"

/* Number of steps this build knows (= the latest schema version). */
int eco_store_latest_version(void);
/* Read PRAGMA user_version into *version. */
int eco_store_version(sqlite3 *db, int *version, struct eco_err *err);
/* Apply steps until the schema is at `target` (<= latest). */
int eco_store_migrate(sqlite3 *db, int target, struct eco_err *err);
/* Add the columns of this build's run fields that a history at the latest
 * version still lacks (a file written by a development build whose step of
 * the same number held fewer fields): one PRAGMA when nothing is missing.
 * *added: 1 when columns were added. */
int eco_store_add_missing_columns(sqlite3 *db, int *added, struct eco_err *err);

#endif
