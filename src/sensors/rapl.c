/* RAPL through the powercap sysfs interface (Intel, and AMD Zen since Linux
 * 5.11, which use the same files): every zone of the intel-rapl (MSR),
 * intel-rapl-tpmi (Xeon 6) and intel-rapl-mmio control types (layouts in
 * rapl_zones.h; names, kinds and nesting in rapl_names.h). One domain per
 * zone. Each is an energy counter in microjoules that wraps.
 *
 * Wrap modulus: counter_max = max_energy_range_uj + 1. energy_uj takes the
 * values 0..max_energy_range_uj, so an integer counter over that range wraps
 * from max to 0, i.e. modulo max+1 (PAPI uses max, Alumet max+1). The kernel
 * actually computes both numbers from a 32-bit register times an energy unit
 * (15.3 or 61 uJ), so the hardware's true modulus is max + one unit: either
 * choice is off by at most 61 uJ per wrap (2e-10 of the range), far below any
 * figure we print. tests/unit/test_sensors_rapl.c pins max+1.
 *
 * Permissions are per zone: a zone whose energy_uj cannot be read is left
 * out with its own reason (and fix, rapl_access.h) in the source's note, and
 * the others keep measuring; RAPL is off only when no zone reads. A zone
 * that repeats a domain already read through an earlier control type (the
 * package again through MMIO, or through MSR and TPMI) is the same energy:
 * it is skipped, readable or not. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors/cpuinfo.h"
#include "core/clock.h"
#include "sensors/rapl_access.h"
#include "sensors/rapl_names.h"
#include "sensors/rapl_zones.h"
#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"

/* When a zone publishes no power limit, assume it can draw this much: more
 * than any single CPU socket sold today (500 W class), so the derived
 * maximum interval is safe. */
#define RAPL_DEFAULT_MAX_W 1000.0
/* Power limits are averages; bursts above them are allowed (PL2/PL4). */
#define RAPL_LIMIT_MARGIN 2.0

struct rapl_priv {
    size_t n;
    char (*energy)[PATH_MAX];
};

static void append(char *buf, size_t len, const char *sep, const char *text)
{
    size_t l = strlen(buf);
    if (l + strlen(sep) + 1 < len)
        snprintf(buf + l, len - l, "%s%s", l ? sep : "", text);
}

/* 1 when domain name `name` is already among the first n of dm. */
static int taken(const struct eco_domain *dm, size_t n, const char *name)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(dm[k].name, name) == 0)
            return 1;
    return 0;
}

/* An unreadable zone that matters: no earlier zone of the same name failed
 * too, and no readable zone (of another control type) gives that domain. */
static int reported(const struct rapl_zone *z, const struct eco_domain *all, size_t i, const struct eco_domain *dm,
                    size_t nk)
{
    if (z[i].err == 0 || taken(dm, nk, all[i].name))
        return 0;
    for (size_t j = 0; j < i; j++)
        if (z[j].err != 0 && strcmp(all[j].name, all[i].name) == 0)
            return 0;
    return 1;
}

/* Unreadable zones grouped by reason: "package-1 (intel-rapl:1), dram-1
 * (intel-rapl:1:0): reason" into left; their fixes, once each, into fix. */
static void describe_left_out(const struct rapl_zone *z, size_t nz, const struct eco_domain *all,
                              const struct eco_domain *dm, size_t nk, char *left, size_t llen, char *fix, size_t flen)
{
    char (*reason)[512] = calloc(nz, sizeof *reason);
    char f[512], label[160];
    if (!reason)
        return;
    for (size_t i = 0; i < nz; i++)
        if (reported(z, all, i, dm, nk))
            rapl_zone_texts(z, nz, i, reason[i], sizeof reason[i], f, sizeof f);
    for (size_t i = 0; i < nz; i++) {
        int first = reason[i][0] != 0;
        for (size_t j = 0; j < i && first; j++)
            first = strcmp(reason[j], reason[i]) != 0;
        if (!first)
            continue;
        char group[768] = "";
        for (size_t j = i; j < nz; j++)
            if (strcmp(reason[j], reason[i]) == 0) {
                snprintf(label, sizeof label, "%.60s (%.60s)", all[j].name, z[j].id);
                append(group, sizeof group, ", ", label);
            }
        append(left, llen, "; ", group);
        append(left, llen, ": ", reason[i]);
        rapl_zone_texts(z, nz, i, reason[i], sizeof reason[i], f, sizeof f);
        if (f[0] && !strstr(fix, f))
            append(fix, flen, "; ", f);
    }
    free(reason);
}

/* Keep the readable zones, the first of each domain name (the same zone
 * through a later control type is a repeat). */
static size_t pick_zones(const struct rapl_zone *z, size_t nz, const struct eco_domain *all, size_t *zone_of,
                         struct eco_domain *dm)
{
    size_t nk = 0;
    for (size_t i = 0; i < nz; i++)
        if (z[i].err == 0 && !taken(dm, nk, all[i].name)) {
            dm[nk] = all[i];
            zone_of[nk++] = i;
        }
    return nk;
}

