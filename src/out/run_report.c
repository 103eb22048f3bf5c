/* Summary, JSON and CSV of a run result (see run_report.h). */
#include "out/run_report.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

#include "core/duration.h"
#include "core/format.h"
#include "core/texttable.h"
#include "core/units.h"

void eco_report_text(FILE *out, const struct eco_run_result *r)
{
    char a[64], b[64], c[64], d[64];
    fprintf(out, "\necometer: %s", strcmp(r->kind, "monitor") == 0 ? "whole machine" : r->command);
    if (strcmp(r->kind, "run") == 0) {
        if (r->term_signal)
            fprintf(out, " (killed by signal %d)", r->term_signal);
        else if (r->exit_status >= 0)
            fprintf(out, " (exit status %d)", r->exit_status);
    }
    if (!r->complete)
        fprintf(out, " [cut short]");
    fprintf(out, "\n  duration        %s  (sampled every %s)\n", eco_format_duration(r->duration_s, a, sizeof a),
            eco_format_duration(r->interval_s, b, sizeof b));
    if (r->interval_note[0])
        fprintf(out, "  note            %s\n", r->interval_note);
    if (r->n_domains) {
        static const char *const hdr[] = {"domain", "kind", "device", ">energy", ">avg", ">peak", "method", "note"};
        struct eco_table *t = eco_table_new(8, hdr);
        for (size_t i = 0; i < r->n_domains; i++) {
            const struct eco_domain_result *x = &r->domains[i];
            char name[80];
            snprintf(name, sizeof name, "%s%s", x->top_level ? "" : "  ", x->name);
            char note[300], gaps[48] = "";
            if (x->gap_s > 0)
                snprintf(gaps, sizeof gaps, "gaps %.1f s", x->gap_s);
            const char *parts[] = {x->top_level ? "" : "inside the domain above", gaps, x->note};
            note[0] = '\0';
            for (size_t k = 0; k < 3; k++)
                if (parts[k][0])
                    snprintf(note + strlen(note), sizeof note - strlen(note), "%s%s", note[0] ? "; " : "", parts[k]);
            const char *cells[] = {name, eco_kind_name(x->kind), x->device, eco_fmt_energy(x->energy_j, a, sizeof a),
                                   eco_fmt_power(x->avg_w, b, sizeof b), eco_fmt_power(x->peak_w, c, sizeof c),
                                   eco_method_name(x->method), note};
            eco_table_row(t, cells);
        }
        fputc('\n', out);
        eco_table_print(t, out);
        eco_table_free(t);
        fputc('\n', out);
    } else {
        fprintf(out, "  domains         none: nothing could be measured or estimated (see 'ecometer sensors')\n");
    }
    double est = r->estimated_energy_j;
    fprintf(out, "  total           %s (%.4g Wh), %s\n", eco_fmt_energy(r->total_energy_j, a, sizeof a),
            eco_j_to_wh(r->total_energy_j),
            est <= 0 ? "measured" : est >= r->total_energy_j ? "estimated" : "partly estimated");
    if (est > 0 && est < r->total_energy_j)
        fprintf(out, "                  of which estimated: %s\n", eco_fmt_energy(est, a, sizeof a));
    if (r->baseline_w > 0)
        fprintf(out, "  idle baseline   %s (%s); net of idle: %s\n", eco_fmt_power(r->baseline_w, a, sizeof a),
                r->baseline_source, eco_fmt_energy(r->net_energy_j, b, sizeof b));
    else
        fprintf(out, "  idle baseline   %s (measure one with --baseline D or 'ecometer baseline')\n",
                r->baseline_source[0] ? r->baseline_source : "none");
    if (strcmp(r->kind, "run") == 0)
        fprintf(out, "  attributed      %s (%.1f%% of the energy seen) to the process tree\n"
                     "                  method: %s\n",
                eco_fmt_energy(r->attributed_energy_j, a, sizeof a), 100 * r->attributed_share,
                r->attribution_method);
    if (r->attribution_note[0])
        fprintf(out, "                  %s\n", r->attribution_note);
    fprintf(out, "  CO2e            %s at %.4g gCO2e/kWh (%s)", eco_fmt_mass(r->co2e_g, a, sizeof a),
            r->intensity_g_per_kwh, r->intensity_label);
    if (r->baseline_w > 0)
        fprintf(out, "; net of idle: %s", eco_fmt_mass(r->net_co2e_g, b, sizeof b));
    fputc('\n', out);
    if (r->n_regions) {
        static const char *const hdr[] = {"region", ">start", ">duration", ">energy", ">net", ">items", ">per item", ">CO2e"};
        struct eco_table *t = eco_table_new(8, hdr);
        for (size_t k = 0; k < r->n_regions; k++) {
            const struct eco_region_result *g = &r->regions[k];
            char items[32], per[64], start[32];
            snprintf(items, sizeof items, "%lld", g->items);
            if (g->energy_per_item_j >= 0)
                eco_fmt_energy(g->energy_per_item_j, per, sizeof per);
            else
                snprintf(per, sizeof per, "-");
            snprintf(start, sizeof start, "%.2f s", g->start_s);
            const char *cells[] = {g->name, start, eco_format_duration(g->end_s - g->start_s, a, sizeof a),
                                   eco_fmt_energy(g->energy_j, b, sizeof b), eco_fmt_energy(g->net_energy_j, c, sizeof c),
                                   items, per, eco_fmt_mass(g->co2e_g, d, sizeof d)};
            eco_table_row(t, cells);
        }
        fputc('\n', out);
        eco_table_print(t, out);
        eco_table_free(t);
    }
    if (r->energy_per_item_j >= 0)
        fprintf(out, "  items           %lld (%s per item)\n", r->items,
                eco_fmt_energy(r->energy_per_item_j, a, sizeof a));
    if (r->rejected_markers > 0)
        fprintf(out, "  markers         %lld ignored (malformed, or an end without its begin)\n", r->rejected_markers);
    fflush(out);
}

