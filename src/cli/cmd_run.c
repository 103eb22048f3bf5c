/* ecometer run: measure the energy of one command (and its descendants).
 * The command is started with posix_spawnp (vfork + execvp, never a shell); ecometer waits
 * for it in one poll() loop over the sampling timer, the marker socket and a
 * signalfd, so sampling, markers and signals never race each other. */
#include <errno.h>
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
#include "core/clock.h"
#include "cli/cpu_cli.h"
#include "meter/privdrop.h"
#include "sensors/cpu_estimate.h"
#include "cli/live_line.h"
#include "cli/meter_cli.h"
#include "cli/opts.h"
#include "core/envlist.h"
#include "core/duration.h"
#include "meter/marker_socket.h"
#include "meter/meter.h"
#include "meter/run_stop.h"
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
          "  --intensity-series FILE carbon intensity over time (timestamp,g_per_kwh CSV or an\n"
          "                          Electricity Maps export): time-resolved CO2e beside the\n"
          "                          yearly figure, and the start that would have emitted least\n"
          "  --series-basis B        lifecycle (default) or direct: Electricity Maps' column\n"
          "  --lifetime D            service life the hardware's manufacturing footprint is\n"
          "                          spread over, for embodied CO2e (default 4y; y = 365.25 days)\n"
          "  --embodied-share F      share of the machine's devices charged to the run, 0..1 or\n"
          "                          a percentage (default 1: all of them)\n"
          "  --json FILE             write the result as one JSON object (refused before the\n"
          "                          command starts if FILE cannot be written)\n"
          "  --epochs N              forecast the whole run after the first region named epoch*\n"
          "  --db FILE               history database (default $XDG_DATA_HOME/ecometer/history.db)\n"
          "  --no-history            do not keep this run in the history\n"
          "  --name NAME             name the run (then 'ecometer show NAME', 'compare A B')\n"
          "  --tag TAG               tag it (repeat, or TAG1,TAG2); 'ecometer runs --tag TAG'\n"
          "  --project P             file it under a project; 'ecometer runs --project P'\n"
          "  --quiet, -q             no live line and no summary\n"
          "  --format text|json|csv  format of the summary on stderr (default text)\n"
          "  --as-root               under sudo, run COMMAND as root too (default: as the user\n"
          "                          who typed sudo; the history goes to their data folder)\n"
          "  --for D                 a fixed-time run: stop COMMAND after D (SIGTERM to its whole\n"
          "                          process tree, SIGKILL after --grace); energy and items are\n"
          "                          counted up to the stop and items per joule is reported; the\n"
          "                          exit status is 0 when ecometer stopped it\n"
          "  --grace D               with --for: time between SIGTERM and SIGKILL (default 10s)\n"
          ECO_CPU_CLI_USAGE_AT(" ") "\n"
          "The command can mark regions and count items through the socket named in\n"
          "ECOMETER_SOCKET (see 'Markers' in the README), e.g. from a shell:\n"
          "  ecometer run -- python3 train.py --epochs 3\n",
          out);
}

extern char **environ;

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
    /* the command's environment: ours, with ECOMETER_SOCKET set (or removed) */
    static const char *const drop[] = {"ECOMETER_SOCKET", NULL};
    char *var = sock ? malloc(strlen(sock) + 17) : NULL, *add[] = {var, NULL};
    if (var)
        snprintf(var, strlen(sock) + 17, "ECOMETER_SOCKET=%s", sock);
    char **env = sock && !var ? NULL : eco_env_edit(environ, drop, add);
    int rc = !env                      ? ENOMEM
             : eco_invoker_get()->active ? eco_invoker_spawn(argv, env, old, pid) /* sudo: as the user */
                                         : posix_spawnp(pid, argv[0], NULL, &at, argv, env);
    free(var);
    free(env);
    posix_spawnattr_destroy(&at);
    return rc;
}