static void counter_setup(const struct rapl_zone *zi, struct eco_domain *dm)
{
    dm->method = ECO_MEASURED;
    dm->type = ECO_VALUE_ENERGY_COUNTER;
    dm->unit_j = 1e-6;
    dm->counter_max = (double)zi->max_range + 1.0;
    double max_w = zi->max_w > 0 ? zi->max_w * RAPL_LIMIT_MARGIN : RAPL_DEFAULT_MAX_W;
    dm->max_interval_s = (double)zi->max_range * 1e-6 / max_w;
}

/* Domains of the kept zones into s (and their files into its priv). */
static int build_domains(struct eco_sensor *s, const struct rapl_zone *z, const size_t *zone_of,
                         const struct eco_domain *dm, size_t nk, struct eco_err *why)
{
    struct rapl_priv *p = calloc(1, sizeof *p);
    s->domains = calloc(nk, sizeof *s->domains);
    if (p)
        p->energy = calloc(nk, sizeof *p->energy);
    if (!p || !s->domains || !p->energy) {
        if (p)
            free(p->energy);
        free(p);
        return eco_err_set(why, 1, "out of memory");
    }
    for (size_t k = 0; k < nk; k++) {
        s->domains[k] = dm[k];
        counter_setup(&z[zone_of[k]], &s->domains[k]);
        memcpy(p->energy[k], z[zone_of[k]].energy, sizeof p->energy[k]);
    }
    p->n = nk;
    s->priv = p;
    s->n_domains = nk;
    return 0;
}

/* Domain names stay unique: a second "dram" becomes "dram@intel-rapl:1". */
static void unique_names(struct eco_domain *all, const struct rapl_zone *z, size_t nz)
{
    for (size_t i = 0; i < nz; i++)
        for (size_t j = 0; j < i; j++)
            if (z[i].ctl == z[j].ctl && strcmp(all[i].name, all[j].name) == 0) {
                char tmp[64];
                snprintf(tmp, sizeof tmp, "%.30s@%.30s", all[i].name, z[i].id);
                memcpy(all[i].name, tmp, sizeof tmp);
            }
}

static int rapl_probe(struct eco_sensor *s, struct eco_err *why)
{
    char dir[PATH_MAX], what[PATH_MAX + 128];
    if (eco_sysfs_join(dir, sizeof dir, eco_sysfs_root(), "class/powercap") != 0)
        return eco_err_set(why, 1, "ECOMETER_SYSFS_ROOT is too long");
    struct rapl_zone *z;
    size_t nz;
    int rc = rapl_zones_list(dir, &z, &nz);
    if (rc == -EACCES) {
        eco_err_set(why, 1, "RAPL is not readable: %s is not readable by this user", dir);
        eco_err_hint(why, "the powercap folder itself is closed: give a dedicated group read access to it and "
                          "to energy_uj (docs/SECURITY.md)");
        return -1;
    }
    if (rc != 0 || nz == 0) {
        if (rc != 0)
            snprintf(what, sizeof what, "no RAPL: %s: %s", dir, strerror(-rc));
        else
            snprintf(what, sizeof what, "no RAPL zones in %s", dir);
        rapl_absent_texts(why, what);
        free(z);
        return -1;
    }
    char model[128];
    if (eco_sensors_cpu_model(model, sizeof model) != 0)
        snprintf(model, sizeof model, "CPU");
    struct eco_domain *all = calloc(nz, sizeof *all), *dm = calloc(nz, sizeof *dm);
    size_t *zone_of = calloc(nz, sizeof *zone_of);
    char *left = calloc(1, 1024), *fix = calloc(1, 512);
    if (!all || !dm || !zone_of || !left || !fix) {
        rc = eco_err_set(why, 1, "out of memory listing RAPL zones");
        goto out;
    }
    for (size_t i = 0; i < nz; i++)
        rapl_zone_domain(z, i, model, &all[i]);
    unique_names(all, z, nz);
    size_t nk = pick_zones(z, nz, all, zone_of, dm);
    describe_left_out(z, nz, all, dm, nk, left, 1024, fix, 512);
    if (nk == 0) {
        rc = eco_err_set(why, 1, "RAPL is not readable: %s", left);
        eco_err_hint(why, "%s", fix[0] ? fix : "check that energy_uj and max_energy_range_uj hold numbers");
        goto out;
    }
    char others[512] = "";
    rapl_assign_parents(z, zone_of, dm, nk, others, sizeof others);
    rc = build_domains(s, z, zone_of, dm, nk, why);
    if (rc == 0 && left[0])
        snprintf(s->note, sizeof s->note, "left out, not readable: %s%s%s%s%s", left, fix[0] ? ". fix: " : "",
                 fix, others[0] ? ". " : "", others);
    else if (rc == 0)
        snprintf(s->note, sizeof s->note, "%s", others);
out:
    free(all);
    free(dm);
    free(zone_of);
    free(left);
    free(fix);
    free(z);
    return rc;
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
