/* The hwmon families ecometer reads, one row each (see hwmon_family.h).
 * Only drivers whose meaning is known are here: anything else could hold a
 * rail already counted, or the same energy twice. Left out on purpose:
 * batteries, chargers, fans, NVMe drives and coretemp (temperatures only).
 * Order matters within one driver: the first row whose `mine` accepts a
 * device takes it. */
#include "sensors/hwmon_family.h"

const struct eco_hw_family eco_hw_families[] = {
    /* AMD GPUs: energy1_input, power1_average or power1_input (amdgpu.c) */
    {"amdgpu", "amdgpu", NULL, eco_hw_add_amdgpu},
    /* Intel discrete GPUs: energy<k>_input in uJ (intel_gpu.c); the gt/tile
     * level devices repeat part of their card's energy */
    {"i915", "intel-gpu", NULL, eco_hw_add_intel_gpu},
    {"xe", "intel-gpu", NULL, eco_hw_add_intel_gpu},
    {"i915_gt*", "intel-gpu", NULL, eco_hw_skip_intel_tile},
    {"xe_gt*", "intel-gpu", NULL, eco_hw_skip_intel_tile},
    {"xe_tile*", "intel-gpu", NULL, eco_hw_skip_intel_tile},
    /* NVIDIA Grace / Grace Hopper / Grace Blackwell: ACPI power meters that
     * name their rail in power1_oem_info (grace.c) */
    {"power_meter", "grace", eco_hw_is_grace, eco_hw_add_grace},
    /* any other ACPI power meter: the whole server, listed as not used */
    {"power_meter", "hwmon", eco_hw_not_grace, eco_hw_skip_power_meter},
    /* INA3221 rails: a Jetson's board rails on a Jetson, generic rails
     * elsewhere (ina3221.c) */
    {"ina3221", "jetson", eco_hw_on_jetson, eco_hw_add_ina3221},
    {"ina3221", "hwmon", eco_hw_not_on_jetson, eco_hw_add_ina3221},
    /* AMD Zen CPU sensors that repeat RAPL (hwmon.c): used only when no
     * other source measures the CPU */
    {"amd_energy", "hwmon", NULL, eco_hw_add_amd_energy},
    {"zenpower", "hwmon", NULL, eco_hw_add_zenpower},
};
const size_t eco_hw_n_families = sizeof eco_hw_families / sizeof eco_hw_families[0];
