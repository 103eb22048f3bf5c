/* `ecometer estimate`'s embodied emissions (see estimate_embodied.h). */
#include "cli/estimate_embodied.h"

#include <string.h>

#include "core/duration.h"
#include "core/format.h"
#include "core/units.h"

int eco_estimate_embodied_flag(const char *flag, const char *value, struct eco_estimate_embodied *e)
{
    struct eco_err err;
    eco_err_clear(&err);
    int rc;
    if (strcmp(flag, "--lifetime") == 0)
        rc = eco_embodied_parse_lifetime(value, &e->lifetime_s, &err);
    else if (strcmp(flag, "--embodied-share") == 0)
        rc = eco_embodied_parse_share(value, &e->share, &err);
    else
        return 0;
    if (rc != 0) {
        eco_err_print(&err);
        return -1;
    }
    return 1;
}

static double input(const struct eco_post_result *r, const char *name, double fallback)
{
    for (size_t i = 0; i < r->n_inputs; i++)
        if (strcmp(r->inputs[i].name, name) == 0)
            return r->inputs[i].value;
    return fallback;
}

void eco_estimate_embodied_compute(struct eco_estimate_embodied *e, const char *gpu_name, const char *cpu_name,
                                   const struct eco_post_result *r)
{
    if (e->lifetime_s <= 0)
        e->lifetime_s = ECO_EMBODIED_LIFETIME_S;
    if (e->share <= 0)
        e->share = ECO_EMBODIED_SHARE;
    /* a GPU given only as watts (--gpu-power) is counted too, with the default figure */
    int gpus = gpu_name || input(r, "gpu_power_w", 0) > 0 ? (int)input(r, "n_gpus", 1) : 0;
    struct eco_embodied_hw hw = {.cpu_model = cpu_name ? cpu_name : "", .cpu_sockets = 1,
                                 .gpu_model = gpu_name ? gpu_name : "", .gpu_count = gpus,
                                 .ram_gb = input(r, "memory_gb", 0)};
    e->duration_s = r->runtime_s * r->psf;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_embodied_footprint_of(&hw, &e->f, &err) != 0) {
        fprintf(stderr, "ecometer: warning: no embodied emissions: %s\n", err.msg);
        e->g = -1;
        return;
    }
    e->g = eco_embodied_amortised_g(e->f.kg, e->duration_s, e->lifetime_s, e->share);
}

void eco_estimate_embodied_text(FILE *out, const struct eco_estimate_embodied *e, double co2e_g)
{
    char a[32], b[32];
    if (e->g < 0)
        return;
    fprintf(out, "embodied CO2e: %s of manufacturing (estimate%s): %.4g kg of hardware x %s / %.3g-year life x share %.3g\n",
            eco_fmt_mass(e->g, a, sizeof a), e->f.is_default ? ", partly DEFAULT figures" : "", e->f.kg,
            eco_format_duration(e->duration_s, b, sizeof b), e->lifetime_s / (365.25 * 86400), e->share);
    fprintf(out, "  %s\n", e->f.basis);
    fprintf(out, "lifecycle CO2e: %s (operational + embodied, each shown on its own)\n",
            eco_fmt_mass(co2e_g + e->g, a, sizeof a));
}

void eco_estimate_embodied_json(cJSON *root, const struct eco_estimate_embodied *e, double co2e_g)
{
    if (e->g < 0) {
        cJSON_AddNullToObject(root, "embodied_co2e_g");
        cJSON_AddNullToObject(root, "total_lifecycle_co2e_g");
        return;
    }
    cJSON_AddNumberToObject(root, "embodied_co2e_g", e->g);
    cJSON_AddNumberToObject(root, "total_lifecycle_co2e_g", co2e_g + e->g);
    cJSON *o = cJSON_AddObjectToObject(root, "embodied");
    cJSON_AddNumberToObject(o, "footprint_kg", e->f.kg);
    cJSON_AddNumberToObject(o, "lifetime_s", e->lifetime_s);
    cJSON_AddNumberToObject(o, "share", e->share);
    cJSON_AddNumberToObject(o, "duration_s", e->duration_s);
    cJSON_AddBoolToObject(o, "is_default", e->f.is_default);
    cJSON_AddStringToObject(o, "basis", e->f.basis);
}

void eco_estimate_embodied_csv_header(FILE *out)
{
    fputs(",embodied_co2e_g,total_lifecycle_co2e_g,embodied_footprint_kg,embodied_lifetime_s,embodied_share,"
          "embodied_is_default,embodied_basis", out);
}

void eco_estimate_embodied_csv_row(FILE *out, const struct eco_estimate_embodied *e, double co2e_g)
{
    if (e->g < 0) {
        fputs(",,,,,,,", out);
        return;
    }
    fprintf(out, ",%.10g,%.10g,%.10g,%.10g,%.10g,%d,", e->g, co2e_g + e->g, e->f.kg, e->lifetime_s, e->share,
            e->f.is_default);
    eco_csv_field(out, e->f.basis);
}
