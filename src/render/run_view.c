#include "render/run_view.h"

#include <string.h>

#include "meter/run_recompute.h"

#include <time.h>

#include "core/format.h"
#include "core/texttable.h"
#include "core/units.h"
#include "render/host_text.h"
#include "render/series_view.h"
#include "render/embodied_text.h"
#include "render/scenario.h"
#include "store/history.h"

const char *eco_fmt_utc(double unix_s, char *buf, size_t len)
{
    time_t t = (time_t)unix_s;
    struct tm tm;
    if (unix_s <= 0 || !gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm))
        snprintf(buf, len, "-");
    return buf;
}

/* Energy per item (the record's, -1 when no item was counted) for people. */
static const char *per_item(double v, char *buf, size_t len)
{
    if (v < 0)
        return "-";
    if (v >= 1)
        snprintf(buf, len, "%.3g J", v);
    else
        snprintf(buf, len, "%.3g mJ", v * 1000);
    return buf;
}

const char *eco_run_title(const struct eco_run_result *r, char *buf, size_t len)
{
    if (r->name[0])
        snprintf(buf, len, "%s (%s)", r->name, r->id);
    else
        snprintf(buf, len, "%s", r->id);
    return buf;
}

const char *eco_run_label_text(const struct eco_run_result *r, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s%s%s", r->project[0] ? "project " : "", r->project,
             r->project[0] && r->tags[0] ? "; " : "", r->tags[0] ? "tags " : "", r->tags);
    return buf;
}

