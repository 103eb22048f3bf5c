/* The other fixture boards: AMD EPYC and a laptop with psys (RAPL), Jetson
 * AGX Xavier (iio) and Orin NX (hwmon), AMD GPUs, the hwmon allow-list, and
 * the registry's rules across sources (nothing counted twice, the estimate
 * only when no measured source holds the CPU). */
#include "sensors/sensor.h"
#include "sensors_fixture.h"
#include "test.h"

ECO_TEST(sensors_rapl_amd_epyc)
{
    fx_use("amd-epyc");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 2);
    int p = fx_domain(s, "package-0"), c = fx_domain(s, "core-0");
    CHECK(p >= 0 && c >= 0);
    CHECK_INT(s->domains[c].parent, p);
    CHECK_INT(s->domains[p].parent, -1);
    CHECK_NEAR(s->domains[p].counter_max, 65535999985.0, 0);
    /* No power limit published: 1000 W assumed. */
    CHECK_NEAR(s->domains[p].max_interval_s, 65.535999984, 1e-9);
    CHECK_NEAR(fx_read_one(s, p), 31415926535.0, 0);
    CHECK(!eco_sensors_find(&set, "cpu-estimate")->enabled);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_rapl_laptop_psys_holds_everything)
{
    fx_use("laptop-psys");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK(s->enabled);
    /* intel-rapl-mmio:0 repeats package-0: left out. */
    CHECK_INT(s->n_domains, 4);
    int ps = fx_domain(s, "psys"), p = fx_domain(s, "package-0");
    int c = fx_domain(s, "core-0"), u = fx_domain(s, "uncore-0");
    CHECK(ps >= 0 && p >= 0 && c >= 0 && u >= 0);
    CHECK_INT(s->domains[ps].kind, ECO_KIND_PLATFORM);
    CHECK_INT(s->domains[u].kind, ECO_KIND_CPU_UNCORE);
    CHECK_INT(s->domains[ps].parent, -1);
    CHECK_INT(s->domains[p].parent, ps);
    CHECK_INT(s->domains[c].parent, p);
    CHECK_INT(s->domains[u].parent, p);
    /* package: limits 28 and 50 W -> range / 100 W; psys limits are 0 -> 1000 W. */
    CHECK_NEAR(s->domains[p].max_interval_s, 262143.32885 / 100.0, 1e-9);
    CHECK_NEAR(s->domains[ps].max_interval_s, 262.14332885, 1e-9);
    /* Exactly one top-level domain: the total is psys alone. */
    int top = 0;
    for (size_t i = 0; i < s->n_domains; i++)
        top += s->domains[i].parent < 0;
    CHECK_INT(top, 1);
    eco_sensors_close(&set);
}

/* An mmio zone that is not a duplicate is kept. */
ECO_TEST(sensors_rapl_mmio_only)
{
    fx_copy("laptop-psys");
    char p[PATH_MAX * 2];
    static const char *const gone[] = {"intel-rapl:0/energy_uj", "intel-rapl:0:0/energy_uj",
                                       "intel-rapl:0:1/energy_uj", "intel-rapl:1/energy_uj"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/sys/class/powercap/%s", fx_root, gone[i]);
        CHECK_INT(unlink(p), 0);
    }
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "rapl");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 1);
    CHECK_STR(s->domains[0].name, "package-0");
    CHECK(strstr(s->note, "intel-rapl:0") != NULL); /* unreadable zones are named */
    eco_sensors_close(&set);
}

ECO_TEST(sensors_jetson_xavier_iio)
{
    fx_use("jetson-agx-xavier");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "jetson");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 6);
    static const char *const names[] = {"GPU", "CPU", "SOC", "CV", "VDDRQ", "SYS5V"};
    static const enum eco_kind kinds[] = {ECO_KIND_GPU, ECO_KIND_CPU_PACKAGE, ECO_KIND_SOC,
                                          ECO_KIND_OTHER, ECO_KIND_DRAM, ECO_KIND_OTHER};
    for (int i = 0; i < 6; i++) {
        CHECK_STR(s->domains[i].name, names[i]);
        CHECK_INT(s->domains[i].kind, kinds[i]);
        CHECK_INT(s->domains[i].parent, -1); /* no input rail on this board */
        CHECK_INT(s->domains[i].type, ECO_VALUE_POWER);
        CHECK_INT(s->domains[i].method, ECO_MEASURED);
    }
    CHECK(strstr(s->domains[0].device, "Jetson-AGX") != NULL);
    CHECK(strstr(s->domains[4].device, "1-0041 channel 1") != NULL);
    /* in_power<k>_input is mW */
    CHECK_NEAR(fx_read_one(s, 1), 2.455, 1e-12);
    /* The CPU rail is measured: no estimate. */
    CHECK(!eco_sensors_find(&set, "cpu-estimate")->enabled);
    CHECK(!eco_sensors_find(&set, "rapl")->enabled);
    eco_sensors_close(&set);
}

