/* Measuring and storing the idle baseline (see baseline.h). */
#include "meter/baseline.h"
#include "core/clock.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/make_parent.h"
#include "core/numparse.h"
#include "meter/meter.h"
#include "meter/sampler.h"

void eco_baseline_signature(const struct eco_meter *m, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < eco_meter_n_domains(m); i++) {
        const struct eco_domain *d = eco_meter_domain(m, i);
        if (d->parent != -1)
            continue;
        int n = snprintf(buf + used, len - used, "%s%s", used ? "," : "", d->name);
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
}

int eco_baseline_measure(struct eco_meter *m, double duration_s, struct eco_baseline *out, struct eco_err *err)
{
    memset(out, 0, sizeof *out);
    if (eco_meter_start(m, err) < 0)
        return -1;
    double t_end = eco_monotonic_s() + duration_s;
    while (eco_monotonic_s() < t_end) {
        if (!eco_meter_wait_and_sample(m))
            return eco_err_set(err, 1, "baseline measurement interrupted");
    }
    eco_meter_sample(m);
    double elapsed = eco_meter_elapsed_s(m);
    double e = eco_meter_energy_j(m);
    if (elapsed <= 0)
        return eco_err_set(err, 1, "baseline measurement took no time");
    out->watts = e / elapsed;
    out->duration_s = elapsed;
    out->measured_unix = (double)time(NULL);
    gethostname(out->host, sizeof out->host - 1);
    out->estimated = eco_meter_any_estimated(m);
    eco_baseline_signature(m, out->sensors, sizeof out->sensors);
    return 0;
}

const char *eco_baseline_path(char *buf, size_t len)
{
    const char *f = getenv("ECOMETER_BASELINE_FILE");
    if (f && *f) {
        snprintf(buf, len, "%s", f);
        return buf;
    }
    const char *st = getenv("XDG_STATE_HOME");
    if (st && *st)
        snprintf(buf, len, "%s/ecometer/baseline.tsv", st);
    else
        snprintf(buf, len, "%s/.local/state/ecometer/baseline.tsv", getenv("HOME") ? getenv("HOME") : ".");
    return buf;
}

int eco_baseline_save(const struct eco_baseline *b, struct eco_err *err)
{
    char path[1024], tmp[1100];
    eco_baseline_path(path, sizeof path);
    if (eco_make_parent(path, 0755, tmp, sizeof tmp) < 0)
        return eco_err_set(err, 1, "cannot create the folder of %s: %s", path, strerror(errno));
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        eco_err_set(err, 1, "cannot write %s: %s", tmp, strerror(errno));
        eco_err_hint(err, "set XDG_STATE_HOME or ECOMETER_BASELINE_FILE to a writable place");
        return -1;
    }
    fprintf(f, "format\t1\nwatts\t%.6f\nduration_s\t%.3f\nmeasured_unix\t%.0f\nhost\t%s\nsensors\t%s\nmethod\t%s\n",
            b->watts, b->duration_s, b->measured_unix, b->host, b->sensors,
            b->estimated ? "estimated" : "measured");
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return eco_err_set(err, 1, "cannot write %s: %s", path, strerror(errno));
    }
    return 0;
}

int eco_baseline_load(struct eco_baseline *b, struct eco_err *err)
{
    char path[1024], line[1024];
    eco_baseline_path(path, sizeof path);
    memset(b, 0, sizeof *b);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        return eco_err_set(err, 1, "cannot read the stored baseline %s: %s", path, strerror(errno));
    }
    int have_watts = 0, format = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        const char *k = line, *v = tab + 1;
        /* what eco_baseline_save wrote; anything else ("1x", "0x10" W) is not ours */
        if (strcmp(k, "format") == 0)
            format = eco_num_int(v, 0, 1000, 0, &format) == ECO_NUM_OK ? format : -1;
        else if (strcmp(k, "watts") == 0)
            have_watts = eco_num_double(v, 0, 1e6, 0, &b->watts) == ECO_NUM_OK && b->watts < 1e6;
        else if (strcmp(k, "duration_s") == 0 && eco_num_double(v, 0, 1e12, 0, &b->duration_s) != ECO_NUM_OK)
            b->duration_s = 0; /* not known */
        else if (strcmp(k, "measured_unix") == 0 && eco_num_double(v, 0, 1e12, 0, &b->measured_unix) != ECO_NUM_OK)
            b->measured_unix = 0;
        else if (strcmp(k, "host") == 0)
            snprintf(b->host, sizeof b->host, "%s", v);
        else if (strcmp(k, "sensors") == 0)
            snprintf(b->sensors, sizeof b->sensors, "%s", v);
        else if (strcmp(k, "method") == 0)
            b->estimated = strcmp(v, "estimated") == 0;
    }
    fclose(f);
    if (format != 1 || !have_watts) {
        eco_err_set(err, 1, "the stored baseline %s is not in a format this ecometer reads", path);
        eco_err_hint(err, "measure it again with 'ecometer baseline'");
        return -1;
    }
    return 1;
}
