/* Schema steps of the history database. Never edit a step once released:
 * add a new one, so that every existing file can be brought up to date. */
#include "store/migrate.h"

#include "meter/record_fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct step {
    const char *what;
    const char *sql;
};

static const struct step steps[] = {
    /* 1 */
    {"runs, domains, power series and regions",
     "CREATE TABLE migrations (version INTEGER PRIMARY KEY, what TEXT NOT NULL,"
     " applied_unix REAL NOT NULL);"
     "CREATE TABLE runs ("
     " id TEXT PRIMARY KEY, kind TEXT NOT NULL DEFAULT 'run',"
     " host TEXT, os TEXT, cpu_model TEXT, cpu_count INTEGER, gpu_model TEXT, gpu_count INTEGER,"
     " ram_gb REAL, command TEXT,"
     " start_unix REAL, end_unix REAL, duration_s REAL,"
     " exit_status INTEGER, term_signal INTEGER, complete INTEGER NOT NULL DEFAULT 0,"
     " interval_s REAL,"
     " baseline_w REAL, baseline_source TEXT,"
     " total_energy_j REAL, net_energy_j REAL, attributed_energy_j REAL, attribution_method TEXT,"
     " region_code TEXT, intensity_label TEXT, intensity_g_per_kwh REAL,"
     " intensity_is_default INTEGER, co2e_g REAL, items INTEGER,"
     " saved_unix REAL);"
     "CREATE TABLE domains ("
     " run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, idx INTEGER NOT NULL,"
     " name TEXT, device TEXT, kind TEXT, method TEXT, top_level INTEGER,"
     " energy_j REAL, avg_w REAL, peak_w REAL, gap_s REAL, note TEXT,"
     " PRIMARY KEY (run_id, idx));"
     "CREATE TABLE samples ("
     " run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, domain_idx INTEGER NOT NULL,"
     " seq INTEGER NOT NULL, t REAL NOT NULL, watts REAL NOT NULL,"
     " PRIMARY KEY (run_id, domain_idx, seq)) WITHOUT ROWID;"
     "CREATE TABLE regions ("
     " run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, idx INTEGER NOT NULL,"
     " name TEXT, start_s REAL, end_s REAL, energy_j REAL, net_energy_j REAL, items INTEGER,"
     " PRIMARY KEY (run_id, idx));"},
    /* 2 */
    {"index runs by start time (newest-first listings)",
     "CREATE INDEX runs_by_start ON runs(start_unix DESC);"},
    /* 3 */
    {"figures the meter added: estimated share, rejected markers, interval and attribution notes",
     "ALTER TABLE runs ADD COLUMN estimated_energy_j REAL NOT NULL DEFAULT 0;"
     "ALTER TABLE runs ADD COLUMN rejected_markers INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE runs ADD COLUMN interval_note TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE runs ADD COLUMN attribution_note TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE runs ADD COLUMN attributed_share REAL NOT NULL DEFAULT 0;"},
    /* 4 and later: NULL sql adds the run record's fields whose `since` is
     * this version (meter/record_fields.c), so the table is the schema. */
    {"the forecast of runs measured with --epochs", NULL},
    /* 5 */ {"names, tags and projects of runs", NULL},
    /* 6 */ {"carbon intensity over time", NULL},
    /* 7 */ {"embodied emissions", NULL},
    /* 8 */ {"fixed-time runs", NULL},
};
#define N_STEPS ((int)(sizeof steps / sizeof steps[0]))

int eco_store_latest_version(void) { return N_STEPS; }

/* The SQL type of a run field's column (NOT NULL with a default, so the
 * rows stored before it get a value). */
static const char *column_type(const struct eco_field *f)
{
    return f->type == ECO_FIELD_TEXT   ? "TEXT NOT NULL DEFAULT ''"
           : f->type == ECO_FIELD_REAL ? "REAL NOT NULL DEFAULT 0"
                                       : "INTEGER NOT NULL DEFAULT 0";
}

/* "ALTER TABLE runs ADD COLUMN ..." for the fields added in `version`. */
static char *added_columns(int version)
{
    size_t cap = 4096, o = 0;
    char *sql = malloc(cap);
    if (!sql)
        return NULL;
    sql[0] = '\0';
    for (size_t i = 0; i < eco_n_run_fields; i++) {
        const struct eco_field *f = &eco_run_fields[i];
        if (!f->sql || f->since != version)
            continue;
        int k = snprintf(sql + o, cap - o, "ALTER TABLE runs ADD COLUMN %s %s;", f->sql, column_type(f));
        if (k < 0 || (size_t)k >= cap - o) {
            free(sql);
            return NULL;
        }
        o += (size_t)k;
    }
    return sql;
}

