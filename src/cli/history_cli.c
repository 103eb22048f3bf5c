#include "cli/history_cli.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "meter/run_recompute.h"

int eco_cli_opt(const char *cmd, int argc, char **argv, int *i, const char *name,
                const char *short_name, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) == 0 && a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (strcmp(a, name) != 0 && !(short_name && strcmp(a, short_name) == 0))
        return 0;
    if (*i + 1 >= argc) {
        eco_cli_usage_error(cmd, "%s needs a value", a);
        return -1;
    }
    *val = argv[++*i];
    return 1;
}

struct eco_history *eco_cli_open_history(const char *db)
{
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_history *h = eco_history_open_existing(db, &err);
    if (!h)
        eco_err_print(&err);
    else if (eco_history_damage(h))
        fprintf(stderr, "ecometer: warning: the history %s is damaged (SQLite integrity_check: %s); "
                        "showing what can still be read\n", eco_history_path(h), eco_history_damage(h));
    return h;
}

int eco_cli_place_opt(const char *cmd, int argc, char **argv, int *i, struct eco_cli_place *p)
{
    int m = eco_cli_opt(cmd, argc, argv, i, "--region", NULL, &p->region);
    return m ? m : eco_cli_opt(cmd, argc, argv, i, "--carbon-intensity", NULL, &p->intensity);
}

int eco_cli_recompute(const struct eco_cli_place *p, struct eco_run_result *runs, size_t n)
{
    if (!p->region && !p->intensity)
        return 0;
    struct eco_err err;
    eco_err_clear(&err);
    double g = ECO_INTENSITY_NONE;
    struct eco_intensity in;
    if ((p->intensity && eco_intensity_parse(p->intensity, &g, &err) != 0) ||
        eco_intensity_resolve(p->region, g, &in, &err) != 0)
        return eco_err_print(&err);
    for (size_t i = 0; i < n; i++)
        eco_run_recompute(&runs[i], &in);
    return 0;
}

int eco_cli_load_run(struct eco_history *h, const char *ref, struct eco_run_result *out)
{
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_history_load(h, ref, out, &err) == 0)
        return 0;
    return eco_err_print(&err);
}
