/* NVIDIA Grace, Grace Hopper and Grace Blackwell: the firmware's ACPI power
 * meters (Linux driver power_meter, Documentation/hwmon/acpi_power_meter.rst),
 * one hwmon device per rail, power1_average in uW (averaged over
 * power1_average_interval ms), the rail named in power1_oem_info as
 * "<Rail> Power Socket <N>". The files sit on the ACPI device
 * (hwmonN/device/), or on the hwmon device itself. Rails (NVIDIA Grace
 * Performance Tuning Guide, "Power and Thermals", 2024):
 *   Module: the whole superchip module: Grace, the GPU(s), their memory
 *           and regulator losses (Grace Hopper and Grace Blackwell only)
 *   Grace:  the Grace socket with its LPDDR5X memory and regulator losses
 *   CPU:    the CPU cores' rail
 *   SysIO:  the SoC (uncore) rail
 * Nesting: CPU and SysIO inside Grace, Grace inside the module. The module
 * also holds the GPU that NVML measures: the nest op names module-<k> as
 * the container of NVML's GPUs, so the total counts the module once and the
 * GPU is shown inside it. A row of the hwmon family table (hwmon_rows.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/numparse.h"
#include "sensors/hwmon_family.h"
#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"

static const struct {
    const char *word, *name, *what;
    enum eco_kind kind;
} rails[] = {
    {"Module", "module", "superchip module (Grace, GPU, memory)", ECO_KIND_PLATFORM},
    {"Grace", "grace", "Grace CPU socket with its memory", ECO_KIND_CPU_PACKAGE},
    {"CPU", "cpu", "Grace CPU cores rail", ECO_KIND_CPU_CORE},
    {"SysIO", "sysio", "Grace SoC (SysIO) rail", ECO_KIND_CPU_UNCORE},
};
#define N_RAILS (sizeof rails / sizeof rails[0])

/* The rail index and socket named by the device's oem_info, or -1. */
static int rail_of(const struct eco_hwmon_dev *dev, unsigned *socket)
{
    char path[PATH_MAX + 32], info[128];
    if (eco_hw_attr(dev, "power1_oem_info", path, sizeof path) != 0 ||
        eco_sysfs_read(path, info, sizeof info) != 0)
        return -1;
    /* "WORD Power Socket N", N decimal and last */
    const char *sp = strchr(info, ' ');
    if (!sp || strncmp(sp, " Power Socket ", 14) != 0)
        return -1;
    const char *p = sp + 14;
    uint64_t n;
    if (eco_num_u64(p, 0, 4095, 0, &n) != ECO_NUM_OK)
        return -1;
    *socket = (unsigned)n;
    for (size_t r = 0; r < N_RAILS; r++)
        if (strlen(rails[r].word) == (size_t)(sp - info) && strncmp(info, rails[r].word, (size_t)(sp - info)) == 0)
            return (int)r;
    return -1;
}

int eco_hw_is_grace(const struct eco_hwmon_dev *dev)
{
    unsigned socket;
    return rail_of(dev, &socket) >= 0;
}

int eco_hw_not_grace(const struct eco_hwmon_dev *dev)
{
    return !eco_hw_is_grace(dev);
}

void eco_hw_add_grace(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev)
{
    unsigned socket;
    int r = rail_of(dev, &socket);
    char file[PATH_MAX + 32], where[96];
    long long v;
    if (r < 0 || eco_hw_attr(dev, "power1_average", file, sizeof file) != 0 || eco_sysfs_read_i64(file, &v) != 0)
        return;
    snprintf(where, sizeof where, "socket %u rail %d", socket, r); /* sort key: module first */
    struct eco_domain *d = eco_hw_add(c->l, file, NULL, 1e-6, where); /* uW */
    if (!d)
        return;
    snprintf(d->name, sizeof d->name, "%s-%u", rails[r].name, socket);
    snprintf(d->device, sizeof d->device, "NVIDIA Grace socket %u: %s (ACPI power meter %s)", socket,
             rails[r].what, dev->hwmon);
    d->kind = rails[r].kind;
}

