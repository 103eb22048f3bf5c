/* A device estimate as JSON or CSV cells (see device_out.h): one table of
 * its figures, read by both writers. */
#include "cli/device_out.h"

#include "core/format.h"

enum cell_kind { CELL_TEXT, CELL_NUMBER, CELL_TRUE };

struct cell {
    const char *key;
    int in_csv; /* the CSV carries the figures a row is read for */
    enum cell_kind kind;
    const char *text;
    double number;
};

#define N_CELLS 26

/* The figures of one estimate, in the order every output writes them. */
static void cells_of(const struct eco_device_cost *d, const char *unit, double units, struct cell c[N_CELLS])
{
    struct eco_device_per_unit u;
    eco_device_per_unit(d, units, &u);
    const struct cell all[N_CELLS] = {
        {"device", 1, CELL_TEXT, d->name, 0},
        {"table", 0, CELL_TEXT, d->gpu ? "gpu" : "cpu", 0},
        {"precision", 1, CELL_TEXT, d->precision, 0},
        {"peak_flops_per_s", 0, CELL_NUMBER, NULL, d->peak_flops},
        {"memory_bandwidth_bytes_per_s", 0, CELL_NUMBER, NULL, d->mem_bw},
        {"utilization", 0, CELL_NUMBER, NULL, d->utilization},
        {"compute_efficiency", 1, CELL_NUMBER, NULL, d->compute_eff},
        {"memory_efficiency", 1, CELL_NUMBER, NULL, d->memory_eff},
        {"overhead_s", 0, CELL_NUMBER, NULL, d->overhead_s},
        {"unit", 1, CELL_TEXT, unit, 0},
        {"units", 1, CELL_NUMBER, NULL, u.units},
        {"flops", 0, CELL_NUMBER, NULL, d->flops},
        {"bytes_moved", 0, CELL_NUMBER, NULL, d->bytes},
        {"bound", 1, CELL_TEXT, d->bound, 0},
        {"seconds", 1, CELL_NUMBER, NULL, d->seconds},
        {"units_per_s", 1, CELL_NUMBER, NULL, u.units_per_s},
        {"tdp_w", 0, CELL_NUMBER, NULL, d->tdp_w},
        {"load", 0, CELL_NUMBER, NULL, d->load},
        {"power_w", 1, CELL_NUMBER, NULL, d->power_w},
        {"energy_j", 1, CELL_NUMBER, NULL, d->energy_j},
        {"energy_j_per_unit", 1, CELL_NUMBER, NULL, u.energy_j},
        {"carbon_intensity_g_per_kwh", 0, CELL_NUMBER, NULL, d->intensity.g_per_kwh},
        {"carbon_intensity_source", 0, CELL_TEXT, d->intensity.label, 0},
        {"co2e_g", 1, CELL_NUMBER, NULL, d->co2e_g},
        {"co2e_g_per_unit", 1, CELL_NUMBER, NULL, u.co2e_g},
        {"estimated", 1, CELL_TRUE, NULL, 0}, /* never a measurement */
    };
    for (size_t i = 0; i < N_CELLS; i++)
        c[i] = all[i];
}

cJSON *eco_device_json(const struct eco_device_cost *d, const char *unit, double units)
{
    struct cell c[N_CELLS];
    cells_of(d, unit, units, c);
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < N_CELLS; i++) {
        if (c[i].kind == CELL_TEXT)
            cJSON_AddStringToObject(o, c[i].key, c[i].text ? c[i].text : "");
        else if (c[i].kind == CELL_NUMBER)
            cJSON_AddNumberToObject(o, c[i].key, c[i].number);
        else
            cJSON_AddBoolToObject(o, c[i].key, 1);
    }
    return o;
}

void eco_device_csv_header(FILE *out)
{
    static const struct eco_device_cost none;
    struct cell c[N_CELLS];
    cells_of(&none, "", 1, c);
    for (size_t i = 0; i < N_CELLS; i++)
        if (c[i].in_csv)
            fprintf(out, ",%s", c[i].key);
}

void eco_device_csv_cells(FILE *out, const struct eco_device_cost *d, const char *unit, double units)
{
    static const struct eco_device_cost none;
    struct cell c[N_CELLS];
    cells_of(d ? d : &none, unit, units, c);
    for (size_t i = 0; i < N_CELLS; i++) {
        if (!c[i].in_csv)
            continue;
        fputc(',', out);
        if (!d)
            continue;
        if (c[i].kind == CELL_TEXT)
            eco_csv_field(out, c[i].text ? c[i].text : "");
        else if (c[i].kind == CELL_NUMBER)
            fprintf(out, "%.6g", c[i].number);
        else
            fputs("true", out);
    }
}
