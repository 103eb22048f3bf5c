/* Embodied emissions: the table (every row sourced, dated, saying what it
 * covers, within plausible ranges, pointing at real hardware rows), the
 * amortisation against hand arithmetic from the table rows, the labelled
 * default for what has no published figure, and the flags' parsers. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "carbon/embodied.h"
#include "hw/hardware.h"
#include "test.h"

static const struct eco_embodied_table *table(void)
{
    struct eco_err e;
    eco_err_clear(&e);
    const struct eco_embodied_table *t = eco_embodied_builtin(&e);
    if (!t)
        eco_test_fail(__FILE__, __LINE__, "built-in table: %s", e.msg);
    return t;
}

ECO_TEST(embodied_builtin_rows_are_sourced_and_plausible)
{
    const struct eco_embodied_table *t = table();
    CHECK(t->n >= 8);
    int kinds_seen[7] = {0};
    const char *kinds[] = {"gpu", "cpu", "memory", "ssd", "hdd", "server"};
    for (size_t i = 0; i < t->n; i++) {
        const struct eco_embodied_row *r = &t->rows[i];
        CHECK(strlen(r->covers) > 40);               /* says which stages and parts */
        CHECK(strlen(r->source) > 20);
        CHECK(strstr(r->source, "http") || strstr(r->source, "pubs.acs.org")); /* findable */
        CHECK(r->year >= 2010 && r->year <= 2030);
        double lo, hi;
        CHECK(eco_embodied_plausible(r->kind, &lo, &hi));
        CHECK(r->kg > 0 && r->kg >= lo && r->kg <= hi);
        if (r->is_default) /* a stand-in says so where it is explained */
            CHECK(strstr(r->covers, "DEFAULT") != NULL);
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            kinds_seen[k] |= strcmp(r->kind, kinds[k]) == 0;
    }
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (!kinds_seen[k])
            eco_test_fail(__FILE__, __LINE__, "no row of kind %s", kinds[k]);
    /* a default for each kind a run always counts */
    CHECK(eco_embodied_generic(t, "gpu") && eco_embodied_generic(t, "gpu")->is_default);
    CHECK(eco_embodied_generic(t, "cpu") && eco_embodied_generic(t, "cpu")->is_default);
    CHECK(eco_embodied_generic(t, "memory") != NULL);
}

/* A GPU or CPU row names a real row of the hardware table, by its canonical name. */
ECO_TEST(embodied_device_rows_name_hardware_rows)
{
    const struct eco_embodied_table *t = table();
    for (size_t i = 0; i < t->n; i++) {
        const struct eco_embodied_row *r = &t->rows[i];
        if (strcmp(r->device, "*") == 0)
            continue;
        if (strcmp(r->kind, "gpu") == 0) {
            const struct eco_gpu *g = eco_gpu_find(r->device, NULL);
            if (!g || strcasecmp(g->name, r->device) != 0)
                eco_test_fail(__FILE__, __LINE__, "%s: '%s' is not a row of data/gpus.tsv", r->key, r->device);
        } else if (strcmp(r->kind, "cpu") == 0) {
            const struct eco_cpu *c = eco_cpu_find(r->device, NULL);
            if (!c || strcasecmp(c->name, r->device) != 0)
                eco_test_fail(__FILE__, __LINE__, "%s: '%s' is not a row of data/cpus.tsv", r->key, r->device);
        }
    }
}

/* The vendor figures as published: a baseboard of eight GPUs divided by 8. */
ECO_TEST(embodied_vendor_rows_follow_the_published_baseboards)
{
    const struct eco_embodied_table *t = table();
    const struct eco_embodied_row *h100 = eco_embodied_find(t, "gpu", "NVIDIA H100 SXM5 80GB");
    const struct eco_embodied_row *b200 = eco_embodied_find(t, "gpu", "NVIDIA B200 SXM 180GB");
    const struct eco_embodied_row *a100 = eco_embodied_find(t, "gpu", "NVIDIA A100 SXM4 40GB");
    CHECK(h100 && b200 && a100);
    CHECK_NEAR(h100->kg, 1312.0 / 8, 1e-12); /* HGX H100 PCF summary: 1312 kg per baseboard */
    CHECK_NEAR(b200->kg, 2274.0 / 8, 1e-12); /* HGX B200 PCF summary: 2274 kg per baseboard */
    CHECK_NEAR(a100->kg, 127.6, 1e-12);      /* Falk et al. 2025 */
    CHECK(!h100->is_default && !b200->is_default && !a100->is_default);
}

