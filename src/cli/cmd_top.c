/* ecometer top: the machine's power live, per domain and per process. */
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "carbon/intensity.h"
#include "core/clock.h"
#include "core/numparse.h"
#include "meter/run_driver.h"
#include "meter/sampler.h"
#include "core/units.h"
#include "cli/cli.h"
#include "cli/cpu_cli.h"
#include "cli/opts.h"
#include "core/duration.h"
#include "meter/meter.h"
#include "meter/top_frame.h"
#include "render/tui.h"

static const char usage[] =
    "usage: ecometer top [--region CODE | --carbon-intensity G] [--interval D] [--refresh D]\n"
    "                    [--top N] [--plain] [--count N] [--format text|json|csv]\n"
    "\n"
    "The whole machine live, full screen, refreshed every second: power of each domain\n"
    "as bars (measured or estimated), the processes drawing the most power (CPU-side\n"
    "power split by their share of busy CPU time), energy and CO2e since start, and the\n"
    "rate per hour at the current power. q quits (or Ctrl-C). Works over SSH; when\n"
    "standard output is not a terminal it prints one line per refresh instead.\n"
    "\n"
    "  --region CODE          carbon-intensity region (see 'ecometer carbon'); default:\n"
    "                         the world average, with a warning\n"
    "  --carbon-intensity G   gCO2e/kWh, overrides --region\n"
    "  --interval D           sampling interval (default 200ms)\n"
    "  --refresh D            screen refresh (default 1s)\n"
    "  --top N                processes listed (default 8, at most 12)\n"
    "  --plain                plain lines even on a terminal\n"
    "  --count N, -n N        stop after N refreshes\n"
    "  --format F             text (default), json (one object per line) or csv (one row\n"
    "                         per refresh); json and csv imply --plain\n" ECO_CPU_CLI_USAGE;

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void print_json(const struct eco_top_frame *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "elapsed_s", f->elapsed_s);
    cJSON_AddNumberToObject(o, "power_w", f->power_w);
    cJSON_AddNumberToObject(o, "energy_j", f->energy_j);
    cJSON_AddNumberToObject(o, "co2e_g", f->co2e_g);
    cJSON_AddNumberToObject(o, "energy_per_hour_j", f->energy_per_hour_j);
    cJSON_AddNumberToObject(o, "co2e_per_hour_g", f->co2e_per_hour_g);
    cJSON *d = cJSON_AddArrayToObject(o, "domains");
    for (size_t i = 0; i < f->n_domains; i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "name", f->domains[i].name);
        cJSON_AddStringToObject(j, "kind", f->domains[i].kind);
        cJSON_AddStringToObject(j, "method", f->domains[i].estimated ? "estimated" : "measured");
        cJSON_AddBoolToObject(j, "top_level", f->domains[i].top_level);
        cJSON_AddNumberToObject(j, "power_w", f->domains[i].watts);
        cJSON_AddNumberToObject(j, "energy_j", f->domains[i].energy_j);
        cJSON_AddNumberToObject(j, "range_w", f->domains[i].range_w);
        cJSON_AddStringToObject(j, "range", f->domains[i].range_is_limit ? "power limit" : "highest seen");
        cJSON_AddItemToArray(d, j);
    }
    cJSON *gp = cJSON_AddArrayToObject(o, "gpu_processes");
    for (size_t i = 0; i < f->n_gpu_procs; i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "pid", f->gpu_procs[i].pid);
        cJSON_AddStringToObject(j, "comm", f->gpu_procs[i].comm);
        cJSON_AddStringToObject(j, "gpu", f->gpu_procs[i].gpu);
        cJSON_AddNumberToObject(j, "sm_pct", f->gpu_procs[i].sm_pct);
        cJSON_AddNumberToObject(j, "power_w", f->gpu_procs[i].watts);
        cJSON_AddStringToObject(j, "method", "attribution estimate: GPU power x share of SM utilisation");
        cJSON_AddItemToArray(gp, j);
    }
    if (f->gpu_note[0])
        cJSON_AddStringToObject(o, "gpu_processes_note", f->gpu_note);
    cJSON *p = cJSON_AddArrayToObject(o, "processes");
    for (size_t i = 0; i < f->n_procs; i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "pid", f->procs[i].pid);
        cJSON_AddStringToObject(j, "comm", f->procs[i].comm);
        cJSON_AddNumberToObject(j, "cpu_pct", f->procs[i].cpu_pct);
        cJSON_AddNumberToObject(j, "power_w", f->procs[i].watts);
        cJSON_AddItemToArray(p, j);
    }
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (s) {
        puts(s);
        free(s);
    }
    fflush(stdout);
}

