/* `ecometer estimate --sacct FILE|-`: the Green Algorithms estimate of every
 * finished Slurm job in sacct's output (see src/carbon/sacct.h for the reader
 * and src/carbon/sacct_map.h for the hardware of each job). */
#ifndef ECO_CLI_ESTIMATE_SACCT_H
#define ECO_CLI_ESTIMATE_SACCT_H

#include "carbon/intensity.h"
#include "carbon/posteriori.h"
#include "carbon/sacct_map.h"
#include "core/format.h"

struct eco_sacct_request {
    const char *path;             /* the sacct output, or "-" for stdin */
    const char *map_path;         /* --sacct-map FILE, or NULL */
    struct eco_sacct_hw flags_hw; /* the hardware flags, for jobs no map row matches */
    int have_flags_hw;            /* some hardware flag was given */
    struct eco_post_params base;  /* method, PUE, PSF, GPU usage */
    struct eco_intensity ci;
    enum eco_format format;
};

/* The flags that --sacct replaces, refused with it (each job has its own);
 * --sacct-map without --sacct. 0, or -1 after the usage error. */
int eco_sacct_check_flags(const char *sacct, int runtime, int cores, int gpus, int memory,
                          int cpu_usage, int compare);

/* Read, estimate, print (stdout; skipped lines on stderr). The exit code. */
int eco_estimate_sacct(const struct eco_sacct_request *q);

#endif