/* One H100 SXM5 for one hour of a four-year life: 164 kg x 1000 x 3600 s /
 * (4 x 365.25 x 86400 s) = 590 400 000 / 126 230 400 = 4.67716 g. */
ECO_TEST(embodied_formula_for_a_known_device_and_lifetime)
{
    double life;
    struct eco_err e;
    eco_err_clear(&e);
    CHECK_INT(eco_embodied_parse_lifetime("4y", &life, &e), 0);
    CHECK_NEAR(life, 126230400.0, 1e-15);
    CHECK_NEAR(eco_embodied_amortised_g(164, 3600, life, 1), 4.677161761350673, 1e-12);
    CHECK_NEAR(eco_embodied_amortised_g(164, 3600, life, 0.5), 2.3385808806753365, 1e-12);
    /* the same device through the run's hardware description (nvidia-smi's name for the SXM5) */
    struct eco_embodied_hw hw = {.cpu_model = "", .cpu_count = 4, .gpu_model = "NVIDIA H100 80GB HBM3",
                                 .gpu_count = 8, .ram_gb = 0};
    struct eco_embodied_footprint f;
    CHECK_INT(eco_embodied_footprint_of(&hw, &f, &e), 0);
    /* 8 x 164 (GPUs) + 1 x 17.02 (CPU package, default: its model unknown) */
    CHECK_NEAR(f.kg, 8 * 164 + 17.02, 1e-12);
    CHECK(strstr(f.basis, "8 x gpu-h100-sxm5 (164 kg)") != NULL);
    CHECK(strstr(f.basis, "1 x cpu-default (DEFAULT, 17.02 kg; CPU model unknown)") != NULL);
    CHECK_INT(f.is_default, 1); /* a part is a default, and says so */
    /* a day of that machine: 1329.02 kg x 1000 x 86400 / 126230400 = 909.6646 g */
    CHECK_NEAR(eco_embodied_amortised_g(f.kg, 86400, life, 1), 909.6646132785763, 1e-12);
    /* memory: 64 GB x 0.065 kg */
    struct eco_embodied_hw mem = {.cpu_model = "", .ram_gb = 64};
    CHECK_INT(eco_embodied_footprint_of(&mem, &f, &e), 0);
    CHECK_NEAR(f.kg, 17.02 + 64 * 0.065, 1e-12);
    CHECK(strstr(f.basis, "64 x memory-ddr4 (0.065 kg/GB)") != NULL);
}

ECO_TEST(embodied_unmatched_device_gets_the_labelled_default)
{
    struct eco_err e;
    eco_err_clear(&e);
    struct eco_embodied_footprint f;
    /* in the GPU table, no published figure */
    struct eco_embodied_hw rtx = {.cpu_model = "", .gpu_model = "NVIDIA GeForce RTX 4090", .gpu_count = 2};
    CHECK_INT(eco_embodied_footprint_of(&rtx, &f, &e), 0);
    CHECK_INT(f.is_default, 1);
    CHECK_NEAR(f.kg, 2 * 127.6 + 17.02, 1e-12);
    CHECK(strstr(f.basis, "2 x gpu-default (DEFAULT, 127.6 kg; no published figure for NVIDIA GeForce RTX 4090)"));
    /* an A100 80GB is not the A100 40GB that was assessed: default, never the 40GB row */
    struct eco_embodied_hw a80 = {.cpu_model = "", .gpu_model = "NVIDIA A100-SXM4-80GB", .gpu_count = 1};
    CHECK_INT(eco_embodied_footprint_of(&a80, &f, &e), 0);
    CHECK(strstr(f.basis, "gpu-a100") == NULL);
    CHECK(strstr(f.basis, "1 x gpu-default (DEFAULT") != NULL);
    /* not in the table at all */
    struct eco_embodied_hw odd = {.cpu_model = "Frobnicator 9000", .gpu_model = "Frobnicator GPU", .gpu_count = 1};
    CHECK_INT(eco_embodied_footprint_of(&odd, &f, &e), 0);
    CHECK(strstr(f.basis, "'Frobnicator GPU' is not in the GPU table") != NULL);
    CHECK(strstr(f.basis, "'Frobnicator 9000' is not in the CPU table") != NULL);
    CHECK(strstr(f.basis, "storage, board and chassis not counted") != NULL);
}

