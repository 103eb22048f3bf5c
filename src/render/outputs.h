/* The outputs of run records, one row each (render/outputs.c). A command
 * names the rows it offers; `--format NAME` is looked up among them, and a
 * name it does not offer (or a single-run output asked for several runs) is
 * refused with exit 2 by this table, never by a fallback to text. Adding an
 * output is its writer's file in src/render/ plus a row. */
#ifndef ECO_RENDER_OUTPUTS_H
#define ECO_RENDER_OUTPUTS_H

#include <stdio.h>

#include "core/err.h"
#include "meter/result.h"

struct eco_output_ctx {
    int with_series;          /* json: each domain's power series */
    const char *project;      /* codecarbon: project_name (NULL: "ecometer") */
    int codecarbon_version;   /* codecarbon: 3 or 2 (0: 3) */
    const char *experiment_id;/* codecarbon: experiment_id (NULL: empty) */
    int no_header;            /* codecarbon: appending rows to a file that has the header */
};

struct eco_output {
    const char *key;          /* the row: "summary", "view", "json", "record-csv", ... */
    const char *name;         /* what --format takes: "text", "json", "csv", ... */
    const char *what;         /* one line for help and errors */
    int multi;                /* writes several runs at once */
    /* 0, or -1 with err set */
    int (*write)(FILE *out, const struct eco_run_result *runs, size_t n, const struct eco_output_ctx *c,
                 struct eco_err *err);
};

/* The row of `offered` (keys, NULL-terminated) whose --format name is
 * `name`; NULL with err (code 2) naming the formats `cmd` offers. n_runs > 1
 * needs a row that writes several runs. */
const struct eco_output *eco_output_find(const char *cmd, const char *name, const char *const *offered, size_t n_runs,
                                         struct eco_err *err);

#endif
