/* Named, tagged runs (issue 13): the label rules, the run references that
 * use names (NAME, NAME~N; an id or unique prefix wins), the filters of
 * `runs`, deleting several runs at once, the schema step that adds the
 * columns, and the C API's eco_session_set_label. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecometer.h"
#include "meter/run_driver.h"
#include "meter/run_label.h"
#include "meter/run_recompute.h"
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

ECO_TEST(run_label_rules)
{
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_run_name_check("--name", "teacher", &err) == 0);
    CHECK(eco_run_name_check("--name", "résnet-50 b", &err) == 0); /* UTF-8 and inner spaces */
    CHECK(eco_run_name_check("--name", "", &err) != 0);
    CHECK_INT(err.code, 2);
    CHECK(eco_run_name_check("--name", "a\nb", &err) != 0);
    CHECK(strstr(err.msg, "control character") != NULL);
    CHECK(eco_run_name_check("--name", "a\x7f", &err) != 0);
    CHECK(eco_run_name_check("--name", "teacher~1", &err) != 0);
    CHECK(strstr(err.hint, "NAME~1") != NULL);
    CHECK(eco_run_name_check("--name", "latest", &err) != 0);
    CHECK(eco_run_name_check("--project", "a~b", &err) == 0); /* only names are RUN arguments */
    CHECK(eco_run_name_check("--name", " x", &err) != 0);
    char long_name[ECO_RUN_NAME_MAX + 2];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[ECO_RUN_NAME_MAX + 1] = '\0';
    CHECK(eco_run_name_check("--name", long_name, &err) != 0);
    CHECK(strstr(err.msg, "at most 64") != NULL);
    long_name[ECO_RUN_NAME_MAX] = '\0';
    CHECK(eco_run_name_check("--name", long_name, &err) == 0);
}

ECO_TEST(run_label_tags_merge_trim_dedupe_and_bound)
{
    struct eco_err err;
    eco_err_clear(&err);
    char tags[ECO_RUN_TAGS_MAX + 1] = "";
    CHECK(eco_run_tags_add(tags, "kd", &err) == 0);
    CHECK(eco_run_tags_add(tags, " reid , kd,baseline ", &err) == 0);
    CHECK_STR(tags, "kd,reid,baseline");
    CHECK(eco_run_tags_has(tags, "reid"));
    CHECK(!eco_run_tags_has(tags, "rei"));
    CHECK(eco_run_tags_add(tags, "ok,,x", &err) != 0); /* an empty tag: refused, nothing added */
    CHECK_STR(tags, "kd,reid,baseline");
    CHECK(eco_run_tags_add(tags, "tab\there", &err) != 0);
    char many[600] = "";
    for (int i = 0; i < 40; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "%stag-number-%02d", i ? "," : "", i);
    CHECK(eco_run_tags_add(tags, many, &err) != 0);
    CHECK(strstr(err.msg, "too many tags") != NULL);
    CHECK_STR(tags, "kd,reid,baseline");
    struct eco_run_result r = {0};
    CHECK(eco_run_label_set(&r, "teacher", "kd", "reid", &err) == 0);
    CHECK(eco_run_label_set(&r, "student", "x", "bad\x01", &err) != 0);
    CHECK_STR(r.name, "teacher"); /* all or nothing */
    CHECK_STR(r.tags, "kd");
}

static void add_run(struct eco_history *h, const char *id, double start, const char *name, const char *tags,
                    const char *project)
{
    struct eco_synth s = {.id = id, .start_unix = start, .duration_s = 5};
    struct eco_run_result r;
    eco_synth_run(&s, &r);
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_run_label_set(&r, name, tags, project, &err) == 0);
    CHECK(eco_history_save(h, &r, &err) == 0);
    eco_synth_free(&r);
}

static const char *resolved(struct eco_history *h, const char *ref, struct eco_err *err)
{
    static char id[64];
    eco_err_clear(err);
    return eco_history_resolve(h, ref, id, sizeof id, err) == 0 ? id : "(error)";
}

