/* Fuzzy matching: real /proc/cpuinfo model strings, nvidia-smi names and
 * what people type must land on the expected rows; unknown names fail with
 * exit code 2 and the three closest names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/fuzzy.h"
#include "hw/hardware.h"
#include "test.h"

static void builtin_only(void)
{
    unsetenv("ECOMETER_GPU_TABLE");
    unsetenv("ECOMETER_CPU_TABLE");
    eco_hw_reset();
}

struct expect {
    const char *query, *row;
};

/* Model strings as /proc/cpuinfo prints them on real machines. */
static const struct expect cpuinfo_strings[] = {
    {"Intel(R) Xeon(R) CPU E5-2678 v3 @ 2.50GHz", "Intel Xeon E5-2678 v3"},
    {"Intel(R) Xeon(R) CPU E5-2686 v4 @ 2.30GHz", "Intel Xeon E5-2686 v4"},
    {"Intel(R) Xeon(R) CPU E5-2680 v2 @ 2.80GHz", "Intel Xeon E5-2680 v2"},
    {"Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", "Intel Xeon Gold 6248"},
    {"Intel(R) Xeon(R) Silver 4214R CPU @ 2.40GHz", "Intel Xeon Silver 4214R"},
    {"Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", "Intel Xeon Platinum 8380"},
    {"Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", "Intel Xeon Gold 6338"},
    {"Intel(R) Xeon(R) Platinum 8480+", "Intel Xeon Platinum 8480+"},
    {"INTEL(R) XEON(R) PLATINUM 8592+", "Intel Xeon Platinum 8592+"},
    {"Intel(R) Core(TM) i7-8559U CPU @ 2.70GHz", "Intel Core i7-8559U"},
    {"Intel(R) Core(TM) i7-6700K CPU @ 4.00GHz", "Intel Core i7-6700K"},
    {"Intel(R) Core(TM) i5-10210U CPU @ 1.60GHz", "Intel Core i5-10210U"},
    {"11th Gen Intel(R) Core(TM) i7-1185G7 @ 3.00GHz", "Intel Core i7-1185G7"},
    {"12th Gen Intel(R) Core(TM) i9-12900K", "Intel Core i9-12900K"},
    {"13th Gen Intel(R) Core(TM) i7-1360P", "Intel Core i7-1360P"},
    {"AMD EPYC 7763 64-Core Processor", "AMD EPYC 7763"},
    {"AMD EPYC 7742 64-Core Processor", "AMD EPYC 7742"},
    {"AMD EPYC 9654 96-Core Processor", "AMD EPYC 9654"},
    {"AMD EPYC 7601 32-Core Processor", "AMD EPYC 7601"},
    {"AMD Ryzen 9 5950X 16-Core Processor", "AMD Ryzen 9 5950X"},
    {"AMD Ryzen 5 3600 6-Core Processor", "AMD Ryzen 5 3600"},
    {"AMD Ryzen 7 5800U with Radeon Graphics", "AMD Ryzen 7 5800U"},
    {"AMD Ryzen 9 7950X 16-Core Processor", "AMD Ryzen 9 7950X"},
    {"AMD Ryzen AI 9 HX 370 w/ Radeon 890M", "AMD Ryzen AI 9 HX 370"},
    {"Intel(R) Core(TM) Ultra 7 155H", "Intel Core Ultra 7 155H"},
    {"AMD Ryzen Threadripper 3990X 64-Core Processor", "AMD Ryzen Threadripper 3990X"},
    {"Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz", "Intel Xeon Platinum 8259CL"},
    {"AMD EPYC 7R13 Processor", "AMD EPYC 7R13"},
    {"AMD EPYC 7B12 64-Core Processor", "AMD EPYC 7B12"},
    {"ARM Neoverse-N1", "AWS Graviton2"},
    {"Neoverse-V1", "AWS Graviton3"},
    {"NVIDIA Carmel", "NVIDIA Jetson AGX Xavier CPU (8x Carmel)"},
};

