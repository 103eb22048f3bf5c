/* ecometer config: the settings in force and where each came from (flag,
 * environment variable, config file line, default); see core/settings.h. */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "carbon/intensity.h"
#include "cli/cli.h"
#include "cli/history_cli.h"
#include "core/format.h"
#include "core/settings.h"
#include "cli/opts.h"
#include "core/texttable.h"

static void usage(FILE *out)
{
    fputs("usage: ecometer config [--region CODE] [--pue F] [--cpu NAME] [--cpu-tdp W] [--db FILE]\n"
          "                       [--interval D] [--format text|json]\n\n"
          "Show the settings in force and where each came from. A setting is taken from,\n"
          "in this order: its flag on the command line, its environment variable, the\n"
          "config file, the default. The config file is $XDG_CONFIG_HOME/ecometer/config\n"
          "(~/.config/ecometer/config without XDG_CONFIG_HOME), lines of 'key = value';\n"
          "'#' starts a comment. For example:\n\n"
          "  # where this machine is: no more 'which region?' warnings\n"
          "  region = FR\n"
          "  interval = 200ms\n\n"
          "keys (flag, environment variable):\n",
          out);
    for (size_t i = 0; i < eco_n_setting_defs; i++) {
        const struct eco_setting_def *d = &eco_setting_defs[i];
        fprintf(out, "  %-16s %s (%s, %s; default: %s)\n", d->key, d->what, d->flag, d->env ? d->env : "no variable",
                d->fallback);
    }
    fputs("\nGive a key's flag here (e.g. ecometer config --region DE) to see what it would change.\n"
          "  --format F    text (default) or json\n",
          out);
}

/* Each key's flag (core/settings.c's table names them), and --format. */
enum { O_PUE = ECO_O_OWN };
static const struct eco_opt options[] = {
    ECO_OPT_USE(region), {"--pue", NULL, "F", O_PUE, 0, NULL}, ECO_OPT_USE(cpu), ECO_OPT_USE(cpu_tdp),
    ECO_OPT_USE(db),     ECO_OPT_USE(interval),                ECO_OPT_USE(intensity_series), ECO_OPT_USE(format), ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_config = {"config", options, NULL, usage};

struct config_args {
    const char *flags[16]; /* by row of eco_setting_defs */
    const char *fmt;
};

static int take(void *ctx, int id, const char *v)
{
    struct config_args *a = ctx;
    if (id == ECO_O_FORMAT) {
        a->fmt = v;
        return 0;
    }
    const char *name = NULL;
    for (size_t k = 0; !name && (options[k].name || options[k].same); k++)
        if (eco_opt_row(&options[k])->id == id)
            name = eco_opt_row(&options[k])->name;
    for (size_t k = 0; name && k < eco_n_setting_defs; k++)
        if (strcmp(eco_setting_defs[k].flag, name) == 0) {
            a->flags[k] = v;
            return 0;
        }
    return eco_cli_usage_error("config", "unexpected argument '%s'", v);
}

static const char *origin_name(enum eco_setting_origin o)
{
    switch (o) {
    case ECO_SETTING_FLAG: return "flag";
    case ECO_SETTING_ENV: return "env";
    case ECO_SETTING_FILE: return "file";
    default: return "default";
    }
}

/* Every key's effective setting; 0, or the exit code after the error. */
static int effective(const char **flags, struct eco_setting *out)
{
    for (size_t k = 0; k < eco_n_setting_defs; k++) {
        const struct eco_setting_def *d = &eco_setting_defs[k];
        struct eco_err err;
        eco_err_clear(&err);
        if (flags[k]) {
            if (d->check && d->check(flags[k], &err) != 0)
                return eco_cli_usage_error("config", "%s %s: %s", d->flag, flags[k], err.msg);
            out[k] = (struct eco_setting){.def = d, .origin = ECO_SETTING_FLAG};
            snprintf(out[k].value, sizeof out[k].value, "%s", flags[k]);
            snprintf(out[k].where, sizeof out[k].where, "%s", d->flag);
        } else if (eco_setting_get(d->key, &out[k], &err) < 0) {
            return eco_err_print(&err);
        }
    }
    return 0;
}

/* A region that is set must be one ecometer knows: said here, not at the
 * next run. 0, or the exit code. */
static int check_region(const struct eco_setting *s)
{
    if (!s->value[0])
        return 0;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_region_find(s->value, &err))
        return 0;
    fprintf(stderr, "ecometer: region '%s' (set by %s): %s\n", s->value, s->where, err.msg);
    if (err.hint[0])
        fprintf(stderr, "ecometer: hint: %s\n", err.hint);
    return ECO_EXIT_USAGE;
}

