/* The history of runs in SQLite. Columns are described once (a table of
 * name, type and offset in the C struct) so that saving and loading cannot
 * drift apart. Every SQLite failure becomes a message a person can act on:
 * locked, read-only, not a database, disk full. */
#include "store/history.h"

#include <pthread.h>

#include "meter/record_fields.h"
#include "meter/run_derive.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/make_parent.h"
#include "core/safe_open.h"
#include "core/settings.h"
#include "store/history_check.h"
#include "store/history_internal.h"
#include "store/migrate.h"



/* ---- kind and method as stored text ---------------------------------- */
/* Stored as the names the sensors give them (eco_kind_name, eco_method_name),
 * so the database, JSON and Prometheus all speak the same words. */

enum eco_kind eco_history_kind_parse(const char *s)
{
    for (int k = ECO_KIND_CPU_PACKAGE; s && k <= ECO_KIND_OTHER; k++)
        if (strcmp(eco_kind_name((enum eco_kind)k), s) == 0)
            return (enum eco_kind)k;
    return ECO_KIND_OTHER;
}

enum eco_method eco_history_method_parse(const char *s)
{
    return s && strcmp(s, eco_method_name(ECO_MEASURED)) == 0 ? ECO_MEASURED : ECO_ESTIMATED;
}

int eco_history_schema_version(void) { return eco_store_latest_version(); }

/* ---- errors ------------------------------------------------------------ */

/* Turn an SQLite result code into an actionable message about this file. */
int eco_history_fail(struct eco_history *h, int rc, const char *doing, struct eco_err *err)
{
    const char *path = h ? h->path : "?";
    const char *detail = h && h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        eco_err_set(err, 1, "the history %s is locked by another process (while %s)", path, doing);
        eco_err_hint(err, "wait for the other ecometer to finish, or choose another file with "
                          "--db FILE or ECOMETER_DB");
        break;
    case SQLITE_READONLY:
        eco_err_set(err, 1, "the history %s is read-only (while %s)", path, doing);
        eco_err_hint(err, "give this user write access to the file and its folder, or choose "
                          "another file with --db FILE or ECOMETER_DB");
        break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        eco_err_set(err, 1, "%s is not a readable ecometer history: %s (while %s)", path, detail,
                    doing);
        eco_err_hint(err, "move the file aside (it is kept as it is) and ecometer starts a new "
                          "history, or choose another file with --db FILE or ECOMETER_DB");
        break;
    case SQLITE_FULL:
        eco_err_set(err, 1, "the disk holding the history %s is full (while %s)", path, doing);
        eco_err_hint(err, "free some space or choose another file with --db FILE");
        break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        eco_err_set(err, 1, "cannot open the history %s: %s (while %s)", path, detail, doing);
        eco_err_hint(err, "check that the folder exists and is writable, or choose another file "
                          "with --db FILE or ECOMETER_DB");
        break;
    default:
        eco_err_set(err, 1, "history %s: %s (while %s)", path, detail, doing);
        break;
    }
    return -1;
}

int eco_history_exec(struct eco_history *h, const char *sql, const char *doing, struct eco_err *err)
{
    int rc = sqlite3_exec(h->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : eco_history_fail(h, rc, doing, err);
}

/* ---- opening ----------------------------------------------------------- */

int eco_history_default_path(char *buf, size_t len, struct eco_err *err)
{
    struct eco_setting set; /* ECOMETER_DB, else db = FILE in the config file (core/settings.h) */
    int got = eco_setting_get("db", &set, err);
    if (got < 0)
        return -1;
    if (got) {
        if ((size_t)snprintf(buf, len, "%s", set.value) >= len)
            return eco_err_set(err, 2, "the history path set by %s is too long", set.where);
        return 0;
    }
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, len, "%s/ecometer/history.db", xdg);
    else if (home && *home)
        n = snprintf(buf, len, "%s/.local/share/ecometer/history.db", home);
    else {
        eco_err_set(err, 2, "no place for the history: neither XDG_DATA_HOME nor HOME is set");
        eco_err_hint(err, "name a file with --db FILE or ECOMETER_DB");
        return -1;
    }
    if (n < 0 || (size_t)n >= len)
        return eco_err_set(err, 2, "the history path is too long");
    return 0;
}

