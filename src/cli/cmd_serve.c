/* ecometer serve: the Prometheus agent (src/serve/agent.c). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "carbon/intensity.h"
#include "cli/cli.h"
#include "cli/cpu_cli.h"
#include "cli/opts.h"
#include "core/numparse.h"
#include "core/settings.h"
#include "core/duration.h"
#include "core/safe_open.h"
#include "serve/agent.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void usage(FILE *out)
{
    fputs("usage: ecometer serve [--listen HOST:PORT] [--interval 1s] [--token-file FILE]\n"
         "                      [--region CODE | --carbon-intensity G] [--top N] [--duration D]\n"
         "\n"
         "Run as an agent that Prometheus scrapes: /metrics in the text exposition format with\n"
         "ecometer_energy_joules_total and ecometer_power_watts per domain (labels domain, kind,\n"
         "device, method), ecometer_co2e_grams_total, the top processes and cgroups (containers,\n"
         "pods, Slurm jobs) by energy attributed by CPU-time share, and the agent's own CPU and memory.\n"
         "\n"
         "  --listen HOST:PORT     default 127.0.0.1:9464 (loopback); another address must be asked for\n"
         "  --interval D           sampling interval (default 1s)\n"
         "  --token-file FILE      require 'Authorization: Bearer <token>' (the file's first line)\n"
         "  --region CODE          carbon intensity of this place (see 'ecometer carbon')\n"
         "  --carbon-intensity G   gCO2e/kWh, overrides --region\n"
         "  --intensity-series FILE  carbon intensity over time: the CO2e counter follows it\n"
         "                         (timestamp,g_per_kwh CSV or an Electricity Maps export)\n"
         "  --series-basis B       lifecycle (default) or direct: Electricity Maps' column\n"
         "  --top N                processes and cgroups exported (default 10, 0 for none)\n"
         "  --max-connections N    concurrent connections (default 64)\n"
         "  --duration D           stop after D (default: until SIGINT/SIGTERM; SIGHUP is ignored)\n"
         "  --quiet, -q            no startup lines on stderr\n" ECO_CPU_CLI_USAGE, out);
}

/* The token is the file's first line. The file must be a regular file (a
 * FIFO would hang the start), the line must fit the buffer (a longer token
 * would be cut silently and never match), and a file others can read is
 * said (docs/SECURITY.md). */
