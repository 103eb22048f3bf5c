/* The idle baseline: what this machine draws doing nothing, subtracted from
 * a run to get what the run added (W_target = W_total - W_idle).
 *
 * Measured either just before a run (`run --baseline 10s`) or once by
 * `ecometer baseline` and stored in a small text file:
 *   $ECOMETER_BASELINE_FILE, else $XDG_STATE_HOME/ecometer/baseline.tsv,
 *   else ~/.local/state/ecometer/baseline.tsv
 * with one "key<TAB>value" line each (format, watts, duration_s, measured_unix,
 * host, sensors, method). A stored baseline is used by later runs only when it
 * was taken on this host with the same set of domains. */
#ifndef ECO_METER_BASELINE_H
#define ECO_METER_BASELINE_H

#include <stddef.h>

#include "core/err.h"

struct eco_meter;

struct eco_baseline {
    double watts;            /* idle power of the top-level domains */
    double duration_s;
    double measured_unix;
    char host[128];
    char sensors[512];       /* signature: the domains' names, comma-separated */
    int estimated;           /* some of it is estimated */
};

/* Sample the meter for duration_s with nothing else started (restarts it). */
int eco_baseline_measure(struct eco_meter *m, double duration_s, struct eco_baseline *out, struct eco_err *err);
/* The domain signature of a meter (to match a stored baseline). */
void eco_baseline_signature(const struct eco_meter *m, char *buf, size_t len);

const char *eco_baseline_path(char *buf, size_t len);
int eco_baseline_save(const struct eco_baseline *b, struct eco_err *err);
/* 1 loaded, 0 no file, -1 unreadable or malformed (err says which). */
int eco_baseline_load(struct eco_baseline *b, struct eco_err *err);

#endif