/* mkdir -p of the folder holding path. Folders it creates are private
 * (0700): the history holds every measured command line, and arguments can
 * carry things other users should not read (docs/SECURITY.md). */
static int make_parent(const char *path, struct eco_err *err)
{
    char dir[PATH_MAX];
    if (eco_make_parent(path, 0700, dir, sizeof dir) == 0)
        return 0;
    eco_err_set(err, 1, "cannot create the folder %s for the history: %s", dir, strerror(errno));
    eco_err_hint(err, "choose another file with --db FILE or ECOMETER_DB");
    return -1;
}

/* Reopen read-only through a URI with immutable=1 (path percent-encoded). */
static int reopen_immutable(struct eco_history *h)
{
    char uri[PATH_MAX * 3 + 64];
    size_t o = snprintf(uri, sizeof uri, "file:");
    for (const unsigned char *p = (const unsigned char *)h->path; *p && o + 4 < sizeof uri; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/._-~", *p))
            uri[o++] = (char)*p;
        else
            o += snprintf(uri + o, sizeof uri - o, "%%%02X", *p);
    }
    snprintf(uri + o, sizeof uri - o, "?mode=ro&immutable=1");
    sqlite3_close(h->db);
    h->db = NULL;
    int rc = sqlite3_open_v2(uri, &h->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    h->readonly = 1;
    return rc;
}

/* integrity_check found damage (h->damage): a writer refuses, a reader goes on
 * and the command says so (eco_history_damage). */
static int check_damage(struct eco_history *h, int create, struct eco_err *err)
{
    if (!create)
        return 0;
    eco_err_set(err, 1, "the history %s is damaged (SQLite integrity_check: %s); nothing is written to it",
                h->path, h->damage);
    eco_err_hint(err, "it is left as it is: 'ecometer runs --db %s' shows what can still be read, "
                      "'sqlite3 %s .recover' salvages it; runs go to a fresh file meanwhile", h->path, h->path);
    return -1;
}

static void cols_once_init(void);

/* A handle naming the file (NULL: the default path), checked to be a
 * plain file that exists, or whose folder is made when creating; NULL after
 * setting err. */
static struct eco_history *new_handle(const char *path, int create, struct eco_err *err)
{
    struct eco_history *h = calloc(1, sizeof *h);
    if (!h) {
        eco_err_set(err, 1, "out of memory");
        return NULL;
    }
    struct stat sb;
    int ok = 1;
    if (path && (!*path || strlen(path) >= sizeof h->path)) {
        eco_err_set(err, 2, "bad history path '%s'", path);
        ok = 0;
    } else if (path) {
        snprintf(h->path, sizeof h->path, "%s", path);
    } else if (eco_history_default_path(h->path, sizeof h->path, err) != 0) {
        ok = 0;
    }
    /* SQLite would open a FIFO or a device and block or read garbage. */
    if (ok && eco_check_not_special(h->path, "--db", err) != 0)
        ok = 0;
    if (ok && !create && stat(h->path, &sb) != 0) {
        eco_err_set(err, 1, "no history at %s yet", h->path);
        eco_err_hint(err, "runs are stored there by 'ecometer run'; to read another history, "
                          "use --db FILE or ECOMETER_DB");
        ok = 0;
    }
    if (ok && create && make_parent(h->path, err) != 0)
        ok = 0;
    if (!ok) {
        free(h);
        return NULL;
    }
    return h;
}

/* Open the SQLite file (read-only when it cannot be written and we only
 * read) and make sure its schema can be read: 0, or -1 after setting err. */
static int open_db(struct eco_history *h, int create, struct eco_err *err)
{
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(h->path, &h->db, flags, NULL);
    if (rc != SQLITE_OK && !create) {
        sqlite3_close(h->db);
        h->db = NULL;
        rc = sqlite3_open_v2(h->path, &h->db, SQLITE_OPEN_READONLY, NULL);
    }
    if (rc != SQLITE_OK)
        return eco_history_fail(h, rc, "opening it", err), -1;
    h->readonly = sqlite3_db_readonly(h->db, "main") == 1;
    /* Two runs that save at the same moment wait for each other (WAL lets
     * readers go on meanwhile) instead of failing. */
    sqlite3_busy_timeout(h->db, 15000);
    rc = sqlite3_exec(h->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    if (rc != SQLITE_OK && h->readonly &&
        ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY)) {
        /* A WAL file we may not write, in a folder we may not write: SQLite
         * cannot create its shared-memory index, so read it as immutable
         * (nobody we could race with can write it either way for us). */
        if (reopen_immutable(h) == SQLITE_OK)
            rc = sqlite3_exec(h->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK)
        return eco_history_fail(h, rc, "reading its schema", err), -1;
    return 0;
}

/* A history at this build's version that lacks some of its run columns was
 * written by a development build (a step of the same number with fewer
 * fields): the columns are added, with a note, instead of every query
 * failing with "no such column"; eco_history_note says so to the caller
 * (the store prints nothing). Read-only: left as it is. */
static int repair_columns(struct eco_history *h, struct eco_err *err)
{
    int added = 0;
    if (h->readonly)
        return 0;
    if (eco_store_add_missing_columns(h->db, &added, err) != 0)
        return -1;
    if (added)
        snprintf(h->note, sizeof h->note, "the history %s lacked columns of its schema version; added them",
                 h->path);
    return 0;
}

/* Bring an open history to this build's schema version (WAL mode, foreign
 * keys, migrations): 0, or -1 after setting err. */
static int upgrade(struct eco_history *h, int version, int latest, struct eco_err *err)
{
    if (!h->readonly) {
        /* journal_mode answers with the mode in force; only a real failure
         * (corrupt file) is an error, a busy file keeps its mode. */
        int rc = sqlite3_exec(h->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
            return eco_history_fail(h, rc, "switching it to WAL mode", err), -1;
    }
    sqlite3_exec(h->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    if (version >= latest)
        return repair_columns(h, err);
    if (h->readonly) {
        eco_err_set(err, 1,
                    "the history %s is read-only and uses schema version %d; this build needs "
                    "version %d", h->path, version, latest);
        eco_err_hint(err, "open it once with write access so ecometer can upgrade it");
        return -1;
    }
    return eco_store_migrate(h->db, latest, err) != 0 ? -1 : repair_columns(h, err);
}

static struct eco_history *open_at(const char *path, int create, struct eco_err *err)
{
    cols_once_init(); /* the column lists, before any statement is built from them */
    struct eco_history *h = new_handle(path, create, err);
    if (!h)
        return NULL;
    int version = 0, stamp = 0, latest = eco_store_latest_version();
    if (open_db(h, create, err) != 0 || eco_store_version(h->db, &version, err) != 0)
        goto fail;
    /* Another program's file is never written to; a damaged one is not
     * written to either, but readers still show what can be read. */
    if (eco_store_check_owner(h->db, h->path, &stamp, err) != 0 ||
        (!eco_store_quick_check(h->db, 1, h->damage, sizeof h->damage) && check_damage(h, create, err) != 0))
        goto fail;
    if (version > latest) {
        eco_err_set(err, 1,
                    "the history %s was written by a newer ecometer (schema version %d; this build "
                    "knows up to %d)", h->path, version, latest);
        eco_err_hint(err, "use a newer ecometer to read it, or choose another file with --db FILE");
        goto fail;
    }
    if (upgrade(h, version, latest, err) != 0)
        goto fail;
    if (stamp && !h->readonly)
        eco_store_stamp_owner(h->db); /* an empty or older history becomes recognisably ours */
    return h;
fail:
    eco_history_close(h);
    return NULL;
}

struct eco_history *eco_history_open(const char *path, struct eco_err *err)
{
    return open_at(path, 1, err);
}

struct eco_history *eco_history_open_existing(const char *path, struct eco_err *err)
{
    return open_at(path, 0, err);
}

void eco_history_close(struct eco_history *h)
{
    if (!h)
        return;
    sqlite3_finalize(h->save_run);
    for (size_t i = 0; i < h->n_kept; i++) {
        sqlite3_finalize(h->kept[i].st);
        free(h->kept[i].sql);
    }
    free(h->kept);
    sqlite3_close(h->db);
    free(h);
}

const char *eco_history_path(const struct eco_history *h) { return h->path; }

const char *eco_history_damage(const struct eco_history *h) { return h->damage[0] ? h->damage : NULL; }
const char *eco_history_note(const struct eco_history *h) { return h->note[0] ? h->note : NULL; }

void eco_history_set_busy_timeout(struct eco_history *h, int ms) { sqlite3_busy_timeout(h->db, ms); }

/* ---- column tables ----------------------------------------------------- */

/* The stored fields of the run record's tables (meter/record_fields.c):
 * save, load and list walk them, and migrate.c adds their columns. */
static const struct eco_field *run_cols[64], *domain_cols[32], *region_cols[32];
static size_t n_run_cols, n_domain_cols, n_region_cols;
static pthread_once_t cols_once = PTHREAD_ONCE_INIT;

static void cols_init(void)
{
    n_run_cols = eco_fields_stored(eco_run_fields, eco_n_run_fields, run_cols);
    n_domain_cols = eco_fields_stored(eco_domain_fields, eco_n_domain_fields, domain_cols);
    n_region_cols = eco_fields_stored(eco_region_fields, eco_n_region_fields, region_cols);
}

static void cols_once_init(void) { pthread_once(&cols_once, cols_init); }

static void bind_col(sqlite3_stmt *st, int i, const struct eco_field *c, const void *base)
{
    const void *p = eco_field_ptr(c, base);
    switch (c->type) {
    case ECO_FIELD_TEXT: sqlite3_bind_text(st, i, p, (int)strnlen(p, c->size), SQLITE_TRANSIENT); break;
    case ECO_FIELD_KIND:
    case ECO_FIELD_METHOD: sqlite3_bind_text(st, i, eco_field_text(c, base), -1, SQLITE_STATIC); break;
    case ECO_FIELD_INT:
    case ECO_FIELD_BOOL: sqlite3_bind_int(st, i, *(const int *)p); break;
    case ECO_FIELD_INT64: sqlite3_bind_int64(st, i, *(const long long *)p); break;
    case ECO_FIELD_REAL: sqlite3_bind_double(st, i, *(const double *)p); break;
    }
}

static void read_col(sqlite3_stmt *st, int i, const struct eco_field *c, void *base)
{
    void *p = eco_field_mut(c, base);
    const char *t = (const char *)sqlite3_column_text(st, i);
    switch (c->type) {
    case ECO_FIELD_TEXT: snprintf(p, c->size, "%s", t ? t : ""); break;
    case ECO_FIELD_KIND: *(enum eco_kind *)p = eco_history_kind_parse(t); break;
    case ECO_FIELD_METHOD: *(enum eco_method *)p = eco_history_method_parse(t); break;
    case ECO_FIELD_INT:
    case ECO_FIELD_BOOL: *(int *)p = sqlite3_column_int(st, i); break;
    case ECO_FIELD_INT64: *(long long *)p = sqlite3_column_int64(st, i); break;
    case ECO_FIELD_REAL: *(double *)p = sqlite3_column_double(st, i); break;
    }
}

/* "a, b, c" of the column names, with an optional prefix. */
static void col_list(char *buf, size_t len, const struct eco_field *const *cols, size_t n)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && o < len; i++)
        o += snprintf(buf + o, len - o, "%s%s", i ? ", " : "", cols[i]->sql);
}

/* ---- saving ------------------------------------------------------------ */

int eco_history_prepare(struct eco_history *h, const char *sql, sqlite3_stmt **st, struct eco_err *err)
{
    int rc = sqlite3_prepare_v2(h->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? 0 : eco_history_fail(h, rc, "preparing a query", err);
}

int eco_history_kept(struct eco_history *h, const char *sql, sqlite3_stmt **st, struct eco_err *err)
{
    for (size_t i = 0; i < h->n_kept; i++)
        if (strcmp(h->kept[i].sql, sql) == 0) {
            *st = h->kept[i].st;
            return 0;
        }
    struct eco_kept_stmt *k = realloc(h->kept, (h->n_kept + 1) * sizeof *k);
    if (!k)
        return eco_err_set(err, 1, "out of memory");
    h->kept = k;
    char *copy = strdup(sql);
    if (!copy)
        return eco_err_set(err, 1, "out of memory");
    if (eco_history_prepare(h, sql, st, err) != 0) {
        free(copy);
        return -1;
    }
    k[h->n_kept++] = (struct eco_kept_stmt){copy, *st};
    return 0;
}

int eco_history_step_done(struct eco_history *h, sqlite3_stmt *st, const char *doing, struct eco_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : eco_history_fail(h, rc, doing, err);
}

/* The upsert of a run row (all stored columns), prepared once per handle. */
static int prepare_save_run(struct eco_history *h, struct eco_err *err)
{
    if (h->save_run)
        return 0;
    char names[2048], sql[8192];
    col_list(names, sizeof names, run_cols, n_run_cols);
    size_t o = snprintf(sql, sizeof sql, "INSERT INTO runs (%s, saved_unix) VALUES (", names);
    for (size_t i = 0; i <= n_run_cols; i++)
        o += snprintf(sql + o, sizeof sql - o, "%s?", i ? ", " : "");
    o += snprintf(sql + o, sizeof sql - o, ") ON CONFLICT(id) DO UPDATE SET ");
    for (size_t i = 1; i < n_run_cols; i++)
        o += snprintf(sql + o, sizeof sql - o, "%s = excluded.%s, ", run_cols[i]->sql,
                      run_cols[i]->sql);
    snprintf(sql + o, sizeof sql - o, "saved_unix = excluded.saved_unix");
    return eco_history_prepare(h, sql, &h->save_run, err);
}

static int save_run_row(struct eco_history *h, const struct eco_run_result *r, struct eco_err *err)
{
    if (prepare_save_run(h, err) != 0)
        return -1;
    sqlite3_stmt *st = h->save_run;
    for (size_t i = 0; i < n_run_cols; i++)
        bind_col(st, (int)i + 1, run_cols[i], r);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    sqlite3_bind_double(st, (int)n_run_cols + 1, ts.tv_sec + ts.tv_nsec / 1e9);
    return eco_history_step_done(h, st, "saving the run", err); /* reset for the next save */
}

/* The rows of a run in a child table (domains, regions): the old ones
 * deleted, then one row per element of the run's array (n elements from
 * `base`), column by column from the field table. */
struct child_table {
    const char *table, *one; /* "domains", "domain": the SQL table, a row in messages */
    const struct eco_field *const *cols;
    size_t n_cols, size; /* size: of one element of the run's array */
};

static struct child_table domains_table(void)
{
    return (struct child_table){"domains", "domain", domain_cols, n_domain_cols, sizeof(struct eco_domain_result)};
}

static struct child_table regions_table(void)
{
    return (struct child_table){"regions", "region", region_cols, n_region_cols, sizeof(struct eco_region_result)};
}

static int save_children(struct eco_history *h, const char *id, const struct child_table *t, const void *base,
                         size_t n, struct eco_err *err)
{
    sqlite3_stmt *del, *ins;
    char names[512], sql[1024], doing[64];
    col_list(names, sizeof names, t->cols, t->n_cols);
    snprintf(sql, sizeof sql, "INSERT INTO %s (run_id, idx, %s) VALUES (?, ?", t->table, names);
    for (size_t i = 0; i < t->n_cols; i++)
        strcat(sql, ", ?");
    strcat(sql, ")");
    char del_sql[64];
    snprintf(del_sql, sizeof del_sql, "DELETE FROM %s WHERE run_id = ?", t->table);
    if (eco_history_kept(h, del_sql, &del, err) != 0 || eco_history_kept(h, sql, &ins, err) != 0)
        return -1;
    sqlite3_bind_text(del, 1, id, -1, SQLITE_TRANSIENT);
    snprintf(doing, sizeof doing, "replacing the run's %s", t->table);
    int rc = eco_history_step_done(h, del, doing, err);
    snprintf(doing, sizeof doing, "saving a %s", t->one);
    for (size_t k = 0; rc == 0 && k < n; k++) {
        sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 2, (int)k);
        for (size_t i = 0; i < t->n_cols; i++)
            bind_col(ins, (int)i + 3, t->cols[i], (const char *)base + k * t->size);
        rc = eco_history_step_done(h, ins, doing, err);
    }
    return rc;
}

/* How many of a domain's stored points are still the record's, from the
 * first: all when the stored ones are a prefix of the record's series; all
 * but the newest when only that one grew since (the ledger's newest point
 * takes intervals until it is full, meter/ledger.c series_push); else none
 * (the ledger merged its points: the series is written again). */
static int stored_prefix(struct eco_history *h, const char *id, int d, const struct eco_domain_result *dr,
                         long long *keep, int *stale, struct eco_err *err)
{
    sqlite3_stmt *st;
    if (eco_history_kept(h,
                "SELECT seq, t, watts FROM samples WHERE run_id = ? AND domain_idx = ? "
                "ORDER BY seq DESC LIMIT 2",
                &st, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, d);
    long long seq[2] = {-1, -1};
    struct eco_point p[2];
    int rc, got = 0;
    while (got < 2 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        seq[got] = sqlite3_column_int64(st, 0);
        p[got].t = sqlite3_column_double(st, 1);
        p[got].watts = sqlite3_column_double(st, 2);
        got++;
    }
    if (got == 2)
        rc = SQLITE_DONE;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return eco_history_fail(h, rc, "reading stored samples", err);
    *keep = 0;
    for (int k = 0; k < got; k++) { /* the newest stored point, then the one before it */
        long long i = seq[k];
        if (i >= 0 && i < (long long)dr->n_series && dr->series[i].t == p[k].t && dr->series[i].watts == p[k].watts) {
            *keep = i + 1;
            break;
        }
    }
    *stale = got > 0 && *keep != seq[0] + 1; /* stored points beyond the kept ones */
    return 0;
}

static int save_series(struct eco_history *h, const struct eco_run_result *r, struct eco_err *err)
{
    sqlite3_stmt *ins, *del_dom, *del_extra;
    if (eco_history_kept(h, "INSERT INTO samples (run_id, domain_idx, seq, t, watts) VALUES (?, ?, ?, ?, ?)",
                         &ins, err) != 0 ||
        eco_history_kept(h, "DELETE FROM samples WHERE run_id = ? AND domain_idx = ? AND seq >= ?", &del_dom,
                         err) != 0 ||
        eco_history_kept(h, "DELETE FROM samples WHERE run_id = ? AND domain_idx >= ?", &del_extra, err) != 0)
        return -1;
    int rc = 0;
    for (size_t d = 0; rc == 0 && d < r->n_domains; d++) {
        const struct eco_domain_result *dr = &r->domains[d];
        long long have = 0;
        int stale = 0;
        if (stored_prefix(h, r->id, (int)d, dr, &have, &stale, err) != 0) {
            rc = -1;
            break;
        }
        /* A refresh adds points and may have grown the newest one: the stored
         * points from `have` on are replaced (all of them after a merge). */
        if (stale) {
            sqlite3_bind_text(del_dom, 1, r->id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(del_dom, 2, (int)d);
            sqlite3_bind_int64(del_dom, 3, have);
            rc = eco_history_step_done(h, del_dom, "rewriting a power series", err);
        }
        for (size_t i = (size_t)have; rc == 0 && i < dr->n_series; i++) {
            sqlite3_bind_text(ins, 1, r->id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(ins, 2, (int)d);
            sqlite3_bind_int64(ins, 3, (long long)i);
            sqlite3_bind_double(ins, 4, dr->series[i].t);
            sqlite3_bind_double(ins, 5, dr->series[i].watts);
            rc = eco_history_step_done(h, ins, "saving a power series", err);
        }
    }
    if (rc == 0) {
        sqlite3_bind_text(del_extra, 1, r->id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(del_extra, 2, (int)r->n_domains);
        rc = eco_history_step_done(h, del_extra, "removing old series", err);
    }
    return rc;
}

int eco_history_save(struct eco_history *h, const struct eco_run_result *r, struct eco_err *err)
{
    if (!r->id[0])
        return eco_err_set(err, 2, "cannot save a run without an id");
    if (h->readonly) {
        eco_history_fail(h, SQLITE_READONLY, "saving a run", err);
        return -1;
    }
    /* IMMEDIATE takes the write lock up front: a concurrent writer waits on
     * busy_timeout instead of failing half-way through a transaction. */
    if (eco_history_exec(h, "BEGIN IMMEDIATE", "starting to save a run", err) != 0)
        return -1;
    const struct child_table domains = domains_table(), regions = regions_table();
    if (save_run_row(h, r, err) != 0 || save_children(h, r->id, &domains, r->domains, r->n_domains, err) != 0 ||
        save_series(h, r, err) != 0 || save_children(h, r->id, &regions, r->regions, r->n_regions, err) != 0) {
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    if (eco_history_exec(h, "COMMIT", "committing a run", err) != 0) {
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

/* ---- loading ----------------------------------------------------------- */

static int load_run_row(struct eco_history *h, const char *id, struct eco_run_result *out,
                        struct eco_err *err)
{
    char names[2048], sql[2400];
    col_list(names, sizeof names, run_cols, n_run_cols);
    snprintf(sql, sizeof sql, "SELECT %s FROM runs WHERE id = ?", names);
    sqlite3_stmt *st;
    if (eco_history_prepare(h, sql, &st, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        for (size_t i = 0; i < n_run_cols; i++)
            read_col(st, (int)i, run_cols[i], out);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return eco_err_set(err, 2, "run '%s' vanished from %s while reading it", id, h->path);
    return eco_history_fail(h, rc, "reading a run", err);
}

static int load_series(struct eco_history *h, const char *id, int d, struct eco_domain_result *dr,
                       struct eco_err *err)
{
    sqlite3_stmt *st;
    if (eco_history_prepare(h, "SELECT t, watts FROM samples WHERE run_id = ? AND domain_idx = ? ORDER BY seq",
                &st, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, d);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (dr->n_series == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            struct eco_point *p = realloc(dr->series, ncap * sizeof *p);
            if (!p) {
                sqlite3_finalize(st);
                return eco_err_set(err, 1, "out of memory reading a power series");
            }
            dr->series = p;
            cap = ncap;
        }
        dr->series[dr->n_series].t = sqlite3_column_double(st, 0);
        dr->series[dr->n_series].watts = sqlite3_column_double(st, 1);
        dr->n_series++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : eco_history_fail(h, rc, "reading a power series", err);
}

/* The rows of a run's child table in idx order into a growing array of
 * t->size-byte records, one field per column. */

static int load_rows(struct eco_history *h, const char *id, const struct child_table *t, void **arr, size_t *n,
                     struct eco_err *err)
{
    char names[512], sql[700], doing[64];
    snprintf(doing, sizeof doing, "reading %s", t->table);
    col_list(names, sizeof names, t->cols, t->n_cols);
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE run_id = ? ORDER BY idx", names, t->table);
    sqlite3_stmt *st;
    if (eco_history_prepare(h, sql, &st, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            void *p = realloc(*arr, ncap * t->size);
            if (!p) {
                sqlite3_finalize(st);
                return eco_err_set(err, 1, "out of memory %s", doing);
            }
            *arr = p;
            cap = ncap;
        }
        char *row = (char *)*arr + *n * t->size;
        memset(row, 0, t->size);
        for (size_t i = 0; i < t->n_cols; i++)
            read_col(st, (int)i, t->cols[i], row);
        (*n)++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : eco_history_fail(h, rc, doing, err);
}

static int load_domains(struct eco_history *h, const char *id, struct eco_run_result *out,
                        struct eco_err *err)
{
    const struct child_table t = domains_table();
    void *arr = out->domains;
    int rc = load_rows(h, id, &t, &arr, &out->n_domains, err);
    out->domains = arr;
    /* save numbers domains 0..n-1, so the position is the index. */
    for (size_t d = 0; rc == 0 && d < out->n_domains; d++)
        rc = load_series(h, id, (int)d, &out->domains[d], err);
    return rc;
}

static int load_regions(struct eco_history *h, const char *id, struct eco_run_result *out,
                        struct eco_err *err)
{
    const struct child_table t = regions_table();
    void *arr = out->regions;
    int rc = load_rows(h, id, &t, &arr, &out->n_regions, err);
    out->regions = arr;
    return rc;
}

int eco_history_load(struct eco_history *h, const char *ref, struct eco_run_result *out,
                     struct eco_err *err)
{
    char id[sizeof out->id + 8];
    memset(out, 0, sizeof *out);
    if (eco_history_resolve(h, ref, id, sizeof id, err) != 0)
        return -1;
    /* One read transaction: a run being refreshed by its meter is seen
     * either before or after the refresh, never half of each. */
    if (eco_history_exec(h, "BEGIN", "reading a run", err) != 0)
        return -1;
    int rc = load_run_row(h, id, out, err);
    if (rc == 0)
        rc = load_domains(h, id, out, err);
    if (rc == 0)
        rc = load_regions(h, id, out, err);
    sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
    if (rc != 0)
        eco_run_result_free(out);
    else
        eco_run_derive(out); /* the figures that are computed, not stored, as the driver computes them */
    return rc;
}

int eco_history_list(struct eco_history *h, int limit, struct eco_run_result **out, size_t *n,
                     struct eco_err *err)
{
    return eco_history_find(h, NULL, limit, out, n, err);
}

int eco_history_find(struct eco_history *h, const struct eco_run_filter *f, int limit, struct eco_run_result **out,
                     size_t *n, struct eco_err *err)
{
    char names[2048], where[512], sql[3000];
    *out = NULL;
    *n = 0;
    col_list(names, sizeof names, run_cols, n_run_cols);
    eco_run_filter_sql(f, where, sizeof where);
    snprintf(sql, sizeof sql, "SELECT %s FROM runs%s ORDER BY start_unix DESC, rowid DESC LIMIT ?", names, where);
    sqlite3_stmt *st;
    if (eco_history_prepare(h, sql, &st, err) != 0)
        return -1;
    int bound = eco_run_filter_bind(st, f, 1);
    sqlite3_bind_int(st, bound + 1, limit > 0 ? limit : -1);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct eco_run_result *p = realloc(*out, ncap * sizeof *p);
            if (!p) {
                sqlite3_finalize(st);
                free(*out);
                *out = NULL;
                *n = 0;
                return eco_err_set(err, 1, "out of memory listing runs");
            }
            *out = p;
            cap = ncap;
        }
        struct eco_run_result *r = &(*out)[*n];
        memset(r, 0, sizeof *r);
        for (size_t i = 0; i < n_run_cols; i++)
            read_col(st, (int)i, run_cols[i], r);
        eco_run_derive(r);
        (*n)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return eco_history_fail(h, rc, "listing runs", err);
    }
    for (size_t i = 0; i < *n; i++) { /* 0: nothing measured, shown as such (a failed count is not "none") */
        int c = eco_history_domain_count(h, (*out)[i].id);
        (*out)[i].listed_domains = c == 0 ? 0 : c < 0 ? 1 : (size_t)c;
    }
    return 0;
}

int eco_history_delete(struct eco_history *h, const char *ref, struct eco_err *err)
{
    char id[64];
    if (eco_history_resolve(h, ref, id, sizeof id, err) != 0)
        return -1;
    char *ids[] = {id};
    return eco_history_delete_ids(h, ids, 1, err);
}

int eco_history_domain_count(struct eco_history *h, const char *id)
{
    sqlite3_stmt *st;
    struct eco_err e;
    eco_err_clear(&e);
    if (eco_history_prepare(h, "SELECT COUNT(*) FROM domains WHERE run_id = ?", &st, &e) != 0)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}
