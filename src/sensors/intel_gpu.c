/* Intel discrete GPUs (Arc, Flex, Data Center GPU Max, Battlemage) through
 * the i915 and xe drivers' hwmon devices (Documentation/ABI/testing/
 * sysfs-driver-intel-i915-hwmon and sysfs-driver-intel-xe-hwmon):
 *  - energy1_input: i915: the whole device; xe: the card (label "card",
 *    Battlemage), in uJ;
 *  - energy2_input: xe only, the package (label "pkg"; the only energy
 *    channel on DG2/Arc A and Ponte Vecchio/Max under xe).
 * One domain per card: energy1 when the card has it (the card holds its
 * package, so taking both would count the package twice), else energy2.
 * The drivers accumulate the 32-bit hardware register into a 64-bit value,
 * so the file does not wrap. gt- and tile-level devices (i915_gt<N>, and
 * xe_gt<N>/xe_tile<N> where a kernel has them) repeat part of their card's
 * energy: listed as not used.
 * Independent of RAPL: a discrete GPU is never inside the CPU package. */
#include <stdio.h>
#include <string.h>

#include "sensors/hwmon_family.h"
#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"

void eco_hw_add_intel_gpu(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev)
{
    static const char *const what[] = {"card energy", "package energy"};
    for (int k = 1; k <= 2; k++) {
        char file[PATH_MAX + 32], pci[128];
        unsigned long long v;
        if (eco_pathf(file, sizeof file, "%s/energy%d_input", dev->dir, k) != 0 ||
            eco_sysfs_read_u64(file, &v) != 0)
            continue;
        size_t idx = c->l->n;
        struct eco_domain *d = eco_hw_add(c->l, file, NULL, 1, dev->hwmon);
        if (!d)
            return;
        snprintf(d->name, sizeof d->name, "intel-gpu-%zu", idx);
        eco_hw_pci_desc(dev->dir, "Intel GPU", pci, sizeof pci);
        snprintf(d->device, sizeof d->device, "%.80s (%.16s, %s)", pci, dev->name, what[k - 1]);
        d->kind = ECO_KIND_GPU;
        d->type = ECO_VALUE_ENERGY_COUNTER;
        d->unit_j = 1e-6;
        d->counter_max = 0; /* accumulated by the driver in 64 bits */
        return;
    }
}

void eco_hw_skip_intel_tile(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev)
{
    eco_hw_skip(c->l, "%s (a tile, inside its card)", dev->name);
}

static int igpu_probe(struct eco_sensor *s, struct eco_err *why)
{
    size_t seen = 0;
    if (eco_hw_family_probe(s, &seen) > 0)
        return 0;
    if (seen) {
        eco_err_set(why, 1, "Intel GPU hwmon found but without a readable energy file");
        eco_err_hint(why, "update the kernel (i915 has energy1_input since Linux 6.2, xe "
                          "energy2_input since 6.8); if the file is there, check that this user may read it");
    } else {
        eco_err_set(why, 1, "no Intel discrete GPU (no hwmon device named i915 or xe under %s/class/hwmon)",
                    eco_sysfs_root());
        eco_err_hint(why, "only machines with an Intel Arc, Flex, Max or Battlemage GPU have it "
                          "(i915 since Linux 6.2, xe since 6.8)");
    }
    return -1;
}

const struct eco_sensor_ops eco_intel_gpu_ops = {
    .name = "intel-gpu",
    .probe = igpu_probe,
    .read = eco_hw_family_read,
    .close = eco_hw_family_close,
};
