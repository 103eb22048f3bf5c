/* The sacct reader (src/carbon/sacct.c), the partition map and one job's
 * Green Algorithms inputs (src/carbon/sacct_map.c). Formats from Slurm's
 * sacct(1) man page; the expected energies are worked out by hand in the
 * comments from the Green Algorithms formula (Lannelongue, Grealey and
 * Inouye 2021, Adv. Sci. 8:2100707, eq. 1: E = t x (n_c P_c u_c + n_m P_m)
 * x PUE x PSF, with GPUs as further processing cores, P_m = 0.3725 W/GB). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon/posteriori.h"
#include "carbon/sacct.h"
#include "carbon/sacct_map.h"
#include "test.h"

static double dur(const char *s)
{
    double v = -1;
    return eco_slurm_duration(s, &v) == 0 ? v : -1;
}

ECO_TEST(sacct_durations_as_slurm_prints_them)
{
    CHECK_NEAR(dur("02:00:00"), 7200, 1e-12);          /* Elapsed HH:MM:SS */
    CHECK_NEAR(dur("1-00:00:00"), 86400, 1e-12);       /* D-HH:MM:SS */
    CHECK_NEAR(dur("2-00:00:00"), 172800, 1e-12);
    CHECK_NEAR(dur("59:59.500"), 3599.5, 1e-12);       /* TotalCPU under an hour: MM:SS.mmm */
    CHECK_NEAR(dur("00:00.002"), 0.002, 1e-9);
    CHECK_NEAR(dur("1-02:03:04.5"), 93784.5, 1e-12);   /* 86400 + 7200 + 180 + 4 + 0.5 */
    CHECK_NEAR(dur("90"), 90, 1e-12);                  /* ElapsedRaw-style seconds */
    CHECK_NEAR(dur("100:00:00"), 360000, 1e-12);       /* hours beyond a day without days */
    const char *bad[] = {"", "2:xx:00", "1-30", "-5", "1:60:00", "00:61", "1-25:00:00", "INVALID", "UNLIMITED",
                         "12:34:56:78", "1.5:00", "1-", ":30", "30:", "1--01:00:00", "1234567890:00",
                         "00:00.", "01:02.3x", " 01:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (dur(bad[i]) != -1)
            eco_test_fail(__FILE__, __LINE__, "'%s' read as %g s", bad[i], dur(bad[i]));
}

