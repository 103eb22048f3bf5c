/* AMD GPUs through the amdgpu driver's hwmon files (<sys>/class/hwmon/hwmonN
 * with name "amdgpu"): energy1_input (uJ, a cumulative counter) where the
 * driver exposes it, else power1_average (uW, averaged by the GPU's firmware;
 * older kernels and GPUs) or power1_input (uW, instantaneous; RDNA3 and
 * later). One domain per GPU, named amdgpu-<n> in hwmon order; a row of the
 * hwmon family table (hwmon_rows.c). The device
 * name is the board's product_name when the driver gives it (FRU EEPROM of
 * server boards), else "AMD GPU <pci id> at <pci slot>".
 * Limitation: on several APUs (integrated GPUs) amdgpu's power1_average is
 * the whole socket's power, which RAPL's package also holds; ecometer does
 * not tell APUs apart yet, so such a machine can count that power twice. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors/hwmon_family.h"
#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"

static void device_name(const char *dir, char *out, size_t len)
{
    char path[PATH_MAX + 32], buf[128];
    eco_pathf(path, sizeof path, "%s/device/product_name", dir);
    if (eco_sysfs_read(path, buf, sizeof buf) == 0 && buf[0]) {
        snprintf(out, len, "%s", buf);
        return;
    }
    eco_hw_pci_desc(dir, "AMD GPU", out, len);
}

/* The amdgpu row's quirk: one domain per GPU, from the first file it has. */
void eco_hw_add_amdgpu(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev)
{
    static const struct {
        const char *file;
        enum eco_value_type type;
        double scale; /* counter units (uJ, unit_j 1e-6) or uW -> W */
    } pick[] = {{"energy1_input", ECO_VALUE_ENERGY_COUNTER, 1},
                {"power1_average", ECO_VALUE_POWER, 1e-6},
                {"power1_input", ECO_VALUE_POWER, 1e-6}};
    for (size_t k = 0; k < sizeof pick / sizeof pick[0]; k++) {
        char file[PATH_MAX + 32];
        unsigned long long v;
        if (eco_pathf(file, sizeof file, "%s/%s", dev->dir, pick[k].file) != 0 ||
            eco_sysfs_read_u64(file, &v) != 0)
            continue;
        size_t idx = c->l->n;
        struct eco_domain *d = eco_hw_add(c->l, file, NULL, pick[k].scale, dev->hwmon);
        if (!d)
            return;
        snprintf(d->name, sizeof d->name, "amdgpu-%zu", idx);
        device_name(dev->dir, d->device, sizeof d->device);
        d->kind = ECO_KIND_GPU;
        d->type = pick[k].type;
        if (d->type == ECO_VALUE_ENERGY_COUNTER) {
            d->unit_j = 1e-6;
            d->counter_max = 0; /* accumulated by the driver in 64 bits */
        }
        return;
    }
}

static int amd_probe(struct eco_sensor *s, struct eco_err *why)
{
    size_t seen = 0;
    if (eco_hw_family_probe(s, &seen) > 0)
        return 0;
    if (seen)
        eco_err_set(why, 1, "amdgpu hwmon found but without power or energy files");
    else
        eco_err_set(why, 1, "no AMD GPU (no hwmon device named amdgpu under %s/class/hwmon)",
                    eco_sysfs_root());
    eco_err_hint(why, seen ? "update the kernel: amdgpu reports power1_average or power1_input "
                             "since Linux 4.x"
                           : "only machines with an AMD GPU and the amdgpu driver have it");
    return -1;
}

const struct eco_sensor_ops eco_amdgpu_ops = {
    .name = "amdgpu",
    .probe = amd_probe,
    .read = eco_hw_family_read,
    .close = eco_hw_family_close,
};
