/* The run record's field table drives the history: the schema a new or an
 * upgraded file holds is the table's stored fields, and every field (the
 * forecast too, added in schema step 4) comes back from a save and a load. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "meter/record_fields.h"
#include "meter/run_derive.h"
#include "store/history.h"
#include "store/migrate.h"
#include "synthetic_run.h"
#include "test.h"

static const char *path_of(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", eco_test_tmpdir(), name);
    return buf;
}

/* 1 if `column` is a column of `table` in the file. */
static int has_column(sqlite3 *db, const char *table, const char *column)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s') WHERE name = ?", table);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, column, -1, SQLITE_STATIC);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return n;
}

static int n_columns(sqlite3 *db, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s')", table);
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

/* Every stored field is a column, and nothing else is (but the keys). */
static void schema_is_the_table(sqlite3 *db)
{
    const struct eco_field *f[128];
    size_t n = eco_fields_stored(eco_run_fields, eco_n_run_fields, f);
    for (size_t i = 0; i < n; i++)
        CHECK(has_column(db, "runs", f[i]->sql));
    CHECK_INT(n_columns(db, "runs"), (int)n + 1); /* + saved_unix */
    n = eco_fields_stored(eco_domain_fields, eco_n_domain_fields, f);
    for (size_t i = 0; i < n; i++)
        CHECK(has_column(db, "domains", f[i]->sql));
    CHECK_INT(n_columns(db, "domains"), (int)n + 2); /* + run_id, idx */
    n = eco_fields_stored(eco_region_fields, eco_n_region_fields, f);
    for (size_t i = 0; i < n; i++)
        CHECK(has_column(db, "regions", f[i]->sql));
    CHECK_INT(n_columns(db, "regions"), (int)n + 2);
}

ECO_TEST(record_fields_schema_of_new_and_upgraded_files)
{
    struct eco_err err;
    char fresh[4096], old[4096];
    snprintf(fresh, sizeof fresh, "%s", path_of("fields-new.db"));
    snprintf(old, sizeof old, "%s", path_of("fields-v3.db"));
    unlink(fresh);
    unlink(old);
    struct eco_history *h = eco_history_open(fresh, &err);
    CHECK(h != NULL);
    eco_history_close(h);
    sqlite3 *db;
    CHECK(sqlite3_open(fresh, &db) == SQLITE_OK);
    schema_is_the_table(db);
    sqlite3_close(db);
    /* A file left at version 3 (before the forecast) gains its columns. */
    CHECK(sqlite3_open(old, &db) == SQLITE_OK);
    CHECK(eco_store_migrate(db, 3, &err) == 0);
    CHECK(!has_column(db, "runs", "forecast_epochs"));
    CHECK(sqlite3_exec(db, "INSERT INTO runs (id, kind, command, start_unix, duration_s, complete, total_energy_j) "
                           "VALUES ('v3-run', 'run', 'make', 1700000000, 10, 1, 360)", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    h = eco_history_open(old, &err);
    CHECK(h != NULL);
    struct eco_run_result back;
    CHECK(eco_history_load(h, "v3-run", &back, &err) == 0);
    CHECK_INT(back.forecast.epochs, 0);
    CHECK_NEAR(back.total_energy_j, 360, 1e-12);
    eco_run_result_free(&back);
    eco_history_close(h);
    CHECK(sqlite3_open(old, &db) == SQLITE_OK);
    schema_is_the_table(db);
    sqlite3_close(db);
}

ECO_TEST(record_fields_forecast_and_derived_figures_round_trip)
{
    struct eco_synth s = {.id = "20261203-fc", .epochs = 2, .items_per_epoch = 10};
    struct eco_run_result r, back;
    eco_synth_run(&s, &r);
    r.intensity_g_per_kwh = 400;
    r.forecast = (struct eco_forecast){.epochs = 5, .after_s = 30, .first_epoch_s = 25,
                                       .first_epoch_energy_j = 3600, .energy_at_first_epoch_end_j = 4000};
    eco_run_derive(&r);
    /* 4000 J + 4 x 3600 J = 18400 J; at 400 g/kWh: 18400 / 3.6e6 x 400 g; 30 s + 4 x 25 s */
    CHECK_NEAR(r.forecast.energy_j, 18400, 1e-12);
    CHECK_NEAR(r.forecast.co2e_g, 18400 / 3.6e6 * 400, 1e-12);
    CHECK_NEAR(r.forecast.duration_s, 130, 1e-12);
    struct eco_err err;
    const char *p = path_of("fields-fc.db");
    unlink(p);
    struct eco_history *h = eco_history_open(p, &err);
    CHECK(h != NULL);
    CHECK(eco_history_save(h, &r, &err) == 0);
    CHECK(eco_history_load(h, "20261203-fc", &back, &err) == 0);
    CHECK_INT(back.forecast.epochs, 5);
    CHECK(back.forecast.energy_j == r.forecast.energy_j);
    CHECK(back.forecast.co2e_g == r.forecast.co2e_g);
    CHECK(back.net_co2e_g == r.net_co2e_g);
    CHECK(back.energy_per_item_j == r.energy_per_item_j);
    for (size_t k = 0; k < r.n_regions; k++) {
        CHECK(back.regions[k].co2e_g == r.regions[k].co2e_g);
        CHECK(back.regions[k].energy_per_item_j == r.regions[k].energy_per_item_j);
    }
    eco_run_result_free(&back);
    eco_synth_free(&r);
    eco_history_close(h);
}

/* Carbon intensity over time (schema step 6): the stored series fields come
 * back from the history and the derived grams are recomputed the same; a run
 * without a series has none (-1: null in JSON). Worked: 7.2e6 J = 2 kWh;
 * at 150 g/kWh (series) 300 g; best window 100 vs own 160 g/kWh: 200 g vs
 * 320 g, saving 120 g = 37.5%. */
ECO_TEST(record_fields_intensity_series_round_trip)
{
    struct eco_synth s = {.id = "20261203-ts"};
    struct eco_run_result r, back;
    eco_synth_run(&s, &r);
    r.intensity_g_per_kwh = 400;
    r.total_energy_j = 7.2e6;
    eco_run_derive(&r);
    CHECK(r.series_co2e_g == -1 && r.advice_saving_g == -1 && r.advice_start_unix == -1);
    snprintf(r.intensity_series, sizeof r.intensity_series, "dk.csv");
    snprintf(r.intensity_series_points, sizeof r.intensity_series_points, "1767225600:150;");
    snprintf(r.intensity_series_note, sizeof r.intensity_series_note, "the series covers the whole run");
    r.series_intensity_g_per_kwh = 150;
    r.advice_start_unix = 1767229200;
    r.advice_g_per_kwh = 100;
    r.advice_actual_g_per_kwh = 160;
    eco_run_derive(&r);
    CHECK_NEAR(r.series_co2e_g, 300, 1e-12);
    CHECK_NEAR(r.advice_co2e_g, 200, 1e-12);
    CHECK_NEAR(r.advice_saving_g, 120, 1e-12);
    CHECK_NEAR(r.advice_saving_pct, 37.5, 1e-12);
    CHECK_NEAR(r.co2e_g, 800, 1e-12); /* the yearly figure unchanged beside it */
    struct eco_err err;
    const char *p = path_of("fields-ts.db");
    unlink(p);
    struct eco_history *h = eco_history_open(p, &err);
    CHECK(h != NULL);
    CHECK(eco_history_save(h, &r, &err) == 0);
    CHECK(eco_history_load(h, "20261203-ts", &back, &err) == 0);
    CHECK_STR(back.intensity_series, "dk.csv");
    CHECK_STR(back.intensity_series_points, "1767225600:150;");
    CHECK(back.series_co2e_g == r.series_co2e_g);
    CHECK(back.advice_start_unix == 1767229200);
    CHECK(back.advice_saving_pct == r.advice_saving_pct);
    eco_run_result_free(&back);
    eco_synth_free(&r);
    eco_history_close(h);
}
