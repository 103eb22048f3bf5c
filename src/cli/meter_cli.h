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

struct cJSON;
struct eco_history;

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
    enum eco_format format;
    struct eco_intensity in;
    struct eco_history *history;
    double last_history_save;
    int history_busy_warned;    /* a locked history was reported once already */
};

void eco_meter_cli_defaults(struct eco_meter_cli *o, double interval_s);
/* Parse the option at argv[*i] if it is one of `allowed`. Returns 1 if
 * consumed (advancing *i past its value), 0 if not ours, or -1 after
 * printing a usage error. */
int eco_meter_cli_option(const char *cmd, int argc, char **argv, int *i, struct eco_meter_cli *o, unsigned allowed);
/* Before anything runs: carbon intensity, the JSON file (refused here if it
 * cannot be written), the history. Returns 0 or an exit code (printed). */
int eco_meter_cli_prepare(const char *cmd, struct eco_meter_cli *o);
/* Measure the baseline (--baseline) or use the stored one; sets r's
 * baseline_w and baseline_source. Returns 0 or an exit code (printed). */
int eco_meter_cli_baseline(struct eco_meter_cli *o, struct eco_meter *m, struct eco_run_result *r);
/* A source that measures with parts of it left out (RAPL zones that cannot
 * be read): a warning on stderr, as the total does not hold them. */
void eco_meter_cli_warn_left_out(const struct eco_meter *m);
/* Intensity and CO2e into r. */
void eco_meter_cli_carbon(const struct eco_meter_cli *o, struct eco_run_result *r);
/* History save (start, periodic, end); failures are warnings. force=0 saves
 * only if a few seconds passed since the last save. */
void eco_meter_cli_history(struct eco_meter_cli *o, const struct eco_run_result *r, int force);
/* Summary on stderr in --format, JSON file; extra (may be NULL) is merged
 * into the JSON object. Returns 0, or 1 if the JSON file failed. */
int eco_meter_cli_output(struct eco_meter_cli *o, const struct eco_run_result *r, struct cJSON *extra);
/* The live one-line status on stderr (a terminal): power, energy, CO2e. */
void eco_meter_cli_live(const struct eco_meter_cli *o, struct eco_meter *m, int clear);
void eco_meter_cli_close(struct eco_meter_cli *o);

/* The history store as the measuring commands use it (cli/meter_history.c). */
struct eco_history *eco_meter_history_open(const char *path, struct eco_err *err);
int eco_meter_history_save(struct eco_history *h, const struct eco_run_result *r, struct eco_err *err);
void eco_meter_history_close(struct eco_history *h);

#endif
