/* User override files (ECOMETER_GPU_TABLE / ECOMETER_CPU_TABLE): a row with a
 * built-in name replaces it, new rows are added, and a malformed file is an
 * error naming file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hardware.h"
#include "test.h"

static const char gpu_header[] = "# my lab's GPUs\nname\taliases\tvendor\tkind\ttdp_w\tmemory_gb\t"
                                 "fp32_tflops\tfp16_tflops\tint8_tops\tsource\tyear\n";
static const char cpu_header[] = "name\taliases\tvendor\tcores\tthreads\ttdp_w\tsource\tyear\n";

static const char *write_file(const char *name, const char *a, const char *b)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", eco_test_tmpdir(), name);
    FILE *f = fopen(path, "w");
    if (!f)
        eco_test_fail(__FILE__, __LINE__, "cannot write %s", path);
    fputs(a, f);
    fputs(b, f);
    fclose(f);
    return path;
}

static void use(const char *var, const char *path)
{
    unsetenv("ECOMETER_GPU_TABLE");
    unsetenv("ECOMETER_CPU_TABLE");
    if (var)
        setenv(var, path, 1);
    eco_hw_reset();
}

ECO_TEST(hw_override_replaces_and_adds_gpu_rows)
{
    use(NULL, NULL);
    size_t n_builtin;
    eco_gpu_table(&n_builtin);
    const char *p = write_file("gpus.tsv", gpu_header,
                               "NVIDIA T4\tT4\tNVIDIA\tdatacenter\t60\t16\t8.1\t65\t130\tmeasured cap in our rack\t2024\n"
                               "Acme Tensor X1\tX1|acme x1\tAcme\tdatacenter\t123\t32\t10\t80\t160\tAcme datasheet\t2025\n");
    use("ECOMETER_GPU_TABLE", p);
    struct eco_err e;
    size_t n;
    CHECK(eco_gpu_table(&n) != NULL);
    CHECK_INT(n, n_builtin + 1); /* T4 replaced in place, X1 added */
    struct eco_hw_match how;
    const struct eco_gpu *t4 = eco_gpu_find_ex("Tesla T4", &how, &e);
    CHECK(t4 != NULL);
    CHECK(how.from_user);
    CHECK_NEAR(t4->tdp_w, 60, 1e-12);
    CHECK_STR(t4->source, "measured cap in our rack");
    const struct eco_gpu *x1 = eco_gpu_find("acme x1", &e);
    CHECK(x1 != NULL);
    CHECK_STR(x1->name, "Acme Tensor X1");
    CHECK_NEAR(x1->tdp_w, 123, 1e-12);
    /* other built-in rows are untouched */
    const struct eco_gpu *a = eco_gpu_find_ex("a100", &how, &e);
    CHECK(a != NULL);
    CHECK(!how.from_user);
    CHECK_NEAR(a->tdp_w, 400, 1e-12);
    use(NULL, NULL);
}

ECO_TEST(hw_override_alias_of_user_row_wins)
{
    /* a user row claiming the alias "a100" takes it over from the built-in default */
    const char *p = write_file("gpus.tsv", gpu_header,
                               "Our A100 PCIe 80GB capped\ta100\tNVIDIA\tdatacenter\t250\t80\t19.5\t312\t624\tnvidia-smi -pl 250\t2024\n");
    use("ECOMETER_GPU_TABLE", p);
    struct eco_err e;
    const struct eco_gpu *g = eco_gpu_find("A100", &e);
    CHECK(g != NULL);
    CHECK_STR(g->name, "Our A100 PCIe 80GB capped");
    use(NULL, NULL);
}

ECO_TEST(hw_override_cpu_rows)
{
    const char *p = write_file("cpus.tsv", cpu_header,
                               "Intel Xeon Gold 6248\t\tIntel\t20\t40\t125\tBIOS power limit\t2024\n"
                               "Intel Xeon CPU @ 2.20GHz (GCP n1)\tgcp n1\tIntel\t1\t2\t12\tour own estimate\t2024\n");
    use("ECOMETER_CPU_TABLE", p);
    struct eco_err e;
    const struct eco_cpu *c = eco_cpu_find("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", &e);
    CHECK(c != NULL);
    CHECK_NEAR(c->tdp_w, 125, 1e-12);
    c = eco_cpu_find("gcp n1", &e);
    CHECK(c != NULL);
    CHECK_INT(c->threads, 2);
    use(NULL, NULL);
}

