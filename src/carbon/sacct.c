/* The sacct reader (see sacct.h). Formats from Slurm's sacct(1): Elapsed
 * and the CPU times as [days-]hours:minutes:seconds[.microseconds] (TotalCPU
 * drops the hours under one hour: MM:SS.mmm); ReqMem as a size with a unit
 * letter, which Slurm before 21.08 followed with 'n' (per node) or 'c' (per
 * CPU); AllocTRES as comma-separated NAME=VALUE (cpu=8,mem=64G,node=1,
 * gres/gpu=2, gres/gpu:a100=2, billing=8). */
#include "carbon/sacct.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* At most this many digits in one number: far beyond any real value, and
 * small enough that no sum overflows a double's exact integers. */
#define MAX_DIGITS 9
/* How far back a step looks for its allocation row. */
#define STEP_LOOKBACK 64

/* A decimal number, digits[.digits], at *s; advances *s. 0, or -1. */
static int number_at(const char **s, double *out)
{
    const char *p = *s;
    size_t n = 0;
    double v = 0;
    while (isdigit((unsigned char)*p) && n < MAX_DIGITS + 1) {
        v = v * 10 + (*p++ - '0');
        n++;
    }
    if (n == 0 || n > MAX_DIGITS)
        return -1;
    if (*p == '.') {
        p++;
        double scale = 0.1;
        size_t f = 0;
        while (isdigit((unsigned char)*p) && f < MAX_DIGITS) {
            v += (*p++ - '0') * scale;
            scale /= 10;
            f++;
        }
        if (f == 0 || isdigit((unsigned char)*p))
            return -1;
    }
    *out = v;
    *s = p;
    return 0;
}

/* A whole number of at most MAX_DIGITS digits, the whole text. */
static int whole_number(const char *s, double *out)
{
    const char *p = s;
    double v;
    if (!isdigit((unsigned char)*p) || number_at(&p, &v) != 0 || *p || strchr(s, '.'))
        return -1;
    *out = v;
    return 0;
}

int eco_slurm_duration(const char *s, double *seconds)
{
    const char *p = s;
    double days = 0, part[3];
    int n = 0;
    const char *dash = strchr(s, '-');
    if (dash) {
        const char *dot = strchr(s, '.');
        if (number_at(&p, &days) != 0 || p != dash || (dot && dot < dash))
            return -1;
        p = dash + 1;
    }
    for (;;) {
        if (n == 3 || number_at(&p, &part[n]) != 0)
            return -1;
        n++;
        if (*p != ':')
            break;
        p++;
    }
    if (*p)
        return -1;
    /* only the last part may have a fraction */
    const char *dot = strchr(dash ? dash : s, '.');
    if (dot && strchr(dot, ':'))
        return -1;
    if (n == 1) {
        if (dash)
            return -1; /* "1-30" is not a Slurm duration */
        *seconds = part[0];
        return 0;
    }
    if (dash && n != 3)
        return -1;
    double h = n == 3 ? part[0] : 0, m = part[n - 2], sec = part[n - 1];
    if (m >= 60 || sec >= 60 || (dash && h >= 24))
        return -1;
    *seconds = ((days * 24 + h) * 60 + m) * 60 + sec;
    return 0;
}

int eco_slurm_mem(const char *s, double *gib, char *per)
{
    const char *p = s;
    double v;
    if (number_at(&p, &v) != 0)
        return -1;
    static const char units[] = "KMGTP";
    static const double scale[] = {1.0 / (1024.0 * 1024.0), 1.0 / 1024.0, 1, 1024, 1024.0 * 1024.0};
    double k = 1.0 / 1024.0; /* a bare number is megabytes, Slurm's default unit */
    if (*p && strchr(units, *p)) {
        k = scale[strchr(units, *p) - units];
        p++;
    }
    char pr = 0;
    if (*p == 'n' || *p == 'c')
        pr = *p++;
    if (*p)
        return -1;
    *gib = v * k;
    if (per)
        *per = pr;
    return 0;
}

/* ---- the reader ------------------------------------------------------------ */

enum col { C_JOBID, C_NAME, C_ELAPSED, C_NCPUS, C_ALLOCCPUS, C_NNODES, C_TRES, C_REQMEM, C_MAXRSS,
           C_TOTALCPU, C_PARTITION, C_NODELIST, C_STATE, N_COLS };
static const char *const col_names[N_COLS] = {"JobID", "JobName", "Elapsed", "NCPUS", "AllocCPUS", "NNodes",
                                              "AllocTRES", "ReqMem", "MaxRSS", "TotalCPU", "Partition",
                                              "NodeList", "State"};

