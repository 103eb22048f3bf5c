/* The generic hwmon source: the rows of the hwmon family table
 * (hwmon_rows.c) that belong to no device-specific source.
 *  - amd_energy (AMD Zen, Linux 5.8-5.12, removed in 5.13): energy<k>_input in uJ, labels
 *    "Esocket<N>" (one socket) and "Ecore<NNN>" (one core). Sockets become
 *    cpu-package domains (package-<N>); cores are left out (they are inside
 *    the socket and their socket is not given).
 *  - zenpower (out-of-tree, AMD Zen): power<k>_input in uW with labels
 *    "SVI2_P_Core" (cpu-core) and "SVI2_P_SoC" (soc), the two voltage
 *    regulators feeding the package: both top-level, their sum is the CPU.
 *  - ina3221 off a Jetson (ina3221.c): the board's rails; an input rail
 *    (*_IN) is the whole board and holds the others.
 *  - power_meter that is not NVIDIA Grace's: the whole server's power, which
 *    would hold every other domain without naming them; listed as not used.
 * amd_energy and zenpower read the same energy as RAPL, and an INA3221 CPU
 * rail the same power: those domains are used only when no other source
 * already measures the CPU (the registry's cpu_by). The rest of this source
 * does not depend on it. */
#include <stdio.h>
#include <string.h>

#include "sensors/hwmon_family.h"
#include "sensors/ina3221.h"
#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"

/* 1 (and a note) when another source measures the CPU already. */
static int cpu_gated(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev)
{
    if (!c->s->cpu_by)
        return 0;
    eco_hw_skip(c->l, "%s (the CPU is already measured by %s)", dev->name, c->s->cpu_by);
    c->l->n_gated++;
    return 1;
}

void eco_hw_add_amd_energy(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev)
{
    if (cpu_gated(c, dev))
        return;
    for (int k = 1; k <= 256; k++) {
        char lab[64], lpath[PATH_MAX + 32], vpath[PATH_MAX + 32];
        unsigned long long v;
        eco_pathf(lpath, sizeof lpath, "%s/energy%d_label", dev->dir, k);
        eco_pathf(vpath, sizeof vpath, "%s/energy%d_input", dev->dir, k);
        if (eco_sysfs_read(lpath, lab, sizeof lab) != 0 || strncmp(lab, "Esocket", 7) != 0 ||
            eco_sysfs_read_u64(vpath, &v) != 0)
            continue;
        struct eco_domain *d = eco_hw_add(c->l, vpath, NULL, 1, dev->hwmon);
        if (!d)
            return;
        snprintf(d->name, sizeof d->name, "package-%.20s", lab + 7);
        snprintf(d->device, sizeof d->device, "AMD CPU socket %.20s (amd_energy)", lab + 7);
        d->kind = ECO_KIND_CPU_PACKAGE;
        d->type = ECO_VALUE_ENERGY_COUNTER;
        d->unit_j = 1e-6;
        d->counter_max = 0; /* accumulated in 64 bits by the driver */
    }
}

void eco_hw_add_zenpower(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev)
{
    static const struct {
        const char *label, *name, *what;
        enum eco_kind kind;
    } vr[] = {{"SVI2_P_Core", "cpu-core-vr", "core", ECO_KIND_CPU_CORE},
              {"SVI2_P_SoC", "cpu-soc-vr", "SoC", ECO_KIND_SOC}};
    if (cpu_gated(c, dev))
        return;
    for (int k = 1; k <= 16; k++) {
        char lab[64], lpath[PATH_MAX + 32], vpath[PATH_MAX + 32];
        long long v;
        eco_pathf(lpath, sizeof lpath, "%s/power%d_label", dev->dir, k);
        eco_pathf(vpath, sizeof vpath, "%s/power%d_input", dev->dir, k);
        if (eco_sysfs_read(lpath, lab, sizeof lab) != 0 || eco_sysfs_read_i64(vpath, &v) != 0)
            continue;
        for (size_t r = 0; r < sizeof vr / sizeof vr[0]; r++) {
            if (strcmp(lab, vr[r].label) != 0)
                continue;
            struct eco_domain *d = eco_hw_add(c->l, vpath, NULL, 1e-6, dev->hwmon); /* uW */
            if (!d)
                return;
            snprintf(d->name, sizeof d->name, "%s", vr[r].name);
            snprintf(d->device, sizeof d->device, "AMD CPU %s regulator (zenpower %s)", vr[r].what,
                     dev->hwmon);
            d->kind = vr[r].kind;
        }
    }
}

void eco_hw_skip_power_meter(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev)
{
    (void)dev;
    eco_hw_skip(c->l, "power_meter (whole server)");
}

static int hw_probe(struct eco_sensor *s, struct eco_err *why)
{
    size_t seen = 0;
    if (eco_hw_family_probe(s, &seen) > 0) {
        /* an INA3221 input rail (kept only when nothing else measures the
         * CPU) is the whole board: the other rails are parts of it */
        int input = eco_nest_under_input_rail(s);
        if (input >= 0) {
            size_t n = strlen(s->note);
            snprintf(s->note + n, sizeof s->note - n, "%s%s is the whole board; the other domains are parts of it",
                     n ? "; " : "", s->domains[input].name);
        }
        return 0;
    }
    struct eco_hw_list *l = s->priv;
    if (l && l->n_gated > 0 && s->cpu_by) {
        eco_err_set(why, 1, "not used: the CPU is already measured by %s", s->cpu_by);
        eco_err_hint(why, "nothing to do: %s", l->skipped);
        return -1;
    }
    eco_err_set(why, 1, "no known hwmon power sensor (allowed: amd_energy, zenpower, ina3221 off a "
                        "Jetson)%s%s",
                l && l->skipped[0] ? "; not used: " : "", l ? l->skipped : "");
    eco_err_hint(why, "nothing to do: RAPL, NVML, Jetson, amdgpu, Intel GPUs and NVIDIA Grace have "
                      "their own sources");
    return -1;
}

const struct eco_sensor_ops eco_hwmon_ops = {
    .name = "hwmon",
    .probe = hw_probe,
    .read = eco_hw_family_read,
    .close = eco_hw_family_close,
};
