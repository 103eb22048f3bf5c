/* Logical CPUs usable here: online CPUs, cgroup v2 cpu.max and cpuset (see
 * cpu_quota.h). The cgroup files are described in the kernel's
 * Documentation/admin-guide/cgroup-v2.rst: cpu.max is "$MAX $PERIOD" with
 * $MAX "max" for no limit, cpuset.cpus.effective a CPU list, and the
 * process's cgroup is the "0::PATH" line of /proc/self/cgroup. A quota set
 * on a parent cgroup limits its children too, so every level is read. */
#include "sensors/cpu_quota.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/numparse.h"
#include "core/safe_open.h"
#include "sensors/sensor.h"
#include "sensors/sysfs.h"

int eco_cpu_list_count(const char *text)
{
    int n = 0;
    const char *p = text;
    while (*p && *p != '\n') {
        uint64_t a, b;
        if (eco_num_next_u64(&p, 1 << 22, &a) != ECO_NUM_OK)
            return -1;
        b = a;
        if (*p == '-') {
            p++;
            if (eco_num_next_u64(&p, 1 << 22, &b) != ECO_NUM_OK)
                return -1;
        }
        if (b < a || b - a > 1 << 20)
            return -1;
        n += (int)(b - a + 1);
        if (*p == ',')
            p++;
        else if (*p && *p != '\n')
            return -1;
    }
    return n;
}

double eco_cpu_max_parse(const char *text)
{
    /* "$MAX $PERIOD\n", $MAX "max" or a positive quota in microseconds */
    const char *p = text;
    uint64_t quota = 0, period;
    if (strncmp(p, "max ", 4) == 0)
        p += 3;
    else if (eco_num_next_u64(&p, UINT64_MAX, &quota) != ECO_NUM_OK || quota == 0)
        return -1;
    if (*p != ' ')
        return -1;
    p++;
    if (eco_num_u64(p, 1, UINT64_MAX, ECO_NUM_NEWLINE, &period) != ECO_NUM_OK)
        return -1;
    return quota ? (double)quota / (double)period : 0;
}

double eco_memory_max_parse(const char *text)
{
    if (strncmp(text, "max", 3) == 0 && (text[3] == 0 || text[3] == '\n'))
        return 0;
    uint64_t b;
    if (eco_num_u64(text, 1, UINT64_MAX, ECO_NUM_NEWLINE, &b) != ECO_NUM_OK)
        return -1;
    return (double)b / (1024.0 * 1024.0 * 1024.0);
}

int eco_cpu_stat_usage(const char *text, unsigned long long *usec)
{
    const char *p = strstr(text, "usage_usec ");
    if (!p || (p != text && p[-1] != '\n'))
        return -1;
    p += 11;
    uint64_t v;
    if (eco_num_next_u64(&p, UINT64_MAX, &v) != ECO_NUM_OK || (*p && *p != '\n'))
        return -1;
    *usec = v;
    return 0;
}

/* Online CPUs: sysfs's list, else the per-CPU lines of /proc/stat. */
int eco_cpus_online(void)
{
    char path[PATH_MAX], buf[4096];
    if (eco_sysfs_join(path, sizeof path, eco_sysfs_root(), "devices/system/cpu/online") == 0 &&
        eco_sysfs_read(path, buf, sizeof buf) == 0) {
        int n = eco_cpu_list_count(buf);
        if (n > 0)
            return n;
    }
    if (eco_sysfs_join(path, sizeof path, eco_proc_root(), "stat") != 0)
        return 0;
    struct eco_err err; /* a FIFO or a device in a fake tree: unknown, never a hang */
    FILE *f = eco_fopen_regular(path, "r", "/proc/stat", &err);
    if (!f)
        return 0;
    int n = 0;
    char line[512];
    while (fgets(line, sizeof line, f))
        n += strncmp(line, "cpu", 3) == 0 && isdigit((unsigned char)line[3]);
    fclose(f);
    return n;
}

