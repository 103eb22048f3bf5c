/* The agent's pieces: Prometheus rendering, CPU-share attribution to
 * processes and cgroups, the HTTP front (on loopback, port chosen by the OS). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meter/consumers.h"
#include "render/prometheus.h"
#include "serve/conn_guard.h"
#include "serve/http.h"
#include "test.h"

ECO_TEST(prom_renders_every_metric_with_help_and_type)
{
    struct eco_prom_domain d[2] = {
        {"package-0", "cpu-package", "Intel \"Xeon\"\\x", "measured", 1234.5, 61.25, 1},
        {"gpu-0", "gpu", "NVIDIA A100", "measured", 10, 300, 1},
    };
    struct eco_prom_consumer p[1] = {{"python3", "4242", 99.5}};
    struct eco_prom_consumer c[1] = {{"pod abc", "/kubepods.slice/x", 12}};
    struct eco_prom_snapshot s = {d, 2, p, 1, c, 1, 3.5, 56, "FR", 0.25, 1e6, 10, 1.7e9};
    char *out;
    size_t len;
    CHECK_INT(eco_prom_render(&s, &out, &len), 0);
    CHECK_INT(strlen(out), len);
    const char *names[] = {"ecometer_energy_joules_total", "ecometer_power_watts",
                           "ecometer_co2e_grams_total", "ecometer_process_energy_joules_total",
                           "ecometer_container_energy_joules_total",
                           "ecometer_agent_cpu_seconds_total",
                           "ecometer_agent_resident_memory_bytes"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char h[160];
        snprintf(h, sizeof h, "# HELP %s ", names[i]);
        CHECK(strstr(out, h) != NULL);
        snprintf(h, sizeof h, "# TYPE %s ", names[i]);
        CHECK(strstr(out, h) != NULL);
    }
    CHECK(strstr(out, "device=\"Intel \\\"Xeon\\\"\\\\x\"") != NULL);
    CHECK(strstr(out, "ecometer_power_watts{domain=\"package-0\",kind=\"cpu-package\"") != NULL);
    CHECK(strstr(out, "} 61.250000\n") != NULL);
    CHECK(strstr(out, "ecometer_process_energy_joules_total{pid=\"4242\",comm=\"python3\"} 99.5") != NULL);
    free(out);
}

ECO_TEST(cgroup_names_are_readable)
{
    char n[128];
    eco_cgroup_name("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b_3c4d.slice/cri-containerd-ff.scope",
                    n, sizeof n);
    CHECK_STR(n, "pod 1a2b-3c4d");
    eco_cgroup_name("/system.slice/docker-0123456789abcdef0123.scope", n, sizeof n);
    CHECK_STR(n, "docker 0123456789ab");
    eco_cgroup_name("/system.slice/slurmstepd.scope/job_4242/step_0", n, sizeof n);
    CHECK_STR(n, "slurm job 4242");
    eco_cgroup_name("/user.slice/user-1000.slice", n, sizeof n);
    CHECK_STR(n, "user-1000.slice");
}

ECO_TEST(consumer_ledger_splits_by_cpu_share)
{
    struct eco_consumer_ledger l = {0};
    struct eco_usage u[2] = {{"/a", "a", 10}, {"/b", "b", 20}};
    struct eco_usage_set s = {u, 2, 2};
    eco_consumer_ledger_update(&l, &s, 100, 4); /* first scan: starting points only */
    CHECK_NEAR(l.v[0].energy_j + l.v[1].energy_j, 0, 1e-12);
    u[0].cpu_s = 11; /* +1 s */
    u[1].cpu_s = 23; /* +3 s */
    eco_consumer_ledger_update(&l, &s, 100, 8); /* 8 busy s: a gets 1/8, b 3/8 */
    CHECK_NEAR(l.v[0].energy_j, 12.5, 1e-12);
    CHECK_NEAR(l.v[1].energy_j, 37.5, 1e-12);
    /* counters that add up to more than the busy time never hand out more than the energy */
    u[0].cpu_s = 21;
    u[1].cpu_s = 33;
    eco_consumer_ledger_update(&l, &s, 10, 5);
    CHECK_NEAR(l.v[0].energy_j, 17.5, 1e-12);
    CHECK_NEAR(l.v[1].energy_j, 42.5, 1e-12);
    size_t idx[2];
    CHECK_INT(eco_consumer_ledger_top(&l, idx, 2), 2);
    CHECK_INT(idx[0], 1);
    /* b goes away: keeps its energy, marked unseen */
    s.n = 1;
    eco_consumer_ledger_update(&l, &s, 0, 1);
    CHECK_INT(l.v[1].seen, 0);
    CHECK_NEAR(l.v[1].energy_j, 42.5, 1e-12);
    eco_consumer_ledger_free(&l);
}

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *p = path + strlen(dir) + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
}