/* The step's SQL: its own text, or the columns the field table added. */
static int apply_step(sqlite3 *db, const struct step *s, int version, char **msg)
{
    if (s->sql)
        return sqlite3_exec(db, s->sql, NULL, NULL, msg);
    char *sql = added_columns(version);
    if (!sql)
        return SQLITE_NOMEM;
    int rc = sqlite3_exec(db, sql, NULL, NULL, msg);
    free(sql);
    return rc;
}

int eco_store_version(sqlite3 *db, int *version, struct eco_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        eco_err_set(err, 1, "cannot read the history's schema version: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return 0;
}

int eco_store_migrate(sqlite3 *db, int target, struct eco_err *err)
{
    int version;
    if (eco_store_version(db, &version, err) != 0)
        return -1;
    if (target > N_STEPS)
        target = N_STEPS;
    while (version < target) {
        const struct step *s = &steps[version];
        int next = version + 1;
        char tail[256];
        snprintf(tail, sizeof tail,
                 "INSERT INTO migrations(version, what, applied_unix) VALUES (%d, '%s', %.3f);"
                 "PRAGMA user_version = %d;",
                 next, s->what, (double)time(NULL), next);
        char *msg = NULL;
        /* BEGIN IMMEDIATE: two ecometers opening an old file at once must not
         * both apply the same step; the second waits, then sees it done. */
        int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg);
        if (rc == SQLITE_OK) {
            int now;
            if (eco_store_version(db, &now, err) != 0) {
                sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
                return -1;
            }
            if (now >= next) { /* another process did it meanwhile */
                sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
                version = now;
                continue;
            }
            rc = apply_step(db, s, next, &msg);
            if (rc == SQLITE_OK)
                rc = sqlite3_exec(db, tail, NULL, NULL, &msg);
            if (rc == SQLITE_OK)
                rc = sqlite3_exec(db, "COMMIT", NULL, NULL, &msg);
        }
        if (rc != SQLITE_OK) {
            eco_err_set(err, 1, "cannot upgrade the history to schema version %d (%s): %s", next,
                        s->what, msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        version = next;
    }
    return 0;
}

/* "|col|col|...|": the columns the runs table has now. */
static int runs_columns(sqlite3 *db, char *out, size_t cap)
{
    sqlite3_stmt *st = NULL;
    size_t o = 0;
    out[o++] = '|';
    out[o] = '\0';
    int rc = sqlite3_prepare_v2(db, "PRAGMA table_info(runs)", -1, &st, NULL);
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 1);
        int k = snprintf(out + o, cap - o, "%s|", name ? name : "");
        if (k < 0 || (size_t)k >= cap - o) {
            rc = SQLITE_TOOBIG;
            break;
        }
        o += (size_t)k;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The stored run fields of this build's schema that the runs table lacks. */
static int missing_columns(const char *have, char *sql, size_t cap)
{
    size_t o = 0;
    sql[0] = '\0';
    for (size_t i = 0; i < eco_n_run_fields; i++) {
        const struct eco_field *f = &eco_run_fields[i];
        char key[80];
        if (!f->sql || f->since > N_STEPS)
            continue;
        snprintf(key, sizeof key, "|%s|", f->sql);
        if (strstr(have, key))
            continue;
        int k = snprintf(sql + o, cap - o, "ALTER TABLE runs ADD COLUMN %s %s;", f->sql, column_type(f));
        if (k < 0 || (size_t)k >= cap - o)
            return -1;
        o += (size_t)k;
    }
    return 0;
}

int eco_store_add_missing_columns(sqlite3 *db, int *added, struct eco_err *err)
{
    char have[8192], sql[8192];
    *added = 0;
    if (runs_columns(db, have, sizeof have) != SQLITE_OK || missing_columns(have, sql, sizeof sql) != 0) {
        eco_err_set(err, 1, "cannot read the history's columns: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (!sql[0])
        return 0; /* the usual case: one PRAGMA, nothing to add */
    char *msg = NULL;
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg);
    /* again inside the transaction: another ecometer may have added them */
    if (rc == SQLITE_OK && (runs_columns(db, have, sizeof have) != SQLITE_OK ||
                            missing_columns(have, sql, sizeof sql) != 0))
        rc = SQLITE_ERROR;
    if (rc == SQLITE_OK && sql[0])
        rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "COMMIT", NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        eco_err_set(err, 1, "cannot add the missing columns to the history: %s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    *added = sql[0] != '\0';
    return 0;
}