cJSON *eco_report_json(const struct eco_run_result *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", r->id);
    cJSON_AddStringToObject(o, "kind", r->kind);
    cJSON_AddStringToObject(o, "command", r->command);
    cJSON_AddStringToObject(o, "host", r->host);
    cJSON_AddStringToObject(o, "os", r->os);
    cJSON_AddStringToObject(o, "cpu_model", r->cpu_model);
    cJSON_AddNumberToObject(o, "cpu_count", r->cpu_count);
    cJSON_AddNumberToObject(o, "ram_gb", r->ram_gb);
    cJSON_AddNumberToObject(o, "start_unix", r->start_unix);
    cJSON_AddNumberToObject(o, "end_unix", r->end_unix);
    cJSON_AddNumberToObject(o, "duration_s", r->duration_s);
    if (strcmp(r->kind, "run") == 0 && !r->term_signal && r->exit_status >= 0)
        cJSON_AddNumberToObject(o, "exit_status", r->exit_status);
    else
        cJSON_AddNullToObject(o, "exit_status");
    cJSON_AddNumberToObject(o, "term_signal", r->term_signal);
    cJSON_AddBoolToObject(o, "complete", r->complete);
    cJSON_AddNumberToObject(o, "interval_s", r->interval_s);
    cJSON_AddNumberToObject(o, "total_energy_j", r->total_energy_j);
    cJSON_AddNumberToObject(o, "estimated_energy_j", r->estimated_energy_j);
    cJSON_AddNumberToObject(o, "net_energy_j", r->net_energy_j);
    cJSON_AddNumberToObject(o, "baseline_w", r->baseline_w);
    cJSON_AddStringToObject(o, "baseline_source", r->baseline_source);
    cJSON_AddNumberToObject(o, "co2e_g", r->co2e_g);
    cJSON_AddNumberToObject(o, "net_co2e_g", r->net_co2e_g);
    cJSON *in = cJSON_AddObjectToObject(o, "intensity");
    cJSON_AddNumberToObject(in, "g_per_kwh", r->intensity_g_per_kwh);
    cJSON_AddStringToObject(in, "label", r->intensity_label);
    cJSON_AddStringToObject(in, "region", r->region_code);
    cJSON_AddBoolToObject(in, "is_default", r->intensity_is_default);
    cJSON *ds = cJSON_AddArrayToObject(o, "domains");
    for (size_t i = 0; i < r->n_domains; i++) {
        const struct eco_domain_result *x = &r->domains[i];
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "name", x->name);
        cJSON_AddStringToObject(d, "kind", eco_kind_name(x->kind));
        cJSON_AddStringToObject(d, "device", x->device);
        cJSON_AddNumberToObject(d, "energy_j", x->energy_j);
        cJSON_AddStringToObject(d, "method", eco_method_name(x->method));
        cJSON_AddBoolToObject(d, "top_level", x->top_level);
        cJSON_AddNumberToObject(d, "avg_w", x->avg_w);
        cJSON_AddNumberToObject(d, "peak_w", x->peak_w);
        cJSON_AddNumberToObject(d, "gap_s", x->gap_s);
        cJSON_AddStringToObject(d, "note", x->note);
        cJSON *s = cJSON_AddArrayToObject(d, "series");
        for (size_t k = 0; k < x->n_series; k++) {
            cJSON *p = cJSON_CreateArray();
            cJSON_AddItemToArray(p, cJSON_CreateNumber(round(x->series[k].t * 1e4) / 1e4));
            cJSON_AddItemToArray(p, cJSON_CreateNumber(round(x->series[k].watts * 1e3) / 1e3));
            cJSON_AddItemToArray(s, p);
        }
        cJSON_AddItemToArray(ds, d);
    }
    cJSON *at = cJSON_AddObjectToObject(o, "attributed");
    cJSON_AddNumberToObject(at, "energy_j", r->attributed_energy_j);
    cJSON_AddStringToObject(at, "method", r->attribution_method);
    cJSON_AddNumberToObject(at, "share", r->attributed_share);
    cJSON_AddStringToObject(at, "note", r->attribution_note);
    cJSON *rs = cJSON_AddArrayToObject(o, "regions");
    for (size_t k = 0; k < r->n_regions; k++) {
        const struct eco_region_result *g = &r->regions[k];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", g->name);
        cJSON_AddNumberToObject(x, "start_s", g->start_s);
        cJSON_AddNumberToObject(x, "end_s", g->end_s);
        cJSON_AddNumberToObject(x, "duration_s", g->end_s - g->start_s);
        cJSON_AddNumberToObject(x, "energy_j", g->energy_j);
        cJSON_AddNumberToObject(x, "net_energy_j", g->net_energy_j);
        cJSON_AddNumberToObject(x, "co2e_g", g->co2e_g);
        cJSON_AddNumberToObject(x, "items", (double)g->items);
        if (g->energy_per_item_j >= 0)
            cJSON_AddNumberToObject(x, "energy_per_item_j", g->energy_per_item_j);
        else
            cJSON_AddNullToObject(x, "energy_per_item_j");
        cJSON_AddItemToArray(rs, x);
    }
    cJSON_AddNumberToObject(o, "items", (double)r->items);
    cJSON_AddNumberToObject(o, "rejected_markers", (double)r->rejected_markers);
    cJSON_AddStringToObject(o, "interval_note", r->interval_note);
    const struct eco_forecast *f = &r->forecast;
    if (f->epochs > 0) {
        cJSON *fj = cJSON_AddObjectToObject(o, "forecast");
        cJSON_AddNumberToObject(fj, "epochs", (double)f->epochs);
        cJSON_AddNumberToObject(fj, "after_s", f->after_s);
        cJSON_AddNumberToObject(fj, "first_epoch_energy_j", f->first_epoch_energy_j);
        cJSON_AddNumberToObject(fj, "energy_at_first_epoch_end_j", f->energy_at_first_epoch_end_j);
        cJSON_AddNumberToObject(fj, "energy_j", f->energy_j);
        cJSON_AddNumberToObject(fj, "co2e_g", f->co2e_g);
        cJSON_AddNumberToObject(fj, "duration_s", f->duration_s);
        cJSON_AddStringToObject(fj, "method", "energy up to the end of the first epoch + (N-1) x that epoch's energy");
    }
    return o;
}

void eco_report_csv(FILE *out, const struct eco_run_result *r)
{
    fputs("domain,kind,device,method,top_level,energy_j,avg_w,peak_w,gap_s\n", out);
    for (size_t i = 0; i < r->n_domains; i++) {
        const struct eco_domain_result *x = &r->domains[i];
        eco_csv_field(out, x->name);
        fputc(',', out);
        eco_csv_field(out, eco_kind_name(x->kind));
        fputc(',', out);
        eco_csv_field(out, x->device);
        fprintf(out, ",%s,%d,%.6f,%.4f,%.4f,%.3f\n", eco_method_name(x->method), x->top_level, x->energy_j,
                x->avg_w, x->peak_w, x->gap_s);
    }
    fprintf(out, "total,,,%s,1,%.6f,%.4f,,\n", r->estimated_energy_j > 0 ? "estimated" : "measured",
            r->total_energy_j, r->duration_s > 0 ? r->total_energy_j / r->duration_s : 0);
}
