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
#include "cli/cpu_cli.h"
#include "sensors/cpu_estimate.h"
#include "cli/meter_cli.h"
#include "core/units.h"
#include "meter/meter.h"
#include "meter/run_info.h"
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
          "  --json FILE             write the result as one JSON object\n"
          "  --db FILE | --no-history\n"
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

int eco_cmd_monitor(int argc, char **argv)
{
    struct eco_meter_cli o;
    eco_meter_cli_defaults(&o, 1.0);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        int rc = eco_meter_cli_option("monitor", argc, argv, &i, &o,
                                      ~0u & ~(unsigned)(ECO_OPT_EPOCHS));
        if (rc < 0)
            return ECO_EXIT_USAGE;
        if (rc == 0)
            return eco_cli_usage_error("monitor", "unknown argument %s", argv[i]);
    }
    int rc = eco_meter_cli_prepare("monitor", &o);
    if (rc)
        return rc;
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_meter_options mo = {.interval_s = o.interval_s};
    struct eco_meter *m = eco_meter_open(&mo, &err);
    if (!m) {
        eco_err_print(&err);
        eco_meter_cli_close(&o);
        return ECO_EXIT_RUNTIME;
    }
    if (eco_meter_n_domains(m) == 0) {
        fprintf(stderr, "ecometer: nothing can be measured or estimated on this machine\n"
                        "ecometer: hint: 'ecometer sensors' says why and what would fix it\n");
        eco_meter_close(m);
        eco_meter_cli_close(&o);
        return ECO_EXIT_RUNTIME;
    }
    if (eco_meter_interval_note(m)[0])
        fprintf(stderr, "ecometer: note: %s\n", eco_meter_interval_note(m));
    if (eco_cpu_estimate_about(eco_meter_sensors(m)))
        fprintf(stderr, "ecometer: warning: %s\n", eco_cpu_estimate_about(eco_meter_sensors(m)));
    struct eco_run_result r;
    memset(&r, 0, sizeof r);
    if ((rc = eco_meter_cli_baseline(&o, m, &r)) != 0) {
        eco_meter_close(m);
        eco_meter_cli_close(&o);
        return rc;
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    eco_run_info_fill(&r, "monitor", NULL);
    if (sfd < 0 || eco_meter_start(m, &err) < 0) {
        eco_err_print(&err);
        return ECO_EXIT_RUNTIME;
    }
    if (!o.quiet)
        print_header(&o, m);
    double t_end = o.duration_s > 0 ? eco_monotonic_now() + o.duration_s : 0;
    int stop = 0;
    r.complete = 1;
    while (!stop) {
        struct pollfd p[2] = {{.fd = eco_meter_timer_fd(m), .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        if (p[1].revents & POLLIN)
            stop = 1;
        if ((p[0].revents & POLLIN) && eco_meter_on_timer(m)) {
            if (!o.quiet)
                print_line(&o, m);
            if (t_end && eco_monotonic_now() >= t_end - 1e-3)
                stop = 1;
            if (o.history && eco_monotonic_now() - o.last_history_save >= 5.0 &&
                eco_meter_result(m, r.baseline_w, &r, &err) == 0) {
                eco_meter_cli_carbon(&o, &r);
                eco_meter_cli_history(&o, &r, 0);
            }
        }
    }
    eco_meter_finish(m);
    rc = eco_meter_result(m, r.baseline_w, &r, &err);
    if (rc < 0)
        eco_err_print(&err);
    eco_run_info_fill(&r, "monitor", NULL);
    r.end_unix = eco_unix_now();
    r.exit_status = -1;
    eco_meter_cli_carbon(&o, &r);
    snprintf(r.command, sizeof r.command, "(monitor)");
    eco_meter_cli_history(&o, &r, 1);
    int quiet = o.quiet;
    o.quiet = 0; /* the summary is what monitor is for */
    int out_rc = eco_meter_cli_output(&o, &r, NULL);
    o.quiet = quiet;
    eco_run_result_free(&r);
    eco_meter_close(m);
    eco_meter_cli_close(&o);
    close(sfd);
    return out_rc ? ECO_EXIT_RUNTIME : 0;
}