/* A name the hardware table only guesses at is not trusted for a published figure. */
ECO_TEST(embodied_fuzzy_match_is_not_used)
{
    struct eco_hw_match how;
    const char *q = "H100 SXM5 80GB board";
    const struct eco_gpu *g = eco_gpu_find_ex(q, &how, NULL);
    if (!g || how.kind != ECO_HW_MATCH_FUZZY)
        eco_test_fail(__FILE__, __LINE__, "the query should be a fuzzy match (got %s)", g ? g->name : "none");
    struct eco_embodied_hw hw = {.cpu_model = "", .gpu_model = q, .gpu_count = 1};
    struct eco_embodied_footprint f;
    struct eco_err e;
    CHECK_INT(eco_embodied_footprint_of(&hw, &f, &e), 0);
    CHECK(strstr(f.basis, "gpu-h100") == NULL);
    CHECK(strstr(f.basis, "only resembles NVIDIA H100 SXM5 80GB, not used") != NULL);
}

/* Two sockets: 80 logical CPUs of a 20-core, 40-thread Xeon Gold 6248. */
ECO_TEST(embodied_counts_sockets_from_threads)
{
    struct eco_embodied_hw hw = {.cpu_model = "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", .cpu_count = 80};
    struct eco_embodied_footprint f;
    struct eco_err e;
    CHECK_INT(eco_embodied_footprint_of(&hw, &f, &e), 0);
    CHECK_NEAR(f.kg, 2 * 17.02, 1e-12);
    CHECK(strstr(f.basis, "2 x cpu-default") != NULL);
    hw.cpu_count = 8; /* a VM with part of one package */
    CHECK_INT(eco_embodied_footprint_of(&hw, &f, &e), 0);
    CHECK(strstr(f.basis, "1 x cpu-default") != NULL);
}

ECO_TEST(embodied_flags_parse_and_refuse)
{
    struct eco_err e;
    double v;
    eco_err_clear(&e);
    CHECK_INT(eco_embodied_parse_share("0.25", &v, &e), 0);
    CHECK_NEAR(v, 0.25, 1e-15);
    CHECK_INT(eco_embodied_parse_share("50%", &v, &e), 0);
    CHECK_NEAR(v, 0.5, 1e-15);
    const char *bad_shares[] = {"0", "-0.5", "1.5", "abc", "", "nan", "1e-1", "0x1p-1", "%"};
    for (size_t i = 0; i < sizeof bad_shares / sizeof bad_shares[0]; i++) {
        eco_err_clear(&e);
        if (eco_embodied_parse_share(bad_shares[i], &v, &e) != -1 || e.code != 2 || !e.hint[0])
            eco_test_fail(__FILE__, __LINE__, "share '%s' accepted", bad_shares[i]);
    }
    CHECK_INT(eco_embodied_parse_lifetime("5y", &v, &e), 0);
    CHECK_NEAR(v, 5 * 365.25 * 86400, 1e-15);
    CHECK_INT(eco_embodied_parse_lifetime("1000d", &v, &e), 0);
    CHECK_INT(eco_embodied_parse_lifetime("4 years", &v, &e), 0);
    CHECK_NEAR(v, 4 * 365.25 * 86400, 1e-15);
    const char *bad_lives[] = {"12h", "0", "4 yeers", "-4y", "y", ""}; /* "4 years" is a duration since issue 13 */
    for (size_t i = 0; i < sizeof bad_lives / sizeof bad_lives[0]; i++) {
        eco_err_clear(&e);
        if (eco_embodied_parse_lifetime(bad_lives[i], &v, &e) != -1 || e.code != 2)
            eco_test_fail(__FILE__, __LINE__, "lifetime '%s' accepted", bad_lives[i]);
    }
    CHECK_NEAR(eco_embodied_amortised_g(100, 10, 0, 1), -1, 1e-15); /* no lifetime: no figure */
}

