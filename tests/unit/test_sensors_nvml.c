/* NVML through the stand-in library (tests/nvml_standin, built by make
 * check): energy path, power path, missing symbol (old driver), injected
 * errors, a GPU lost mid-run, utilisation and per-process data. */
#include <time.h>

#include "sensors/nvml.h"
#include "sensors/sensor.h"
#include "sensors_fixture.h"
#include "test.h"

static void use_standin(const char *variant)
{
    fx_use("no-sensors");
    char p[PATH_MAX];
    const char *b = getenv("ECOMETER_BUILD");
    snprintf(p, sizeof p, "%s/tests/libnvml-standin%s.so", b ? b : "build", variant);
    if (access(p, R_OK) != 0)
        ECO_SKIP("%s not built (make test-deps)", p);
    setenv("ECOMETER_NVML_LIB", p, 1);
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

ECO_TEST(sensors_nvml_energy_counter)
{
    use_standin("");
    setenv("NVML_STANDIN_GPUS", "2", 1);
    setenv("NVML_STANDIN_NAMES", "NVIDIA A100-SXM4-40GB,NVIDIA H100 80GB HBM3", 1);
    setenv("NVML_STANDIN_POWER_MW", "250000,100000", 1);
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "nvml");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 2);
    CHECK_STR(s->domains[0].name, "gpu-0");
    CHECK_STR(s->domains[1].device, "NVIDIA H100 80GB HBM3 (GPU 1)");
    for (int i = 0; i < 2; i++) {
        CHECK_INT(s->domains[i].kind, ECO_KIND_GPU);
        CHECK_INT(s->domains[i].method, ECO_MEASURED);
        CHECK_INT(s->domains[i].type, ECO_VALUE_ENERGY_COUNTER);
        CHECK_NEAR(s->domains[i].unit_j, 1e-3, 1e-12);
        CHECK_INT(s->domains[i].parent, -1);
    }
    struct eco_reading a[2], b[2];
    struct eco_err e;
    eco_err_clear(&e);
    CHECK_INT(s->ops->read(s, a, &e), 0);
    sleep_s(0.2);
    CHECK_INT(s->ops->read(s, b, &e), 0);
    CHECK(a[0].ok && b[0].ok && a[1].ok && b[1].ok);
    CHECK(a[0].value >= 1000000);
    /* 250 W and 100 W from the counters (1 mJ steps over 0.2 s: 2% margin). */
    CHECK_NEAR((b[0].value - a[0].value) * 1e-3 / (b[0].t - a[0].t), 250.0, 0.02);
    CHECK_NEAR((b[1].value - a[1].value) * 1e-3 / (b[1].t - a[1].t), 100.0, 0.02);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_nvml_power_when_no_energy_counter)
{
    use_standin("");
    setenv("NVML_STANDIN_GPUS", "2", 1);
    setenv("NVML_STANDIN_POWER_MW", "71234", 1);
    setenv("NVML_STANDIN_NO_ENERGY", "1", 1);
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "nvml");
    CHECK(s->enabled);
    CHECK_INT(s->domains[0].type, ECO_VALUE_ENERGY_COUNTER);
    CHECK_INT(s->domains[1].type, ECO_VALUE_POWER);
    CHECK(strstr(s->note, "power only") != NULL || strstr(s->note, "give power only") != NULL);
    struct eco_reading r[2];
    struct eco_err e;
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK(r[1].ok);
    CHECK_NEAR(r[1].value, 71.234, 1e-12);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_nvml_old_driver_missing_symbol)
{
    use_standin("-old");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "nvml");
    CHECK(!s->enabled);
    CHECK(strstr(s->why.msg, "nvmlDeviceGetCount_v2") != NULL);
    CHECK(strstr(s->why.msg, "too old") != NULL);
    CHECK(strstr(s->why.hint, "update the NVIDIA driver") != NULL);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_nvml_driver_without_energy_symbol)
{
    use_standin("-noenergy");
    setenv("NVML_STANDIN_POWER_MW", "42000", 1);
    setenv("NVML_STANDIN_PROCS", "1234:40:10", 1);
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "nvml");
    CHECK(s->enabled);
    CHECK_INT(s->domains[0].type, ECO_VALUE_POWER);
    CHECK(strstr(s->note, "power only") != NULL);
    CHECK(strstr(s->note, "memory only") != NULL);
    struct eco_gpu_proc pr[4];
    size_t n = 0;
    unsigned long long since = 0;
    struct eco_err e;
    CHECK_INT(eco_nvml_processes(s, 0, &since, pr, 4, &n, &e), 0);
    CHECK_INT(n, 1);
    CHECK_INT(pr[0].pid, 1234);
    CHECK_INT(pr[0].sm_pct, -1);
    CHECK(pr[0].used_bytes > 0);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_nvml_injected_error_is_a_gap)
{
    use_standin("");
    setenv("NVML_STANDIN_GPUS", "2", 1);
    /* Probe makes calls 1 and 2; the first read's gpu-0 query is call 3. */
    setenv("NVML_STANDIN_FAIL", "nvmlDeviceGetTotalEnergyConsumption:3:999", 1);
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "nvml");
    CHECK(s->enabled);
    struct eco_reading r[2];
    struct eco_err e;
    eco_err_clear(&e);
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK_INT(r[0].ok, 0);
    CHECK(r[1].ok);
    CHECK(strstr(e.msg, "gpu-0") != NULL && strstr(e.msg, "Unknown Error") != NULL);
    eco_err_clear(&e);
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK(r[0].ok && r[1].ok);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_nvml_gpu_lost_others_go_on)
{
    use_standin("");
    setenv("NVML_STANDIN_GPUS", "2", 1);
    setenv("NVML_STANDIN_LOST", "1:3", 1); /* gpu-1's 3rd query (probe counts as 1st) */
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "nvml");
    struct eco_reading r[2];
    struct eco_err e;
    eco_err_clear(&e);
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK(r[0].ok && r[1].ok);
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK(r[0].ok);
    CHECK_INT(r[1].ok, 0);
    CHECK(strstr(e.msg, "gpu-1") != NULL && strstr(e.msg, "lost") != NULL);
    eco_err_clear(&e);
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK(r[0].ok);
    CHECK_INT(r[1].ok, 0);
    struct eco_gpu_util u;
    CHECK_INT(eco_nvml_utilisation(s, 1, &u, &e), -1);
    CHECK_INT(eco_nvml_utilisation(s, 0, &u, &e), 0);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_nvml_all_lost_vanishes)
{
    use_standin("");
    setenv("NVML_STANDIN_LOST", "0:2", 1);
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "nvml");
    struct eco_reading r[1];
    struct eco_err e;
    CHECK_INT(s->ops->read(s, r, &e), -1);
    CHECK_INT(r[0].ok, 0);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_nvml_init_failure_and_no_library)
{
    use_standin("");
    setenv("NVML_STANDIN_INIT_RC", "9", 1);
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "nvml");
    CHECK(!s->enabled);
    CHECK(strstr(s->why.msg, "Driver Not Loaded") != NULL);
    CHECK(strstr(s->why.hint, "nvidia-smi") != NULL);
    eco_sensors_close(&set);
    unsetenv("NVML_STANDIN_INIT_RC");
    setenv("NVML_STANDIN_GPUS", "0", 1);
    s = fx_open(&set, "nvml");
    CHECK(!s->enabled);
    CHECK(strstr(s->why.msg, "no GPU") != NULL);
    eco_sensors_close(&set);
    setenv("ECOMETER_NVML_LIB", "/nonexistent/libnvidia-ml.so.1", 1);
    s = fx_open(&set, "nvml");
    CHECK(!s->enabled);
    CHECK(strstr(s->why.msg, "cannot load") != NULL);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_nvml_utilisation_and_processes)
{
    use_standin("");
    setenv("NVML_STANDIN_UTIL", "87,12", 1);
    setenv("NVML_STANDIN_MEM_MB", "81920,2048", 1);
    setenv("NVML_STANDIN_PROCS", "1234:40:10,5678:20:5", 1);
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "nvml");
    struct eco_err e;
    struct eco_gpu_util u;
    CHECK_INT(eco_nvml_utilisation(s, 0, &u, &e), 0);
    CHECK_INT(u.gpu_pct, 87);
    CHECK_INT(u.mem_pct, 12);
    CHECK_INT(u.mem_total, 81920ull << 20);
    CHECK_INT(u.mem_used, 2048ull << 20);
    CHECK_INT(eco_nvml_utilisation(s, 5, &u, &e), -1);
    struct eco_gpu_proc pr[8];
    size_t n = 0;
    unsigned long long since = 0;
    CHECK_INT(eco_nvml_processes(s, 0, &since, pr, 8, &n, &e), 0);
    CHECK_INT(n, 2);
    CHECK_INT(pr[0].pid, 1234);
    CHECK_INT(pr[0].sm_pct, 40); /* mean of the samples 36 and 44 */
    CHECK_INT(pr[1].sm_pct, 20);
    CHECK_INT(since, 2000);
    /* Nothing newer: no process. */
    CHECK_INT(eco_nvml_processes(s, 0, &since, pr, 8, &n, &e), 0);
    CHECK_INT(n, 0);
    eco_sensors_close(&set);
}
