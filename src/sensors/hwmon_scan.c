#include "sensors/hwmon_scan.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "sensors/sensor.h"
#include "sensors/sysfs.h"

static int dev_cmp(const void *a, const void *b)
{
    return strverscmp(((const struct eco_hwmon_dev *)a)->hwmon,
                      ((const struct eco_hwmon_dev *)b)->hwmon);
}

/* One probe pass (eco_sensors_open) lists the class once for all the
 * sources that look at hwmon (amdgpu, intel-gpu, grace, hwmon...): each gets
 * its own copy of the first listing. Per thread, so that two threads opening
 * sensors at once do not share it. */
static _Thread_local struct {
    int active, listed;
    struct eco_hwmon_dev *v;
    size_t n;
} cache;

void eco_hwmon_cache_begin(void)
{
    eco_hwmon_cache_end();
    cache.active = 1;
}

void eco_hwmon_cache_end(void)
{
    free(cache.v);
    cache.v = NULL;
    cache.n = 0;
    cache.active = cache.listed = 0;
}

static struct eco_hwmon_dev *scan(size_t *n);

struct eco_hwmon_dev *eco_hwmon_list(size_t *n)
{
    if (!cache.active)
        return scan(n);
    if (!cache.listed) {
        cache.v = scan(&cache.n);
        cache.listed = 1;
    }
    *n = cache.n;
    if (!cache.v || !cache.n)
        return NULL;
    struct eco_hwmon_dev *copy = malloc(cache.n * sizeof *copy);
    if (!copy) {
        *n = 0;
        return NULL;
    }
    memcpy(copy, cache.v, cache.n * sizeof *copy);
    return copy;
}

static struct eco_hwmon_dev *scan(size_t *n)
{
    *n = 0;
    char cls[PATH_MAX];
    if (eco_sysfs_join(cls, sizeof cls, eco_sysfs_root(), "class/hwmon") != 0)
        return NULL;
    DIR *d = opendir(cls);
    if (!d)
        return NULL;
    struct eco_hwmon_dev *v = NULL;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, "hwmon", 5) != 0 || strlen(de->d_name) >= sizeof v->hwmon)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            struct eco_hwmon_dev *nv = realloc(v, cap * sizeof *v);
            if (!nv)
                break;
            v = nv;
        }
        struct eco_hwmon_dev *h = &v[*n];
        char path[PATH_MAX];
        if (eco_pathf(h->dir, sizeof h->dir, "%s/%s", cls, de->d_name) != 0 ||
            eco_pathf(path, sizeof path, "%s/name", h->dir) != 0 ||
            eco_sysfs_read(path, h->name, sizeof h->name) != 0)
            continue;
        memcpy(h->hwmon, de->d_name, strlen(de->d_name) + 1);
        (*n)++;
    }
    closedir(d);
    if (*n > 1)
        qsort(v, *n, sizeof *v, dev_cmp);
    return v;
}
