/* Attribution to a process tree on a fake /proc (ECOMETER_PROC_ROOT). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "meter/attribution.h"
#include "test.h"

static void put(const char *root, const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0755);
    *slash = '/';
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
}

/* utime stime cutime cstime in ticks */
static void proc(const char *root, int pid, const char *comm, int ppid, long ut, long st, long cut, long cst)
{
    char rel[64], text[512];
    snprintf(rel, sizeof rel, "%d/stat", pid);
    snprintf(text, sizeof text, "%d (%s) S %d %d %d 0 -1 4194560 100 0 0 0 %ld %ld %ld %ld 20 0 1 0 100 0 0\n", pid,
             comm, ppid, pid, pid, ut, st, cut, cst);
    put(root, rel, text);
}

static void cpu(const char *root, long user, long sys, long idle)
{
    char text[256];
    snprintf(text, sizeof text, "cpu  %ld 0 %ld %ld 0 0 0 0 0 0\ncpu0 %ld 0 %ld %ld 0 0 0 0 0 0\n", user, sys,
             idle, user, sys, idle);
    put(root, "stat", text);
}

static void gone(const char *root, int pid)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%d/stat", root, pid);
    unlink(path);
    snprintf(path, sizeof path, "%s/%d", root, pid);
    rmdir(path);
}

ECO_TEST(attribution_tree_share_with_children_coming_and_going)
{
    const char *root = eco_test_tmpdir();
    setenv("ECOMETER_PROC_ROOT", root, 1);
    long tck = sysconf(_SC_CLK_TCK);
    /* 1: init, 500: ecometer (the root, excluded), 501: the command, 600: unrelated */
    proc(root, 1, "init", 0, 10, 10, 0, 0);
    proc(root, 500, "ecometer", 1, 5, 5, 0, 0);
    proc(root, 501, "python3 (train) x", 500, 0, 0, 0, 0); /* comm with spaces and parens */
    proc(root, 600, "other", 1, 0, 0, 0, 0);
    cpu(root, 0, 0, 0);
    struct eco_attr a;
    eco_attr_init(&a, 500, 0, 1.0);
    CHECK_INT(eco_attr_scan(&a, 0, 0), 1);
    CHECK_INT(a.n_pids, 1);
    /* period 1: the command used 1 s, a child 502 appeared and used 1 s,
     * the unrelated process 2 s, ecometer itself 1 s: busy 5 s */
    eco_attr_add_energy(&a, 100, 0);
    proc(root, 501, "python3 (train) x", 500, tck, 0, 0, 0);
    proc(root, 502, "worker", 501, 0, tck, 0, 0);
    proc(root, 600, "other", 1, 2 * tck, 0, 0, 0);
    proc(root, 500, "ecometer", 1, 5 + tck, 5, 0, 0);
    cpu(root, 4 * tck, tck, 0);
    CHECK_INT(eco_attr_scan(&a, 0.5, 0), 0); /* not due yet */
    CHECK_INT(eco_attr_scan(&a, 1.0, 0), 1);
    CHECK_INT(a.n_pids, 2);
    CHECK_NEAR(a.last_share, 2.0 / 5.0, 1e-12);
    CHECK_NEAR(a.attributed_j, 40, 1e-9);
    /* period 2: 502 exits and is reaped by 501 (its 1 s + 1 s more move to
     * 501's cutime): no double counting; a grandchild 503 reparented to
     * ecometer after 501... stays in the tree through ecometer's cutime
     * when reaped. Tree used 1 s (502's extra) + 1 s (501) of 4 busy. */
    gone(root, 502);
    proc(root, 501, "python3 (train) x", 500, 2 * tck, 0, 2 * tck, 0);
    cpu(root, 8 * tck, tck, 0);
    eco_attr_add_energy(&a, 200, 50);
    CHECK_INT(eco_attr_scan(&a, 2.0, 0), 1);
    CHECK_NEAR(a.last_share, 2.0 / 4.0, 1e-12);
    CHECK_NEAR(a.attributed_j, 40 + 100, 1e-9); /* GPU side not attributed without a source */
    /* period 3: the command exits and ecometer reaps it: its 4 s land in
     * ecometer's cutime; the tree's time is unchanged, the share 0 */
    gone(root, 501);
    proc(root, 500, "ecometer", 1, 5 + tck, 5, 4 * tck, 0);
    cpu(root, 9 * tck, tck, 0);
    eco_attr_add_energy(&a, 10, 0);
    CHECK_INT(eco_attr_scan(&a, 3.0, 0), 1);
    CHECK_NEAR(a.last_share, 0, 1e-12);
    CHECK_NEAR(eco_attr_share(&a), 140.0 / 360.0, 1e-9);
    char m[200];
    CHECK(strstr(eco_attr_method(&a, m, sizeof m), "not attributed") != NULL);
    eco_attr_free(&a);
}

static double half(void *ctx, const pid_t *pids, size_t n)
{
    (void)ctx;
    return n > 0 && pids[0] > 0 ? 0.5 : -1;
}