/* What people type, and what nvidia-smi prints. */
static const struct expect typed_gpus[] = {
    {"a100", "NVIDIA A100 SXM4 40GB"},
    {"A100-SXM4-80GB", "NVIDIA A100 SXM4 80GB"},
    {"NVIDIA A100-SXM4-40GB", "NVIDIA A100 SXM4 40GB"},
    {"NVIDIA A100 80GB PCIe", "NVIDIA A100 PCIe 80GB"},
    {"A100 SXM4 40GB", "NVIDIA A100 SXM4 40GB"},
    {"a100 pcie", "NVIDIA A100 PCIe 40GB"},
    {"rtx 4090", "NVIDIA GeForce RTX 4090"},
    {"RTX4090", "NVIDIA GeForce RTX 4090"},
    {"rtx4060ti", "NVIDIA GeForce RTX 4060 Ti"},
    {"NVIDIA GeForce RTX 3080 Ti", "NVIDIA GeForce RTX 3080 Ti"},
    {"geforce rtx 3080", "NVIDIA GeForce RTX 3080"},
    {"3090", "NVIDIA GeForce RTX 3090"},
    {"h100 sxm", "NVIDIA H100 SXM5 80GB"},
    {"h100 pcie", "NVIDIA H100 PCIe 80GB"},
    {"NVIDIA H100 80GB HBM3", "NVIDIA H100 SXM5 80GB"},
    {"h100", "NVIDIA H100 SXM5 80GB"},
    {"Tesla V100-SXM2-16GB", "NVIDIA Tesla V100 SXM2 16GB"},
    {"Tesla V100-PCIE-32GB", "NVIDIA Tesla V100 PCIe 32GB"},
    {"v100", "NVIDIA Tesla V100 SXM2 16GB"},
    {"Tesla T4", "NVIDIA T4"},
    {"gtx 1080 ti", "NVIDIA GeForce GTX 1080 Ti"},
    {"gtx 1080", "NVIDIA GeForce GTX 1080"},
    {"mi250x", "AMD Instinct MI250X"},
    {"MI250", "AMD Instinct MI250"},
    {"AMD Instinct MI300X", "AMD Instinct MI300X"},
    {"radeon rx 7900 xtx", "AMD Radeon RX 7900 XTX"},
    {"jetson orin nano", "NVIDIA Jetson Orin Nano 8GB"},
    {"jetson orin", "NVIDIA Jetson AGX Orin 64GB"},
    {"Jetson Xavier", "NVIDIA Jetson AGX Xavier"},
    {"l40s", "NVIDIA L40S"},
    {"L40", "NVIDIA L40"},
};

static const struct expect typed_cpus[] = {
    {"gold 6248", "Intel Xeon Gold 6248"},
    {"Xeon Gold 6248", "Intel Xeon Gold 6248"},
    {"gold 6248r", "Intel Xeon Gold 6248R"},
    {"platinum 8380", "Intel Xeon Platinum 8380"},
    {"xeon 8380", "Intel Xeon Platinum 8380"},
    {"e5-2680 v4", "Intel Xeon E5-2680 v4"},
    {"epyc 7763", "AMD EPYC 7763"},
    {"i7-8559u", "Intel Core i7-8559U"},
    {"i7 8559U", "Intel Core i7-8559U"},
    {"ryzen 9 5950x", "AMD Ryzen 9 5950X"},
    {"5800x3d", "AMD Ryzen 7 5800X3D"},
    {"graviton 3", "AWS Graviton3"},
    {"altra max", "Ampere Altra Max M128-30"},
    {"grace", "NVIDIA Grace"},
};

static void check_list(const struct expect *e, size_t n, int gpu)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        struct eco_err err;
        struct eco_hw_match how;
        const char *got;
        if (gpu) {
            const struct eco_gpu *g = eco_gpu_find_ex(e[i].query, &how, &err);
            got = g ? g->name : NULL;
        } else {
            const struct eco_cpu *c = eco_cpu_find_ex(e[i].query, &how, &err);
            got = c ? c->name : NULL;
        }
        if (!got || strcmp(got, e[i].row) != 0) {
            fprintf(stderr, "  '%s' -> '%s', expected '%s'%s%s\n", e[i].query, got ? got : "(none)", e[i].row,
                    got ? "" : ": ", got ? "" : err.msg);
            bad++;
        } else if (how.score < ECO_FZ_ACCEPT || how.score > 1) {
            fprintf(stderr, "  '%s': score %g outside %g..1\n", e[i].query, how.score, ECO_FZ_ACCEPT);
            bad++;
        }
    }
    if (bad)
        eco_test_fail(__FILE__, __LINE__, "%d of %zu lookups wrong", bad, n);
}

