/* hwmon families as rows of one table (turbostat's rapl_counter_arch_infos[]
 * idea: hardware facts as rows). Each row names a hwmon driver, the ecometer
 * source that owns its devices, an optional test of whether a device is that
 * row's (Grace's power meters name their rail; an INA3221 is a Jetson's only
 * on a Jetson), and the row's quirks: a function that turns one device into
 * domains. The scan, the growable domain list and the read loop are shared
 * here, so a new hwmon device is a row plus its quirks (hwmon_rows.c).
 *
 * Every domain reads one file (value x scale) or the product of two files
 * (volts x amperes: INA3221), so one read loop serves every row. */
#ifndef ECO_SENSORS_HWMON_FAMILY_H
#define ECO_SENSORS_HWMON_FAMILY_H

#include <limits.h>
#include <stddef.h>

#include "sensors/hwmon_scan.h"
#include "sensors/sensor.h"

/* How to read one domain: file x scale, or file x file2 x scale. The scale
 * turns the file's unit into watts (power) or into counter units (energy). */
struct eco_hw_chan {
    char file[PATH_MAX];
    char file2[PATH_MAX];     /* empty: one file */
    double scale;
    char where[96];           /* sort key and location: "hwmon3 channel 1" */
};

/* A source's domains and how to read them (the sensor's priv). */
struct eco_hw_list {
    struct eco_domain *dom;
    struct eco_hw_chan *ch;
    size_t n, cap;
    char skipped[256];        /* what was seen and deliberately not used, for the note */
    size_t n_gated;           /* domains left out because another source measures them */
};

/* The context a row's quirks get: the list to add to and what other
 * sources already measure (registry: s->cpu_by, s->dram_by). */
struct eco_hw_ctx {
    struct eco_sensor *s;
    struct eco_hw_list *l;
};

struct eco_hw_family {
    const char *driver;       /* hwmon `name`; a trailing '*' matches a prefix */
    const char *source;       /* the eco_sensor_ops name that owns these devices */
    int (*mine)(const struct eco_hwmon_dev *dev);         /* NULL: every device of the driver */
    void (*add)(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev);
};

/* The table (hwmon_rows.c). */
extern const struct eco_hw_family eco_hw_families[];
extern const size_t eco_hw_n_families;

/* Append a domain read from file (and file2 when not NULL) x scale; the
 * domain comes back zeroed: measured, top-level, power unless the caller
 * says otherwise. NULL on out of memory or a path too long. */
struct eco_domain *eco_hw_add(struct eco_hw_list *l, const char *file, const char *file2, double scale,
                              const char *where);
/* Add to l->skipped ("what (why)"), once per distinct text. */
void eco_hw_skip(struct eco_hw_list *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sort domains and channels together by `where` (natural order). */
void eco_hw_sort(struct eco_hw_list *l);
/* Domain names unique within the list: a second "VDD_5V" becomes "VDD_5V_2". */
void eco_hw_unique_names(struct eco_hw_list *l);

/* A source's probe in three steps: begin (the list becomes s->priv; NULL on
 * out of memory), run every row owned by s->ops->name over every hwmon
 * device (returns how many hwmon devices of its drivers were seen), then
 * finish (sort is the caller's choice; finish hands the domains to s and
 * returns their number: 0 and the caller sets why). */
struct eco_hw_list *eco_hw_begin(struct eco_sensor *s);
size_t eco_hw_run_rows(struct eco_sensor *s);
size_t eco_hw_finish(struct eco_sensor *s);
/* The whole probe for a source with no other layout: begin, rows, finish.
 * *seen gets the number of devices of its drivers. */
size_t eco_hw_family_probe(struct eco_sensor *s, size_t *seen);
/* The shared read and close of every hwmon-family source. */
int eco_hw_family_read(struct eco_sensor *s, struct eco_reading *out, struct eco_err *err);
void eco_hw_family_close(struct eco_sensor *s);

/* <dir>/<file> if it exists, else <dir>/device/<file> (the ACPI power meter
 * puts its files on the ACPI device); 0, or -1 when neither exists. */
int eco_hw_attr(const struct eco_hwmon_dev *dev, const char *file, char *out, size_t len);

/* "<what> <pci device id> at <pci slot>" from dir/device/{device,uevent}
 * (each part only when present). */
void eco_hw_pci_desc(const char *dir, const char *what, char *out, size_t len);

/* The quirks, one per row (each in its source's file). */
void eco_hw_add_amdgpu(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev);      /* amdgpu.c */
void eco_hw_add_intel_gpu(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev);   /* intel_gpu.c */
void eco_hw_skip_intel_tile(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev); /* intel_gpu.c */
void eco_hw_add_grace(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev);       /* grace.c */
int eco_hw_is_grace(const struct eco_hwmon_dev *dev);                               /* grace.c */
int eco_hw_not_grace(const struct eco_hwmon_dev *dev);                              /* grace.c */
void eco_hw_add_amd_energy(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev);  /* hwmon.c */
void eco_hw_add_zenpower(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev);   /* hwmon.c */
void eco_hw_skip_power_meter(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev); /* hwmon.c */
void eco_hw_add_ina3221(struct eco_hw_ctx *c, const struct eco_hwmon_dev *dev);     /* ina3221.c */
int eco_hw_on_jetson(const struct eco_hwmon_dev *dev);                              /* ina3221.c */
int eco_hw_not_on_jetson(const struct eco_hwmon_dev *dev);                          /* ina3221.c */

#endif