ECO_TEST(cgroup_scan_on_a_fixture_tree)
{
    const char *t = eco_test_tmpdir();
    char proc[512], cg[512];
    snprintf(proc, sizeof proc, "%s/proc", t);
    snprintf(cg, sizeof cg, "%s/cgroup", t);
    write_file(t, "proc/stat", "cpu  100 0 50 1000 0 0 0 0 0 0\n");
    write_file(t, "proc/10/cgroup", "0::/system.slice/docker-abcdef0123456789.scope\n");
    write_file(t, "proc/11/cgroup", "0::/system.slice/docker-abcdef0123456789.scope\n");
    write_file(t, "proc/12/cgroup", "0::/user.slice\n");
    write_file(t, "proc/13/cgroup", "0::/../../etc\n");
    write_file(t, "cgroup/cgroup.controllers", "cpu memory\n");
    write_file(t, "cgroup/system.slice/docker-abcdef0123456789.scope/cpu.stat",
               "usage_usec 2500000\nuser_usec 2000000\n");
    write_file(t, "cgroup/user.slice/cpu.stat", "usage_usec 500000\n");
    setenv("ECOMETER_PROC_ROOT", proc, 1);
    setenv("ECOMETER_CGROUP_ROOT", cg, 1);
    struct eco_usage_set s = {0};
    struct eco_err e;
    CHECK_INT(eco_scan_cgroups(&s, &e), 0);
    CHECK_INT(s.n, 2); /* the docker scope once, user.slice; the ".." path refused */
    int docker = strcmp(s.v[0].name, "docker abcdef012345") == 0 ? 0 : 1;
    CHECK_STR(s.v[docker].name, "docker abcdef012345");
    CHECK_NEAR(s.v[docker].cpu_s, 2.5, 1e-12);
    double busy;
    CHECK_INT(eco_proc_busy_seconds(&busy, &e), 0);
    CHECK_NEAR(busy, 150.0 / (double)sysconf(_SC_CLK_TCK), 1e-12);
    eco_usage_set_free(&s);
    setenv("ECOMETER_CGROUP_ROOT", proc, 1); /* no cgroup.controllers there */
    CHECK(eco_scan_cgroups(&s, &e) != 0);
    CHECK(strstr(e.msg, "cgroup v2") != NULL);
    eco_usage_set_free(&s);
}

static int render_hello(void *ctx, char **body, size_t *len)
{
    (void)ctx;
    *body = strdup("ecometer_up 1\n");
    *len = strlen(*body);
    return 0;
}