void eco_run_view_text(FILE *out, const struct eco_run_result *r)
{
    char a[64], b[64], c[64], label[400];
    fprintf(out, "run       %s (%s)%s\n", r->id, r->kind[0] ? r->kind : "run",
            r->complete ? "" : "  INCOMPLETE: cut short, figures up to the last save");
    if (r->name[0])
        fprintf(out, "name      %s\n", r->name);
    if (eco_run_label_text(r, label, sizeof label)[0])
        fprintf(out, "label     %s\n", label);
    fprintf(out, "command   %s\n", r->command);
    fprintf(out, "host      %s, %s\n", r->host, r->os);
    char cpus[32], ram[48];
    fprintf(out, "hardware  %s (%s)", r->cpu_model[0] ? r->cpu_model : "CPU unknown",
            eco_host_cpus_text(r, cpus, sizeof cpus));
    if (r->gpu_count > 0)
        fprintf(out, ", %d x %s", r->gpu_count, r->gpu_model);
    fprintf(out, ", %s\n", eco_host_ram_text(r, ram, sizeof ram));
    fprintf(out, "started   %s, duration %.1f s", eco_fmt_utc(r->start_unix, a, sizeof a), r->duration_s);
    if (r->term_signal)
        fprintf(out, ", killed by signal %d\n", r->term_signal);
    else if (r->exit_status >= 0)
        fprintf(out, ", exit status %d\n", r->exit_status);
    else
        fprintf(out, ", no exit status\n");
    if (eco_run_result_unmeasured(r))
        fprintf(out, "energy    not measured: %s", ECO_NOT_MEASURED_WHY);
    else
        fprintf(out, "energy    %s", eco_fmt_energy(r->total_energy_j, a, sizeof a));
    if (r->duration_s > 0 && !eco_run_result_unmeasured(r))
        fprintf(out, " (average %s)", eco_fmt_power(r->average_power_w, b, sizeof b));
    if (r->estimated_energy_j > 0)
        fprintf(out, ", of which %s estimated", eco_fmt_energy(r->estimated_energy_j, b, sizeof b));
    fputc('\n', out);
    if (!eco_run_result_unmeasured(r)) {
        fprintf(out, "baseline  %s idle (%s): net %s\n", eco_fmt_power(r->baseline_w, a, sizeof a),
                r->baseline_source[0] ? r->baseline_source : "none", eco_fmt_energy(r->net_energy_j, b, sizeof b));
        fprintf(out, "attributed %s to the process tree (%s)\n", eco_fmt_energy(r->attributed_energy_j, a, sizeof a),
                r->attribution_method[0] ? r->attribution_method : "method not recorded");
    }
    fprintf(out, "CO2e      %s at %.0f gCO2e/kWh (%s)%s\n",
            eco_run_result_unmeasured(r) ? "not measured" : eco_fmt_mass(r->co2e_g, a, sizeof a),
            r->intensity_g_per_kwh, r->intensity_label[0] ? r->intensity_label : r->region_code,
            r->intensity_is_default ? "  warning: world average, no region was given" : "");
    if (r->intensity_recomputed) {
        char note[512];
        fprintf(out, "          %s\n", eco_run_recomputed_note(r, note, sizeof note));
    }
    eco_series_view_text(out, r, "", 10);
    eco_embodied_text(out, r, "", 10);
    if (r->attribution_note[0])
        fprintf(out, "          %s\n", r->attribution_note);
    if (r->interval_note[0])
        fprintf(out, "interval  %s\n", r->interval_note);
    if (r->rejected_markers > 0)
        fprintf(out, "markers   %lld rejected (malformed or unmatched)\n", r->rejected_markers);
    if (r->items > 0)
        fprintf(out, "items     %lld, %s per item\n", r->items, per_item(r->energy_per_item_j, a, sizeof a));
    if (strcmp(r->kind, "run") == 0) {
        char sc[256], w[256];
        fprintf(out, "scenario  %s\n", eco_scenario_label(r, sc, sizeof sc));
        if (eco_scenario_window(r, w, sizeof w)[0])
            fprintf(out, "window    %s\n", w);
    }

    fputs("\ndomains\n", out);
    const char *dh[] = {"name", "kind", "device", ">energy", ">avg", ">peak", "method", "note"};
    struct eco_table *t = eco_table_new(8, dh);
    for (size_t d = 0; d < r->n_domains; d++) {
        const struct eco_domain_result *dr = &r->domains[d];
        char name[80];
        snprintf(name, sizeof name, "%s%s", dr->top_level ? "" : "  ", dr->name);
        const char *cells[] = {name, eco_kind_name(dr->kind), dr->device,
                               eco_fmt_energy(dr->energy_j, a, sizeof a), eco_fmt_power(dr->avg_w, b, sizeof b),
                               eco_fmt_power(dr->peak_w, c, sizeof c), eco_method_name(dr->method),
                               dr->top_level ? dr->note : (dr->note[0] ? dr->note : "part of the domain above")};
        eco_table_row(t, cells);
    }
    eco_table_print(t, out);
    eco_table_free(t);
    if (r->n_regions == 0)
        return;
    fputs("\nregions\n", out);
    const char *rh[] = {"name", ">start", ">end", ">energy", ">net", ">items", ">per item"};
    t = eco_table_new(7, rh);
    for (size_t g = 0; g < r->n_regions; g++) {
        const struct eco_region_result *rg = &r->regions[g];
        char s0[32], s1[32], it[32], net[64];
        snprintf(s0, sizeof s0, "%.1f s", rg->start_s);
        snprintf(s1, sizeof s1, "%.1f s", rg->end_s);
        snprintf(it, sizeof it, "%lld", rg->items);
        const char *cells[] = {rg->name, s0, s1, eco_fmt_energy(rg->energy_j, a, sizeof a),
                               eco_fmt_energy(rg->net_energy_j, net, sizeof net), rg->items ? it : "-",
                               per_item(rg->energy_per_item_j, b, sizeof b)};
        eco_table_row(t, cells);
    }
    eco_table_print(t, out);
    eco_table_free(t);
}

void eco_series_csv(FILE *out, const struct eco_run_result *r)
{
    fputs("run_id,domain,kind,method,top_level,t_s,watts\n", out);
    for (size_t d = 0; d < r->n_domains; d++) {
        const struct eco_domain_result *dr = &r->domains[d];
        for (size_t i = 0; i < dr->n_series; i++) {
            eco_csv_field(out, r->id);
            fputc(',', out);
            eco_csv_field(out, dr->name);
            fprintf(out, ",%s,%s,%d,%.6f,%.6g\n", eco_kind_name(dr->kind),
                    eco_method_name(dr->method), dr->top_level, dr->series[i].t,
                    dr->series[i].watts);
        }
    }
}
