/* INA3221 rails (Linux hwmon driver ina3221, Documentation/hwmon/ina3221.rst):
 * in<k>_label names the rail, in<k>_input is its bus voltage (mV),
 * curr<k>_input its current (mA), power = V x I; in<k>_enable = 0 is a
 * channel switched off. Channels 1-3 are rails; in7 ("sum of shunt
 * voltages") and curr4 are not.
 *
 * Left out, as jtop does: channels without a label, labelled "NC" (not
 * connected: NVIDIA's device trees label unused inputs so) and disabled
 * ones. Two rails with one label get unique names ("_2" in device order).
 *
 * On a Jetson (the device tree's compatible says nvidia,tegra..., or its
 * model names a Jetson) the rails belong to the jetson source, which nests
 * them under the board's input rail. Elsewhere (an x86 board with an INA3221)
 * they belong to the generic hwmon source; there a rail that holds the CPU
 * (VDD_CPU, an input rail) is left out when another source (RAPL) already
 * measures the CPU, and a DDR rail when another source measures DRAM. */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sensors/hwmon_family.h"
#include "sensors/ina3221.h"
#include "sensors/sysfs.h"

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

enum eco_kind eco_rail_kind(const char *name)
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

/* The device tree's compatible is a list of NUL-separated strings. */
static int compatible_has(const char *needle)
{
    char path[PATH_MAX], buf[512];
    if (eco_sysfs_join(path, sizeof path, eco_sysfs_root(), "firmware/devicetree/base/compatible") != 0)
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1) {
        if (strncmp(buf + i, needle, strlen(needle)) == 0)
            return 1;
    }
    return 0;
}

void eco_board_model(char *buf, size_t len)
{
    char path[PATH_MAX];
    buf[0] = 0;
    if (eco_sysfs_join(path, sizeof path, eco_sysfs_root(), "firmware/devicetree/base/model") == 0)
        eco_sysfs_read(path, buf, len);
    buf[strcspn(buf, "\n")] = 0;
}

int eco_is_jetson(void)
{
    char model[128];
    eco_board_model(model, sizeof model);
    return compatible_has("nvidia,tegra") || strstr(model, "Jetson") != NULL ||
           strncmp(model, "NVIDIA ", 7) == 0;
}

int eco_hw_on_jetson(const struct eco_hwmon_dev *dev)
{
    (void)dev;
    return eco_is_jetson();
}

int eco_hw_not_on_jetson(const struct eco_hwmon_dev *dev)
{
    return !eco_hw_on_jetson(dev);
}

/* Why a rail of the generic source is left out, or NULL to keep it. */
static const char *gated(const struct eco_sensor *s, enum eco_kind kind)
{
    struct eco_domain probe = {.kind = kind};
    if (s->cpu_by && eco_domain_holds_cpu(&probe))
        return s->cpu_by;
    if (s->dram_by && kind == ECO_KIND_DRAM)
        return s->dram_by;
    return NULL;
}

static void add_channel(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev, int k, int jetson)
{
    char path[PATH_MAX + 32], label[64], volt[PATH_MAX + 32], curr[PATH_MAX + 32], where[96];
    unsigned long long en;
    if (eco_pathf(path, sizeof path, "%s/in%d_label", dev->dir, k) != 0 ||
        eco_sysfs_read(path, label, sizeof label) != 0 || !label[0])
        return;
    if (strcmp(label, "NC") == 0) {
        eco_hw_skip(c->l, "NC rails (not connected)");
        return;
    }
    if (eco_pathf(path, sizeof path, "%s/in%d_enable", dev->dir, k) == 0 &&
        eco_sysfs_read_u64(path, &en) == 0 && en == 0) {
        eco_hw_skip(c->l, "%s (channel disabled)", label);
        return;
    }
    long long v;
    eco_pathf(volt, sizeof volt, "%s/in%d_input", dev->dir, k);
    eco_pathf(curr, sizeof curr, "%s/curr%d_input", dev->dir, k);
    if (eco_sysfs_read_i64(volt, &v) != 0 || eco_sysfs_read_i64(curr, &v) != 0)
        return;
    enum eco_kind kind = eco_rail_kind(label);
    const char *by = jetson ? NULL : gated(c->s, kind);
    if (by) {
        eco_hw_skip(c->l, "%s (already measured by %s)", label, by);
        c->l->n_gated++;
        return;
    }
    snprintf(where, sizeof where, "%s channel %d", dev->hwmon, k);
    struct eco_domain *d = eco_hw_add(c->l, volt, curr, 1e-6, where);
    if (!d)
        return;
    snprintf(d->name, sizeof d->name, "%s", label);
    d->kind = kind;
    if (jetson) {
        char model[80];
        eco_board_model(model, sizeof model);
        snprintf(d->device, sizeof d->device, "%.56s, INA3221 %.60s", model[0] ? model : "Jetson", where);
    } else {
        snprintf(d->device, sizeof d->device, "INA3221 %s", where);
    }
}

void eco_hw_add_ina3221(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev)
{
    int jetson = strcmp(c->s->ops->name, "jetson") == 0;
    for (int k = 1; k <= 3; k++)
        add_channel(c, dev, k, jetson);
}

int eco_nest_under_input_rail(struct eco_sensor *s)
{
    int input = -1;
    for (size_t i = 0; i < s->n_domains && input < 0; i++)
        if (s->domains[i].kind == ECO_KIND_PLATFORM)
            input = (int)i;
    for (size_t i = 0; input >= 0 && i < s->n_domains; i++)
        if ((int)i != input && s->domains[i].parent < 0)
            s->domains[i].parent = input;
    return input;
}