/* One request over a fresh connection; returns the status code. */
static int http_get(unsigned port, const char *request, char *resp, size_t rlen)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        return -1;
    size_t off = 0, n = strlen(request);
    while (off < n) {
        ssize_t w = write(fd, request + off, n - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    size_t got = 0;
    ssize_t r;
    while (got + 1 < rlen && (r = read(fd, resp + got, rlen - 1 - got)) > 0)
        got += (size_t)r;
    resp[got] = 0;
    close(fd);
    int status = -1;
    sscanf(resp, "HTTP/1.%*d %d", &status);
    return status;
}

ECO_TEST(http_serves_metrics_and_refuses_the_rest)
{
    struct eco_err e;
    struct eco_http_opts o = {.listen = "127.0.0.1:0", .token = "s3cret"};
    struct eco_http *h = eco_http_start(&o, render_hello, NULL, &e);
    CHECK(h != NULL);
    unsigned port = eco_http_port(h);
    CHECK(port > 0);
    char resp[8192];
    CHECK_INT(http_get(port, "GET /metrics HTTP/1.0\r\n\r\n", resp, sizeof resp), 401);
    CHECK_INT(http_get(port, "GET /metrics HTTP/1.0\r\nAuthorization: Bearer nope\r\n\r\n", resp,
                       sizeof resp), 401);
    CHECK_INT(http_get(port, "GET /metrics HTTP/1.0\r\nAuthorization: Bearer s3cret\r\n\r\n", resp,
                       sizeof resp), 200);
    CHECK(strstr(resp, "ecometer_up 1") != NULL);
    CHECK(strstr(resp, "version=0.0.4") != NULL);
    CHECK_INT(http_get(port, "GET /nope HTTP/1.0\r\nAuthorization: Bearer s3cret\r\n\r\n", resp,
                       sizeof resp), 404);
    CHECK_INT(http_get(port, "DELETE /metrics HTTP/1.0\r\nAuthorization: Bearer s3cret\r\n\r\n",
                       resp, sizeof resp), 405);
    /* headers far beyond the per-connection limit are refused, not buffered */
    size_t big = 64 * 1024;
    char *req = malloc(big + 128);
    strcpy(req, "GET /metrics HTTP/1.0\r\nX-Pad: ");
    size_t l = strlen(req);
    memset(req + l, 'a', big);
    strcpy(req + l + big, "\r\n\r\n");
    int st = http_get(port, req, resp, sizeof resp);
    CHECK(st == 431 || st == 413 || st == 400 || st == -1);
    free(req);
    /* still serving after the bad requests */
    CHECK_INT(http_get(port, "GET /metrics HTTP/1.0\r\nAuthorization: Bearer s3cret\r\n\r\n", resp,
                       sizeof resp), 200);
    eco_http_stop(h);
}

ECO_TEST(http_listen_addresses)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int loop;
    struct eco_err e;
    CHECK_INT(eco_http_parse_listen("127.0.0.1:9464", &ss, &sl, &loop, &e), 0);
    CHECK_INT(loop, 1);
    CHECK_INT(eco_http_parse_listen("[::1]:9464", &ss, &sl, &loop, &e), 0);
    CHECK_INT(loop, 1);
    CHECK_INT(eco_http_parse_listen("0.0.0.0:9464", &ss, &sl, &loop, &e), 0);
    CHECK_INT(loop, 0);
    CHECK_INT(eco_http_parse_listen("localhost:1", &ss, &sl, &loop, &e), 0);
    CHECK_INT(loop, 1);
    CHECK(eco_http_parse_listen("9464", &ss, &sl, &loop, &e) != 0);
    CHECK_INT(e.code, 2);
    CHECK(eco_http_parse_listen("1.2.3.4:99999", &ss, &sl, &loop, &e) != 0);
    CHECK(eco_http_parse_listen("host.example:80", &ss, &sl, &loop, &e) != 0);
}

/* Issue 16: a scan that adds more consumers than the ledger holds makes it
 * grow (realloc) in the middle of an update; the energy must still land on
 * the entries (it once went through pointers into the old array). */
ECO_TEST(consumer_ledger_keeps_energy_when_it_grows)
{
    struct eco_consumer_ledger l = {0};
    struct eco_usage *u = calloc(300, sizeof *u);
    for (int i = 0; i < 300; i++) {
        snprintf(u[i].id, sizeof u[i].id, "%d", 1000 + i);
        snprintf(u[i].name, sizeof u[i].name, "p%d", i);
        u[i].cpu_s = 1; /* new after priming: its whole CPU time counts */
    }
    struct eco_usage_set s = {u, 1, 300};
    eco_consumer_ledger_update(&l, &s, 0, 1); /* primes with one consumer */
    s.n = 300;
    eco_consumer_ledger_update(&l, &s, 299, 299);
    double sum = 0;
    for (size_t i = 0; i < l.n; i++)
        sum += l.v[i].energy_j;
    CHECK_INT(l.n, 300);
    CHECK_NEAR(sum, 299, 1e-9);
    eco_consumer_ledger_free(&l);
    free(u);
}

/* Issue 16: a fork storm. Consumers gone from the scan leave the ledger
 * (their energy folded into gone_j) unless they are in the exported top N,
 * so the ledger stays as small as the live set plus N. */
