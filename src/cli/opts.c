/* The one option parser (see opts.h). */
#include "cli/opts.h"

#include <string.h>

#include "cli/cli.h"
#include "core/edit_distance.h"

/* The shared options: one declaration each, whatever command includes them. */
const struct eco_opt eco_opt_format = {"--format", NULL, "F", ECO_O_FORMAT, 0, NULL};
const struct eco_opt eco_opt_region = {"--region", NULL, "CODE", ECO_O_REGION, 0, NULL};
const struct eco_opt eco_opt_carbon_intensity = {"--carbon-intensity", NULL, "G", ECO_O_CARBON_INTENSITY, 0, NULL};
const struct eco_opt eco_opt_db = {"--db", NULL, "FILE", ECO_O_DB, 0, NULL};
const struct eco_opt eco_opt_no_history = {"--no-history", NULL, NULL, ECO_O_NO_HISTORY, 0, NULL};
const struct eco_opt eco_opt_interval = {"--interval", NULL, "D", ECO_O_INTERVAL, 0, NULL};
const struct eco_opt eco_opt_duration = {"--duration", NULL, "D", ECO_O_DURATION, 0, NULL};
const struct eco_opt eco_opt_baseline = {"--baseline", NULL, "D", ECO_O_BASELINE, 0, NULL};
const struct eco_opt eco_opt_json = {"--json", NULL, "FILE", ECO_O_JSON, 0, NULL};
const struct eco_opt eco_opt_quiet = {"--quiet", "-q", NULL, ECO_O_QUIET, 0, NULL};
const struct eco_opt eco_opt_output = {"--output", "-o", "FILE", ECO_O_OUTPUT, 0, NULL};
const struct eco_opt eco_opt_all = {"--all", NULL, NULL, ECO_O_ALL, 0, NULL};
const struct eco_opt eco_opt_limit = {"--limit", "-n", "N", ECO_O_LIMIT, 0, NULL};
const struct eco_opt eco_opt_top = {"--top", NULL, "N", ECO_O_TOP, 0, NULL};
const struct eco_opt eco_opt_cpu = {"--cpu", NULL, "NAME", ECO_O_CPU, 0, NULL};
const struct eco_opt eco_opt_cpu_tdp = {"--cpu-tdp", NULL, "W", ECO_O_CPU_TDP, 0, NULL};
const struct eco_opt eco_opt_intensity_series = {"--intensity-series", NULL, "FILE", ECO_O_INTENSITY_SERIES, 0, NULL};
const struct eco_opt eco_opt_series_basis = {"--series-basis", NULL, "B", ECO_O_SERIES_BASIS, 0, NULL};
const struct eco_opt eco_opt_lifetime = {"--lifetime", NULL, "D", ECO_O_LIFETIME, 0, NULL};
const struct eco_opt eco_opt_embodied_share = {"--embodied-share", NULL, "F", ECO_O_EMBODIED_SHARE, 0, NULL};

/* Far enough from every command's table size that a fixed count array holds
 * them all; a longer table is a programming error caught by the unit test. */
#define MAX_ROWS 64

const struct eco_opt *eco_opt_row(const struct eco_opt *entry)
{
    return entry->same ? entry->same : entry;
}

static int is_end(const struct eco_opt *e)
{
    return !e->name && !e->same;
}

static int is_option_word(const char *a)
{
    return a[0] == '-' && a[1] != '\0';
}

static int is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* The row argv word `a` names ("--db", "--db=FILE", "-o"), its index in
 * *row_at, and where an attached value starts (after '='), or NULL. */
static const struct eco_opt *lookup(const struct eco_opt *opts, const char *a, int *row_at, const char **attached)
{
    *attached = NULL;
    size_t n = strcspn(a, "=");
    for (int k = 0; !is_end(&opts[k]); k++) {
        const struct eco_opt *o = eco_opt_row(&opts[k]);
        int long_hit = a[1] == '-' && strlen(o->name) == n && strncmp(a, o->name, n) == 0;
        if (long_hit || (o->alias && strcmp(a, o->alias) == 0)) {
            *row_at = k;
            if (long_hit && a[n] == '=')
                *attached = a + n + 1;
            return o;
        }
    }
    return NULL;
}

