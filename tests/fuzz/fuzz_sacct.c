/* Harness: the sacct reader (src/carbon/sacct.c), the --sacct-map reader and
 * one job's Green Algorithms inputs (src/carbon/sacct_map.c). Invariants: the
 * reader either refuses the input with a message (code 2, or 1 for memory)
 * or gives jobs whose figures are finite and in range, each on a line after
 * the header, and counts every line it skipped (the listed ones carry a
 * line number and a reason); every job either gets a finite estimate or a
 * refusal with a message; the map either loads or names the file. */
#include <math.h>

#include "carbon/posteriori.h"
#include "carbon/sacct.h"
#include "carbon/sacct_map.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count_lines(const uint8_t *data, size_t size)
{
    size_t n = size > 0;
    for (size_t i = 0; i + 1 < size; i++)
        n += data[i] == '\n';
    return n;
}

static void check_job(const struct eco_sacct_job *j, size_t lines)
{
    FUZZ_ASSERT(j->id[0] && j->line >= 2 && j->line <= lines);
    FUZZ_ASSERT(isfinite(j->elapsed_s) && j->elapsed_s >= 0);
    FUZZ_ASSERT(isfinite(j->ncpus) && j->ncpus >= 0 && j->ncpus < 1e10);
    FUZZ_ASSERT(isfinite(j->gpus) && j->gpus >= 0);
    FUZZ_ASSERT(j->mem_gb == -1 || (isfinite(j->mem_gb) && j->mem_gb >= 0));
    FUZZ_ASSERT(j->total_cpu_s == -1 || (isfinite(j->total_cpu_s) && j->total_cpu_s >= 0));
    FUZZ_ASSERT(j->max_rss_gb == -1 || (isfinite(j->max_rss_gb) && j->max_rss_gb >= 0));
    struct eco_sacct_hw hw = {.label = "fuzz", .cpu_w_per_core = 5, .gpu_w = 100};
    struct eco_post_params base, p;
    memset(&base, 0, sizeof base);
    base.method = ECO_POST_GREEN_ALGORITHMS;
    struct eco_post_result r;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_sacct_job_params(j, &hw, &base, &p, &err) == 0 && eco_posteriori_compute(&p, &r, &err) == 0)
        FUZZ_ASSERT(isfinite(r.total_j) && r.total_j >= 0);
    else
        FUZZ_ASSERT(err.msg[0] && err.code == 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t lines = count_lines(data, size);
    struct eco_sacct s;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_sacct_parse((const char *)data, size, &s, &err) == 0) {
        FUZZ_ASSERT(s.n_problems <= s.n_skipped && s.n_problems <= ECO_SACCT_MAX_PROBLEMS);
        FUZZ_ASSERT(s.n_jobs + s.n_skipped + s.n_steps < lines || (lines == 0 && s.n_jobs == 0));
        for (size_t i = 0; i < s.n_problems; i++)
            FUZZ_ASSERT(s.problems[i].why[0] && s.problems[i].line >= 2 && s.problems[i].line <= lines);
        for (size_t i = 0; i < s.n_jobs; i++)
            check_job(&s.jobs[i], lines);
    } else {
        FUZZ_ASSERT(err.msg[0] && (err.code == 1 || err.code == 2));
    }
    eco_sacct_free(&s);

    /* the same bytes as one field: the two number readers */
    char *one = fuzz_cstr(data, size < 64 ? size : 64);
    double v;
    char per = 'x';
    if (eco_slurm_duration(one, &v) == 0)
        FUZZ_ASSERT(isfinite(v) && v >= 0);
    if (eco_slurm_mem(one, &v, &per) == 0)
        FUZZ_ASSERT(isfinite(v) && v >= 0 && (per == 0 || per == 'n' || per == 'c'));
    free(one);

    /* and as a --sacct-map */
    struct eco_sacct_map m;
    eco_err_clear(&err);
    if (eco_sacct_map_parse((const char *)data, size, "fuzz.tsv", &m, &err) == 0) {
        for (size_t i = 0; i < m.n; i++)
            FUZZ_ASSERT(m.rows[i].pattern[0] && (m.rows[i].hw.cpu || m.rows[i].hw.gpu ||
                                                 m.rows[i].hw.cpu_w_per_core > 0 || m.rows[i].hw.gpu_w > 0));
        eco_sacct_map_free(&m);
    } else {
        FUZZ_ASSERT(err.msg[0] && (err.code == 1 || err.code == 2));
    }
    return 0;
}
