/* ecometer monitor: the whole machine, a line per interval until Ctrl-C (or
 * --duration), then the same summary as `run` (no attribution). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "cli/cpu_cli.h"
#include "sensors/cpu_estimate.h"
#include "cli/meter_cli.h"
#include "core/units.h"
#include "meter/meter.h"
#include "meter/sampler.h"

static void usage(FILE *out)
{
    fputs("usage: ecometer monitor [options]\n\n"
          "Measure the whole machine: one line per interval on stdout (time, total power,\n"
          "power of each top-level domain, energy so far), until Ctrl-C or --duration, then\n"
          "the summary on stderr.\n\n"
          "options:\n"
          "  --interval D            time between lines (default 1s); sensors are sampled at\n"
          "                          this interval too\n"
          "  --duration D            stop after D (default: until Ctrl-C)\n"
          "  --baseline D            measure the idle baseline first (default: the stored one)\n"
          "  --region CODE | --carbon-intensity G   carbon intensity for CO2e\n"
          "  --intensity-series FILE [--series-basis lifecycle|direct]\n"
          "                          carbon intensity over time (see 'ecometer help run')\n"
          "  --lifetime D | --embodied-share F     service life (default 4y) and share (default 1)\n"
          "                          of the hardware for embodied CO2e\n"
          "  --json FILE             write the result as one JSON object\n"
          "  --db FILE | --no-history\n"
          "  --name NAME, --tag TAG, --project P   label the session in the history\n"
          "  --quiet, -q             no lines, only the summary\n"
          "  --format text|json|csv  format of the lines and of the summary (default text)\n"
          ECO_CPU_CLI_USAGE_AT(" "),
          out);
}

static void print_header(const struct eco_meter_cli *o, struct eco_meter *m)
{
    if (o->format == ECO_FMT_CSV) {
        fputs("t_s,power_w,energy_j", stdout);
        for (size_t i = 0; i < eco_meter_n_domains(m); i++)
            if (eco_meter_domain(m, i)->parent == -1)
                printf(",%s_w", eco_meter_domain(m, i)->name);
        fputc('\n', stdout);
    }
}

static void print_line(const struct eco_meter_cli *o, struct eco_meter *m)
{
    char a[32], b[32];
    double t = eco_meter_elapsed_s(m), w = eco_meter_power_w(m), e = eco_meter_energy_j(m);
    if (o->format == ECO_FMT_CSV) {
        printf("%.3f,%.3f,%.3f", t, w, e);
        for (size_t i = 0; i < eco_meter_n_domains(m); i++)
            if (eco_meter_domain(m, i)->parent == -1)
                printf(",%.3f", eco_meter_domain_power_w(m, i));
        fputc('\n', stdout);
    } else if (o->format == ECO_FMT_JSON) {
        printf("{\"t_s\":%.3f,\"power_w\":%.3f,\"energy_j\":%.3f,\"domains\":{", t, w, e);
        int first = 1;
        for (size_t i = 0; i < eco_meter_n_domains(m); i++)
            if (eco_meter_domain(m, i)->parent == -1) {
                printf("%s\"%s\":%.3f", first ? "" : ",", eco_meter_domain(m, i)->name,
                       eco_meter_domain_power_w(m, i));
                first = 0;
            }
        fputs("}}\n", stdout);
    } else {
        printf("%8.1f s  %10s  %10s ", t, eco_fmt_power(w, a, sizeof a), eco_fmt_energy(e, b, sizeof b));
        for (size_t i = 0; i < eco_meter_n_domains(m); i++)
            if (eco_meter_domain(m, i)->parent == -1)
                printf(" %s %s%s", eco_meter_domain(m, i)->name, eco_fmt_power(eco_meter_domain_power_w(m, i), a, sizeof a),
                       eco_meter_domain(m, i)->method == ECO_ESTIMATED ? " (est.)" : "");
        fputc('\n', stdout);
    }
    fflush(stdout);
}

static const struct eco_opt options[] = {
    ECO_OPT_USE(interval), ECO_OPT_USE(duration), ECO_OPT_USE(baseline), ECO_OPT_USE(region),
    ECO_OPT_USE(carbon_intensity),
    ECO_OPT_USE(lifetime), ECO_OPT_USE(embodied_share), /* embodied emissions */
    ECO_OPT_USE(json), ECO_OPT_USE(db), ECO_OPT_USE(no_history), ECO_OPT_USE(quiet),
    ECO_OPT_USE(format), ECO_OPT_USE(cpu), ECO_OPT_USE(cpu_tdp), ECO_METER_LABEL_OPTS,
    ECO_OPT_USE(intensity_series), ECO_OPT_USE(series_basis), /* carbon intensity over time */ ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_monitor = {"monitor", options, NULL, usage};

