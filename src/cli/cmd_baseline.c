/* ecometer baseline: measure this machine's idle power once and store it,
 * so later runs subtract it without waiting (see src/meter/baseline.h). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/duration.h"
#include "core/units.h"
#include "meter/baseline.h"
#include "meter/meter.h"

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

int eco_cmd_baseline(int argc, char **argv)
{
    double duration = 30, interval = 0.1;
    int show = 0;
    enum eco_format fmt = ECO_FMT_TEXT;
    struct eco_err err;
    eco_err_clear(&err);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--show") == 0) {
            show = 1;
        } else if ((strcmp(a, "--duration") == 0 || strcmp(a, "--interval") == 0 || strcmp(a, "--format") == 0) &&
                   i + 1 < argc) {
            const char *v = argv[++i];
            if (strcmp(a, "--format") == 0) {
                if (eco_parse_format(v, &fmt, &err) < 0)
                    return eco_err_print(&err);
            } else {
                double *dst = strcmp(a, "--duration") == 0 ? &duration : &interval;
                if (eco_parse_duration(v, dst, &err) < 0)
                    return eco_err_print(&err);
                if (*dst < (dst == &duration ? 1.0 : 0.001) || *dst > 86400)
                    return eco_cli_usage_error("baseline", "%s %s is out of range", a, v);
            }
        } else {
            return eco_cli_usage_error("baseline", "unknown argument %s", a);
        }
    }
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
    struct eco_meter_options mo = {.interval_s = interval};
    struct eco_meter *m = eco_meter_open(&mo, &err);
    if (!m)
        return eco_err_print(&err);
    if (eco_meter_n_domains(m) == 0) {
        eco_meter_close(m);
        fprintf(stderr, "ecometer: no sensor domain to measure here\necometer: hint: see 'ecometer sensors'\n");
        return ECO_EXIT_RUNTIME;
    }
    char d[32];
    fprintf(stderr, "ecometer: measuring idle power for %s; keep the machine idle...\n",
            eco_format_duration(duration, d, sizeof d));
    int rc = eco_baseline_measure(m, duration, &b, &err);
    eco_meter_close(m);
    if (rc < 0)
        return eco_err_print(&err);
    if (eco_baseline_save(&b, &err) < 0)
        return eco_err_print(&err);
    print(&b, fmt, path);
    return 0;
}
