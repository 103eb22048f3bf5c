/* How many logical CPUs this process can actually use: the CPUs online, cut
 * down by the cgroup v2 CPU quota (cpu.max) and cpuset (cpuset.cpus.effective)
 * of the cgroup it runs in. The CPU estimate scales with this, as Green
 * Algorithms scales with the cores a job uses. Paths follow
 * ECOMETER_SYSFS_ROOT (cgroups under <sys>/fs/cgroup) and ECOMETER_PROC_ROOT
 * (<proc>/self/cgroup, <proc>/stat). */
#ifndef ECO_SENSORS_CPU_QUOTA_H
#define ECO_SENSORS_CPU_QUOTA_H

#include <limits.h>
#include <stddef.h>

struct eco_cpu_avail {
    int online;        /* logical CPUs online (<sys>/devices/system/cpu/online, else the
                        * cpuN lines of <proc>/stat); 0 when neither is readable */
    int cpuset;        /* CPUs in the cgroup's cpuset.cpus.effective; 0 when not set */
    double quota;      /* smallest quota/period of cpu.max along the cgroup path; 0 if "max" */
    double cpus;       /* what is usable: the smallest of the three that are known (> 0) */
    int limited;       /* 1 when the cgroup (quota or cpuset) gives fewer CPUs than online */
    double mem_max_gb; /* smallest memory.max along the cgroup path (GiB); 0 if "max" or none */
    char cgroup[PATH_MAX];  /* the cgroup directory of this process (for cpu.stat), "" if none */
    char limit[160];   /* what set cpus: "cgroup cpu.max 200000 100000 (/a/b)", "8 CPUs online" */
};

/* Logical CPUs online on this machine (the fixture's under ECOMETER_SYSFS_ROOT /
 * ECOMETER_PROC_ROOT): <sys>/devices/system/cpu/online, else the cpuN lines of
 * <proc>/stat; 0 when neither is readable. The run record's host.cpu_count. */
int eco_cpus_online(void);

/* Fill *a; 0, or -1 when not even the online CPUs are known (a->cpus is 0). */
int eco_cpu_avail_read(struct eco_cpu_avail *a);

/* Number of CPUs in a kernel CPU list ("0-3,8,10-11\n"); -1 when malformed. */
int eco_cpu_list_count(const char *text);
/* cpu.max text ("200000 100000", "max 100000") -> CPUs (2.0), 0 for "max";
 * -1 when malformed. */
double eco_cpu_max_parse(const char *text);
/* memory.max text ("2147483648", "max") -> GiB, 0 for "max"; -1 when malformed. */
double eco_memory_max_parse(const char *text);
/* usage_usec of a cgroup cpu.stat text; 0, or -1 when absent. */
int eco_cpu_stat_usage(const char *text, unsigned long long *usec);

#endif
