#include "out/run_json.h"

#include <cjson/cJSON.h>

#include "out/not_measured.h"
#include "store/history.h"

struct cJSON *eco_run_json(const struct eco_run_result *r, int with_series)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", r->id);
    cJSON_AddStringToObject(o, "kind", r->kind);
    cJSON_AddBoolToObject(o, "complete", r->complete);
    cJSON_AddStringToObject(o, "command", r->command);
    cJSON_AddNumberToObject(o, "start_unix", r->start_unix);
    cJSON_AddNumberToObject(o, "end_unix", r->end_unix);
    cJSON_AddNumberToObject(o, "duration_s", r->duration_s);
    cJSON_AddNumberToObject(o, "exit_status", r->exit_status);
    cJSON_AddNumberToObject(o, "term_signal", r->term_signal);
    cJSON_AddNumberToObject(o, "interval_s", r->interval_s);
    cJSON *host = cJSON_AddObjectToObject(o, "host");
    cJSON_AddStringToObject(host, "name", r->host);
    cJSON_AddStringToObject(host, "os", r->os);
    cJSON_AddStringToObject(host, "cpu_model", r->cpu_model);
    cJSON_AddNumberToObject(host, "cpu_count", r->cpu_count);
    cJSON_AddStringToObject(host, "gpu_model", r->gpu_model);
    cJSON_AddNumberToObject(host, "gpu_count", r->gpu_count);
    cJSON_AddNumberToObject(host, "ram_gb", r->ram_gb);
    cJSON_AddNumberToObject(o, "total_energy_j", r->total_energy_j);
    cJSON_AddNumberToObject(o, "baseline_w", r->baseline_w);
    cJSON_AddStringToObject(o, "baseline_source", r->baseline_source);
    cJSON_AddNumberToObject(o, "estimated_energy_j", r->estimated_energy_j);
    cJSON_AddNumberToObject(o, "net_energy_j", r->net_energy_j);
    cJSON *att = cJSON_AddObjectToObject(o, "attributed");
    cJSON_AddNumberToObject(att, "energy_j", r->attributed_energy_j);
    cJSON_AddStringToObject(att, "method", r->attribution_method);
    cJSON_AddNumberToObject(att, "share", r->attributed_share);
    if (r->attribution_note[0])
        cJSON_AddStringToObject(att, "note", r->attribution_note);
    if (r->interval_note[0])
        cJSON_AddStringToObject(o, "interval_note", r->interval_note);
    cJSON_AddNumberToObject(o, "rejected_markers", (double)r->rejected_markers);
    cJSON_AddNumberToObject(o, "co2e_g", r->co2e_g);
    cJSON *ci = cJSON_AddObjectToObject(o, "intensity");
    cJSON_AddStringToObject(ci, "region", r->region_code);
    cJSON_AddStringToObject(ci, "label", r->intensity_label);
    cJSON_AddNumberToObject(ci, "g_per_kwh", r->intensity_g_per_kwh);
    cJSON_AddBoolToObject(ci, "is_default", r->intensity_is_default);
    cJSON_AddNumberToObject(o, "items", (double)r->items);
    if (r->items > 0)
        cJSON_AddNumberToObject(o, "energy_per_item_j", r->total_energy_j / (double)r->items);

    cJSON *doms = cJSON_AddArrayToObject(o, "domains");
    for (size_t d = 0; d < r->n_domains; d++) {
        const struct eco_domain_result *dr = &r->domains[d];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "name", dr->name);
        cJSON_AddStringToObject(j, "kind", eco_kind_name(dr->kind));
        cJSON_AddStringToObject(j, "device", dr->device);
        cJSON_AddNumberToObject(j, "energy_j", dr->energy_j);
        cJSON_AddStringToObject(j, "method", eco_method_name(dr->method));
        cJSON_AddBoolToObject(j, "top_level", dr->top_level);
        cJSON_AddNumberToObject(j, "avg_w", dr->avg_w);
        cJSON_AddNumberToObject(j, "peak_w", dr->peak_w);
        cJSON_AddNumberToObject(j, "gap_s", dr->gap_s);
        if (dr->note[0])
            cJSON_AddStringToObject(j, "note", dr->note);
        if (with_series) {
            cJSON *s = cJSON_AddArrayToObject(j, "series");
            for (size_t i = 0; i < dr->n_series; i++) {
                cJSON *p = cJSON_CreateArray();
                cJSON_AddItemToArray(p, cJSON_CreateNumber(dr->series[i].t));
                cJSON_AddItemToArray(p, cJSON_CreateNumber(dr->series[i].watts));
                cJSON_AddItemToArray(s, p);
            }
        }
        cJSON_AddItemToArray(doms, j);
    }
    cJSON *regs = cJSON_AddArrayToObject(o, "regions");
    for (size_t g = 0; g < r->n_regions; g++) {
        const struct eco_region_result *rg = &r->regions[g];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "name", rg->name);
        cJSON_AddNumberToObject(j, "start_s", rg->start_s);
        cJSON_AddNumberToObject(j, "end_s", rg->end_s);
        cJSON_AddNumberToObject(j, "energy_j", rg->energy_j);
        cJSON_AddNumberToObject(j, "net_energy_j", rg->net_energy_j);
        cJSON_AddNumberToObject(j, "items", (double)rg->items);
        if (rg->items > 0)
            cJSON_AddNumberToObject(j, "energy_per_item_j", rg->energy_j / (double)rg->items);
        cJSON_AddItemToArray(regs, j);
    }
    eco_json_not_measured(o, r);
    return o;
}
