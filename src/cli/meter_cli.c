/* Shared command-line plumbing of the measuring commands (see meter_cli.h). */
#include "cli/meter_cli.h"
#include "cli/live_line.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carbon/embodied.h"
#include "core/numparse.h"
#include "core/safe_open.h"
#include "core/settings.h"
#include "cli/cli.h"
#include "cli/cpu_cli.h"
#include "cli/opts.h"
#include "core/duration.h"
#include "core/units.h"
#include "meter/privdrop.h"
#include "meter/run_label.h"
#include "render/outputs.h"
#include "render/record_json.h"

void eco_meter_cli_defaults(struct eco_meter_cli *o, double interval_s)
{
    memset(o, 0, sizeof *o);
    o->interval_s = interval_s;
    o->baseline_s = -1;
    o->intensity = -1;
    o->json_fd = -1;
    o->format = ECO_FMT_TEXT;
    static const char *const offered[] = {"summary", NULL};
    struct eco_err err;
    o->output = eco_output_find("run", "text", offered, 1, &err);
}

/* Each option that takes a value and checks it: 0, or -1 after setting err
 * (printed by eco_meter_cli_take) or printing the usage error itself. */
static int duration_in(const char *name, const char *v, double lo, double hi, double *out)
{
    struct eco_err err;
    eco_err_clear(&err);
    return eco_duration_arg(name, v, lo, hi, out, &err) < 0 ? (eco_err_print(&err), -1) : 0;
}

static int opt_interval(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err)
{
    (void)err;
    o->interval_given = 1;
    (void)cmd;
    return duration_in("--interval", v, 0.001, 3600, &o->interval_s);
}

static int opt_baseline(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err)
{
    (void)err;
    (void)cmd;
    return duration_in("--baseline", v, 0.5, 86400, &o->baseline_s);
}

static int opt_duration(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err)
{
    (void)err;
    (void)cmd;
    return duration_in("--duration", v, ECO_DURATION_ABOVE_0, ECO_DURATION_MAX_S, &o->duration_s);
}

static int opt_intensity(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err)
{
    (void)cmd;
    return eco_intensity_parse(v, &o->intensity, err);
}

static int opt_series_basis(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err)
{
    (void)cmd;
    return eco_series_basis_parse(v, &o->series_basis, err);
}

static int opt_epochs(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err)
{
    (void)err;
    int64_t n;
    if (eco_num_i64(v, 1, 1000000, 0, &n) != ECO_NUM_OK)
        return eco_cli_usage_error(cmd, "--epochs %s: give a whole number of epochs (1..1000000)", v), -1;
    o->epochs = n;
    return 0;
}

static int opt_format(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err)
{
    static const char *const offered[] = {"summary", "json", "record-csv", NULL};
    return !(o->output = eco_output_find(cmd, v, offered, 1, err)) || eco_parse_format(v, &o->format, err) < 0 ? -1 : 0;
}

static int opt_lifetime(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err)
{
    (void)cmd;
    return eco_embodied_parse_lifetime(v, &o->lifetime_s, err);
}

static int opt_embodied_share(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err)
{
    (void)cmd;
    return eco_embodied_parse_share(v, &o->embodied_share, err);
}

static int opt_name(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err)
{
    (void)cmd;
    int rc = eco_run_name_check("--name", v, err);
    if (rc == 0)
        o->name = v;
    return rc;
}

static int opt_project(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err)
{
    (void)cmd;
    int rc = eco_run_name_check("--project", v, err);
    if (rc == 0)
        o->project = v;
    return rc;
}

static int opt_tag(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err)
{
    (void)cmd;
    return eco_run_tags_add(o->tags, v, err);
}

/* The measuring options that check their value, by their shared id (cli/opts.h). */
static const struct {
    int id;
    int (*take)(const char *cmd, const char *v, struct eco_meter_cli *o, struct eco_err *err);
} value_opts[] = {
    {ECO_O_INTERVAL, opt_interval},       {ECO_O_BASELINE, opt_baseline}, {ECO_O_DURATION, opt_duration},
    {ECO_O_CARBON_INTENSITY, opt_intensity}, {ECO_O_EPOCHS, opt_epochs},  {ECO_O_FORMAT, opt_format},
    {ECO_O_SERIES_BASIS, opt_series_basis}, {ECO_O_LIFETIME, opt_lifetime},
    {ECO_O_EMBODIED_SHARE, opt_embodied_share}, {ECO_O_NAME, opt_name}, {ECO_O_TAG, opt_tag},
    {ECO_O_PROJECT, opt_project},
};

