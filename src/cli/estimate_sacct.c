/* estimate --sacct: read sacct's output, give each job its hardware (map row
 * or flags), run the one a-posteriori formula on it (carbon/posteriori.c),
 * print per job and in total. Every line that gives no estimate is named
 * with its number and its reason on stderr (and in the JSON), and counted. */
#include "cli/estimate_sacct.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon/co2e.h"
#include "carbon/sacct.h"
#include "cli/cli.h"
#include "core/duration.h"
#include "core/safe_open.h"
#include "core/texttable.h"
#include "core/units.h"

/* sacct for a year of a large cluster: a few hundred MB at most. */
#define SACCT_MAX_BYTES (1024u << 20)

struct job_estimate {
    const struct eco_sacct_job *job;
    const struct eco_sacct_hw *hw;
    struct eco_post_result r;
    double co2e_g, cpu_usage; /* cpu_usage < 0: not known */
};

struct outcome {
    struct job_estimate *est;
    size_t n_est;
    struct eco_sacct_problem *skipped; /* parse and estimate problems, by line */
    size_t n_skipped_listed, n_skipped;
    double total_j, total_co2e_g;
};

static char *read_all(const char *path, size_t *len, struct eco_err *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : eco_fopen_regular(path, "rb", "sacct output", err);
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap >= SACCT_MAX_BYTES) {
                eco_err_set(err, 2, "%s: larger than %u MiB", path, SACCT_MAX_BYTES >> 20);
                eco_err_hint(err, "split it by time (sacct --starttime/--endtime) and estimate each part");
                free(buf);
                buf = NULL;
                break;
            }
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                eco_err_set(err, 1, "out of memory reading %s", path);
                break;
            }
            buf = b;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    if (buf && ferror(f)) {
        eco_err_set(err, 2, "%s: cannot read it", path);
        free(buf);
        buf = NULL;
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return buf;
}

static int by_line(const void *a, const void *b)
{
    size_t x = ((const struct eco_sacct_problem *)a)->line, y = ((const struct eco_sacct_problem *)b)->line;
    return x < y ? -1 : x > y;
}

static void add_skip(struct outcome *o, size_t line, const char *why)
{
    o->n_skipped++;
    if (o->n_skipped_listed >= ECO_SACCT_MAX_PROBLEMS * 2)
        return;
    struct eco_sacct_problem *p = &o->skipped[o->n_skipped_listed++];
    p->line = line;
    snprintf(p->why, sizeof p->why, "%.199s", why);
}

/* Each job: its hardware, its inputs, the formula. */
static int estimate_all(const struct eco_sacct_request *q, const struct eco_sacct *s, const struct eco_sacct_map *map,
                        struct outcome *o)
{
    o->est = calloc(s->n_jobs ? s->n_jobs : 1, sizeof *o->est);
    o->skipped = calloc(ECO_SACCT_MAX_PROBLEMS * 2, sizeof *o->skipped);
    if (!o->est || !o->skipped)
        return -1;
    for (size_t i = 0; i < s->n_problems; i++)
        add_skip(o, s->problems[i].line, s->problems[i].why);
    o->n_skipped += s->n_skipped - s->n_problems; /* beyond the listed ones */
    for (size_t i = 0; i < s->n_jobs; i++) {
        const struct eco_sacct_job *j = &s->jobs[i];
        const struct eco_sacct_hw *hw = eco_sacct_map_find(map, j);
        if (!hw)
            hw = &q->flags_hw;
        struct eco_post_params p;
        struct eco_err err;
        eco_err_clear(&err);
        struct job_estimate *e = &o->est[o->n_est];
        if (!hw->cpu && hw->cpu_w_per_core <= 0 && !hw->gpu && hw->gpu_w <= 0) {
            char why[400];
            snprintf(why, sizeof why, "job %s: no --sacct-map row matches partition '%.40s' / nodes '%.60s' and no "
                                      "hardware flag was given", j->id, j->partition, j->nodelist);
            add_skip(o, j->line, why);
            continue;
        }
        if (eco_sacct_job_params(j, hw, &q->base, &p, &err) != 0 || eco_posteriori_compute(&p, &e->r, &err) != 0) {
            add_skip(o, j->line, err.msg);
            continue;
        }
        e->job = j;
        e->hw = hw;
        e->co2e_g = eco_co2e_g(e->r.total_j, q->ci.g_per_kwh);
        e->cpu_usage = p.cpu_usage.origin != ECO_ORIGIN_UNSET ? p.cpu_usage.value : -1;
        o->total_j += e->r.total_j;
        o->total_co2e_g += e->co2e_g;
        o->n_est++;
    }
    qsort(o->skipped, o->n_skipped_listed, sizeof *o->skipped, by_line);
    return 0;
}

