/* Every source's vtable (one file each under src/sensors/), listed once in
 * the registry's table (registry.c). */
#ifndef ECO_SENSORS_SOURCES_H
#define ECO_SENSORS_SOURCES_H

#include "sensors/sensor.h"

extern const struct eco_sensor_ops eco_rapl_ops;
extern const struct eco_sensor_ops eco_nvml_ops;
extern const struct eco_sensor_ops eco_jetson_ops;
extern const struct eco_sensor_ops eco_amdgpu_ops;
extern const struct eco_sensor_ops eco_intel_gpu_ops;
extern const struct eco_sensor_ops eco_grace_ops;
extern const struct eco_sensor_ops eco_hwmon_ops;
extern const struct eco_sensor_ops eco_cpu_estimate_ops;

#endif
