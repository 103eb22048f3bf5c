/* The SQLite history: round trips, refreshes, references, migrations,
 * concurrent writers, and the files it must refuse without crashing. */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/history.h"
#include "store/migrate.h"
#include "synthetic_run.h"
#include "test.h"

static const char *db_path(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", eco_test_tmpdir(), name);
    return buf;
}

static struct eco_history *open_ok(const char *path)
{
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_history *h = eco_history_open(path, &err);
    if (!h)
        eco_test_fail(__FILE__, __LINE__, "open %s: %s", path, err.msg);
    return h;
}

static void save_ok(struct eco_history *h, const struct eco_run_result *r)
{
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_history_save(h, r, &err) != 0)
        eco_test_fail(__FILE__, __LINE__, "save %s: %s", r->id, err.msg);
}

static void same_run(const struct eco_run_result *a, const struct eco_run_result *b)
{
    CHECK_STR(a->id, b->id);
    CHECK_STR(a->command, b->command);
    CHECK_STR(a->cpu_model, b->cpu_model);
    CHECK_STR(a->gpu_model, b->gpu_model);
    CHECK_STR(a->region_code, b->region_code);
    CHECK_STR(a->attribution_method, b->attribution_method);
    CHECK_STR(a->baseline_source, b->baseline_source);
    CHECK_INT(a->cpu_count, b->cpu_count);
    CHECK_INT(a->gpu_count, b->gpu_count);
    CHECK_INT(a->complete, b->complete);
    CHECK_INT(a->exit_status, b->exit_status);
    CHECK_INT(a->items, b->items);
    CHECK(a->start_unix == b->start_unix);
    CHECK(a->duration_s == b->duration_s);
    CHECK(a->total_energy_j == b->total_energy_j);
    CHECK(a->net_energy_j == b->net_energy_j);
    CHECK(a->attributed_energy_j == b->attributed_energy_j);
    CHECK(a->co2e_g == b->co2e_g);
    CHECK(a->baseline_w == b->baseline_w);
    CHECK(a->intensity_g_per_kwh == b->intensity_g_per_kwh);
    CHECK_INT(a->n_domains, b->n_domains);
    for (size_t d = 0; d < a->n_domains; d++) {
        const struct eco_domain_result *x = &a->domains[d], *y = &b->domains[d];
        CHECK_STR(x->name, y->name);
        CHECK_STR(x->device, y->device);
        CHECK_INT(x->kind, y->kind);
        CHECK_INT(x->method, y->method);
        CHECK_INT(x->top_level, y->top_level);
        CHECK(x->energy_j == y->energy_j);
        CHECK(x->peak_w == y->peak_w);
        CHECK_INT(x->n_series, y->n_series);
        for (size_t i = 0; i < x->n_series; i++)
            CHECK(x->series[i].t == y->series[i].t && x->series[i].watts == y->series[i].watts);
    }
    CHECK_INT(a->n_regions, b->n_regions);
    for (size_t g = 0; g < a->n_regions; g++) {
        CHECK_STR(a->regions[g].name, b->regions[g].name);
        CHECK(a->regions[g].energy_j == b->regions[g].energy_j);
        CHECK(a->regions[g].start_s == b->regions[g].start_s);
        CHECK_INT(a->regions[g].items, b->regions[g].items);
    }
}

