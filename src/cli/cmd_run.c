/* ecometer run: measure the energy of one command (and its descendants).
 * The command is started with posix_spawnp (vfork + execvp, never a shell); ecometer waits
 * for it in one poll() loop over the sampling timer, the marker socket and a
 * signalfd, so sampling, markers and signals never race each other. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "carbon/co2e.h"
#include "cli/meter_cli.h"
#include "core/duration.h"
#include "core/units.h"
#include "meter/marker_socket.h"
#include "meter/meter.h"
#include "meter/run_info.h"
#include "meter/sampler.h"

static void usage(FILE *out)
{
    fputs("usage: ecometer run [options] -- COMMAND [ARGS...]\n\n"
          "Run COMMAND (no shell) and measure the energy the machine used meanwhile: every\n"
          "sensor found (RAPL, NVML, Jetson, AMD GPU, hwmon; estimates where none), the idle\n"
          "baseline, the share of the command's process tree, and CO2e. A summary goes to\n"
          "stderr at the end; the exit status is the command's (128+N if killed by signal N).\n\n"
          "options:\n"
          "  --interval D            sampling interval (default 100ms)\n"
          "  --baseline D            measure the idle machine for D before starting the command\n"
          "                          (default: the one stored by 'ecometer baseline', if any)\n"
          "  --region CODE           carbon intensity of this place (FR, US-CA, aws:eu-west-3...)\n"
          "  --carbon-intensity G    or give it in gCO2e/kWh\n"
          "  --json FILE             write the result as one JSON object (refused before the\n"
          "                          command starts if FILE cannot be written)\n"
          "  --epochs N              forecast the whole run after the first region named epoch*\n"
          "  --db FILE               history database (default $XDG_DATA_HOME/ecometer/history.db)\n"
          "  --no-history            do not keep this run in the history\n"
          "  --quiet, -q             no live line and no summary\n"
          "  --format text|json|csv  format of the summary on stderr (default text)\n\n"
          "The command can mark regions and count items through the socket named in\n"
          "ECOMETER_SOCKET (see 'Markers' in the README), e.g. from a shell:\n"
          "  ecometer run -- python3 train.py --epochs 3\n",
          out);
}

extern char **environ;

/* The command's environment: ours, with ECOMETER_SOCKET set (or replaced). */
static char **child_env(const char *sock)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 2, sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "ECOMETER_SOCKET=", 16) != 0)
            env[k++] = environ[i];
    if (sock) {
        size_t len = strlen(sock) + 17;
        env[k] = malloc(len);
        if (!env[k]) {
            free(env);
            return NULL;
        }
        snprintf(env[k++], len, "ECOMETER_SOCKET=%s", sock);
    }
    env[k] = NULL;
    return env;
}

/* Start the command without a shell. posix_spawnp (a vfork + exec in glibc)
 * is the cheapest way to start it and reports an exec failure as its return
 * value. The child gets our original signal mask back. */
static int start_child(char **argv, const sigset_t *old, const char *sock, pid_t *pid)
{
    posix_spawnattr_t at;
    if (posix_spawnattr_init(&at) != 0)
        return ENOMEM;
    posix_spawnattr_setsigmask(&at, old);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
    char **env = child_env(sock);
    int rc = env ? posix_spawnp(pid, argv[0], NULL, &at, argv, env) : ENOMEM;
    if (env && sock) {
        for (size_t i = 0; env[i]; i++)
            if (strncmp(env[i], "ECOMETER_SOCKET=", 16) == 0)
                free(env[i]);
    }
    free(env);
    posix_spawnattr_destroy(&at);
    return rc;
}

static cJSON *forecast_json(double at_s, double epoch_j, double total_j, long long n, double g_per_kwh,
                            double epoch_s, double *energy, double *co2e, double *dur)
{
    *energy = total_j + (double)(n - 1) * epoch_j;
    *co2e = eco_co2e_g(*energy, g_per_kwh);
    *dur = at_s + (double)(n - 1) * epoch_s;
    cJSON *f = cJSON_CreateObject();
    cJSON_AddNumberToObject(f, "epochs", (double)n);
    cJSON_AddNumberToObject(f, "after_s", at_s);
    cJSON_AddNumberToObject(f, "first_epoch_energy_j", epoch_j);
    cJSON_AddNumberToObject(f, "energy_at_first_epoch_end_j", total_j);
    cJSON_AddNumberToObject(f, "energy_j", *energy);
    cJSON_AddNumberToObject(f, "co2e_g", *co2e);
    cJSON_AddNumberToObject(f, "duration_s", *dur);
    cJSON_AddStringToObject(f, "method", "energy up to the end of the first epoch + (N-1) x that epoch's energy");
    return f;
}

