/* Helpers for the sensor tests: point ECOMETER_SYSFS_ROOT / _PROC_ROOT /
 * ECOMETER_CPUINFO at a fixture board under tests/fixtures/<board>/ (sys/
 * and proc/), or at a writable copy of it in the test's temporary folder. */
#ifndef ECO_TEST_SENSORS_FIXTURE_H
#define ECO_TEST_SENSORS_FIXTURE_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sensors/sensor.h"
#include "test.h"

static char fx_root[PATH_MAX];

static inline void fx_point(const char *root)
{
    char p[PATH_MAX + 16];
    snprintf(fx_root, sizeof fx_root, "%s", root);
    snprintf(p, sizeof p, "%s/sys", root);
    setenv("ECOMETER_SYSFS_ROOT", p, 1);
    snprintf(p, sizeof p, "%s/proc", root);
    setenv("ECOMETER_PROC_ROOT", p, 1);
    snprintf(p, sizeof p, "%s/proc/cpuinfo", root);
    setenv("ECOMETER_CPUINFO", p, 1);
    /* No NVIDIA library on the test machine unless a test sets one. */
    setenv("ECOMETER_NVML_LIB", "/nonexistent/libnvidia-ml.so.1", 1);
}

/* Use the checked-in fixture read-only. */
static inline void fx_use(const char *board)
{
    char root[PATH_MAX];
    snprintf(root, sizeof root, "%s/tests/fixtures/%s", eco_test_srcdir(), board);
    fx_point(root);
}

/* Copy the fixture into the test's temporary folder and use the copy. */
static inline const char *fx_copy(const char *board)
{
    char src[PATH_MAX], dst[PATH_MAX];
    snprintf(src, sizeof src, "%s/tests/fixtures/%s", eco_test_srcdir(), board);
    snprintf(dst, sizeof dst, "%s/%s", eco_test_tmpdir(), board);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("cp", "cp", "-r", "--", src, dst, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        eco_test_fail(__FILE__, __LINE__, "cannot copy fixture %s", board);
    fx_point(dst);
    return fx_root;
}

/* Write text into <root>/<rel> (the copy). */
static inline void fx_write(const char *rel, const char *text)
{
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/%s", fx_root, rel);
    FILE *f = fopen(p, "w");
    if (!f)
        eco_test_fail(__FILE__, __LINE__, "cannot write %s", p);
    fputs(text, f);
    fclose(f);
}

static inline struct eco_sensor *fx_open(struct eco_sensor_set *set, const char *name)
{
    struct eco_err e;
    eco_err_clear(&e);
    if (eco_sensors_open(set, &e) != 0)
        eco_test_fail(__FILE__, __LINE__, "eco_sensors_open: %s", e.msg);
    struct eco_sensor *s = eco_sensors_find(set, name);
    if (!s)
        eco_test_fail(__FILE__, __LINE__, "no sensor %s in the registry", name);
    return s;
}

static inline int fx_domain(const struct eco_sensor *s, const char *name)
{
    for (size_t i = 0; i < s->n_domains; i++)
        if (strcmp(s->domains[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* mkdir -p <root>/<rel> (the copy). */
static inline void fx_mkdirs(const char *rel)
{
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/%s", fx_root, rel);
    for (char *c = p + strlen(fx_root) + 1; *c; c++)
        if (*c == '/') {
            *c = 0;
            mkdir(p, 0755);
            *c = '/';
        }
    mkdir(p, 0755);
}

/* One read of the sensor; the value of domain d, which must be readable. */
static inline double fx_read_one(struct eco_sensor *s, int d)
{
    struct eco_reading r[32];
    struct eco_err e;
    eco_err_clear(&e);
    CHECK(d >= 0 && s->n_domains <= 32);
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK(r[d].ok);
    return r[d].value;
}

#endif
