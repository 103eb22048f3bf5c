/* Test-only: store a synthetic run in a history database, so the e2e tests
 * of runs/show/compare/export/report have runs to read without hardware.
 *   eco_mkrun DB ID [cpu_w=60 dram_w=8 gpu_w=0 duration=60 interval=0.5
 *                    epochs=3 items=1000 start=UNIX baseline=0 region=FR
 *                    intensity=56 incomplete=1 command=TEXT name=NAME tags=A,B
 *                    project=P] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meter/run_label.h"
#include "store/history.h"
#include "unit/synthetic_run.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: eco_mkrun DB ID [key=value...]\n");
        return 2;
    }
    struct eco_synth s = {.id = argv[2]};
    const char *name = NULL, *tags = NULL, *project = NULL;
    for (int i = 3; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            fprintf(stderr, "eco_mkrun: bad argument '%s'\n", argv[i]);
            return 2;
        }
        *eq = 0;
        const char *k = argv[i], *v = eq + 1;
        if (!strcmp(k, "cpu_w")) s.cpu_w = atof(v);
        else if (!strcmp(k, "dram_w")) s.dram_w = atof(v);
        else if (!strcmp(k, "gpu_w")) s.gpu_w = atof(v);
        else if (!strcmp(k, "duration")) s.duration_s = atof(v);
        else if (!strcmp(k, "interval")) s.interval_s = atof(v);
        else if (!strcmp(k, "epochs")) s.epochs = atoi(v);
        else if (!strcmp(k, "items")) s.items_per_epoch = atoll(v);
        else if (!strcmp(k, "start")) s.start_unix = atof(v);
        else if (!strcmp(k, "baseline")) s.baseline_w = atof(v);
        else if (!strcmp(k, "region")) s.region = v;
        else if (!strcmp(k, "intensity")) s.intensity = atof(v);
        else if (!strcmp(k, "incomplete")) s.incomplete = atoi(v);
        else if (!strcmp(k, "command")) s.command = v;
        else if (!strcmp(k, "name")) name = v;
        else if (!strcmp(k, "tags")) tags = v;
        else if (!strcmp(k, "project")) project = v;
        else {
            fprintf(stderr, "eco_mkrun: unknown key '%s'\n", k);
            return 2;
        }
    }
    struct eco_run_result r;
    eco_synth_run(&s, &r);
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_run_label_set(&r, name, tags, project, &err) != 0) {
        eco_synth_free(&r);
        return eco_err_print(&err);
    }
    struct eco_history *h = eco_history_open(argv[1], &err);
    if (!h || eco_history_save(h, &r, &err) != 0) {
        eco_synth_free(&r);
        eco_history_close(h);
        return eco_err_print(&err);
    }
    printf("%s %.6f\n", r.id, r.total_energy_j);
    eco_synth_free(&r);
    eco_history_close(h);
    return 0;
}
