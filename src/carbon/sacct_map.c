/* The partition/node map of `estimate --sacct` and the inputs of one job's
 * estimate (see sacct_map.h). The formula itself is posteriori.c's. */
#include "carbon/sacct_map.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/numparse.h"
#include "core/safe_open.h"
#include "core/tsv.h"

static int number_cell(const char *s, double *out)
{
    double v;
    if (eco_num_double(s, 0, ECO_POST_MAX_GPU_W * 10, 0, &v) != ECO_NUM_OK || v <= 0)
        return -1;
    *out = v;
    return 0;
}

/* One row's hardware: names resolved in the tables, or powers. */
static int row_hw(const struct eco_tsv *t, size_t i, const char *origin, struct eco_sacct_hw *hw,
                  struct eco_err *err)
{
    static const char *const cols[] = {"cpu", "cpu_w_per_core", "gpu", "gpu_w"};
    const char *v[4];
    size_t line = t->line_of[i];
    for (int c = 0; c < 4; c++) {
        int k = eco_tsv_col(t, cols[c]);
        v[c] = k >= 0 ? t->rows[i][k] : "";
    }
    if ((v[0][0] && v[1][0]) || (v[2][0] && v[3][0]))
        return eco_err_set(err, 2, "%s:%zu: the %s is given twice (a table name and a power): keep one", origin, line,
                           v[0][0] && v[1][0] ? "CPU" : "GPU");
    if (!v[0][0] && !v[1][0] && !v[2][0] && !v[3][0])
        return eco_err_set(err, 2, "%s:%zu: no hardware on this row: give cpu or cpu_w_per_core, and/or gpu or gpu_w",
                           origin, line);
    struct eco_err e2;
    eco_err_clear(&e2);
    if (v[0][0] && !(hw->cpu = eco_cpu_find(v[0], &e2)))
        return eco_err_set(err, 2, "%s:%zu: %s", origin, line, e2.msg);
    if (v[2][0] && !(hw->gpu = eco_gpu_find(v[2], &e2)))
        return eco_err_set(err, 2, "%s:%zu: %s", origin, line, e2.msg);
    if (v[1][0] && number_cell(v[1], &hw->cpu_w_per_core) != 0)
        return eco_err_set(err, 2, "%s:%zu: cpu_w_per_core '%s' is not a power in watts (e.g. 9.5)", origin, line, v[1]);
    if (v[3][0] && number_cell(v[3], &hw->gpu_w) != 0)
        return eco_err_set(err, 2, "%s:%zu: gpu_w '%s' is not a power in watts (e.g. 300)", origin, line, v[3]);
    return 0;
}

int eco_sacct_map_parse(const char *text, size_t len, const char *origin, struct eco_sacct_map *m,
                        struct eco_err *err)
{
    memset(m, 0, sizeof *m);
    struct eco_tsv t;
    if (eco_tsv_parse(text, len, origin, &t, err) != 0)
        return -1;
    int rc = 0, match = eco_tsv_col(&t, "match");
    static const char *const known[] = {"match", "cpu", "cpu_w_per_core", "gpu", "gpu_w"};
    for (size_t c = 0; c < t.n_cols && rc == 0; c++) {
        int ok = 0;
        for (size_t k = 0; k < 5; k++)
            ok |= strcmp(t.header[c], known[k]) == 0;
        if (!ok)
            rc = eco_err_set(err, 2, "%s: unknown column '%s' (the columns are match, cpu, cpu_w_per_core, gpu, gpu_w)",
                             origin, t.header[c]);
    }
    if (rc == 0 && match < 0)
        rc = eco_err_set(err, 2, "%s: no 'match' column (partition=NAME or node=GLOB on each row)", origin);
    if (rc == 0 && !(m->rows = calloc(t.n_rows ? t.n_rows : 1, sizeof *m->rows)))
        rc = eco_err_set(err, 1, "out of memory");
    for (size_t i = 0; rc == 0 && i < t.n_rows; i++) {
        struct eco_sacct_map_row *r = &m->rows[i];
        const char *mt = t.rows[i][match];
        r->by_node = strncmp(mt, "node=", 5) == 0;
        const char *pat = r->by_node ? mt + 5 : strncmp(mt, "partition=", 10) == 0 ? mt + 10 : NULL;
        if (!pat || !pat[0] || strlen(pat) >= sizeof r->pattern) {
            rc = eco_err_set(err, 2, "%s:%zu: match '%s' is not partition=NAME or node=GLOB", origin, t.line_of[i], mt);
            break;
        }
        snprintf(r->pattern, sizeof r->pattern, "%s", pat);
        snprintf(r->hw.label, sizeof r->hw.label, "map line %zu (%s)", t.line_of[i], mt);
        rc = row_hw(&t, i, origin, &r->hw, err);
        m->n = i + 1;
    }
    eco_tsv_free(&t);
    if (rc != 0)
        eco_sacct_map_free(m);
    return rc ? -1 : 0;
}

/* A map is a few lines: 1 MiB is far beyond any real one. */
#define MAP_MAX_BYTES (1u << 20)

