/* Embodied emissions: the manufacturing footprint of the hardware a run used
 * (data/embodied.tsv, each row with its source, year and what it covers),
 * amortised over the run: footprint x (duration / service life) x share of
 * the device used, after the Boavizta project's linear allocation. Shown
 * beside the operational CO2e, never added into it. Table parsing in
 * carbon/embodied_table.c, device matching and arithmetic in carbon/embodied.c. */
#ifndef ECO_CARBON_EMBODIED_H
#define ECO_CARBON_EMBODIED_H

#include <stddef.h>

#include "core/err.h"

/* The default service life: 4 years of 365.25 days (change with --lifetime). */
#define ECO_EMBODIED_LIFETIME_S (4 * 365.25 * 86400.0)
/* The default share of the devices the run is charged for: all of them. */
#define ECO_EMBODIED_SHARE 1.0

struct eco_embodied_row {
    const char *key;      /* "gpu-h100-sxm5" */
    const char *kind;     /* gpu, cpu, memory, ssd, hdd, server, board */
    const char *device;   /* canonical hardware-table name, or "*" for the whole kind */
    double kg;            /* kg CO2e per unit of `per` */
    const char *per;      /* "device", "GB", "TB" */
    int is_default;       /* a stand-in: no published figure for the device itself */
    const char *covers;   /* life-cycle stages and parts counted */
    const char *source;
    int year;
};

struct eco_embodied_table {
    size_t n;
    struct eco_embodied_row *rows;
    void *priv;           /* the parsed TSV the strings point into */
};

/* Parse a table with the columns of data/embodied.tsv. Rejects (code 2,
 * naming origin and line) an unknown kind or unit, a kind/unit mismatch, a
 * footprint that is not a positive number within the kind's plausible range
 * (eco_embodied_plausible), an empty covers/source, a year outside
 * 1990..2100, a duplicate key, a second row for the same kind and device. */
int eco_embodied_parse(const char *text, size_t len, const char *origin, struct eco_embodied_table *out,
                       struct eco_err *err);
void eco_embodied_free(struct eco_embodied_table *t);
/* The built-in table, parsed once; NULL with err if it is broken (a build bug). */
const struct eco_embodied_table *eco_embodied_builtin(struct eco_err *err);

/* The plausible range of a footprint of that kind, per its unit (kg CO2e):
 * 0 when kind is unknown. Used to refuse typos (a GPU at 164000 kg). */
int eco_embodied_plausible(const char *kind, double *lo, double *hi);

/* The row for exactly this device (case-insensitive name), or NULL. */
const struct eco_embodied_row *eco_embodied_find(const struct eco_embodied_table *t, const char *kind,
                                                 const char *device);
/* The '*' row of a kind (the default or the per-capacity figure), or NULL. */
const struct eco_embodied_row *eco_embodied_generic(const struct eco_embodied_table *t, const char *kind);

/* The hardware of a run or an estimate. */
struct eco_embodied_hw {
    const char *cpu_model;  /* "" or NULL: unknown (one default package is counted) */
    int cpu_count;          /* logical CPUs seen (sockets = ceil(count / the row's threads)) */
    int cpu_sockets;        /* > 0: given (estimate) or read (run); 0: derived from cpu_count */
    const char *gpu_model;  /* "" or NULL with gpu_count 0: no GPU */
    int gpu_count;
    double ram_gb;          /* 0: not counted */
};

/* The footprint of that hardware: the sum of its parts' rows, which ones
 * (basis, one line) and whether any part took a default figure. */
struct eco_embodied_footprint {
    double kg;
    int is_default;
    char basis[512];
};

/* 0, or -1 with err when the built-in table cannot be read. */
int eco_embodied_footprint_of(const struct eco_embodied_hw *hw, struct eco_embodied_footprint *out,
                              struct eco_err *err);

/* footprint_kg x 1000 x (duration_s / lifetime_s) x share, in grams; -1
 * when there is no footprint basis (lifetime_s <= 0: a run stored before
 * embodied figures existed). */
double eco_embodied_amortised_g(double footprint_kg, double duration_s, double lifetime_s, double share);

/* --embodied-share: a fraction in (0, 1] or a percentage "25%". 0, or -1
 * with err (code 2). */
int eco_embodied_parse_share(const char *text, double *share, struct eco_err *err);
/* --lifetime: a duration (core/duration.c: 4y, 18m is minutes, 540d) of at
 * least one day. 0, or -1 with err (code 2). */
int eco_embodied_parse_lifetime(const char *text, double *seconds, struct eco_err *err);

#endif