/* Index of "<rail>-<socket>" in s, or -1. */
static int find(const struct eco_sensor *s, const char *rail, const char *socket)
{
    char name[64];
    snprintf(name, sizeof name, "%s-%s", rail, socket);
    for (size_t i = 0; i < s->n_domains; i++)
        if (strcmp(s->domains[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* CPU and SysIO inside Grace (else the module), Grace inside the module. */
static void nest_rails(struct eco_sensor *s)
{
    for (size_t i = 0; i < s->n_domains; i++) {
        struct eco_domain *d = &s->domains[i];
        const char *sock = strrchr(d->name, '-') + 1;
        int grace = find(s, "grace", sock), module = find(s, "module", sock);
        if (d->kind == ECO_KIND_CPU_CORE || d->kind == ECO_KIND_CPU_UNCORE)
            d->parent = grace >= 0 ? grace : module;
        else if (d->kind == ECO_KIND_CPU_PACKAGE)
            d->parent = module;
    }
}

static int grace_probe(struct eco_sensor *s, struct eco_err *why)
{
    struct eco_hw_list *l = eco_hw_begin(s);
    if (!l)
        return eco_err_set(why, 1, "out of memory");
    size_t seen = eco_hw_run_rows(s);
    eco_hw_sort(l);
    if (eco_hw_finish(s) == 0) {
        if (seen)
            eco_err_set(why, 1, "NVIDIA Grace power meters found but power1_average is not readable");
        else
            eco_err_set(why, 1, "no NVIDIA Grace power meter (no power_meter hwmon device whose "
                                "power1_oem_info names a Grace rail)");
        eco_err_hint(why, seen ? "check that this user may read power1_average (the driver makes it "
                                 "readable by all; a hardened system may not)"
                               : "only NVIDIA Grace, Grace Hopper and Grace Blackwell nodes have it; "
                                 "on one, load the acpi_power_meter module");
        return -1;
    }
    nest_rails(s);
    return 0;
}

/* NVML's GPUs in index order, spread evenly over the modules in socket
 * order (Grace Hopper: one per module; Grace Blackwell: two). */
static void grace_nest(struct eco_sensor *s, struct eco_sensor_set *set)
{
    struct eco_sensor *nv = eco_sensors_find(set, "nvml");
    int mods[64];
    size_t nmod = 0, ngpu = 0;
    for (size_t i = 0; i < s->n_domains && nmod < 64; i++)
        if (s->domains[i].kind == ECO_KIND_PLATFORM)
            mods[nmod++] = (int)i;
    if (!nv || !nv->enabled || nmod == 0)
        return;
    for (size_t g = 0; g < nv->n_domains; g++)
        ngpu += nv->domains[g].kind == ECO_KIND_GPU;
    size_t per = ngpu % nmod == 0 && ngpu ? ngpu / nmod : 1, k = 0;
    for (size_t g = 0; g < nv->n_domains; g++) {
        struct eco_domain *d = &nv->domains[g];
        if (d->kind != ECO_KIND_GPU || d->parent >= 0)
            continue;
        snprintf(d->inside, sizeof d->inside, "grace:%s", s->domains[mods[(k++ / per) % nmod]].name);
    }
    size_t n = strlen(s->note);
    snprintf(s->note + n, sizeof s->note - n, "%sthe modules hold NVML's %zu GPU%s (counted once, inside them)%s",
             n ? "; " : "", ngpu, ngpu == 1 ? "" : "s",
             ngpu % nmod ? "; GPUs do not divide evenly over the modules: assigned in turn" : "");
}

const struct eco_sensor_ops eco_grace_ops = {
    .name = "grace",
    .probe = grace_probe,
    .read = eco_hw_family_read,
    .close = eco_hw_family_close,
    .nest = grace_nest,
};
