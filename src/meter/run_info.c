/* Describing the machine and the command of a run. */
#include "meter/run_info.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

double eco_unix_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void cpu_model(char *buf, size_t len)
{
    snprintf(buf, len, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) != 0 && strncmp(line, "Model", 5) != 0)
            continue;
        char *c = strchr(line, ':');
        if (!c)
            continue;
        c++;
        while (*c == ' ' || *c == '\t')
            c++;
        c[strcspn(c, "\n")] = '\0';
        snprintf(buf, len, "%s", c);
        break;
    }
    fclose(f);
}

/* Host name, kernel, CPU model and count, RAM. */
static void describe_machine(struct eco_run_result *r)
{
    if (gethostname(r->host, sizeof r->host - 1) != 0)
        snprintf(r->host, sizeof r->host, "unknown");
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(r->os, sizeof r->os, "%.30s %.60s %.30s", u.sysname, u.release, u.machine);
    cpu_model(r->cpu_model, sizeof r->cpu_model);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    r->cpu_count = n > 0 ? (int)n : 0;
    struct sysinfo si;
    if (sysinfo(&si) == 0)
        r->ram_gb = (double)si.totalram * si.mem_unit / 1e9;
}

void eco_run_info_fill(struct eco_run_result *r, const char *kind, char *const *argv)
{
    double now = eco_unix_now();
    int refresh = r->id[0] != 0;
    if (refresh) /* filled before: keep the id, the start and the machine */
        goto describe;
    r->start_unix = now;
    unsigned rnd = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &rnd, sizeof rnd) != (ssize_t)sizeof rnd)
            rnd = 0;
        close(fd);
    }
    if (!rnd)
        rnd = (unsigned)getpid() ^ (unsigned)(now * 1e6);
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    char id[sizeof r->id + 32];
    snprintf(id, sizeof id, "%.20s-%08x", stamp, rnd);
    memcpy(r->id, id, sizeof r->id - 1);
    r->id[sizeof r->id - 1] = '\0';
describe:
    snprintf(r->kind, sizeof r->kind, "%s", kind);
    /* The machine does not change during a run: a refresh keeps what the
     * first fill read (no second read of /proc/cpuinfo at every run's end). */
    if (!refresh || !r->cpu_model[0])
        describe_machine(r);
    r->command[0] = '\0';
    size_t used = 0;
    for (int i = 0; argv && argv[i]; i++) {
        int k = snprintf(r->command + used, sizeof r->command - used, "%s%s", i ? " " : "", argv[i]);
        if (k < 0 || (size_t)k >= sizeof r->command - used)
            break;
        used += (size_t)k;
    }
    r->gpu_count = 0;
    r->gpu_model[0] = '\0';
    for (size_t i = 0; i < r->n_domains; i++)
        if (r->domains[i].kind == ECO_KIND_GPU && r->domains[i].top_level) {
            if (!r->gpu_count)
                snprintf(r->gpu_model, sizeof r->gpu_model, "%s", r->domains[i].device);
            r->gpu_count++;
        }
}
