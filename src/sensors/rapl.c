/* RAPL through the powercap sysfs interface (Intel, and AMD Zen since Linux 5.11,
 * which use the same files): /sys/class/powercap/intel-rapl:* and
 * intel-rapl-mmio:*. One domain per zone: package-N, core-N, uncore-N,
 * dram-N, psys. Each is an energy counter in microjoules that wraps.
 *
 * Wrap modulus: counter_max = max_energy_range_uj + 1. energy_uj takes the
 * values 0..max_energy_range_uj, so an integer counter over that range wraps
 * from max to 0, i.e. modulo max+1 (PAPI uses max, Alumet max+1). The kernel
 * actually computes both numbers from a 32-bit register times an energy unit
 * (15.3 or 61 uJ), so the hardware's true modulus is max + one unit: either
 * choice is off by at most 61 uJ per wrap (2e-10 of the range), far below any
 * figure we print. tests/unit/test_sensors_rapl.c pins max+1.
 *
 * Nothing is counted twice: core and uncore are inside their package (parent
 * = the package; dram is nested under the package in sysfs but its energy is
 * not part of the package's, so it stays top-level); when a psys zone exists it holds the whole platform, so the
 * packages and dram get parent = psys. An intel-rapl-mmio zone that repeats a
 * name already given by intel-rapl (the same package read through MMIO) is
 * skipped. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors/cpuinfo.h"
#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"

/* When a zone publishes no power limit, assume it can draw this much: more
 * than any single CPU socket sold today (500 W class), so the derived
 * maximum interval is safe. */
#define RAPL_DEFAULT_MAX_W 1000.0
/* Power limits are averages; bursts above them are allowed (PL2/PL4). */
#define RAPL_LIMIT_MARGIN 2.0

struct zone {
    char id[64];          /* "intel-rapl:0:1" */
    char name[32];        /* contents of `name`: "package-0", "core", "dram", "psys" */
    char energy[PATH_MAX];
    unsigned long long max_range;
    double max_w;
    int mmio;
};

struct rapl_priv {
    size_t n;
    char (*energy)[PATH_MAX];
};

static int zone_cmp(const void *a, const void *b)
{
    const struct zone *x = a, *y = b;
    if (x->mmio != y->mmio)
        return x->mmio - y->mmio;
    return strverscmp(x->id, y->id);
}

static int is_zone(const char *d, int *mmio)
{
    if (strncmp(d, "intel-rapl:", 11) == 0) {
        *mmio = 0;
        return 1;
    }
    if (strncmp(d, "intel-rapl-mmio:", 16) == 0) {
        *mmio = 1;
        return 1;
    }
    return 0;
}

/* Largest power limit the zone publishes (W), or 0. */
static double zone_limit_w(const char *dir)
{
    static const char *const files[] = {"constraint_%d_max_power_uw", "constraint_%d_power_limit_uw"};
    double best = 0;
    for (int c = 0; c < 4; c++)
        for (size_t f = 0; f < 2; f++) {
            char rel[64], path[PATH_MAX + 64];
            snprintf(rel, sizeof rel, files[f], c);
            eco_pathf(path, sizeof path, "%s/%s", dir, rel);
            unsigned long long uw;
            if (eco_sysfs_read_u64(path, &uw) == 0 && uw / 1e6 > best)
                best = uw / 1e6;
        }
    return best;
}

/* "intel-rapl:0:1" -> "intel-rapl:0"; "" for a top-level zone. */
static void parent_id(const char *id, char *out, size_t len)
{
    const char *first = strchr(id, ':');
    const char *last = strrchr(id, ':');
    if (!first || first == last) {
        out[0] = 0;
        return;
    }
    size_t n = (size_t)(last - id);
    if (n >= len)
        n = len - 1;
    memcpy(out, id, n);
    out[n] = 0;
}

static void kind_of(const char *name, enum eco_kind *k)
{
    if (strncmp(name, "package", 7) == 0)
        *k = ECO_KIND_CPU_PACKAGE;
    else if (strcmp(name, "core") == 0)
        *k = ECO_KIND_CPU_CORE;
    else if (strcmp(name, "uncore") == 0)
        *k = ECO_KIND_CPU_UNCORE;
    else if (strncmp(name, "dram", 4) == 0)
        *k = ECO_KIND_DRAM;
    else if (strcmp(name, "psys") == 0)
        *k = ECO_KIND_PLATFORM;
    else
        *k = ECO_KIND_OTHER;
}

