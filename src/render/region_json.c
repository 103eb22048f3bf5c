#include "render/region_json.h"

#include <cjson/cJSON.h>

struct cJSON *eco_region_json(const struct eco_region *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", r->code);
    cJSON_AddStringToObject(o, "name", r->name);
    cJSON_AddStringToObject(o, "kind", r->kind);
    cJSON_AddNumberToObject(o, "g_per_kwh", r->g_per_kwh);
    if (*r->grid)
        cJSON_AddStringToObject(o, "grid", r->grid);
    else
        cJSON_AddNullToObject(o, "grid");
    cJSON_AddStringToObject(o, "source", r->source);
    cJSON_AddNumberToObject(o, "year", r->year);
    return o;
}
