/* The CPU/memory estimate: /proc/stat parsing, the registry rule (used only
 * when no measured source holds the CPU), values from utilisation and TDP. */
#include "hw/hardware.h"
#include "sensors/cpu_estimate.h"
#include "sensors/sensor.h"
#include "sensors_fixture.h"
#include "test.h"

ECO_TEST(sensors_proc_stat_parse)
{
    unsigned long long busy = 0, total = 0;
    CHECK_INT(eco_proc_stat_parse("cpu  10 1 5 80 4 0 2 3 9 0\ncpu0 1 1 1 1\n", &busy, &total), 0);
    CHECK_INT(busy, 10 + 1 + 5 + 2 + 3);
    CHECK_INT(total, 10 + 1 + 5 + 2 + 3 + 80 + 4);
    /* Old kernels: four fields only. */
    CHECK_INT(eco_proc_stat_parse("cpu 1 2 3 4\n", &busy, &total), 0);
    CHECK_INT(busy, 6);
    CHECK_INT(total, 10);
    CHECK_INT(eco_proc_stat_parse("intr 1 2 3\n", &busy, &total), -1);
    CHECK_INT(eco_proc_stat_parse("", &busy, &total), -1);
}

ECO_TEST(sensors_estimate_fallback_when_no_rapl)
{
    fx_copy("no-sensors");
    struct eco_err e;
    eco_err_clear(&e);
    const struct eco_cpu *row = eco_cpu_find("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", &e);
    if (!row)
        ECO_SKIP("Xeon Gold 6248 is not in the CPU table: %s", e.msg);
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "cpu-estimate");
    CHECK(!eco_sensors_find(&set, "rapl")->enabled);
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 2);
    int cpu = fx_domain(s, "cpu"), mem = fx_domain(s, "memory");
    CHECK(cpu >= 0 && mem >= 0);
    CHECK_INT(s->domains[cpu].method, ECO_ESTIMATED);
    CHECK_INT(s->domains[cpu].type, ECO_VALUE_POWER);
    CHECK_INT(s->domains[cpu].kind, ECO_KIND_CPU_PACKAGE);
    CHECK_INT(s->domains[mem].kind, ECO_KIND_MEMORY);
    CHECK_INT(s->domains[mem].method, ECO_ESTIMATED);
    /* 1000+0+500+20 busy of 9620 at probe; now +300 busy, +100 idle: load 0.75 */
    fx_write("proc/stat", "cpu  1200 0 600 8100 100 0 20 0 0 0\n");
    struct eco_reading r[2];
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK(r[cpu].ok && r[mem].ok);
    CHECK_NEAR(r[cpu].value, row->tdp_w * (ECO_CPU_IDLE_FRACTION + ECO_CPU_LOAD_SLOPE * 0.75), 1e-9);
    CHECK_NEAR(r[mem].value, 16314460.0 / 1048576.0 * ECO_MEMORY_W_PER_GB, 1e-9);
    /* Same counters again (no tick between reads): the last load is kept. */
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK_NEAR(r[cpu].value, row->tdp_w * (ECO_CPU_IDLE_FRACTION + ECO_CPU_LOAD_SLOPE * 0.75), 1e-9);
    /* Idle interval. */
    fx_write("proc/stat", "cpu  1200 0 600 9100 100 0 20 0 0 0\n");
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK_NEAR(r[cpu].value, row->tdp_w * ECO_CPU_IDLE_FRACTION, 1e-9);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_estimate_unknown_cpu_says_why)
{
    fx_copy("no-sensors");
    fx_write("proc/cpuinfo", "processor\t: 0\nmodel name\t: Quantum Toaster 9000\n");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "cpu-estimate");
    CHECK(!s->enabled);
    CHECK(strstr(s->why.msg, "Quantum Toaster 9000") != NULL);
    CHECK(strstr(s->why.hint, "ECOMETER_CPU_TABLE") != NULL);
    eco_sensors_close(&set);
}

/* RAPL whose package and core zones are unreadable but dram is: the CPU is
 * estimated, memory is measured (not estimated as well). */
ECO_TEST(sensors_estimate_cpu_only_when_dram_measured)
{
    fx_copy("intel-2s-server");
    char p[PATH_MAX * 2];
    static const char *const z[] = {"intel-rapl:0", "intel-rapl:0:0", "intel-rapl:1", "intel-rapl:1:0"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/sys/class/powercap/%s/energy_uj", fx_root, z[i]);
        CHECK_INT(unlink(p), 0);
    }
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "cpu-estimate");
    struct eco_sensor *r = eco_sensors_find(&set, "rapl");
    CHECK(r->enabled);
    CHECK_INT(r->n_domains, 2); /* dram-0, dram-1 */
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 1);
    CHECK_STR(s->domains[0].name, "cpu");
    CHECK(strstr(s->note, "memory not estimated: measured by rapl") != NULL);
    struct eco_reading rd[2] = {{0, 0, 0}, {0, -7, 0}};
    struct eco_err e;
    CHECK_INT(s->ops->read(s, rd, &e), 0);
    CHECK(rd[0].ok);
    CHECK_NEAR(rd[1].value, -7, 0); /* nothing written past n_domains */
    eco_sensors_close(&set);
}