ECO_TEST(hw_match_cpuinfo_model_strings)
{
    builtin_only();
    check_list(cpuinfo_strings, sizeof cpuinfo_strings / sizeof cpuinfo_strings[0], 0);
}

ECO_TEST(hw_match_typed_gpu_names)
{
    builtin_only();
    check_list(typed_gpus, sizeof typed_gpus / sizeof typed_gpus[0], 1);
}

ECO_TEST(hw_match_typed_cpu_names)
{
    builtin_only();
    check_list(typed_cpus, sizeof typed_cpus / sizeof typed_cpus[0], 0);
}

ECO_TEST(hw_match_says_how)
{
    builtin_only();
    struct eco_err e;
    struct eco_hw_match m;
    CHECK(eco_gpu_find_ex("a100", &m, &e) != NULL);
    CHECK_INT(m.kind, ECO_HW_MATCH_ALIAS);
    CHECK(eco_gpu_find_ex("NVIDIA A100 SXM4 40GB", &m, &e) != NULL);
    CHECK_INT(m.kind, ECO_HW_MATCH_NAME);
    CHECK(eco_cpu_find_ex("gold 6248", &m, &e) != NULL);
    CHECK_INT(m.kind, ECO_HW_MATCH_FUZZY);
    CHECK(m.score >= ECO_FZ_ACCEPT && m.score < 1);
}

/* Near misses must not be accepted as another model. */
ECO_TEST(hw_match_rejects_other_models)
{
    builtin_only();
    static const char *const gpus[] = {"rtx 4095", "a1000", "h300", "mi400", "gtx 980", "tesla", "nvidia", "v", "x", "rtx", "titan", NULL};
    static const char *const cpus[] = {"gold 6249", "xeon", "Intel(R) Xeon(R) CPU @ 2.20GHz", "epyc 7764",
                                       "i7-8560U", "Apple M2", "ryzen", "quantum 9", "ryzen 9", "xeon gold", "graviton",
                                       /* what QEMU/KVM guests show instead of the host's model */
                                       "Intel Xeon Processor (Cascadelake)", "AMD EPYC Processor (with IBPB)",
                                       "Intel Core Processor (Haswell, no TSX)", "QEMU Virtual CPU version 2.5+",
                                       "Common KVM processor", NULL};
    struct eco_err e;
    for (int i = 0; gpus[i]; i++) {
        const struct eco_gpu *g = eco_gpu_find(gpus[i], &e);
        if (g)
            eco_test_fail(__FILE__, __LINE__, "'%s' accepted as '%s'", gpus[i], g->name);
        CHECK_INT(e.code, 2);
    }
    for (int i = 0; cpus[i]; i++) {
        const struct eco_cpu *c = eco_cpu_find(cpus[i], &e);
        if (c)
            eco_test_fail(__FILE__, __LINE__, "'%s' accepted as '%s'", cpus[i], c->name);
        CHECK_INT(e.code, 2);
    }
}

static int count_quoted(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '"';
    return n / 2;
}

ECO_TEST(hw_unknown_name_hints_three_closest)
{
    builtin_only();
    struct eco_err e;
    CHECK(eco_gpu_find("rtx 4065", &e) == NULL);
    CHECK_INT(e.code, 2);
    CHECK(strstr(e.msg, "rtx 4065") != NULL);
    CHECK_INT(count_quoted(e.hint), 3);
    CHECK(strstr(e.hint, "RTX 4060") != NULL);

    CHECK(eco_cpu_find("xeon gold 6249", &e) == NULL);
    CHECK_INT(e.code, 2);
    CHECK_INT(count_quoted(e.hint), 3);
    CHECK(strstr(e.hint, "Intel Xeon Gold 62") != NULL);

    CHECK(eco_cpu_find("epyc 7764", &e) == NULL);
    CHECK(strstr(e.hint, "AMD EPYC 77") != NULL);

    /* empty and NULL queries are input errors too, not crashes */
    CHECK(eco_gpu_find("", &e) == NULL);
    CHECK_INT(e.code, 2);
    CHECK(eco_cpu_find(NULL, &e) == NULL);
    CHECK_INT(e.code, 2);
    CHECK(eco_cpu_find("(R)(TM) CPU @ 3GHz", &e) == NULL);
    CHECK_INT(e.code, 2);
    /* a VM's model-less name is told why */
    CHECK(eco_cpu_find("Intel Xeon Processor (Cascadelake)", &e) == NULL);
    CHECK(strstr(e.hint, "no model number") != NULL);
}