ECO_TEST(run_references_by_name)
{
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_history *h = eco_history_open(db_path("names.db"), &err);
    CHECK(h != NULL);
    add_run(h, "20261126-100000-aa01", 1795680000, "teacher", "kd", "reid");
    add_run(h, "20261126-110000-aa02", 1795683600, "student", "kd,small", "reid");
    add_run(h, "20261126-120000-aa03", 1795687200, "teacher", NULL, NULL);
    add_run(h, "20261126-130000-bb04", 1795690800, "2026", NULL, "other"); /* a name that is also a prefix */
    CHECK_STR(resolved(h, "teacher", &err), "20261126-120000-aa03");
    CHECK_STR(resolved(h, "teacher~0", &err), "20261126-120000-aa03");
    CHECK_STR(resolved(h, "teacher~1", &err), "20261126-100000-aa01");
    CHECK_STR(resolved(h, "teacher~2", &err), "(error)");
    CHECK(strstr(err.msg, "only 2 runs are named 'teacher'") != NULL);
    CHECK_STR(resolved(h, "student", &err), "20261126-110000-aa02");
    CHECK_STR(resolved(h, "nobody~1", &err), "(error)");
    CHECK(strstr(err.msg, "no run named 'nobody'") != NULL);
    CHECK_STR(resolved(h, "teacher~x", &err), "(error)");
    CHECK_INT(err.code, 2);
    /* an id prefix several ids share falls back to the name... */
    CHECK_STR(resolved(h, "2026", &err), "20261126-130000-bb04");
    /* ...a unique prefix and an exact id win over names */
    CHECK_STR(resolved(h, "20261126-11", &err), "20261126-110000-aa02");
    CHECK_STR(resolved(h, "20261126-100000-aa01", &err), "20261126-100000-aa01");
    CHECK_STR(resolved(h, "20261126-1", &err), "(error)");
    CHECK(strstr(err.msg, "ambiguous") != NULL);
    CHECK_STR(resolved(h, "latest", &err), "20261126-130000-bb04");
    CHECK_STR(resolved(h, "latest~1", &err), "20261126-120000-aa03");

    /* filters: project, tag (a whole tag, not a part), time */
    struct eco_run_result *list;
    size_t n;
    struct eco_run_filter f = {.project = "reid"};
    CHECK(eco_history_find(h, &f, 0, &list, &n, &err) == 0);
    CHECK_INT(n, 2);
    CHECK_STR(list[0].name, "student");
    CHECK_STR(list[0].tags, "kd,small");
    CHECK_STR(list[0].project, "reid");
    free(list);
    f = (struct eco_run_filter){.tag = "kd"};
    CHECK(eco_history_find(h, &f, 0, &list, &n, &err) == 0);
    CHECK_INT(n, 2);
    free(list);
    f = (struct eco_run_filter){.tag = "smal"};
    CHECK(eco_history_find(h, &f, 0, &list, &n, &err) == 0);
    CHECK_INT(n, 0);
    free(list);
    f = (struct eco_run_filter){.tag = "kd", .since_unix = 1795683600};
    CHECK(eco_history_find(h, &f, 0, &list, &n, &err) == 0);
    CHECK_INT(n, 1);
    CHECK_STR(list[0].id, "20261126-110000-aa02");
    free(list);
    f = (struct eco_run_filter){.before_unix = 1795687200};
    CHECK(eco_history_find(h, &f, 0, &list, &n, &err) == 0);
    CHECK_INT(n, 2);
    free(list);

    /* deleting several: all or none */
    char a[] = "20261126-100000-aa01", gone[] = "no-such-run";
    char *ids[] = {a, gone};
    CHECK(eco_history_delete_ids(h, ids, 2, &err) == 0); /* an id that is not there deletes nothing */
    CHECK(eco_history_find(h, NULL, 0, &list, &n, &err) == 0);
    CHECK_INT(n, 3);
    free(list);
    CHECK_STR(resolved(h, "teacher~1", &err), "(error)");
    CHECK(eco_history_delete(h, "student", &err) == 0);
    CHECK_STR(resolved(h, "student", &err), "(error)");
    eco_history_close(h);
}

