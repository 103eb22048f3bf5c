/* The process tree's share of one GPU, from the processes NVML reports on it
 * (src/sensors/nvml.h). Pure function, so the rule is tested on its own:
 * - with per-process SM utilisation: tree's SM % / all processes' SM %
 *   (0 when no process used the SMs);
 * - without it (old driver: only the list of compute processes): the whole
 *   GPU when every process on it belongs to the tree, else 0 (the split is
 *   unknown, so nothing is attributed rather than guessed);
 * - no process on the GPU: 0. */
#ifndef ECO_METER_GPU_SHARE_H
#define ECO_METER_GPU_SHARE_H

#include <stddef.h>
#include <sys/types.h>

#include "sensors/nvml.h"

/* Returns the share (0..1); *per_process (may be NULL) says which rule applied. */
double eco_gpu_tree_share(const struct eco_gpu_proc *procs, size_t n, const pid_t *tree, size_t n_tree,
                          int *per_process);

/* A process's part of a GPU's power in `top`, an attribution estimate and
 * never a measurement: the GPU's power x the process's SM utilisation / the
 * SM utilisation of all processes NVML reports on it (so the GPU's idle
 * power is shared in the same proportions). -1 when the driver gives no
 * per-process utilisation (procs[k].sm_pct < 0); 0 when no process used the
 * SMs. */
double eco_gpu_proc_power_w(const struct eco_gpu_proc *procs, size_t n, size_t k, double gpu_w);

#endif
