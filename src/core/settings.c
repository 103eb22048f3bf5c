/* Settings from the environment and the config file (see settings.h). */
#include "core/settings.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/duration.h"
#include "core/numparse.h"

/* ---- the keys ------------------------------------------------------------ */

static int check_text(const char *v, struct eco_err *err)
{
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return eco_err_set(err, 2, "the value holds a control character");
    return *v ? 0 : eco_err_set(err, 2, "the value is empty");
}

static int check_pue(const char *v, struct eco_err *err)
{
    double x;
    /* the same range as estimate --pue (carbon/posteriori.h ECO_POST_MAX_PUE) */
    if (eco_num_double(v, 1, 10, 0, &x) != ECO_NUM_OK)
        return eco_err_set(err, 2, "pue '%s' is not a number from 1 to 10 (facility energy / IT energy)", v);
    return 0;
}

static int check_interval(const char *v, struct eco_err *err)
{
    double s;
    struct eco_err e;
    eco_err_clear(&e);
    if (eco_parse_duration(v, &s, &e) != 0 || s < 0.001 || s > 3600)
        return eco_err_set(err, 2, "interval '%s' is not a duration from 1ms to 1h (e.g. 100ms)", v);
    return 0;
}

const struct eco_setting_def eco_setting_defs[] = {
    {"region", "ECOMETER_REGION", "--region", "the place whose carbon intensity gives CO2e (FR, US-CA, aws:eu-west-3)",
     "the world average, with a warning", check_text},
    {"pue", "ECOMETER_PUE", "--pue", "power usage effectiveness for 'ecometer estimate'", "the method's default",
     check_pue},
    {"cpu", "ECOMETER_CPU", "--cpu", "the CPU table row to estimate with when no sensor measures the CPU",
     "this machine's CPU model", NULL},
    /* cpu and cpu_tdp are checked where they are used (sensors/cpu_choice.c), with the place they came from */
    {"cpu_tdp", "ECOMETER_CPU_TDP", "--cpu-tdp", "that CPU's TDP per socket in watts", "the table's", NULL},
    {"db", "ECOMETER_DB", "--db", "the history of runs", "$XDG_DATA_HOME/ecometer/history.db", check_text},
    {"interval", "ECOMETER_INTERVAL", "--interval", "the sampling interval of run and monitor",
     "100ms for run, 1s for monitor", check_interval},
    {"intensity_series", "ECOMETER_INTENSITY_SERIES", "--intensity-series",
     "carbon intensity over time for run, monitor and serve (a CSV file)", "none: the yearly average", check_text},
};
const size_t eco_n_setting_defs = sizeof eco_setting_defs / sizeof eco_setting_defs[0];

const struct eco_setting_def *eco_setting_def_find(const char *key, struct eco_err *err)
{
    for (size_t i = 0; i < eco_n_setting_defs; i++)
        if (strcmp(eco_setting_defs[i].key, key) == 0)
            return &eco_setting_defs[i];
    char keys[256] = "";
    for (size_t i = 0; i < eco_n_setting_defs; i++)
        snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s%s", i ? ", " : "", eco_setting_defs[i].key);
    eco_err_set(err, 2, "unknown key '%s'", key);
    eco_err_hint(err, "the keys are: %s", keys);
    return NULL;
}

/* ---- the file ------------------------------------------------------------ */

int eco_config_path(char *buf, size_t len, struct eco_err *err)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/') /* XDG: a relative path is invalid and ignored */
        n = snprintf(buf, len, "%s/ecometer/config", xdg);
    else if (home && *home)
        n = snprintf(buf, len, "%s/.config/ecometer/config", home);
    else
        return eco_err_set(err, 1, "neither XDG_CONFIG_HOME nor HOME is set: no config file");
    return n > 0 && (size_t)n < len ? 0 : eco_err_set(err, 2, "the config file's path is too long");
}

