/* `ecometer sensors`: what this machine can measure, and why not. Opens the
 * sensor registry, reads every enabled source twice over a short window to
 * show the power now, and prints each source (enabled or disabled with the
 * reason and fix) with its domains. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "cli/opts.h"
#include "cli/cpu_cli.h"
#include "meter/ledger.h"
#include "meter/sampler.h"
#include "core/duration.h"
#include "core/texttable.h"
#include "core/units.h"
#include "hw/hardware.h"
#include "sensors/cpu_choice.h"
#include "sensors/cpu_estimate.h"
#include "sensors/cpuinfo.h"
#include "sensors/sensor.h"

static const char usage[] =
    "usage: ecometer sensors [--window DURATION] [--format text|json|csv] [--cpu NAME]\n"
    "                        [--cpu-tdp W]\n"
    "\n"
    "List every power source ecometer knows (RAPL, NVIDIA NVML, Jetson rails, AMD GPU,\n"
    "other hwmon sensors, the CPU estimate), whether it works on this machine, and\n"
    "if not, why and how to fix it. Each domain shows what it measures, whether its\n"
    "figure is measured or estimated, and its power now, read over --window\n"
    "(default 250ms; 0 shows raw values only).\n"
    "\n" ECO_CPU_CLI_USAGE
    "\n"
    "Environment: ECOMETER_SYSFS_ROOT (default /sys), ECOMETER_PROC_ROOT (default\n"
    "/proc), ECOMETER_NVML_LIB (default libnvidia-ml.so.1), ECOMETER_CPU_TABLE.\n";

struct cpu_info {
    char model[160];
    int have_model;
    const struct eco_cpu *row;
    char miss[768];
    int sockets;
};

struct dom_now {
    int ok;
    double raw;
    double power_w; /* < 0 when unknown */
};

static void cpu_lookup(struct cpu_info *c)
{
    memset(c, 0, sizeof *c);
    c->have_model = eco_sensors_cpu_model(c->model, sizeof c->model) == 0;
    c->sockets = eco_sensors_cpu_sockets();
    if (!c->have_model) {
        snprintf(c->miss, sizeof c->miss, "model unknown (no 'model name' in /proc/cpuinfo)");
        return;
    }
    struct eco_err e;
    eco_err_clear(&e);
    c->row = eco_cpu_find(c->model, &e);
    if (!c->row && eco_cpu_hidden_kind(c->model) != ECO_CPU_NAMED)
        snprintf(c->miss, sizeof c->miss, "the model number is hidden (a VM): a generic per-thread "
                 "figure is used (warning below); give --cpu NAME if you know the CPU");
    else if (!c->row)
        snprintf(c->miss, sizeof c->miss, "no row of the CPU table matches%s%s",
                 e.hint[0] ? ": " : "", e.hint);
}

/* Read every enabled source at the start and end of the window. */
static struct dom_now **sample(struct eco_sensor_set *set, double window)
{
    struct dom_now **now = calloc(set->n, sizeof *now);
    struct eco_reading **first = calloc(set->n, sizeof *first);
    if (!now || !first) {
        free(now);
        free(first);
        return NULL;
    }
    for (size_t i = 0; i < set->n; i++) {
        struct eco_sensor *s = &set->sensors[i];
        if (!s->enabled || !s->n_domains)
            continue;
        now[i] = calloc(s->n_domains, sizeof **now);
        first[i] = calloc(s->n_domains, sizeof **first);
        struct eco_err e;
        eco_err_clear(&e);
        if (first[i] && s->ops->read(s, first[i], &e) != 0)
            for (size_t d = 0; d < s->n_domains; d++)
                first[i][d].ok = 0;
    }
    if (window > 0) {
        double until = eco_monotonic_s() + window;
        struct timespec ts = {(time_t)window, (long)((window - (time_t)window) * 1e9)};
        while (nanosleep(&ts, &ts) != 0 && eco_monotonic_s() < until)
            ;
    }
    for (size_t i = 0; i < set->n; i++) {
        struct eco_sensor *s = &set->sensors[i];
        if (!now[i] || !first[i])
            continue;
        struct eco_reading *r = calloc(s->n_domains, sizeof *r);
        struct eco_err e;
        eco_err_clear(&e);
        int rc = r ? s->ops->read(s, r, &e) : -1;
        for (size_t d = 0; d < s->n_domains; d++) {
            const struct eco_domain *dm = &s->domains[d];
            struct dom_now *o = &now[i][d];
            o->power_w = -1;
            if (rc != 0 || !r[d].ok)
                continue;
            o->ok = 1;
            o->raw = r[d].value;
            if (dm->type == ECO_VALUE_POWER) {
                o->power_w = r[d].value;
            } else if (window > 0 && first[i][d].ok) {
                o->power_w = eco_counter_power_w(dm, &first[i][d], &r[d]);
            }
        }
        free(r);
    }
    for (size_t i = 0; i < set->n; i++)
        free(first[i]);
    free(first);
    return now;
}