static int read_token(const char *path, char *buf, size_t len)
{
    struct eco_err e;
    eco_err_clear(&e);
    FILE *f = eco_fopen_regular(path, "r", "token file", &e);
    if (!f) {
        eco_err_print(&e);
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
        fprintf(stderr, "ecometer: warning: token file %s is readable by %s (chmod 600 it)\n", path,
                st.st_mode & S_IROTH ? "every user" : "its group");
    if (!fgets(buf, (int)len, f)) {
        fclose(f);
        fprintf(stderr, "ecometer: token file %s is empty\n", path);
        return -1;
    }
    size_t n = strcspn(buf, "\r\n");
    int next = buf[n] ? '\n' : fgetc(f); /* what follows a line that filled the buffer */
    fclose(f);
    if (next != EOF && next != '\n' && next != '\r') {
        fprintf(stderr, "ecometer: the token in %s is longer than %zu characters\n"
                        "ecometer: hint: use a token of 8 to %zu characters (e.g. openssl rand -hex 32)\n",
                path, len - 1, len - 1);
        return -1;
    }
    buf[n] = 0;
    if (strlen(buf) < 8) {
        fprintf(stderr, "ecometer: the token in %s is shorter than 8 characters\n", path);
        return -1;
    }
    return 0;
}

enum { O_LISTEN = ECO_O_OWN, O_TOKEN_FILE, O_MAX_CONNECTIONS };
static const struct eco_opt options[] = {
    {"--listen", NULL, "HOST:PORT", O_LISTEN, 0, NULL}, ECO_OPT_USE(interval),
    {"--token-file", NULL, "FILE", O_TOKEN_FILE, 0, NULL}, ECO_OPT_USE(region), ECO_OPT_USE(carbon_intensity),
    ECO_OPT_USE(top), {"--max-connections", NULL, "N", O_MAX_CONNECTIONS, 0, NULL}, ECO_OPT_USE(duration),
    ECO_OPT_USE(quiet), ECO_OPT_USE(cpu), ECO_OPT_USE(cpu_tdp), ECO_OPT_USE(intensity_series),
    ECO_OPT_USE(series_basis), ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_serve = {"serve", options, NULL, usage};

struct serve_args {
    struct eco_agent_options o;
    char token[4096];
};

/* A whole number in [lo, hi], or -1. */
static long count_in(const char *v, long lo, long hi)
{
    int64_t n;
    return eco_num_i64(v, lo, hi, 0, &n) == ECO_NUM_OK ? (long)n : -1;
}

static int take(void *ctx, int id, const char *v)
{
    struct serve_args *a = ctx;
    struct eco_err e;
    eco_err_clear(&e);
    long n;
    switch (id) {
    case O_LISTEN: a->o.listen = v; return 0;
    case ECO_O_CPU: eco_cpu_cli_set(v, NULL); return 0;
    case ECO_O_CPU_TDP: eco_cpu_cli_set(NULL, v); return 0;
    case ECO_O_INTERVAL:
        return eco_duration_arg("--interval", v, 0.01, ECO_DURATION_MAX_S, &a->o.interval_s, &e) != 0 ? eco_err_print(&e) : 0;
    case ECO_O_DURATION:
        return eco_duration_arg("--duration", v, 0, ECO_DURATION_MAX_S, &a->o.duration_s, &e) != 0 ? eco_err_print(&e) : 0;
    case O_TOKEN_FILE:
        if (read_token(v, a->token, sizeof a->token) != 0)
            return ECO_EXIT_USAGE;
        a->o.token = a->token;
        return 0;
    case ECO_O_REGION: a->o.region = v; return 0;
    case ECO_O_INTENSITY_SERIES: a->o.intensity_series = v; return 0;
    case ECO_O_SERIES_BASIS: return eco_series_basis_parse(v, &a->o.series_basis, &e) != 0 ? eco_err_print(&e) : 0;
    case ECO_O_CARBON_INTENSITY: return eco_intensity_parse(v, &a->o.intensity, &e) != 0 ? eco_err_print(&e) : 0;
    case ECO_O_TOP:
        if ((n = count_in(v, 0, 256)) < 0)
            return eco_cli_usage_error("serve", "--top wants a count from 0 to 256, not '%s'", v);
        a->o.top_n = (size_t)n;
        return 0;
    case O_MAX_CONNECTIONS:
        if ((n = count_in(v, 1, 10000)) < 0)
            return eco_cli_usage_error("serve", "--max-connections wants 1 to 10000, not '%s'", v);
        a->o.max_connections = (unsigned)n;
        return 0;
    case ECO_O_QUIET: a->o.quiet = 1; return 0;
    default: return eco_cli_usage_error("serve", "unexpected argument '%s'", v);
    }
}

int eco_cmd_serve(int argc, char **argv)
{
    static struct serve_args a;
    memset(&a, 0, sizeof a);
    a.o = (struct eco_agent_options){.interval_s = 1.0, .intensity = ECO_INTENSITY_NONE, .top_n = 10};
    int rc = eco_opts_parse(&eco_opts_serve, argc, argv, take, &a, NULL);
    if (rc != ECO_OPTS_GO_ON)
        return rc;
    struct eco_agent_options o = a.o;
    struct eco_err e;
    eco_err_clear(&e);
    if (eco_cpu_cli_apply() != 0)
        return ECO_EXIT_USAGE;
    /* No --intensity-series: the setting's (core/settings.h), else none */
    static struct eco_setting series;
    int got = o.intensity_series ? 0 : eco_setting_get("intensity_series", &series, &e);
    if (got < 0)
        return eco_err_print(&e);
    if (got > 0 && series.value[0])
        o.intensity_series = series.value;
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* SIGHUP (a closed terminal, a `systemctl reload`) must not stop the
     * agent: it holds nothing to reload, so it is ignored (docs/SECURITY.md). */
    signal(SIGHUP, SIG_IGN);
    if (eco_agent_run(&o, &stop_flag, &e) != 0)
        return eco_err_print(&e);
    return 0;
}