struct reader {
    struct eco_sacct *out;
    int col[N_COLS];          /* index of each column, -1 without it */
    size_t n_fields;          /* fields of the header */
    size_t cap_jobs, cap_problems;
    char *fields[ECO_SACCT_MAX_FIELDS + 1];
    int oom;
};

__attribute__((format(printf, 3, 4))) static void skip(struct reader *r, size_t line, const char *fmt, ...)
{
    struct eco_sacct *o = r->out;
    o->n_skipped++;
    if (o->n_problems >= ECO_SACCT_MAX_PROBLEMS)
        return;
    if (o->n_problems == r->cap_problems) {
        size_t cap = r->cap_problems ? r->cap_problems * 2 : 16;
        struct eco_sacct_problem *v = realloc(o->problems, cap * sizeof *v);
        if (!v) {
            r->oom = 1;
            return;
        }
        o->problems = v;
        r->cap_problems = cap;
    }
    struct eco_sacct_problem *pb = &o->problems[o->n_problems++];
    pb->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pb->why, sizeof pb->why, fmt, ap);
    va_end(ap);
}

/* Split line (modified) at '|'; the number of fields, or ECO_SACCT_MAX_FIELDS + 1 when too many. */
static size_t split(struct reader *r, char *line)
{
    size_t n = 0;
    for (char *p = line;;) {
        if (n == ECO_SACCT_MAX_FIELDS)
            return ECO_SACCT_MAX_FIELDS + 1;
        r->fields[n++] = p;
        char *bar = strchr(p, '|');
        if (!bar)
            break;
        *bar = '\0';
        p = bar + 1;
    }
    return n;
}

static const char *field(const struct reader *r, enum col c)
{
    return r->col[c] >= 0 ? r->fields[r->col[c]] : "";
}

/* What a field shows in a message: at most 40 bytes, printable. */
static const char *shown(const char *s, char *buf, size_t len)
{
    size_t k = 0;
    for (; *s && k + 4 < len && k < 40; s++)
        buf[k++] = isprint((unsigned char)*s) ? *s : '?';
    if (*s)
        buf[k++] = '.', buf[k++] = '.', buf[k++] = '.';
    buf[k] = '\0';
    return buf;
}

static int header(struct reader *r, char *line, struct eco_err *err)
{
    r->n_fields = split(r, line);
    if (r->n_fields > ECO_SACCT_MAX_FIELDS)
        return eco_err_set(err, 2, "the sacct header has more than %d columns", ECO_SACCT_MAX_FIELDS);
    for (int c = 0; c < N_COLS; c++) {
        r->col[c] = -1;
        for (size_t i = 0; i < r->n_fields; i++)
            if (strcasecmp(r->fields[i], col_names[c]) == 0) {
                r->col[c] = (int)i;
                break;
            }
    }
    const char *missing = r->col[C_JOBID] < 0 ? "JobID" : r->col[C_ELAPSED] < 0 ? "Elapsed"
                          : r->col[C_NCPUS] < 0 && r->col[C_ALLOCCPUS] < 0 ? "NCPUS" : NULL;
    if (missing) {
        char b[64];
        eco_err_set(err, 2, "the first line is not a sacct header with a %s column (it starts '%s')", missing,
                    shown(r->fields[0], b, sizeof b));
        eco_err_hint(err, "make it with: sacct --parsable2 --format=JobID,JobName,Partition,NodeList,Elapsed,NCPUS,"
                          "NNodes,AllocTRES,ReqMem,MaxRSS,TotalCPU,State (with its header: no --noheader)");
        return -1;
    }
    return 0;
}

static struct eco_sacct_job *new_job(struct reader *r)
{
    struct eco_sacct *o = r->out;
    if (o->n_jobs == r->cap_jobs) {
        size_t cap = r->cap_jobs ? r->cap_jobs * 2 : 64;
        struct eco_sacct_job *v = realloc(o->jobs, cap * sizeof *v);
        if (!v) {
            r->oom = 1;
            return NULL;
        }
        o->jobs = v;
        r->cap_jobs = cap;
    }
    struct eco_sacct_job *j = &o->jobs[o->n_jobs];
    memset(j, 0, sizeof *j);
    return j;
}

