/* The JSON object of a run record (see record_json.h). */
#include "render/record_json.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "meter/record_fields.h"
#include "render/not_measured.h"

/* The object a key "outer.inner" goes into, created on first use; *leaf is
 * the last part of the key. */
static cJSON *parent_of(cJSON *root, const char *key, const char **leaf, char *buf, size_t len)
{
    const char *dot = strchr(key, '.');
    if (!dot) {
        *leaf = key;
        return root;
    }
    size_t n = (size_t)(dot - key) < len - 1 ? (size_t)(dot - key) : len - 1;
    memcpy(buf, key, n);
    buf[n] = '\0';
    *leaf = dot + 1;
    cJSON *o = cJSON_GetObjectItemCaseSensitive(root, buf);
    return o ? o : cJSON_AddObjectToObject(root, buf);
}

static void add_field(cJSON *o, const char *key, const struct eco_field *f, const void *base)
{
    if (eco_field_is_none(f, base))
        cJSON_AddNullToObject(o, key);
    else if (f->type == ECO_FIELD_BOOL)
        cJSON_AddBoolToObject(o, key, eco_field_number(f, base) != 0);
    else if (eco_field_text(f, base))
        cJSON_AddStringToObject(o, key, eco_field_text(f, base));
    else
        cJSON_AddNumberToObject(o, key, eco_field_number(f, base));
}

/* The fields of t that carry every flag of `need` (0: all). */
static void add_fields(cJSON *o, const struct eco_field *t, size_t n, const void *base, int with_forecast,
                       unsigned need)
{
    char outer[64];
    for (size_t i = 0; i < n; i++) {
        if (((t[i].flags & ECO_FIELD_FORECAST) && !with_forecast) || (t[i].flags & need) != need)
            continue;
        const char *leaf;
        cJSON *p = parent_of(o, t[i].json, &leaf, outer, sizeof outer);
        add_field(p, leaf, &t[i], base);
    }
}

static cJSON *series_json(const struct eco_domain_result *d)
{
    cJSON *s = cJSON_CreateArray();
    for (size_t k = 0; k < d->n_series; k++) {
        cJSON *p = cJSON_CreateArray();
        cJSON_AddItemToArray(p, cJSON_CreateNumber(d->series[k].t));
        cJSON_AddItemToArray(p, cJSON_CreateNumber(d->series[k].watts));
        cJSON_AddItemToArray(s, p);
    }
    return s;
}

cJSON *eco_record_json(const struct eco_run_result *r, int with_series)
{
    cJSON *o = cJSON_CreateObject();
    add_fields(o, eco_run_fields, eco_n_run_fields, r, r->forecast.epochs > 0, 0);
    cJSON *ds = cJSON_AddArrayToObject(o, "domains");
    for (size_t i = 0; i < r->n_domains; i++) {
        cJSON *d = cJSON_CreateObject();
        add_fields(d, eco_domain_fields, eco_n_domain_fields, &r->domains[i], 0, 0);
        if (with_series)
            cJSON_AddItemToObject(d, "series", series_json(&r->domains[i]));
        cJSON_AddItemToArray(ds, d);
    }
    cJSON *rs = cJSON_AddArrayToObject(o, "regions");
    for (size_t k = 0; k < r->n_regions; k++) {
        cJSON *g = cJSON_CreateObject();
        add_fields(g, eco_region_fields, eco_n_region_fields, &r->regions[k], 0, 0);
        cJSON_AddItemToArray(rs, g);
    }
    eco_json_not_measured(o, r);
    return o;
}

cJSON *eco_record_list_json(const struct eco_run_result *runs, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        add_fields(o, eco_run_fields, eco_n_run_fields, &runs[i], 0, ECO_FIELD_LIST);
        eco_json_not_measured(o, &runs[i]);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}
