/* The end-of-run summary of a run record, for people (see run_summary.h). */
#include "render/run_summary.h"

#include <string.h>

#include "core/duration.h"
#include "core/format.h"
#include "core/texttable.h"
#include "core/units.h"
#include "render/series_view.h"
#include "render/embodied_text.h"
#include "render/scenario.h"

/* Each domain: energy, average and peak power, method, notes. */
static void print_domains(FILE *out, const struct eco_run_result *r)
{
    char a[64], b[64], c[64];
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
}

/* Each marked region with its energy, items and CO2e. */
static void print_regions(FILE *out, const struct eco_run_result *r)
{
    char a[64], b[64], c[64], d[64];
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
}

void eco_run_summary_text(FILE *out, const struct eco_run_result *r)
{
    char a[64], b[64];
    fprintf(out, "\necometer: %s%s%s", r->name, r->name[0] ? ": " : "",
            strcmp(r->kind, "monitor") == 0 ? "whole machine" : r->command);
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
    eco_scenario_summary(out, r, "  ");
    print_domains(out, r);
    double est = r->estimated_energy_j;
    if (eco_run_result_unmeasured(r)) /* never "0 J, measured" */
        fprintf(out, "  total           not measured: %s\n", ECO_NOT_MEASURED_WHY);
    else
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
    if (strcmp(r->kind, "run") == 0 && !eco_run_result_unmeasured(r))
        fprintf(out, "  attributed      %s (%.1f%% of the energy seen) to the process tree\n"
                     "                  method: %s\n",
                eco_fmt_energy(r->attributed_energy_j, a, sizeof a), 100 * r->attributed_share,
                r->attribution_method);
    if (r->attribution_note[0])
        fprintf(out, "                  %s\n", r->attribution_note);
    if (eco_run_result_unmeasured(r))
        fprintf(out, "  CO2e            not measured (no energy), at %.4g gCO2e/kWh (%s)", r->intensity_g_per_kwh,
                r->intensity_label);
    else
        fprintf(out, "  CO2e            %s at %.4g gCO2e/kWh (%s)", eco_fmt_mass(r->co2e_g, a, sizeof a),
                r->intensity_g_per_kwh, r->intensity_label);
    if (r->baseline_w > 0)
        fprintf(out, "; net of idle: %s", eco_fmt_mass(r->net_co2e_g, b, sizeof b));
    fputc('\n', out);
    eco_series_view_text(out, r, "  ", 16);
    eco_embodied_text(out, r, "  ", 16);
    print_regions(out, r);
    if (r->energy_per_item_j >= 0)
        fprintf(out, "  items           %lld (%s per item)\n", r->items,
                eco_fmt_energy(r->energy_per_item_j, a, sizeof a));
    if (r->rejected_markers > 0)
        fprintf(out, "  markers         %lld ignored (malformed, or an end without its begin)\n", r->rejected_markers);
    fflush(out);
}

