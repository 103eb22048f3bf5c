/* The shared part of every hwmon-family source: the scan over the table's
 * rows, the growable list of domains and the one read loop. */
#include "sensors/hwmon_family.h"
#include "core/clock.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors/sysfs.h"

struct eco_domain *eco_hw_add(struct eco_hw_list *l, const char *file, const char *file2, double scale,
                              const char *where)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct eco_domain *nd = realloc(l->dom, cap * sizeof *nd);
        if (!nd)
            return NULL;
        l->dom = nd;
        struct eco_hw_chan *nc = realloc(l->ch, cap * sizeof *nc);
        if (!nc)
            return NULL;
        l->ch = nc;
        l->cap = cap;
    }
    struct eco_hw_chan *c = &l->ch[l->n];
    memset(c, 0, sizeof *c);
    if (eco_pathf(c->file, sizeof c->file, "%s", file) != 0 ||
        (file2 && eco_pathf(c->file2, sizeof c->file2, "%s", file2) != 0))
        return NULL;
    c->scale = scale;
    snprintf(c->where, sizeof c->where, "%s", where ? where : "");
    struct eco_domain *d = &l->dom[l->n++];
    memset(d, 0, sizeof *d);
    d->method = ECO_MEASURED;
    d->type = ECO_VALUE_POWER;
    d->parent = -1;
    return d;
}

void eco_hw_skip(struct eco_hw_list *l, const char *fmt, ...)
{
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (strstr(l->skipped, what))
        return;
    size_t n = strlen(l->skipped);
    snprintf(l->skipped + n, sizeof l->skipped - n, "%s%s", n ? ", " : "", what);
}

void eco_hw_sort(struct eco_hw_list *l)
{
    /* insertion sort: a handful of rails; keeps domains and channels paired */
    for (size_t i = 1; i < l->n; i++) {
        struct eco_domain d = l->dom[i];
        struct eco_hw_chan c = l->ch[i];
        size_t j = i;
        for (; j > 0 && strverscmp(l->ch[j - 1].where, c.where) > 0; j--) {
            l->dom[j] = l->dom[j - 1];
            l->ch[j] = l->ch[j - 1];
        }
        l->dom[j] = d;
        l->ch[j] = c;
    }
}

void eco_hw_unique_names(struct eco_hw_list *l)
{
    for (size_t i = 1; i < l->n; i++) {
        int k = 1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(l->dom[j].name, l->dom[i].name) == 0)
                k++;
        if (k == 1)
            continue;
        char base[sizeof l->dom[i].name];
        snprintf(base, sizeof base, "%s", l->dom[i].name);
        /* "_2", "_3"... in scan order, which is sorted: stable across runs */
        for (;; k++) {
            snprintf(l->dom[i].name, sizeof l->dom[i].name, "%.52s_%d", base, k);
            size_t j = 0;
            while (j < l->n && (j == i || strcmp(l->dom[j].name, l->dom[i].name) != 0))
                j++;
            if (j == l->n)
                break;
        }
    }
}

int eco_hw_attr(const struct eco_hwmon_dev *dev, const char *file, char *out, size_t len)
{
    if (eco_pathf(out, len, "%s/%s", dev->dir, file) == 0 && eco_path_exists(out))
        return 0;
    if (eco_pathf(out, len, "%s/device/%s", dev->dir, file) == 0 && eco_path_exists(out))
        return 0;
    out[0] = 0;
    return -1;
}

static int driver_matches(const char *pattern, const char *name)
{
    size_t n = strlen(pattern);
    if (n > 0 && pattern[n - 1] == '*')
        return strncmp(pattern, name, n - 1) == 0;
    return strcmp(pattern, name) == 0;
}

struct eco_hw_list *eco_hw_begin(struct eco_sensor *s)
{
    struct eco_hw_list *l = calloc(1, sizeof *l);
    s->priv = l;
    return l;
}

