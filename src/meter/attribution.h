/* Attribution: the share of the machine's energy that belongs to a process
 * tree (the measured command and every descendant, as they come and go).
 *
 * Method (docs/METHODOLOGY.md, "Attribution to a process tree"):
 * - The tree is found by scanning /proc/<pid>/stat (ppid chains) from a root
 *   pid. Its CPU time = utime + stime + cutime + cstime of every live member:
 *   a descendant that exited and was reaped by a member is in that member's
 *   cutime/cstime, so it is counted once. `ecometer run` makes itself a child
 *   subreaper (orphans come back to it) and uses itself as the root with
 *   include_root = 0: its own cutime/cstime then holds every reaped
 *   descendant, and its own sampling time is left out.
 * - Machine busy CPU time: user + nice + system + irq + softirq + steal from
 *   /proc/stat (idle and iowait excluded).
 * - Between two scans, share = tree CPU time / busy CPU time (clamped to
 *   0..1), and the non-GPU energy of that period (CPU packages, DRAM, memory,
 *   SoC, platform) times that share is attributed.
 * - GPU energy: by the tree's share of GPU utilisation when a per-process
 *   source is installed (eco_attr_set_gpu_share); otherwise not attributed
 *   (share 0) and the method says so.
 * - Scans happen at most every `period_s` (default 1 s) to keep the meter
 *   cheap; energy between scans is accumulated and shared at the next scan.
 * The /proc root is ECOMETER_PROC_ROOT when set (tests), else /proc. */
#ifndef ECO_METER_ATTRIBUTION_H
#define ECO_METER_ATTRIBUTION_H

#include <stddef.h>
#include <sys/types.h>

/* Optional per-process GPU source: fraction (0..1) of GPU busy time that the
 * given pids used over the last period; return -1 if unknown. */
typedef double (*eco_gpu_share_fn)(void *ctx, const pid_t *pids, size_t n);

struct eco_attr {
    char proc_root[256];
    pid_t root;
    int include_root;
    double period_s;
    long ticks_per_s;
    int have_prev;
    double last_scan_t;
    double tree_prev_s, busy_prev_s;
    double acc_cpu_j, acc_gpu_j;   /* energy since the last scan */
    double attributed_j;           /* total attributed so far */
    double cpu_side_j, gpu_side_j; /* energy seen on each side */
    double last_share;             /* CPU share over the last period */
    pid_t *pids;                   /* tree members found by the last scan */
    size_t n_pids, cap_pids;
    size_t max_tree;               /* largest tree seen */
    int scan_failed;               /* /proc unreadable: nothing attributed */
    eco_gpu_share_fn gpu_share;
    void *gpu_ctx;
    double last_gpu_share;
    int gpu_share_known;
    int root_only_once;            /* next scan: the tree is known to be just the root */
};

void eco_attr_init(struct eco_attr *a, pid_t root, int include_root, double period_s);
void eco_attr_free(struct eco_attr *a);
void eco_attr_set_gpu_share(struct eco_attr *a, eco_gpu_share_fn fn, void *ctx);
/* Energy of the interval just sampled, split into GPU and non-GPU parts. */
void eco_attr_add_energy(struct eco_attr *a, double non_gpu_j, double gpu_j);
/* Scan /proc when period_s has passed since the last scan (or when force):
 * shares out the accumulated energy. t is monotonic seconds. Returns 1 if
 * it scanned, 0 if not yet due, -1 if /proc could not be read. */
int eco_attr_scan(struct eco_attr *a, double t, int force);
/* The caller knows the tree has no live descendant (before `run` forks;
 * after the command ended and nothing is left to reap): the next scan reads
 * only the root's /proc entry instead of every process. */
void eco_attr_tree_is_root_only(struct eco_attr *a);
/* Share of the energy seen so far that was attributed (0..1). */
double eco_attr_share(const struct eco_attr *a);
/* One line naming the method used, for the summary and the JSON. */
const char *eco_attr_method(const struct eco_attr *a, char *buf, size_t len);

/* Helpers, exposed for tests: CPU seconds of the tree; busy seconds of the machine. */
int eco_attr_tree_cpu(struct eco_attr *a, double *seconds);
int eco_attr_busy_cpu(const struct eco_attr *a, double *seconds);

#endif
