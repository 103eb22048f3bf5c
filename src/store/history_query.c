/* Which runs a command means: run references (ids, prefixes, latest~N,
 * names), the filters of `runs` and `runs prune`, and deleting runs. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/numparse.h"
#include "store/history_internal.h"

/* The id in row `offset` of a query with one text parameter (may be NULL):
 * 1 found, 0 none, -1 error. */
static int one_id(struct eco_history *h, const char *sql, const char *text, long offset, char *id, size_t len,
                  const char *doing, struct eco_err *err)
{
    sqlite3_stmt *st;
    if (eco_history_prepare(h, sql, &st, err) != 0)
        return -1;
    int k = 1;
    if (text)
        sqlite3_bind_text(st, k++, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, k, offset);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(id, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : eco_history_fail(h, rc, doing, err);
}

/* "BASE~N": N into *back, BASE's length into *base_len; 0 when ref has no
 * "~N" suffix, -1 when the suffix is not a whole number. */
static int split_back(const char *ref, size_t *base_len, long *back)
{
    const char *tilde = strrchr(ref, '~');
    if (!tilde)
        return 0;
    int64_t n;
    if (eco_num_i64(tilde + 1, 0, LONG_MAX, 0, &n) != ECO_NUM_OK)
        return -1;
    *back = (long)n;
    *base_len = (size_t)(tilde - ref);
    return 1;
}

static int resolve_latest(struct eco_history *h, const char *ref, long back, char *id, size_t len,
                          struct eco_err *err)
{
    int rc = one_id(h, "SELECT id FROM runs ORDER BY start_unix DESC, rowid DESC LIMIT 1 OFFSET ?", NULL, back, id,
                    len, "finding the latest run", err);
    if (rc != 0)
        return rc > 0 ? 0 : -1;
    if (back == 0) {
        eco_err_set(err, 1, "no run is stored in %s yet", h->path);
        eco_err_hint(err, "measure one with 'ecometer run -- COMMAND'");
    } else {
        eco_err_set(err, 2, "%s: fewer than %ld runs are stored in %s", ref, back + 1, h->path);
        eco_err_hint(err, "list them with 'ecometer runs'");
    }
    return -1;
}

/* The run `back` before the newest named name: 1, 0 none, -1 error. */
static int by_name(struct eco_history *h, const char *name, long back, char *id, size_t len, struct eco_err *err)
{
    return one_id(h, "SELECT id FROM runs WHERE name = ? ORDER BY start_unix DESC, rowid DESC LIMIT 1 OFFSET ?",
                  name, back, id, len, "finding a run by name", err);
}

/* Ids equal to or starting with ref, the exact one first (at most 3). */
static int by_prefix(struct eco_history *h, const char *ref, char found[3][64], int *exact, struct eco_err *err)
{
    sqlite3_stmt *st;
    if (eco_history_prepare(h, "SELECT id FROM runs WHERE id = ?1 OR substr(id, 1, length(?1)) = ?1 "
                               "ORDER BY (id = ?1) DESC, start_unix DESC LIMIT 3",
                            &st, err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
    int n = 0, rc;
    *exact = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 3) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        snprintf(found[n], sizeof found[n], "%s", s ? s : "");
        if (n == 0 && strcmp(found[0], ref) == 0)
            *exact = 1;
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return eco_history_fail(h, rc, "finding a run", err);
    return n;
}

/* NAME~N: names only (no id holds '~'). */
static int resolve_name_back(struct eco_history *h, const char *ref, size_t base_len, long back, char *id,
                             size_t len, struct eco_err *err)
{
    char name[ECO_RUN_NAME_MAX + 1];
    if (base_len == 0 || base_len > ECO_RUN_NAME_MAX) {
        eco_err_set(err, 2, "bad run reference '%s'", ref);
        eco_err_hint(err, "write latest, latest~1 (the one before), NAME, NAME~1 or a run id");
        return -1;
    }
    snprintf(name, sizeof name, "%.*s", (int)base_len, ref);
    int rc = by_name(h, name, back, id, len, err);
    if (rc > 0)
        return 0;
    if (rc == 0) {
        long have = 0;
        char any[64];
        while (have < back && by_name(h, name, have, any, sizeof any, err) > 0)
            have++;
        if (have == 0)
            eco_err_set(err, 2, "no run named '%s' in %s", name, h->path);
        else
            eco_err_set(err, 2, "%s: only %ld run%s named '%s' in %s", ref, have, have == 1 ? " is" : "s are",
                        name, h->path);
        eco_err_hint(err, "list them with 'ecometer runs'");
    }
    return -1;
}

int eco_history_resolve(struct eco_history *h, const char *ref, char *id, size_t len, struct eco_err *err)
{
    if (!ref || !*ref)
        return eco_err_set(err, 2, "no run given");
    size_t base_len = 0;
    long back = 0;
    int tilde = split_back(ref, &base_len, &back);
    if (strncmp(ref, "latest", 6) == 0 && (ref[6] == 0 || ref[6] == '~')) {
        if (tilde < 0 || (tilde > 0 && base_len != 6)) {
            eco_err_set(err, 2, "bad run reference '%s'", ref);
            eco_err_hint(err, "write latest, latest~1 (the one before), or a run id");
            return -1;
        }
        return resolve_latest(h, ref, back, id, len, err);
    }
    if (tilde > 0)
        return resolve_name_back(h, ref, base_len, back, id, len, err);
    char found[3][64];
    int exact, n = by_prefix(h, ref, found, &exact, err);
    if (n < 0)
        return -1;
    if (n == 1 || exact) {
        snprintf(id, len, "%s", found[0]);
        return 0;
    }
    int named = by_name(h, ref, 0, id, len, err);
    if (named != 0)
        return named > 0 ? 0 : -1;
    if (n == 0) {
        eco_err_set(err, 2, "no run '%s' in %s (no id starts with it and no run has that name)", ref, h->path);
        eco_err_hint(err, "list the stored runs with 'ecometer runs', or write 'latest'");
        return -1;
    }
    eco_err_set(err, 2, "run '%s' is ambiguous: %s, %s%s", ref, found[0], found[1], n > 2 ? ", ..." : "");
    eco_err_hint(err, "write more characters of the id");
    return -1;
}

/* ---- filters ----------------------------------------------------------- */

void eco_run_filter_sql(const struct eco_run_filter *f, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    if (!f)
        return;
    const char *terms[4];
    int n = 0;
    if (f->project)
        terms[n++] = "project = ?";
    if (f->tag) /* tags are stored "a,b,c": look for ",t," in ",a,b,c," */
        terms[n++] = "instr(',' || tags || ',', ',' || ? || ',') > 0";
    if (f->since_unix > 0)
        terms[n++] = "start_unix >= ?";
    if (f->before_unix > 0)
        terms[n++] = "start_unix < ?";
    for (int i = 0; i < n && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? " AND " : " WHERE ", terms[i]);
}

int eco_run_filter_bind(sqlite3_stmt *st, const struct eco_run_filter *f, int first)
{
    int k = first;
    if (!f)
        return 0;
    if (f->project)
        sqlite3_bind_text(st, k++, f->project, -1, SQLITE_TRANSIENT);
    if (f->tag)
        sqlite3_bind_text(st, k++, f->tag, -1, SQLITE_TRANSIENT);
    if (f->since_unix > 0)
        sqlite3_bind_double(st, k++, f->since_unix);
    if (f->before_unix > 0)
        sqlite3_bind_double(st, k++, f->before_unix);
    return k - first;
}

/* ---- deleting ---------------------------------------------------------- */

int eco_history_delete_ids(struct eco_history *h, char *const *ids, size_t n, struct eco_err *err)
{
    static const char *const del[] = {
        "DELETE FROM samples WHERE run_id = ?", "DELETE FROM domains WHERE run_id = ?",
        "DELETE FROM regions WHERE run_id = ?", "DELETE FROM runs WHERE id = ?"};
    enum { N_DEL = sizeof del / sizeof del[0] };
    sqlite3_stmt *st[N_DEL] = {0};
    /* IMMEDIATE: the write lock first, so a meter saving meanwhile waits
     * (busy timeout) and then writes after us, never between two deletes. */
    if (eco_history_exec(h, "BEGIN IMMEDIATE", "deleting runs", err) != 0)
        return -1;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < N_DEL; k++)
        rc = eco_history_prepare(h, del[k], &st[k], err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        for (size_t k = 0; rc == 0 && k < N_DEL; k++) {
            sqlite3_bind_text(st[k], 1, ids[i], -1, SQLITE_TRANSIENT);
            rc = eco_history_step_done(h, st[k], "deleting a run", err);
        }
    for (size_t k = 0; k < N_DEL; k++)
        sqlite3_finalize(st[k]);
    if (rc == 0 && eco_history_exec(h, "COMMIT", "deleting runs", err) == 0)
        return 0;
    sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}
