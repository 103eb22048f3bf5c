#include "cli/history_cli.h"

#include <stdio.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "meter/run_recompute.h"

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
    if (h && eco_history_note(h))
        fprintf(stderr, "ecometer: note: %s\n", eco_history_note(h));
    return h;
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

int eco_cli_stored_take(struct eco_cli_stored *s, int id, const char *v)
{
    switch (id) {
    case ECO_O_DB: s->db = v; return 1;
    case ECO_O_FORMAT: s->fmt_s = v; return 1;
    case ECO_O_REGION: s->place.region = v; return 1;
    case ECO_O_CARBON_INTENSITY: s->place.intensity = v; return 1;
    }
    return 0;
}

int eco_cli_load_runs(const char *db, const char *const *refs, size_t n, const struct eco_cli_place *place,
                      struct eco_run_result *out)
{
    struct eco_history *h = eco_cli_open_history(db);
    if (!h)
        return ECO_EXIT_RUNTIME;
    size_t loaded = 0;
    int rc = 0;
    while (loaded < n && (rc = eco_cli_load_run(h, refs[loaded], &out[loaded])) == 0)
        loaded++;
    eco_history_close(h);
    if (rc == 0 && place)
        rc = eco_cli_recompute(place, out, n);
    if (rc)
        while (loaded > 0)
            eco_run_result_free(&out[--loaded]);
    return rc;
}
