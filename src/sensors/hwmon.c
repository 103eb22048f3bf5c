/* Other hwmon power and energy sensors, only from drivers whose meaning is
 * known (an allow-list; anything else could hold a rail already counted, or
 * the same energy twice):
 *  - amd_energy (AMD Zen, Linux 5.8-5.12, removed in 5.13): energy<k>_input in uJ, labels
 *    "Esocket<N>" (one socket) and "Ecore<NNN>" (one core). Sockets become
 *    cpu-package domains (package-<N>); cores are left out (they are inside
 *    the socket and their socket is not given).
 *  - zenpower (out-of-tree, AMD Zen): power<k>_input in uW with labels
 *    "SVI2_P_Core" (cpu-core) and "SVI2_P_SoC" (soc), the two voltage
 *    regulators feeding the package: both top-level, their sum is the CPU.
 * Left out on purpose: amdgpu and ina3221 (their own sources), acpi
 * power_meter (the whole server's power: it would hold every other domain,
 * and ecometer cannot yet nest one source inside another), drivers of
 * batteries, chargers, fans, NVMe drives (temperatures only).
 * Both drivers read the same energy as RAPL, so the registry enables this
 * source only when no measured source already holds the CPU. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors/hwmon_scan.h"
#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"

struct hw_priv {
    size_t n;
    char (*file)[PATH_MAX];
};

static void hw_close(struct eco_sensor *s)
{
    struct hw_priv *p = s->priv;
    if (p)
        free(p->file);
    free(p);
    s->priv = NULL;
}

static struct eco_domain *add(struct eco_sensor *s, struct hw_priv *p, size_t cap, const char *file)
{
    if (p->n >= cap)
        return NULL;
    if (eco_pathf(p->file[p->n], sizeof p->file[p->n], "%s", file) != 0)
        return NULL;
    struct eco_domain *d = &s->domains[p->n++];
    memset(d, 0, sizeof *d);
    d->method = ECO_MEASURED;
    d->parent = -1;
    return d;
}

static int hw_probe(struct eco_sensor *s, struct eco_err *why)
{
    size_t n = 0;
    struct eco_hwmon_dev *dev = eco_hwmon_list(&n);
    enum { PER_DEV = 16 };
    size_t cap = n * PER_DEV;
    struct hw_priv *p = calloc(1, sizeof *p);
    if (!p) {
        free(dev);
        return eco_err_set(why, 1, "out of memory");
    }
    s->priv = p;
    p->file = calloc(cap ? cap : 1, sizeof *p->file);
    s->domains = calloc(cap ? cap : 1, sizeof *s->domains);
    if (!p->file || !s->domains) {
        free(dev);
        return eco_err_set(why, 1, "out of memory");
    }
    char skipped[160] = "";
    for (size_t i = 0; i < n; i++) {
        int energy = strcmp(dev[i].name, "amd_energy") == 0;
        int zen = strcmp(dev[i].name, "zenpower") == 0;
        if (!energy && !zen) {
            if (strcmp(dev[i].name, "power_meter") == 0 && !strstr(skipped, "power_meter")) {
                size_t l = strlen(skipped);
                snprintf(skipped + l, sizeof skipped - l, "%spower_meter (whole server)",
                         l ? ", " : "");
            }
            continue;
        }
        for (int k = 1; k <= 256; k++) {
            char lab[64], lpath[PATH_MAX + 32], vpath[PATH_MAX + 32];
            eco_pathf(lpath, sizeof lpath, "%s/%s%d_label", dev[i].dir, energy ? "energy" : "power", k);
            eco_pathf(vpath, sizeof vpath, "%s/%s%d_input", dev[i].dir, energy ? "energy" : "power", k);
            if (eco_sysfs_read(lpath, lab, sizeof lab) != 0)
                continue;
            unsigned long long v;
            if (eco_sysfs_read_u64(vpath, &v) != 0)
                continue;
            struct eco_domain *d = NULL;
            if (energy && strncmp(lab, "Esocket", 7) == 0 && (d = add(s, p, cap, vpath))) {
                snprintf(d->name, sizeof d->name, "package-%.20s", lab + 7);
                snprintf(d->device, sizeof d->device, "AMD CPU socket %.20s (amd_energy)", lab + 7);
                d->kind = ECO_KIND_CPU_PACKAGE;
                d->type = ECO_VALUE_ENERGY_COUNTER;
                d->unit_j = 1e-6;
                d->counter_max = 0; /* accumulated in 64 bits by the driver */
            } else if (zen && strcmp(lab, "SVI2_P_Core") == 0 && (d = add(s, p, cap, vpath))) {
                snprintf(d->name, sizeof d->name, "cpu-core-vr");
                snprintf(d->device, sizeof d->device, "AMD CPU core regulator (zenpower %s)",
                         dev[i].hwmon);
                d->kind = ECO_KIND_CPU_CORE;
                d->type = ECO_VALUE_POWER;
            } else if (zen && strcmp(lab, "SVI2_P_SoC") == 0 && (d = add(s, p, cap, vpath))) {
                snprintf(d->name, sizeof d->name, "cpu-soc-vr");
                snprintf(d->device, sizeof d->device, "AMD CPU SoC regulator (zenpower %s)",
                         dev[i].hwmon);
                d->kind = ECO_KIND_SOC;
                d->type = ECO_VALUE_POWER;
            }
        }
    }
    free(dev);
    s->n_domains = p->n;
    if (p->n == 0) {
        eco_err_set(why, 1, "no known hwmon power sensor (allowed: amd_energy, zenpower)%s%s",
                    skipped[0] ? "; not used: " : "", skipped);
        eco_err_hint(why, "nothing to do: RAPL, NVML, Jetson and amdgpu have their own sources");
        return -1;
    }
    if (skipped[0])
        snprintf(s->note, sizeof s->note, "not used: %s", skipped);
    return 0;
}

static int hw_read(struct eco_sensor *s, struct eco_reading *out, struct eco_err *err)
{
    struct hw_priv *p = s->priv;
    size_t bad = 0;
    for (size_t i = 0; i < p->n; i++) {
        unsigned long long v;
        int rc = eco_sysfs_read_u64(p->file[i], &v);
        double val = rc != 0 ? 0 : s->domains[i].type == ECO_VALUE_POWER ? v / 1e6 : (double)v;
        out[i] = (struct eco_reading){rc == 0, val, eco_monotonic_s()};
        if (rc != 0) {
            bad++;
            eco_err_set(err, 1, "%s: %s: %s", s->domains[i].name, p->file[i],
                        rc == -EINVAL ? "not a number" : strerror(-rc));
        }
    }
    if (bad == p->n)
        return eco_err_set(err, 1, "the hwmon sensors vanished");
    return 0;
}

const struct eco_sensor_ops eco_hwmon_ops = {
    .name = "hwmon",
    .probe = hw_probe,
    .read = hw_read,
    .close = hw_close,
};