static const char *type_name(enum eco_value_type t)
{
    return t == ECO_VALUE_ENERGY_COUNTER ? "energy counter" : "power";
}

static void fmt_power(const struct dom_now *o, char *buf, size_t len)
{
    if (!o || !o->ok)
        snprintf(buf, len, "unreadable");
    else if (o->power_w < 0)
        snprintf(buf, len, "-");
    else
        eco_fmt_power(o->power_w, buf, len);
}

static const char *parent_name(const struct eco_sensor *s, const struct eco_domain *d)
{
    if (d->parent < 0 && d->inside[0])
        return d->inside; /* "source:domain": a container in another source */
    if (d->parent < 0 || (size_t)d->parent >= s->n_domains)
        return "";
    return s->domains[d->parent].name;
}

static int print_text(struct eco_sensor_set *set, struct dom_now **now, const struct cpu_info *c)
{
    if (!c->have_model)
        printf("CPU: %s\n", c->miss);
    else if (c->row)
        printf("CPU: %s (%d socket%s); table row \"%s\": TDP %g W per socket\n", c->model,
               c->sockets, c->sockets == 1 ? "" : "s", c->row->name, c->row->tdp_w);
    else
        printf("CPU: %s (%d socket%s); %s\n", c->model, c->sockets, c->sockets == 1 ? "" : "s",
               c->miss);
    if (eco_cpu_estimate_about(set))
        printf("warning: %s\n", eco_cpu_estimate_about(set));
    int n_measured = 0, n_estimated = 0;
    for (size_t i = 0; i < set->n; i++) {
        struct eco_sensor *s = &set->sensors[i];
        printf("\n%-13s %s\n", s->ops->name, s->enabled ? "enabled" : "not available");
        if (!s->enabled) {
            printf("  why: %s\n", s->why.msg);
            if (s->why.hint[0])
                printf("  fix: %s\n", s->why.hint);
            continue;
        }
        if (s->note[0])
            printf("  note: %s\n", s->note);
        static const char *const hdr[] = {"domain", "kind",   "device", "method",
                                          "reads",  "inside", ">power now"};
        struct eco_table *t = eco_table_new(7, hdr);
        for (size_t d = 0; d < s->n_domains; d++) {
            const struct eco_domain *dm = &s->domains[d];
            char pw[32];
            fmt_power(now[i] ? &now[i][d] : NULL, pw, sizeof pw);
            const char *cells[] = {dm->name, eco_kind_name(dm->kind), dm->device,
                                   eco_method_name(dm->method), type_name(dm->type),
                                   parent_name(s, dm), pw};
            eco_table_row(t, cells);
            if (dm->method == ECO_MEASURED)
                n_measured++;
            else
                n_estimated++;
        }
        printf("  ");
        fflush(stdout);
        /* Indent the table by printing it through a small buffer. */
        char *buf = NULL;
        size_t blen = 0;
        FILE *m = open_memstream(&buf, &blen);
        if (m) {
            eco_table_print(t, m);
            fclose(m);
            for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
                nl = strchr(line, '\n');
                printf("%s%.*s\n", line == buf ? "" : "  ",
                       (int)(nl ? nl - line : (long)strlen(line)), line);
            }
            free(buf);
        }
        eco_table_free(t);
    }
    printf("\n");
    if (n_measured == 0 && n_estimated == 0) {
        printf("Nothing can be measured or estimated on this machine: 'ecometer run' would report\n"
               "no energy. The fixes above say what would change that; 'ecometer estimate' works\n"
               "without sensors.\n");
        if (c->have_model && !c->row)
            printf("Quickest fix here: name the CPU with --cpu NAME or give its TDP with --cpu-tdp W\n"
                   "(or ECOMETER_CPU, ECOMETER_CPU_TDP); CPU power is then estimated from utilisation.\n");
    }
    else if (n_measured == 0)
        printf("No hardware sensor here: every figure 'ecometer run' gives will be estimated.\n");
    else
        printf("%d measured domain%s, %d estimated. Totals add top-level domains only (a domain\n"
               "'inside' another is already counted in it).\n",
               n_measured, n_measured == 1 ? "" : "s", n_estimated);
    double mi = eco_sensors_max_interval(set);
    if (mi > 0)
        printf("Longest safe sampling interval (no double counter wrap): %.3g s.\n", mi);
    return 0;
}

