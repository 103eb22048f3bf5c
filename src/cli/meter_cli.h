/* What `run`, `monitor` (and later `top`/`serve`) share on the command line:
 * the measuring options, the baseline, carbon intensity, the JSON file and
 * the history. Kept here so each cmd_*.c stays thin. */
#ifndef ECO_CLI_METER_CLI_H
#define ECO_CLI_METER_CLI_H

#include <stdio.h>

#include "carbon/intensity.h"
#include "core/format.h"
#include "meter/meter.h"
#include "meter/result.h"
#include "meter/run_driver.h"
#include "render/outputs.h"


enum {
    ECO_OPT_INTERVAL = 1 << 0,
    ECO_OPT_BASELINE = 1 << 1,
    ECO_OPT_CARBON = 1 << 2,
    ECO_OPT_JSON = 1 << 3,
    ECO_OPT_EPOCHS = 1 << 4,
    ECO_OPT_HISTORY = 1 << 5,
    ECO_OPT_QUIET = 1 << 6,
    ECO_OPT_DURATION = 1 << 7,
    ECO_OPT_FORMAT = 1 << 8,
};

struct eco_meter_cli {
    double interval_s;
    double baseline_s;          /* <0: not given */
    const char *region;
    double intensity;           /* <0: not given */
    const char *json_path;
    int json_fd;                /* opened (and checked writable) before the run */
    const char *db_path;
    int no_history;
    int quiet;
    long long epochs;
    double duration_s;          /* monitor: 0 = until Ctrl-C */
    enum eco_format format;     /* monitor's lines */
    const struct eco_output *output; /* the summary's --format (render/outputs.h) */
    const char *intensity_series; /* --intensity-series FILE */
    enum eco_series_basis series_basis; /* --series-basis lifecycle|direct */
};

void eco_meter_cli_defaults(struct eco_meter_cli *o, double interval_s);
/* Parse the option at argv[*i] if it is one of `allowed`. Returns 1 if
 * consumed (advancing *i past its value), 0 if not ours, or -1 after
 * printing a usage error. */
int eco_meter_cli_option(const char *cmd, int argc, char **argv, int *i, struct eco_meter_cli *o, unsigned allowed);
/* The driver's setup from the options (meter options: the caller's). */
void eco_meter_cli_setup(const struct eco_meter_cli *o, const char *kind, char *const *argv,
                         const struct eco_meter_options *mo, struct eco_run_setup *s);
/* Check --cpu/--cpu-tdp, open the run driver, then the JSON file (only a
 * regular file, created as the invoking user under sudo; refused here if it
 * cannot be written), before anything is measured. NULL after printing the
 * error; *rc is the exit code. */
struct eco_run_driver *eco_meter_cli_open(struct eco_meter_cli *o, const struct eco_run_setup *s, int *rc);
/* Summary on stderr in --format, JSON file. Returns 0, or 1 if the JSON
 * file failed. */
int eco_meter_cli_output(struct eco_meter_cli *o, const struct eco_run_result *r);
/* A source that measures with parts of it left out (RAPL zones that cannot
 * be read): a warning on stderr, as the total does not hold them. */
void eco_meter_cli_warn_left_out(const struct eco_meter *m);
/* The live one-line status on stderr (a terminal): power, energy, CO2e. */
void eco_meter_cli_live(struct eco_run_driver *d, int clear);
/* The forecast line, when the first epoch's end made one. */
void eco_meter_cli_forecast(const struct eco_forecast *f);
void eco_meter_cli_close(struct eco_meter_cli *o);

#endif