const char *eco_opts_suggest(const struct eco_opt *opts, const char *given)
{
    char name[ECO_EDIT_MAX_LEN + 1];
    size_t n = strcspn(given, "=");
    if (n > ECO_EDIT_MAX_LEN || n < 3)
        return NULL;
    memcpy(name, given, n);
    name[n] = 0;
    const char *best = NULL, *prefix_of = NULL;
    size_t best_d = n / 3 > 2 ? n / 3 : 2; /* a typo or two, more in a long name */
    int n_prefix = 0;
    for (int k = 0; !is_end(&opts[k]); k++) {
        const char *cand = eco_opt_row(&opts[k])->name;
        if (strncmp(cand, name, n) == 0) {
            prefix_of = cand;
            n_prefix++;
        }
        size_t d = eco_edit_distance(name, cand);
        if (d <= best_d && (!best || d < best_d)) {
            best = cand;
            best_d = d;
        }
    }
    if (n_prefix == 1 && strlen(name) > 3)
        return prefix_of; /* "--run" for "--runtime": an abbreviation */
    return best;
}

void eco_opts_help(const struct eco_opts_spec *spec, FILE *out)
{
    if (spec->help)
        fputs(spec->help, out);
    else
        spec->usage(out);
}

/* The first pass: whether --help or -h stands among the options (not as a
 * value, not after the options end), and where each row is given last
 * (last[k]: its argv index, 0 if not given). */
static int prescan(const struct eco_opts_spec *spec, int argc, char **argv, int stop_at_word, int *last)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            return 0;
        if (!is_option_word(a)) {
            if (stop_at_word)
                return 0;
            continue;
        }
        if (is_help(a))
            return 1;
        int k;
        const char *attached;
        const struct eco_opt *o = lookup(spec->opts, a, &k, &attached);
        if (o && k < MAX_ROWS)
            last[k] = i;
        if (o && o->metavar && !attached)
            i++; /* its value */
    }
    return 0;
}

static int unknown_option(const struct eco_opts_spec *spec, const char *a)
{
    const char *near = eco_opts_suggest(spec->opts, a);
    fprintf(stderr, "ecometer: unknown option %s\n", a);
    if (near)
        fprintf(stderr, "ecometer: hint: did you mean '%s'? (see 'ecometer help %s')\n", near, spec->cmd);
    else
        fprintf(stderr, "ecometer: hint: see 'ecometer help %s'\n", spec->cmd);
    return ECO_EXIT_USAGE;
}

/* The value of option o at argv[*i] (advancing *i past a separate one), or
 * NULL for a flag; *rc set to the usage exit code when it is wrong. */
static const char *value_of(const struct eco_opts_spec *spec, const struct eco_opt *o, const char *attached,
                            int argc, char **argv, int *i, int *rc)
{
    *rc = 0;
    if (!o->metavar) {
        if (attached)
            *rc = eco_cli_usage_error(spec->cmd, "%s takes no value (given '%s')", o->name, argv[*i]);
        return NULL;
    }
    if (attached)
        return attached;
    if (*i + 1 >= argc) {
        *rc = eco_cli_usage_error(spec->cmd, "%s needs a value (%s %s)", argv[*i], o->name, o->metavar);
        return NULL;
    }
    return argv[++*i];
}

int eco_opts_parse(const struct eco_opts_spec *spec, int argc, char **argv, eco_opt_take take, void *ctx,
                   int *rest)
{
    int last[MAX_ROWS] = {0};
    if (prescan(spec, argc, argv, rest != NULL, last)) {
        eco_opts_help(spec, stdout);
        return ECO_EXIT_OK;
    }
    int words_only = 0, rc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!words_only && strcmp(a, "--") == 0) {
            if (rest) {
                *rest = i + 1;
                return ECO_OPTS_GO_ON;
            }
            words_only = 1;
            continue;
        }
        if (words_only || !is_option_word(a)) {
            if (rest) {
                *rest = i;
                return ECO_OPTS_GO_ON;
            }
            if ((rc = take(ctx, ECO_O_WORD, a)) != 0)
                return rc;
            continue;
        }
        int k;
        const char *attached;
        const struct eco_opt *o = lookup(spec->opts, a, &k, &attached);
        if (!o)
            return unknown_option(spec, a);
        const char *v = value_of(spec, o, attached, argc, argv, &i, &rc);
        if (rc)
            return rc;
        /* A single-valued option given again replaces the earlier value
         * (scripts put defaults first): only its last one reaches the command. */
        if (!(o->flags & ECO_OPT_REPEAT) && k < MAX_ROWS && last[k] != i - (v && !attached))
            continue;
        if ((rc = take(ctx, o->id, v)) != 0)
            return rc;
    }
    if (rest)
        *rest = argc;
    return ECO_OPTS_GO_ON;
}