enum { O_AS_ROOT = ECO_O_METER_OWN, O_FOR, O_GRACE };
static const struct eco_opt options[] = {
    ECO_OPT_USE(interval), ECO_OPT_USE(baseline), ECO_OPT_USE(region), ECO_OPT_USE(carbon_intensity),
    ECO_OPT_USE(lifetime), ECO_OPT_USE(embodied_share), /* embodied emissions */
    ECO_OPT_USE(json), {"--epochs", NULL, "N", ECO_O_EPOCHS, 0, NULL}, ECO_OPT_USE(db), ECO_OPT_USE(no_history),
    ECO_OPT_USE(quiet), ECO_OPT_USE(format), {"--as-root", NULL, NULL, O_AS_ROOT, 0, NULL}, ECO_OPT_USE(cpu),
    ECO_OPT_USE(cpu_tdp), {"--for", NULL, "D", O_FOR, 0, NULL}, {"--grace", NULL, "D", O_GRACE, 0, NULL},
    ECO_METER_LABEL_OPTS, ECO_OPT_USE(intensity_series), ECO_OPT_USE(series_basis), ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_run = {"run", options, NULL, usage};

struct run_args {
    struct eco_meter_cli *o;
    int *as_root;
    double *limits;            /* --for, --grace (< 0: not given) */
};

/* --for D (> 0) / --grace D (>= 0): 0, or the usage error's exit code. */
static int take_limit(int id, const char *v, double *limits)
{
    int k = id == O_GRACE;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_duration_arg(k ? "--grace" : "--for", v, k ? 0 : ECO_DURATION_ABOVE_0, ECO_DURATION_MAX_S, &limits[k], &err))
        return eco_err_print(&err);
    return 0;
}

static int take(void *ctx, int id, const char *v)
{
    struct run_args *a = ctx;
    if (id == O_AS_ROOT) {
        *a->as_root = 1;
        return 0;
    }
    if (id == O_FOR || id == O_GRACE)
        return take_limit(id, v, a->limits);
    return eco_meter_cli_take("run", a->o, id, v); /* the table holds nothing else */
}

/* Options up to the command (`--` or the first word); *cmd_at is where the
 * command starts. Returns -1 to go on, else the exit code (help printed, or
 * a usage error). */
static int parse_args(int argc, char **argv, struct eco_meter_cli *o, int *cmd_at, int *as_root, double limits[2])
{
    struct run_args a = {o, as_root, limits};
    int rc = eco_opts_parse(&eco_opts_run, argc, argv, take, &a, cmd_at);
    if (rc != ECO_OPTS_GO_ON)
        return rc;
    if (*cmd_at >= argc)
        return eco_cli_usage_error("run", "no command to run: ecometer run [options] -- COMMAND [ARGS...]");
    if (limits[1] >= 0 && limits[0] <= 0)
        return eco_cli_usage_error("run", "--grace needs --for (it is the time between SIGTERM and SIGKILL)");
    return ECO_OPTS_GO_ON;
}

/* What one `run` holds while the command runs; released by run_close. */
struct run_state {
    struct eco_meter_cli o;
    struct eco_run_driver *d;
    struct eco_marker_socket ms;
    int sfd;
    sigset_t old;
    pid_t child;
    int status, forwarded, live;
    double limits[2];          /* --for, --grace (< 0: not given) */
    struct eco_run_stop stop;  /* the --for deadline */
};

static void run_close(struct run_state *s)
{
    eco_run_stop_close(&s->stop);
    eco_marker_socket_close(&s->ms);
    if (s->sfd >= 0)
        close(s->sfd);
    eco_run_driver_close(s->d);
    eco_meter_cli_close(&s->o);
}

/* Driver, baseline, marker socket, signals: everything before the command
 * starts. 0, or the exit code after printing why. */
