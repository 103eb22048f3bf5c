/* The run record's field tables (see record_fields.h). Order is the JSON
 * and CSV order. `since` is the history schema step that added the column
 * (1: the first schema; later ones are added by store/migrate.c from here). */
#include "meter/record_fields.h"

#include "meter/result.h"
#include "sensors/sensor.h"

#define SZ(T, m) sizeof(((T *)0)->m)
#define RUN(m, type, unit, json, csv, sql, since, flags)                                            \
    {#m, type, unit, json, csv, sql, since, flags, offsetof(struct eco_run_result, m), SZ(struct eco_run_result, m)}
#define DOM(m, type, unit, sql)                                                                      \
    {#m, type, unit, #m, #m, sql, 1, 0, offsetof(struct eco_domain_result, m), SZ(struct eco_domain_result, m)}
#define REG(m, type, unit, sql, flags)                                                              \
    {#m, type, unit, #m, #m, sql, 1, flags, offsetof(struct eco_region_result, m), SZ(struct eco_region_result, m)}

#define T ECO_FIELD_TEXT
#define I ECO_FIELD_INT
#define L ECO_FIELD_INT64
#define R ECO_FIELD_REAL
#define B ECO_FIELD_BOOL
#define NONE ECO_FIELD_NULL_IF_NEG
#define FC ECO_FIELD_FORECAST
#define MS ECO_FIELD_MEASURED

const struct eco_field eco_run_fields[] = {
    RUN(id, T, "", "id", "id", "id", 1, ECO_FIELD_LIST),
    RUN(kind, T, "", "kind", "kind", "kind", 1, ECO_FIELD_LIST),
    RUN(command, T, "", "command", "command", "command", 1, ECO_FIELD_LIST),
    RUN(complete, B, "", "complete", "complete", "complete", 1, ECO_FIELD_LIST),
    RUN(start_unix, R, "s", "start_unix", "start_unix", "start_unix", 1, ECO_FIELD_LIST),
    RUN(end_unix, R, "s", "end_unix", "end_unix", "end_unix", 1, 0),
    RUN(duration_s, R, "s", "duration_s", "duration_s", "duration_s", 1, ECO_FIELD_LIST),
    RUN(exit_status, I, "", "exit_status", "exit_status", "exit_status", 1, NONE | ECO_FIELD_LIST),
    RUN(term_signal, I, "", "term_signal", "term_signal", "term_signal", 1, ECO_FIELD_LIST),
    RUN(interval_s, R, "s", "interval_s", "interval_s", "interval_s", 1, 0),
    RUN(interval_note, T, "", "interval_note", "interval_note", "interval_note", 3, 0),
    RUN(host, T, "", "host.name", "host", "host", 1, ECO_FIELD_LIST),
    RUN(os, T, "", "host.os", "os", "os", 1, 0),
    RUN(cpu_model, T, "", "host.cpu_model", "cpu_model", "cpu_model", 1, 0),
    RUN(cpu_count, I, "", "host.cpu_count", "cpu_count", "cpu_count", 1, 0),
    RUN(gpu_model, T, "", "host.gpu_model", "gpu_model", "gpu_model", 1, 0),
    RUN(gpu_count, I, "", "host.gpu_count", "gpu_count", "gpu_count", 1, 0),
    RUN(ram_gb, R, "GiB", "host.ram_gb", "ram_gb", "ram_gb", 1, 0),
    RUN(total_energy_j, R, "J", "total_energy_j", "total_energy_j", "total_energy_j", 1, ECO_FIELD_LIST | MS),
    RUN(estimated_energy_j, R, "J", "estimated_energy_j", "estimated_energy_j", "estimated_energy_j", 3, MS),
    RUN(baseline_w, R, "W", "baseline_w", "baseline_w", "baseline_w", 1, 0),
    RUN(baseline_source, T, "", "baseline_source", "baseline_source", "baseline_source", 1, 0),
    RUN(net_energy_j, R, "J", "net_energy_j", "net_energy_j", "net_energy_j", 1, MS),
    RUN(co2e_g, R, "g", "co2e_g", "co2e_g", "co2e_g", 1, ECO_FIELD_LIST | MS),
    RUN(net_co2e_g, R, "g", "net_co2e_g", "net_co2e_g", NULL, 0, MS),
    RUN(region_code, T, "", "intensity.region", "region", "region_code", 1, 0),
    RUN(intensity_label, T, "", "intensity.label", "intensity_label", "intensity_label", 1, 0),
    RUN(intensity_g_per_kwh, R, "g/kWh", "intensity.g_per_kwh", "intensity_g_per_kwh", "intensity_g_per_kwh", 1, 0),
    RUN(intensity_is_default, B, "", "intensity.is_default", "intensity_is_default", "intensity_is_default", 1, 0),
    RUN(attributed_energy_j, R, "J", "attributed.energy_j", "attributed_energy_j", "attributed_energy_j", 1, MS),
    RUN(attribution_method, T, "", "attributed.method", "attribution_method", "attribution_method", 1, 0),
    RUN(attributed_share, R, "", "attributed.share", "attributed_share", "attributed_share", 3, 0),
    RUN(attribution_note, T, "", "attributed.note", "attribution_note", "attribution_note", 3, 0),
    RUN(items, L, "", "items", "items", "items", 1, 0),
    RUN(energy_per_item_j, R, "J", "energy_per_item_j", "energy_per_item_j", NULL, 0, NONE | MS),
    RUN(rejected_markers, L, "", "rejected_markers", "rejected_markers", "rejected_markers", 3, 0),
    RUN(forecast.epochs, L, "", "forecast.epochs", "forecast_epochs", "forecast_epochs", 4, FC),
    RUN(forecast.after_s, R, "s", "forecast.after_s", "forecast_after_s", "forecast_after_s", 4, FC),
    RUN(forecast.first_epoch_s, R, "s", "forecast.first_epoch_s", "forecast_first_epoch_s", "forecast_first_epoch_s", 4, FC),
    RUN(forecast.first_epoch_energy_j, R, "J", "forecast.first_epoch_energy_j", "forecast_first_epoch_energy_j",
        "forecast_first_epoch_energy_j", 4, FC),
    RUN(forecast.energy_at_first_epoch_end_j, R, "J", "forecast.energy_at_first_epoch_end_j",
        "forecast_energy_at_first_epoch_end_j", "forecast_energy_at_first_epoch_end_j", 4, FC),
    RUN(forecast.energy_j, R, "J", "forecast.energy_j", "forecast_energy_j", NULL, 0, FC),
    RUN(forecast.co2e_g, R, "g", "forecast.co2e_g", "forecast_co2e_g", NULL, 0, FC),
    RUN(forecast.duration_s, R, "s", "forecast.duration_s", "forecast_duration_s", NULL, 0, FC),
    /* named, tagged runs (issue 13, schema step 5) */
    RUN(name, T, "", "name", "name", "name", 5, ECO_FIELD_LIST),
    RUN(tags, T, "", "tags", "tags", "tags", 5, ECO_FIELD_LIST),
    RUN(project, T, "", "project", "project", "project", 5, ECO_FIELD_LIST),
    /* recomputed for another place (issue 13): derived, never stored */
    RUN(intensity_recomputed, B, "", "intensity.recomputed", "intensity_recomputed", NULL, 0, 0),
    RUN(recorded_intensity_g_per_kwh, R, "g/kWh", "intensity.recorded_g_per_kwh", "recorded_intensity_g_per_kwh",
        NULL, 0, 0),
    /* carbon intensity over time (--intensity-series; schema step 6) */
    RUN(intensity_series, T, "", "intensity_series.file", "intensity_series", "intensity_series", 6, 0),
    RUN(intensity_series_note, T, "", "intensity_series.note", "intensity_series_note", "intensity_series_note", 6, 0),
    RUN(intensity_series_points, T, "", "intensity_series.points", NULL, "intensity_series_points", 6, 0),
    RUN(series_intensity_g_per_kwh, R, "g/kWh", "intensity_series.g_per_kwh", "series_intensity_g_per_kwh",
        "series_intensity_g_per_kwh", 6, 0),
    RUN(series_uncovered_s, R, "s", "intensity_series.uncovered_s", "series_uncovered_s", "series_uncovered_s", 6, 0),
    RUN(series_co2e_g, R, "g", "intensity_series.co2e_g", "series_co2e_g", NULL, 0, NONE | MS),
    RUN(series_net_co2e_g, R, "g", "intensity_series.net_co2e_g", "series_net_co2e_g", NULL, 0, NONE | MS),
    RUN(advice_start_unix, R, "s", "advice.best_start_unix", "advice_best_start_unix", "advice_start_unix", 6, NONE),
    RUN(advice_g_per_kwh, R, "g/kWh", "advice.best_g_per_kwh", "advice_best_g_per_kwh", "advice_g_per_kwh", 6, NONE),
    RUN(advice_actual_g_per_kwh, R, "g/kWh", "advice.own_g_per_kwh", "advice_own_g_per_kwh", "advice_actual_g_per_kwh",
        6, NONE),
    RUN(advice_co2e_g, R, "g", "advice.best_co2e_g", "advice_best_co2e_g", NULL, 0, NONE | MS),
    RUN(advice_saving_g, R, "g", "advice.saving_g", "advice_saving_g", NULL, 0, NONE | MS),
    RUN(advice_saving_pct, R, "%", "advice.saving_pct", "advice_saving_pct", NULL, 0, NONE | MS),
    /* embodied emissions (issue 14, schema step 7): stored inputs, derived figures */
    RUN(embodied_co2e_g, R, "g", "embodied_co2e_g", "embodied_co2e_g", NULL, 0, NONE),
    RUN(total_lifecycle_co2e_g, R, "g", "total_lifecycle_co2e_g", "total_lifecycle_co2e_g", NULL, 0, NONE | MS),
    RUN(embodied_footprint_kg, R, "kg", "embodied.footprint_kg", "embodied_footprint_kg", "embodied_footprint_kg", 7, 0),
    RUN(embodied_lifetime_s, R, "s", "embodied.lifetime_s", "embodied_lifetime_s", "embodied_lifetime_s", 7, 0),
    RUN(embodied_share, R, "", "embodied.share", "embodied_share", "embodied_share", 7, 0),
    RUN(embodied_is_default, B, "", "embodied.is_default", "embodied_is_default", "embodied_is_default", 7, 0),
    RUN(embodied_basis, T, "", "embodied.basis", "embodied_basis", "embodied_basis", 7, 0),
    /* fixed-time runs (run --for, issue 14): schema step 8 */
    RUN(scenario, T, "", "scenario.kind", "scenario", "scenario", 8, 0),
    RUN(for_s, R, "s", "scenario.for_s", "for_s", "for_s", 8, 0),
    RUN(grace_s, R, "s", "scenario.grace_s", "grace_s", "grace_s", 8, 0),
    RUN(child_end, T, "", "scenario.child_end", "child_end", "child_end", 8, 0),
    RUN(window_s, R, "s", "scenario.window_s", "window_s", "window_s", 8, 0),
    RUN(window_energy_j, R, "J", "scenario.window_energy_j", "window_energy_j", "window_energy_j", 8, MS),
    RUN(window_items, L, "", "scenario.window_items", "window_items", "window_items", 8, 0),
    RUN(items_per_j, R, "1/J", "scenario.items_per_j", "items_per_j", NULL, 0, NONE | MS),
};
const size_t eco_n_run_fields = sizeof eco_run_fields / sizeof eco_run_fields[0];

const struct eco_field eco_domain_fields[] = {
    DOM(name, T, "", "name"),
    DOM(kind, ECO_FIELD_KIND, "", "kind"),
    DOM(device, T, "", "device"),
    DOM(method, ECO_FIELD_METHOD, "", "method"),
    DOM(top_level, B, "", "top_level"),
    DOM(energy_j, R, "J", "energy_j"),
    DOM(avg_w, R, "W", "avg_w"),
    DOM(peak_w, R, "W", "peak_w"),
    DOM(gap_s, R, "s", "gap_s"),
    DOM(note, T, "", "note"),
};
const size_t eco_n_domain_fields = sizeof eco_domain_fields / sizeof eco_domain_fields[0];

const struct eco_field eco_region_fields[] = {
    REG(name, T, "", "name", 0),
    REG(start_s, R, "s", "start_s", 0),
    REG(end_s, R, "s", "end_s", 0),
    REG(duration_s, R, "s", NULL, 0),
    REG(energy_j, R, "J", "energy_j", 0),
    REG(net_energy_j, R, "J", "net_energy_j", 0),
    REG(co2e_g, R, "g", NULL, 0),
    REG(items, L, "", "items", 0),
    REG(energy_per_item_j, R, "J", NULL, NONE),
};
const size_t eco_n_region_fields = sizeof eco_region_fields / sizeof eco_region_fields[0];

const void *eco_field_ptr(const struct eco_field *f, const void *base) { return (const char *)base + f->off; }
void *eco_field_mut(const struct eco_field *f, void *base) { return (char *)base + f->off; }

double eco_field_number(const struct eco_field *f, const void *base)
{
    const void *p = eco_field_ptr(f, base);
    switch (f->type) {
    case ECO_FIELD_INT:
    case ECO_FIELD_BOOL: return *(const int *)p;
    case ECO_FIELD_INT64: return (double)*(const long long *)p;
    case ECO_FIELD_REAL: return *(const double *)p;
    case ECO_FIELD_KIND: return *(const enum eco_kind *)p;
    case ECO_FIELD_METHOD: return *(const enum eco_method *)p;
    case ECO_FIELD_TEXT: break;
    }
    return 0;
}

const char *eco_field_text(const struct eco_field *f, const void *base)
{
    const void *p = eco_field_ptr(f, base);
    switch (f->type) {
    case ECO_FIELD_TEXT: return (const char *)p;
    case ECO_FIELD_KIND: return eco_kind_name(*(const enum eco_kind *)p);
    case ECO_FIELD_METHOD: return eco_method_name(*(const enum eco_method *)p);
    default: return NULL;
    }
}

int eco_field_is_none(const struct eco_field *f, const void *base)
{
    /* MEASURED is only on run fields, so base is a run then */
    if ((f->flags & ECO_FIELD_MEASURED) && eco_run_result_unmeasured((const struct eco_run_result *)base))
        return 1;
    return (f->flags & ECO_FIELD_NULL_IF_NEG) && eco_field_number(f, base) < 0;
}

size_t eco_fields_stored(const struct eco_field *t, size_t n, const struct eco_field **out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i].sql)
            out[k++] = &t[i];
    return k;
}