ECO_TEST(embodied_refuse_bad_rows)
{
    const char *head = "key\tkind\tdevice\tkg_co2e\tper\tdefault\tcovers\tsource\tyear\n";
    const char *bad_rows[] = {
        "a\tgpu\tX\t0\tdevice\tno\tc\ts\t2020\n",            /* not positive */
        "a\tgpu\tX\t164000\tdevice\tno\tc\ts\t2020\n",       /* grams, not kg */
        "a\tmemory\t*\t65\tGB\tno\tc\ts\t2020\n",            /* implausible per GB */
        "a\tgpu\tX\t164\tGB\tno\tc\ts\t2020\n",              /* unit does not fit */
        "a\tphone\tX\t50\tdevice\tno\tc\ts\t2020\n",         /* unknown kind */
        "a\tgpu\tX\t164\tdevice\tmaybe\tc\ts\t2020\n",       /* default yes/no */
        "a\tgpu\tX\t164\tdevice\tno\t\ts\t2020\n",           /* no covers */
        "a\tgpu\tX\t164\tdevice\tno\tc\t\t2020\n",           /* no source */
        "a\tgpu\tX\t164\tdevice\tno\tc\ts\t1980\n",          /* year */
        "a\tgpu\t\t164\tdevice\tno\tc\ts\t2020\n",           /* no device */
        "a\tgpu\tX\t164\tdevice\tno\tc\ts\t2020\na\tcpu\tY\t10\tdevice\tno\tc\ts\t2020\n", /* key twice */
        "a\tgpu\tX\t164\tdevice\tno\tc\ts\t2020\nb\tgpu\tx\t120\tdevice\tno\tc\ts\t2020\n", /* device twice */
    };
    for (size_t i = 0; i < sizeof bad_rows / sizeof bad_rows[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s%s", head, bad_rows[i]);
        struct eco_embodied_table t;
        struct eco_err e;
        eco_err_clear(&e);
        if (eco_embodied_parse(text, strlen(text), "t.tsv", &t, &e) != -1 || e.code != 2 ||
            !strstr(e.msg, "t.tsv:"))
            eco_test_fail(__FILE__, __LINE__, "row %zu accepted or error without its line: %s", i, e.msg);
    }
    const char *ok = "key\tkind\tdevice\tkg_co2e\tper\tdefault\tcovers\tsource\tyear\n"
                     "a\tgpu\tX\t164\tdevice\tno\tc\ts\t2020\n";
    struct eco_embodied_table t;
    struct eco_err e;
    CHECK_INT(eco_embodied_parse(ok, strlen(ok), "t", &t, &e), 0);
    CHECK(eco_embodied_find(&t, "gpu", "x") == &t.rows[0]);
    CHECK(eco_embodied_find(&t, "cpu", "X") == NULL);
    eco_embodied_free(&t);
}

/* What nvidia-smi prints for the assessed modules takes their published rows. */
ECO_TEST(embodied_nvidia_smi_names_take_their_rows)
{
    const struct {
        const char *smi, *key;
        double kg;
    } cases[] = {
        {"NVIDIA A100-SXM4-40GB", "gpu-a100-sxm4-40gb", 127.6},
        {"NVIDIA H100 80GB HBM3", "gpu-h100-sxm5", 164},
        {"NVIDIA B200", "gpu-b200", 284.25},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct eco_embodied_hw hw = {.cpu_model = "", .gpu_model = cases[i].smi, .gpu_count = 4};
        struct eco_embodied_footprint f;
        struct eco_err e;
        CHECK_INT(eco_embodied_footprint_of(&hw, &f, &e), 0);
        char want[96];
        snprintf(want, sizeof want, "4 x %s (%g kg)", cases[i].key, cases[i].kg);
        if (!strstr(f.basis, want))
            eco_test_fail(__FILE__, __LINE__, "'%s': basis '%s' lacks '%s'", cases[i].smi, f.basis, want);
        CHECK_NEAR(f.kg, 4 * cases[i].kg + 17.02, 1e-12);
    }
}
