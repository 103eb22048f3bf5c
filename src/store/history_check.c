#include "store/history_check.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/safe_open.h"

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Counts the tables that are not ecometer's and gives the first one's name. */
static int foreign_tables(sqlite3 *db, int *ours, char *first, size_t len)
{
    static const char *const mine[] = {"migrations", "runs", "domains", "samples", "regions"};
    sqlite3_stmt *st = NULL;
    int others = 0;
    *ours = 0;
    first[0] = 0;
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table'", -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        int known = !name || strncmp(name, "sqlite_", 7) == 0;
        for (size_t i = 0; i < sizeof mine / sizeof mine[0] && !known; i++)
            known = strcmp(name, mine[i]) == 0 ? (++*ours, 1) : 0;
        if (!known && !others++)
            snprintf(first, len, "%s", name);
    }
    sqlite3_finalize(st);
    return others;
}

static int check_owner_snapshot(sqlite3 *db, const char *path, int *stamp, struct eco_err *err)
{
    int app = 0, version = 0, ours = 0;
    char other[128];
    *stamp = 0;
    if (pragma_int(db, "PRAGMA application_id", &app) != 0 ||
        pragma_int(db, "PRAGMA user_version", &version) != 0)
        return 0; /* unreadable: the schema read reports it */
    if (app == ECO_HISTORY_APP_ID)
        return 0;
    if (app != 0) {
        eco_err_set(err, 2, "%s is not an ecometer history: it belongs to another program "
                            "(SQLite application_id 0x%08x)", path, (unsigned)app);
        eco_err_hint(err, "ecometer leaves it untouched; choose another file with --db FILE or ECOMETER_DB");
        return -1;
    }
    int others = foreign_tables(db, &ours, other, sizeof other);
    if (others == 0 && (ours == 0 ? version == 0 : ours >= 2 && version >= 1)) {
        *stamp = 1; /* empty, or written before the id existed */
        return 0;
    }
    if (others > 0)
        eco_err_set(err, 2, "%s is not an ecometer history: it holds other tables (e.g. '%s')", path, other);
    else
        eco_err_set(err, 2, "%s is not an ecometer history (schema version %d without its tables)", path,
                    version);
    eco_err_hint(err, "ecometer adds nothing to it; choose another file with --db FILE or ECOMETER_DB");
    return -1;
}

/* The id, the version and the table list are read in one read transaction:
 * another ecometer creating the same new file commits its first schema step
 * (tables + user_version) at once, and reading the version before that
 * commit and the tables after it would take a history being created for
 * another program's file. A SAVEPOINT opens a transaction when none is open
 * and nests inside one otherwise. */
int eco_store_check_owner(sqlite3 *db, const char *path, int *stamp, struct eco_err *err)
{
    int snap = sqlite3_exec(db, "SAVEPOINT eco_owner_check", NULL, NULL, NULL) == SQLITE_OK;
    int rc = check_owner_snapshot(db, path, stamp, err);
    if (snap)
        sqlite3_exec(db, "RELEASE eco_owner_check", NULL, NULL, NULL);
    return rc;
}

int eco_store_stamp_owner(sqlite3 *db)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d", ECO_HISTORY_APP_ID);
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int eco_store_quick_check(sqlite3 *db, int full, char *why, size_t len)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, full ? "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)", -1, &st,
                                NULL);
    int whole = 0;
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        whole = r && strcmp(r, "ok") == 0;
        if (!whole)
            snprintf(why, len, "%s", r ? r : "no answer");
    } else {
        snprintf(why, len, "%s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return whole;
}

static int has_magic(const char *path)
{
    char head[16] = {0};
    FILE *f = fopen(path, "rbe");
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;
    if (f)
        fclose(f);
    return n == sizeof head && memcmp(head, "SQLite format 3", 16) == 0;
}

int eco_history_file_damaged(const char *path, char *why, size_t len)
{
    sqlite3 *db = NULL;
    int damaged = 0;
    struct eco_err special;
    if (eco_check_not_special(path, "--db", &special) != 0)
        return 0; /* a FIFO or device: refused as such, never opened */
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 2000);
        int rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
        /* "not a database" is damage only when the file says it is one
         * (SQLite's 16-byte magic): a text file named by --db is not. */
        if ((rc & 0xff) == SQLITE_CORRUPT || ((rc & 0xff) == SQLITE_NOTADB && has_magic(path))) {
            snprintf(why, len, "%s", sqlite3_errmsg(db));
            damaged = 1;
        } else if (rc == SQLITE_OK) {
            damaged = !eco_store_quick_check(db, 1, why, len);
            /* a busy or locked file is not damaged, only busy */
            if (damaged && strstr(why, "locked"))
                damaged = 0;
        }
    }
    sqlite3_close(db);
    return damaged;
}

int eco_history_fresh_path(const char *path, char *out, size_t len)
{
    size_t n = strlen(path);
    if (n > 3 && strcmp(path + n - 3, ".db") == 0)
        n -= 3;
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    int w = snprintf(out, len, "%.*s.after-damage-%s.db", (int)n, path, stamp);
    return w < 0 || (size_t)w >= len ? -1 : 0;
}