/* The "0::PATH" line of <proc>/self/cgroup into rel (no leading '/'); -1 when absent. */
static int own_cgroup(char *rel, size_t len)
{
    char path[PATH_MAX], buf[4096];
    if (eco_sysfs_join(path, sizeof path, eco_proc_root(), "self/cgroup") != 0 ||
        eco_sysfs_read(path, buf, sizeof buf) != 0)
        return -1;
    for (char *line = buf; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (strncmp(line, "0::", 3) == 0) {
            const char *p = line + 3;
            while (*p == '/')
                p++;
            if (strstr(p, "..")) /* outside our cgroup namespace: read the root */
                p = "";
            snprintf(rel, len, "%s", p);
            return 0;
        }
        line = nl ? nl + 1 : NULL;
    }
    return -1;
}

/* Walk from the process's cgroup up to the mount's root. */
static void read_cgroup_limits(struct eco_cpu_avail *a, const char *rel)
{
    char dir[PATH_MAX], path[PATH_MAX + 32], buf[4096];
    if (eco_pathf(dir, sizeof dir, "%s/fs/cgroup%s%s", eco_sysfs_root(), *rel ? "/" : "", rel) != 0)
        return;
    snprintf(a->cgroup, sizeof a->cgroup, "%s", dir);
    size_t root_len = strlen(dir) - strlen(rel) - (*rel ? 1 : 0);
    for (;;) {
        if (eco_pathf(path, sizeof path, "%s/cpu.max", dir) == 0 &&
            eco_sysfs_read(path, buf, sizeof buf) == 0) {
            double q = eco_cpu_max_parse(buf);
            if (q > 0 && (a->quota == 0 || q < a->quota)) {
                a->quota = q;
                buf[strcspn(buf, "\n")] = 0;
                snprintf(a->limit, sizeof a->limit, "cgroup cpu.max %.40s (/%.80s)", buf,
                         dir + root_len + (strlen(dir) > root_len));
            }
        }
        if (eco_pathf(path, sizeof path, "%s/memory.max", dir) == 0 &&
            eco_sysfs_read(path, buf, sizeof buf) == 0) {
            double gb = eco_memory_max_parse(buf);
            if (gb > 0 && (a->mem_max_gb == 0 || gb < a->mem_max_gb))
                a->mem_max_gb = gb;
        }
        if (!a->cpuset && eco_pathf(path, sizeof path, "%s/cpuset.cpus.effective", dir) == 0 &&
            eco_sysfs_read(path, buf, sizeof buf) == 0) {
            int n = eco_cpu_list_count(buf);
            a->cpuset = n > 0 ? n : 0;
        }
        char *slash = strrchr(dir, '/');
        if (strlen(dir) <= root_len || !slash || (size_t)(slash - dir) < root_len)
            break;
        *slash = 0;
    }
}

int eco_cpu_avail_read(struct eco_cpu_avail *a)
{
    memset(a, 0, sizeof *a);
    a->online = eco_cpus_online();
    char rel[PATH_MAX];
    if (own_cgroup(rel, sizeof rel) == 0)
        read_cgroup_limits(a, rel);
    /* a->limit holds the cpu.max text when a quota was found; replaced unless the quota wins */
    double cpus = a->online;
    int by = 'o';
    if (a->cpuset > 0 && (cpus == 0 || a->cpuset < cpus)) {
        cpus = a->cpuset;
        by = 's';
    }
    if (a->quota > 0 && (cpus == 0 || a->quota < cpus)) {
        cpus = a->quota;
        by = 'q';
    }
    if (by == 's')
        snprintf(a->limit, sizeof a->limit, "cgroup cpuset.cpus.effective: %d CPUs", a->cpuset);
    else if (by == 'o')
        snprintf(a->limit, sizeof a->limit, "%d CPU%s online", a->online,
                 a->online == 1 ? "" : "s");
    a->cpus = cpus;
    a->limited = a->online > 0 && cpus < a->online;
    return cpus > 0 ? 0 : -1;
}