ECO_TEST(hw_search_ranks_best_first)
{
    builtin_only();
    struct eco_hw_hit hits[5];
    size_t n = eco_gpu_search("a100 80gb", hits, 5);
    CHECK(n >= 2);
    size_t ng;
    const struct eco_gpu *g = eco_gpu_table(&ng);
    CHECK(strstr(g[hits[0].index].name, "A100") && strstr(g[hits[0].index].name, "80GB"));
    CHECK(strstr(g[hits[1].index].name, "A100") && strstr(g[hits[1].index].name, "80GB"));
    for (size_t i = 1; i < n; i++)
        CHECK(hits[i].score <= hits[i - 1].score);
    CHECK_INT(eco_cpu_search("", hits, 5), 0);
}

ECO_TEST(hw_tokenizer_drops_decorations)
{
    struct eco_fz_tokens t;
    char s[128];
    eco_fz_tokenize("11th Gen Intel(R) Core(TM) i7-1185G7 @ 3.00GHz", &t);
    eco_fz_join(&t, s, sizeof s);
    CHECK_STR(s, "i7 1185g7");
    eco_fz_tokenize("AMD EPYC 7763 64-Core Processor", &t);
    eco_fz_join(&t, s, sizeof s);
    CHECK_STR(s, "epyc 7763");
    eco_fz_tokenize("Tesla V100-SXM2-16 GB", &t);
    eco_fz_join(&t, s, sizeof s);
    CHECK_STR(s, "v100 sxm2 16gb");
    eco_fz_tokenize("Intel\xc2\xae Xeon\xc2\xae Gold 6248 Processor", &t); /* UTF-8 (R) signs */
    eco_fz_join(&t, s, sizeof s);
    CHECK_STR(s, "xeon gold 6248");
    /* a very long input is cut, not overflowed */
    char big[4096];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    eco_fz_tokenize(big, &t);
    CHECK(t.n == 1 && strlen(t.tok[0]) == ECO_FZ_TOKEN_LEN - 1);
}

/* ---- /proc/cpuinfo parsing on real dumps ---------------------------------- */

