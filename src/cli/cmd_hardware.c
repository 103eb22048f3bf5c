/* ecometer hardware: look up the GPU and CPU tables (search, list, show). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/numparse.h"
#include "core/texttable.h"
#include "hw/hardware.h"

static const char usage_text[] =
    "usage: ecometer hardware search TEXT [--limit N] [--format text|json|csv]\n"
    "       ecometer hardware list [gpus|cpus] [--format text|json|csv]\n"
    "       ecometer hardware show NAME [--gpu|--cpu] [--format text|json|csv]\n"
    "\n"
    "Look up the GPUs and CPUs in ecometer's built-in tables (data/gpus.tsv, data/cpus.tsv),\n"
    "the figures the estimator uses: TDP, memory, peak FP32/FP16/INT8 throughput, cores.\n"
    "\n"
    "  search TEXT   best matches from both tables, with their match score (0..1)\n"
    "  list          every row of both tables, or of one\n"
    "  show NAME     the row NAME resolves to, as the estimator would pick it\n"
    "                (\"a100\", \"A100-SXM4-80GB\", \"rtx 4090\", a /proc/cpuinfo model string)\n"
    "\n"
    "options:\n"
    "  --limit N, -n N  at most N search results (default 10)\n"
    "  --gpu, --cpu     look NAME up in one table only\n"
    "  --format F       text (default), json or csv\n"
    "\n"
    "Tables can be extended or corrected with a TSV file of the same columns named by\n"
    "ECOMETER_GPU_TABLE or ECOMETER_CPU_TABLE; its rows replace built-in rows of the same name.\n";

struct opts {
    enum eco_format fmt;
    long limit;
    int only_gpu, only_cpu;
    char text[512]; /* positional words after the subcommand, joined by spaces */
    const char *sub;
};

enum { O_GPU = ECO_O_OWN, O_CPU };
static const struct eco_opt options[] = {
    ECO_OPT_USE(limit), {"--gpu", NULL, NULL, O_GPU, 0, NULL}, {"--cpu", NULL, NULL, O_CPU, 0, NULL},
    ECO_OPT_USE(format), ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_hardware = {"hardware", options, usage_text, NULL};

static int take(void *ctx, int id, const char *v)
{
    struct opts *o = ctx;
    struct eco_err e;
    int n;
    switch (id) {
    case ECO_O_FORMAT: return eco_parse_format(v, &o->fmt, &e) != 0 ? eco_err_print(&e) : 0;
    case ECO_O_LIMIT:
        if (eco_num_int(v, 1, 10000, 0, &n) != ECO_NUM_OK)
            return eco_cli_usage_error("hardware", "--limit needs a whole number from 1 to 10000");
        o->limit = n;
        return 0;
    case O_GPU: o->only_gpu = 1; return 0;
    case O_CPU: o->only_cpu = 1; return 0;
    }
    /* a word: the subcommand, then the words of the name */
    if (!o->sub) {
        o->sub = v;
        return 0;
    }
    size_t used = strlen(o->text);
    if (used + strlen(v) + 2 > sizeof o->text)
        return eco_cli_usage_error("hardware", "the name is too long");
    snprintf(o->text + used, sizeof o->text - used, "%s%s", used ? " " : "", v);
    return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 10;
    int rc = eco_opts_parse(&eco_opts_hardware, argc, argv, take, o, NULL);
    if (rc != ECO_OPTS_GO_ON)
        return rc;
    if (o->only_gpu && o->only_cpu)
        return eco_cli_usage_error("hardware", "--gpu and --cpu exclude each other");
    return ECO_OPTS_GO_ON;
}

/* ---- one row in each format ---------------------------------------------- */

static cJSON *aliases_json(const char *aliases)
{
    cJSON *arr = cJSON_CreateArray();
    const char *p = aliases ? aliases : "";
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        char one[256];
        snprintf(one, sizeof one, "%.*s", (int)l, p);
        if (*one)
            cJSON_AddItemToArray(arr, cJSON_CreateString(one));
        p = bar ? bar + 1 : p + l;
    }
    return arr;
}