static int rapl_fail_perm(struct eco_err *why, const char *path)
{
    eco_err_set(why, 1,
                "RAPL is not readable: %s is readable by root only (Linux 5.10 and later, "
                "CVE-2020-8694)",
                path);
    eco_err_hint(why,
                 "run ecometer as root, or give a dedicated group (e.g. 'ecometer-rapl') read "
                 "access at boot with systemd-tmpfiles or a udev rule (docs/SECURITY.md); setcap "
                 "does not help for sysfs files; never make energy_uj world-readable. Meanwhile "
                 "the CPU is estimated from utilisation and TDP");
    return -1;
}

static int rapl_probe(struct eco_sensor *s, struct eco_err *why)
{
    char dir[PATH_MAX];
    if (eco_sysfs_join(dir, sizeof dir, eco_sysfs_root(), "class/powercap") != 0)
        return eco_err_set(why, 1, "ECOMETER_SYSFS_ROOT is too long");
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        if (e == EACCES)
            return rapl_fail_perm(why, dir);
        eco_err_set(why, 1, "no RAPL: %s: %s", dir, strerror(e));
        eco_err_hint(why, "RAPL needs an Intel or AMD x86 CPU on bare metal with the intel_rapl_msr "
                          "module loaded ('modprobe intel_rapl_msr'); virtual machines rarely "
                          "expose it");
        return -1;
    }
    struct zone *z = NULL;
    size_t nz = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        int mmio;
        if (!is_zone(de->d_name, &mmio) || strlen(de->d_name) >= sizeof z->id)
            continue;
        if (nz == cap) {
            cap = cap ? cap * 2 : 16;
            struct zone *nzp = realloc(z, cap * sizeof *z);
            if (!nzp) {
                closedir(d);
                free(z);
                return eco_err_set(why, 1, "out of memory listing RAPL zones");
            }
            z = nzp;
        }
        memset(&z[nz], 0, sizeof z[nz]);
        memcpy(z[nz].id, de->d_name, strlen(de->d_name) + 1);
        z[nz].mmio = mmio;
        nz++;
    }
    closedir(d);
    if (nz == 0) {
        free(z);
        eco_err_set(why, 1, "no RAPL zones in %s", dir);
        eco_err_hint(why, "the powercap directory exists but holds no intel-rapl zone: load "
                          "intel_rapl_msr ('modprobe intel_rapl_msr') on bare-metal x86");
        return -1;
    }
    qsort(z, nz, sizeof *z, zone_cmp);

    /* Read each zone's name, range and one energy value. */
    size_t kept = 0;
    char skipped[256] = "";
    for (size_t i = 0; i < nz; i++) {
        char zdir[PATH_MAX], path[PATH_MAX + 32];
        eco_pathf(zdir, sizeof zdir, "%s/%s", dir, z[i].id);
        eco_pathf(path, sizeof path, "%s/name", zdir);
        if (eco_sysfs_read(path, z[i].name, sizeof z[i].name) != 0 || !z[i].name[0])
            snprintf(z[i].name, sizeof z[i].name, "%s", z[i].id);
        eco_pathf(path, sizeof path, "%s/max_energy_range_uj", zdir);
        int rc = eco_sysfs_read_u64(path, &z[i].max_range);
        eco_pathf(z[i].energy, sizeof z[i].energy, "%s/energy_uj", zdir);
        unsigned long long v;
        int rc2 = eco_sysfs_read_u64(z[i].energy, &v);
        if (rc2 == -EACCES || rc == -EACCES) {
            char p[PATH_MAX];
            eco_pathf(p, sizeof p, "%s", rc2 == -EACCES ? z[i].energy : path);
            free(z);
            return rapl_fail_perm(why, p);
        }
        if (rc != 0 || rc2 != 0 || z[i].max_range == 0) {
            size_t l = strlen(skipped);
            snprintf(skipped + l, sizeof skipped - l, "%s%s", l ? ", " : "", z[i].id);
            continue;
        }
        if (z[i].mmio) {
            int dup = 0;
            for (size_t j = 0; j < kept; j++)
                if (!z[j].mmio && strcmp(z[j].name, z[i].name) == 0)
                    dup = 1;
            if (dup)
                continue;
        }
        z[i].max_w = zone_limit_w(zdir);
        z[kept++] = z[i];
    }
    if (kept == 0) {
        free(z);
        eco_err_set(why, 1, "no readable RAPL zone in %s (unreadable: %s)", dir, skipped);
        eco_err_hint(why, "check that energy_uj and max_energy_range_uj hold numbers");
        return -1;
    }

    struct rapl_priv *p = calloc(1, sizeof *p);
    s->domains = calloc(kept, sizeof *s->domains);
    if (p)
        p->energy = calloc(kept, sizeof *p->energy);
    if (!p || !s->domains || !p->energy) {
        if (p)
            free(p->energy);
        free(p);
        free(z);
        return eco_err_set(why, 1, "out of memory");
    }
    p->n = kept;
    s->priv = p;
    s->n_domains = kept;

    char model[128];
    if (eco_sensors_cpu_model(model, sizeof model) != 0)
        snprintf(model, sizeof model, "CPU");
    int psys = -1;
    for (size_t i = 0; i < kept; i++) {
        struct eco_domain *dm = &s->domains[i];
        memcpy(p->energy[i], z[i].energy, sizeof p->energy[i]);
        kind_of(z[i].name, &dm->kind);
        dm->method = ECO_MEASURED;
        dm->type = ECO_VALUE_ENERGY_COUNTER;
        dm->unit_j = 1e-6;
        dm->counter_max = (double)z[i].max_range + 1.0;
        double max_w = z[i].max_w > 0 ? z[i].max_w * RAPL_LIMIT_MARGIN : RAPL_DEFAULT_MAX_W;
        dm->max_interval_s = (double)z[i].max_range * 1e-6 / max_w;
        dm->parent = -1;
        /* Parent zone (nested id) and the package number it gives names. */
        char pid[64];
        parent_id(z[i].id, pid, sizeof pid);
        const char *pkg = NULL;
        for (size_t j = 0; j < i && pid[0]; j++)
            if (strcmp(z[j].id, pid) == 0) {
                /* core and uncore are inside the package's energy; dram is
                 * nested in sysfs but NOT in the package's energy. */
                if (dm->kind == ECO_KIND_CPU_CORE || dm->kind == ECO_KIND_CPU_UNCORE ||
                    dm->kind == ECO_KIND_OTHER)
                    dm->parent = (int)j;
                pkg = z[j].name;
            }
        const char *num = pkg && strncmp(pkg, "package-", 8) == 0 ? pkg + 8 : NULL;
        if (!num && strncmp(z[i].name, "package-", 8) == 0)
            num = z[i].name + 8;
        if (pkg && num)
            snprintf(dm->name, sizeof dm->name, "%s-%s", z[i].name, num);
        else
            snprintf(dm->name, sizeof dm->name, "%s", z[i].name);
        if (dm->kind == ECO_KIND_PLATFORM)
            snprintf(dm->device, sizeof dm->device, "platform (psys: SoC, memory and more)");
        else if (dm->kind == ECO_KIND_DRAM && num)
            snprintf(dm->device, sizeof dm->device, "memory of socket %s", num);
        else if (num)
            snprintf(dm->device, sizeof dm->device, "%.100s (socket %s)", model, num);
        else
            snprintf(dm->device, sizeof dm->device, "%.120s", model);
        if (dm->kind == ECO_KIND_PLATFORM && psys < 0)
            psys = (int)i;
    }
    /* Unique names: a second top-level "dram" becomes "dram@intel-rapl:1". */
    for (size_t i = 0; i < kept; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->domains[i].name, s->domains[j].name) == 0) {
                char tmp[64];
                snprintf(tmp, sizeof tmp, "%.30s@%.30s", s->domains[i].name, z[i].id);
                memcpy(s->domains[i].name, tmp, sizeof tmp);
            }
    if (psys >= 0)
        for (size_t i = 0; i < kept; i++)
            if ((int)i != psys && s->domains[i].parent < 0)
                s->domains[i].parent = psys;
    if (skipped[0])
        snprintf(s->note, sizeof s->note, "zones not readable, left out: %.200s", skipped);
    free(z);
    return 0;
}

static int rapl_read(struct eco_sensor *s, struct eco_reading *out, struct eco_err *err)
{
    struct rapl_priv *p = s->priv;
    size_t gone = 0;
    for (size_t i = 0; i < p->n; i++) {
        unsigned long long v;
        int rc = eco_sysfs_read_u64(p->energy[i], &v);
        out[i].t = eco_monotonic_s();
        out[i].ok = rc == 0;
        out[i].value = rc == 0 ? (double)v : 0;
        if (rc != 0) {
            if (rc == -ENOENT || rc == -ENODEV)
                gone++;
            eco_err_set(err, 1, "%s: %s: %s", s->domains[i].name, p->energy[i],
                        rc == -EINVAL ? "not a number" : strerror(-rc));
        }
    }
    if (gone == p->n)
        return eco_err_set(err, 1, "RAPL vanished: no energy_uj file is left");
    return 0;
}

static void rapl_close(struct eco_sensor *s)
{
    struct rapl_priv *p = s->priv;
    if (p)
        free(p->energy);
    free(p);
    s->priv = NULL;
}

const struct eco_sensor_ops eco_rapl_ops = {
    .name = "rapl",
    .probe = rapl_probe,
    .read = rapl_read,
    .close = rapl_close,
};
