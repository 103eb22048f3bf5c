/* The hardware of finished Slurm jobs (`ecometer estimate --sacct`): a small
 * TSV mapping partitions or node names to hardware rows, and the figures one
 * job's Green Algorithms estimate takes from its sacct row and its hardware.
 *
 * Map file (tab-separated, '#' comments, a header line naming the columns):
 *   match             cpu                  cpu_w_per_core  gpu              gpu_w
 *   partition=gpu     Intel Xeon Gold 6248                 A100 SXM4 40GB
 *   node=cpu-[0-9]*                        9.5
 * match: partition=NAME (the job's Partition, exactly) or node=GLOB (a shell
 * pattern matched against the NodeList text as sacct prints it). cpu/gpu:
 * names in ecometer's hardware tables; or cpu_w_per_core (W per allocated
 * CPU) / gpu_w (W per GPU). The first matching row wins. */
#ifndef ECO_CARBON_SACCT_MAP_H
#define ECO_CARBON_SACCT_MAP_H

#include <stddef.h>

#include "carbon/posteriori.h"
#include "carbon/sacct.h"
#include "core/err.h"
#include "hw/hardware.h"

struct eco_sacct_hw {
    char label[160];             /* "map line 3 (partition=gpu)", "flags" */
    const struct eco_cpu *cpu;   /* a table row (TDP / cores x NCPUS), or NULL */
    double cpu_w_per_core;       /* or W per allocated CPU; 0 when not given */
    const struct eco_gpu *gpu;   /* a table row (TDP per GPU), or NULL */
    double gpu_w;                /* or W per GPU; 0 when not given */
};

struct eco_sacct_map_row {
    int by_node;                 /* node=GLOB (1) or partition=NAME (0) */
    char pattern[128];
    struct eco_sacct_hw hw;
};

struct eco_sacct_map {
    struct eco_sacct_map_row *rows;
    size_t n;
};

/* Parse a map (text of len bytes; origin names it in messages). 0, or -1
 * with err (code 2) naming the line: unknown column, bad match, unknown
 * hardware name, a row with no hardware or a part given twice. */
int eco_sacct_map_parse(const char *text, size_t len, const char *origin, struct eco_sacct_map *m,
                        struct eco_err *err);
int eco_sacct_map_load(const char *path, struct eco_sacct_map *m, struct eco_err *err);
void eco_sacct_map_free(struct eco_sacct_map *m);
/* The first row matching the job, or NULL. */
const struct eco_sacct_hw *eco_sacct_map_find(const struct eco_sacct_map *m, const struct eco_sacct_job *j);

/* The Green Algorithms inputs of one job: base (method, PUE, PSF, GPU usage
 * from the flags) with the job's runtime (Elapsed), CPUs (NCPUS x the per-core
 * power of hw), CPU usage (TotalCPU / (Elapsed x NCPUS), at most 1), GPUs
 * (AllocTRES gres/gpu x hw's GPU power) and memory (AllocTRES mem or ReqMem).
 * 0, or -1 with err when hw cannot estimate this job (a GPU job without a GPU
 * power, nothing at all). */
int eco_sacct_job_params(const struct eco_sacct_job *j, const struct eco_sacct_hw *hw,
                         const struct eco_post_params *base, struct eco_post_params *p, struct eco_err *err);

#endif