static void print_text(const char *path, const struct eco_setting *set)
{
    printf("config file: %s%s\n\n", path[0] ? path : "(none: neither XDG_CONFIG_HOME nor HOME is set)",
           path[0] && access(path, F_OK) != 0 ? " (not there: every key has its default)" : "");
    const char *hdr[] = {"key", "value", "from"};
    struct eco_table *t = eco_table_new(3, hdr);
    for (size_t k = 0; k < eco_n_setting_defs; k++) {
        char from[4200];
        if (set[k].origin == ECO_SETTING_DEFAULT)
            snprintf(from, sizeof from, "default: %s", set[k].def->fallback);
        else
            snprintf(from, sizeof from, "%s %s", origin_name(set[k].origin), set[k].where);
        const char *cells[] = {set[k].def->key, set[k].value[0] ? set[k].value : "-", from};
        eco_table_row(t, cells);
    }
    eco_table_print(t, stdout);
    eco_table_free(t);
}

static void print_json(const char *path, const struct eco_setting *set)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "file", path);
    cJSON_AddBoolToObject(o, "file_exists", path[0] && access(path, F_OK) == 0);
    cJSON *arr = cJSON_AddArrayToObject(o, "settings");
    for (size_t k = 0; k < eco_n_setting_defs; k++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "key", set[k].def->key);
        if (set[k].value[0])
            cJSON_AddStringToObject(s, "value", set[k].value);
        else
            cJSON_AddNullToObject(s, "value");
        cJSON_AddStringToObject(s, "origin", origin_name(set[k].origin));
        cJSON_AddStringToObject(s, "where", set[k].where);
        cJSON_AddStringToObject(s, "default", set[k].def->fallback);
        cJSON_AddStringToObject(s, "env", set[k].def->env ? set[k].def->env : "");
        cJSON_AddItemToArray(arr, s);
    }
    eco_json_emit(stdout, o);
}

int eco_cmd_config(int argc, char **argv)
{
    struct config_args a = {.fmt = "text"};
    struct eco_setting set[16];
    if (eco_n_setting_defs > 16)
        return ECO_EXIT_RUNTIME; /* the arrays here: grow them with the key table */
    int rc = eco_opts_parse(&eco_opts_config, argc, argv, take, &a, NULL);
    if (rc != ECO_OPTS_GO_ON)
        return rc;
    const char *fmt_s = a.fmt, **flags = a.flags;
    struct eco_err err;
    eco_err_clear(&err);
    enum eco_format fmt;
    if (eco_parse_format(fmt_s, &fmt, &err) != 0 || fmt == ECO_FMT_CSV)
        return eco_cli_usage_error("config", "--format takes text or json, not '%s'", fmt_s);
    if ((rc = effective(flags, set)) != 0)
        return rc;
    char path[PATH_MAX] = "";
    if (eco_config_path(path, sizeof path, &err) != 0)
        path[0] = '\0';
    for (size_t k = 0; k < eco_n_setting_defs; k++)
        if (strcmp(set[k].def->key, "region") == 0 && (rc = check_region(&set[k])) != 0)
            return rc;
    if (fmt == ECO_FMT_JSON)
        print_json(path, set);
    else
        print_text(path, set);
    return 0;
}
