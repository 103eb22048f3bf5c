/* The CPU figures of the estimate (see cpu_choice.h). */
#include "sensors/cpu_choice.h"

#include "core/numparse.h"
#include "core/settings.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors/cpuinfo.h"

static struct {
    int applied;
    const struct eco_cpu *row;
    double tdp_w;
    char row_from[24], tdp_from[24]; /* "--cpu" / "ECOMETER_CPU" / "config file", ... */
} choice;

void eco_cpu_choice_reset(void)
{
    memset(&choice, 0, sizeof choice);
}

enum eco_cpu_hidden eco_cpu_hidden_kind(const char *model)
{
    if (!model || !*model)
        return ECO_CPU_NAMED;
    int virt = strcasestr(model, "qemu") || strcasestr(model, "kvm") || strcasestr(model, "virtual cpu");
    /* a model number is a digit before the "@ 2.20GHz" frequency */
    size_t end = strcspn(model, "@");
    int digits = 0;
    for (size_t i = 0; i < end; i++)
        digits |= isdigit((unsigned char)model[i]) != 0;
    if (!virt && digits)
        return ECO_CPU_NAMED;
    if (!virt && strcasestr(model, "xeon"))
        return ECO_CPU_HIDDEN_XEON;
    if (!virt && strcasestr(model, "epyc"))
        return ECO_CPU_HIDDEN_EPYC;
    return ECO_CPU_HIDDEN_SERVER;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int eco_cpu_generic_figure(enum eco_cpu_hidden kind, struct eco_cpu_generic *g)
{
    memset(g, 0, sizeof *g);
    size_t n = 0;
    const struct eco_cpu *t = eco_cpu_table(&n);
    double *v = n ? malloc(n * sizeof *v) : NULL;
    if (!v)
        return -1;
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        int xeon = strstr(t[i].name, "Xeon") != NULL, epyc = strstr(t[i].name, "EPYC") != NULL;
        int in = kind == ECO_CPU_HIDDEN_XEON ? xeon : kind == ECO_CPU_HIDDEN_EPYC ? epyc : xeon || epyc;
        if (in && t[i].threads > 0 && t[i].tdp_w > 0)
            v[k++] = t[i].tdp_w / t[i].threads;
    }
    if (k > 0) {
        qsort(v, (size_t)k, sizeof *v, cmp_double);
        g->w_per_thread = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
        g->lo = v[0];
        g->hi = v[k - 1];
        g->n_rows = k;
    }
    free(v);
    g->family = kind == ECO_CPU_HIDDEN_XEON   ? "Intel Xeon"
                : kind == ECO_CPU_HIDDEN_EPYC ? "AMD EPYC"
                                              : "Intel Xeon and AMD EPYC";
    return k > 0 ? 0 : -1;
}

/* "150", "150W", "150 W" -> 150; -1 when not a decimal power in (0, 1000] W
 * ("0x64" is not 100 W). */
static double parse_watts(const char *s)
{
    double w;
    if (eco_num_next_double(&s, &w) != ECO_NUM_OK)
        return -1;
    eco_num_skip_blanks(&s);
    if (*s == 'W' || *s == 'w')
        s++;
    if (*s || !(w > 0) || w > 1000)
        return -1;
    return w;
}

int eco_cpu_choice_apply(const char *name, const char *tdp, struct eco_err *err)
{
    eco_cpu_choice_reset();
    const char *name_from = "--cpu", *tdp_from = "--cpu-tdp";
    /* no flag: ECOMETER_CPU(_TDP), else the config file (core/settings.h) */
    struct eco_setting set_name, set_tdp;
    if (!name) {
        int got = eco_setting_get("cpu", &set_name, err);
        if (got < 0)
            return -1;
        name = got ? set_name.value : NULL;
        name_from = set_name.where;
    }
    if (!tdp) {
        int got = eco_setting_get("cpu_tdp", &set_tdp, err);
        if (got < 0)
            return -1;
        tdp = got ? set_tdp.value : NULL;
        tdp_from = set_tdp.where;
    }
    if (name) {
        struct eco_err e;
        eco_err_clear(&e);
        choice.row = eco_cpu_find(name, &e);
        if (!choice.row) {
            eco_err_set(err, 2, "%s '%s': %s", name_from, name, e.msg);
            eco_err_hint(err, "%s", e.hint[0] ? e.hint : "see 'ecometer hardware search TEXT'");
            return -1;
        }
        snprintf(choice.row_from, sizeof choice.row_from, "%.23s", name_from[0] == '/' ? "config file" : name_from);
    }
    if (tdp) {
        choice.tdp_w = parse_watts(tdp);
        if (choice.tdp_w < 0) {
            eco_err_set(err, 2, "%s '%s' is not a power in watts between 0 and 1000", tdp_from, tdp);
            eco_err_hint(err, "give the TDP of one CPU socket in watts, e.g. %s%s150",
                         tdp_from[0] == '/' ? "cpu_tdp" : tdp_from, tdp_from[0] == '-' ? " " : tdp_from[0] == '/' ? " = " : "=");
            choice.tdp_w = 0;
            choice.row = NULL;
            return -1;
        }
        snprintf(choice.tdp_from, sizeof choice.tdp_from, "%.23s", tdp_from[0] == '/' ? "config file" : tdp_from);
    }
    choice.applied = 1;
    return 0;
}

