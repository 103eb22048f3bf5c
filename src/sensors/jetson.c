/* NVIDIA Jetson boards: the INA3221 power monitors on the board's rails.
 * Two layouts:
 *  - JetPack 4 (L4T 32, iio driver ina3221x):
 *      <sys>/bus/i2c/drivers/ina3221x/<bus-addr>/iio:device<N>/
 *      rail_name_<k>, in_power<k>_input (mW), in_current<k>_input (mA),
 *      in_voltage<k>_input (mV)
 *  - JetPack 5+ (L4T 34+, hwmon driver ina3221):
 *      <sys>/class/hwmon/hwmon<N>/ with name "ina3221",
 *      in<k>_label, in<k>_input (bus voltage, mV), curr<k>_input (mA);
 *      power = V x I. Channels without a label or labelled "sum of shunt
 *      voltages" are not rails and are skipped.
 * The board's input rail (VDD_IN, POM_5V_IN, or any name ending in _IN) is
 * the whole board: kind platform, top-level; every other rail is a part of it
 * (parent = the input rail). Boards without one (AGX Xavier: GPU, CPU, SOC,
 * CV, VDDRQ, SYS5V) have every rail top-level. Kinds from the rail's name:
 * CPU and GPU together (VDD_CPU_GPU_CV) or GPU and SOC (AGX Orin's
 * VDD_GPU_SOC) -> soc, GPU -> gpu, CPU (also AGX Orin's VDD_CPU_CV) ->
 * cpu-package, SOC -> soc, DDR/VDDRQ/VDDQ -> dram, anything else -> other. */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"

struct rail {
    char name[64];
    char power[PATH_MAX];   /* iio: in_power<k>_input (mW); empty for hwmon */
    char volt[PATH_MAX];    /* mV */
    char curr[PATH_MAX];    /* mA */
    char where[64];         /* "1-0040 channel 0" */
};

struct jetson_priv {
    size_t n, cap;
    struct rail *r;
};

static int add_rail(struct jetson_priv *p, const struct rail *r)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        struct rail *nr = realloc(p->r, cap * sizeof *nr);
        if (!nr)
            return -1;
        p->r = nr;
        p->cap = cap;
    }
    p->r[p->n++] = *r;
    return 0;
}

static int rail_watts(const struct rail *r, double *w)
{
    long long a, b;
    if (r->power[0]) {
        if (eco_sysfs_read_i64(r->power, &a) != 0)
            return -1;
        *w = a / 1e3;
        return 0;
    }
    if (eco_sysfs_read_i64(r->volt, &a) != 0 || eco_sysfs_read_i64(r->curr, &b) != 0)
        return -1;
    *w = (double)a * (double)b / 1e6;
    return 0;
}

/* JetPack 4: iio devices under the ina3221x driver. */
static void scan_iio(struct jetson_priv *p)
{
    char drv[PATH_MAX];
    if (eco_sysfs_join(drv, sizeof drv, eco_sysfs_root(), "bus/i2c/drivers/ina3221x") != 0)
        return;
    DIR *d = opendir(drv);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !strchr(de->d_name, '-'))
            continue;
        char dev[PATH_MAX];
        if (eco_pathf(dev, sizeof dev, "%s/%s", drv, de->d_name) != 0)
            continue;
        DIR *d2 = opendir(dev);
        if (!d2)
            continue;
        struct dirent *io;
        while ((io = readdir(d2)) != NULL) {
            if (strncmp(io->d_name, "iio:device", 10) != 0)
                continue;
            for (int k = 0; k < 8; k++) {
                struct rail r;
                memset(&r, 0, sizeof r);
                char path[PATH_MAX];
                if (eco_pathf(path, sizeof path, "%s/%s/rail_name_%d", dev, io->d_name, k) != 0 ||
                    eco_sysfs_read(path, r.name, sizeof r.name) != 0 || !r.name[0])
                    continue;
                eco_pathf(r.power, sizeof r.power, "%s/%s/in_power%d_input", dev, io->d_name, k);
                eco_pathf(r.volt, sizeof r.volt, "%s/%s/in_voltage%d_input", dev, io->d_name, k);
                eco_pathf(r.curr, sizeof r.curr, "%s/%s/in_current%d_input", dev, io->d_name, k);
                if (!eco_path_exists(r.power))
                    r.power[0] = 0;
                double w;
                if (rail_watts(&r, &w) != 0)
                    continue;
                snprintf(r.where, sizeof r.where, "%.20s channel %d", de->d_name, k);
                add_rail(p, &r);
            }
        }
        closedir(d2);
    }
    closedir(d);
}

/* JetPack 5+: hwmon devices named ina3221. */
static void scan_hwmon(struct jetson_priv *p)
{
    char cls[PATH_MAX];
    if (eco_sysfs_join(cls, sizeof cls, eco_sysfs_root(), "class/hwmon") != 0)
        return;
    DIR *d = opendir(cls);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, "hwmon", 5) != 0)
            continue;
        char dir[PATH_MAX], path[PATH_MAX], name[64];
        if (eco_pathf(dir, sizeof dir, "%s/%s", cls, de->d_name) != 0 ||
            eco_pathf(path, sizeof path, "%s/name", dir) != 0 ||
            eco_sysfs_read(path, name, sizeof name) != 0 || strcmp(name, "ina3221") != 0)
            continue;
        for (int k = 1; k <= 8; k++) {
            struct rail r;
            memset(&r, 0, sizeof r);
            if (eco_pathf(path, sizeof path, "%s/in%d_label", dir, k) != 0 ||
                eco_sysfs_read(path, r.name, sizeof r.name) != 0 || !r.name[0] ||
                strncmp(r.name, "sum of", 6) == 0)
                continue;
            eco_pathf(r.volt, sizeof r.volt, "%s/in%d_input", dir, k);
            eco_pathf(r.curr, sizeof r.curr, "%s/curr%d_input", dir, k);
            double w;
            if (rail_watts(&r, &w) != 0)
                continue;
            snprintf(r.where, sizeof r.where, "%.20s channel %d", de->d_name, k);
            add_rail(p, &r);
        }
    }
    closedir(d);
}