static int run_prepare(struct run_state *s, char **cmd)
{
    struct eco_meter_options mo = {.attribute = 1, .attr_root = getpid(), .attr_include_root = 0,
                                   .attr_period_s = 1.0, .attr_root_alone = 1};
    struct eco_run_setup setup;
    eco_meter_cli_setup(&s->o, "run", cmd, &mo, &setup);
    setup.for_s = s->limits[0] > 0 ? s->limits[0] : 0;
    setup.grace_s = s->limits[1] >= 0 ? s->limits[1] : ECO_RUN_GRACE_DEFAULT_S;
    int rc;
    if (!(s->d = eco_meter_cli_open(&s->o, &setup, &rc)))
        return rc;
    struct eco_meter *m = eco_run_driver_meter(s->d);
    if (eco_meter_n_domains(m) == 0)
        fprintf(stderr, "ecometer: warning: nothing can be measured or estimated on this machine: the command runs "
                        "and only its duration is recorded\n"
                        "ecometer: hint: 'ecometer sensors' says why and what would fix it\n");
    eco_meter_cli_warn_left_out(m);
    if (!s->o.quiet && eco_meter_interval_note(m)[0])
        fprintf(stderr, "ecometer: note: %s\n", eco_meter_interval_note(m));
    if (!s->o.quiet && eco_cpu_estimate_about(eco_meter_sensors(m)))
        fprintf(stderr, "ecometer: warning: %s\n", eco_cpu_estimate_about(eco_meter_sensors(m)));
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_run_driver_baseline(s->d, &err) != 0)
        return eco_err_print(&err), ECO_EXIT_RUNTIME;
    if (eco_marker_socket_open(&s->ms, &err) < 0) {
        fprintf(stderr, "ecometer: warning: %s; markers from the command will be ignored\n", err.msg);
        s->ms.fd = -1;
    } else if (eco_invoker_chown(s->ms.dir) != 0 || eco_invoker_chown(s->ms.path) != 0) {
        fprintf(stderr, "ecometer: warning: cannot give the marker socket to the user: %s\n", strerror(errno));
    }
    s->ms.g_per_kwh = eco_run_driver_intensity(s->d)->g_per_kwh; /* for `figures NAME` replies */
    s->ms.intensity_is_default = eco_run_driver_intensity(s->d)->is_default;
    if (!s->o.quiet && eco_invoker_get()->active)
        fprintf(stderr, "ecometer: running the command as %s (uid %u, from sudo); only the sampler keeps root "
                        "(--as-root to run it as root)\n", eco_invoker_get()->name, (unsigned)eco_invoker_get()->uid);
    /* Orphaned descendants come back to us, so their CPU time (and exit) stays in the tree. */
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    sigset_t mask;
    sigemptyset(&mask);
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD};
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
        sigaddset(&mask, sigs[k]);
    sigprocmask(SIG_BLOCK, &mask, &s->old);
    s->sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (s->sfd < 0) {
        fprintf(stderr, "ecometer: cannot set up signal handling: %s\n", strerror(errno));
        return ECO_EXIT_RUNTIME;
    }
    return 0;
}

/* Signals: forward them to the command; reap; 1 once the command ended. */
static int on_signals(struct run_state *s)
{
    struct signalfd_siginfo si;
    while (read(s->sfd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGCHLD)
            continue;
        /* A terminal's Ctrl-C already reached the child (same
         * process group): forward only signals sent to us alone. */
        if (si.ssi_code != SI_KERNEL)
            kill(s->child, (int)si.ssi_signo);
        s->forwarded = (int)si.ssi_signo;
    }
    pid_t w;
    int st, done = 0;
    while ((w = waitpid(-1, &st, WNOHANG)) > 0)
        if (w == s->child) {
            s->status = st;
            done = 1;
        }
    return done;
}

static void on_sample(struct run_state *s, double *last_live)
{
    double now = eco_monotonic_s();
    if (s->live && now - *last_live >= 0.5) {
        eco_meter_cli_live(s->d, 0);
        *last_live = now;
    }
    const struct eco_forecast *f = eco_run_driver_new_forecast(s->d);
    if (f) /* a line of its own in the scrolling region, above the live line */
        eco_meter_cli_forecast(f);
}

/* --for reached (SIGTERM to the tree, the window closes) or --grace over
 * (SIGKILL). The markers sent so far count in the window. */
static void on_deadline(struct run_state *s)
{
    if (s->stop.phase == ECO_STOP_RUNNING && s->ms.fd >= 0)
        eco_marker_socket_drain(&s->ms, eco_run_driver_meter(s->d));
    if (s->stop.phase == ECO_STOP_RUNNING)
        eco_run_driver_end_window(s->d); /* before the signal: the window is the time given */
    enum eco_run_stop_phase ph = eco_run_stop_fire(&s->stop);
    char a[64], b[64];
    if (ph == ECO_STOP_TERM && !s->o.quiet)
        fprintf(stderr, "ecometer: --for %s reached: stopping the command (SIGTERM to its process tree; "
                        "SIGKILL in %s)\n", eco_format_duration(s->stop.for_s, a, sizeof a),
                eco_format_duration(s->stop.grace_s, b, sizeof b));
    else if (ph == ECO_STOP_KILL && !s->o.quiet)
        fprintf(stderr, "ecometer: the command did not stop within the %s grace: SIGKILL\n",
                eco_format_duration(s->stop.grace_s, b, sizeof b));
}