ECO_TEST(attribution_gpu_share_source_and_root_included)
{
    const char *root = eco_test_tmpdir();
    setenv("ECOMETER_PROC_ROOT", root, 1);
    long tck = sysconf(_SC_CLK_TCK);
    proc(root, 42, "app", 1, 0, 0, 0, 0);
    cpu(root, 0, 0, 0);
    struct eco_attr a;
    eco_attr_init(&a, 42, 1, 1.0);
    eco_attr_set_gpu_share(&a, half, NULL);
    CHECK_INT(eco_attr_scan(&a, 0, 0), 1);
    proc(root, 42, "app", 1, tck, tck, 0, 0);
    cpu(root, 2 * tck, 2 * tck, 0);
    eco_attr_add_energy(&a, 100, 300);
    CHECK_INT(eco_attr_scan(&a, 1, 0), 1);
    CHECK_NEAR(a.last_share, 0.5, 1e-12);
    CHECK_NEAR(a.attributed_j, 50 + 150, 1e-9);
    char m[200];
    CHECK(strstr(eco_attr_method(&a, m, sizeof m), "per-process SM share") != NULL);
    /* the root vanished: the period's energy is seen but not attributed */
    gone(root, 42);
    eco_attr_add_energy(&a, 100, 0);
    CHECK_INT(eco_attr_scan(&a, 2, 0), -1);
    CHECK_NEAR(a.attributed_j, 200, 1e-9);
    CHECK_NEAR(eco_attr_share(&a), 200.0 / 500.0, 1e-9);
    eco_attr_free(&a);
}

static double own_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void burn_cpu(double s)
{
    double t0 = own_cpu_s();
    while (own_cpu_s() - t0 < s)
        ;
}

/* On the real /proc: a tree that is this process alone finds it, and its CPU
 * time is ours (the kernel's clock ticks against our own clock, within a few
 * ticks); 0.3 s burned shows as 0.3 s more; the machine's busy time counts it. */
ECO_TEST(attribution_real_proc_self)
{
    unsetenv("ECOMETER_PROC_ROOT");
    struct eco_attr a;
    eco_attr_init(&a, getpid(), 1, 1.0);
    burn_cpu(0.1);
    double tree0, busy0, mine0 = own_cpu_s();
    CHECK(eco_attr_tree_cpu(&a, &tree0) == 0);
    CHECK(eco_attr_busy_cpu(&a, &busy0) == 0);
    int found = 0;
    for (size_t i = 0; i < a.n_pids; i++)
        found |= a.pids[i] == getpid();
    CHECK(found);
    double tick = 1.0 / (double)sysconf(_SC_CLK_TCK);
    CHECK(tree0 >= mine0 - 3 * tick && tree0 <= mine0 + 3 * tick);
    burn_cpu(0.3);
    double tree1, busy1, mine1 = own_cpu_s();
    CHECK(eco_attr_tree_cpu(&a, &tree1) == 0);
    CHECK(eco_attr_busy_cpu(&a, &busy1) == 0);
    CHECK_NEAR(tree1 - tree0, mine1 - mine0, 6 * tick / (mine1 - mine0));
    CHECK(busy1 - busy0 >= tree1 - tree0 - 3 * tick); /* the machine was busy at least with us */
    CHECK(busy0 >= tree0);
    eco_attr_free(&a);
}

#include <signal.h>
#include <sys/wait.h>

static void burn(double s)
{
    struct timespec a, b; /* CPU time, not wall time: the machine may be busy */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    do
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    while ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9 < s);
}

ECO_TEST(attribution_real_tree_walk_finds_grandchildren)
{
    unsetenv("ECOMETER_PROC_ROOT");
    int pipefd[2];
    CHECK(pipe(pipefd) == 0);
    pid_t child = fork();
    if (child == 0) {
        pid_t grand = fork();
        if (grand == 0) {
            burn(0.2);
            pause();
            _exit(0);
        }
        if (write(pipefd[1], &grand, sizeof grand) != (ssize_t)sizeof grand)
            _exit(1);
        burn(0.2);
        pause();
        _exit(0);
    }
    pid_t grand = 0;
    CHECK(read(pipefd[0], &grand, sizeof grand) == (ssize_t)sizeof grand);
    struct eco_attr a;
    for (int k = 0; k < 100; k++) { /* until both have burned their 0.2 s of CPU */
        usleep(50000);
        double t;
        eco_attr_init(&a, getpid(), 0, 1.0);
        int ok = eco_attr_tree_cpu(&a, &t) == 0 && t >= 0.38;
        eco_attr_free(&a);
        if (ok)
            break;
    }
    eco_attr_init(&a, getpid(), 0, 1.0);
    double tree;
    int rc = eco_attr_tree_cpu(&a, &tree);
    int found_child = 0, found_grand = 0;
    for (size_t i = 0; i < a.n_pids; i++) {
        found_child |= a.pids[i] == child;
        found_grand |= a.pids[i] == grand;
    }
    kill(grand, SIGKILL);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    CHECK(rc == 0);
    CHECK(found_child && found_grand);
    CHECK(tree >= 0.38); /* both burned 0.2 s of CPU; clock ticks are 10 ms */
    eco_attr_free(&a);
}