static void print_text(const struct eco_sacct_request *q, const struct eco_sacct *s, const struct outcome *o)
{
    char a[64], b[64], c[64], d[64], e[64], f[64], g[64];
    printf("ESTIMATE of finished Slurm jobs (from sacct's figures and hardware figures, not measured)\n");
    printf("method: %s\n", eco_post_method_citation(q->base.method));
    printf("carbon intensity: %g gCO2e/kWh, %s\n\n", q->ci.g_per_kwh, q->ci.label);
    const char *hdr[] = {"job", "name", "partition", "hardware", ">elapsed", ">CPUs", ">CPU use", ">GPUs", ">memory",
                         ">energy", ">CO2e"};
    struct eco_table *t = eco_table_new(11, hdr);
    for (size_t i = 0; i < o->n_est; i++) {
        const struct job_estimate *x = &o->est[i];
        snprintf(a, sizeof a, "%g", x->job->ncpus);
        if (x->cpu_usage >= 0)
            snprintf(b, sizeof b, "%.2f", x->cpu_usage);
        else
            snprintf(b, sizeof b, "-");
        snprintf(c, sizeof c, "%g", x->job->gpus);
        if (x->job->mem_gb >= 0)
            snprintf(d, sizeof d, "%.1f GB", x->job->mem_gb);
        else
            snprintf(d, sizeof d, "-");
        const char *row[] = {x->job->id, x->job->name, x->job->partition, x->hw->label,
                             eco_format_duration(x->r.runtime_s, e, sizeof e), a, b, c, d,
                             eco_fmt_energy(x->r.total_j, f, sizeof f), eco_fmt_mass(x->co2e_g, g, sizeof g)};
        eco_table_row(t, row);
    }
    eco_table_print(t, stdout);
    eco_table_free(t);
    printf("\ntotal: %zu job%s estimated, %.6g kWh, %s CO2e (estimate)\n", o->n_est, o->n_est == 1 ? "" : "s",
           eco_j_to_kwh(o->total_j), eco_fmt_mass(o->total_co2e_g, b, sizeof b));
    printf("       %zu line%s skipped%s; %zu step row%s folded into their jobs\n", o->n_skipped,
           o->n_skipped == 1 ? "" : "s", o->n_skipped ? " (listed on stderr with their line numbers)" : "",
           s->n_steps, s->n_steps == 1 ? "" : "s");
}