/* Until the command ends: samples, markers, signals in one poll loop. */
static void run_loop(struct run_state *s)
{
    struct eco_meter *m = eco_run_driver_meter(s->d);
    double last_live = 0;
    int done = 0;
    while (!done) {
        struct pollfd p[4] = {{.fd = eco_meter_timer_fd(m), .events = POLLIN},
                              {.fd = s->sfd, .events = POLLIN},
                              {.fd = s->stop.fd, .events = POLLIN},
                              {.fd = s->ms.fd, .events = POLLIN}};
        if (poll(p, s->ms.fd >= 0 ? 4 : 3, -1) < 0 && errno != EINTR)
            break;
        if (p[2].revents & POLLIN)
            on_deadline(s);
        if (p[3].revents & POLLIN)
            eco_marker_socket_drain(&s->ms, m);
        if (p[1].revents & POLLIN)
            done = on_signals(s);
        if (p[0].revents & POLLIN && eco_run_driver_tick(s->d))
            on_sample(s, &last_live);
    }
    if (s->ms.fd >= 0)
        eco_marker_socket_drain(&s->ms, m);
    /* Nothing left to reap: no descendant is alive (orphans come back to us,
     * the subreaper), so the last scan need not look at every process. */
    if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
        eco_meter_tree_is_root_only(m);
}

/* The command's end into the record, the outputs; the exit code. */
static int run_end(struct run_state *s)
{
    struct eco_err err;
    eco_err_clear(&err);
    if (s->live)
        eco_meter_cli_live(s->d, 1);
    int sig = WIFSIGNALED(s->status) ? WTERMSIG(s->status) : 0;
    /* a signal to ecometer (Ctrl-C, kill) ended it before the limit: not "by itself" */
    eco_run_driver_child_end(s->d, s->stop.phase == ECO_STOP_RUNNING && s->forwarded
                                       ? "interrupted" : eco_run_stop_end_name(s->stop.phase));
    if (eco_run_driver_finish(s->d, sig ? -1 : WEXITSTATUS(s->status), sig, s->ms.malformed,
                              &err) < 0)
        eco_err_print(&err);
    if (s->forwarded && !s->o.quiet)
        fprintf(stderr, "ecometer: signal %d was passed on to the command\n", s->forwarded);
    int out_rc = eco_meter_cli_output(&s->o, eco_run_driver_record(s->d));
    if (s->stop.phase != ECO_STOP_RUNNING) { /* stopped as asked: the run did what --for said */
        if (!s->o.quiet)
            fprintf(stderr, "ecometer: the command was %s by ecometer after --for (its own status: %s %d)\n",
                    eco_run_stop_end_name(s->stop.phase), sig ? "signal" : "exit", sig ? sig : WEXITSTATUS(s->status));
        return out_rc ? ECO_EXIT_RUNTIME : 0;
    }
    if (sig) {
        if (!s->o.quiet)
            fprintf(stderr, "ecometer: the command was killed by signal %d (%s)\n", sig, strsignal(sig));
        return 128 + sig;
    }
    int code = WEXITSTATUS(s->status);
    return code == 0 && out_rc ? ECO_EXIT_RUNTIME : code;
}

int eco_cmd_run(int argc, char **argv)
{
    struct run_state s = {.sfd = -1, .child = -1, .ms = {.fd = -1}, .limits = {-1, -1}, .stop = {.fd = -1}};
    eco_meter_cli_defaults(&s.o, 0.1);
    int at = 0, as_root = 0, rc = parse_args(argc, argv, &s.o, &at, &as_root, s.limits);
    if (rc >= 0)
        return rc;
    struct eco_err perr;
    eco_err_clear(&perr);
    if (eco_invoker_setup(as_root, &perr) != 0) /* before the history path is chosen */
        return eco_err_print(&perr);
    char **cmd = argv + at;
    if ((rc = run_prepare(&s, cmd)) != 0) {
        run_close(&s);
        return rc;
    }
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_run_driver_start(s.d, &err) < 0) {
        eco_err_print(&err);
        run_close(&s);
        return ECO_EXIT_RUNTIME;
    }
    if (eco_run_stop_arm(&s.stop, getpid(), s.limits[0] > 0 ? s.limits[0] : 0,
                         s.limits[1] >= 0 ? s.limits[1] : ECO_RUN_GRACE_DEFAULT_S, &err) < 0) {
        eco_err_print(&err);
        run_close(&s);
        return ECO_EXIT_RUNTIME;
    }
    int exec_errno = start_child(cmd, &s.old, s.ms.fd >= 0 ? s.ms.path : NULL, &s.child);
    if (exec_errno != 0) {
        fprintf(stderr, "ecometer: cannot run '%s': %s\n", cmd[0], strerror(exec_errno));
        fprintf(stderr, "ecometer: hint: %s\n",
                exec_errno == ENOENT ? "check the command's name and PATH (ecometer runs it without a shell)"
                                     : "check that the file is an executable you may run");
        run_close(&s);
        return exec_errno == ENOENT ? 127 : 126;
    }
    s.live = !s.o.quiet && eco_live_line_usable(STDERR_FILENO);
    run_loop(&s);
    rc = run_end(&s);
    run_close(&s);
    return rc;
}
