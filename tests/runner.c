/* The one test runner (`make check`): runs every registered C unit test and
 * every executable script in tests/e2e/, each in its own process with a
 * timeout, prints a line per test and ends with "N passed, N failed, N skipped".
 * A script exits 0 to pass, 77 to skip (printing why), anything else fails.
 * Usage: test_runner [SUBSTRING]  runs only the tests whose name contains it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

struct test {
    const char *name, *file;
    void (*fn)(void);
};
static struct test tests[4096];
static int n_tests;
static char srcdir[PATH_MAX];
static char tmpdir[PATH_MAX];

void eco_test_register(const char *name, const char *file, void (*fn)(void))
{
    if (n_tests < (int)(sizeof tests / sizeof tests[0]))
        tests[n_tests++] = (struct test){name, file, fn};
}

void eco_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "    %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(NULL);
    _exit(1);
}

void eco_test_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        eco_test_fail(__FILE__, __LINE__, "cannot write %s", path);
}

void eco_test_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("    skip: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(NULL);
    _exit(77);
}

const char *eco_test_srcdir(void) { return srcdir; }
const char *eco_test_tmpdir(void) { return tmpdir; }

static void rm_rf(const char *path)
{
    pid_t p = fork();
    if (p == 0) {
        execlp("rm", "rm", "-rf", "--", path, (char *)NULL);
        _exit(127);
    }
    if (p > 0)
        waitpid(p, NULL, 0);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run fn (a unit test) or argv (a script) in a child with a timeout. Returns
 * 0 pass, 77 skip, other fail. */
static int run_child(void (*fn)(void), char **argv, int timeout_s, const char *name)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/eco-test-%d-XXXXXX", (int)getpid());
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        setpgid(0, 0);
        setenv("ECO_TEST_TMPDIR", tmpdir, 1);
        char config_home[sizeof tmpdir + 16];
        snprintf(config_home, sizeof config_home, "%s/config", tmpdir);
        setenv("XDG_CONFIG_HOME", config_home, 1);
        if (fn) {
            fn();
            fflush(NULL);
            _exit(0);
        }
        if (chdir(srcdir) != 0)
            _exit(1);
        execv(argv[0], argv);
        fprintf(stderr, "    cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(1);
    }
    setpgid(pid, pid);
    int status = 0;
    double deadline = now() + timeout_s;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (now() > deadline) {
            fprintf(stderr, "    %s: timed out after %d s\n", name, timeout_s);
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            rm_rf(tmpdir);
            return 1;
        }
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    kill(-pid, SIGKILL); /* leftovers of the test's process group */
    rm_rf(tmpdir);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    fprintf(stderr, "    %s: killed by signal %d\n", name, WTERMSIG(status));
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    if (!getcwd(srcdir, sizeof srcdir))
        return 1;
    setenv("ECOMETER_SRC", srcdir, 1);
    char bin[PATH_MAX + 32];
    snprintf(bin, sizeof bin, "%s/build/ecometer", srcdir);
    setenv("ECOMETER_BIN", bin, 0);
    snprintf(bin, sizeof bin, "%s/build", srcdir);
    setenv("ECOMETER_BUILD", bin, 0);
    /* `sudo make check`: the suite's runs stay root's (ecometer run would run
     * commands as the sudo user); tests/e2e/sudo_run.sh sets these itself. */
    unsetenv("SUDO_UID");
    unsetenv("SUDO_GID");
    unsetenv("SUDO_USER");
    /* The suite never reads the settings of the person running it
     * (core/settings.h): no ECOMETER_REGION here, and XDG_CONFIG_HOME is
     * each test's own empty folder (set with ECO_TEST_TMPDIR); tests that
     * check settings write their own. */
    unsetenv("ECOMETER_REGION");
    unsetenv("ECOMETER_PUE");
    unsetenv("ECOMETER_INTERVAL");
    int passed = 0, failed = 0, skipped = 0;
    char *failures[4096];
    int n_fail = 0;

    for (int i = 0; i < n_tests; i++) {
        if (filter && !strstr(tests[i].name, filter) && !strstr(tests[i].file, filter))
            continue;
        double t0 = now();
        int rc = run_child(tests[i].fn, NULL, 60, tests[i].name);
        const char *tag = rc == 0 ? "PASS" : rc == 77 ? "SKIP" : "FAIL";
        printf("%s  %s (%s, %.2f s)\n", tag, tests[i].name, tests[i].file, now() - t0);
        fflush(stdout);
        if (rc == 0)
            passed++;
        else if (rc == 77)
            skipped++;
        else {
            failed++;
            if (n_fail < 4096)
                failures[n_fail++] = (char *)tests[i].name;
        }
    }

    /* End-to-end scripts: every executable file in tests/e2e, sorted by name. */
    char *scripts[1024];
    int n_scripts = 0;
    DIR *d = opendir("tests/e2e");
    struct dirent *de;
    while (d && (de = readdir(d)) && n_scripts < 1024) {
        if (de->d_name[0] == '.')
            continue;
        char path[PATH_MAX + 512];
        snprintf(path, sizeof path, "%s/tests/e2e/%s", srcdir, de->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & S_IXUSR))
            scripts[n_scripts++] = strdup(path);
    }
    if (d)
        closedir(d);
    qsort(scripts, (size_t)n_scripts, sizeof scripts[0], cmp_str);
    for (int i = 0; i < n_scripts; i++) {
        const char *base = strrchr(scripts[i], '/') + 1;
        if (filter && !strstr(base, filter))
            continue;
        char *sargv[] = {scripts[i], NULL};
        double t0 = now();
        int rc = run_child(NULL, sargv, 900, base);
        const char *tag = rc == 0 ? "PASS" : rc == 77 ? "SKIP" : "FAIL";
        printf("%s  e2e/%s (%.2f s)\n", tag, base, now() - t0);
        fflush(stdout);
        if (rc == 0)
            passed++;
        else if (rc == 77)
            skipped++;
        else {
            failed++;
            if (n_fail < 4096)
                failures[n_fail++] = (char *)base;
        }
    }
    if (n_fail) {
        printf("\nfailed:\n");
        for (int i = 0; i < n_fail; i++)
            printf("  %s\n", failures[i]);
    }
    printf("\n%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    for (int i = 0; i < n_scripts; i++) /* after the summary: failures[] points into them */
        free(scripts[i]);
    return failed ? 1 : 0;
}