static cJSON *gpu_json(const struct eco_gpu *g)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", g->name);
    cJSON_AddItemToObject(o, "aliases", aliases_json(g->aliases));
    cJSON_AddStringToObject(o, "vendor", g->vendor);
    cJSON_AddStringToObject(o, "kind", g->kind);
    cJSON_AddNumberToObject(o, "tdp_w", g->tdp_w);
    cJSON_AddNumberToObject(o, "memory_gb", g->memory_gb);
    cJSON_AddNumberToObject(o, "fp32_tflops", g->fp32_tflops);
    cJSON_AddNumberToObject(o, "fp16_tflops", g->fp16_tflops);
    cJSON_AddNumberToObject(o, "int8_tops", g->int8_tops);
    cJSON_AddStringToObject(o, "source", g->source);
    cJSON_AddNumberToObject(o, "year", g->year);
    cJSON_AddNumberToObject(o, "mem_bw_gbs", g->mem_bw_gbs);
    cJSON_AddStringToObject(o, "mem_bw_source", g->mem_bw_source);
    return o;
}

static cJSON *cpu_json(const struct eco_cpu *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", c->name);
    cJSON_AddItemToObject(o, "aliases", aliases_json(c->aliases));
    cJSON_AddStringToObject(o, "vendor", c->vendor);
    cJSON_AddNumberToObject(o, "cores", c->cores);
    cJSON_AddNumberToObject(o, "threads", c->threads);
    cJSON_AddNumberToObject(o, "tdp_w", c->tdp_w);
    cJSON_AddStringToObject(o, "source", c->source);
    cJSON_AddNumberToObject(o, "year", c->year);
    cJSON_AddNumberToObject(o, "base_ghz", c->base_ghz);
    cJSON_AddNumberToObject(o, "fp32_flops_per_cycle", c->fp32_flops_per_cycle);
    cJSON_AddNumberToObject(o, "mem_channels", c->mem_channels);
    cJSON_AddNumberToObject(o, "mem_mts", c->mem_mts);
    cJSON_AddNumberToObject(o, "peak_fp32_gflops", eco_cpu_peak_flops(c) / 1e9);
    cJSON_AddNumberToObject(o, "mem_bw_gbs", eco_cpu_mem_bw_gbs(c));
    cJSON_AddStringToObject(o, "device_source", c->device_source);
    return o;
}

/* CSV: one layout for both tables so search results mix in one file. */
static const char csv_header[] = "table,name,aliases,vendor,kind,tdp_w,memory_gb,fp32_tflops,"
                                 "fp16_tflops,int8_tops,cores,threads,source,year,mem_bw_gbs,"
                                 "mem_bw_source,base_ghz,fp32_flops_per_cycle,mem_channels,mem_mts,"
                                 "device_source";

static void csv_gpu(const struct eco_gpu *g, const char *extra)
{
    if (extra)
        printf("%s,", extra);
    fputs("gpu,", stdout);
    eco_csv_field(stdout, g->name);
    putchar(',');
    eco_csv_field(stdout, g->aliases);
    putchar(',');
    eco_csv_field(stdout, g->vendor);
    putchar(',');
    eco_csv_field(stdout, g->kind);
    printf(",%g,%g,%g,%g,%g,,,", g->tdp_w, g->memory_gb, g->fp32_tflops, g->fp16_tflops, g->int8_tops);
    eco_csv_field(stdout, g->source);
    printf(",%d,%g,", g->year, g->mem_bw_gbs);
    eco_csv_field(stdout, g->mem_bw_source);
    fputs(",,,,,\n", stdout);
}

static void csv_cpu(const struct eco_cpu *c, const char *extra)
{
    if (extra)
        printf("%s,", extra);
    fputs("cpu,", stdout);
    eco_csv_field(stdout, c->name);
    putchar(',');
    eco_csv_field(stdout, c->aliases);
    putchar(',');
    eco_csv_field(stdout, c->vendor);
    printf(",,%g,,,,,%d,%d,", c->tdp_w, c->cores, c->threads);
    eco_csv_field(stdout, c->source);
    printf(",%d,%g,,%g,%g,%d,%g,", c->year, eco_cpu_mem_bw_gbs(c), c->base_ghz, c->fp32_flops_per_cycle,
           c->mem_channels, c->mem_mts);
    eco_csv_field(stdout, c->device_source);
    putchar('\n');
}

/* Short figures for one-line text views. */
static void gpu_summary(const struct eco_gpu *g, char *buf, size_t len)
{
    if (g->fp16_tflops > 0)
        snprintf(buf, len, "%g GB, FP32 %g TFLOPS, FP16 %g TFLOPS", g->memory_gb, g->fp32_tflops,
                 g->fp16_tflops);
    else /* 0 means not published or no fast FP16: do not print it as a figure */
        snprintf(buf, len, "%g GB, FP32 %g TFLOPS", g->memory_gb, g->fp32_tflops);
}