/* A step row: folded into its allocation (count, largest MaxRSS). */
static void step_row(struct reader *r, size_t line, const char *id)
{
    size_t base = (size_t)(strchr(id, '.') - id);
    char b[64], m[64];
    struct eco_sacct *o = r->out;
    struct eco_sacct_job *job = NULL;
    for (size_t k = 0; k < o->n_jobs && k < STEP_LOOKBACK && !job; k++) {
        struct eco_sacct_job *j = &o->jobs[o->n_jobs - 1 - k];
        if (strlen(j->id) == base && strncmp(j->id, id, base) == 0)
            job = j;
    }
    if (!job) {
        skip(r, line, "step %s: its job's allocation row is not before it in the input (a step is never counted "
                      "as a job of its own)", shown(id, b, sizeof b));
        return;
    }
    const char *rss = field(r, C_MAXRSS);
    double gib;
    if (rss[0] && eco_slurm_mem(rss, &gib, NULL) != 0) {
        skip(r, line, "step %s: MaxRSS '%s' is not a size such as 1180K or 2.5G", shown(id, b, sizeof b),
             shown(rss, m, sizeof m));
        return;
    }
    if (rss[0] && gib > job->max_rss_gb)
        job->max_rss_gb = gib;
    job->steps++;
    o->n_steps++;
}

/* AllocTRES: GPUs (gres/gpu, else the sum of typed gres/gpu:TYPE) and mem. */
static int tres(const char *s, double *gpus, double *mem_gib, const char **bad)
{
    double untyped = -1, typed = 0, v;
    *mem_gib = -1;
    char buf[ECO_SACCT_MAX_LINE];
    snprintf(buf, sizeof buf, "%s", s);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq || eq == tok) {
            *bad = "an entry without NAME=VALUE";
            return -1;
        }
        *eq = '\0';
        const char *val = eq + 1;
        if (strcmp(tok, "mem") == 0) {
            if (eco_slurm_mem(val, mem_gib, NULL) != 0)
                return *bad = "mem is not a size", -1;
        } else if (strcmp(tok, "gres/gpu") == 0 || strncmp(tok, "gres/gpu:", 9) == 0) {
            if (whole_number(val, &v) != 0)
                return *bad = "a GPU count is not a whole number", -1;
            if (tok[8] == ':')
                typed += v;
            else
                untyped = v;
        }
    }
    *gpus = untyped >= 0 ? untyped : typed; /* Slurm lists both: count them once */
    return 0;
}

/* The memory of the job: AllocTRES mem (the allocation), else ReqMem. */
static int job_memory(struct reader *r, struct eco_sacct_job *j, double tres_mem, const char **bad)
{
    j->mem_gb = -1;
    if (tres_mem >= 0) {
        j->mem_gb = tres_mem;
        snprintf(j->mem_from, sizeof j->mem_from, "AllocTRES mem");
        return 0;
    }
    const char *rm = field(r, C_REQMEM);
    if (!rm[0])
        return 0;
    double gib;
    char per;
    if (eco_slurm_mem(rm, &gib, &per) != 0)
        return *bad = "ReqMem is not a size such as 4000M, 16Gn or 2000Mc", -1;
    if (per == 'c') {
        j->mem_gb = gib * j->ncpus;
        snprintf(j->mem_from, sizeof j->mem_from, "ReqMem per CPU x %g CPUs", j->ncpus);
    } else if (per == 'n') {
        double nodes = j->nnodes > 0 ? j->nnodes : 1;
        j->mem_gb = gib * nodes;
        snprintf(j->mem_from, sizeof j->mem_from, "ReqMem per node x %g node%s%s", nodes, nodes == 1 ? "" : "s",
                 j->nnodes > 0 ? "" : " (NNodes unknown)");
    } else {
        j->mem_gb = gib;
        snprintf(j->mem_from, sizeof j->mem_from, "ReqMem");
    }
    return 0;
}

static int valid_id(const char *id)
{
    if (!isdigit((unsigned char)id[0]) || strlen(id) >= sizeof((struct eco_sacct_job *)0)->id)
        return 0;
    for (const char *p = id; *p; p++)
        if (!isdigit((unsigned char)*p) && !strchr("_+[]-,%", *p))
            return 0;
    return 1;
}

/* The numbers of an allocation row; NULL, or what is wrong with it. */
static const char *job_numbers(struct reader *r, struct eco_sacct_job *j)
{
    const char *bad = NULL;
    double tres_mem = -1;
    const char *cpus = r->col[C_NCPUS] >= 0 ? field(r, C_NCPUS) : field(r, C_ALLOCCPUS);
    if (eco_slurm_duration(field(r, C_ELAPSED), &j->elapsed_s) != 0)
        return "Elapsed is not a duration such as 1-02:03:04 or 02:03:04";
    if (whole_number(cpus, &j->ncpus) != 0)
        return "NCPUS is not a whole number";
    j->nnodes = -1;
    if (field(r, C_NNODES)[0] && whole_number(field(r, C_NNODES), &j->nnodes) != 0)
        return "NNodes is not a whole number";
    if (field(r, C_TRES)[0] && tres(field(r, C_TRES), &j->gpus, &tres_mem, &bad) != 0)
        return bad;
    if (job_memory(r, j, tres_mem, &bad) != 0)
        return bad;
    j->total_cpu_s = -1;
    if (field(r, C_TOTALCPU)[0] && eco_slurm_duration(field(r, C_TOTALCPU), &j->total_cpu_s) != 0)
        return "TotalCPU is not a duration such as 01:02.345 or 1-02:03:04";
    j->max_rss_gb = -1;
    return NULL;
}