int eco_sacct_map_load(const char *path, struct eco_sacct_map *m, struct eco_err *err)
{
    memset(m, 0, sizeof *m);
    FILE *f = eco_fopen_regular(path, "rb", "--sacct-map file", err); /* never a FIFO, device or folder */
    if (!f)
        return -1;
    char *buf = malloc(MAP_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, MAP_MAX_BYTES + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    int rc;
    if (!buf)
        rc = eco_err_set(err, 1, "out of memory");
    else if (bad)
        rc = eco_err_set(err, 2, "%s: cannot read it", path);
    else if (n > MAP_MAX_BYTES)
        rc = eco_err_set(err, 2, "%s: larger than 1 MiB; a map has a line per partition or node group", path);
    else
        rc = eco_sacct_map_parse(buf, n, path, m, err);
    free(buf);
    return rc ? -1 : 0;
}

void eco_sacct_map_free(struct eco_sacct_map *m)
{
    free(m->rows);
    memset(m, 0, sizeof *m);
}

const struct eco_sacct_hw *eco_sacct_map_find(const struct eco_sacct_map *m, const struct eco_sacct_job *j)
{
    for (size_t i = 0; m && i < m->n; i++) {
        const struct eco_sacct_map_row *r = &m->rows[i];
        if (r->by_node ? fnmatch(r->pattern, j->nodelist, 0) == 0 : strcmp(r->pattern, j->partition) == 0)
            return &r->hw;
    }
    return NULL;
}

/* CPU: per-core power x NCPUS, or the table row's TDP / cores x NCPUS. */
static void cpu_params(const struct eco_sacct_job *j, const struct eco_sacct_hw *hw, struct eco_post_params *p)
{
    if (hw->cpu) {
        eco_post_set(&p->cpu_tdp_w, hw->cpu->tdp_w, ECO_ORIGIN_TABLE, "%s TDP (%s, %d)", hw->cpu->name,
                     hw->cpu->source, hw->cpu->year);
        eco_post_set(&p->cpu_table_cores, hw->cpu->cores, ECO_ORIGIN_TABLE, "%s cores", hw->cpu->name);
        eco_post_set(&p->cores, j->ncpus, ECO_ORIGIN_FLAG, "sacct NCPUS (line %zu)", j->line);
    } else if (hw->cpu_w_per_core > 0) {
        eco_post_set(&p->cpu_power_w, hw->cpu_w_per_core * j->ncpus, ECO_ORIGIN_DERIVED,
                     "%g W per CPU (%s) x NCPUS %g", hw->cpu_w_per_core, hw->label, j->ncpus);
    } else {
        return;
    }
    /* sacct -X (allocations only) reports TotalCPU as 0 (sacct(1), --allocations): with no
     * step row in the input a 0 says nothing, and the usage keeps the method's default. */
    int known = j->total_cpu_s > 0 || (j->total_cpu_s == 0 && j->steps > 0);
    if (known && j->elapsed_s > 0 && j->ncpus > 0) {
        double u = j->total_cpu_s / (j->elapsed_s * j->ncpus);
        eco_post_set(&p->cpu_usage, u > 1 ? 1 : u, ECO_ORIGIN_DERIVED, "TotalCPU %.0f s / (Elapsed %.0f s x NCPUS %g)%s",
                     j->total_cpu_s, j->elapsed_s, j->ncpus, u > 1 ? " above 1: counted as 1" : "");
    }
}

int eco_sacct_job_params(const struct eco_sacct_job *j, const struct eco_sacct_hw *hw,
                         const struct eco_post_params *base, struct eco_post_params *p, struct eco_err *err)
{
    *p = *base;
    memset(&p->cpu_power_w, 0, sizeof p->cpu_power_w);
    memset(&p->cpu_tdp_w, 0, sizeof p->cpu_tdp_w);
    memset(&p->cpu_table_cores, 0, sizeof p->cpu_table_cores);
    memset(&p->cores, 0, sizeof p->cores);
    memset(&p->cpu_usage, 0, sizeof p->cpu_usage);
    memset(&p->gpu_power_w, 0, sizeof p->gpu_power_w);
    memset(&p->n_gpus, 0, sizeof p->n_gpus);
    memset(&p->memory_gb, 0, sizeof p->memory_gb);
    eco_post_set(&p->runtime_s, j->elapsed_s, ECO_ORIGIN_FLAG, "sacct Elapsed (line %zu)", j->line);
    if (j->ncpus > 0)
        cpu_params(j, hw, p);
    if (j->gpus > 0) {
        if (!hw->gpu && hw->gpu_w <= 0) {
            eco_err_set(err, 2, "job %s has %g GPU%s but no GPU power is known for it (%s)", j->id, j->gpus,
                        j->gpus == 1 ? "" : "s", hw->label);
            eco_err_hint(err, "give --gpu NAME or --gpu-power W, or a gpu/gpu_w column in the --sacct-map row");
            return -1;
        }
        if (hw->gpu)
            eco_post_set(&p->gpu_power_w, hw->gpu->tdp_w, ECO_ORIGIN_TABLE, "%s TDP (%s, %d)", hw->gpu->name,
                         hw->gpu->source, hw->gpu->year);
        else
            eco_post_set(&p->gpu_power_w, hw->gpu_w, ECO_ORIGIN_FLAG, "%g W per GPU (%s)", hw->gpu_w, hw->label);
        eco_post_set(&p->n_gpus, j->gpus, ECO_ORIGIN_FLAG, "sacct AllocTRES gres/gpu (line %zu)", j->line);
    } else {
        memset(&p->gpu_usage, 0, sizeof p->gpu_usage);
    }
    if (j->mem_gb >= 0)
        eco_post_set(&p->memory_gb, j->mem_gb, ECO_ORIGIN_FLAG, "sacct %s (line %zu)", j->mem_from, j->line);
    if (p->cpu_power_w.origin == ECO_ORIGIN_UNSET && p->cpu_tdp_w.origin == ECO_ORIGIN_UNSET &&
        p->gpu_power_w.origin == ECO_ORIGIN_UNSET) {
        eco_err_set(err, 2, "job %s: no CPU power known for it (%s)%s", j->id, hw->label,
                    j->ncpus > 0 ? "" : " and NCPUS is 0");
        eco_err_hint(err, "give --cpu NAME or --cpu-power W (per CPU), or a --sacct-map row for its partition");
        return -1;
    }
    return 0;
}
