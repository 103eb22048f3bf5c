/* ecometer serve: the Prometheus agent (src/serve/agent.c). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "carbon/intensity.h"
#include "cli/cli.h"
#include "cli/cpu_cli.h"
#include "core/duration.h"
#include "core/safe_open.h"
#include "serve/agent.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void usage(void)
{
    puts("usage: ecometer serve [--listen HOST:PORT] [--interval 1s] [--token-file FILE]\n"
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
         "  --quiet                no startup lines on stderr\n" ECO_CPU_CLI_USAGE);
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

int eco_cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"listen", required_argument, 0, 'l'},   {"interval", required_argument, 0, 'i'},
        {"token-file", required_argument, 0, 't'}, {"region", required_argument, 0, 'r'},
        {"carbon-intensity", required_argument, 0, 'c'}, {"top", required_argument, 0, 'n'},
        {"duration", required_argument, 0, 'd'}, {"max-connections", required_argument, 0, 'm'},
        {"quiet", no_argument, 0, 'q'},          {"help", no_argument, 0, 'h'},
        {"cpu", required_argument, 0, 'C'},      {"cpu-tdp", required_argument, 0, 'T'},
        {"intensity-series", required_argument, 0, 'S'}, {"series-basis", required_argument, 0, 'B'},
        {0, 0, 0, 0},
    };
    struct eco_agent_options o = {.interval_s = 1.0, .intensity = ECO_INTENSITY_NONE, .top_n = 10};
    char token[4096];
    struct eco_err e;
    eco_err_clear(&e);
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            o.listen = optarg;
            break;
        case 'C':
        case 'T':
            eco_cpu_cli_set(c == 'C' ? optarg : NULL, c == 'T' ? optarg : NULL);
            break;
        case 'i':
            if (eco_parse_duration(optarg, &o.interval_s, &e) != 0 || o.interval_s < 0.01) {
                if (!e.msg[0])
                    eco_err_set(&e, 2, "--interval %s is below 10ms", optarg);
                return eco_err_print(&e);
            }
            break;
        case 'd':
            if (eco_parse_duration(optarg, &o.duration_s, &e) != 0)
                return eco_err_print(&e);
            break;
        case 't':
            if (read_token(optarg, token, sizeof token) != 0)
                return ECO_EXIT_USAGE;
            o.token = token;
            break;
        case 'r':
            o.region = optarg;
            break;
        case 'S':
            o.intensity_series = optarg;
            break;
        case 'B':
            if (eco_series_basis_parse(optarg, &o.series_basis, &e) != 0)
                return eco_err_print(&e);
            break;
        case 'c':
            if (eco_intensity_parse(optarg, &o.intensity, &e) != 0)
                return eco_err_print(&e);
            break;
        case 'n': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 0 || n > 256)
                return eco_cli_usage_error("serve", "--top wants a count from 0 to 256, not '%s'", optarg);
            o.top_n = (size_t)n;
            break;
        }
        case 'm': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 10000)
                return eco_cli_usage_error("serve", "--max-connections wants 1 to 10000, not '%s'", optarg);
            o.max_connections = (unsigned)n;
            break;
        }
        case 'q':
            o.quiet = 1;
            break;
        case 'h':
            usage();
            return 0;
        default:
            return eco_cli_usage_error("serve", "unknown option");
        }
    }
    if (optind < argc)
        return eco_cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    if (eco_cpu_cli_apply() != 0)
        return ECO_EXIT_USAGE;
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
