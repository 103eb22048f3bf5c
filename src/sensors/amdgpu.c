/* AMD GPUs through the amdgpu driver's hwmon files (<sys>/class/hwmon/hwmonN
 * with name "amdgpu"): energy1_input (uJ, a cumulative counter) where the
 * driver exposes it, else power1_average (uW, averaged by the GPU's firmware;
 * older kernels and GPUs) or power1_input (uW, instantaneous; RDNA3 and
 * later). One domain per GPU, named amdgpu-<n> in hwmon order. The device
 * name is the board's product_name when the driver gives it (FRU EEPROM of
 * server boards), else "AMD GPU <pci id> at <pci slot>".
 * Limitation: on several APUs (integrated GPUs) amdgpu's power1_average is
 * the whole socket's power, which RAPL's package also holds; ecometer does
 * not tell APUs apart yet, so such a machine can count that power twice. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors/hwmon_scan.h"
#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"

struct amd_gpu {
    char file[PATH_MAX];
};

struct amd_priv {
    size_t n;
    struct amd_gpu *g;
};

static void device_name(const char *dir, char *out, size_t len)
{
    char path[PATH_MAX + 32], buf[128], slot[64] = "", id[32] = "";
    eco_pathf(path, sizeof path, "%s/device/product_name", dir);
    if (eco_sysfs_read(path, buf, sizeof buf) == 0 && buf[0]) {
        snprintf(out, len, "%s", buf);
        return;
    }
    eco_pathf(path, sizeof path, "%s/device/uevent", dir);
    char ue[1024];
    if (eco_sysfs_read(path, ue, sizeof ue) == 0) {
        char *p = strstr(ue, "PCI_SLOT_NAME=");
        if (p)
            snprintf(slot, sizeof slot, "%.*s", (int)strcspn(p + 14, "\n"), p + 14);
    }
    eco_pathf(path, sizeof path, "%s/device/device", dir);
    eco_sysfs_read(path, id, sizeof id);
    snprintf(out, len, "AMD GPU%s%s%s%s", id[0] ? " " : "", id, slot[0] ? " at " : "", slot);
}

static void amd_close(struct eco_sensor *s)
{
    struct amd_priv *p = s->priv;
    if (p)
        free(p->g);
    free(p);
    s->priv = NULL;
}

static int amd_probe(struct eco_sensor *s, struct eco_err *why)
{
    size_t n = 0;
    struct eco_hwmon_dev *dev = eco_hwmon_list(&n);
    struct amd_priv *p = calloc(1, sizeof *p);
    if (!p) {
        free(dev);
        return eco_err_set(why, 1, "out of memory");
    }
    s->priv = p;
    p->g = calloc(n ? n : 1, sizeof *p->g);
    s->domains = calloc(n ? n : 1, sizeof *s->domains);
    if (!p->g || !s->domains) {
        free(dev);
        return eco_err_set(why, 1, "out of memory");
    }
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(dev[i].name, "amdgpu") != 0)
            continue;
        seen++;
        static const struct {
            const char *file;
            enum eco_value_type type;
        } pick[] = {{"energy1_input", ECO_VALUE_ENERGY_COUNTER},
                    {"power1_average", ECO_VALUE_POWER},
                    {"power1_input", ECO_VALUE_POWER}};
        struct amd_gpu *g = &p->g[p->n];
        struct eco_domain *d = &s->domains[p->n];
        int found = 0;
        for (size_t k = 0; k < 3 && !found; k++) {
            unsigned long long v;
            if (eco_pathf(g->file, sizeof g->file, "%s/%s", dev[i].dir, pick[k].file) == 0 &&
                eco_sysfs_read_u64(g->file, &v) == 0) {
                found = 1;
                d->type = pick[k].type;
            }
        }
        if (!found)
            continue;
        snprintf(d->name, sizeof d->name, "amdgpu-%zu", p->n);
        device_name(dev[i].dir, d->device, sizeof d->device);
        d->kind = ECO_KIND_GPU;
        d->method = ECO_MEASURED;
        d->parent = -1;
        if (d->type == ECO_VALUE_ENERGY_COUNTER) {
            d->unit_j = 1e-6;
            d->counter_max = 0; /* accumulated by the driver in 64 bits */
        }
        p->n++;
    }
    free(dev);
    s->n_domains = p->n;
    if (p->n == 0) {
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
    return 0;
}

static int amd_read(struct eco_sensor *s, struct eco_reading *out, struct eco_err *err)
{
    struct amd_priv *p = s->priv;
    size_t bad = 0;
    for (size_t i = 0; i < p->n; i++) {
        unsigned long long v;
        int rc = eco_sysfs_read_u64(p->g[i].file, &v);
        double val = rc != 0 ? 0 : s->domains[i].type == ECO_VALUE_POWER ? v / 1e6 : (double)v;
        out[i] = (struct eco_reading){rc == 0, val, eco_monotonic_s()};
        if (rc != 0) {
            bad++;
            eco_err_set(err, 1, "%s: %s: %s", s->domains[i].name, p->g[i].file,
                        rc == -EINVAL ? "not a number" : strerror(-rc));
        }
    }
    if (bad == p->n)
        return eco_err_set(err, 1, "the AMD GPUs' hwmon files vanished");
    return 0;
}

const struct eco_sensor_ops eco_amdgpu_ops = {
    .name = "amdgpu",
    .probe = amd_probe,
    .read = amd_read,
    .close = amd_close,
};