static void print_csv(const struct eco_top_frame *f, int header)
{
    if (header) {
        fputs("elapsed_s,power_w,energy_j,co2e_g", stdout);
        for (size_t i = 0; i < f->n_domains; i++) {
            fputs(",", stdout);
            eco_csv_field(stdout, f->domains[i].name);
            fputs("_w", stdout);
        }
        fputc('\n', stdout);
    }
    printf("%.3f,%.6g,%.6f,%.6g", f->elapsed_s, f->power_w, f->energy_j, f->co2e_g);
    for (size_t i = 0; i < f->n_domains; i++)
        printf(",%.6g", f->domains[i].watts);
    fputc('\n', stdout);
    fflush(stdout);
}

struct top_opts {
    const char *region;
    double interval, refresh, intensity;
    long top_n, count;
    int plain;
    enum eco_format fmt;
};

enum { O_REFRESH = ECO_O_OWN, O_PLAIN, O_COUNT };
static const struct eco_opt options[] = {
    ECO_OPT_USE(region), ECO_OPT_USE(carbon_intensity), ECO_OPT_USE(interval),
    {"--refresh", NULL, "D", O_REFRESH, 0, NULL}, ECO_OPT_USE(top), {"--plain", NULL, NULL, O_PLAIN, 0, NULL},
    {"--count", "-n", "N", O_COUNT, 0, NULL}, ECO_OPT_USE(format), ECO_OPT_USE(cpu), ECO_OPT_USE(cpu_tdp),
    ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_top = {"top", options, usage, NULL};

/* A duration of at least min seconds into *out: 0, or the usage exit code. */
static int duration_at_least(const char *name, const char *v, double min, double *out)
{
    struct eco_err err;
    eco_err_clear(&err);
    return eco_duration_arg(name, v, min, ECO_DURATION_MAX_S, out, &err) != 0 ? eco_err_print(&err) : 0;
}

static int take(void *ctx, int id, const char *v)
{
    struct top_opts *o = ctx;
    struct eco_err err;
    eco_err_clear(&err);
    int n;
    switch (id) {
    case ECO_O_REGION: o->region = v; return 0;
    case ECO_O_CARBON_INTENSITY: return eco_intensity_parse(v, &o->intensity, &err) != 0 ? eco_err_print(&err) : 0;
    case ECO_O_INTERVAL: return duration_at_least("--interval", v, 0.01, &o->interval);
    case O_REFRESH: return duration_at_least("--refresh", v, 0.1, &o->refresh);
    case ECO_O_TOP:
        if (eco_num_int(v, 0, ECO_TOP_MAX_PROCS, 0, &n) != ECO_NUM_OK)
            return eco_cli_usage_error("top", "--top takes a number from 0 to %d, not '%s'", ECO_TOP_MAX_PROCS, v);
        o->top_n = n;
        return 0;
    case O_COUNT:
        if (eco_num_int(v, 1, INT32_MAX, 0, &n) != ECO_NUM_OK)
            return eco_cli_usage_error("top", "--count takes a positive whole number, not '%s'", v);
        o->count = n;
        return 0;
    case O_PLAIN: o->plain = 1; return 0;
    case ECO_O_FORMAT: return eco_parse_format(v, &o->fmt, &err) != 0 ? eco_err_print(&err) : 0;
    case ECO_O_CPU: eco_cpu_cli_set(v, NULL); return 0;
    case ECO_O_CPU_TDP: eco_cpu_cli_set(NULL, v); return 0;
    default: return eco_cli_usage_error("top", "unexpected argument '%s'", v);
    }
}

/* Options into o; -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, struct top_opts *o)
{
    int rc = eco_opts_parse(&eco_opts_top, argc, argv, take, o, NULL);
    if (rc != ECO_OPTS_GO_ON)
        return rc;
    if (eco_cpu_cli_apply() != 0)
        return ECO_EXIT_USAGE;
    if (o->fmt != ECO_FMT_TEXT || !isatty(STDOUT_FILENO))
        o->plain = 1;
    return ECO_OPTS_GO_ON;
}

/* The screen (text) or nothing (json, csv lines); plain lines when the
 * terminal cannot be driven. */
static struct eco_tui *open_screen(struct top_opts *o)
{
    if (o->fmt != ECO_FMT_TEXT)
        return NULL;
    struct eco_tui *tui = eco_tui_open(o->plain, stdout);
    if (!tui) {
        fprintf(stderr, "ecometer: this terminal cannot be driven full-screen (TERM=%s); printing lines\n",
                getenv("TERM") ? getenv("TERM") : "unset");
        tui = eco_tui_open(1, stdout);
        o->plain = 1;
    }
    return tui;
}

/* A frame every refresh until a signal, q, --count or a closed reader. */
static void top_loop(const struct top_opts *o, struct eco_run_driver *d, struct eco_tui *tui,
                     struct eco_top_frame *frame)
{
    struct eco_meter *m = eco_run_driver_meter(d);
    struct eco_top_state st;
    eco_top_state_init(&st); /* starting point for the first shares */
    double last = eco_monotonic_s(), next = last + o->refresh;
    long shown = 0;
    eco_top_frame_fill(d, &st, 0, 0, frame);
    if (tui && !o->plain)
        eco_tui_draw(tui, frame); /* the screen appears at once, figures after a refresh */
    while (!stop_flag) {
        if (!eco_meter_wait_and_sample(m) && stop_flag)
            break;
        double now = eco_monotonic_s();
        if (tui && !o->plain && eco_tui_wait(tui, 0))
            break; /* q */
        if (now < next)
            continue;
        eco_top_frame_fill(d, &st, now - last, (size_t)o->top_n, frame);
        last = now;
        next += o->refresh;
        if (next < now)
            next = now + o->refresh;
        if (o->fmt == ECO_FMT_JSON)
            print_json(frame);
        else if (o->fmt == ECO_FMT_CSV)
            print_csv(frame, shown == 0);
        else
            eco_tui_draw(tui, frame);
        if (o->count && ++shown >= o->count)
            break;
        if (o->fmt == ECO_FMT_TEXT && o->plain && ferror(stdout))
            break; /* the reader went away */
    }
    eco_top_state_free(&st);
}

int eco_cmd_top(int argc, char **argv)
{
    struct top_opts o = {.fmt = ECO_FMT_TEXT, .interval = 0.2, .refresh = 1.0, .intensity = ECO_INTENSITY_NONE, .top_n = 8};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_run_setup setup = {.kind = "top", .region = o.region, .intensity = o.intensity,
                                  .meter = {.interval_s = o.interval}};
    struct eco_run_driver *d = eco_run_driver_open(&setup, &err);
    if (!d)
        return eco_err_print(&err);
    if (eco_run_driver_intensity(d)->is_default)
        fprintf(stderr, "ecometer: %s\n", ECO_INTENSITY_DEFAULT_WARNING);
    if (eco_run_driver_start(d, &err) != 0) {
        eco_run_driver_close(d);
        return eco_err_print(&err);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: the sampler's wait returns at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL); /* an SSH session that drops */
    struct eco_tui *tui = open_screen(&o);
    struct eco_top_frame *frame = malloc(sizeof *frame);
    if (frame)
        top_loop(&o, d, tui, frame);
    eco_tui_close(tui);
    free(frame);
    eco_run_driver_close(d);
    return 0;
}