static struct {
    struct eco_setting file[sizeof eco_setting_defs / sizeof eco_setting_defs[0]];
    struct eco_err err;
    int bad;
} loaded;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* One line: 0 (blank, comment or a setting), or -1 with err. */
static int parse_line(char *line, const char *path, int lineno, struct eco_err *err)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *s = trim(line);
    if (!*s)
        return 0;
    char *eq = strchr(s, '=');
    if (!eq) {
        eco_err_set(err, 2, "%s:%d: expected 'key = value', got '%.60s'", path, lineno, s);
        eco_err_hint(err, "write e.g. 'region = FR'; a '#' starts a comment");
        return -1;
    }
    *eq = '\0';
    char *key = trim(s), *value = trim(eq + 1);
    struct eco_err e;
    eco_err_clear(&e);
    const struct eco_setting_def *def = eco_setting_def_find(key, &e);
    if (def && !*value) {
        eco_err_set(&e, 2, "no value for %s", key);
        eco_err_hint(&e, "write e.g. '%s = VALUE', or remove the line for the default", key);
        def = NULL;
    }
    if (def && def->check && def->check(value, &e) != 0)
        def = NULL;
    if (!def) {
        eco_err_set(err, 2, "%s:%d: %s", path, lineno, e.msg);
        eco_err_hint(err, "%s", e.hint[0] ? e.hint : "fix or remove the line ('ecometer config' shows the keys)");
        return -1;
    }
    struct eco_setting *out = &loaded.file[def - eco_setting_defs];
    out->def = def;
    out->origin = ECO_SETTING_FILE;
    snprintf(out->value, sizeof out->value, "%s", value);
    snprintf(out->where, sizeof out->where, "%s:%d", path, lineno);
    return 0;
}

static void load_file(void)
{
    memset(&loaded, 0, sizeof loaded);
    eco_err_clear(&loaded.err);
    char path[PATH_MAX];
    struct eco_err e;
    eco_err_clear(&e);
    if (eco_config_path(path, sizeof path, &e) != 0)
        return;
    FILE *f = fopen(path, "r");
    struct stat st;
    if (!f) {
        /* A file that is there but cannot be read is an error; a folder on
         * the way that this user may not enter (another user's
         * XDG_CONFIG_HOME, e.g. under sudo) says nothing of a file: none. */
        if (errno != ENOENT && errno != ENOTDIR && stat(path, &st) == 0) {
            eco_err_set(&loaded.err, 2, "cannot read the config file %s: %s", path, strerror(errno));
            eco_err_hint(&loaded.err, "fix its permissions, or set XDG_CONFIG_HOME to another folder");
            loaded.bad = 1;
        }
        return;
    }
    char line[ECO_SETTING_MAX + 256];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            eco_err_set(&loaded.err, 2, "%s:%d: the line is too long (at most %zu bytes)", path, lineno,
                        sizeof line - 2);
            loaded.bad = 1;
            break;
        }
        if (parse_line(line, path, lineno, &loaded.err) != 0) {
            loaded.bad = 1;
            break;
        }
    }
    fclose(f);
}

int eco_settings_reload(struct eco_err *err)
{
    load_file();
    if (loaded.bad) {
        *err = loaded.err;
        return -1;
    }
    return 0;
}

int eco_setting_get(const char *key, struct eco_setting *out, struct eco_err *err)
{
    const struct eco_setting_def *def = eco_setting_def_find(key, err);
    if (!def)
        return -1;
    pthread_once(&load_once, load_file);
    memset(out, 0, sizeof *out);
    out->def = def;
    snprintf(out->where, sizeof out->where, "default");
    const char *env = def->env ? getenv(def->env) : NULL;
    if (env && *env) {
        struct eco_err e;
        eco_err_clear(&e);
        if (def->check && def->check(env, &e) != 0) {
            eco_err_set(err, 2, "%s: %s", def->env, e.msg);
            eco_err_hint(err, "fix or unset %s", def->env);
            return -1;
        }
        out->origin = ECO_SETTING_ENV;
        snprintf(out->value, sizeof out->value, "%s", env);
        snprintf(out->where, sizeof out->where, "%s", def->env);
        return 1;
    }
    if (loaded.bad) {
        *err = loaded.err;
        return -1;
    }
    const struct eco_setting *f = &loaded.file[def - eco_setting_defs];
    if (f->def) {
        *out = *f;
        return 1;
    }
    return 0;
}