ECO_TEST(history_round_trip)
{
    struct eco_synth s = {.id = "20261126-120000-aaaa", .gpu_w = 250, .epochs = 3,
                          .items_per_epoch = 5460, .baseline_w = 20};
    struct eco_run_result r, back;
    eco_synth_run(&s, &r);
    r.domains[3].method = ECO_ESTIMATED;
    r.estimated_energy_j = r.domains[3].energy_j;
    r.rejected_markers = 3;
    r.attributed_share = 0.42;
    snprintf(r.interval_note, sizeof r.interval_note, "shortened to 50 ms: a counter could wrap twice");
    snprintf(r.attribution_note, sizeof r.attribution_note, "GPU energy not attributed");
    snprintf(r.domains[3].note, sizeof r.domains[3].note, "sensor vanished at 12.3 s");
    struct eco_history *h = open_ok(db_path("h.db"));
    save_ok(h, &r);
    struct eco_err err;
    CHECK(eco_history_load(h, "20261126-120000-aaaa", &back, &err) == 0);
    same_run(&r, &back);
    CHECK_STR(back.domains[3].note, "sensor vanished at 12.3 s");
    CHECK(back.estimated_energy_j == r.estimated_energy_j);
    CHECK_INT(back.rejected_markers, 3);
    CHECK(back.attributed_share == 0.42);
    CHECK_STR(back.interval_note, r.interval_note);
    CHECK_STR(back.attribution_note, r.attribution_note);
    CHECK_INT(back.domains[3].method, ECO_ESTIMATED);
    CHECK_INT(back.domains[0].kind, ECO_KIND_CPU_PACKAGE);
    CHECK_INT(back.domains[2].kind, ECO_KIND_DRAM);
    eco_run_result_free(&back);
    eco_synth_free(&r);
    eco_history_close(h);
}

ECO_TEST(history_refresh_keeps_incomplete_run_and_appends_series)
{
    struct eco_synth s = {.id = "run-refresh", .duration_s = 60, .epochs = 2, .incomplete = 1};
    struct eco_run_result full, partial, back;
    eco_synth_run(&s, &full);
    eco_synth_run(&s, &partial);
    /* As the meter does: first a save at start, then a refresh mid-run. */
    for (size_t d = 0; d < partial.n_domains; d++)
        partial.domains[d].n_series = 0;
    partial.n_regions = 0;
    struct eco_history *h = open_ok(db_path("h.db"));
    save_ok(h, &partial);
    for (size_t d = 0; d < partial.n_domains; d++)
        partial.domains[d].n_series = 40;
    partial.n_regions = 1;
    save_ok(h, &partial);
    struct eco_err err;
    CHECK(eco_history_load(h, "run-refresh", &back, &err) == 0);
    CHECK_INT(back.complete, 0);
    CHECK_INT(back.domains[0].n_series, 40);
    CHECK_INT(back.n_regions, 1);
    eco_run_result_free(&back);
    /* The process is killed here: what was saved stays, marked incomplete. */
    eco_history_close(h);
    h = open_ok(db_path("h.db"));
    CHECK(eco_history_load(h, "latest", &back, &err) == 0);
    CHECK_INT(back.complete, 0);
    CHECK_INT(back.exit_status, -1);
    eco_run_result_free(&back);
    /* Or it ends normally: the final save completes the series. */
    full.complete = 1;
    full.exit_status = 0;
    save_ok(h, &full);
    CHECK(eco_history_load(h, "latest", &back, &err) == 0);
    same_run(&full, &back);
    eco_run_result_free(&back);
    /* A series that changed under a refresh is rewritten, not mixed. */
    full.domains[0].series[10].t += 0.001;
    full.domains[0].n_series = 20;
    save_ok(h, &full);
    CHECK(eco_history_load(h, "latest", &back, &err) == 0);
    CHECK_INT(back.domains[0].n_series, 20);
    CHECK(back.domains[0].series[10].t == full.domains[0].series[10].t);
    eco_run_result_free(&back);
    full.domains[0].n_series = 120;
    eco_synth_free(&full);
    eco_synth_free(&partial);
    eco_history_close(h);
}