static void cpu_summary(const struct eco_cpu *c, char *buf, size_t len)
{
    snprintf(buf, len, "%d cores, %d threads", c->cores, c->threads);
}

/* ---- subcommands ------------------------------------------------------------ */

struct hit {
    int is_gpu;
    size_t index;
    double score;
};

static int by_score(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->is_gpu != y->is_gpu ? y->is_gpu - x->is_gpu : (x->index > y->index) - (x->index < y->index);
}

/* The best rows of both tables for o->text (at most --limit, best first) in
 * *all (to free); their count, or -1 when out of memory. */
static long gather_hits(const struct opts *o, struct hit **all)
{
    size_t max = (size_t)o->limit;
    struct eco_hw_hit *gh = calloc(max, sizeof *gh), *ch = calloc(max, sizeof *ch);
    *all = calloc(2 * max, sizeof **all);
    if (!gh || !ch || !*all) {
        free(gh), free(ch), free(*all);
        return -1;
    }
    size_t k = 0, kg = o->only_cpu ? 0 : eco_gpu_search(o->text, gh, max),
           kc = o->only_gpu ? 0 : eco_cpu_search(o->text, ch, max);
    for (size_t i = 0; i < kg; i++)
        (*all)[k++] = (struct hit){1, gh[i].index, gh[i].score};
    for (size_t i = 0; i < kc; i++)
        (*all)[k++] = (struct hit){0, ch[i].index, ch[i].score};
    free(gh);
    free(ch);
    qsort(*all, k, sizeof **all, by_score);
    return (long)(k > max ? max : k);
}

static const char *hit_name(const struct hit *h)
{
    size_t n;
    return h->is_gpu ? eco_gpu_table(&n)[h->index].name : eco_cpu_table(&n)[h->index].name;
}

/* Nothing close enough: say so, with the closest names when there are some. */
static int no_match(const struct opts *o, const struct hit *all, size_t k)
{
    fprintf(stderr, "ecometer: nothing in ecometer's hardware tables matches '%s'\n", o->text);
    if (k >= 3)
        fprintf(stderr, "ecometer: hint: the closest names are \"%s\", \"%s\", \"%s\"; search for the "
                        "model number (e.g. '6248', 'a100', '4090'), or see 'ecometer hardware list'\n",
                hit_name(&all[0]), hit_name(&all[1]), hit_name(&all[2]));
    else
        fprintf(stderr, "ecometer: hint: search for the model number (e.g. '6248', 'a100', '4090'), "
                        "or see 'ecometer hardware list'\n");
    return ECO_EXIT_USAGE;
}

static void hits_json(const struct opts *o, const struct hit *all, size_t k)
{
    size_t n;
    const struct eco_gpu *gt = eco_gpu_table(&n);
    const struct eco_cpu *ct = eco_cpu_table(&n);
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    cJSON_AddStringToObject(root, "query", o->text);
    for (size_t i = 0; i < k; i++) {
        cJSON *h = cJSON_CreateObject();
        cJSON_AddStringToObject(h, "table", all[i].is_gpu ? "gpu" : "cpu");
        cJSON_AddNumberToObject(h, "score", (double)(long)(all[i].score * 1000 + 0.5) / 1000);
        cJSON_AddItemToObject(h, "row", all[i].is_gpu ? gpu_json(&gt[all[i].index]) : cpu_json(&ct[all[i].index]));
        cJSON_AddItemToArray(arr, h);
    }
    cJSON_AddItemToObject(root, "results", arr);
    eco_json_emit(stdout, root);
}

static void hits_csv(const struct hit *all, size_t k)
{
    size_t n;
    const struct eco_gpu *gt = eco_gpu_table(&n);
    const struct eco_cpu *ct = eco_cpu_table(&n);
    printf("score,%s\n", csv_header);
    for (size_t i = 0; i < k; i++) {
        char sc[32];
        snprintf(sc, sizeof sc, "%.3f", all[i].score);
        if (all[i].is_gpu)
            csv_gpu(&gt[all[i].index], sc);
        else
            csv_cpu(&ct[all[i].index], sc);
    }
}

