/* What `run`, `monitor` (and later `top`/`serve`) share on the command line:
 * the measuring options, the baseline, carbon intensity, the JSON file and
 * the history. Kept here so each cmd_*.c stays thin. */
#ifndef ECO_CLI_METER_CLI_H
#define ECO_CLI_METER_CLI_H

#include <stdio.h>

#include "carbon/intensity.h"
#include "cli/opts.h"
#include "core/format.h"
#include "meter/meter.h"
#include "meter/result.h"
#include "meter/run_driver.h"
#include "render/outputs.h"


/* --epochs: run's own option, parsed here with the other measuring ones;
 * --name, --tag, --project: the run's label (meter/run_label.h), on run and
 * monitor (ECO_METER_LABEL_OPTS in their tables); run numbers its other own
 * options from ECO_O_METER_OWN. */
enum { ECO_O_EPOCHS = ECO_O_OWN, ECO_O_NAME, ECO_O_TAG, ECO_O_PROJECT, ECO_O_METER_OWN };
#define ECO_METER_LABEL_OPTS                                                                         \
    {"--name", NULL, "NAME", ECO_O_NAME, 0, NULL}, {"--tag", NULL, "TAG", ECO_O_TAG, ECO_OPT_REPEAT, NULL}, \
        {"--project", NULL, "P", ECO_O_PROJECT, 0, NULL}

struct eco_meter_cli {
    double interval_s;
    int interval_given;         /* --interval: else the settings' interval, if any */
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
    const char *name, *project; /* --name, --project (checked: meter/run_label.h) */
    char tags[ECO_RUN_TAGS_MAX + 1]; /* every --tag, comma-separated */
    const char *intensity_series; /* --intensity-series FILE */
    char series_setting[1024];    /* else intensity_series = FILE / ECOMETER_INTENSITY_SERIES (core/settings.h) */
    enum eco_series_basis series_basis; /* --series-basis lifecycle|direct */
    double lifetime_s;          /* --lifetime (0: default) */
    double embodied_share;      /* --embodied-share (0: default) */
};

void eco_meter_cli_defaults(struct eco_meter_cli *o, double interval_s);
/* One option of a measuring command (its table in cli/opts.h terms says
 * which it has): 0 taken, the usage exit code after printing why its value is
 * refused, or ECO_OPTS_GO_ON when the id is not a measuring option. */
int eco_meter_cli_take(const char *cmd, struct eco_meter_cli *o, int id, const char *v);
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
/* The live one-line status on stderr (a terminal): power, energy, CO2e, on
 * the terminal's reserved bottom row (cli/live_line.c); clear = 1 removes it
 * and gives the row back (at the end of the run). */
void eco_meter_cli_live(struct eco_run_driver *d, int clear);
/* The forecast line, when the first epoch's end made one. */
void eco_meter_cli_forecast(const struct eco_forecast *f);
void eco_meter_cli_close(struct eco_meter_cli *o);

#endif