/* The "hypervisor" flag x86 kernels show under a hypervisor (CPUID leaf 1,
 * ECX bit 31); read from the cpuinfo src/hw reads (ECOMETER_CPUINFO, else
 * <proc>/cpuinfo). */
static int under_hypervisor(void)
{
    const char *path = getenv("ECOMETER_CPUINFO");
    char buf[4096];
    if (!path || !*path) {
        const char *proc = getenv("ECOMETER_PROC_ROOT");
        snprintf(buf, sizeof buf, "%s/cpuinfo", proc && *proc ? proc : "/proc");
        path = buf;
    }
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[8192];
    int vm = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "flags", 5) != 0)
            continue;
        vm = strstr(line, " hypervisor") != NULL;
        break; /* every CPU has the same flags */
    }
    fclose(f);
    return vm;
}

static int from_row(struct eco_cpu_figures *f, const struct eco_cpu *row, const char *how)
{
    f->row = row;
    f->tdp_w = choice.tdp_w > 0 ? choice.tdp_w : row->tdp_w;
    f->threads = row->threads;
    f->w_per_thread = row->threads > 0 ? f->tdp_w / row->threads : 0;
    snprintf(f->source, sizeof f->source, "%s \"%s\" (TDP %g W%s%s, %d threads)", how, row->name,
             f->tdp_w, choice.tdp_w > 0 ? " from " : "", choice.tdp_w > 0 ? choice.tdp_from : "",
             row->threads);
    return 0;
}

static int from_generic(struct eco_cpu_figures *f, enum eco_cpu_hidden kind, struct eco_err *why)
{
    struct eco_cpu_generic g;
    if (eco_cpu_generic_figure(kind, &g) != 0) {
        eco_err_set(why, 1, "cannot estimate the CPU: the model is hidden ('%s') and the CPU table has "
                            "no %s row to derive a generic figure from", f->model, g.family);
        eco_err_hint(why, "give the CPU with --cpu NAME or its TDP with --cpu-tdp W");
        return -1;
    }
    f->generic = 1;
    f->vm = 1;
    f->w_per_thread = g.w_per_thread;
    snprintf(f->source, sizeof f->source,
             "model hidden (a VM), generic figure: the median TDP/threads of the %d %s rows of "
             "the CPU table (range %.3g-%.3g W)",
             g.n_rows, g.family, g.lo, g.hi);
    return 0;
}

int eco_cpu_figures_resolve(struct eco_cpu_figures *f, struct eco_err *why)
{
    memset(f, 0, sizeof *f);
    if (!choice.applied && eco_cpu_choice_apply(NULL, NULL, why) != 0)
        return -1;
    int have_model = eco_sensors_cpu_model(f->model, sizeof f->model) == 0;
    f->vm = under_hypervisor();
    if (choice.row)
        return from_row(f, choice.row, choice.row_from);
    struct eco_err e;
    eco_err_clear(&e);
    const struct eco_cpu *row = have_model ? eco_cpu_find(f->model, &e) : NULL;
    if (row && row->tdp_w > 0)
        return from_row(f, row, "table row");
    if (choice.tdp_w > 0) { /* no row: the TDP covers the CPUs this machine shows */
        f->tdp_w = choice.tdp_w;
        snprintf(f->source, sizeof f->source, "TDP %g W from %s, over the CPUs online", f->tdp_w,
                 choice.tdp_from);
        return 0;
    }
    enum eco_cpu_hidden kind = have_model ? eco_cpu_hidden_kind(f->model) : ECO_CPU_NAMED;
    if (kind != ECO_CPU_NAMED)
        return from_generic(f, kind, why);
    if (!have_model) {
        eco_err_set(why, 1, "cannot estimate the CPU: its model is unknown (no 'model name' in "
                            "/proc/cpuinfo)");
        eco_err_hint(why, "give the CPU with --cpu NAME (or ECOMETER_CPU) or its TDP with --cpu-tdp W");
        return -1;
    }
    eco_err_set(why, 1, "cannot estimate the CPU: '%s' is not in ecometer's CPU table", f->model);
    eco_err_hint(why, "%s%sgive the CPU with --cpu NAME or its TDP with --cpu-tdp W, or add a row to a "
                      "TSV file named by ECOMETER_CPU_TABLE (same columns as data/cpus.tsv)",
                 e.hint, e.hint[0] ? "; or " : "");
    return -1;
}