/* JetPack 4 board with an input rail (Nano: POM_5V_IN), and a rail without
 * in_power (current x voltage). Built in the temporary folder. */
ECO_TEST(sensors_jetson_iio_input_rail)
{
    fx_copy("no-sensors");
    const char *dev = "sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0";
    fx_mkdirs(dev);
    char rel[256];
    static const char *const rails[] = {"POM_5V_IN", "POM_5V_GPU", "POM_5V_CPU"};
    static const char *const mw[] = {"3920", "412", "1203"};
    for (int k = 0; k < 3; k++) {
        snprintf(rel, sizeof rel, "%s/rail_name_%d", dev, k);
        fx_write(rel, rails[k]);
        snprintf(rel, sizeof rel, "%s/in_current%d_input", dev, k);
        fx_write(rel, k == 2 ? "240\n" : "100\n");
        snprintf(rel, sizeof rel, "%s/in_voltage%d_input", dev, k);
        fx_write(rel, "5000\n");
        if (k != 2) {
            snprintf(rel, sizeof rel, "%s/in_power%d_input", dev, k);
            fx_write(rel, mw[k]);
        }
    }
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "jetson");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 3);
    CHECK_STR(s->domains[0].name, "POM_5V_IN");
    CHECK_INT(s->domains[0].kind, ECO_KIND_PLATFORM);
    CHECK_INT(s->domains[0].parent, -1);
    CHECK_INT(s->domains[1].kind, ECO_KIND_GPU);
    CHECK_INT(s->domains[1].parent, 0);
    CHECK_INT(s->domains[2].kind, ECO_KIND_CPU_PACKAGE);
    CHECK_INT(s->domains[2].parent, 0);
    CHECK_NEAR(fx_read_one(s, 0), 3.92, 1e-12);
    CHECK_NEAR(fx_read_one(s, 2), 5.0 * 0.240, 1e-12); /* V x I */
    eco_sensors_close(&set);
}

ECO_TEST(sensors_jetson_orin_hwmon)
{
    fx_use("jetson-orin-nx");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "jetson");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 3); /* "sum of shunt voltages" is not a rail */
    int in = fx_domain(s, "VDD_IN"), cg = fx_domain(s, "VDD_CPU_GPU_CV"), so = fx_domain(s, "VDD_SOC");
    CHECK(in >= 0 && cg >= 0 && so >= 0);
    CHECK_INT(s->domains[in].kind, ECO_KIND_PLATFORM);
    CHECK_INT(s->domains[in].parent, -1);
    CHECK_INT(s->domains[cg].kind, ECO_KIND_SOC);
    CHECK_INT(s->domains[cg].parent, in);
    CHECK_INT(s->domains[so].parent, in);
    /* in1_input 5072 mV x curr1_input 1304 mA */
    CHECK_NEAR(fx_read_one(s, in), 5.072 * 1.304, 1e-12);
    CHECK(strstr(s->domains[in].device, "Orin NX") != NULL);
    CHECK(!eco_sensors_find(&set, "cpu-estimate")->enabled);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_jetson_rail_vanishes)
{
    fx_copy("jetson-orin-nx");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "jetson");
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/sys/class/hwmon/hwmon1/curr3_input", fx_root);
    CHECK_INT(unlink(p), 0);
    struct eco_reading r[3];
    struct eco_err e;
    eco_err_clear(&e);
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK_INT(r[fx_domain(s, "VDD_SOC")].ok, 0);
    CHECK(r[fx_domain(s, "VDD_IN")].ok);
    CHECK(strstr(e.msg, "VDD_SOC") != NULL);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_amdgpu_power)
{
    fx_copy("amd-gpu");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "amdgpu");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 2);
    CHECK_STR(s->domains[0].name, "amdgpu-0");
    CHECK_STR(s->domains[0].device, "AMD Instinct MI210");
    CHECK_STR(s->domains[1].device, "AMD GPU 0x744c at 0000:03:00.0");
    CHECK_INT(s->domains[0].kind, ECO_KIND_GPU);
    CHECK_INT(s->domains[0].type, ECO_VALUE_POWER);
    CHECK_NEAR(fx_read_one(s, 0), 187.0, 1e-12); /* power1_average, uW */
    CHECK_NEAR(fx_read_one(s, 1), 64.0, 1e-12);  /* power1_input, uW */
    fx_write("sys/class/hwmon/hwmon2/power1_input", "garbage\n");
    struct eco_reading r[2];
    struct eco_err e;
    CHECK_INT(s->ops->read(s, r, &e), 0);
    CHECK_INT(r[1].ok, 0);
    CHECK(r[0].ok);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_amdgpu_energy_counter)
{
    fx_copy("amd-gpu");
    fx_write("sys/class/hwmon/hwmon1/energy1_input", "123456789\n");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "amdgpu");
    CHECK_INT(s->domains[0].type, ECO_VALUE_ENERGY_COUNTER);
    CHECK_NEAR(s->domains[0].unit_j, 1e-6, 1e-15);
    CHECK_NEAR(fx_read_one(s, 0), 123456789.0, 0);
    eco_sensors_close(&set);
}