static cJSON *job_json(const struct job_estimate *x)
{
    const struct eco_sacct_job *j = x->job;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", j->id);
    cJSON_AddStringToObject(o, "name", j->name);
    cJSON_AddStringToObject(o, "partition", j->partition);
    cJSON_AddStringToObject(o, "nodelist", j->nodelist);
    cJSON_AddStringToObject(o, "state", j->state);
    cJSON_AddNumberToObject(o, "line", (double)j->line);
    cJSON_AddStringToObject(o, "hardware", x->hw->label);
    cJSON_AddNumberToObject(o, "elapsed_s", j->elapsed_s);
    cJSON_AddNumberToObject(o, "ncpus", j->ncpus);
    cJSON_AddNumberToObject(o, "gpus", j->gpus);
    if (j->mem_gb >= 0)
        cJSON_AddNumberToObject(o, "memory_gb", j->mem_gb);
    else
        cJSON_AddNullToObject(o, "memory_gb");
    cJSON_AddStringToObject(o, "memory_from", j->mem_from);
    if (x->cpu_usage >= 0)
        cJSON_AddNumberToObject(o, "cpu_usage", x->cpu_usage);
    else
        cJSON_AddNullToObject(o, "cpu_usage");
    if (j->max_rss_gb >= 0)
        cJSON_AddNumberToObject(o, "max_rss_gb", j->max_rss_gb);
    else
        cJSON_AddNullToObject(o, "max_rss_gb");
    cJSON_AddNumberToObject(o, "steps", j->steps);
    cJSON *e = cJSON_AddObjectToObject(o, "energy_j");
    cJSON_AddNumberToObject(e, "cpu", x->r.cpu_j);
    cJSON_AddNumberToObject(e, "gpu", x->r.gpu_j);
    cJSON_AddNumberToObject(e, "memory", x->r.memory_j);
    cJSON_AddNumberToObject(e, "total", x->r.total_j);
    cJSON_AddNumberToObject(o, "energy_kwh", eco_j_to_kwh(x->r.total_j));
    cJSON_AddNumberToObject(o, "co2e_g", x->co2e_g);
    return o;
}

static int print_json(const struct eco_sacct_request *q, const struct eco_sacct *s, const struct outcome *o)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddBoolToObject(root, "estimate", 1);
    cJSON_AddStringToObject(root, "method", eco_post_method_name(q->base.method));
    cJSON_AddStringToObject(root, "method_citation", eco_post_method_citation(q->base.method));
    cJSON_AddNumberToObject(root, "carbon_intensity_g_per_kwh", q->ci.g_per_kwh);
    cJSON_AddStringToObject(root, "carbon_intensity_source", q->ci.label);
    cJSON_AddBoolToObject(root, "world_average_used", q->ci.is_default);
    cJSON *jobs = cJSON_AddArrayToObject(root, "jobs");
    for (size_t i = 0; i < o->n_est; i++)
        cJSON_AddItemToArray(jobs, job_json(&o->est[i]));
    cJSON *t = cJSON_AddObjectToObject(root, "total");
    cJSON_AddNumberToObject(t, "jobs", (double)o->n_est);
    cJSON_AddNumberToObject(t, "energy_j", o->total_j);
    cJSON_AddNumberToObject(t, "energy_kwh", eco_j_to_kwh(o->total_j));
    cJSON_AddNumberToObject(t, "co2e_g", o->total_co2e_g);
    cJSON_AddNumberToObject(t, "skipped_lines", (double)o->n_skipped);
    cJSON_AddNumberToObject(t, "steps_folded", (double)s->n_steps);
    cJSON *sk = cJSON_AddArrayToObject(root, "skipped");
    for (size_t i = 0; i < o->n_skipped_listed; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "line", (double)o->skipped[i].line);
        cJSON_AddStringToObject(x, "why", o->skipped[i].why);
        cJSON_AddItemToArray(sk, x);
    }
    return eco_json_emit(stdout, root);
}

