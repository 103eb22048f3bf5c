#include "render/report_html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/units.h"
#include "render/compare.h"
#include "render/host_text.h"
#include "render/report_embodied.h"
#include "render/report_sections.h"
#include "render/scenario.h"
#include "render/series_view.h"
#include "render/run_view.h"
#include "meter/run_recompute.h"
#include "render/svg.h"
#include "store/history.h"

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px auto;max-width:1100px;"
    "color:#222;line-height:1.4;padding:0 16px}"
    "h1{font-size:1.6em;margin-bottom:0}h2{border-bottom:2px solid #0072B2;padding-bottom:4px;margin-top:2em}"
    "h3{margin-top:1.5em}table{border-collapse:collapse;margin:8px 0}"
    "td,th{padding:3px 10px;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".meta{color:#555}.warn{color:#a33}.note{color:#555;font-size:.9em}"
    ".est{font-style:italic}.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:.8em;"
    "background:#eee}.badge.incomplete{background:#f6d3c8}.chart{display:block;margin:8px 0}"
    ".empty{fill:#777;font-size:13px}";

/* Text for HTML: escaped. */
#define ESC(s) eco_xml_escape(out, (s))

static void cell_text(FILE *out, const char *s)
{
    fputs("<td>", out);
    ESC(s);
    fputs("</td>", out);
}

static void cell_num(FILE *out, const char *s)
{
    fputs("<td class=\"num\">", out);
    ESC(s);
    fputs("</td>", out);
}

/* Fixed time or fixed task, and a fixed-time run's window (items per joule). */
static void scenario_rows(FILE *out, const struct eco_run_result *r)
{
    char sc[256], w[256];
    if (strcmp(r->kind, "run") != 0)
        return;
    fputs("<tr><th>scenario</th>", out);
    cell_text(out, eco_scenario_label(r, sc, sizeof sc));
    fputs("</tr>\n", out);
    if (eco_scenario_window(r, w, sizeof w)[0]) {
        fputs("<tr><th>fixed-time window</th>", out);
        cell_text(out, w);
        fputs("</tr>\n", out);
    }
}

static void summary_table(FILE *out, const struct eco_run_result *r)
{
    char a[64], b[64];
    fputs("<table class=\"summary\">\n", out);
    fputs("<tr><th>command</th>", out);
    fputs("<td><code>", out);
    ESC(r->command);
    fputs("</code></td></tr>\n", out);
    char label[400];
    if (eco_run_label_text(r, label, sizeof label)[0]) {
        fputs("<tr><th>label</th>", out);
        cell_text(out, label);
        fputs("</tr>\n", out);
    }
    fputs("<tr><th>host</th>", out);
    char hw[768]; /* host + os + CPU + GPU names fit whole */
    char cpus[32], ram[48];
    snprintf(hw, sizeof hw, "%s, %s; %s (%s)%s%s%s; %s", r->host, r->os,
             r->cpu_model[0] ? r->cpu_model : "CPU unknown", eco_host_cpus_text(r, cpus, sizeof cpus),
             r->gpu_count ? "; " : "", r->gpu_count ? r->gpu_model : "", r->gpu_count > 1 ? " (several)" : "",
             eco_host_ram_text(r, ram, sizeof ram));
    cell_text(out, hw);
    fputs("</tr>\n<tr><th>started</th>", out);
    cell_text(out, eco_fmt_utc(r->start_unix, a, sizeof a));
    fputs("</tr>\n<tr><th>duration</th>", out);
    snprintf(a, sizeof a, "%.1f s", r->duration_s);
    cell_text(out, a);
    fputs("</tr>\n<tr><th>status</th>", out);
    if (!r->complete)
        snprintf(hw, sizeof hw, "incomplete: cut short; figures up to the last save");
    else if (r->term_signal)
        snprintf(hw, sizeof hw, "killed by signal %d", r->term_signal);
    else
        snprintf(hw, sizeof hw, "exit status %d", r->exit_status);
    cell_text(out, hw);
    fputs("</tr>\n<tr><th>energy</th>", out);
    eco_fmt_energy(r->total_energy_j, a, sizeof a);
    int none = eco_run_result_unmeasured(r); /* "not measured", never 0 J */
    if (none)
        snprintf(hw, sizeof hw, "not measured: %s", ECO_NOT_MEASURED_WHY);
    else if (strstr(a, " J")) /* already in joules */
        snprintf(hw, sizeof hw, "%s, average %s", a,
                 eco_fmt_power(r->average_power_w, b, sizeof b));
    else
        snprintf(hw, sizeof hw, "%s (%.0f J), average %s", a, r->total_energy_j,
                 eco_fmt_power(r->average_power_w, b, sizeof b));
    cell_text(out, hw);
    fputs("</tr>\n<tr><th>idle baseline</th>", out);
    snprintf(hw, sizeof hw, "%s (%s); net of it: %s", eco_fmt_power(r->baseline_w, a, sizeof a),
             r->baseline_source[0] ? r->baseline_source : "none", eco_fmt_energy(r->net_energy_j, b, sizeof b));
    cell_text(out, none ? "not measured" : hw);
    fputs("</tr>\n<tr><th>attributed</th>", out);
    snprintf(hw, sizeof hw, "%s to the process tree (%s)", eco_fmt_energy(r->attributed_energy_j, a, sizeof a),
             r->attribution_method[0] ? r->attribution_method : "method not recorded");
    cell_text(out, none ? "not measured" : hw);
    fputs("</tr>\n<tr><th>CO2e</th>", out);
    snprintf(hw, sizeof hw, "%s at %.0f gCO2e/kWh (%s)%s",
             none ? "not measured" : eco_fmt_mass(r->co2e_g, a, sizeof a),
             r->intensity_g_per_kwh, r->intensity_label[0] ? r->intensity_label : r->region_code,
             r->intensity_is_default ? "; world average: no region was given" : "");
    cell_text(out, hw);
    fputs("</tr>\n<tr><th>embodied CO2e</th>", out);
    if (r->embodied_co2e_g < 0)
        snprintf(hw, sizeof hw, "none (recorded before embodied figures)");
    else
        snprintf(hw, sizeof hw, "%s of manufacturing, beside the CO2e above%s; lifecycle %s",
                 eco_fmt_mass(r->embodied_co2e_g, a, sizeof a), r->embodied_is_default ? " (partly DEFAULT figures)" : "",
                 none ? "not measured" : eco_fmt_mass(r->total_lifecycle_co2e_g, b, sizeof b));
    cell_text(out, hw);
    fputs("</tr>\n", out);
    if (r->intensity_recomputed) {
        fputs("<tr><th>recomputed</th>", out);
        cell_text(out, eco_run_recomputed_note(r, hw, sizeof hw));
        fputs("</tr>\n", out);
    }
    scenario_rows(out, r);
    if (r->items > 0) {
        fputs("<tr><th>items</th>", out);
        snprintf(hw, sizeof hw, "%lld items, %.4g J per item", r->items, r->energy_per_item_j);
        cell_text(out, hw);
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void power_chart(FILE *out, const struct eco_run_result *r)
{
    struct eco_svg_series *s = calloc(r->n_domains ? r->n_domains : 1, sizeof *s);
    struct eco_svg_band *bands = calloc(r->n_regions ? r->n_regions : 1, sizeof *bands);
    size_t n = 0;
    char names[64][96];
    for (size_t d = 0; s && d < r->n_domains && n < 64; d++) {
        const struct eco_domain_result *dr = &r->domains[d];
        if (!dr->top_level || dr->n_series == 0)
            continue; /* contained in another layer: stacking it would count it twice */
        snprintf(names[n], sizeof names[n], "%s (%s%s)", dr->name, eco_kind_name(dr->kind),
                 dr->method == ECO_ESTIMATED ? ", estimated" : "");
        s[n] = (struct eco_svg_series){names[n], eco_svg_color(d), &dr->series[0].t, &dr->series[0].watts,
                                       dr->n_series, sizeof(struct eco_point) / sizeof(double)};
        n++;
    }
    for (size_t g = 0; bands && g < r->n_regions; g++)
        bands[g] = (struct eco_svg_band){r->regions[g].name, r->regions[g].start_s, r->regions[g].end_s};
    fputs("<h3>Power over time</h3>\n<p class=\"note\">Top-level domains stacked (parts of a domain, such as"
          " CPU cores inside a package, are not stacked again); marker regions shaded.</p>\n", out);
    if (s && bands)
        eco_svg_stacked_power(out, s, n, bands, r->n_regions, 1000, 340);
    free(s);
    free(bands);
}

static void breakdown(FILE *out, const struct eco_run_result *r)
{
    fputs("<h3>Energy by domain</h3>\n", out);
    struct eco_svg_bar *bars = calloc(r->n_domains ? r->n_domains : 1, sizeof *bars);
    char (*labels)[128] = calloc(r->n_domains ? r->n_domains : 1, sizeof *labels);
    char (*values)[64] = calloc(r->n_domains ? r->n_domains : 1, sizeof *values);
    if (!bars || !labels || !values)
        goto done;
    for (size_t d = 0; d < r->n_domains; d++) {
        const struct eco_domain_result *dr = &r->domains[d];
        char e[32];
        snprintf(labels[d], sizeof labels[d], "%s%s", dr->top_level ? "" : "part: ", dr->name);
        snprintf(values[d], sizeof values[d], "%s %s%s", eco_fmt_energy(dr->energy_j, e, sizeof e),
                 r->total_energy_j > 0 && dr->top_level ? "" : "",
                 dr->method == ECO_ESTIMATED ? " (estimated)" : "");
        if (dr->top_level && r->total_energy_j > 0)
            snprintf(values[d] + strlen(values[d]), sizeof values[d] - strlen(values[d]), " %.0f%%",
                     dr->energy_j / r->total_energy_j * 100);
        bars[d] = (struct eco_svg_bar){labels[d], dr->energy_j, values[d], eco_svg_color(d),
                                       dr->method == ECO_ESTIMATED};
    }
    eco_svg_hbars(out, bars, r->n_domains, 1000);
    fputs("<table><tr><th>domain</th><th>kind</th><th>device</th><th class=\"num\">energy</th>"
          "<th class=\"num\">average</th><th class=\"num\">peak</th><th>method</th><th>note</th></tr>\n", out);
    for (size_t d = 0; d < r->n_domains; d++) {
        const struct eco_domain_result *dr = &r->domains[d];
        char e[32], a[32], p[32];
        fputs(dr->method == ECO_ESTIMATED ? "<tr class=\"est\">" : "<tr>", out);
        cell_text(out, dr->name);
        cell_text(out, eco_kind_name(dr->kind));
        cell_text(out, dr->device);
        cell_num(out, eco_fmt_energy(dr->energy_j, e, sizeof e));
        cell_num(out, eco_fmt_power(dr->avg_w, a, sizeof a));
        cell_num(out, eco_fmt_power(dr->peak_w, p, sizeof p));
        cell_text(out, eco_method_name(dr->method));
        cell_text(out, dr->note[0] ? dr->note : dr->top_level ? "" : "part of another domain, not added to the total");
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
done:
    free(bars);
    free(labels);
    free(values);
}

static void regions(FILE *out, const struct eco_run_result *r)
{
    if (r->n_regions == 0)
        return;
    fputs("<h3>Energy per region and per item</h3>\n", out);
    struct eco_svg_bar *bars = calloc(r->n_regions, sizeof *bars);
    char (*values)[64] = calloc(r->n_regions, sizeof *values);
    if (bars && values) {
        for (size_t g = 0; g < r->n_regions; g++) {
            char e[32];
            const struct eco_region_result *rg = &r->regions[g];
            snprintf(values[g], sizeof values[g], "%s", eco_fmt_energy(rg->energy_j, e, sizeof e));
            if (rg->items > 0)
                snprintf(values[g] + strlen(values[g]), sizeof values[g] - strlen(values[g]),
                         ", %.4g J/item", rg->energy_per_item_j);
            bars[g] = (struct eco_svg_bar){rg->name, rg->energy_j, values[g], eco_svg_color(g + 4), 0};
        }
        eco_svg_hbars(out, bars, r->n_regions, 1000);
    }
    free(bars);
    free(values);
    fputs("<table><tr><th>region</th><th class=\"num\">start</th><th class=\"num\">end</th>"
          "<th class=\"num\">energy</th><th class=\"num\">net of baseline</th><th class=\"num\">items</th>"
          "<th class=\"num\">energy per item</th></tr>\n", out);
    for (size_t g = 0; g < r->n_regions; g++) {
        const struct eco_region_result *rg = &r->regions[g];
        char a[32], b[32], e[32], n[32], it[32], pi[32];
        snprintf(a, sizeof a, "%.1f s", rg->start_s);
        snprintf(b, sizeof b, "%.1f s", rg->end_s);
        snprintf(it, sizeof it, "%lld", rg->items);
        snprintf(pi, sizeof pi, rg->items > 0 ? "%.4g J" : "-", rg->items > 0 ? rg->energy_per_item_j : 0);
        fputs("<tr>", out);
        cell_text(out, rg->name);
        cell_num(out, a);
        cell_num(out, b);
        cell_num(out, eco_fmt_energy(rg->energy_j, e, sizeof e));
        cell_num(out, eco_fmt_energy(rg->net_energy_j, n, sizeof n));
        cell_num(out, rg->items ? it : "-");
        cell_num(out, pi);
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* The runs compared, one row each, labelled by letter. */
static void comparison_runs(FILE *out, const struct eco_run_result *runs, size_t n)
{
    fputs("<h2>Comparison</h2>\n<table><tr><th></th><th>run</th><th>name</th><th>command</th><th>started</th>"
          "<th class=\"num\">duration</th></tr>\n", out);
    for (size_t i = 0; i < n; i++) {
        char letter[8], when[40], dur[32];
        snprintf(letter, sizeof letter, "%c", (char)('A' + (i < 26 ? i : 25)));
        snprintf(dur, sizeof dur, "%.1f s", runs[i].duration_s);
        fputs("<tr>", out);
        cell_text(out, letter);
        cell_text(out, runs[i].id);
        cell_text(out, runs[i].name);
        fputs("<td><code>", out);
        ESC(runs[i].command);
        fputs("</code></td>", out);
        cell_text(out, eco_fmt_utc(runs[i].start_unix, when, sizeof when));
        cell_num(out, dur);
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* Energy, energy per item, CO2e and duration of every run as bars, with
 * the change from the first run. */
static void comparison_bars(FILE *out, const struct eco_run_result *runs, size_t n)
{
    struct eco_svg_bar *bars = calloc(n, sizeof *bars);
    char (*labels)[96] = calloc(n, sizeof *labels);
    char (*values)[96] = calloc(n, sizeof *values);
    if (!bars || !labels || !values)
        goto done;
    const char *what[] = {"Energy", "Energy per item", "CO2e", "Duration"};
    for (int w = 0; w < 4; w++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            const struct eco_run_result *r = &runs[i];
            double v;
            char e[32];
            if (w == 0) {
                v = r->total_energy_j;
                eco_fmt_energy(v, e, sizeof e);
            } else if (w == 1) {
                if (r->items <= 0)
                    continue;
                v = r->energy_per_item_j;
                snprintf(e, sizeof e, "%.4g J/item", v);
            } else if (w == 2) {
                v = r->co2e_g;
                eco_fmt_mass(v, e, sizeof e);
            } else {
                v = r->duration_s;
                snprintf(e, sizeof e, "%.1f s", v);
            }
            /* Bars are labelled by letter (the table above names the runs). */
            snprintf(labels[k], sizeof labels[k], "%c: %.26s", (char)('A' + (i < 26 ? i : 25)),
                     r->name[0] ? r->name : r->id);
            if (k > 0 && isfinite(eco_change_pct(bars[0].value, v)))
                snprintf(values[k], sizeof values[k], "%s (%+.1f%% vs %c)", e, eco_change_pct(bars[0].value, v),
                         labels[0][0]);
            else
                snprintf(values[k], sizeof values[k], "%s", e);
            bars[k] = (struct eco_svg_bar){labels[k], v, values[k], eco_svg_color(i), 0};
            k++;
        }
        if (k == 0)
            continue;
        fprintf(out, "<h3>%s</h3>\n", what[w]);
        eco_svg_hbars(out, bars, k, 1000);
    }
done:
    free(bars);
    free(labels);
    free(values);
}

/* The full side-by-side of the first run (A) with run i (B). */
static void side_by_side(FILE *out, const struct eco_run_result *runs, size_t i)
{
    struct eco_compare_row *rows;
    size_t nr;
    if (eco_compare(&runs[0], &runs[i], &rows, &nr) != 0)
        return;
    fputs("<h3>", out);
    ESC(runs[0].id);
    fputs(" (A) and ", out);
    ESC(runs[i].id);
    fputs(" (B)</h3>\n<table><tr><th></th><th class=\"num\">A</th><th class=\"num\">B</th>"
          "<th class=\"num\">change</th></tr>\n", out);
    char warn[512];
    if (eco_scenario_mismatch(&runs[0], &runs[i], warn, sizeof warn)) {
        fputs("<tr><td colspan=\"4\" class=\"note\"><b>warning:</b> ", out);
        ESC(warn);
        fputs("</td></tr>\n", out);
    }
    for (size_t j = 0; j < nr; j++) {
        char a[48], b[48], c[32] = "-";
        const struct eco_compare_row *row = &rows[j];
        eco_compare_fmt(row->unit, row->has_a, row->a, a, sizeof a);
        eco_compare_fmt(row->unit, row->has_b, row->b, b, sizeof b);
        if (!row->has_a)
            snprintf(a, sizeof a, "-");
        if (!row->has_b)
            snprintf(b, sizeof b, "-");
        if (isfinite(row->change_pct))
            snprintf(c, sizeof c, "%+.1f %%", row->change_pct);
        fputs("<tr>", out);
        cell_text(out, row->metric);
        cell_num(out, a);
        cell_num(out, b);
        cell_num(out, c);
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
    free(rows);
}

static void comparison(FILE *out, const struct eco_run_result *runs, size_t n)
{
    comparison_runs(out, runs, n);
    comparison_bars(out, runs, n);
    for (size_t i = 1; i < n; i++)
        side_by_side(out, runs, i);
}

int eco_html_report(FILE *out, const struct eco_run_result *runs, size_t n, struct eco_err *err)
{
    if (n == 0)
        return eco_err_set(err, 2, "a report needs at least one run");
    char now[64];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<title>ecometer report: ");
    ESC(runs[0].name[0] ? runs[0].name : runs[0].id);
    if (n > 1)
        fprintf(out, " and %zu more", n - 1);
    fprintf(out, "</title>\n<style>%s</style></head><body>\n", css);
    fputs("<h1>ecometer report</h1>\n<p class=\"meta\">Generated ", out);
    ESC(eco_fmt_utc((double)ts.tv_sec, now, sizeof now));
    fprintf(out, " by ecometer %s from %zu stored run%s. Energy measured from the hardware's own "
                 "sensors unless marked estimated.</p>\n",
#ifdef ECO_VERSION
            ECO_VERSION,
#else
            "",
#endif
            n, n > 1 ? "s" : "");
    if (n > 1)
        comparison(out, runs, n);
    for (size_t i = 0; i < n; i++) {
        const struct eco_run_result *r = &runs[i];
        fputs("<h2>Run ", out);
        if (r->name[0]) {
            ESC(r->name);
            fputs(" ", out);
        }
        fputs("<code>", out);
        ESC(r->id);
        fputs("</code>", out);
        if (!r->complete)
            fputs(" <span class=\"badge incomplete\">incomplete</span>", out);
        fputs("</h2>\n", out);
        summary_table(out, r);
        if (eco_run_result_unmeasured(r))
            continue; /* no energy: no chart, no CO2e elsewhere, nothing to check estimates against */
        power_chart(out, r);
        breakdown(out, r);
        regions(out, r);
        eco_html_section_places(out, r);
        eco_html_section_series(out, r);
        eco_html_section_embodied(out, r);
        eco_html_section_posteriori(out, r);
    }
    fputs("</body></html>\n", out);
    if (ferror(out))
        return eco_err_set(err, 1, "writing the report failed");
    return 0;
}