ECO_TEST(history_references_latest_prefix_ambiguous)
{
    struct eco_history *h = open_ok(db_path("h.db"));
    const char *ids[] = {"20261126-100000-ab12", "20261126-110000-ab34", "20261126-120000-cd56"};
    for (int i = 0; i < 3; i++) {
        struct eco_synth s = {.id = ids[i], .start_unix = 1795680000.0 + 3600 * i, .duration_s = 5};
        struct eco_run_result r;
        eco_synth_run(&s, &r);
        save_ok(h, &r);
        eco_synth_free(&r);
    }
    struct eco_run_result back;
    struct eco_err err;
    CHECK(eco_history_load(h, "latest", &back, &err) == 0);
    CHECK_STR(back.id, ids[2]);
    eco_run_result_free(&back);
    CHECK(eco_history_load(h, "latest~2", &back, &err) == 0);
    CHECK_STR(back.id, ids[0]);
    eco_run_result_free(&back);
    CHECK(eco_history_load(h, "latest~3", &back, &err) != 0);
    CHECK_INT(err.code, 2);
    CHECK(eco_history_load(h, "latest~x", &back, &err) != 0);
    CHECK(eco_history_load(h, "20261126-12", &back, &err) == 0);
    CHECK_STR(back.id, ids[2]);
    eco_run_result_free(&back);
    CHECK(eco_history_load(h, "20261126-1", &back, &err) != 0);
    CHECK(strstr(err.msg, "ambiguous") != NULL);
    CHECK(eco_history_load(h, "nope", &back, &err) != 0);
    CHECK_INT(err.code, 2);
    CHECK(strstr(err.hint, "ecometer runs") != NULL);

    struct eco_run_result *list;
    size_t n;
    CHECK(eco_history_list(h, 0, &list, &n, &err) == 0);
    CHECK_INT(n, 3);
    CHECK_STR(list[0].id, ids[2]);
    CHECK_STR(list[2].id, ids[0]);
    CHECK(list[0].domains == NULL);
    free(list);
    CHECK(eco_history_list(h, 2, &list, &n, &err) == 0);
    CHECK_INT(n, 2);
    free(list);

    CHECK(eco_history_delete(h, "20261126-11", &err) == 0);
    CHECK(eco_history_list(h, 0, &list, &n, &err) == 0);
    CHECK_INT(n, 2);
    free(list);
    sqlite3 *db;
    CHECK(sqlite3_open(db_path("h.db"), &db) == SQLITE_OK);
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(db, "SELECT count(*) FROM samples WHERE run_id = '20261126-110000-ab34'",
                             -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    eco_history_close(h);
}

ECO_TEST(history_empty_latest_is_clear_error)
{
    struct eco_history *h = open_ok(db_path("h.db"));
    struct eco_run_result back;
    struct eco_err err;
    CHECK(eco_history_load(h, "latest", &back, &err) != 0);
    CHECK(strstr(err.msg, "no run is stored") != NULL);
    eco_history_close(h);
    eco_err_clear(&err);
    CHECK(eco_history_open_existing(db_path("absent.db"), &err) == NULL);
    CHECK(strstr(err.msg, "no history at") != NULL);
    struct stat sb;
    CHECK(stat(db_path("absent.db"), &sb) != 0); /* reading never creates */
}

static int user_version(const char *path)
{
    sqlite3 *db;
    int v = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK) {
        struct eco_err err;
        if (eco_store_version(db, &v, &err) != 0)
            v = -1;
    }
    sqlite3_close(db);
    return v;
}