ECO_TEST(consumer_ledger_prunes_gone_consumers)
{
    struct eco_consumer_ledger l = {0};
    struct eco_usage u[100];
    struct eco_usage_set s = {u, 100, 100};
    double handed_out = 0;
    size_t most = 0;
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < 100; i++) {
            snprintf(u[i].id, sizeof u[i].id, "%d", round * 100 + i);
            snprintf(u[i].name, sizeof u[i].name, "job");
            u[i].cpu_s = 0.01 * (i + 1);
        }
        double e = round ? 10 : 0;
        eco_consumer_ledger_update(&l, &s, e, 100);
        handed_out += round ? 10 * (0.01 * 5050) / 100 : 0;
        eco_consumer_ledger_prune(&l, 10);
        most = l.n > most ? l.n : most;
    }
    CHECK(most <= 110);
    CHECK(l.gone_n >= 4800);
    double sum = l.gone_j;
    for (size_t i = 0; i < l.n; i++)
        sum += l.v[i].energy_j;
    CHECK_NEAR(sum, handed_out, 1e-9);
    eco_consumer_ledger_free(&l);
}

static struct sockaddr_in v4(int last)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)last);
    return a;
}

/* Issue 16: who may hold the agent's slots (src/serve/conn_guard.h). No
 * socket here (descriptor -1): only the decisions. */
ECO_TEST(conn_guard_limits_addresses_keeps_slots_and_displaces_waiters)
{
    struct eco_conn_guard *g = eco_conn_guard_new(8, 2, 60.0); /* reserve: 1 slot */
    CHECK(g != NULL);
    struct sockaddr_in a[8];
    for (int i = 0; i < 8; i++)
        a[i] = v4(2 + i);
    void *h[16];
    int n = 0;
#define ADMIT(i) eco_conn_guard_admit(g, (struct sockaddr *)&a[i], sizeof a[i])
#define START(i) (h[n++] = eco_conn_guard_started(g, -1, (struct sockaddr *)&a[i]))
    CHECK(ADMIT(0) && START(0));
    CHECK(ADMIT(0) && START(0));
    CHECK(!ADMIT(0)); /* per-address limit */
    eco_conn_guard_headers_done(g, h[0]); /* a served client: never displaced */
    CHECK(ADMIT(1) && START(1));
    CHECK(ADMIT(1) && START(1));
    CHECK(ADMIT(2) && START(2));
    CHECK(ADMIT(2) && START(2));
    CHECK(ADMIT(3) && START(3)); /* 7 of 8: the last slot is kept for new addresses */
    CHECK(!ADMIT(3));
    CHECK(ADMIT(4) && START(4)); /* a new address takes it */
    unsigned long timed_out, displaced;
    eco_conn_guard_counts(g, &timed_out, &displaced);
    CHECK_INT(displaced, 0);
    CHECK(ADMIT(5)); /* all 8 taken: the longest waiter (h[1], not the served h[0]) is cut */
    eco_conn_guard_counts(g, &timed_out, &displaced);
    CHECK_INT(displaced, 1);
    eco_conn_guard_closed(g, h[1]); /* the library closes it */
    START(5);
    eco_conn_guard_closed(g, h[0]);
    CHECK(ADMIT(0)); /* closing frees the address's allowance */
#undef ADMIT
#undef START
    eco_conn_guard_free(g);
}

/* The header deadline: a connection still waiting for its headers past it is cut. */
ECO_TEST(conn_guard_cuts_a_connection_past_the_header_deadline)
{
    struct eco_conn_guard *g = eco_conn_guard_new(4, 2, 0.05);
    struct sockaddr_in a = v4(9);
    void *slow = eco_conn_guard_started(g, -1, (struct sockaddr *)&a);
    void *quick = eco_conn_guard_started(g, -1, (struct sockaddr *)&a);
    eco_conn_guard_headers_done(g, quick);
    unsigned long timed_out = 0, displaced;
    for (int i = 0; i < 100 && timed_out == 0; i++) {
        usleep(20000);
        eco_conn_guard_counts(g, &timed_out, &displaced);
    }
    CHECK_INT(timed_out, 1); /* the slow one only */
    eco_conn_guard_closed(g, slow);
    eco_conn_guard_closed(g, quick);
    eco_conn_guard_free(g);
}
