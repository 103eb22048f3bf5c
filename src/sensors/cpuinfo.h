/* What the sensors need to know about this machine's CPU and memory: its
 * model string (for device names and the TDP lookup), its socket count, its
 * memory size. Paths follow ECOMETER_SYSFS_ROOT / ECOMETER_PROC_ROOT. */
#ifndef ECO_SENSORS_CPUINFO_H
#define ECO_SENSORS_CPUINFO_H

#include <stddef.h>

/* The CPU model string (src/hw: eco_cpu_model_here); 0, or -1 if unknown. */
int eco_sensors_cpu_model(char *buf, size_t len);
/* Distinct physical packages in <sysfs>/devices/system/cpu/cpuN/topology;
 * 1 when the topology is not there. */
int eco_sensors_cpu_sockets(void);
/* The same, 0 when the topology is not there (the count is not known). */
int eco_sensors_cpu_sockets_read(void);
/* MemTotal of <proc>/meminfo in GB (GiB, as memory is sold); -1 if unreadable. */
double eco_sensors_mem_gb(void);

#endif
