/* "Not measured" in JSON (see not_measured.h). */
#include "render/not_measured.h"

#include <cjson/cJSON.h>

static void null_if_there(cJSON *o, const char *key)
{
    if (o && cJSON_GetObjectItemCaseSensitive(o, key))
        cJSON_ReplaceItemInObjectCaseSensitive(o, key, cJSON_CreateNull());
}

void eco_json_not_measured(cJSON *o, const struct eco_run_result *r)
{
    if (!o || !eco_run_result_unmeasured(r))
        return;
    static const char *const keys[] = {"total_energy_j", "estimated_energy_j", "net_energy_j",
                                       "co2e_g", "net_co2e_g", "energy_per_item_j"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        null_if_there(o, keys[i]);
    null_if_there(cJSON_GetObjectItemCaseSensitive(o, "attributed"), "energy_j");
    cJSON_AddStringToObject(o, "energy_method", "not measured");
    cJSON_AddStringToObject(o, "not_measured_why", ECO_NOT_MEASURED_WHY);
}
