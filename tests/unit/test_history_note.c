/* What opening a history repairs is the caller's to say: src/store prints
 * nothing, eco_history_note hands the sentence back, the run's history open
 * (meter/run_history.c) writes it on the session's notes stream, and the CLI
 * prints it (tests/e2e/history_repair_note.py). */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meter/run_history.h"
#include "store/history.h"
#include "store/migrate.h"
#include "test.h"

static const char *tmp_path(const char *name)
{
    static char buf[4][4096];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", eco_test_tmpdir(), name);
    return buf[k];
}

/* A history at this build's schema version whose runs table lacks a column
 * (what a development build of the same step number left behind). */
static void make_holed_history(const char *path)
{
    sqlite3 *db;
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(eco_store_migrate(db, eco_store_latest_version(), &err) == 0);
    CHECK(sqlite3_exec(db, "ALTER TABLE runs DROP COLUMN name;", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
}

/* Size of a file (what was written on a redirected stream). */
static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

ECO_TEST(history_repair_is_a_note_for_the_caller_not_a_print)
{
    const char *db = tmp_path("holed.db"), *errs = tmp_path("stderr.txt");
    make_holed_history(db);
    /* stderr to a file while the store opens it: nothing may land there */
    fflush(stderr);
    int saved = dup(2), fd = open(errs, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_history *h = eco_history_open(db, &err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    CHECK(h != NULL);
    CHECK_INT(file_size(errs), 0);
    const char *note = eco_history_note(h);
    CHECK(note != NULL);
    CHECK(strstr(note, "lacked columns of its schema version; added them") != NULL);
    CHECK(strstr(note, db) != NULL);
    eco_history_close(h);
    /* repaired: the next open has nothing to say */
    h = eco_history_open_existing(db, &err);
    CHECK(h != NULL);
    CHECK(eco_history_note(h) == NULL);
    eco_history_close(h);
}

ECO_TEST(history_repair_note_goes_to_the_sessions_notes_stream)
{
    const char *db = tmp_path("holed-run.db"), *notes_path = tmp_path("notes.txt");
    make_holed_history(db);
    FILE *notes = fopen(notes_path, "w+");
    CHECK(notes != NULL);
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_history *h = eco_run_history_open(db, notes, &err);
    CHECK(h != NULL);
    eco_history_close(h);
    char line[8192] = "";
    rewind(notes);
    CHECK(fgets(line, sizeof line, notes) != NULL);
    fclose(notes);
    CHECK(strncmp(line, "ecometer: note: the history ", 28) == 0);
    CHECK(strstr(line, "added them\n") != NULL);
    /* without a notes stream the open stays silent and still repairs */
    const char *db2 = tmp_path("holed-quiet.db");
    make_holed_history(db2);
    h = eco_run_history_open(db2, NULL, &err);
    CHECK(h != NULL);
    CHECK(eco_history_note(h) != NULL);
    eco_history_close(h);
}
