/* CodeCarbon's emissions.csv columns, so dashboards built for CodeCarbon
 * read ecometer runs. Units are CodeCarbon's: energy kWh, emissions kg CO2e,
 * power W, duration s, RAM GB. See docs/METHODOLOGY.md "History and exports"
 * for the mapping of each column. */
#ifndef ECO_RENDER_CODECARBON_H
#define ECO_RENDER_CODECARBON_H

#include <stdio.h>

#include "meter/result.h"

struct eco_codecarbon_row {
    double duration_s;
    double emissions_kg, emissions_rate_kg_s;
    double cpu_power_w, gpu_power_w, ram_power_w;
    double cpu_energy_kwh, gpu_energy_kwh, ram_energy_kwh, energy_consumed_kwh;
};

/* The numeric columns of one run: top-level domains split into CPU (CPU
 * package or core, SoC, platform, other), GPU and RAM (dram, memory);
 * energy_consumed is their sum = the run's total energy. */
void eco_codecarbon_row(const struct eco_run_result *r, struct eco_codecarbon_row *out);
/* The header line then one line per run. */
void eco_codecarbon_write(FILE *out, const struct eco_run_result *runs, size_t n,
                          const char *project_name);

#endif