static int take(void *ctx, int id, const char *v)
{
    int rc = eco_meter_cli_take("monitor", ctx, id, v);
    return rc != ECO_OPTS_GO_ON ? rc : eco_cli_usage_error("monitor", "unknown argument %s", v);
}

/* Options; -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, struct eco_meter_cli *o)
{
    return eco_opts_parse(&eco_opts_monitor, argc, argv, take, o, NULL);
}

/* A line per sample until a signal or --duration. */
static void monitor_loop(const struct eco_meter_cli *o, struct eco_run_driver *d, int sfd)
{
    struct eco_meter *m = eco_run_driver_meter(d);
    double t_end = o->duration_s > 0 ? eco_monotonic_s() + o->duration_s : 0;
    int stop = 0;
    while (!stop) {
        struct pollfd p[2] = {{.fd = eco_meter_timer_fd(m), .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        if (p[1].revents & POLLIN)
            stop = 1;
        if ((p[0].revents & POLLIN) && eco_run_driver_tick(d)) {
            if (!o->quiet)
                print_line(o, m);
            if (t_end && eco_monotonic_s() >= t_end - 1e-3)
                stop = 1;
        }
    }
}

/* Driver, baseline, signals, start. 0 or the exit code. */
static int monitor_prepare(struct eco_meter_cli *o, struct eco_run_driver **d, int *sfd)
{
    struct eco_meter_options mo = {0};
    struct eco_run_setup setup;
    eco_meter_cli_setup(o, "monitor", NULL, &mo, &setup);
    int rc;
    if (!(*d = eco_meter_cli_open(o, &setup, &rc)))
        return rc;
    struct eco_meter *m = eco_run_driver_meter(*d);
    if (eco_meter_n_domains(m) == 0) {
        fprintf(stderr, "ecometer: nothing can be measured or estimated on this machine\n"
                        "ecometer: hint: 'ecometer sensors' says why and what would fix it\n");
        return ECO_EXIT_RUNTIME;
    }
    eco_meter_cli_warn_left_out(m);
    if (eco_meter_interval_note(m)[0])
        fprintf(stderr, "ecometer: note: %s\n", eco_meter_interval_note(m));
    if (eco_cpu_estimate_about(eco_meter_sensors(m)))
        fprintf(stderr, "ecometer: warning: %s\n", eco_cpu_estimate_about(eco_meter_sensors(m)));
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_run_driver_baseline(*d, &err) != 0)
        return eco_err_print(&err), ECO_EXIT_RUNTIME;
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    *sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (*sfd < 0) {
        fprintf(stderr, "ecometer: cannot set up signal handling: %s\n", strerror(errno));
        return ECO_EXIT_RUNTIME;
    }
    if (eco_run_driver_start(*d, &err) < 0)
        return eco_err_print(&err), ECO_EXIT_RUNTIME;
    return 0;
}

int eco_cmd_monitor(int argc, char **argv)
{
    struct eco_meter_cli o;
    eco_meter_cli_defaults(&o, 1.0);
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    struct eco_run_driver *d = NULL;
    int sfd = -1;
    if ((rc = monitor_prepare(&o, &d, &sfd)) == 0) {
        if (!o.quiet)
            print_header(&o, eco_run_driver_meter(d));
        monitor_loop(&o, d, sfd);
        struct eco_err err;
        eco_err_clear(&err);
        if (eco_run_driver_finish(d, -1, 0, 0, &err) < 0)
            eco_err_print(&err);
        o.quiet = 0; /* the summary is what monitor is for */
        rc = eco_meter_cli_output(&o, eco_run_driver_record(d)) ? ECO_EXIT_RUNTIME : 0;
    }
    if (sfd >= 0)
        close(sfd);
    eco_run_driver_close(d);
    eco_meter_cli_close(&o);
    return rc;
}
