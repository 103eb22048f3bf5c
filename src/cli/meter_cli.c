/* Shared command-line plumbing of the measuring commands (see meter_cli.h). */
#include "cli/meter_cli.h"
#include "carbon/co2e.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/duration.h"
#include "core/units.h"
#include "meter/baseline.h"
#include "meter/sampler.h"
#include "out/run_report.h"
#include "store/history.h"

void eco_meter_cli_defaults(struct eco_meter_cli *o, double interval_s)
{
    memset(o, 0, sizeof *o);
    o->interval_s = interval_s;
    o->baseline_s = -1;
    o->intensity = -1;
    o->json_fd = -1;
    o->format = ECO_FMT_TEXT;
}

/* "--name value" or "--name=value" */
static const char *value_of(const char *cmd, int argc, char **argv, int *i, const char *name, int *bad)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        eco_cli_usage_error(cmd, "%s needs a value", name);
        *bad = 1;
        return NULL;
    }
    return argv[++*i];
}

int eco_meter_cli_option(const char *cmd, int argc, char **argv, int *i, struct eco_meter_cli *o, unsigned allowed)
{
    int bad = 0;
    const char *v;
    struct eco_err err;
    eco_err_clear(&err);
    const char *a = argv[*i];
#define TAKE(flag, name) ((allowed & (flag)) && ((v = value_of(cmd, argc, argv, i, name, &bad)) != NULL || bad))
    if (TAKE(ECO_OPT_INTERVAL, "--interval")) {
        if (bad)
            return -1;
        if (eco_parse_duration(v, &o->interval_s, &err) < 0 || o->interval_s < 0.001 || o->interval_s > 3600) {
            eco_cli_usage_error(cmd, "--interval %s: give a duration between 1ms and 1h (e.g. 100ms)", v);
            return -1;
        }
        return 1;
    }
    if (TAKE(ECO_OPT_BASELINE, "--baseline")) {
        if (bad)
            return -1;
        if (eco_parse_duration(v, &o->baseline_s, &err) < 0 || o->baseline_s < 0.5 || o->baseline_s > 86400) {
            eco_cli_usage_error(cmd, "--baseline %s: give a duration of at least 0.5 s (e.g. 10s)", v);
            return -1;
        }
        return 1;
    }
    if (TAKE(ECO_OPT_DURATION, "--duration")) {
        if (bad)
            return -1;
        if (eco_parse_duration(v, &o->duration_s, &err) < 0 || o->duration_s <= 0) {
            eco_cli_usage_error(cmd, "--duration %s: give a positive duration (e.g. 30s, 5m)", v);
            return -1;
        }
        return 1;
    }
    if (TAKE(ECO_OPT_CARBON, "--region")) {
        if (bad)
            return -1;
        o->region = v;
        return 1;
    }
    if (TAKE(ECO_OPT_CARBON, "--carbon-intensity")) {
        if (bad)
            return -1;
        char *end;
        o->intensity = strtod(v, &end);
        if (end == v || *end || !(o->intensity >= 0 && o->intensity <= 5000)) {
            eco_cli_usage_error(cmd, "--carbon-intensity %s: give gCO2e/kWh between 0 and 5000", v);
            return -1;
        }
        return 1;
    }
    if (TAKE(ECO_OPT_JSON, "--json")) {
        if (bad)
            return -1;
        o->json_path = v;
        return 1;
    }
    if (TAKE(ECO_OPT_EPOCHS, "--epochs")) {
        if (bad)
            return -1;
        char *end;
        o->epochs = strtoll(v, &end, 10);
        if (end == v || *end || o->epochs < 1 || o->epochs > 1000000) {
            eco_cli_usage_error(cmd, "--epochs %s: give a whole number of epochs (1..1000000)", v);
            return -1;
        }
        return 1;
    }
    if (TAKE(ECO_OPT_HISTORY, "--db")) {
        if (bad)
            return -1;
        o->db_path = v;
        return 1;
    }
    if (TAKE(ECO_OPT_FORMAT, "--format")) {
        if (bad)
            return -1;
        if (eco_parse_format(v, &o->format, &err) < 0) {
            eco_err_print(&err);
            return -1;
        }
        return 1;
    }
#undef TAKE
    if ((allowed & ECO_OPT_HISTORY) && strcmp(a, "--no-history") == 0) {
        o->no_history = 1;
        return 1;
    }
    if ((allowed & ECO_OPT_QUIET) && (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)) {
        o->quiet = 1;
        return 1;
    }
    return 0;
}

