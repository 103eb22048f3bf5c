/* NVIDIA GPUs through NVML (nvml.c): what the meter needs beyond energy, for
 * attribution: each GPU's utilisation and memory, and per-process
 * utilisation where the driver gives it. `gpu` is the domain index in the
 * "nvml" sensor (eco_sensors_find(set, "nvml")). */
#ifndef ECO_SENSORS_NVML_H
#define ECO_SENSORS_NVML_H

#include <stddef.h>

#include "core/err.h"
#include "sensors/sensor.h"

struct eco_gpu_util {
    int gpu_pct;                 /* % of time a kernel ran over the driver's last period; -1 unknown */
    int mem_pct;                 /* % of time memory was read or written; -1 unknown */
    unsigned long long mem_used; /* bytes; 0 with mem_total 0 when unknown */
    unsigned long long mem_total;
};

struct eco_gpu_proc {
    unsigned pid;
    int sm_pct;                  /* share of the GPU's SMs this process used, %; -1 unknown */
    int mem_pct;                 /* memory-controller share, %; -1 unknown */
    unsigned long long used_bytes; /* GPU memory held (0 unknown) */
};

/* 0, or -1 with err (GPU lost, not supported...). */
int eco_nvml_utilisation(struct eco_sensor *s, size_t gpu, struct eco_gpu_util *out,
                         struct eco_err *err);

/* Processes on the GPU. With nvmlDeviceGetProcessUtilization: samples newer
 * than *since_us (an NVML time stamp, 0 = all the driver keeps), sm_pct and
 * mem_pct set, and *since_us advanced to the newest sample; otherwise (old
 * driver, not supported) the running compute processes with their memory
 * and sm_pct = -1. Fills up to cap entries, *n = how many. 0, or -1 with err. */
int eco_nvml_processes(struct eco_sensor *s, size_t gpu, unsigned long long *since_us,
                       struct eco_gpu_proc *out, size_t cap, size_t *n, struct eco_err *err);

#endif
