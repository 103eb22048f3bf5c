/* CodeCarbon's emissions.csv, so dashboards built for CodeCarbon read
 * ecometer runs: the columns of CodeCarbon 3.x (default) or 2.x, in
 * CodeCarbon's order and units (energy kWh, emissions kg CO2e, power W,
 * duration s, RAM GB), empty where ecometer has no value. The mapping of
 * each column is the table in docs/METHODOLOGY.md, "CodeCarbon columns". */
#ifndef ECO_RENDER_CODECARBON_H
#define ECO_RENDER_CODECARBON_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "meter/result.h"

/* The layouts written: CodeCarbon 3.x's EmissionsData (38 columns, with
 * experiment_id, water_consumed, the utilisation and RAM columns, wue) and
 * the last 2.x one (2.4 to 2.8: 32 columns, experiment_id, no water). */
#define ECO_CODECARBON_DEFAULT_VERSION 3

struct eco_codecarbon_row {
    double duration_s;
    double emissions_kg, emissions_rate_kg_s;
    double cpu_power_w, gpu_power_w, ram_power_w;
    double cpu_energy_kwh, gpu_energy_kwh, ram_energy_kwh, energy_consumed_kwh;
};

struct eco_codecarbon_opts {
    int version;               /* 2 or 3 (0: ECO_CODECARBON_DEFAULT_VERSION) */
    const char *project_name;  /* NULL: "ecometer" */
    const char *experiment_id; /* NULL: the column is left empty */
    int no_header;             /* appending to a file that has the header */
};

/* The numeric columns of one run: top-level domains split into CPU (CPU
 * package or core, SoC, platform, other), GPU and RAM (dram, memory);
 * energy_consumed is their sum = the run's total energy. */
void eco_codecarbon_row(const struct eco_run_result *r, struct eco_codecarbon_row *out);
/* The column names of a layout, in order, into cols (room for
 * ECO_CODECARBON_MAX_COLUMNS); their count, 0 for a version ecometer does
 * not write. */
#define ECO_CODECARBON_MAX_COLUMNS 38 /* every column of any layout (3.x has them all) */
size_t eco_codecarbon_columns(int version, const char **cols);
/* The header line then one line per run. 0, or -1 with err (code 2) for an
 * unknown version. */
int eco_codecarbon_write(FILE *out, const struct eco_run_result *runs, size_t n,
                         const struct eco_codecarbon_opts *opts, struct eco_err *err);
/* Whether `line` (a file's first line, with or without its end of line) is
 * the header of `version`'s layout: 0, or -1 with err (code 2) saying which
 * column differs and which CodeCarbon layout the line is, if any. */
int eco_codecarbon_check_header(const char *line, int version, struct eco_err *err);

#endif