int eco_meter_cli_prepare(const char *cmd, struct eco_meter_cli *o)
{
    (void)cmd;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_intensity_resolve(o->region, o->intensity, &o->in, &err) < 0) {
        eco_err_print(&err);
        return ECO_EXIT_USAGE;
    }
    if (o->json_path) {
        /* Opened now so that a file that cannot be written is refused before
         * anything is measured; written (truncated) at the end. */
        o->json_fd = open(o->json_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (o->json_fd < 0) {
            fprintf(stderr, "ecometer: cannot write the JSON file %s: %s\n", o->json_path, strerror(errno));
            fprintf(stderr, "ecometer: hint: choose a path in a folder you can write to; nothing was run\n");
            return ECO_EXIT_USAGE;
        }
    }
    if (!o->no_history) {
        o->history = eco_meter_history_open(o->db_path, &err);
        if (!o->history) {
            fprintf(stderr, "ecometer: warning: the run will not be kept in the history: %s\n", err.msg);
            if (err.hint[0])
                fprintf(stderr, "ecometer: hint: %s\n", err.hint);
        }
    }
    return 0;
}

int eco_meter_cli_baseline(struct eco_meter_cli *o, struct eco_meter *m, struct eco_run_result *r)
{
    struct eco_err err;
    eco_err_clear(&err);
    char buf[64];
    if (o->baseline_s > 0) {
        struct eco_baseline b;
        if (!o->quiet)
            fprintf(stderr, "ecometer: measuring the idle baseline for %s; keep the machine idle...\n",
                    eco_format_duration(o->baseline_s, buf, sizeof buf));
        if (eco_baseline_measure(m, o->baseline_s, &b, &err) < 0) {
            eco_err_print(&err);
            return ECO_EXIT_RUNTIME;
        }
        r->baseline_w = b.watts;
        snprintf(r->baseline_source, sizeof r->baseline_source, "measured %s before the run%s",
                 eco_format_duration(b.duration_s, buf, sizeof buf), b.estimated ? ", estimated" : "");
        return 0;
    }
    struct eco_baseline b;
    int rc = eco_baseline_load(&b, &err);
    if (rc < 0) {
        fprintf(stderr, "ecometer: warning: %s\n", err.msg);
        snprintf(r->baseline_source, sizeof r->baseline_source, "none (stored one unreadable)");
        return 0;
    }
    if (rc == 0) {
        snprintf(r->baseline_source, sizeof r->baseline_source, "none");
        return 0;
    }
    char host[128] = "", sig[512];
    gethostname(host, sizeof host - 1);
    eco_baseline_signature(m, sig, sizeof sig);
    if (strcmp(host, b.host) != 0 || strcmp(sig, b.sensors) != 0) {
        fprintf(stderr, "ecometer: warning: the stored baseline was measured %s; not used\n",
                strcmp(host, b.host) != 0 ? "on another host" : "with other sensors");
        fprintf(stderr, "ecometer: hint: run 'ecometer baseline' again on this machine\n");
        snprintf(r->baseline_source, sizeof r->baseline_source, "none (stored one does not match)");
        return 0;
    }
    r->baseline_w = b.watts;
    time_t t = (time_t)b.measured_unix;
    struct tm tm;
    char day[32];
    gmtime_r(&t, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    snprintf(r->baseline_source, sizeof r->baseline_source, "stored %s by 'ecometer baseline'", day);
    return 0;
}

void eco_meter_cli_carbon(const struct eco_meter_cli *o, struct eco_run_result *r)
{
    r->intensity_g_per_kwh = o->in.g_per_kwh;
    snprintf(r->intensity_label, sizeof r->intensity_label, "%s", o->in.label);
    snprintf(r->region_code, sizeof r->region_code, "%s", o->in.region ? o->in.region->code : "");
    r->intensity_is_default = o->in.is_default;
    r->co2e_g = eco_co2e_g(r->total_energy_j, o->in.g_per_kwh);
}

void eco_meter_cli_history(struct eco_meter_cli *o, const struct eco_run_result *r, int force)
{
    if (!o->history)
        return;
    double now = eco_monotonic_now();
    if (!force && now - o->last_history_save < 5.0)
        return;
    o->last_history_save = now;
    struct eco_err err;
    eco_err_clear(&err);
    /* While the command runs, saving is done from the sampling loop: a
     * history locked by another process must not stall it (that would leave
     * gaps and stretch the measured run by the wait). So checkpoints wait
     * only briefly and are tried again at the next one; the final save, once
     * the measurement is over, waits as long as the store's default. */
    int final = r->complete;
    eco_history_set_busy_timeout(o->history, final ? 15000 : 250);
    if (eco_meter_history_save(o->history, r, &err) < 0) {
        if (!final && strstr(err.msg, "locked by another process")) {
            if (!o->history_busy_warned)
                fprintf(stderr, "ecometer: warning: %s; trying again every 5 s and at the end\n", err.msg);
            o->history_busy_warned = 1;
            return;
        }
        fprintf(stderr, "ecometer: warning: could not save the run in the history: %s\n", err.msg);
        eco_meter_history_close(o->history); /* one warning, not one per save */
        o->history = NULL;
    }
}

int eco_meter_cli_output(struct eco_meter_cli *o, const struct eco_run_result *r, cJSON *extra)
{
    int rc = 0;
    if (!o->quiet) {
        if (o->format == ECO_FMT_JSON) {
            cJSON *j = eco_report_json(r);
            eco_json_emit(stderr, j);
        } else if (o->format == ECO_FMT_CSV) {
            eco_report_csv(stderr, r);
        } else {
            eco_report_text(stderr, r);
            if (r->intensity_is_default)
                fprintf(stderr, "ecometer: warning: no region given: CO2e uses the world average; "
                                "pass --region (e.g. --region FR) or --carbon-intensity G\n");
        }
    }
    if (o->json_fd >= 0) {
        cJSON *j = eco_report_json(r);
        if (extra) {
            cJSON *it = extra->child;
            while (it) {
                cJSON *next = it->next;
                cJSON_AddItemToObject(j, it->string, cJSON_DetachItemViaPointer(extra, it));
                it = next;
            }
        }
        char *s = cJSON_Print(j);
        cJSON_Delete(j);
        int ok = s != NULL && ftruncate(o->json_fd, 0) == 0 && lseek(o->json_fd, 0, SEEK_SET) == 0;
        size_t len = s ? strlen(s) : 0, off = 0;
        while (ok && off < len) {
            ssize_t w = write(o->json_fd, s + off, len - off);
            if (w <= 0) {
                ok = 0;
                break;
            }
            off += (size_t)w;
        }
        ok = ok && write(o->json_fd, "\n", 1) == 1;
        free(s);
        if (close(o->json_fd) != 0)
            ok = 0;
        o->json_fd = -1;
        if (!ok) {
            fprintf(stderr, "ecometer: could not write the JSON file %s: %s\n", o->json_path, strerror(errno));
            rc = 1;
        }
    }
    cJSON_Delete(extra);
    return rc;
}

void eco_meter_cli_live(const struct eco_meter_cli *o, struct eco_meter *m, int clear)
{
    if (clear) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        return;
    }
    char a[32], b[32], c[32], d[32];
    double e = eco_meter_energy_j(m);
    fprintf(stderr, "\r\033[Kecometer: %s  %s now  %s  %s CO2e%s", eco_format_duration(eco_meter_elapsed_s(m), d, sizeof d),
            eco_fmt_power(eco_meter_power_w(m), a, sizeof a), eco_fmt_energy(e, b, sizeof b),
            eco_fmt_mass(eco_co2e_g(e, o->in.g_per_kwh), c, sizeof c),
            eco_meter_any_estimated(m) ? " (partly estimated)" : "");
    fflush(stderr);
}

void eco_meter_cli_close(struct eco_meter_cli *o)
{
    if (o->json_fd >= 0)
        close(o->json_fd);
    o->json_fd = -1;
    if (o->history)
        eco_meter_history_close(o->history);
    o->history = NULL;
}