static int rail_cmp(const void *a, const void *b)
{
    return strverscmp(((const struct rail *)a)->where, ((const struct rail *)b)->where);
}

static int has(const char *upper, const char *word)
{
    return strstr(upper, word) != NULL;
}

static int is_input_rail(const char *upper)
{
    size_t n = strlen(upper);
    return strcmp(upper, "VDD_IN") == 0 || strcmp(upper, "POM_5V_IN") == 0 ||
           (n > 3 && strcmp(upper + n - 3, "_IN") == 0);
}

static enum eco_kind rail_kind(const char *name)
{
    char u[64];
    size_t i = 0;
    for (; name[i] && i < sizeof u - 1; i++)
        u[i] = (char)toupper((unsigned char)name[i]);
    u[i] = 0;
    if (is_input_rail(u))
        return ECO_KIND_PLATFORM;
    if ((has(u, "CPU") && has(u, "GPU")) || (has(u, "GPU") && has(u, "SOC")))
        return ECO_KIND_SOC;
    if (has(u, "GPU"))
        return ECO_KIND_GPU;
    if (has(u, "CPU"))
        return ECO_KIND_CPU_PACKAGE;
    if (has(u, "SOC"))
        return ECO_KIND_SOC;
    if (has(u, "DDR") || has(u, "VDDRQ") || has(u, "VDDQ"))
        return ECO_KIND_DRAM;
    return ECO_KIND_OTHER;
}

static void board_model(char *buf, size_t len)
{
    char path[PATH_MAX];
    buf[0] = 0;
    if (eco_sysfs_join(path, sizeof path, eco_sysfs_root(), "firmware/devicetree/base/model") == 0)
        eco_sysfs_read(path, buf, len);
    buf[strcspn(buf, "\n")] = 0;
    if (!buf[0])
        snprintf(buf, len, "Jetson");
}

static void jetson_close(struct eco_sensor *s)
{
    struct jetson_priv *p = s->priv;
    if (p)
        free(p->r);
    free(p);
    s->priv = NULL;
}

static int jetson_probe(struct eco_sensor *s, struct eco_err *why)
{
    struct jetson_priv *p = calloc(1, sizeof *p);
    if (!p)
        return eco_err_set(why, 1, "out of memory");
    s->priv = p;
    scan_iio(p);
    scan_hwmon(p);
    /* readdir order is arbitrary: sort by device and channel. */
    if (p->n > 1)
        qsort(p->r, p->n, sizeof *p->r, rail_cmp);
    if (p->n == 0) {
        eco_err_set(why, 1, "no Jetson power monitor (INA3221) under %s", eco_sysfs_root());
        eco_err_hint(why, "only NVIDIA Jetson boards have these rails; on a Jetson, check that the "
                          "ina3221 driver is loaded (JetPack 4: bus/i2c/drivers/ina3221x, "
                          "JetPack 5+: class/hwmon with name ina3221)");
        return -1;
    }
    s->domains = calloc(p->n, sizeof *s->domains);
    if (!s->domains)
        return eco_err_set(why, 1, "out of memory");
    s->n_domains = p->n;
    char model[96];
    board_model(model, sizeof model);
    int input = -1;
    for (size_t i = 0; i < p->n; i++) {
        struct eco_domain *d = &s->domains[i];
        snprintf(d->name, sizeof d->name, "%s", p->r[i].name);
        snprintf(d->device, sizeof d->device, "%.50s, INA3221 %.60s", model, p->r[i].where);
        d->kind = rail_kind(p->r[i].name);
        d->method = ECO_MEASURED;
        d->type = ECO_VALUE_POWER;
        d->parent = -1;
        if (d->kind == ECO_KIND_PLATFORM && input < 0)
            input = (int)i;
    }
    if (input >= 0) {
        for (size_t i = 0; i < p->n; i++)
            if ((int)i != input)
                s->domains[i].parent = input;
        snprintf(s->note, sizeof s->note, "%s is the whole board; the other rails are parts of it",
                 s->domains[input].name);
    } else {
        snprintf(s->note, sizeof s->note, "no board input rail: the total is the sum of the rails");
    }
    return 0;
}

static int jetson_read(struct eco_sensor *s, struct eco_reading *out, struct eco_err *err)
{
    struct jetson_priv *p = s->priv;
    size_t bad = 0;
    for (size_t i = 0; i < p->n; i++) {
        double w = 0;
        int rc = rail_watts(&p->r[i], &w);
        out[i] = (struct eco_reading){rc == 0, rc == 0 ? w : 0, eco_monotonic_s()};
        if (rc != 0) {
            bad++;
            eco_err_set(err, 1, "%s: power not readable", p->r[i].name);
        }
    }
    if (bad == p->n)
        return eco_err_set(err, 1, "the Jetson power monitors vanished");
    return 0;
}

const struct eco_sensor_ops eco_jetson_ops = {
    .name = "jetson",
    .probe = jetson_probe,
    .read = jetson_read,
    .close = jetson_close,
};
