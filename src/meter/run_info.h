/* The descriptive part of a run result: id, host, OS, CPU, memory, command. */
#ifndef ECO_METER_RUN_INFO_H
#define ECO_METER_RUN_INFO_H

#include "meter/result.h"

/* Fill id (time + random), kind, host, os, cpu_model, cpu_count, ram_gb,
 * gpu_model/gpu_count (from the GPU domains already in r), command (argv
 * joined, display only; argv may be NULL), start_unix = now. Called again
 * on the same r, it keeps id and start_unix and refreshes the rest. */
void eco_run_info_fill(struct eco_run_result *r, const char *kind, char *const *argv);
/* Wall-clock seconds since the epoch (for start/end stamps). */
double eco_unix_now(void);

#endif
