/* Describing the machine and the command of a run. */
#include "meter/run_info.h"

#include "hw/hardware.h"
#include "meter/meter.h"
#include "sensors/cpu_quota.h"
#include "sensors/cpuinfo.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

double eco_unix_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void eco_run_info_fill(struct eco_run_result *r, const char *kind, char *const *argv, struct eco_meter *m)
{
    double now = eco_unix_now();
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
    snprintf(r->kind, sizeof r->kind, "%s", kind);
    if (gethostname(r->host, sizeof r->host - 1) != 0)
        snprintf(r->host, sizeof r->host, "unknown");
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(r->os, sizeof r->os, "%.30s %.60s %.30s", u.sysname, u.release, u.machine);
    /* the readers the sensors use: a fixture machine describes its own CPU */
    if (eco_cpu_model_here(r->cpu_model, sizeof r->cpu_model) != 0)
        r->cpu_model[0] = '\0'; /* unknown: empty, as `sensors` gives null */
    r->cpu_count = eco_cpus_online(); /* as the CPU estimate counts them; 0: unknown */
    double gib = eco_sensors_mem_gb();
    r->ram_gb = gib > 0 ? gib : 0;
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
    for (size_t i = 0; m && i < eco_meter_n_domains(m); i++) {
        const struct eco_domain *d = eco_meter_domain(m, i);
        if (d->kind == ECO_KIND_GPU && d->parent == -1) {
            if (!r->gpu_count)
                snprintf(r->gpu_model, sizeof r->gpu_model, "%s", d->device);
            r->gpu_count++;
        }
    }
}