size_t eco_hw_run_rows(struct eco_sensor *s)
{
    struct eco_hw_ctx c = {s, s->priv};
    size_t n = 0, seen = 0;
    struct eco_hwmon_dev *dev = eco_hwmon_list(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t r = 0; r < eco_hw_n_families; r++) {
            const struct eco_hw_family *f = &eco_hw_families[r];
            if (strcmp(f->source, s->ops->name) != 0 || !driver_matches(f->driver, dev[i].name) ||
                (f->mine && !f->mine(&dev[i])))
                continue;
            seen++;
            f->add(&c, &dev[i]);
            break; /* one row per device */
        }
    free(dev);
    return seen;
}

size_t eco_hw_finish(struct eco_sensor *s)
{
    struct eco_hw_list *l = s->priv;
    s->domains = l->dom;
    s->n_domains = l->n;
    l->dom = NULL; /* the registry frees s->domains */
    if (l->skipped[0] && l->n > 0)
        snprintf(s->note, sizeof s->note, "not used: %.240s", l->skipped);
    return l->n;
}

size_t eco_hw_family_probe(struct eco_sensor *s, size_t *seen)
{
    *seen = 0;
    if (!eco_hw_begin(s))
        return 0;
    *seen = eco_hw_run_rows(s);
    return eco_hw_finish(s);
}

static int read_chan(const struct eco_hw_chan *c, enum eco_value_type type, double *v)
{
    long long a, b = 1;
    unsigned long long u;
    int rc;
    if (type == ECO_VALUE_ENERGY_COUNTER) {
        /* counters are never negative: a sign is garbage, not energy */
        if ((rc = eco_sysfs_read_u64(c->file, &u)) != 0)
            return rc;
        *v = (double)u * c->scale;
        return 0;
    }
    if ((rc = eco_sysfs_read_i64(c->file, &a)) != 0)
        return rc;
    if (c->file2[0] && (rc = eco_sysfs_read_i64(c->file2, &b)) != 0)
        return rc;
    *v = (double)a * (double)b * c->scale;
    return 0;
}

int eco_hw_family_read(struct eco_sensor *s, struct eco_reading *out, struct eco_err *err)
{
    struct eco_hw_list *l = s->priv;
    size_t bad = 0;
    for (size_t i = 0; i < s->n_domains; i++) {
        double v = 0;
        int rc = read_chan(&l->ch[i], s->domains[i].type, &v);
        out[i] = (struct eco_reading){rc == 0, rc == 0 ? v : 0, eco_monotonic_s()};
        if (rc != 0) {
            bad++;
            eco_err_set(err, 1, "%s: %s: %s", s->domains[i].name, l->ch[i].file,
                        rc == -EINVAL ? "not a number" : strerror(-rc));
        }
    }
    if (s->n_domains > 0 && bad == s->n_domains)
        return eco_err_set(err, 1, "the %s sensors vanished", s->ops->name);
    return 0;
}

void eco_hw_family_close(struct eco_sensor *s)
{
    struct eco_hw_list *l = s->priv;
    if (l) {
        free(l->dom);
        free(l->ch);
    }
    free(l);
    s->priv = NULL;
}

void eco_hw_pci_desc(const char *dir, const char *what, char *out, size_t len)
{
    char path[PATH_MAX + 32], ue[1024], slot[64] = "", id[32] = "";
    eco_pathf(path, sizeof path, "%s/device/uevent", dir);
    if (eco_sysfs_read(path, ue, sizeof ue) == 0) {
        char *p = strstr(ue, "PCI_SLOT_NAME=");
        if (p)
            snprintf(slot, sizeof slot, "%.*s", (int)strcspn(p + 14, "\n"), p + 14);
    }
    eco_pathf(path, sizeof path, "%s/device/device", dir);
    eco_sysfs_read(path, id, sizeof id);
    snprintf(out, len, "%s%s%s%s%s", what, id[0] ? " " : "", id, slot[0] ? " at " : "", slot);
}