static char *slurp(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/cpuinfo/%s", eco_test_srcdir(), rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        eco_test_fail(__FILE__, __LINE__, "cannot open %s", path);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

static const char *model_of(const char *fixture)
{
    static char out[256];
    if (eco_cpu_model_from_cpuinfo(slurp(fixture), out, sizeof out) != 0)
        return "(none)";
    return out;
}

ECO_TEST(hw_cpuinfo_model_from_dumps)
{
    CHECK_STR(model_of("xeon-e5-2678v3.txt"), "Intel(R) Xeon(R) CPU E5-2678 v3 @ 2.50GHz");
    CHECK_STR(model_of("epyc-7763.txt"), "AMD EPYC 7763 64-Core Processor");
    CHECK_STR(model_of("graviton2.txt"), "ARM Neoverse-N1");
    CHECK_STR(model_of("jetson-nano.txt"), "ARM Cortex-A57");  /* generic "ARMv8 Processor" skipped */
    CHECK_STR(model_of("jetson-xavier-nx.txt"), "NVIDIA Carmel");
    CHECK_STR(model_of("raspberry-pi-4.txt"), "ARM Cortex-A72");
    CHECK_STR(model_of("armv7-board.txt"), "Acme Board SoC");  /* unknown part: Hardware line */
    CHECK_STR(model_of("empty.txt"), "(none)");
    char small[8];
    CHECK_INT(eco_cpu_model_from_cpuinfo("model name\t: Intel(R) Xeon(R) Gold 6248 CPU", small, sizeof small), 0);
    CHECK_STR(small, "Intel(R");                   /* truncated, still terminated */
}

ECO_TEST(hw_cpu_model_here_reads_env_file_and_matches)
{
    builtin_only();
    char path[1024], model[256];
    struct { const char *file, *row; } cases[] = {
        {"xeon-e5-2678v3.txt", "Intel Xeon E5-2678 v3"},
        {"epyc-7763.txt", "AMD EPYC 7763"},
        {"graviton2.txt", "AWS Graviton2"},
        {"jetson-nano.txt", "NVIDIA Jetson Nano CPU (4x Cortex-A57)"},
    };
    unsetenv("ECOMETER_SYSFS_ROOT");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(path, sizeof path, "%s/tests/fixtures/cpuinfo/%s", eco_test_srcdir(), cases[i].file);
        setenv("ECOMETER_CPUINFO", path, 1);
        CHECK_INT(eco_cpu_model_here(model, sizeof model), 0);
        struct eco_err e;
        const struct eco_cpu *c = eco_cpu_find(model, &e);
        if (!c || strcmp(c->name, cases[i].row) != 0)
            eco_test_fail(__FILE__, __LINE__, "%s: '%s' -> '%s', expected '%s'", cases[i].file, model,
                          c ? c->name : e.msg, cases[i].row);
    }
    setenv("ECOMETER_CPUINFO", "/nonexistent/cpuinfo", 1);
    CHECK_INT(eco_cpu_model_here(model, sizeof model), -1);
}

/* A Jetson's board name in the device tree picks the module. */
ECO_TEST(hw_cpu_model_here_jetson_device_tree)
{
    builtin_only();
    char path[1024], root[1024], model[256];
    snprintf(path, sizeof path, "%s/tests/fixtures/cpuinfo/jetson-xavier-nx.txt", eco_test_srcdir());
    snprintf(root, sizeof root, "%s/tests/fixtures/jetson-xavier-nx/sys", eco_test_srcdir());
    setenv("ECOMETER_CPUINFO", path, 1);
    setenv("ECOMETER_SYSFS_ROOT", root, 1);
    CHECK_INT(eco_cpu_model_here(model, sizeof model), 0);
    CHECK_STR(model, "NVIDIA Jetson Xavier NX Developer Kit");
    struct eco_err e;
    const struct eco_cpu *c = eco_cpu_find(model, &e);
    CHECK(c != NULL);
    CHECK_STR(c->name, "NVIDIA Jetson Xavier NX CPU (6x Carmel)");
    const struct eco_gpu *g = eco_gpu_find(model, &e);
    CHECK(g != NULL);
    CHECK_STR(g->name, "NVIDIA Jetson Xavier NX");
    unsetenv("ECOMETER_SYSFS_ROOT");
    unsetenv("ECOMETER_CPUINFO");
}

/* Hostile input: random bytes, long strings, odd UTF-8 must not crash; and
 * without a digit they name no model, so nothing may be accepted (every
 * row's name needs a model number, or a word random bytes will not spell). */
ECO_TEST(hw_match_survives_random_input)
{
    builtin_only();
    unsigned long long x = 0x9E3779B97F4A7C15ull;
    char q[600];
    struct eco_err e;
    for (int round = 0; round < 600; round++) {
        int digits_allowed = round % 2;
        size_t len = (size_t)(round % 599);
        for (size_t i = 0; i < len; i++) {
            do {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                q[i] = (char)(1 + x % 255); /* any byte but NUL */
            } while (!digits_allowed && q[i] >= '0' && q[i] <= '9');
        }
        q[len] = 0;
        /* the "closest names" hint is ranked for some rounds only: it is the slow part */
        struct eco_err *pe = round % 50 < 2 ? &e : NULL;
        const struct eco_gpu *g = eco_gpu_find(q, pe);
        const struct eco_cpu *c = eco_cpu_find(q, pe);
        if (!digits_allowed && (g || c))
            eco_test_fail(__FILE__, __LINE__, "random input %d accepted as '%s'", round, g ? g->name : c->name);
        if (pe && !c)
            CHECK_INT(e.code, 2);
        char model[64];
        eco_cpu_model_from_cpuinfo(q, model, sizeof model); /* must not crash */
    }
}

