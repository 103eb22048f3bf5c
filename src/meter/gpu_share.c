/* The tree's share of a GPU (rules in gpu_share.h). */
#include "meter/gpu_share.h"

static int in_tree(unsigned pid, const pid_t *tree, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned)tree[i] == pid)
            return 1;
    return 0;
}

double eco_gpu_tree_share(const struct eco_gpu_proc *procs, size_t n, const pid_t *tree, size_t n_tree,
                          int *per_process)
{
    int have_util = 0;
    double all = 0, mine = 0;
    for (size_t i = 0; i < n; i++) {
        if (procs[i].sm_pct < 0)
            continue;
        have_util = 1;
        all += procs[i].sm_pct;
        if (in_tree(procs[i].pid, tree, n_tree))
            mine += procs[i].sm_pct;
    }
    if (per_process)
        *per_process = have_util;
    if (have_util)
        return all > 0 ? mine / all : 0;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!in_tree(procs[i].pid, tree, n_tree))
            return 0;
    return 1;
}

double eco_gpu_proc_power_w(const struct eco_gpu_proc *procs, size_t n, size_t k, double gpu_w)
{
    if (k >= n || procs[k].sm_pct < 0)
        return -1;
    double all = 0;
    for (size_t i = 0; i < n; i++)
        if (procs[i].sm_pct > 0)
            all += procs[i].sm_pct;
    return all > 0 && procs[k].sm_pct > 0 ? gpu_w * procs[k].sm_pct / all : 0;
}
