/* The scenario of a run in words (see scenario.h). */
#include "render/scenario.h"

#include <string.h>

#include "core/duration.h"
#include "core/units.h"

static int fixed_time(const struct eco_run_result *r) { return strcmp(r->scenario, "fixed-time") == 0; }

const char *eco_scenario_label(const struct eco_run_result *r, char *buf, size_t len)
{
    char a[48], b[48];
    if (fixed_time(r)) {
        eco_format_duration(r->for_s, a, sizeof a);
        if (strcmp(r->child_end, "stopped") == 0)
            snprintf(buf, len, "fixed time: --for %s, then stopped by ecometer (SIGTERM)", a);
        else if (strcmp(r->child_end, "killed") == 0)
            snprintf(buf, len, "fixed time: --for %s, then killed by ecometer (SIGKILL: SIGTERM ignored for the %s "
                               "grace)", a, eco_format_duration(r->grace_s, b, sizeof b));
        else if (strcmp(r->child_end, "interrupted") == 0)
            snprintf(buf, len, "fixed time: --for %s, but interrupted by a signal to ecometer after %s, before the "
                               "limit", a, eco_format_duration(r->duration_s, b, sizeof b));
        else if (strcmp(r->child_end, "exited") == 0)
            snprintf(buf, len, "fixed time: --for %s, but the command ended by itself after %s, before the limit", a,
                     eco_format_duration(r->duration_s, b, sizeof b));
        else
            snprintf(buf, len, "fixed time: --for %s (how the command ended was not recorded: run cut short)", a);
    } else if (strcmp(r->scenario, "fixed-task") == 0) {
        snprintf(buf, len, "fixed task: the command ran to its end");
    } else {
        snprintf(buf, len, "not recorded (%s)", strcmp(r->kind, "run") == 0 ? "a run from before ecometer recorded it"
                                                                           : "not a command's run");
    }
    return buf;
}

const char *eco_scenario_window(const struct eco_run_result *r, char *buf, size_t len)
{
    buf[0] = '\0';
    if (!fixed_time(r))
        return buf;
    char e[48], d[48];
    if (eco_run_result_unmeasured(r))
        snprintf(e, sizeof e, "energy not measured");
    else
        eco_fmt_energy(r->window_energy_j, e, sizeof e);
    int n = snprintf(buf, len, "%s: %s, %lld items", eco_format_duration(r->window_s, d, sizeof d), e,
                     r->window_items);
    if (n <= 0 || (size_t)n >= len)
        return buf;
    if (r->items_per_j >= 0)
        snprintf(buf + n, len - (size_t)n, ", %.4g items/J", r->items_per_j);
    else
        snprintf(buf + n, len - (size_t)n, ", no items per joule (%s)",
                 r->window_items > 0 ? "no energy" : "no item counted: send 'items N' markers");
    return buf;
}

const char *eco_scenario_mismatch(const struct eco_run_result *a, const struct eco_run_result *b, char *buf,
                                  size_t len)
{
    char x[48], y[48];
    if (!a->scenario[0] || !b->scenario[0]) {
        if (!a->scenario[0] && !b->scenario[0])
            return NULL;
        snprintf(buf, len, "the scenario of run %s is not recorded (fixed time or fixed task): its figures may not "
                           "compare with run %s's (%s)", !a->scenario[0] ? "A" : "B", !a->scenario[0] ? "B" : "A",
                 !a->scenario[0] ? b->scenario : a->scenario);
        return buf;
    }
    if (strcmp(a->scenario, b->scenario) != 0) {
        snprintf(buf, len, "A is a %s run and B a %s run: %s; energy and CO2e are of different amounts of work "
                           "or time", a->scenario, b->scenario,
                 "compare items per joule only if both counted items over the same work");
        return buf;
    }
    if (fixed_time(a) && a->for_s != b->for_s) {
        snprintf(buf, len, "both are fixed-time runs but of different lengths (--for %s and --for %s): compare "
                           "items per joule, not energy", eco_format_duration(a->for_s, x, sizeof x),
                 eco_format_duration(b->for_s, y, sizeof y));
        return buf;
    }
    return NULL;
}

void eco_scenario_summary(FILE *out, const struct eco_run_result *r, const char *indent)
{
    char a[256], b[256];
    if (strcmp(r->kind, "run") != 0)
        return;
    fprintf(out, "%sscenario        %s\n", indent, eco_scenario_label(r, a, sizeof a));
    if (fixed_time(r))
        fprintf(out, "%swindow          %s\n", indent, eco_scenario_window(r, b, sizeof b));
}