/* The device-tree names of the boards in the sensor fixtures. */
ECO_TEST(hw_jetson_board_names_find_modules)
{
    builtin_only();
    struct { const char *board, *cpu, *gpu; } cases[] = {
        {"Jetson-AGX", "NVIDIA Jetson AGX Xavier CPU (8x Carmel)", "NVIDIA Jetson AGX Xavier"},
        {"NVIDIA Orin NX Developer Kit", "NVIDIA Jetson Orin NX CPU (8x Cortex-A78AE)", "NVIDIA Jetson Orin NX 16GB"},
        {"NVIDIA Jetson Nano Developer Kit", "NVIDIA Jetson Nano CPU (4x Cortex-A57)", "NVIDIA Jetson Nano"},
        {"NVIDIA Jetson AGX Orin Developer Kit", "NVIDIA Jetson AGX Orin CPU (12x Cortex-A78AE)", "NVIDIA Jetson AGX Orin 64GB"},
    };
    struct eco_err e;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct eco_cpu *c = eco_cpu_find(cases[i].board, &e);
        const struct eco_gpu *g = eco_gpu_find(cases[i].board, &e);
        if (!c || strcmp(c->name, cases[i].cpu) != 0 || !g || strcmp(g->name, cases[i].gpu) != 0)
            eco_test_fail(__FILE__, __LINE__, "'%s' -> '%s' / '%s'", cases[i].board, c ? c->name : "-",
                          g ? g->name : "-");
    }
}

/* Issue 13: a laptop GPU is never silently the desktop card of the same
 * name (RTX 4070 Laptop: 35-115 W TGP; desktop RTX 4070: 200 W). */
ECO_TEST(hw_laptop_gpu_has_its_own_row)
{
    unsetenv("ECOMETER_GPU_TABLE");
    struct eco_err err;
    const char *laptop_names[] = {"NVIDIA GeForce RTX 4070 Laptop GPU", "RTX 4070 Laptop", "rtx 4070 mobile",
                                  "GeForce RTX 4070 Max-Q"};
    for (size_t i = 0; i < sizeof laptop_names / sizeof laptop_names[0]; i++) {
        eco_err_clear(&err);
        const struct eco_gpu *g = eco_gpu_find(laptop_names[i], &err);
        CHECK(g != NULL);
        CHECK_STR(g->name, "NVIDIA GeForce RTX 4070 Laptop GPU");
        CHECK_STR(g->kind, "laptop");
        CHECK(g->tdp_w == 115); /* the top of NVIDIA's 35-115 W range */
        CHECK(strstr(g->source, "35-115") != NULL);
    }
    /* the desktop name still gives the desktop card */
    const struct eco_gpu *d = eco_gpu_find("NVIDIA GeForce RTX 4070", &err);
    CHECK(d && strcmp(d->kind, "laptop") != 0 && d->tdp_w == 200);
    d = eco_gpu_find("rtx 4070", &err);
    CHECK(d && strcmp(d->kind, "laptop") != 0);
    /* a laptop GPU without a row is refused, with the closest laptop rows */
    eco_err_clear(&err);
    CHECK(eco_gpu_find("NVIDIA GeForce RTX 3080 Laptop GPU", &err) == NULL);
    CHECK_INT(err.code, 2);
    CHECK(strstr(err.msg, "laptop GPU") != NULL);
    CHECK(strstr(err.hint, "closest laptop rows") && strstr(err.hint, "Laptop GPU\""));
    CHECK(strstr(err.hint, "\"NVIDIA GeForce RTX 3080\"") == NULL); /* never the desktop card */
    /* search with a laptop name lists laptop rows only */
    struct eco_hw_hit hits[5];
    size_t k = eco_gpu_search("4080 laptop", hits, 5);
    size_t n;
    const struct eco_gpu *rows = eco_gpu_table(&n);
    CHECK(k > 0);
    for (size_t i = 0; i < k; i++)
        CHECK_STR(rows[hits[i].index].kind, "laptop");
}
