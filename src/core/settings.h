/* Settings given once instead of on every command line (issue 13): a key
 * has a flag, an environment variable and a line in the config file, and
 * the first of these that is set wins:
 *     flag  >  environment  >  config file  >  default
 * The config file is $XDG_CONFIG_HOME/ecometer/config (without
 * XDG_CONFIG_HOME: ~/.config/ecometer/config), lines of
 *     key = value        # a comment
 * (spaces around key and value dropped, '#' starts a comment anywhere, blank
 * lines ignored, a key given twice: the last line wins). The keys are the
 * rows of eco_setting_defs (settings.c): a new key is one row there, read
 * with eco_setting_get where it applies. `ecometer config` prints each key's
 * value and where it came from. */
#ifndef ECO_CORE_SETTINGS_H
#define ECO_CORE_SETTINGS_H

#include <stddef.h>

#include "core/err.h"

struct eco_setting_def {
    const char *key;        /* in the file: "region" */
    const char *env;        /* "ECOMETER_REGION", or NULL when only the file sets it */
    const char *flag;       /* "--region": the flag that overrides it (documentation) */
    const char *what;       /* one line for `ecometer config` and the README */
    const char *fallback;   /* the default when nothing sets it, for people ("world average") */
    /* The value's syntax (code 2 and a message naming what is wrong, without
     * the place: the caller adds file:line or the variable), or NULL. */
    int (*check)(const char *value, struct eco_err *err);
};
extern const struct eco_setting_def eco_setting_defs[];
extern const size_t eco_n_setting_defs;

enum eco_setting_origin { ECO_SETTING_DEFAULT, ECO_SETTING_FILE, ECO_SETTING_ENV, ECO_SETTING_FLAG };

#define ECO_SETTING_MAX 1024

struct eco_setting {
    const struct eco_setting_def *def;
    enum eco_setting_origin origin;
    char value[ECO_SETTING_MAX];    /* "" when the default applies */
    char where[4096 + 32];           /* "--region", "ECOMETER_REGION", "/home/u/.config/ecometer/config:3", "default" */
};

/* The config file's path; 0, or -1 with err when neither XDG_CONFIG_HOME
 * nor HOME says where it is (then there is no file, which is not an error
 * for eco_setting_get). */
int eco_config_path(char *buf, size_t len, struct eco_err *err);

/* Read the config file (a missing file is no error) and the environment
 * again; used once per process by eco_setting_get, and by tests. 0, or -1
 * with err (code 2) naming the file and line of the first bad line. */
int eco_settings_reload(struct eco_err *err);

/* The effective value of `key` from the environment or the file (flags are
 * the caller's): 1 and *out filled when one sets it, 0 when the default
 * applies (*out: origin DEFAULT, value ""), -1 with err when the config file
 * is bad or the variable's value breaks the key's syntax. */
int eco_setting_get(const char *key, struct eco_setting *out, struct eco_err *err);

/* The row of a key, or NULL (with err naming the closest keys). */
const struct eco_setting_def *eco_setting_def_find(const char *key, struct eco_err *err);

#endif