int eco_cmd_run(int argc, char **argv)
{
    struct eco_meter_cli o;
    eco_meter_cli_defaults(&o, 0.1);
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        int rc = eco_meter_cli_option("run", argc, argv, &i, &o, ~0u & ~(unsigned)ECO_OPT_DURATION);
        if (rc < 0)
            return ECO_EXIT_USAGE;
        if (rc == 0) {
            if (argv[i][0] == '-')
                return eco_cli_usage_error("run", "unknown option %s (put the command after --)", argv[i]);
            break; /* the command starts here */
        }
    }
    if (i >= argc)
        return eco_cli_usage_error("run", "no command to run: ecometer run [options] -- COMMAND [ARGS...]");
    char **cmd = argv + i;

    int rc = eco_meter_cli_prepare("run", &o);
    if (rc)
        return rc;
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_meter_options mo = {.interval_s = o.interval_s, .attribute = 1, .attr_root = getpid(),
                                   .attr_include_root = 0, .attr_period_s = 1.0, .attr_root_alone = 1};
    struct eco_meter *m = eco_meter_open(&mo, &err);
    if (!m) {
        eco_err_print(&err);
        eco_meter_cli_close(&o);
        return ECO_EXIT_RUNTIME;
    }
    if (eco_meter_n_domains(m) == 0)
        fprintf(stderr, "ecometer: warning: nothing can be measured or estimated on this machine: the command runs "
                        "and only its duration is recorded\n"
                        "ecometer: hint: 'ecometer sensors' says why and what would fix it\n");
    if (!o.quiet && eco_meter_interval_note(m)[0])
        fprintf(stderr, "ecometer: note: %s\n", eco_meter_interval_note(m));
    struct eco_run_result r;
    memset(&r, 0, sizeof r);
    if ((rc = eco_meter_cli_baseline(&o, m, &r)) != 0) {
        eco_meter_close(m);
        eco_meter_cli_close(&o);
        return rc;
    }
    struct eco_marker_socket ms;
    const char *sock_path = NULL;
    if (eco_marker_socket_open(&ms, &err) < 0) {
        fprintf(stderr, "ecometer: warning: %s; markers from the command will be ignored\n", err.msg);
        ms.fd = -1;
    } else {
        sock_path = ms.path;
    }

    /* Orphaned descendants come back to us, so their CPU time (and exit) stays in the tree. */
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    sigset_t mask, old;
    sigemptyset(&mask);
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD};
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
        sigaddset(&mask, sigs[k]);
    sigprocmask(SIG_BLOCK, &mask, &old);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) {
        fprintf(stderr, "ecometer: cannot set up signal handling: %s\n", strerror(errno));
        return ECO_EXIT_RUNTIME;
    }

    eco_run_info_fill(&r, "run", cmd);
    if (eco_meter_start(m, &err) < 0) {
        eco_err_print(&err);
        return ECO_EXIT_RUNTIME;
    }
    pid_t child = -1;
    int exec_errno = start_child(cmd, &old, sock_path, &child);
    if (exec_errno != 0) {
        fprintf(stderr, "ecometer: cannot run '%s': %s\n", cmd[0], strerror(exec_errno));
        fprintf(stderr, "ecometer: hint: %s\n",
                exec_errno == ENOENT ? "check the command's name and PATH (ecometer runs it without a shell)"
                                     : "check that the file is an executable you may run");
        eco_marker_socket_close(&ms);
        eco_meter_close(m);
        eco_meter_cli_close(&o);
        return exec_errno == ENOENT ? 127 : 126;
    }

    r.exit_status = -1;
    r.complete = 0;
    eco_meter_cli_carbon(&o, &r);
    if (eco_meter_result(m, r.baseline_w, &r, &err) == 0)
        eco_meter_cli_history(&o, &r, 1);
    int live = !o.quiet && isatty(STDERR_FILENO);
    double last_live = 0, forecast_e = 0, forecast_g = 0, forecast_d = 0;
    cJSON *forecast = NULL;
    int status = 0, done = 0, forwarded = 0;
    while (!done) {
        struct pollfd p[3] = {{.fd = eco_meter_timer_fd(m), .events = POLLIN},
                              {.fd = sfd, .events = POLLIN},
                              {.fd = ms.fd, .events = POLLIN}};
        if (poll(p, ms.fd >= 0 ? 3 : 2, -1) < 0 && errno != EINTR)
            break;
        if (p[2].revents & POLLIN)
            eco_marker_socket_drain(&ms, m);
        if (p[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
                if (si.ssi_signo == SIGCHLD)
                    continue;
                /* A terminal's Ctrl-C already reached the child (same
                 * process group): forward only signals sent to us alone. */
                if (si.ssi_code != SI_KERNEL)
                    kill(child, (int)si.ssi_signo);
                forwarded = (int)si.ssi_signo;
            }
            pid_t w;
            int st;
            while ((w = waitpid(-1, &st, WNOHANG)) > 0)
                if (w == child) {
                    status = st;
                    done = 1;
                }
        }
        if (p[0].revents & POLLIN && eco_meter_on_timer(m)) {
            double now = eco_monotonic_now();
            if (live && now - last_live >= 0.5) {
                eco_meter_cli_live(&o, m, 0);
                last_live = now;
            }
            double at, ej, tj;
            if (o.epochs > 0 && !forecast && eco_meter_first_epoch(m, &at, &ej, &tj)) {
                struct eco_run_result tmp;
                memset(&tmp, 0, sizeof tmp);
                double epoch_s = 0;
                if (eco_meter_result(m, 0, &tmp, &err) == 0)
                    for (size_t k = 0; k < tmp.n_regions; k++)
                        if (strncmp(tmp.regions[k].name, "epoch", 5) == 0 && tmp.regions[k].end_s <= at + 1e-9) {
                            epoch_s = tmp.regions[k].end_s - tmp.regions[k].start_s;
                            break;
                        }
                eco_run_result_free(&tmp);
                forecast = forecast_json(at, ej, tj, o.epochs, o.in.g_per_kwh, epoch_s, &forecast_e, &forecast_g,
                                         &forecast_d);
                char a[32], b[32], c[32];
                if (live)
                    eco_meter_cli_live(&o, m, 1);
                fprintf(stderr, "ecometer: forecast after the first epoch (%.1f s): %lld epochs ~ %s, %s CO2e, %s\n",
                        at, o.epochs, eco_fmt_energy(forecast_e, a, sizeof a), eco_fmt_mass(forecast_g, b, sizeof b),
                        eco_format_duration(forecast_d, c, sizeof c));
            }
            if (o.history && now - o.last_history_save >= 5.0) {
                eco_meter_cli_carbon(&o, &r);
                if (eco_meter_result(m, r.baseline_w, &r, &err) == 0) {
                    eco_meter_cli_carbon(&o, &r);
                    eco_meter_cli_history(&o, &r, 0);
                }
            }
        }
    }
    if (ms.fd >= 0)
        eco_marker_socket_drain(&ms, m);
    /* Nothing left to reap: no descendant is alive (orphans come back to us,
     * the subreaper), so the last scan need not look at every process. */
    if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
        eco_meter_tree_is_root_only(m);
    eco_meter_finish(m);
    if (live)
        eco_meter_cli_live(&o, m, 1);
    rc = eco_meter_result(m, r.baseline_w, &r, &err);
    r.end_unix = eco_unix_now();
    r.complete = 1;
    r.rejected_markers += ms.malformed;
    if (WIFSIGNALED(status)) {
        r.term_signal = WTERMSIG(status);
        r.exit_status = -1;
    } else {
        r.exit_status = WEXITSTATUS(status);
    }
    eco_run_info_fill(&r, "run", cmd); /* again: the GPU model from the domains now known */
    eco_meter_cli_carbon(&o, &r);
    if (rc < 0)
        eco_err_print(&err);
    if (forwarded && !o.quiet)
        fprintf(stderr, "ecometer: signal %d was passed on to the command\n", forwarded);
    eco_meter_cli_history(&o, &r, 1);
    cJSON *extra = NULL;
    if (forecast) {
        extra = cJSON_CreateObject();
        cJSON_AddItemToObject(extra, "forecast", forecast);
    }
    int out_rc = eco_meter_cli_output(&o, &r, extra);
    eco_run_result_free(&r);
    eco_marker_socket_close(&ms);
    eco_meter_close(m);
    eco_meter_cli_close(&o);
    close(sfd);
    if (WIFSIGNALED(status)) {
        if (!o.quiet)
            fprintf(stderr, "ecometer: the command was killed by signal %d (%s)\n", WTERMSIG(status),
                    strsignal(WTERMSIG(status)));
        return 128 + WTERMSIG(status);
    }
    int code = WEXITSTATUS(status);
    return code == 0 && out_rc ? ECO_EXIT_RUNTIME : code;
}
