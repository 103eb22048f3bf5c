/* Reader of Slurm accounting output (`sacct --parsable2`, or --parsable with
 * its trailing '|'): a header line naming the columns, then one row per job
 * allocation and per job step, fields separated by '|'. Pure parsing of a
 * buffer, bounded (line length, fields, rows), no I/O; every line it cannot
 * use is kept with its number and the reason, never dropped silently.
 *
 * Jobs and steps: a row whose JobID has a '.' (123.batch, 123.extern, 123.0,
 * 123_4.0, 123+1.0) is a step of the allocation before the dot. The
 * allocation row carries what the estimate needs (Elapsed, NCPUS, AllocTRES,
 * ReqMem, and TotalCPU, which Slurm sums over the steps), so a job is counted
 * once, from its allocation row; its steps only add their largest MaxRSS
 * (which Slurm reports on steps) and are counted. Array tasks (123_4) and
 * heterogeneous components (123+1) are allocations of their own. A step whose
 * allocation row is not among the 64 jobs before it is reported as skipped.
 * See docs/METHODOLOGY.md, "Finished Slurm jobs". */
#ifndef ECO_CARBON_SACCT_H
#define ECO_CARBON_SACCT_H

#include <stddef.h>

#include "core/err.h"

/* Bounds: a longer line, more fields or more rows is refused (the line) or
 * stops the reading (rows), with a message. */
#define ECO_SACCT_MAX_LINE 65536
#define ECO_SACCT_MAX_FIELDS 512
#define ECO_SACCT_MAX_ROWS 2000000
/* Lines kept with their reason (further ones are only counted). */
#define ECO_SACCT_MAX_PROBLEMS 1000

struct eco_sacct_job {
    char id[64];            /* JobID of the allocation: 123, 123_4, 123+1 */
    char name[128];         /* JobName ("" without the column) */
    char partition[64];
    char nodelist[256];
    char state[32];
    size_t line;            /* line of the allocation row (1 = the header) */
    double elapsed_s;       /* Elapsed */
    double ncpus;           /* NCPUS, else AllocCPUS */
    double nnodes;          /* NNodes; -1 without it */
    double gpus;            /* GPUs in AllocTRES (gres/gpu); 0 without any */
    double mem_gb;          /* memory allocated, in Slurm's G units (GiB); -1 unknown */
    char mem_from[80];      /* "AllocTRES mem", "ReqMem per node x 2 nodes", ... */
    double total_cpu_s;     /* TotalCPU; -1 without it */
    double max_rss_gb;      /* largest MaxRSS over its steps (GiB); -1 without one */
    int steps;              /* step rows folded into it */
};

struct eco_sacct_problem {
    size_t line;
    char why[200];
};

struct eco_sacct {
    struct eco_sacct_job *jobs;
    size_t n_jobs;
    struct eco_sacct_problem *problems; /* lines skipped, first ECO_SACCT_MAX_PROBLEMS */
    size_t n_problems;                  /* kept in problems */
    size_t n_skipped;                   /* all lines skipped (>= n_problems) */
    size_t n_steps;                     /* step rows folded into their job */
};

/* Parse text (not NUL-terminated; len bytes). 0, or -1 with err (code 2)
 * when the input cannot be read at all: no header, a header without JobID,
 * Elapsed and NCPUS/AllocCPUS, a header too long; code 1 out of memory.
 * Bad rows are not errors: they are in problems. Free with eco_sacct_free
 * in both cases. */
int eco_sacct_parse(const char *text, size_t len, struct eco_sacct *out, struct eco_err *err);
void eco_sacct_free(struct eco_sacct *s);

/* Slurm's durations, [D-][HH:]MM:SS[.frac] (Elapsed, TotalCPU); also a
 * bare number of seconds. 0, or -1 when it is not one. */
int eco_slurm_duration(const char *s, double *seconds);
/* Slurm's memory sizes: NUMBER[K|M|G|T|P][n|c] (a bare number is M, as
 * Slurm's default unit), in G units (GiB). *per is 'n' (per node), 'c' (per
 * CPU) or 0. 0, or -1 when it is not one. */
int eco_slurm_mem(const char *s, double *gib, char *per);

#endif