static int print_json(struct eco_sensor_set *set, struct dom_now **now, const struct cpu_info *c)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *cpu = cJSON_AddObjectToObject(root, "cpu");
    if (c->have_model)
        cJSON_AddStringToObject(cpu, "model", c->model);
    else
        cJSON_AddNullToObject(cpu, "model");
    cJSON_AddNumberToObject(cpu, "sockets", c->sockets);
    if (c->row) {
        cJSON_AddStringToObject(cpu, "table_row", c->row->name);
        cJSON_AddNumberToObject(cpu, "tdp_w", c->row->tdp_w);
    } else {
        cJSON_AddNullToObject(cpu, "table_row");
        cJSON_AddStringToObject(cpu, "why_no_row", c->miss);
    }
    if (eco_cpu_estimate_about(set))
        cJSON_AddStringToObject(cpu, "estimate", eco_cpu_estimate_about(set));
    cJSON *arr = cJSON_AddArrayToObject(root, "sources");
    for (size_t i = 0; i < set->n; i++) {
        struct eco_sensor *s = &set->sensors[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "name", s->ops->name);
        cJSON_AddBoolToObject(o, "enabled", s->enabled);
        if (!s->enabled) {
            cJSON_AddStringToObject(o, "reason", s->why.msg);
            cJSON_AddStringToObject(o, "fix", s->why.hint);
        }
        if (s->note[0])
            cJSON_AddStringToObject(o, "note", s->note);
        cJSON *doms = cJSON_AddArrayToObject(o, "domains");
        for (size_t d = 0; d < s->n_domains; d++) {
            const struct eco_domain *dm = &s->domains[d];
            const struct dom_now *n = now[i] ? &now[i][d] : NULL;
            cJSON *j = cJSON_CreateObject();
            cJSON_AddItemToArray(doms, j);
            cJSON_AddStringToObject(j, "name", dm->name);
            cJSON_AddStringToObject(j, "kind", eco_kind_name(dm->kind));
            cJSON_AddStringToObject(j, "device", dm->device);
            cJSON_AddStringToObject(j, "method", eco_method_name(dm->method));
            cJSON_AddStringToObject(j, "type", dm->type == ECO_VALUE_POWER ? "power" : "counter");
            if (dm->type == ECO_VALUE_ENERGY_COUNTER) {
                cJSON_AddNumberToObject(j, "unit_j", dm->unit_j);
                cJSON_AddNumberToObject(j, "counter_max", dm->counter_max);
                cJSON_AddNumberToObject(j, "max_interval_s", dm->max_interval_s);
            }
            if (parent_name(s, dm)[0])
                cJSON_AddStringToObject(j, "inside", parent_name(s, dm));
            else
                cJSON_AddNullToObject(j, "inside");
            cJSON_AddBoolToObject(j, "readable", n && n->ok);
            if (n && n->ok)
                cJSON_AddNumberToObject(j, "raw", n->raw);
            if (n && n->ok && n->power_w >= 0)
                cJSON_AddNumberToObject(j, "power_w", n->power_w);
            else
                cJSON_AddNullToObject(j, "power_w");
        }
    }
    cJSON_AddNumberToObject(root, "max_interval_s", eco_sensors_max_interval(set));
    return eco_json_emit(stdout, root) == 0 ? 0 : 1;
}