ECO_TEST(sacct_memory_sizes_and_old_per_node_per_cpu_forms)
{
    double g;
    char per;
    CHECK(eco_slurm_mem("32G", &g, &per) == 0 && g == 32 && per == 0);
    CHECK(eco_slurm_mem("20480M", &g, &per) == 0 && g == 20);
    CHECK(eco_slurm_mem("1180K", &g, &per) == 0);
    CHECK_NEAR(g, 1180.0 / 1048576.0, 1e-12);
    CHECK(eco_slurm_mem("4000Mc", &g, &per) == 0 && per == 'c');  /* Slurm before 21.08: per CPU */
    CHECK_NEAR(g, 4000.0 / 1024.0, 1e-12);
    CHECK(eco_slurm_mem("64Gn", &g, &per) == 0 && per == 'n' && g == 64); /* per node */
    CHECK(eco_slurm_mem("1.50Gn", &g, &per) == 0 && per == 'n' && g == 1.5);
    CHECK(eco_slurm_mem("0n", &g, &per) == 0 && g == 0);
    CHECK(eco_slurm_mem("1.5T", &g, &per) == 0 && g == 1536);
    CHECK(eco_slurm_mem("256", &g, &per) == 0 && g == 0.25);        /* bare: Slurm's default unit, MB */
    const char *bad[] = {"", "G", "12X", "5Gx", "1e3M", "-4G", "4 G", "4GB", "4Gnc", ".5G", "5.G"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (eco_slurm_mem(bad[i], &g, &per) == 0)
            eco_test_fail(__FILE__, __LINE__, "'%s' read as %g GiB", bad[i], g);
}

static char *fixture(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/sacct/%s", eco_test_srcdir(), name);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    static char buf[65536];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

static const struct eco_sacct_job *job(const struct eco_sacct *s, const char *id)
{
    for (size_t i = 0; i < s->n_jobs; i++)
        if (strcmp(s->jobs[i].id, id) == 0)
            return &s->jobs[i];
    return NULL;
}

ECO_TEST(sacct_fixture_jobs_steps_and_bad_lines)
{
    size_t len;
    const char *text = fixture("jobs.txt", &len);
    struct eco_sacct s;
    struct eco_err err;
    eco_err_clear(&err);
    CHECK_INT(eco_sacct_parse(text, len, &s, &err), 0);
    CHECK_INT(s.n_jobs, 4);      /* 1001, 1002, 1004_1, 1005+0 */
    CHECK_INT(s.n_steps, 4);     /* 1001.batch, 1001.extern, 1002.batch, 1004_1.batch */
    CHECK_INT(s.n_skipped, 3);
    CHECK_INT(s.n_problems, 3);
    CHECK_INT(s.problems[0].line, 7);   /* 1003: Elapsed 2:xx:00 */
    CHECK(strstr(s.problems[0].why, "1003") && strstr(s.problems[0].why, "Elapsed"));
    CHECK_INT(s.problems[1].line, 11);  /* 8 fields */
    CHECK(strstr(s.problems[1].why, "8 fields"));
    CHECK_INT(s.problems[2].line, 12);  /* a step without its job */
    CHECK(strstr(s.problems[2].why, "999.0"));

    const struct eco_sacct_job *a = job(&s, "1001"), *b = job(&s, "1002"), *c = job(&s, "1004_1"),
                               *d = job(&s, "1005+0");
    CHECK(a && b && c && d);
    CHECK_INT(a->line, 2);
    CHECK_NEAR(a->elapsed_s, 7200, 1e-12);
    CHECK_NEAR(a->total_cpu_s, 28800, 1e-12);
    CHECK_NEAR(a->mem_gb, 32, 1e-12);
    CHECK_STR(a->mem_from, "AllocTRES mem");
    CHECK_NEAR(a->max_rss_gb, 20, 1e-12);            /* the larger of 20480M and 1180K */
    CHECK_INT(a->steps, 2);
    CHECK_NEAR(b->gpus, 2, 0);                       /* gres/gpu=2 and gres/gpu:a100=2: the same two GPUs */
    CHECK_NEAR(b->mem_gb, 128, 1e-12);
    CHECK_NEAR(b->nnodes, 2, 0);
    CHECK_NEAR(b->max_rss_gb, 51.5, 1e-12);
    CHECK_STR(b->partition, "gpu");
    CHECK_STR(b->nodelist, "gpu[01-02]");
    CHECK_NEAR(c->mem_gb, 4 * 4000.0 / 1024.0, 1e-12); /* ReqMem 4000Mc x NCPUS 4 */
    CHECK(strstr(c->mem_from, "per CPU"));
    CHECK_NEAR(d->mem_gb, 4, 1e-12);                 /* AllocTRES mem=4096M */
    CHECK_NEAR(d->gpus, 0, 0);
    eco_sacct_free(&s);
}

static int parse_str(const char *text, struct eco_sacct *s, struct eco_err *err)
{
    eco_err_clear(err);
    return eco_sacct_parse(text, strlen(text), s, err);
}

ECO_TEST(sacct_header_required_and_edge_rows)
{
    struct eco_sacct s;
    struct eco_err err;
    CHECK(parse_str("", &s, &err) < 0 && err.code == 2);
    eco_sacct_free(&s);
    /* --noheader output: the first line is a job, not a header */
    CHECK(parse_str("1001|02:00:00|8\n", &s, &err) < 0 && strstr(err.msg, "header"));
    eco_sacct_free(&s);
    CHECK(parse_str("JobID|NCPUS\n1|2\n", &s, &err) < 0 && strstr(err.msg, "Elapsed"));
    eco_sacct_free(&s);
    /* --parsable (trailing '|'), CRLF, AllocCPUS instead of NCPUS, a header twice */
    CHECK_INT(parse_str("JobID|Elapsed|AllocCPUS|\r\n7|00:01:00|2|\r\nJobID|Elapsed|AllocCPUS|\r\n\r\n8|00:02:00|x|\n",
                        &s, &err), 0);
    CHECK_INT(s.n_jobs, 1);
    CHECK_INT(s.n_skipped, 2);
    CHECK_INT(s.problems[0].line, 3);
    CHECK(strstr(s.problems[0].why, "header"));
    CHECK_INT(s.problems[1].line, 5);
    CHECK(strstr(s.problems[1].why, "NCPUS"));
    CHECK_NEAR(s.jobs[0].elapsed_s, 60, 0);
    CHECK_NEAR(s.jobs[0].mem_gb, -1, 0);              /* no memory column: unknown, not 0 */
    eco_sacct_free(&s);
    /* bad JobIDs and AllocTRES */
    CHECK_INT(parse_str("JobID|Elapsed|NCPUS|AllocTRES\nabc|00:01:00|1|\n9|00:01:00|1|cpu=1,gres/gpu=two\n"
                        "10|00:01:00|1|cpu\n11|00:01:00|1|mem=4Q\n", &s, &err), 0);
    CHECK_INT(s.n_jobs, 0);
    CHECK_INT(s.n_skipped, 4);
    eco_sacct_free(&s);
}

static struct eco_post_params base_params(void)
{
    struct eco_post_params p;
    memset(&p, 0, sizeof p);
    p.method = ECO_POST_GREEN_ALGORITHMS;
    return p;
}

ECO_TEST(sacct_job_green_algorithms_by_hand)
{
    size_t len;
    const char *text = fixture("jobs.txt", &len);
    struct eco_sacct s;
    struct eco_err err;
    eco_err_clear(&err);
    CHECK_INT(eco_sacct_parse(text, len, &s, &err), 0);
    struct eco_sacct_hw hw = {.label = "test", .cpu_w_per_core = 10};
    struct eco_post_params base = base_params(), p;
    eco_post_set(&base.pue, 1.2, ECO_ORIGIN_FLAG, "--pue 1.2");
    struct eco_post_result r;
    /* 1001: t = 7200 s, P_cpu = 8 CPUs x 10 W = 80 W, u = 8 h CPU / (2 h x 8) = 0.5,
     * memory 32 GB x 0.3725 W/GB = 11.92 W:
     * E = 7200 x (80 x 0.5 + 11.92) x 1.2 = 7200 x 51.92 x 1.2 = 448 588.8 J */
    CHECK_INT(eco_sacct_job_params(job(&s, "1001"), &hw, &base, &p, &err), 0);
    CHECK_INT(eco_posteriori_compute(&p, &r, &err), 0);
    CHECK_NEAR(r.total_j, 448588.8, 1e-12);
    CHECK_NEAR(r.cpu_j, 7200 * 40 * 1.2, 1e-12);
    /* 1002 on a GPU row (12 W per CPU, 300 W per GPU), default PUE 1.56:
     * CPU 16 x 12 W x (2 d / (1 d x 16) = 0.125) = 24 W; GPU 2 x 300 W x 1 = 600 W;
     * memory 128 GB x 0.3725 = 47.68 W; E = 86400 x 671.68 x 1.56 = 90 531 717.12 J */
    struct eco_sacct_hw gpu = {.label = "test gpu", .cpu_w_per_core = 12, .gpu_w = 300};
    base = base_params();
    CHECK_INT(eco_sacct_job_params(job(&s, "1002"), &gpu, &base, &p, &err), 0);
    CHECK_INT(eco_posteriori_compute(&p, &r, &err), 0);
    CHECK_NEAR(r.total_j, 90531717.12, 1e-12);
    /* a GPU job with no GPU power: refused, saying why */
    CHECK(eco_sacct_job_params(job(&s, "1002"), &hw, &base, &p, &err) < 0);
    CHECK(strstr(err.msg, "2 GPUs"));
    /* the --gpu flag does not add a GPU to a CPU-only job */
    CHECK_INT(eco_sacct_job_params(job(&s, "1001"), &gpu, &base, &p, &err), 0);
    CHECK(p.gpu_power_w.origin == ECO_ORIGIN_UNSET);
    eco_sacct_free(&s);
}

/* sacct -X reports TotalCPU 0 for allocations (sacct(1), --allocations): a 0
 * with no step row is not a usage; with its steps it is. */
ECO_TEST(sacct_total_cpu_zero_of_allocations_only)
{
    struct eco_sacct s;
    struct eco_err err;
    struct eco_sacct_hw hw = {.label = "test", .cpu_w_per_core = 10};
    struct eco_post_params base = base_params(), p;
    CHECK_INT(parse_str("JobID|Elapsed|NCPUS|TotalCPU\n5|01:00:00|4|00:00:00\n", &s, &err), 0);
    CHECK_INT(eco_sacct_job_params(&s.jobs[0], &hw, &base, &p, &err), 0);
    CHECK(p.cpu_usage.origin == ECO_ORIGIN_UNSET);
    eco_sacct_free(&s);
    CHECK_INT(parse_str("JobID|Elapsed|NCPUS|TotalCPU\n5|01:00:00|4|00:00:00\n5.0|01:00:00|4|00:00:00\n", &s, &err), 0);
    CHECK_INT(eco_sacct_job_params(&s.jobs[0], &hw, &base, &p, &err), 0);
    CHECK(p.cpu_usage.origin != ECO_ORIGIN_UNSET && p.cpu_usage.value == 0);
    eco_sacct_free(&s);
}

ECO_TEST(sacct_map_rows_and_refusals)
{
    size_t len;
    const char *text = fixture("map.tsv", &len);
    struct eco_sacct_map m;
    struct eco_err err;
    eco_err_clear(&err);
    CHECK_INT(eco_sacct_map_parse(text, len, "map.tsv", &m, &err), 0);
    CHECK_INT(m.n, 2);
    struct eco_sacct_job j;
    memset(&j, 0, sizeof j);
    snprintf(j.partition, sizeof j.partition, "gpu");
    snprintf(j.nodelist, sizeof j.nodelist, "cpu-02");
    const struct eco_sacct_hw *hw = eco_sacct_map_find(&m, &j); /* first row wins: the partition */
    CHECK(hw && hw->gpu_w == 300 && hw->cpu_w_per_core == 12);
    snprintf(j.partition, sizeof j.partition, "cpu");
    hw = eco_sacct_map_find(&m, &j);
    CHECK(hw && hw->cpu_w_per_core == 10 && strstr(hw->label, "line 4"));
    snprintf(j.nodelist, sizeof j.nodelist, "cpu-04");
    CHECK(eco_sacct_map_find(&m, &j) == NULL);
    eco_sacct_map_free(&m);
    const char *bad[] = {"match\tcpu\tcpu_w_per_core\npartition=a\tXeon Gold 6248\t10\n", /* CPU twice */
                         "match\tram\npartition=a\t1\n",                                      /* unknown column */
                         "match\tgpu_w\nqueue=a\t300\n",                                      /* not partition=/node= */
                         "match\tgpu_w\npartition=a\t\n",                                     /* no hardware */
                         "match\tgpu_w\npartition=a\t-3\n",                                   /* not a power */
                         "match\tgpu\npartition=a\tno such gpu at all zzz\n",                 /* unknown name */
                         "cpu\tgpu_w\nx\t300\n"};                                             /* no match column */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eco_err_clear(&err);
        if (eco_sacct_map_parse(bad[i], strlen(bad[i]), "bad.tsv", &m, &err) == 0)
            eco_test_fail(__FILE__, __LINE__, "map %zu accepted", i);
        CHECK(err.code == 2 && strstr(err.msg, "bad.tsv"));
    }
}