int eco_meter_cli_take(const char *cmd, struct eco_meter_cli *o, int id, const char *v)
{
    for (size_t k = 0; k < sizeof value_opts / sizeof value_opts[0]; k++) {
        if (value_opts[k].id != id)
            continue;
        struct eco_err err;
        eco_err_clear(&err);
        if (value_opts[k].take(cmd, v, o, &err) == 0)
            return 0;
        if (err.msg[0]) /* else the usage error is printed already */
            eco_err_print(&err);
        return ECO_EXIT_USAGE;
    }
    switch (id) { /* the options that only keep their value, or a flag */
    case ECO_O_REGION: o->region = v; return 0;
    case ECO_O_INTENSITY_SERIES: o->intensity_series = v; return 0;
    case ECO_O_JSON: o->json_path = v; return 0;
    case ECO_O_DB: o->db_path = v; return 0;
    case ECO_O_NO_HISTORY: o->no_history = 1; return 0;
    case ECO_O_QUIET: o->quiet = 1; return 0;
    case ECO_O_CPU: eco_cpu_cli_set(v, NULL); return 0;
    case ECO_O_CPU_TDP: eco_cpu_cli_set(NULL, v); return 0;
    default: return ECO_OPTS_GO_ON;
    }
}

void eco_meter_cli_setup(const struct eco_meter_cli *o, const char *kind, char *const *argv,
                         const struct eco_meter_options *mo, struct eco_run_setup *s)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->argv = argv;
    s->meter = *mo;
    s->meter.interval_s = o->interval_s;
    s->baseline_s = o->baseline_s;
    s->use_stored_baseline = 1;
    s->region = o->region;
    s->intensity = o->intensity;
    s->epochs = o->epochs;
    s->keep_history = !o->no_history;
    s->db_path = o->db_path;
    s->notes = stderr;
    s->quiet = o->quiet;
    s->intensity_series = o->intensity_series;
    s->series_basis = o->series_basis;
    s->lifetime_s = o->lifetime_s;
    s->embodied_share = o->embodied_share;
    s->name = o->name;
    s->tags = o->tags[0] ? o->tags : NULL;
    s->project = o->project;
}

/* No --interval: ECOMETER_INTERVAL or interval = D in the config file
 * (core/settings.h), else the command's default. 0, or -1 and *rc. */
static int interval_setting(struct eco_meter_cli *o, struct eco_run_setup *s, int *rc)
{
    struct eco_setting set;
    struct eco_err err;
    eco_err_clear(&err);
    int got = eco_setting_get("interval", &set, &err);
    if (got > 0 && eco_parse_duration(set.value, &o->interval_s, &err) == 0)
        s->meter.interval_s = o->interval_s;
    if (got >= 0 && !err.code)
        return 0;
    eco_err_print(&err);
    *rc = ECO_EXIT_USAGE;
    return -1;
}

/* No --intensity-series: ECOMETER_INTENSITY_SERIES or intensity_series = FILE
 * in the config file, else none. 0, or -1 and *rc. */
static int series_setting(struct eco_meter_cli *o, struct eco_run_setup *s, int *rc)
{
    struct eco_setting set;
    struct eco_err err;
    eco_err_clear(&err);
    int got = eco_setting_get("intensity_series", &set, &err);
    if (got < 0) {
        eco_err_print(&err);
        *rc = ECO_EXIT_USAGE;
        return -1;
    }
    if (got > 0 && set.value[0]) {
        snprintf(o->series_setting, sizeof o->series_setting, "%s", set.value);
        s->intensity_series = o->intensity_series = o->series_setting;
    }
    return 0;
}

struct eco_run_driver *eco_meter_cli_open(struct eco_meter_cli *o, const struct eco_run_setup *s, int *rc)
{
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_cpu_cli_apply() != 0) {
        *rc = ECO_EXIT_USAGE;
        return NULL;
    }
    struct eco_run_setup with_settings = *s;
    if (!o->interval_given && interval_setting(o, &with_settings, rc) != 0)
        return NULL;
    if (!o->intensity_series && series_setting(o, &with_settings, rc) != 0)
        return NULL;
    struct eco_run_driver *d = eco_run_driver_open(&with_settings, &err);
    if (!d) {
        eco_err_print(&err);
        *rc = err.code == ECO_EXIT_USAGE ? ECO_EXIT_USAGE : ECO_EXIT_RUNTIME;
        return NULL;
    }
    if (o->json_path) {
        /* Opened now so that a file that cannot be written is refused before
         * anything is measured; written (truncated) at the end. */
        /* Only a regular file: a FIFO or a device would hang or swallow the
         * result (core/safe_open.h). Under sudo: the user's file. */
        int as_user = eco_invoker_enter() == 0;
        o->json_fd = eco_open_regular(o->json_path, O_WRONLY | O_CREAT, 0644, "the JSON file", &err);
        if (as_user)
            eco_invoker_leave();
        if (o->json_fd < 0) {
            fprintf(stderr, "ecometer: %s\n", err.msg);
            fprintf(stderr, "ecometer: hint: choose a regular file in a folder you can write to; nothing was run\n");
            eco_run_driver_close(d);
            *rc = ECO_EXIT_USAGE;
            return NULL;
        }
    }
    *rc = 0;
    return d;
}