static int print_csv(struct eco_sensor_set *set, struct dom_now **now)
{
    static const char *const cols[] = {"source", "enabled", "domain", "kind",   "device", "method",
                                       "type",   "inside",  "power_w", "reason", "fix"};
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        printf("%s%s", k ? "," : "", cols[k]);
    printf("\n");
    for (size_t i = 0; i < set->n; i++) {
        struct eco_sensor *s = &set->sensors[i];
        if (!s->enabled) {
            printf("%s,0,,,,,,,,", s->ops->name);
            eco_csv_field(stdout, s->why.msg);
            printf(",");
            eco_csv_field(stdout, s->why.hint);
            printf("\n");
            continue;
        }
        for (size_t d = 0; d < s->n_domains; d++) {
            const struct eco_domain *dm = &s->domains[d];
            const struct dom_now *n = now[i] ? &now[i][d] : NULL;
            printf("%s,1,", s->ops->name);
            eco_csv_field(stdout, dm->name);
            printf(",%s,", eco_kind_name(dm->kind));
            eco_csv_field(stdout, dm->device);
            printf(",%s,%s,", eco_method_name(dm->method),
                   dm->type == ECO_VALUE_POWER ? "power" : "counter");
            eco_csv_field(stdout, parent_name(s, dm));
            if (n && n->ok && n->power_w >= 0)
                printf(",%.6g", n->power_w);
            else
                printf(",");
            printf(",,\n");
        }
    }
    return 0;
}

static const struct eco_opt options[] = {
    {"--window", NULL, "DURATION", ECO_O_OWN, 0, NULL}, ECO_OPT_USE(format), ECO_OPT_USE(cpu), ECO_OPT_USE(cpu_tdp),
    ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_sensors = {"sensors", options, usage, NULL};

struct sensors_args {
    enum eco_format fmt;
    double window;
};

static int take(void *ctx, int id, const char *v)
{
    struct sensors_args *a = ctx;
    struct eco_err e;
    eco_err_clear(&e);
    switch (id) {
    case ECO_O_CPU: eco_cpu_cli_set(v, NULL); return 0;
    case ECO_O_CPU_TDP: eco_cpu_cli_set(NULL, v); return 0;
    case ECO_O_FORMAT:
        if (eco_parse_format(v, &a->fmt, &e) != 0)
            return e.code = ECO_EXIT_USAGE, eco_err_print(&e);
        return 0;
    case ECO_O_OWN:
        return eco_duration_arg("--window", v, 0, 10, &a->window, &e) != 0 ? eco_err_print(&e) : 0;
    default: return eco_cli_usage_error("sensors", "unknown argument '%s'", v);
    }
}

int eco_cmd_sensors(int argc, char **argv)
{
    struct sensors_args a = {.fmt = ECO_FMT_TEXT, .window = 0.25};
    int prc = eco_opts_parse(&eco_opts_sensors, argc, argv, take, &a, NULL);
    if (prc != ECO_OPTS_GO_ON)
        return prc;
    enum eco_format fmt = a.fmt;
    double window = a.window;
    if (eco_cpu_cli_apply() != 0)
        return ECO_EXIT_USAGE;
    struct cpu_info cpu;
    cpu_lookup(&cpu);
    struct eco_sensor_set set;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_sensors_open(&set, &err) != 0)
        return eco_err_print(&err);
    struct dom_now **now = sample(&set, window);
    if (!now) {
        eco_sensors_close(&set);
        eco_err_set(&err, 1, "out of memory");
        return eco_err_print(&err);
    }
    int rc = fmt == ECO_FMT_JSON  ? print_json(&set, now, &cpu)
             : fmt == ECO_FMT_CSV ? print_csv(&set, now)
                                  : print_text(&set, now, &cpu);
    for (size_t i = 0; i < set.n; i++)
        free(now[i]);
    free(now);
    eco_sensors_close(&set);
    return rc;
}
