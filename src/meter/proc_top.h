/* The processes using the CPU right now, for `ecometer top`: between two
 * scans of /proc (src/meter/consumers.c reads it), each process's share of
 * the machine's busy CPU time (utime + stime of the process over user + nice
 * + system + irq + softirq + steal of /proc/stat), the same share the meter's
 * attribution and `serve` use. The /proc root is ECOMETER_PROC_ROOT when set
 * (tests). */
#ifndef ECO_METER_PROC_TOP_H
#define ECO_METER_PROC_TOP_H

#include <stddef.h>
#include <sys/types.h>

struct eco_proc_share {
    pid_t pid;
    char comm[64];
    double share;    /* of the machine's busy CPU time over the last period, 0..1 */
    double cpu_pct;  /* of one CPU (100 = one core fully busy) */
};

struct eco_proc_cpu {
    pid_t pid;
    double cpu_s;
};

struct eco_proc_top {
    int have_prev;
    double prev_busy_s;
    struct eco_proc_cpu *prev;   /* sorted by pid */
    size_t n_prev;
};

void eco_proc_top_init(struct eco_proc_top *pt);
void eco_proc_top_free(struct eco_proc_top *pt);
/* Scan /proc; on the second and later scans fill out with at most max
 * processes that used CPU since the previous scan, largest share first, and
 * return how many. period_s is the time between the scans (for cpu_pct).
 * Returns 0 on the first scan, -1 when /proc cannot be read. */
int eco_proc_top_scan(struct eco_proc_top *pt, double period_s, struct eco_proc_share *out, size_t max);

/* The command name of pid (/proc/PID/comm without its newline), "?" when
 * the process is gone or hidden. */
void eco_proc_comm(pid_t pid, char *buf, size_t len);

#endif
