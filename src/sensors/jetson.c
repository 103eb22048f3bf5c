/* NVIDIA Jetson boards: the INA3221 power monitors on the board's rails.
 * Two layouts:
 *  - JetPack 4 (L4T 32, NVIDIA's iio driver ina3221x, Jetson-only):
 *      <sys>/bus/i2c/drivers/ina3221x/<bus-addr>/iio:device<N>/
 *      rail_name_<k>, in_power<k>_input (mW), in_current<k>_input (mA),
 *      in_voltage<k>_input (mV); read here.
 *  - JetPack 5+ (L4T 34+, hwmon driver ina3221): a row of the hwmon family
 *    table (hwmon_rows.c, quirks in ina3221.c), taken by this source only on
 *    a Jetson; NC rails and disabled channels are left out there.
 * The board's input rail (VDD_IN, POM_5V_IN, or any name ending in _IN) is
 * the whole board: kind platform, top-level; every other rail is a part of it
 * (parent = the input rail). Boards without one (AGX Xavier: GPU, CPU, SOC,
 * CV, VDDRQ, SYS5V; AGX Orin: VDD_GPU_SOC, VDD_CPU_CV, VIN_SYS_5V0,
 * VDDQ_VDD2_1V8AO) have every rail top-level. Kinds: eco_rail_kind. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors/hwmon_family.h"
#include "sensors/ina3221.h"
#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"

/* One iio rail k of dev/io. */
static void add_iio_rail(struct eco_hw_list *l, const char *dev, const char *bus, const char *io, int k,
                         const char *model)
{
    char path[PATH_MAX], name[64], power[PATH_MAX], volt[PATH_MAX], curr[PATH_MAX], where[96];
    if (eco_pathf(path, sizeof path, "%s/%s/rail_name_%d", dev, io, k) != 0 ||
        eco_sysfs_read(path, name, sizeof name) != 0 || !name[0])
        return;
    if (strcmp(name, "NC") == 0) {
        eco_hw_skip(l, "NC rails (not connected)");
        return;
    }
    eco_pathf(power, sizeof power, "%s/%s/in_power%d_input", dev, io, k);
    eco_pathf(volt, sizeof volt, "%s/%s/in_voltage%d_input", dev, io, k);
    eco_pathf(curr, sizeof curr, "%s/%s/in_current%d_input", dev, io, k);
    long long v;
    int has_power = eco_sysfs_read_i64(power, &v) == 0;
    if (!has_power && (eco_sysfs_read_i64(volt, &v) != 0 || eco_sysfs_read_i64(curr, &v) != 0))
        return;
    snprintf(where, sizeof where, "%.60s channel %d", bus, k);
    struct eco_domain *d = has_power ? eco_hw_add(l, power, NULL, 1e-3, where) /* mW */
                                     : eco_hw_add(l, volt, curr, 1e-6, where); /* mV x mA */
    if (!d)
        return;
    snprintf(d->name, sizeof d->name, "%s", name);
    snprintf(d->device, sizeof d->device, "%.56s, INA3221 %.60s", model, where);
    d->kind = eco_rail_kind(name);
}

/* JetPack 4: iio devices under the ina3221x driver. */
static void scan_iio(struct eco_hw_list *l, const char *model)
{
    char drv[PATH_MAX];
    if (eco_sysfs_join(drv, sizeof drv, eco_sysfs_root(), "bus/i2c/drivers/ina3221x") != 0)
        return;
    DIR *d = opendir(drv);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char dev[PATH_MAX];
        if (de->d_name[0] == '.' || !strchr(de->d_name, '-') ||
            eco_pathf(dev, sizeof dev, "%s/%s", drv, de->d_name) != 0)
            continue;
        DIR *d2 = opendir(dev);
        if (!d2)
            continue;
        struct dirent *io;
        while ((io = readdir(d2)) != NULL)
            if (strncmp(io->d_name, "iio:device", 10) == 0)
                for (int k = 0; k < 8; k++)
                    add_iio_rail(l, dev, de->d_name, io->d_name, k, model);
        closedir(d2);
    }
    closedir(d);
}

static int jetson_probe(struct eco_sensor *s, struct eco_err *why)
{
    struct eco_hw_list *l = eco_hw_begin(s);
    if (!l)
        return eco_err_set(why, 1, "out of memory");
    char model[80];
    eco_board_model(model, sizeof model);
    scan_iio(l, model[0] ? model : "Jetson");
    eco_hw_run_rows(s);
    eco_hw_sort(l); /* readdir order is arbitrary: by device and channel */
    eco_hw_unique_names(l);
    if (eco_hw_finish(s) == 0) {
        eco_err_set(why, 1, "no Jetson power monitor (INA3221) under %s", eco_sysfs_root());
        eco_err_hint(why, "only NVIDIA Jetson boards have these rails; on a Jetson, check that the "
                          "ina3221 driver is loaded (JetPack 4: bus/i2c/drivers/ina3221x, "
                          "JetPack 5+: class/hwmon with name ina3221)");
        return -1;
    }
    int input = eco_nest_under_input_rail(s);
    size_t l0 = 0;
    if (input >= 0) {
        l0 = (size_t)snprintf(s->note, sizeof s->note, "%s is the whole board; the other rails are parts of it",
                              s->domains[input].name);
    } else {
        l0 = (size_t)snprintf(s->note, sizeof s->note, "no board input rail: the total is the sum of the rails");
    }
    if (l->skipped[0] && l0 < sizeof s->note)
        snprintf(s->note + l0, sizeof s->note - l0, "; not used: %.200s", l->skipped);
    return 0;
}

const struct eco_sensor_ops eco_jetson_ops = {
    .name = "jetson",
    .probe = jetson_probe,
    .read = eco_hw_family_read,
    .close = eco_hw_family_close,
};