static void hits_text(const struct hit *all, size_t k)
{
    size_t n;
    const struct eco_gpu *gt = eco_gpu_table(&n);
    const struct eco_cpu *ct = eco_cpu_table(&n);
    const char *hdr[] = {">score", "table", "name", ">TDP W", "figures"};
    struct eco_table *t = eco_table_new(5, hdr);
    for (size_t i = 0; i < k; i++) {
        char sc[16], tdp[16], fig[128];
        snprintf(sc, sizeof sc, "%.2f", all[i].score);
        if (all[i].is_gpu) {
            const struct eco_gpu *g = &gt[all[i].index];
            snprintf(tdp, sizeof tdp, "%g", g->tdp_w);
            gpu_summary(g, fig, sizeof fig);
            eco_table_row(t, (const char *[]){sc, "gpu", g->name, tdp, fig});
        } else {
            const struct eco_cpu *c = &ct[all[i].index];
            snprintf(tdp, sizeof tdp, "%g", c->tdp_w);
            cpu_summary(c, fig, sizeof fig);
            eco_table_row(t, (const char *[]){sc, "cpu", c->name, tdp, fig});
        }
    }
    eco_table_print(t, stdout);
    eco_table_free(t);
    printf("\nscore: 1 = exact name or alias; 'ecometer hardware show NAME' resolves a name as the "
           "estimator does\n");
}

static int cmd_search(const struct opts *o)
{
    if (!*o->text)
        return eco_cli_usage_error("hardware", "'hardware search' needs the TEXT to look for");
    struct hit *all;
    long found = gather_hits(o, &all);
    if (found < 0) {
        fputs("ecometer: out of memory\n", stderr);
        return ECO_EXIT_RUNTIME;
    }
    size_t k = (size_t)found;
    /* Below this nothing shares a model number or most words with the query:
     * listing rows would only be noise. */
    const double too_far = 0.3;
    if (k == 0 || all[0].score < too_far) {
        int rc = no_match(o, all, k);
        free(all);
        return rc;
    }
    /* Keep the rows that compete with the best one; a clear match (one table)
     * should not be followed by the other table's distant rows. */
    size_t keep = 1;
    while (keep < k && all[keep].score >= 0.5 * all[0].score)
        keep++;
    if (o->fmt == ECO_FMT_JSON)
        hits_json(o, all, keep);
    else if (o->fmt == ECO_FMT_CSV)
        hits_csv(all, keep);
    else
        hits_text(all, keep);
    free(all);
    return 0;
}

static void list_json(const struct eco_gpu *gt, size_t ng, const struct eco_cpu *ct, size_t nc, int gpus, int cpus)
{
    cJSON *root = cJSON_CreateObject();
    if (gpus) {
        cJSON *a = cJSON_AddArrayToObject(root, "gpus");
        for (size_t i = 0; i < ng; i++)
            cJSON_AddItemToArray(a, gpu_json(&gt[i]));
    }
    if (cpus) {
        cJSON *a = cJSON_AddArrayToObject(root, "cpus");
        for (size_t i = 0; i < nc; i++)
            cJSON_AddItemToArray(a, cpu_json(&ct[i]));
    }
    eco_json_emit(stdout, root);
}

static void list_gpus_text(const struct eco_gpu *gt, size_t ng)
{
    const char *hdr[] = {"GPU", "vendor", "kind", ">TDP W", ">memory GB", ">FP32 TFLOPS",
                         ">FP16 TFLOPS", ">INT8 TOPS", ">GB/s", ">year"};
    struct eco_table *t = eco_table_new(10, hdr);
    for (size_t i = 0; i < ng; i++) {
        const struct eco_gpu *g = &gt[i];
        char v[7][24];
        snprintf(v[0], 24, "%g", g->tdp_w);
        snprintf(v[1], 24, "%g", g->memory_gb);
        snprintf(v[2], 24, "%g", g->fp32_tflops);
        snprintf(v[3], 24, "%g", g->fp16_tflops);
        snprintf(v[4], 24, "%g", g->int8_tops);
        snprintf(v[5], 24, "%d", g->year);
        snprintf(v[6], 24, "%g", g->mem_bw_gbs);
        eco_table_row(t, (const char *[]){g->name, g->vendor, g->kind, v[0], v[1], v[2], v[3], v[4], v[6], v[5]});
    }
    eco_table_print(t, stdout);
    eco_table_free(t);
    printf("%zu GPUs\n", ng);
}