ECO_TEST(history_migrates_from_version_0_and_1)
{
    /* Version 0: an empty SQLite file (as left by a crash before the first
     * step). A file with another program's tables is not migrated but
     * refused (issue 16), and left as it was. */
    sqlite3 *db;
    CHECK(sqlite3_open(db_path("other.db"), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "CREATE TABLE unrelated(x)", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    struct eco_err oerr;
    eco_err_clear(&oerr);
    CHECK(eco_history_open(db_path("other.db"), &oerr) == NULL);
    CHECK(strstr(oerr.msg, "not an ecometer history") != NULL);
    CHECK_INT(user_version(db_path("other.db")), 0);
    CHECK(sqlite3_open(db_path("v0.db"), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "PRAGMA user_version = 0", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(user_version(db_path("v0.db")), 0);
    struct eco_history *h = open_ok(db_path("v0.db"));
    eco_history_close(h);
    CHECK_INT(user_version(db_path("v0.db")), eco_history_schema_version());
    CHECK(sqlite3_open(db_path("v0.db"), &db) == SQLITE_OK);
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(db, "SELECT count(*), max(version) FROM migrations", -1, &st, NULL) ==
          SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), eco_history_schema_version());
    CHECK_INT(sqlite3_column_int(st, 1), eco_history_schema_version());
    sqlite3_finalize(st);
    sqlite3_close(db);

    /* Version 1 with a run in it: upgraded in place, the run kept. */
    struct eco_err err;
    CHECK(sqlite3_open(db_path("v1.db"), &db) == SQLITE_OK);
    CHECK(eco_store_migrate(db, 1, &err) == 0);
    CHECK(sqlite3_exec(db,
                       "INSERT INTO runs(id, kind, command, start_unix, duration_s, complete, "
                       "total_energy_j) VALUES ('old-run', 'run', 'make', 1700000000, 12, 1, 345.5)",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(user_version(db_path("v1.db")), 1);
    h = open_ok(db_path("v1.db"));
    CHECK_INT(user_version(db_path("v1.db")), eco_history_schema_version());
    struct eco_run_result back;
    CHECK(eco_history_load(h, "old-run", &back, &err) == 0);
    CHECK_STR(back.command, "make");
    CHECK(back.total_energy_j == 345.5);
    eco_run_result_free(&back);
    eco_history_close(h);
}

ECO_TEST(history_refuses_newer_schema)
{
    sqlite3 *db;
    CHECK(sqlite3_open(db_path("new.db"), &db) == SQLITE_OK);
    /* A newer ecometer's file carries ecometer's application id (issue 16). */
    CHECK(sqlite3_exec(db, "PRAGMA application_id = 1162039117; PRAGMA user_version = 999", NULL, NULL,
                       NULL) == SQLITE_OK);
    sqlite3_close(db);
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_history_open(db_path("new.db"), &err) == NULL);
    CHECK(strstr(err.msg, "newer ecometer") != NULL);
    CHECK_INT(user_version(db_path("new.db")), 999); /* left untouched */
}

ECO_TEST(history_two_concurrent_writer_processes_both_land)
{
    const char *path = db_path("conc.db");
    eco_history_close(open_ok(path)); /* schema first, as a run's start-save would */
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        CHECK(kids[k] >= 0);
        if (kids[k] == 0) {
            struct eco_err err;
            struct eco_history *h = eco_history_open(path, &err);
            if (!h)
                _exit(3);
            /* Each writer refreshes its own run many times, as two `ecometer
             * run` do at once, and stores a few finished ones. */
            for (int i = 0; i < 30; i++) {
                char id[40];
                snprintf(id, sizeof id, "writer%d-run%02d", k, i % 10);
                struct eco_synth s = {.id = id, .duration_s = 10, .epochs = 1};
                struct eco_run_result r;
                eco_synth_run(&s, &r);
                int rc = eco_history_save(h, &r, &err);
                eco_synth_free(&r);
                if (rc != 0) {
                    fprintf(stderr, "writer %d: %s\n", k, err.msg);
                    _exit(4);
                }
            }
            eco_history_close(h);
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int st;
        CHECK(waitpid(kids[k], &st, 0) == kids[k]);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    struct eco_history *h = open_ok(path);
    struct eco_run_result *list;
    size_t n;
    struct eco_err err;
    CHECK(eco_history_list(h, 0, &list, &n, &err) == 0);
    CHECK_INT(n, 20);
    free(list);
    struct eco_run_result back;
    CHECK(eco_history_load(h, "writer1-run09", &back, &err) == 0);
    CHECK_INT(back.domains[0].n_series, 20);
    eco_run_result_free(&back);
    eco_history_close(h);
}

ECO_TEST(history_locked_is_clear_error)
{
    const char *path = db_path("locked.db");
    struct eco_history *h = open_ok(path);
    sqlite3 *other;
    CHECK(sqlite3_open(path, &other) == SQLITE_OK);
    CHECK(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK);
    eco_history_set_busy_timeout(h, 100);
    struct eco_synth s = {.id = "blocked"};
    struct eco_run_result r;
    eco_synth_run(&s, &r);
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_history_save(h, &r, &err) != 0);
    CHECK(strstr(err.msg, "locked by another process") != NULL);
    CHECK(err.hint[0] != 0);
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    save_ok(h, &r); /* and works once the other lets go */
    eco_synth_free(&r);
    eco_history_close(h);
}

ECO_TEST(history_corrupt_file_is_clear_error)
{
    const char *path = db_path("junk.db");
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    for (int i = 0; i < 4096; i++)
        fputc("not a database, just text\n"[i % 26], f);
    fclose(f);
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_history_open_existing(path, &err) == NULL);
    CHECK(strstr(err.msg, "is not a readable ecometer history") != NULL);
    CHECK(strstr(err.hint, "move the file aside") != NULL);
    eco_err_clear(&err);
    CHECK(eco_history_open(path, &err) == NULL);
    CHECK(strstr(err.msg, "is not a readable ecometer history") != NULL);

    /* A real history cut in the middle: an error or a partial read, never a crash. */
    const char *cut = db_path("cut.db");
    struct eco_history *h = open_ok(cut);
    for (int i = 0; i < 20; i++) {
        char id[40];
        snprintf(id, sizeof id, "run-%02d", i);
        struct eco_synth s = {.id = id, .duration_s = 30, .epochs = 3};
        struct eco_run_result r;
        eco_synth_run(&s, &r);
        save_ok(h, &r);
        eco_synth_free(&r);
    }
    eco_history_close(h);
    struct stat sb;
    CHECK(stat(cut, &sb) == 0 && sb.st_size > 16384);
    CHECK(truncate(cut, sb.st_size / 2) == 0);
    eco_err_clear(&err);
    h = eco_history_open_existing(cut, &err);
    if (!h) {
        CHECK(strstr(err.msg, cut) != NULL);
        return;
    }
    int failures = 0;
    for (int i = 0; i < 20; i++) {
        char id[40];
        snprintf(id, sizeof id, "run-%02d", i);
        struct eco_run_result back;
        eco_err_clear(&err);
        if (eco_history_load(h, id, &back, &err) != 0) {
            CHECK(err.msg[0] != 0);
            failures++;
        } else {
            eco_run_result_free(&back);
        }
    }
    CHECK(failures > 0); /* half the file is gone: some reads must notice */
    eco_history_close(h);
}

ECO_TEST(history_read_only_file_reads_but_refuses_writes)
{
    const char *path = db_path("ro.db");
    struct eco_history *h = open_ok(path);
    struct eco_synth s = {.id = "kept"};
    struct eco_run_result r;
    eco_synth_run(&s, &r);
    save_ok(h, &r);
    eco_history_close(h);
    CHECK(chmod(path, 0444) == 0);
    CHECK(chmod(eco_test_tmpdir(), 0555) == 0);
    /* root ignores file modes, so the check runs as an unprivileged user. */
    pid_t kid = fork();
    CHECK(kid >= 0);
    if (kid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(10);
        struct eco_err err;
        eco_err_clear(&err);
        struct eco_history *ro = eco_history_open_existing(path, &err);
        if (!ro) {
            fprintf(stderr, "open: %s\n", err.msg);
            _exit(11);
        }
        struct eco_run_result back;
        if (eco_history_load(ro, "kept", &back, &err) != 0) {
            fprintf(stderr, "load: %s\n", err.msg);
            _exit(12);
        }
        eco_run_result_free(&back);
        if (eco_history_save(ro, &r, &err) == 0)
            _exit(13);
        if (!strstr(err.msg, "read-only"))
            _exit(14);
        eco_history_close(ro);
        eco_err_clear(&err);
        ro = eco_history_open(path, &err); /* a writer opening it is told at save time */
        if (ro) {
            if (eco_history_save(ro, &r, &err) == 0 || !strstr(err.msg, "read-only"))
                _exit(15);
            eco_history_close(ro);
        } else if (!err.msg[0]) {
            _exit(16);
        }
        _exit(0);
    }
    int st;
    CHECK(waitpid(kid, &st, 0) == kid);
    chmod(eco_test_tmpdir(), 0700);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 10)
        ECO_SKIP("cannot switch to user nobody to test a read-only file");
    CHECK(WIFEXITED(st));
    CHECK_INT(WEXITSTATUS(st), 0);
    eco_synth_free(&r);
}

/* Damaged files of every kind: bytes flipped anywhere in a real history.
 * Each open/list/load ends in success or a message, never a crash. */
ECO_TEST(history_damaged_bytes_never_crash)
{
    const char *good = db_path("good.db");
    struct eco_history *h = open_ok(good);
    for (int i = 0; i < 8; i++) {
        char id[40];
        snprintf(id, sizeof id, "run-%02d", i);
        struct eco_synth s = {.id = id, .duration_s = 20, .epochs = 2, .items_per_epoch = 10};
        struct eco_run_result r;
        eco_synth_run(&s, &r);
        save_ok(h, &r);
        eco_synth_free(&r);
    }
    eco_history_close(h);
    FILE *f = fopen(good, "rb");
    CHECK(f != NULL);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *bytes = malloc((size_t)size), *copy = malloc((size_t)size);
    CHECK(fread(bytes, 1, (size_t)size, f) == (size_t)size);
    fclose(f);
    unsigned seed = 12345;
    int opened = 0, refused = 0, load_errors = 0, loads = 0, loaded = 0, listed = 0;
    for (int round = 0; round < 40; round++) {
        memcpy(copy, bytes, (size_t)size);
        for (int k = 0; k < 24; k++) {
            seed = seed * 1103515245u + 12345u;
            long at = (long)((seed >> 8) % (unsigned)size);
            copy[at] ^= (unsigned char)(1u + (seed & 0x7f));
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/damaged-%d.db", eco_test_tmpdir(), round);
        FILE *o = fopen(path, "wb");
        CHECK(o != NULL);
        CHECK(fwrite(copy, 1, (size_t)size, o) == (size_t)size);
        fclose(o);
        struct eco_err err;
        eco_err_clear(&err);
        struct eco_history *d = eco_history_open_existing(path, &err);
        if (!d) {
            CHECK(err.msg[0] != 0);
            refused++;
            continue;
        }
        opened++;
        struct eco_run_result *list = NULL;
        size_t n = 0;
        if (eco_history_list(d, 0, &list, &n, &err) != 0)
            CHECK(err.msg[0] != 0);
        else
            listed++;
        CHECK(n <= 8); /* damage never invents runs */
        for (size_t i = 0; i <= n; i++) {
            struct eco_run_result back;
            eco_err_clear(&err);
            loads++;
            if (eco_history_load(d, i < n ? list[i].id : "latest", &back, &err) == 0) {
                loaded++;
                CHECK(back.n_domains <= 64 && back.n_regions <= 64);
                eco_run_result_free(&back);
            } else {
                CHECK(err.msg[0] != 0);
                load_errors++;
            }
        }
        free(list);
        eco_history_close(d);
    }
    printf("    40 damaged copies: %d refused at open, %d opened (%d loads failed cleanly)\n", refused, opened,
           load_errors);
    /* Every copy was either refused with a message or opened; the damage
     * (24 random bytes of a ~100 KiB file) hits both cases, and what opens
     * still gives runs back: a damaged page costs the runs on it, not the file. */
    CHECK_INT(refused + opened, 40);
    CHECK(refused > 0 && opened > 0);
    CHECK(listed > 0 && loaded > 0);
    CHECK_INT(loaded + load_errors, loads);
    free(bytes);
    free(copy);
}
