/* The CPU and memory power model used when no sensor measures the CPU
 * (see cpu_estimate.c and docs/METHODOLOGY.md, "Estimated CPU power"). */
#ifndef ECO_SENSORS_CPU_ESTIMATE_H
#define ECO_SENSORS_CPU_ESTIMATE_H

/* Fitted on codecarbon's cpu_load_profiling measurements (four CPUs, RAPL
 * package energy vs load): P = TDP x (IDLE + SLOPE x load), load in [0,1].
 * Mean absolute percentage error 32% over the four CPUs (15-42% each);
 * plain P = TDP x load gives 44%, idle + power law 32% with unstable
 * parameters. tests/unit/test_cpu_curve.c recomputes these errors. */
#define ECO_CPU_IDLE_FRACTION 0.10
#define ECO_CPU_LOAD_SLOPE 0.66
/* Memory: 0.3725 W per GB (Green Algorithms, Lannelongue et al. 2021). */
#define ECO_MEMORY_W_PER_GB 0.3725

/* Fraction of TDP drawn at `load` (clamped to [0,1]). */
double eco_cpu_power_fraction(double load);

/* CPU time counters of the first line of a /proc/stat text; 0, or -1 when
 * it is not there. busy excludes idle and iowait. */
int eco_proc_stat_parse(const char *text, unsigned long long *busy, unsigned long long *total);

/* Load of a cgroup from its cpu.stat usage_usec growing by usec over dt_s
 * seconds with cpus CPUs usable, clamped to 1; -1 when dt_s or cpus is not > 0. */
double eco_cgroup_load(unsigned long long usec, double dt_s, double cpus);

struct eco_sensor_set;
/* Where the enabled CPU estimate's figures come from and how they were scaled
 * ("CPU power estimated, not measured: ..."), to print as a warning; NULL when
 * the CPU is not estimated. */
const char *eco_cpu_estimate_about(const struct eco_sensor_set *set);

#endif