static void list_cpus_text(const struct eco_cpu *ct, size_t nc)
{
    const char *hdr[] = {"CPU", "vendor", ">cores", ">threads", ">TDP W", ">FP32 GFLOPS", ">GB/s", ">year"};
    struct eco_table *t = eco_table_new(8, hdr);
    for (size_t i = 0; i < nc; i++) {
        const struct eco_cpu *c = &ct[i];
        char v[6][24];
        snprintf(v[0], 24, "%d", c->cores);
        snprintf(v[1], 24, "%d", c->threads);
        snprintf(v[2], 24, "%g", c->tdp_w);
        snprintf(v[3], 24, "%d", c->year);
        snprintf(v[4], 24, "%.4g", eco_cpu_peak_flops(c) / 1e9);
        snprintf(v[5], 24, "%.4g", eco_cpu_mem_bw_gbs(c));
        eco_table_row(t, (const char *[]){c->name, c->vendor, v[0], v[1], v[2], v[4], v[5], v[3]});
    }
    eco_table_print(t, stdout);
    eco_table_free(t);
    printf("%zu CPUs\n", nc);
}

static int cmd_list(const struct opts *o)
{
    int gpus = !o->only_cpu, cpus = !o->only_gpu;
    if (*o->text) {
        if (strcmp(o->text, "gpus") == 0 || strcmp(o->text, "gpu") == 0)
            cpus = 0;
        else if (strcmp(o->text, "cpus") == 0 || strcmp(o->text, "cpu") == 0)
            gpus = 0;
        else
            return eco_cli_usage_error("hardware", "'hardware list' takes 'gpus' or 'cpus', not '%s'", o->text);
    }
    size_t ng, nc;
    const struct eco_gpu *gt = eco_gpu_table(&ng);
    const struct eco_cpu *ct = eco_cpu_table(&nc);
    if (!gpus)
        ng = 0;
    if (!cpus)
        nc = 0;
    if (o->fmt == ECO_FMT_JSON) {
        list_json(gt, ng, ct, nc, gpus, cpus);
    } else if (o->fmt == ECO_FMT_CSV) {
        puts(csv_header);
        for (size_t i = 0; i < ng; i++)
            csv_gpu(&gt[i], NULL);
        for (size_t i = 0; i < nc; i++)
            csv_cpu(&ct[i], NULL);
    } else {
        if (gpus)
            list_gpus_text(gt, ng);
        if (gpus && cpus)
            putchar('\n');
        if (cpus)
            list_cpus_text(ct, nc);
    }
    return 0;
}

static const char *match_word(enum eco_hw_match_kind k)
{
    return k == ECO_HW_MATCH_NAME ? "name" : k == ECO_HW_MATCH_ALIAS ? "alias" : "fuzzy";
}

static void show_text_gpu(const struct eco_gpu *g)
{
    printf("GPU          %s\n", g->name);
    printf("aliases      %s\n", *g->aliases ? g->aliases : "-");
    printf("vendor       %s (%s)\n", g->vendor, g->kind);
    printf("TDP          %g W\n", g->tdp_w);
    printf("memory       %g GB\n", g->memory_gb);
    printf("FP32         %g TFLOPS (peak)\n", g->fp32_tflops);
    printf("FP16/BF16    %g TFLOPS (peak dense%s)\n", g->fp16_tflops, g->fp16_tflops > 0 ? "" : "; 0 = not published");
    printf("INT8         %g TOPS (peak dense%s)\n", g->int8_tops, g->int8_tops > 0 ? "" : "; 0 = not published");
    printf("source       %s, %d\n", g->source, g->year);
    if (g->mem_bw_gbs > 0)
        printf("memory BW    %g GB/s (%s)\n", g->mem_bw_gbs, g->mem_bw_source);
    else
        printf("memory BW    not in the table\n");
}

static void show_text_cpu(const struct eco_cpu *c)
{
    printf("CPU          %s\n", c->name);
    printf("aliases      %s\n", *c->aliases ? c->aliases : "-");
    printf("vendor       %s\n", c->vendor);
    printf("cores        %d (%d threads)\n", c->cores, c->threads);
    printf("TDP          %g W (%.2f W per core)\n", c->tdp_w, c->tdp_w / c->cores);
    printf("source       %s, %d\n", c->source, c->year);
    if (eco_cpu_peak_flops(c) > 0 && eco_cpu_mem_bw_gbs(c) > 0) {
        printf("FP32         %.4g GFLOPS (peak: %d cores x %g GHz x %g FLOP/cycle)\n", eco_cpu_peak_flops(c) / 1e9,
               c->cores, c->base_ghz, c->fp32_flops_per_cycle);
        printf("memory BW    %.4g GB/s (%d channels x %g MT/s x 8 bytes)\n", eco_cpu_mem_bw_gbs(c), c->mem_channels,
               c->mem_mts);
        printf("device src   %s\n", c->device_source);
    } else {
        printf("device       no clock, ISA or memory figures in the table (flops --device cannot use it)\n");
    }
}