/* The whole of s into fd from its start; 0, or -1 with errno. */
static int write_all(int fd, const char *s)
{
    if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
        return -1;
    size_t len = strlen(s), off = 0;
    while (off < len) {
        ssize_t w = write(fd, s + off, len - off);
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

static int write_json_file(struct eco_meter_cli *o, const struct eco_run_result *r)
{
    cJSON *j = eco_record_json(r, 1);
    char *s = cJSON_Print(j);
    cJSON_Delete(j);
    int ok = s && write_all(o->json_fd, s) == 0 && write(o->json_fd, "\n", 1) == 1;
    free(s);
    if (close(o->json_fd) != 0)
        ok = 0;
    o->json_fd = -1;
    if (ok)
        return 0;
    fprintf(stderr, "ecometer: could not write the JSON file %s: %s\n", o->json_path, strerror(errno));
    return 1;
}

int eco_meter_cli_output(struct eco_meter_cli *o, const struct eco_run_result *r)
{
    if (!o->quiet) {
        struct eco_output_ctx ctx = {.with_series = 1};
        struct eco_err err;
        eco_err_clear(&err);
        if (o->output->write(stderr, r, 1, &ctx, &err) != 0)
            eco_err_print(&err);
        if (o->format == ECO_FMT_TEXT && r->intensity_is_default)
            fprintf(stderr, "ecometer: warning: no region given: CO2e uses the world average; "
                            "pass --region (e.g. --region FR) or --carbon-intensity G\n");
    }
    return o->json_fd >= 0 ? write_json_file(o, r) : 0;
}

void eco_meter_cli_live(struct eco_run_driver *d, int clear)
{
    if (clear) {
        eco_live_line_end(STDERR_FILENO);
        return;
    }
    char a[32], b[32], c[32], t[32], line[256];
    struct eco_live l;
    struct eco_meter *m = eco_run_driver_meter(d);
    eco_run_driver_live(d, &l);
    snprintf(line, sizeof line, "ecometer: %s  %s now  %s  %s CO2e%s",
             eco_format_duration(eco_meter_elapsed_s(m), t, sizeof t), eco_fmt_power(l.power_w, a, sizeof a),
             eco_fmt_energy(l.energy_j, b, sizeof b), eco_fmt_mass(l.co2e_g, c, sizeof c),
             eco_meter_any_estimated(m) ? " (partly estimated)" : "");
    fflush(stderr); /* what ecometer printed before goes out before the line */
    eco_live_line_draw(STDERR_FILENO, line);
}

void eco_meter_cli_forecast(const struct eco_forecast *f)
{
    char a[32], b[32], c[32];
    fprintf(stderr, "ecometer: forecast after the first epoch (%.1f s): %lld epochs ~ %s, %s CO2e, %s\n", f->after_s,
            f->epochs, eco_fmt_energy(f->energy_j, a, sizeof a), eco_fmt_mass(f->co2e_g, b, sizeof b),
            eco_format_duration(f->duration_s, c, sizeof c));
}

void eco_meter_cli_close(struct eco_meter_cli *o)
{
    if (o->json_fd >= 0)
        close(o->json_fd);
    o->json_fd = -1;
}

void eco_meter_cli_warn_left_out(const struct eco_meter *m)
{
    const struct eco_sensor_set *set = eco_meter_sensors(m);
    for (size_t i = 0; set && i < set->n; i++) {
        const struct eco_sensor *s = &set->sensors[i];
        if (s->enabled && strncmp(s->note, "left out", 8) == 0)
            fprintf(stderr, "ecometer: warning: %s: %s\necometer: hint: the total does not hold the zones left out\n",
                    s->ops->name, s->note);
    }
}