static void print_csv(const struct outcome *o)
{
    fputs("job_id,name,partition,nodelist,state,line,hardware,elapsed_s,ncpus,gpus,memory_gb,cpu_usage,"
          "cpu_wh,gpu_wh,memory_wh,total_wh,pue,co2e_g\n", stdout);
    for (size_t i = 0; i < o->n_est; i++) {
        const struct job_estimate *x = &o->est[i];
        const struct eco_sacct_job *j = x->job;
        const char *text[] = {j->id, j->name, j->partition, j->nodelist, j->state};
        for (size_t k = 0; k < 5; k++) {
            eco_csv_field(stdout, text[k]);
            fputc(',', stdout);
        }
        printf("%zu,", j->line);
        eco_csv_field(stdout, x->hw->label);
        printf(",%.10g,%g,%g,", j->elapsed_s, j->ncpus, j->gpus);
        if (j->mem_gb >= 0)
            printf("%.10g", j->mem_gb);
        putchar(',');
        if (x->cpu_usage >= 0)
            printf("%.10g", x->cpu_usage);
        printf(",%.10g,%.10g,%.10g,%.10g,%g,%.10g\n", eco_j_to_wh(x->r.cpu_j), eco_j_to_wh(x->r.gpu_j),
               eco_j_to_wh(x->r.memory_j), eco_j_to_wh(x->r.total_j), x->r.pue, x->co2e_g);
    }
}

int eco_sacct_check_flags(const char *sacct, int runtime, int cores, int gpus, int memory,
                          int cpu_usage, int compare)
{
    if (!sacct) {
        eco_cli_usage_error("estimate", "--sacct-map needs --sacct FILE (the jobs it maps)");
        return -1;
    }
    const char *flag = runtime ? "--runtime" : cores ? "--cores" : gpus ? "--gpus" : memory ? "--memory"
                       : cpu_usage ? "--cpu-usage" : compare ? "--compare-regions" : NULL;
    if (!flag)
        return 0;
    eco_cli_usage_error("estimate", "%s cannot be used with --sacct: %s", flag,
                        compare ? "give one --region for the jobs"
                                : "each job's runtime, CPUs, GPUs, memory and CPU usage come from the sacct output");
    return -1;
}

int eco_estimate_sacct(const struct eco_sacct_request *q)
{
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_sacct_map map = {0};
    if (q->map_path && eco_sacct_map_load(q->map_path, &map, &err) != 0)
        return eco_err_print(&err);
    size_t len = 0;
    char *text = read_all(q->path, &len, &err);
    if (!text) {
        eco_sacct_map_free(&map);
        return eco_err_print(&err);
    }
    struct eco_sacct s;
    int rc = eco_sacct_parse(text, len, &s, &err);
    free(text);
    struct outcome o = {0};
    if (rc == 0 && estimate_all(q, &s, &map, &o) != 0)
        rc = eco_err_set(&err, 1, "out of memory");
    if (rc == 0) {
        for (size_t i = 0; i < o.n_skipped_listed; i++)
            fprintf(stderr, "ecometer: %s line %zu: skipped: %s\n", strcmp(q->path, "-") ? q->path : "stdin",
                    o.skipped[i].line, o.skipped[i].why);
        if (o.n_skipped > o.n_skipped_listed)
            fprintf(stderr, "ecometer: ... and %zu more lines skipped\n", o.n_skipped - o.n_skipped_listed);
        if (q->format == ECO_FMT_JSON)
            rc = print_json(q, &s, &o) ? eco_err_set(&err, 1, "cannot write the JSON output") : 0;
        else if (q->format == ECO_FMT_CSV)
            print_csv(&o);
        else
            print_text(q, &s, &o);
        if (o.n_skipped)
            fprintf(stderr, "ecometer: warning: %zu line%s of the sacct output skipped (above): the totals are of "
                            "the %zu job%s estimated\n", o.n_skipped, o.n_skipped == 1 ? "" : "s", o.n_est,
                    o.n_est == 1 ? "" : "s");
    }
    if (rc == 0 && o.n_est == 0 && o.n_skipped) /* nothing could be used: bad input */
        rc = eco_err_set(&err, ECO_EXIT_USAGE, "no job of %s could be estimated", q->path);
    free(o.est);
    free(o.skipped);
    eco_sacct_free(&s);
    eco_sacct_map_free(&map);
    if (rc != 0)
        return eco_err_print(&err);
    if (fflush(stdout) != 0 || ferror(stdout))
        return fprintf(stderr, "ecometer: cannot write the output\n"), ECO_EXIT_RUNTIME;
    return ECO_EXIT_OK;
}
