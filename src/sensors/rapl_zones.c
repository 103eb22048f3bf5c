/* Listing and reading RAPL zones (see rapl_zones.h for the layouts). */
#include "sensors/rapl_zones.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/numparse.h"
#include "sensors/sysfs.h"

static const char *const ctl_names[] = {"intel-rapl", "intel-rapl-tpmi", "intel-rapl-mmio"};

const char *rapl_ctl_name(enum rapl_ctl c)
{
    return ctl_names[c];
}

/* "intel-rapl-tpmi:0:1" -> RAPL_CTL_TPMI; -1 for anything else (the control
 * type directories themselves, other powercap drivers such as dtpm). */
static int ctl_of(const char *d)
{
    for (int c = 0; c < 3; c++) {
        size_t l = strlen(ctl_names[c]);
        if (strncmp(d, ctl_names[c], l) == 0 && d[l] == ':' && d[l + 1] >= '0' && d[l + 1] <= '9')
            return c;
    }
    return -1;
}

static int zone_cmp(const void *a, const void *b)
{
    const struct rapl_zone *x = a, *y = b;
    if (x->ctl != y->ctl)
        return (int)x->ctl - (int)y->ctl;
    return strverscmp(x->id, y->id);
}

/* Largest power limit the zone publishes (W), or 0. The kernel's powercap
 * class (drivers/powercap/powercap_sys.c) creates constraint_N_power_limit_uw
 * for every constraint N < the zone's count, and the optional
 * constraint_N_max_power_uw only beside it: the first N without a limit file
 * ends the list, so a zone without constraints costs one open, not eight. */
static double zone_limit_w(const char *dir)
{
    double best = 0;
    for (int c = 0; c < 4; c++) {
        char path[PATH_MAX + 64];
        unsigned long long uw;
        eco_pathf(path, sizeof path, "%s/constraint_%d_power_limit_uw", dir, c);
        int rc = eco_sysfs_read_u64(path, &uw);
        if (rc == -ENOENT)
            break;
        if (rc == 0 && uw / 1e6 > best)
            best = uw / 1e6;
        eco_pathf(path, sizeof path, "%s/constraint_%d_max_power_uw", dir, c);
        if (eco_sysfs_read_u64(path, &uw) == 0 && uw / 1e6 > best)
            best = uw / 1e6;
    }
    return best;
}

/* Name, range, limits, and whether energy_uj reads (permission is per file:
 * an unreadable zone is kept in the list with its error). */
static void zone_read(const char *dir, struct rapl_zone *z)
{
    char zdir[PATH_MAX], path[PATH_MAX + 32];
    eco_pathf(zdir, sizeof zdir, "%s/%s", dir, z->id);
    eco_pathf(path, sizeof path, "%s/name", zdir);
    if (eco_sysfs_read(path, z->name, sizeof z->name) != 0 || !z->name[0])
        snprintf(z->name, sizeof z->name, "%.31s", z->id);
    eco_pathf(z->energy, sizeof z->energy, "%s/energy_uj", zdir);
    unsigned long long v;
    int rc = eco_sysfs_read_u64(z->energy, &v);
    if (rc != 0) {
        z->err = rc;
        snprintf(z->err_file, sizeof z->err_file, "energy_uj");
        return;
    }
    eco_pathf(path, sizeof path, "%s/max_energy_range_uj", zdir);
    rc = eco_sysfs_read_u64(path, &z->max_range);
    if (rc == 0 && z->max_range == 0)
        rc = -EINVAL;
    if (rc != 0) {
        z->err = rc;
        snprintf(z->err_file, sizeof z->err_file, "max_energy_range_uj");
        return;
    }
    z->max_w = zone_limit_w(zdir);
}

/* "intel-rapl:0:1" -> "intel-rapl:0"; "" for a top-level zone. */
static void parent_id(const char *id, char *out, size_t len)
{
    const char *first = strchr(id, ':');
    const char *last = strrchr(id, ':');
    size_t n = first && first != last ? (size_t)(last - id) : 0;
    if (n >= len)
        n = len - 1;
    memcpy(out, id, n);
    out[n] = 0;
}

int rapl_zones_list(const char *dir, struct rapl_zone **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return -errno;
    struct rapl_zone *z = NULL;
    size_t nz = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        int c = ctl_of(de->d_name);
        if (c < 0 || strlen(de->d_name) >= sizeof z->id)
            continue;
        if (nz == cap) {
            cap = cap ? cap * 2 : 16;
            struct rapl_zone *nzp = realloc(z, cap * sizeof *z);
            if (!nzp) {
                closedir(d);
                free(z);
                return -ENOMEM;
            }
            z = nzp;
        }
        memset(&z[nz], 0, sizeof z[nz]);
        memcpy(z[nz].id, de->d_name, strlen(de->d_name) + 1);
        z[nz].ctl = (enum rapl_ctl)c;
        nz++;
    }
    closedir(d);
    if (nz)
        qsort(z, nz, sizeof *z, zone_cmp);
    for (size_t i = 0; i < nz; i++) {
        zone_read(dir, &z[i]);
        char up[64];
        parent_id(z[i].id, up, sizeof up);
        z[i].up = -1;
        for (size_t j = 0; j < nz && up[0]; j++)
            if (strcmp(z[j].id, up) == 0)
                z[i].up = (int)j;
    }
    *out = z;
    *n = nz;
    return 0;
}

/* The decimal at *p (< 4096, no sign) and nothing but `then` after it. */
static int zone_index(const char **p, char then, int *out)
{
    uint64_t v;
    if (eco_num_next_u64(p, 4095, &v) != ECO_NUM_OK || **p != then)
        return -1;
    *out = (int)v;
    return 0;
}

int rapl_zone_socket(const char *name, int *socket, int *die)
{
    *socket = -1;
    *die = -1;
    int s, dd;
    const char *p = name + 8;
    if (strncmp(name, "package-", 8) == 0 && zone_index(&p, '-', &s) == 0 && strncmp(p, "-die-", 5) == 0) {
        p += 5;
        if (zone_index(&p, 0, &dd) != 0)
            return 0;
        *socket = s;
        *die = dd;
        return 1;
    }
    p = strncmp(name, "package-", 8) == 0 ? name + 8 : strncmp(name, "psys-", 5) == 0 ? name + 5 : NULL;
    if (p && zone_index(&p, 0, &s) == 0) {
        *socket = s;
        return 1;
    }
    return 0;
}