static void zenpower_tree(void)
{
    fx_mkdirs("sys/class/hwmon/hwmon0");
    fx_write("sys/class/hwmon/hwmon0/name", "zenpower\n");
    fx_write("sys/class/hwmon/hwmon0/power1_label", "SVI2_P_Core\n");
    fx_write("sys/class/hwmon/hwmon0/power1_input", "61250000\n");
    fx_write("sys/class/hwmon/hwmon0/power2_label", "SVI2_P_SoC\n");
    fx_write("sys/class/hwmon/hwmon0/power2_input", "17500000\n");
    fx_mkdirs("sys/class/hwmon/hwmon1");
    fx_write("sys/class/hwmon/hwmon1/name", "amd_energy\n");
    fx_write("sys/class/hwmon/hwmon1/energy1_label", "Ecore000\n");
    fx_write("sys/class/hwmon/hwmon1/energy1_input", "1000\n");
    fx_write("sys/class/hwmon/hwmon1/energy17_label", "Esocket0\n");
    fx_write("sys/class/hwmon/hwmon1/energy17_input", "987654321\n");
    fx_mkdirs("sys/class/hwmon/hwmon2");
    fx_write("sys/class/hwmon/hwmon2/name", "power_meter\n");
    fx_write("sys/class/hwmon/hwmon2/power1_average", "312000000\n");
}

ECO_TEST(sensors_hwmon_allow_list_without_rapl)
{
    fx_copy("no-sensors");
    zenpower_tree();
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "hwmon");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 3); /* core VR, SoC VR, socket 0; not the core counter, not power_meter */
    int core = fx_domain(s, "cpu-core-vr"), soc = fx_domain(s, "cpu-soc-vr"), pk = fx_domain(s, "package-0");
    CHECK(core >= 0 && soc >= 0 && pk >= 0);
    CHECK_INT(s->domains[core].kind, ECO_KIND_CPU_CORE);
    CHECK_INT(s->domains[soc].kind, ECO_KIND_SOC);
    CHECK_INT(s->domains[pk].type, ECO_VALUE_ENERGY_COUNTER);
    CHECK_NEAR(fx_read_one(s, core), 61.25, 1e-12);
    CHECK_NEAR(fx_read_one(s, pk), 987654321.0, 0);
    CHECK(strstr(s->note, "power_meter") != NULL);
    /* hwmon measures the CPU: the estimate is not used. */
    struct eco_sensor *est = eco_sensors_find(&set, "cpu-estimate");
    CHECK(!est->enabled);
    CHECK(strstr(est->why.msg, "hwmon") != NULL);
    eco_sensors_close(&set);
}

/* The same hwmon drivers next to RAPL would count the CPU twice: not used. */
ECO_TEST(sensors_registry_no_double_count_with_rapl)
{
    fx_copy("amd-epyc");
    zenpower_tree();
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "hwmon");
    CHECK(eco_sensors_find(&set, "rapl")->enabled);
    CHECK(!s->enabled);
    CHECK_INT(s->n_domains, 0);
    CHECK(strstr(s->why.msg, "already measured by rapl") != NULL);
    CHECK(!eco_sensors_find(&set, "cpu-estimate")->enabled);
    /* Every enabled domain that holds the CPU comes from one source. */
    int holders = 0;
    for (size_t i = 0; i < set.n; i++)
        if (set.sensors[i].enabled)
            for (size_t d = 0; d < set.sensors[i].n_domains; d++)
                holders += set.sensors[i].domains[d].parent < 0 &&
                           eco_domain_holds_cpu(&set.sensors[i].domains[d]);
    CHECK_INT(holders, 1);
    eco_sensors_close(&set);
}

ECO_TEST(sensors_registry_lists_every_source)
{
    fx_use("no-sensors");
    struct eco_sensor_set set;
    struct eco_err e;
    CHECK_INT(eco_sensors_open(&set, &e), 0);
    static const char *const order[] = {"rapl",      "nvml",  "jetson", "amdgpu",
                                        "intel-gpu", "grace", "hwmon",  "cpu-estimate"};
    CHECK_INT(set.n, 8);
    for (size_t i = 0; i < 8; i++) {
        CHECK_STR(set.sensors[i].ops->name, order[i]);
        if (!set.sensors[i].enabled) {
            CHECK(set.sensors[i].why.msg[0] != 0);
            CHECK_INT(set.sensors[i].n_domains, 0);
        }
    }
    CHECK_NEAR(eco_sensors_max_interval(&set), 0, 0);
    CHECK_STR(eco_kind_name(ECO_KIND_CPU_PACKAGE), "cpu-package");
    CHECK_STR(eco_kind_name(ECO_KIND_DRAM), "dram");
    CHECK_STR(eco_kind_name(ECO_KIND_MEMORY), "memory");
    CHECK_STR(eco_method_name(ECO_ESTIMATED), "estimated");
    CHECK_STR(eco_method_name(ECO_MEASURED), "measured");
    eco_sensors_close(&set);
}
