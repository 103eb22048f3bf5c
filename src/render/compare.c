#include "render/compare.h"
#include "render/run_view.h"
#include "meter/run_recompute.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/texttable.h"
#include "core/units.h"
#include "render/scenario.h"

static const char *unit_name(enum eco_compare_unit u)
{
    switch (u) {
    case ECO_CMP_J: return "J";
    case ECO_CMP_W: return "W";
    case ECO_CMP_S: return "s";
    case ECO_CMP_G: return "g";
    case ECO_CMP_COUNT: return "";
    case ECO_CMP_J_PER_ITEM: return "J/item";
    case ECO_CMP_ITEMS_PER_J: return "items/J";
    }
    return "";
}

const char *eco_compare_fmt(enum eco_compare_unit u, int has, double v, char *buf, size_t len)
{
    if (!has)
        return "-";
    switch (u) {
    case ECO_CMP_J: return eco_fmt_energy(v, buf, len);
    case ECO_CMP_W: return eco_fmt_power(v, buf, len);
    case ECO_CMP_S: snprintf(buf, len, "%.1f s", v); return buf;
    case ECO_CMP_G: return eco_fmt_mass(v, buf, len);
    case ECO_CMP_COUNT: return eco_fmt_count(v, buf, len);
    case ECO_CMP_J_PER_ITEM:
        if (v >= 1)
            snprintf(buf, len, "%.3g J/item", v);
        else
            snprintf(buf, len, "%.3g mJ/item", v * 1000);
        return buf;
    case ECO_CMP_ITEMS_PER_J: snprintf(buf, len, "%.4g items/J", v); return buf;
    }
    return "";
}

void eco_compare_print(FILE *out, enum eco_format fmt, const struct eco_run_result *a,
                       const struct eco_run_result *b, const struct eco_compare_row *rows, size_t n)
{
    if (fmt == ECO_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "a", a->id);
        cJSON_AddStringToObject(o, "a_name", a->name);
        cJSON_AddStringToObject(o, "a_command", a->command);
        cJSON_AddStringToObject(o, "b", b->id);
        cJSON_AddStringToObject(o, "b_name", b->name);
        cJSON_AddStringToObject(o, "b_command", b->command);
        cJSON_AddBoolToObject(o, "intensity_recomputed", a->intensity_recomputed || b->intensity_recomputed);
        cJSON_AddNumberToObject(o, "a_g_per_kwh", a->intensity_g_per_kwh);
        cJSON_AddNumberToObject(o, "b_g_per_kwh", b->intensity_g_per_kwh);
        char sa[256], sb[256], w[512];
        cJSON *sc = cJSON_AddObjectToObject(o, "scenario");
        cJSON_AddStringToObject(sc, "a", a->scenario);
        cJSON_AddStringToObject(sc, "a_label", eco_scenario_label(a, sa, sizeof sa));
        cJSON_AddStringToObject(sc, "b", b->scenario);
        cJSON_AddStringToObject(sc, "b_label", eco_scenario_label(b, sb, sizeof sb));
        const char *warn = eco_scenario_mismatch(a, b, w, sizeof w);
        cJSON_AddBoolToObject(sc, "alike", warn == NULL);
        if (warn)
            cJSON_AddStringToObject(sc, "warning", warn);
        else
            cJSON_AddNullToObject(sc, "warning");
        cJSON *arr = cJSON_AddArrayToObject(o, "rows");
        for (size_t i = 0; i < n; i++) {
            cJSON *j = cJSON_CreateObject();
            cJSON_AddStringToObject(j, "metric", rows[i].metric);
            cJSON_AddStringToObject(j, "unit", unit_name(rows[i].unit));
            if (rows[i].has_a)
                cJSON_AddNumberToObject(j, "a", rows[i].a);
            else
                cJSON_AddNullToObject(j, "a");
            if (rows[i].has_b)
                cJSON_AddNumberToObject(j, "b", rows[i].b);
            else
                cJSON_AddNullToObject(j, "b");
            if (isfinite(rows[i].change_pct))
                cJSON_AddNumberToObject(j, "change_pct", rows[i].change_pct);
            else
                cJSON_AddNullToObject(j, "change_pct");
            cJSON_AddItemToArray(arr, j);
        }
        eco_json_emit(out, o);
        return;
    }
    if (fmt == ECO_FMT_CSV) {
        fputs("metric,unit,a,b,change_pct\n", out);
        for (size_t i = 0; i < n; i++) {
            eco_csv_field(out, rows[i].metric);
            fprintf(out, ",%s,", unit_name(rows[i].unit));
            if (rows[i].has_a)
                fprintf(out, "%.10g", rows[i].a);
            fputc(',', out);
            if (rows[i].has_b)
                fprintf(out, "%.10g", rows[i].b);
            fputc(',', out);
            if (isfinite(rows[i].change_pct))
                fprintf(out, "%.4f", rows[i].change_pct);
            fputc('\n', out);
        }
        return;
    }
    char ta[160], tb[160];
    fprintf(out, "A: %s  %s%s\n", eco_run_title(a, ta, sizeof ta), a->command, a->complete ? "" : "  (incomplete)");
    fprintf(out, "B: %s  %s%s\n", eco_run_title(b, tb, sizeof tb), b->command, b->complete ? "" : "  (incomplete)");
    char sa[256], sb[256], w[512];
    fprintf(out, "scenario A: %s\nscenario B: %s\n", eco_scenario_label(a, sa, sizeof sa),
            eco_scenario_label(b, sb, sizeof sb));
    if (eco_scenario_mismatch(a, b, w, sizeof w))
        fprintf(out, "warning: %s\n", w);
    fputc('\n', out);
    const char *hdr[] = {"", ">A", ">B", ">change"};
    struct eco_table *t = eco_table_new(4, hdr);
    for (size_t i = 0; i < n; i++) {
        char va[48], vb[48], ch[32];
        if (isfinite(rows[i].change_pct))
            snprintf(ch, sizeof ch, "%+.1f %%", rows[i].change_pct);
        else
            snprintf(ch, sizeof ch, "-");
        const char *cells[] = {rows[i].metric, eco_compare_fmt(rows[i].unit, rows[i].has_a, rows[i].a, va, sizeof va),
                               eco_compare_fmt(rows[i].unit, rows[i].has_b, rows[i].b, vb, sizeof vb), ch};
        eco_table_row(t, cells);
    }
    eco_table_print(t, out);
    eco_table_free(t);
    char note[512];
    if (a->intensity_recomputed)
        fprintf(out, "\nA: %s\n", eco_run_recomputed_note(a, note, sizeof note));
    if (b->intensity_recomputed)
        fprintf(out, "%sB: %s\n", a->intensity_recomputed ? "" : "\n", eco_run_recomputed_note(b, note, sizeof note));
    if (a->intensity_g_per_kwh != b->intensity_g_per_kwh)
        fprintf(out, "\nnote: the runs use different carbon intensities (%s: %.0f g/kWh, %s: %.0f g/kWh)\n",
                a->region_code, a->intensity_g_per_kwh, b->region_code, b->intensity_g_per_kwh);
}