static void expect_error(const char *var, const char *header, const char *rows, const char *want)
{
    const char *p = write_file(var[10] == 'G' ? "bad-gpus.tsv" : "bad-cpus.tsv", header, rows);
    use(var, p);
    struct eco_err e;
    CHECK_INT(eco_hw_load(&e), -1);
    CHECK_INT(e.code, 2);
    if (!strstr(e.msg, p) || !strstr(e.msg, want))
        eco_test_fail(__FILE__, __LINE__, "message '%s' should name %s and '%s'", e.msg, p, want);
    CHECK(e.hint[0] != 0);
    /* every entry point reports it instead of silently using part of a table */
    size_t n = 99;
    CHECK(eco_gpu_table(&n) == NULL);
    CHECK_INT(n, 0);
    CHECK(eco_cpu_find("gold 6248", &e) == NULL);
    CHECK(strstr(e.msg, p) != NULL);
    use(NULL, NULL);
}

ECO_TEST(hw_override_malformed_files)
{
    /* line numbers count the header comment line (line 1) and header (line 2) */
    expect_error("ECOMETER_GPU_TABLE", gpu_header,
                 "Acme X1\t\tAcme\tdatacenter\t120\t32\t10\t80\t160\tAcme datasheet\n", ":3:");
    expect_error("ECOMETER_GPU_TABLE", gpu_header,
                 "Acme X1\t\tAcme\tdatacenter\t120\t32\t10\t80\t160\tAcme\t2025\n"
                 "Acme X2\t\tAcme\tdatacenter\t120 W\t32\t10\t80\t160\tAcme\t2025\n", ":4: tdp_w");
    expect_error("ECOMETER_GPU_TABLE", gpu_header,
                 "Acme X1\t\tAcme\tdatacenter\t99999\t32\t10\t80\t160\tAcme\t2025\n", ":3: tdp_w");
    expect_error("ECOMETER_GPU_TABLE", gpu_header,
                 "Acme X1\t\tAcme\tdatacenter\t120\t32\t10\t80\t160\t\t2025\n", ":3: empty 'source'");
    expect_error("ECOMETER_GPU_TABLE", gpu_header,
                 "Acme X1\t\tAcme\tdatacenter\t120\t32\t10\t80\t160\tAcme\t2025\n"
                 "acme x1\t\tAcme\tdatacenter\t130\t32\t10\t80\t160\tAcme\t2025\n", ":4: a second row");
    expect_error("ECOMETER_GPU_TABLE", "name\ttdp_w\n", "Acme X1\t120\n", "no column 'aliases'");
    expect_error("ECOMETER_CPU_TABLE", cpu_header, "Acme C1\t\tAcme\t8\t4\t65\tAcme\t2025\n", ":2:");
    expect_error("ECOMETER_CPU_TABLE", cpu_header, "Acme C1\t\tAcme\t8.5\t16\t65\tAcme\t2025\n", ":2: cores");
    expect_error("ECOMETER_CPU_TABLE", cpu_header, "Acme C1\t\tAcme\t8\t16\t65\tAcme\tnineteen\n", ":2: year");
}

ECO_TEST(hw_override_missing_file)
{
    use("ECOMETER_CPU_TABLE", "/nonexistent/ecometer-cpus.tsv");
    struct eco_err e;
    CHECK_INT(eco_hw_load(&e), -1);
    CHECK(strstr(e.msg, "/nonexistent/ecometer-cpus.tsv") != NULL);
    CHECK(strstr(e.hint, "ECOMETER_CPU_TABLE") != NULL);
    use(NULL, NULL);
    CHECK_INT(eco_hw_load(&e), 0); /* and recovers once the variable is gone */
}
