/* The descriptive part of a run result: id, host, OS, CPU, memory, command. */
#ifndef ECO_METER_RUN_INFO_H
#define ECO_METER_RUN_INFO_H

#include "meter/result.h"

struct eco_meter;

/* Fill id (time + random), kind, host, os, cpu_model, cpu_count, ram_gb
 * (GiB, from <proc>/meminfo), gpu_model/gpu_count (the meter's top-level GPU
 * domains; m may be NULL), command (argv joined, display only; argv may be
 * NULL), start_unix = now. Once per run: nothing in it changes meanwhile. */
void eco_run_info_fill(struct eco_run_result *r, const char *kind, char *const *argv, struct eco_meter *m);
/* Wall-clock seconds since the epoch (for start/end stamps). */
double eco_unix_now(void);

#endif