static int cmd_show(const struct opts *o)
{
    if (!*o->text)
        return eco_cli_usage_error("hardware", "'hardware show' needs a NAME");
    struct eco_err ge, ce;
    struct eco_hw_match gm = {0}, cm = {0};
    const struct eco_gpu *g = o->only_cpu ? NULL : eco_gpu_find_ex(o->text, &gm, &ge);
    const struct eco_cpu *c = o->only_gpu ? NULL : eco_cpu_find_ex(o->text, &cm, &ce);
    if (!g && !c) {
        if (o->only_gpu)
            return eco_err_print(&ge);
        if (o->only_cpu)
            return eco_err_print(&ce);
        /* Report the table whose best candidate is closer to what was typed. */
        struct eco_hw_hit hg = {0, 0}, hc = {0, 0};
        eco_gpu_search(o->text, &hg, 1);
        eco_cpu_search(o->text, &hc, 1);
        return eco_err_print(hg.score >= hc.score ? &ge : &ce);
    }
    /* Both matched: keep only the better match unless they are equally good
     * (a Jetson module is in both tables). */
    if (g && c && gm.score != cm.score) {
        if (gm.score > cm.score)
            c = NULL;
        else
            g = NULL;
    }
    if (o->fmt == ECO_FMT_JSON) {
        cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray();
        cJSON_AddStringToObject(root, "query", o->text);
        if (g) {
            cJSON *m = cJSON_CreateObject();
            cJSON_AddStringToObject(m, "table", "gpu");
            cJSON_AddStringToObject(m, "match", match_word(gm.kind));
            cJSON_AddNumberToObject(m, "score", (double)(long)(gm.score * 1000 + 0.5) / 1000);
            cJSON_AddBoolToObject(m, "from_user_table", gm.from_user);
            cJSON_AddItemToObject(m, "row", gpu_json(g));
            cJSON_AddItemToArray(arr, m);
        }
        if (c) {
            cJSON *m = cJSON_CreateObject();
            cJSON_AddStringToObject(m, "table", "cpu");
            cJSON_AddStringToObject(m, "match", match_word(cm.kind));
            cJSON_AddNumberToObject(m, "score", (double)(long)(cm.score * 1000 + 0.5) / 1000);
            cJSON_AddBoolToObject(m, "from_user_table", cm.from_user);
            cJSON_AddItemToObject(m, "row", cpu_json(c));
            cJSON_AddItemToArray(arr, m);
        }
        cJSON_AddItemToObject(root, "matches", arr);
        eco_json_emit(stdout, root);
        return 0;
    }
    if (o->fmt == ECO_FMT_CSV) {
        printf("match,%s\n", csv_header);
        if (g)
            csv_gpu(g, match_word(gm.kind));
        if (c)
            csv_cpu(c, match_word(cm.kind));
        return 0;
    }
    if (g) {
        show_text_gpu(g);
        printf("matched      '%s' by %s (score %.2f)%s\n", o->text, match_word(gm.kind), gm.score,
               gm.from_user ? ", row from ECOMETER_GPU_TABLE" : "");
    }
    if (g && c)
        putchar('\n');
    if (c) {
        show_text_cpu(c);
        printf("matched      '%s' by %s (score %.2f)%s\n", o->text, match_word(cm.kind), cm.score,
               cm.from_user ? ", row from ECOMETER_CPU_TABLE" : "");
    }
    return 0;
}

int eco_cmd_hardware(int argc, char **argv)
{
    struct opts o;
    int rc = parse(argc, argv, &o);
    if (rc != ECO_OPTS_GO_ON)
        return rc;
    if (!o.sub)
        return eco_cli_usage_error("hardware", "'hardware' needs a subcommand: search, list or show");
    struct eco_err err;
    if (eco_hw_load(&err) != 0)
        return eco_err_print(&err);
    if (strcmp(o.sub, "search") == 0)
        return cmd_search(&o);
    if (strcmp(o.sub, "list") == 0)
        return cmd_list(&o);
    if (strcmp(o.sub, "show") == 0)
        return cmd_show(&o);
    return eco_cli_usage_error("hardware", "unknown subcommand '%s' (use search, list or show)", o.sub);
}
