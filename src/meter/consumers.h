/* Who used the machine: CPU time of processes (/proc/PID/stat) and of cgroup
 * v2 groups (/proc/PID/cgroup -> <cgroupfs>/PATH/cpu.stat usage_usec), and a
 * ledger that splits each interval's CPU energy between them by their share
 * of the machine's busy CPU time (/proc/stat). Used by `ecometer serve` for
 * per-process and per-container energy (a Kubernetes pod, a Slurm job, a
 * Docker container). Roots: ECOMETER_PROC_ROOT (default /proc) and
 * ECOMETER_CGROUP_ROOT (default $ECOMETER_SYSFS_ROOT/fs/cgroup, i.e.
 * /sys/fs/cgroup). */
#ifndef ECO_METER_CONSUMERS_H
#define ECO_METER_CONSUMERS_H

#include <stddef.h>

#include "core/err.h"
#include "sensors/sensor.h"

struct eco_usage {
    char id[256];       /* pid, or cgroup path ("/kubepods.slice/...") */
    char name[128];     /* comm, or a readable container name */
    double cpu_s;       /* cumulative CPU seconds */
};

struct eco_usage_set {
    struct eco_usage *v;
    size_t n, cap;
};

/* Machine busy CPU seconds (user+nice+system+irq+softirq+steal, all CPUs). */
int eco_proc_busy_seconds(double *out, struct eco_err *err);
/* Every process's cumulative CPU time. */
int eco_scan_processes(struct eco_usage_set *out, struct eco_err *err);
/* Every cgroup v2 group that holds at least one process, with its cumulative
 * CPU time from cpu.stat. Fails (err) when no cgroup v2 hierarchy is found. */
int eco_scan_cgroups(struct eco_usage_set *out, struct eco_err *err);
void eco_usage_set_free(struct eco_usage_set *s);
/* A readable name for a cgroup path: "pod 1234abcd-...", "docker 0123456789ab",
 * "slurm job 42", else the last path component. */
void eco_cgroup_name(const char *path, char *out, size_t len);

/* The domains whose energy processes share by CPU time: CPU packages (and a
 * Jetson's CPU rail), DRAM and estimated memory. A GPU's energy does not
 * follow CPU time. One rule for `serve` and `top`. */
int eco_kind_follows_cpu_time(enum eco_kind k);

/* Energy attributed per consumer, accumulated over intervals. */
struct eco_consumer_entry {
    char id[256];
    char name[128];
    double last_cpu_s;  /* CPU seconds at the previous update */
    double energy_j;    /* attributed so far */
    int seen;           /* present in the latest scan */
};

struct eco_consumer_ledger {
    struct eco_consumer_entry *v;
    size_t n, cap;
    int primed;         /* first scan only sets the starting points */
    double gone_j;      /* energy of the entries pruned (folded into one sum) */
    unsigned long gone_n; /* how many were pruned */
};

/* Split energy_j (the interval's CPU energy) by each consumer's CPU-time
 * delta over busy_s (the machine's busy CPU seconds in the interval). Shares
 * are capped so the sum never exceeds energy_j. Consumers gone from the scan
 * keep their energy but are marked unseen. */
void eco_consumer_ledger_update(struct eco_consumer_ledger *l, const struct eco_usage_set *scan,
                                double energy_j, double busy_s);
/* Indexes of the n largest consumers by energy (into idx, returns count). */
size_t eco_consumer_ledger_top(const struct eco_consumer_ledger *l, size_t *idx, size_t n);
/* Forget consumers gone from the latest scan, except those among the `keep`
 * largest (so the exported top N stays whole): their energy is folded into
 * gone_j. Without this the ledger grows with every process ever seen. */
void eco_consumer_ledger_prune(struct eco_consumer_ledger *l, size_t keep);
void eco_consumer_ledger_free(struct eco_consumer_ledger *l);

#endif