ECO_TEST(run_label_columns_added_to_a_version_4_history)
{
    sqlite3 *db;
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(sqlite3_open(db_path("v4.db"), &db) == SQLITE_OK);
    CHECK(eco_store_migrate(db, 4, &err) == 0);
    CHECK(sqlite3_exec(db,
                       "INSERT INTO runs(id, kind, command, start_unix, duration_s, complete, total_energy_j)"
                       " VALUES ('old-run', 'run', 'make', 1700000000, 12, 1, 345.5)",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    struct eco_history *h = eco_history_open(db_path("v4.db"), &err);
    CHECK(h != NULL);
    struct eco_run_result back;
    CHECK(eco_history_load(h, "old-run", &back, &err) == 0);
    CHECK_STR(back.name, "");
    CHECK_STR(back.tags, "");
    eco_run_result_free(&back);
    add_run(h, "new-run", 1700000100, "named", "t", "p");
    CHECK(eco_history_load(h, "named", &back, &err) == 0);
    CHECK_STR(back.id, "new-run");
    CHECK_STR(back.project, "p");
    eco_run_result_free(&back);
    eco_history_close(h);
}

/* A history at the latest version whose runs table lacks columns (what a
 * development build that numbered its step the same but held fewer fields
 * left behind: every query failed with "no such column: name") gets them
 * back when opened, and keeps its runs. */
ECO_TEST(history_at_latest_version_missing_columns_is_repaired)
{
    sqlite3 *db;
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(sqlite3_open(db_path("holes.db"), &db) == SQLITE_OK);
    CHECK(eco_store_migrate(db, eco_store_latest_version(), &err) == 0);
    CHECK(sqlite3_exec(db,
                       "INSERT INTO runs(id, kind, command, start_unix, duration_s, complete, total_energy_j)"
                       " VALUES ('kept-run', 'run', 'make', 1700000000, 12, 1, 345.5);"
                       "ALTER TABLE runs DROP COLUMN name; ALTER TABLE runs DROP COLUMN embodied_basis;",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    struct eco_history *h = eco_history_open(db_path("holes.db"), &err);
    CHECK(h != NULL);
    struct eco_run_result back;
    CHECK(eco_history_load(h, "kept-run", &back, &err) == 0);
    CHECK(back.total_energy_j == 345.5);
    CHECK_STR(back.name, "");
    eco_run_result_free(&back);
    add_run(h, "new-run", 1700000100, "named", "t", "p");
    CHECK(eco_history_load(h, "named", &back, &err) == 0);
    CHECK_STR(back.id, "new-run");
    eco_run_result_free(&back);
    eco_history_close(h);
    /* a second open finds nothing to add */
    CHECK(sqlite3_open(db_path("holes.db"), &db) == SQLITE_OK);
    int added = -1;
    CHECK(eco_store_add_missing_columns(db, &added, &err) == 0);
    CHECK(added == 0);
    sqlite3_close(db);
}

ECO_TEST(run_label_set_on_a_session_and_its_record)
{
    char sys[1024];
    snprintf(sys, sizeof sys, "%s/tests/fixtures/intel-2s-server/sys", eco_test_srcdir());
    setenv("ECOMETER_SYSFS_ROOT", sys, 1);
    unsetenv("ECOMETER_SOCKET");
    /* the driver keeps the label in its record (what the history stores) */
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_run_setup setup = {.kind = "session", .intensity = ECO_INTENSITY_NONE, .region = "FR",
                                  .meter = {.interval_s = 0.05}, .name = "teacher", .tags = "kd, reid"};
    struct eco_run_driver *d = eco_run_driver_open(&setup, &err);
    CHECK(d != NULL);
    CHECK(eco_run_driver_start(d, &err) == 0);
    CHECK(eco_run_driver_set_label(d, NULL, NULL, "reid", &err) == 0);
    CHECK(eco_run_driver_set_label(d, "bad~name", NULL, NULL, &err) != 0);
    CHECK(eco_run_driver_finish(d, -1, 0, 0, &err) == 0);
    const struct eco_run_result *r = eco_run_driver_record(d);
    CHECK_STR(r->name, "teacher");
    CHECK_STR(r->tags, "kd,reid");
    CHECK_STR(r->project, "reid");
    eco_run_driver_close(d);
    setup.name = "a\tb";
    CHECK(eco_run_driver_open(&setup, &err) == NULL);
    CHECK_INT(err.code, 2);

    /* the C API: 0 set, -1 refused with the reason, NULL session refused */
    char errbuf[256];
    struct eco_session_options opt = {.interval_s = 0.05, .region = "FR"};
    eco_session *s = eco_session_start(&opt, errbuf, sizeof errbuf);
    CHECK(s != NULL);
    CHECK_INT(eco_session_set_label(s, "student", "kd", "reid"), 0);
    CHECK_STR(eco_session_last_error(s), "");
    CHECK_INT(eco_session_set_label(s, "latest", NULL, NULL), -1);
    CHECK(strstr(eco_session_last_error(s), "latest") != NULL);
    CHECK_INT(eco_session_set_label(NULL, "x", NULL, NULL), -1);
    CHECK(eco_session_stop(s, NULL) == 0);
    unsetenv("ECOMETER_SYSFS_ROOT");
}

ECO_TEST(run_recompute_for_another_place_keeps_the_energy)
{
    struct eco_synth s = {.id = "r1", .duration_s = 30, .epochs = 3, .items_per_epoch = 100};
    struct eco_run_result r;
    eco_synth_run(&s, &r); /* FR at 56 g/kWh */
    double energy = r.total_energy_j, net = r.net_energy_j, region0 = r.regions[0].energy_j;
    CHECK(r.intensity_g_per_kwh == 56 && !r.intensity_recomputed);
    struct eco_intensity de;
    struct eco_err err;
    eco_err_clear(&err);
    CHECK(eco_intensity_resolve("DE", ECO_INTENSITY_NONE, &de, &err) == 0);
    eco_run_recompute(&r, &de);
    CHECK(r.total_energy_j == energy && r.net_energy_j == net && r.regions[0].energy_j == region0);
    CHECK_INT(r.intensity_recomputed, 1);
    CHECK(r.recorded_intensity_g_per_kwh == 56);
    CHECK(r.intensity_g_per_kwh == de.g_per_kwh);
    CHECK_STR(r.region_code, "DE");
    /* energy (J) / 3.6e6 x g/kWh, by hand, for the run and a region */
    CHECK_NEAR(r.co2e_g, energy / 3.6e6 * de.g_per_kwh, 1e-12);
    CHECK_NEAR(r.regions[0].co2e_g, region0 / 3.6e6 * de.g_per_kwh, 1e-12);
    char note[512];
    CHECK(strstr(eco_run_recomputed_note(&r, note, sizeof note), "instead of the 56 gCO2e/kWh recorded") != NULL);
    /* again, for a number: the recorded intensity is still the stored one */
    struct eco_intensity given;
    CHECK(eco_intensity_resolve(NULL, 100, &given, &err) == 0);
    eco_run_recompute(&r, &given);
    CHECK(r.recorded_intensity_g_per_kwh == 56);
    CHECK_NEAR(r.co2e_g, energy / 3.6e6 * 100, 1e-12);
    CHECK_STR(r.region_code, "");
    eco_synth_free(&r);
}