static void row(struct reader *r, char *line, size_t lineno)
{
    char b[64];
    size_t n = split(r, line);
    if (n != r->n_fields) {
        skip(r, lineno, "%zu fields where the header has %zu", n > ECO_SACCT_MAX_FIELDS ? n - 1 : n, r->n_fields);
        return;
    }
    const char *id = field(r, C_JOBID);
    if (strcasecmp(id, "JobID") == 0) {
        skip(r, lineno, "a header line again (two sacct outputs joined?)");
        return;
    }
    if (strchr(id, '.')) {
        step_row(r, lineno, id);
        return;
    }
    if (!valid_id(id)) {
        skip(r, lineno, "JobID '%s' is not a Slurm job id (123, 123_4, 123+1)", shown(id, b, sizeof b));
        return;
    }
    struct eco_sacct_job *j = new_job(r);
    if (!j)
        return;
    snprintf(j->id, sizeof j->id, "%s", id);
    j->line = lineno;
    const char *bad = job_numbers(r, j);
    if (bad) {
        skip(r, lineno, "job %s: %s", j->id, bad);
        return;
    }
    snprintf(j->name, sizeof j->name, "%s", field(r, C_NAME));
    snprintf(j->partition, sizeof j->partition, "%s", field(r, C_PARTITION));
    snprintf(j->nodelist, sizeof j->nodelist, "%s", field(r, C_NODELIST));
    snprintf(j->state, sizeof j->state, "%s", field(r, C_STATE));
    r->out->n_jobs++;
}

/* The lines left when the row limit is reached: all skipped. */
static size_t lines_left(const char *p, const char *end)
{
    size_t n = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        n += (nl ? nl : end) > p;
        p = nl ? nl + 1 : end;
    }
    return n;
}

int eco_sacct_parse(const char *text, size_t len, struct eco_sacct *out, struct eco_err *err)
{
    memset(out, 0, sizeof *out);
    struct reader *r = calloc(1, sizeof *r);
    char *line = malloc(ECO_SACCT_MAX_LINE + 1);
    int rc = 0, have_header = 0;
    size_t lineno = 0, rows = 0;
    if (!r || !line) {
        free(r);
        free(line);
        return eco_err_set(err, 1, "out of memory");
    }
    r->out = out;
    for (const char *p = text, *end = text + len; p < end && rc == 0 && !r->oom;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        const char *next = nl ? nl + 1 : end;
        lineno++;
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (n > ECO_SACCT_MAX_LINE || memchr(p, '\0', n)) {
            if (!have_header)
                rc = eco_err_set(err, 2, "line %zu: %s before the sacct header", lineno,
                                 n > ECO_SACCT_MAX_LINE ? "a line too long" : "a NUL byte");
            else if (n > ECO_SACCT_MAX_LINE)
                skip(r, lineno, "longer than %d bytes", ECO_SACCT_MAX_LINE);
            else
                skip(r, lineno, "a NUL byte in the line");
            p = next;
            continue;
        }
        memcpy(line, p, n);
        line[n] = '\0';
        p = next;
        if (n == 0)
            continue;
        if (!have_header) {
            rc = header(r, line, err);
            have_header = 1;
        } else if (++rows > ECO_SACCT_MAX_ROWS) {
            size_t left = 1 + lines_left(p, end);
            skip(r, lineno, "more than %d rows: this one and the %zu after it are not read", ECO_SACCT_MAX_ROWS,
                 left - 1);
            out->n_skipped += left - 1;
            break;
        } else {
            row(r, line, lineno);
        }
    }
    if (rc == 0 && r->oom)
        rc = eco_err_set(err, 1, "out of memory reading the sacct output");
    if (rc == 0 && !have_header) {
        eco_err_set(err, 2, "the sacct output is empty: no header line");
        eco_err_hint(err, "make it with: sacct --parsable2 --format=JobID,JobName,Partition,NodeList,Elapsed,NCPUS,"
                          "NNodes,AllocTRES,ReqMem,MaxRSS,TotalCPU,State");
        rc = -1;
    }
    free(line);
    free(r);
    return rc;
}

void eco_sacct_free(struct eco_sacct *s)
{
    free(s->jobs);
    free(s->problems);
    memset(s, 0, sizeof *s);
}
