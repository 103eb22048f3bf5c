/* Which rows of the embodied table a run's hardware takes, and the
 * amortisation (see embodied.h). A GPU or CPU takes its own published row
 * only when the hardware table recognises its model by name or alias: a
 * fuzzy guess could be a different product (an A100 80GB is not the A100
 * 40GB that was assessed), so it gets the labelled default instead. */
#include "carbon/embodied.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/duration.h"
#include "core/numparse.h"
#include "hw/hardware.h"

__attribute__((format(printf, 2, 3))) static void add(struct eco_embodied_footprint *f, const char *fmt, ...)
{
    size_t used = strlen(f->basis);
    if (used + 1 >= sizeof f->basis)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->basis + used, sizeof f->basis - used, fmt, ap); /* truncates a very long basis */
    va_end(ap);
}

/* count x the row, into the footprint and its basis; `why` says why a default was taken. */
static void take(struct eco_embodied_footprint *f, double count, const struct eco_embodied_row *row,
                 const char *why)
{
    f->kg += count * row->kg;
    f->is_default |= row->is_default;
    add(f, "%s%g x %s (%s%g kg%s%s%s)", f->basis[0] ? " + " : "", count, row->key,
        row->is_default ? "DEFAULT, " : "", row->kg, strcmp(row->per, "device") == 0 ? "" : "/",
        strcmp(row->per, "device") == 0 ? "" : row->per, why ? why : "");
}

static int known(const char *s) { return s && *s; }

static void gpus(const struct eco_embodied_table *t, const struct eco_embodied_hw *hw,
                 struct eco_embodied_footprint *f)
{
    if (hw->gpu_count <= 0)
        return;
    struct eco_hw_match how;
    const struct eco_gpu *g = known(hw->gpu_model) ? eco_gpu_find_ex(hw->gpu_model, &how, NULL) : NULL;
    const struct eco_embodied_row *row = NULL;
    char why[240];
    if (!g)
        snprintf(why, sizeof why, "; '%.80s' is not in the GPU table", known(hw->gpu_model) ? hw->gpu_model : "?");
    else if (how.kind == ECO_HW_MATCH_FUZZY)
        snprintf(why, sizeof why, "; '%.80s' only resembles %.80s, not used", hw->gpu_model, g->name);
    else if (!(row = eco_embodied_find(t, "gpu", g->name)))
        snprintf(why, sizeof why, "; no published figure for %.80s", g->name);
    if (row)
        take(f, hw->gpu_count, row, NULL);
    else if ((row = eco_embodied_generic(t, "gpu")))
        take(f, hw->gpu_count, row, why);
}

/* Sockets: given, else the logical CPUs seen over the table row's threads
 * (a two-socket machine shows twice the threads of its model), else 1. */
static int sockets(const struct eco_embodied_hw *hw, const struct eco_cpu *c)
{
    if (hw->cpu_sockets > 0)
        return hw->cpu_sockets;
    if (c && c->threads > 0 && hw->cpu_count > c->threads)
        return (hw->cpu_count + c->threads - 1) / c->threads;
    return 1;
}

static void cpus(const struct eco_embodied_table *t, const struct eco_embodied_hw *hw,
                 struct eco_embodied_footprint *f)
{
    struct eco_hw_match how;
    const struct eco_cpu *c = known(hw->cpu_model) ? eco_cpu_find_ex(hw->cpu_model, &how, NULL) : NULL;
    if (c && how.kind == ECO_HW_MATCH_FUZZY)
        c = NULL; /* neither its figure nor its thread count is trusted */
    const struct eco_embodied_row *row = c ? eco_embodied_find(t, "cpu", c->name) : NULL;
    char why[240];
    if (!known(hw->cpu_model))
        snprintf(why, sizeof why, "; CPU model unknown");
    else if (!c)
        snprintf(why, sizeof why, "; '%.80s' is not in the CPU table by name or alias", hw->cpu_model);
    else
        snprintf(why, sizeof why, "; no published figure for %.80s", c->name);
    if (row)
        take(f, sockets(hw, c), row, NULL);
    else if ((row = eco_embodied_generic(t, "cpu")))
        take(f, sockets(hw, c), row, why);
}

int eco_embodied_footprint_of(const struct eco_embodied_hw *hw, struct eco_embodied_footprint *out,
                              struct eco_err *err)
{
    memset(out, 0, sizeof *out);
    const struct eco_embodied_table *t = eco_embodied_builtin(err);
    if (!t)
        return -1;
    gpus(t, hw, out);
    cpus(t, hw, out);
    const struct eco_embodied_row *mem = eco_embodied_generic(t, "memory");
    if (mem && hw->ram_gb > 0)
        take(out, round(hw->ram_gb * 10) / 10, mem, NULL);
    add(out, "; storage, board and chassis not counted");
    return 0;
}

double eco_embodied_amortised_g(double footprint_kg, double duration_s, double lifetime_s, double share)
{
    if (!(lifetime_s > 0) || !(footprint_kg >= 0) || !(duration_s >= 0) || !(share >= 0))
        return -1;
    return footprint_kg * 1000.0 * (duration_s / lifetime_s) * share;
}

int eco_embodied_parse_share(const char *text, double *share, struct eco_err *err)
{
    char buf[64];
    size_t n = text ? strlen(text) : 0;
    int percent = n > 0 && text[n - 1] == '%';
    if (n == 0 || n >= sizeof buf) {
        eco_err_set(err, 2, "--embodied-share '%s': not a share", text ? text : "");
        eco_err_hint(err, "give the fraction of the devices the run used, e.g. --embodied-share 0.25 or 25%%");
        return -1;
    }
    memcpy(buf, text, n - (size_t)percent);
    buf[n - (size_t)percent] = 0;
    double v;
    /* a share is written 0.25 or 25%: an exponent ("1e-1") is refused as always */
    if (strpbrk(buf, "eE") || eco_num_double(buf, 0, 100, 0, &v) != ECO_NUM_OK)
        v = -1;
    if (percent)
        v /= 100;
    if (!(v > 0 && v <= 1)) {
        eco_err_set(err, 2, "--embodied-share '%s': a share is a fraction above 0 and at most 1", text);
        eco_err_hint(err, "e.g. --embodied-share 0.25 (or 25%%) when the run had a quarter of the machine");
        return -1;
    }
    *share = v;
    return 0;
}

int eco_embodied_parse_lifetime(const char *text, double *seconds, struct eco_err *err)
{
    /* a service life: at least a day (4y, 5y, 36w, 1000d) */
    return eco_duration_arg("--lifetime", text, 86400, ECO_DURATION_MAX_S, seconds, err);
}
