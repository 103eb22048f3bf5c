/* ecometer baseline: measure this machine's idle power once and store it,
 * so later runs subtract it without waiting (see src/meter/baseline.h). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/duration.h"
#include "core/units.h"
#include "meter/baseline.h"
#include "meter/meter.h"
#include "meter/run_driver.h"

static void usage(FILE *out)
{
    fputs("usage: ecometer baseline [--duration D] [--interval D] [--show] [--format text|json|csv]\n\n"
          "Measure this machine's idle power (every top-level sensor domain) for D (default 30s)\n"
          "and store it; 'ecometer run' and 'monitor' then subtract it when --baseline is not\n"
          "given. Keep the machine idle meanwhile. --show prints the stored one instead.\n"
          "Stored in $ECOMETER_BASELINE_FILE, else $XDG_STATE_HOME/ecometer/baseline.tsv\n"
          "(default ~/.local/state/ecometer/baseline.tsv).\n",
          out);
}

static void print(const struct eco_baseline *b, enum eco_format fmt, const char *path)
{
    char a[32], c[32];
    if (fmt == ECO_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "baseline_w", b->watts);
        cJSON_AddNumberToObject(o, "duration_s", b->duration_s);
        cJSON_AddNumberToObject(o, "measured_unix", b->measured_unix);
        cJSON_AddStringToObject(o, "host", b->host);
        cJSON_AddStringToObject(o, "domains", b->sensors);
        cJSON_AddStringToObject(o, "method", b->estimated ? "estimated" : "measured");
        cJSON_AddStringToObject(o, "file", path);
        eco_json_emit(stdout, o);
    } else if (fmt == ECO_FMT_CSV) {
        puts("baseline_w,duration_s,measured_unix,host,method,file");
        printf("%.4f,%.3f,%.0f,", b->watts, b->duration_s, b->measured_unix);
        eco_csv_field(stdout, b->host);
        printf(",%s,", b->estimated ? "estimated" : "measured");
        eco_csv_field(stdout, path);
        putchar('\n');
    } else {
        printf("idle baseline  %s (%s over %s; domains: %s)\nstored in      %s\n",
               eco_fmt_power(b->watts, a, sizeof a), b->estimated ? "partly estimated" : "measured",
               eco_format_duration(b->duration_s, c, sizeof c), b->sensors, path);
    }
}

static const struct eco_opt options[] = {
    ECO_OPT_USE(duration), ECO_OPT_USE(interval), {"--show", NULL, NULL, ECO_O_OWN, 0, NULL}, ECO_OPT_USE(format),
    ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_baseline = {"baseline", options, NULL, usage};

struct baseline_args {
    double duration, interval;
    int show;
    enum eco_format fmt;
};

static int take(void *ctx, int id, const char *v)
{
    struct baseline_args *a = ctx;
    struct eco_err err;
    eco_err_clear(&err);
    if (id == ECO_O_OWN) {
        a->show = 1;
        return 0;
    }
    if (id == ECO_O_FORMAT)
        return eco_parse_format(v, &a->fmt, &err) < 0 ? eco_err_print(&err) : 0;
    if (id == ECO_O_WORD)
        return eco_cli_usage_error("baseline", "unknown argument %s", v);
    double *dst = id == ECO_O_DURATION ? &a->duration : &a->interval;
    if (eco_duration_arg(id == ECO_O_DURATION ? "--duration" : "--interval", v, id == ECO_O_DURATION ? 1.0 : 0.001,
                         86400, dst, &err) < 0)
        return eco_err_print(&err);
    return 0;
}

int eco_cmd_baseline(int argc, char **argv)
{
    struct baseline_args a = {.duration = 30, .interval = 0.1, .fmt = ECO_FMT_TEXT};
    int prc = eco_opts_parse(&eco_opts_baseline, argc, argv, take, &a, NULL);
    if (prc != ECO_OPTS_GO_ON)
        return prc;
    double duration = a.duration, interval = a.interval;
    int show = a.show;
    enum eco_format fmt = a.fmt;
    struct eco_err err;
    eco_err_clear(&err);
    char path[1024];
    eco_baseline_path(path, sizeof path);
    struct eco_baseline b;
    if (show) {
        int rc = eco_baseline_load(&b, &err);
        if (rc < 0)
            return eco_err_print(&err);
        if (rc == 0) {
            fprintf(stderr, "ecometer: no stored baseline (%s)\necometer: hint: run 'ecometer baseline'\n", path);
            return ECO_EXIT_RUNTIME;
        }
        print(&b, fmt, path);
        return 0;
    }
    /* the run driver measures it, as run --baseline D does; no history, no
     * carbon figure (a given 0 g/kWh: no place is looked up, so a bad
     * ECOMETER_REGION cannot stop a baseline, as before) */
    struct eco_run_setup setup = {.kind = "baseline", .intensity = 0, .baseline_s = duration,
                                  .meter = {.interval_s = interval}};
    struct eco_run_driver *drv = eco_run_driver_open(&setup, &err);
    if (!drv)
        return eco_err_print(&err);
    if (eco_meter_n_domains(eco_run_driver_meter(drv)) == 0) {
        eco_run_driver_close(drv);
        fprintf(stderr, "ecometer: no sensor domain to measure here\necometer: hint: see 'ecometer sensors'\n");
        return ECO_EXIT_RUNTIME;
    }
    char d[32];
    fprintf(stderr, "ecometer: measuring idle power for %s; keep the machine idle...\n",
            eco_format_duration(duration, d, sizeof d));
    int rc = eco_run_driver_idle(drv, &b, &err);
    eco_run_driver_close(drv);
    if (rc < 0)
        return eco_err_print(&err);
    if (eco_baseline_save(&b, &err) < 0)
        return eco_err_print(&err);
    print(&b, fmt, path);
    return 0;
}
