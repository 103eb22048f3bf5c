/* The hwmon family table's boards: NVIDIA Grace Hopper (power meters nested
 * with NVML's GPUs across sources), Intel GPUs on i915 and xe (one domain per
 * card, tiles left out, independent of RAPL), an x86 board with an INA3221
 * next to RAPL, and a Jetson AGX Orin with NC and disabled channels. The
 * reason and fix texts of these sources are checked word by word. */
#include <sys/stat.h>

#include "meter/meter.h"
#include "core/clock.h"
#include "sensors/sensor.h"
#include "sensors/sysfs.h"
#include "sensors_fixture.h"
#include "test.h"

static int use_standin_gpus(int n)
{
    char p[PATH_MAX], num[8];
    const char *b = getenv("ECOMETER_BUILD");
    snprintf(p, sizeof p, "%s/tests/libnvml-standin.so", b ? b : "build");
    if (access(p, R_OK) != 0)
        return 0;
    setenv("ECOMETER_NVML_LIB", p, 1);
    snprintf(num, sizeof num, "%d", n);
    setenv("NVML_STANDIN_GPUS", num, 1);
    setenv("NVML_STANDIN_NAMES", "NVIDIA GH200 480GB", 1);
    setenv("NVML_STANDIN_POWER_MW", "300000,280000", 1);
    unsetenv("NVML_STANDIN_INIT_RC");
    return 1;
}

ECO_TEST(hwmon_family_grace_hopper_rails)
{
    fx_use("grace-hopper");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "grace");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 8);
    static const char *const names[] = {"module-0", "grace-0", "cpu-0", "sysio-0",
                                        "module-1", "grace-1", "cpu-1", "sysio-1"};
    static const enum eco_kind kinds[] = {ECO_KIND_PLATFORM, ECO_KIND_CPU_PACKAGE, ECO_KIND_CPU_CORE,
                                          ECO_KIND_CPU_UNCORE};
    static const double watts[] = {620, 190, 120, 40, 630, 200, 130, 50};
    for (int i = 0; i < 8; i++) {
        CHECK_STR(s->domains[i].name, names[i]); /* socket, then module, Grace, CPU, SysIO */
        CHECK_INT(s->domains[i].kind, kinds[i % 4]);
        CHECK_INT(s->domains[i].type, ECO_VALUE_POWER);
        CHECK_NEAR(fx_read_one(s, i), watts[i], 1e-9); /* power1_average, uW */
    }
    /* module > Grace > {CPU, SysIO}, per socket */
    CHECK_INT(s->domains[0].parent, -1);
    CHECK_INT(s->domains[1].parent, 0);
    CHECK_INT(s->domains[2].parent, 1);
    CHECK_INT(s->domains[3].parent, 1);
    CHECK_INT(s->domains[5].parent, 4);
    CHECK_INT(s->domains[7].parent, 5);
    CHECK_STR(s->domains[0].device,
              "NVIDIA Grace socket 0: superchip module (Grace, GPU, memory) (ACPI power meter hwmon2)");
    /* the CPU is measured: no estimate */
    struct eco_sensor *est = eco_sensors_find(&set, "cpu-estimate");
    CHECK(!est->enabled);
    CHECK_STR(est->why.msg, "not used: the CPU is already measured by grace");
    /* a power meter that names a Grace rail is not hwmon's "whole server" */
    struct eco_sensor *hw = eco_sensors_find(&set, "hwmon");
    CHECK(!hw->enabled);
    eco_sensors_close(&set);
}

/* NVML's GPUs are inside the modules (another source): named by the Grace
 * source, resolved by the meter into parents, so the total is the modules. */
ECO_TEST(hwmon_family_grace_module_holds_nvml_gpu)
{
    fx_use("grace-hopper");
    if (!use_standin_gpus(2))
        ECO_SKIP("stand-in NVML not built (make test-deps)");
    struct eco_sensor_set set;
    struct eco_sensor *nv = fx_open(&set, "nvml");
    CHECK(nv->enabled);
    CHECK_INT(nv->n_domains, 2);
    CHECK_STR(nv->domains[0].inside, "grace:module-0");
    CHECK_STR(nv->domains[1].inside, "grace:module-1");
    CHECK(!eco_domain_top_level(&nv->domains[0]));
    struct eco_sensor *g = eco_sensors_find(&set, "grace");
    CHECK(strstr(g->note, "the modules hold NVML's 2 GPUs (counted once, inside them)") != NULL);
    eco_sensors_close(&set);

    struct eco_meter_options opt = {.interval_s = 0.05};
    struct eco_err e;
    eco_err_clear(&e);
    struct eco_meter *m = eco_meter_open(&opt, &e);
    CHECK(m != NULL);
    int mod0 = -1, mod1 = -1, top = 0;
    for (size_t i = 0; i < eco_meter_n_domains(m); i++) {
        const struct eco_domain *d = eco_meter_domain(m, i);
        if (strcmp(d->name, "module-0") == 0)
            mod0 = (int)i;
        if (strcmp(d->name, "module-1") == 0)
            mod1 = (int)i;
        top += d->parent == -1;
    }
    CHECK_INT(top, 2); /* the two modules, nothing else */
    for (size_t i = 0; i < eco_meter_n_domains(m); i++) {
        const struct eco_domain *d = eco_meter_domain(m, i);
        if (strcmp(d->name, "gpu-0") == 0)
            CHECK_INT(d->parent, mod0);
        if (strcmp(d->name, "gpu-1") == 0)
            CHECK_INT(d->parent, mod1);
    }
    eco_meter_close(m);
}

/* Without NVML the modules are still the total, and nothing names a GPU. */
ECO_TEST(hwmon_family_grace_without_nvml)
{
    fx_use("grace-hopper");
    struct eco_sensor_set set;
    struct eco_sensor *g = fx_open(&set, "grace");
    CHECK(g->enabled);
    CHECK(strstr(g->note, "NVML") == NULL);
    CHECK(!eco_sensors_find(&set, "nvml")->enabled);
    eco_sensors_close(&set);
}

ECO_TEST(hwmon_family_intel_arc_i915)
{
    fx_use("intel-arc");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "intel-gpu");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 1);
    CHECK_STR(s->domains[0].name, "intel-gpu-0");
    CHECK_STR(s->domains[0].device, "Intel GPU 0x56a0 at 0000:03:00.0 (i915, card energy)");
    CHECK_INT(s->domains[0].kind, ECO_KIND_GPU);
    CHECK_INT(s->domains[0].method, ECO_MEASURED);
    CHECK_INT(s->domains[0].type, ECO_VALUE_ENERGY_COUNTER);
    CHECK_NEAR(s->domains[0].unit_j, 1e-6, 0);
    CHECK_NEAR(s->domains[0].counter_max, 0, 0);
    CHECK_NEAR(fx_read_one(s, 0), 187234567890.0, 0);
    CHECK_INT(s->domains[0].parent, -1);
    /* RAPL measures the CPU and the GPU source is used anyway */
    CHECK(eco_sensors_find(&set, "rapl")->enabled);
    eco_sensors_close(&set);
}

ECO_TEST(hwmon_family_intel_max_xe_package_channel)
{
    fx_use("intel-gpu-max");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "intel-gpu");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 2); /* one per card */
    CHECK_STR(s->domains[1].name, "intel-gpu-1");
    CHECK_STR(s->domains[1].device, "Intel GPU 0x0bd5 at 0000:9a:00.0 (xe, package energy)");
    CHECK_NEAR(fx_read_one(s, 0), 98765432100.0, 0);
    CHECK(eco_sensors_find(&set, "rapl")->enabled);
    eco_sensors_close(&set);
}

/* A card with both channels (Battlemage) is one domain, from the card's. */
ECO_TEST(hwmon_family_intel_xe_card_and_package)
{
    fx_copy("intel-gpu-max");
    fx_write("sys/class/hwmon/hwmon1/energy1_input", "5550000\n");
    fx_write("sys/class/hwmon/hwmon1/energy1_label", "card\n");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "intel-gpu");
    CHECK_INT(s->n_domains, 2);
    CHECK(strstr(s->domains[0].device, "(xe, card energy)") != NULL);
    CHECK_NEAR(fx_read_one(s, 0), 5550000.0, 0);
    eco_sensors_close(&set);
}

/* i915's gt-level devices (a multi-tile card) repeat part of the card. */
ECO_TEST(hwmon_family_intel_tiles_left_out)
{
    fx_copy("intel-arc");
    for (int t = 0; t < 2; t++) {
        char rel[128];
        snprintf(rel, sizeof rel, "sys/class/hwmon/hwmon%d", 3 + t);
        fx_mkdirs(rel);
        snprintf(rel, sizeof rel, "sys/class/hwmon/hwmon%d/name", 3 + t);
        fx_write(rel, t ? "i915_gt1\n" : "i915_gt0\n");
        snprintf(rel, sizeof rel, "sys/class/hwmon/hwmon%d/energy1_input", 3 + t);
        fx_write(rel, "1000\n");
    }
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "intel-gpu");
    CHECK_INT(s->n_domains, 1);
    CHECK_STR(s->note, "not used: i915_gt0 (a tile, inside its card), i915_gt1 (a tile, inside its card)");
    eco_sensors_close(&set);
}

/* A card whose energy file holds no number (the other texts: the table
 * test at the end). */
ECO_TEST(hwmon_family_intel_gpu_unreadable)
{
    struct eco_sensor_set set;
    struct eco_sensor *s;
    fx_copy("intel-arc");
    fx_write("sys/class/hwmon/hwmon1/energy1_input", "garbage\n");
    s = fx_open(&set, "intel-gpu");
    CHECK(!s->enabled);
    CHECK_STR(s->why.msg, "Intel GPU hwmon found but without a readable energy file");
    CHECK_STR(s->why.hint, "update the kernel (i915 has energy1_input since Linux 6.2, xe energy2_input since "
                           "6.8); if the file is there, check that this user may read it");
    eco_sensors_close(&set);
}

ECO_TEST(hwmon_family_x86_ina3221_next_to_rapl)
{
    fx_use("x86-ina3221");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "hwmon");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 2);
    int ddr = fx_domain(s, "VDD_DDR"), usb = fx_domain(s, "VCC_5V_USB");
    CHECK(ddr >= 0 && usb >= 0);
    CHECK_INT(fx_domain(s, "VDD_CPU"), -1); /* inside RAPL's package already */
    CHECK_INT(s->domains[ddr].kind, ECO_KIND_DRAM);
    CHECK_INT(s->domains[usb].kind, ECO_KIND_OTHER);
    CHECK_STR(s->domains[ddr].device, "INA3221 hwmon1 channel 2");
    CHECK_NEAR(fx_read_one(s, ddr), 1.208 * 2.100, 1e-12);
    CHECK_STR(s->note, "not used: VDD_CPU (already measured by rapl)");
    CHECK(!eco_sensors_find(&set, "jetson")->enabled); /* no device tree: not a Jetson */
    eco_sensors_close(&set);
}

/* A copy of the x86 INA3221 board whose RAPL zones have no energy file. */
static void x86_ina3221_without_rapl(void)
{
    fx_copy("x86-ina3221");
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/sys/class/powercap/intel-rapl:0/energy_uj", fx_root);
    CHECK_INT(unlink(p), 0);
    snprintf(p, sizeof p, "%s/sys/class/powercap/intel-rapl:0:0/energy_uj", fx_root);
    CHECK_INT(unlink(p), 0);
}

/* The same board without RAPL: VDD_CPU is the CPU's measurement. */
ECO_TEST(hwmon_family_x86_ina3221_without_rapl)
{
    x86_ina3221_without_rapl();
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "hwmon");
    CHECK_INT(s->n_domains, 3);
    int cpu = fx_domain(s, "VDD_CPU");
    CHECK(cpu >= 0);
    CHECK_INT(s->domains[cpu].kind, ECO_KIND_CPU_PACKAGE);
    CHECK_STR(eco_sensors_find(&set, "cpu-estimate")->why.msg, "not used: the CPU is already measured by hwmon");
    eco_sensors_close(&set);
}

/* A device tree that says Jetson makes the same INA3221 the jetson source's. */
ECO_TEST(hwmon_family_ina3221_on_a_jetson_by_compatible)
{
    fx_copy("x86-ina3221");
    fx_mkdirs("sys/firmware/devicetree/base");
    fx_write("sys/firmware/devicetree/base/compatible", "nvidia,tegra234");
    struct eco_sensor_set set;
    struct eco_sensor *j = fx_open(&set, "jetson");
    CHECK(j->enabled);
    CHECK_INT(j->n_domains, 3); /* on a Jetson every rail is the board's */
    CHECK(!eco_sensors_find(&set, "hwmon")->enabled);
    eco_sensors_close(&set);
}

ECO_TEST(hwmon_family_agx_orin_nc_rails)
{
    fx_use("jetson-agx-orin");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "jetson");
    CHECK(s->enabled);
    CHECK_INT(s->n_domains, 4);
    static const char *const names[] = {"VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0", "VDDQ_VDD2_1V8AO"};
    static const enum eco_kind kinds[] = {ECO_KIND_SOC, ECO_KIND_CPU_PACKAGE, ECO_KIND_OTHER, ECO_KIND_DRAM};
    for (int i = 0; i < 4; i++) {
        CHECK_STR(s->domains[i].name, names[i]);
        CHECK_INT(s->domains[i].kind, kinds[i]);
        CHECK_INT(s->domains[i].parent, -1);
    }
    CHECK_STR(s->domains[3].device, "NVIDIA Jetson AGX Orin Developer Kit, INA3221 hwmon2 channel 2");
    CHECK_NEAR(fx_read_one(s, 0), 4.976 * 1.040, 1e-12);
    CHECK_STR(s->note, "no board input rail: the total is the sum of the rails; not used: NC rails (not connected)");
    CHECK(!eco_sensors_find(&set, "hwmon")->enabled);
    CHECK(!eco_sensors_find(&set, "cpu-estimate")->enabled);
    eco_sensors_close(&set);
}

/* Two rails with one label get unique names; a disabled channel is left out
 * even with a real label. */
ECO_TEST(hwmon_family_agx_orin_duplicate_and_disabled)
{
    fx_copy("jetson-agx-orin");
    fx_write("sys/class/hwmon/hwmon2/in1_label", "VDD_CPU_CV\n");
    fx_write("sys/class/hwmon/hwmon2/in1_input", "4980\n");
    fx_write("sys/class/hwmon/hwmon2/curr1_input", "100\n");
    fx_write("sys/class/hwmon/hwmon2/in2_enable", "0\n");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "jetson");
    CHECK_INT(s->n_domains, 4);
    CHECK_STR(s->domains[1].name, "VDD_CPU_CV");
    CHECK_STR(s->domains[3].name, "VDD_CPU_CV_2");
    CHECK_INT(fx_domain(s, "VDDQ_VDD2_1V8AO"), -1);
    CHECK(strstr(s->note, "VDDQ_VDD2_1V8AO (channel disabled)") != NULL);
    for (size_t i = 0; i < s->n_domains; i++)
        for (size_t k = i + 1; k < s->n_domains; k++)
            CHECK(strcmp(s->domains[i].name, s->domains[k].name) != 0);
    eco_sensors_close(&set);
}

/* The meter's side of nesting across sources, on a hand-made set: a domain
 * whose container resolves gets it as parent (not top-level: the total
 * counts the container once); one whose container is not there stays
 * top-level (counted, never lost). */
static int box_probe(struct eco_sensor *s, struct eco_err *why)
{
    (void)why;
    s->domains = calloc(1, sizeof *s->domains);
    s->n_domains = 1;
    snprintf(s->domains[0].name, sizeof s->domains[0].name, "module-0");
    s->domains[0].kind = ECO_KIND_PLATFORM;
    s->domains[0].parent = -1;
    return 0;
}

static int inner_probe(struct eco_sensor *s, struct eco_err *why)
{
    (void)why;
    s->domains = calloc(2, sizeof *s->domains);
    s->n_domains = 2;
    for (int i = 0; i < 2; i++) {
        snprintf(s->domains[i].name, sizeof s->domains[i].name, "gpu-%d", i);
        s->domains[i].kind = ECO_KIND_GPU;
        s->domains[i].parent = -1;
    }
    snprintf(s->domains[0].inside, sizeof s->domains[0].inside, "box:module-0");
    snprintf(s->domains[1].inside, sizeof s->domains[1].inside, "box:module-9");
    return 0;
}

static int const_read(struct eco_sensor *s, struct eco_reading *out, struct eco_err *err)
{
    (void)err;
    for (size_t i = 0; i < s->n_domains; i++)
        out[i] = (struct eco_reading){1, 10.0, eco_monotonic_s()};
    return 0;
}

static void no_close(struct eco_sensor *s) { (void)s; }

ECO_TEST(hwmon_family_meter_resolves_containers_across_sources)
{
    static const struct eco_sensor_ops box = {"box", box_probe, const_read, no_close, NULL};
    static const struct eco_sensor_ops inner = {"inner", inner_probe, const_read, no_close, NULL};
    struct eco_sensor_set set = {calloc(2, sizeof(struct eco_sensor)), 2};
    set.sensors[0].ops = &inner; /* the contained source first: order does not matter */
    set.sensors[1].ops = &box;
    for (int i = 0; i < 2; i++)
        set.sensors[i].enabled = set.sensors[i].ops->probe(&set.sensors[i], NULL) == 0;
    struct eco_meter_options mo = {.interval_s = 0.1};
    struct eco_err err;
    struct eco_meter *m = eco_meter_open_set(&mo, &set, &err);
    CHECK(m != NULL);
    CHECK_INT(eco_meter_n_domains(m), 3);
    CHECK_STR(eco_meter_domain(m, 2)->name, "module-0");
    CHECK_INT(eco_meter_domain(m, 0)->parent, 2);  /* gpu-0 inside box:module-0 */
    CHECK_INT(eco_meter_domain(m, 1)->parent, -1); /* box:module-9 does not exist */
    CHECK_INT(eco_meter_domain(m, 2)->parent, -1);
    /* the result lists a contained domain right after its container */
    CHECK(eco_meter_start(m, &err) == 0);
    for (int i = 0; i < 3; i++)
        CHECK(eco_meter_wait_and_sample(m));
    struct eco_run_result r;
    memset(&r, 0, sizeof r);
    CHECK(eco_meter_result(m, 0, &r, &err) == 0);
    CHECK_INT(r.n_domains, 3);
    CHECK_STR(r.domains[0].name, "gpu-1");
    CHECK_STR(r.domains[1].name, "module-0");
    CHECK_STR(r.domains[2].name, "gpu-0");
    CHECK(!r.domains[2].top_level);
    CHECK_NEAR(r.total_energy_j, r.domains[0].energy_j + r.domains[1].energy_j, 1e-9);
    eco_run_result_free(&r);
    eco_meter_close(m);
}

/* Grace Blackwell: one module holds two GPUs; three GPUs over two modules
 * do not divide and are assigned in turn, which the note says. */
ECO_TEST(hwmon_family_grace_blackwell_two_gpus_per_module)
{
    fx_copy("grace-hopper");
    if (!use_standin_gpus(2))
        ECO_SKIP("stand-in NVML not built (make test-deps)");
    char cmd[PATH_MAX * 2];
    for (int h = 4; h <= 7; h++) { /* socket 1's meters */
        snprintf(cmd, sizeof cmd, "%s/sys/class/hwmon/hwmon%d/name", fx_root, h);
        CHECK_INT(unlink(cmd), 0);
    }
    use_standin_gpus(2);
    struct eco_sensor_set set;
    struct eco_sensor *nv = fx_open(&set, "nvml");
    CHECK_STR(nv->domains[0].inside, "grace:module-0");
    CHECK_STR(nv->domains[1].inside, "grace:module-0");
    CHECK_INT(eco_sensors_find(&set, "grace")->n_domains, 4);
    eco_sensors_close(&set);

    for (int h = 4; h <= 7; h++) { /* socket 1 back */
        char rel[64];
        snprintf(rel, sizeof rel, "sys/class/hwmon/hwmon%d/name", h);
        fx_write(rel, "power_meter\n");
    }
    use_standin_gpus(3);
    nv = fx_open(&set, "nvml");
    CHECK_STR(nv->domains[0].inside, "grace:module-0");
    CHECK_STR(nv->domains[1].inside, "grace:module-1");
    CHECK_STR(nv->domains[2].inside, "grace:module-0");
    CHECK(strstr(eco_sensors_find(&set, "grace")->note, "do not divide evenly over the modules: assigned in turn"));
    eco_sensors_close(&set);
}

/* Off a Jetson without RAPL, an INA3221 input rail is the whole board too. */
ECO_TEST(hwmon_family_x86_ina3221_input_rail_holds_the_rest)
{
    x86_ina3221_without_rapl();
    fx_write("sys/class/hwmon/hwmon1/in3_label", "VIN_12V_IN\n");
    struct eco_sensor_set set;
    struct eco_sensor *s = fx_open(&set, "hwmon");
    int in = fx_domain(s, "VIN_12V_IN");
    CHECK(in >= 0);
    CHECK_INT(s->domains[in].kind, ECO_KIND_PLATFORM);
    int top = 0;
    for (size_t i = 0; i < s->n_domains; i++)
        top += s->domains[i].parent < 0;
    CHECK_INT(top, 1);
    CHECK_INT(s->domains[fx_domain(s, "VDD_CPU")].parent, in);
    CHECK(strstr(s->note, "VIN_12V_IN is the whole board; the other domains are parts of it") != NULL);
    eco_sensors_close(&set);
}

/* Every hwmon-family source on every new board: enabled, or its reason and
 * fix word by word (%s: the board's sys root). */
ECO_TEST(hwmon_family_reasons_on_every_new_board)
{
    static const char *const no_jetson = "no Jetson power monitor (INA3221) under %s";
    static const char *const no_amd = "no AMD GPU (no hwmon device named amdgpu under %s/class/hwmon)";
    static const char *const no_intel = "no Intel discrete GPU (no hwmon device named i915 or xe under %s/class/hwmon)";
    static const char *const no_grace = "no NVIDIA Grace power meter (no power_meter hwmon device whose "
                                        "power1_oem_info names a Grace rail)";
    static const char *const no_hwmon = "no known hwmon power sensor (allowed: amd_energy, zenpower, ina3221 off a "
                                        "Jetson)";
    static const char *const fix_jetson = "only NVIDIA Jetson boards have these rails; on a Jetson, check that the "
                                          "ina3221 driver is loaded (JetPack 4: bus/i2c/drivers/ina3221x, JetPack "
                                          "5+: class/hwmon with name ina3221)";
    static const char *const fix_amd = "only machines with an AMD GPU and the amdgpu driver have it";
    static const char *const fix_intel = "only machines with an Intel Arc, Flex, Max or Battlemage GPU have it (i915 "
                                         "since Linux 6.2, xe since 6.8)";
    static const char *const fix_grace = "only NVIDIA Grace, Grace Hopper and Grace Blackwell nodes have it; on one, "
                                         "load the acpi_power_meter module";
    static const char *const fix_hwmon = "nothing to do: RAPL, NVML, Jetson, amdgpu, Intel GPUs and NVIDIA Grace "
                                         "have their own sources";
    static const char *const src[] = {"jetson", "amdgpu", "intel-gpu", "grace", "hwmon"};
    static const char *const why[] = {no_jetson, no_amd, no_intel, no_grace, no_hwmon};
    static const char *const fix[] = {fix_jetson, fix_amd, fix_intel, fix_grace, fix_hwmon};
    static const struct {
        const char *board;
        const char *enabled; /* the letters J A I G H: which of src[] are enabled */
        const char *cpu_by;  /* the source the CPU estimate defers to */
    } boards[] = {{"grace-hopper", "G", "grace"}, {"intel-arc", "I", "rapl"}, {"intel-gpu-max", "I", "rapl"},
                  {"x86-ina3221", "H", "rapl"},   {"jetson-agx-orin", "J", "jetson"}};
    for (size_t b = 0; b < sizeof boards / sizeof boards[0]; b++) {
        fx_use(boards[b].board);
        struct eco_sensor_set set;
        struct eco_err e;
        CHECK_INT(eco_sensors_open(&set, &e), 0);
        for (size_t k = 0; k < 5; k++) {
            struct eco_sensor *s = eco_sensors_find(&set, src[k]);
            int want = strchr(boards[b].enabled, "JAIGH"[k]) != NULL;
            if (s->enabled != want)
                eco_test_fail(__FILE__, __LINE__, "%s: %s enabled %d, want %d", boards[b].board, src[k],
                              s->enabled, want);
            if (want)
                continue;
            char msg[PATH_MAX + 256];
            snprintf(msg, sizeof msg, why[k], eco_sysfs_root());
            CHECK_STR(s->why.msg, msg);
            CHECK_STR(s->why.hint, fix[k]);
        }
        char est[128];
        snprintf(est, sizeof est, "not used: the CPU is already measured by %s", boards[b].cpu_by);
        CHECK_STR(eco_sensors_find(&set, "cpu-estimate")->why.msg, est);
        eco_sensors_close(&set);
    }
}

/* The registry keeps only containers that can hold: in another enabled
 * source, existing, without a cycle; names are made unique over the set. */
ECO_TEST(hwmon_family_registry_checks_containers)
{
    static const struct eco_sensor_ops a_ops = {"a", NULL, NULL, NULL, NULL};
    static const struct eco_sensor_ops b_ops = {"b", NULL, NULL, NULL, NULL};
    static const struct eco_sensor_ops c_ops = {"c", NULL, NULL, NULL, NULL};
    struct eco_sensor s[3];
    memset(s, 0, sizeof s);
    struct eco_domain da[3], db[2], dc[1];
    memset(da, 0, sizeof da);
    memset(db, 0, sizeof db);
    memset(dc, 0, sizeof dc);
    s[0] = (struct eco_sensor){.ops = &a_ops, .domains = da, .n_domains = 3, .enabled = 1};
    s[1] = (struct eco_sensor){.ops = &b_ops, .domains = db, .n_domains = 2, .enabled = 1};
    s[2] = (struct eco_sensor){.ops = &c_ops, .domains = dc, .n_domains = 1, .enabled = 0};
    static const char *const an[] = {"gpu-0", "gpu-1", "loop"}, *const bn[] = {"module-0", "loop"};
    for (int i = 0; i < 3; i++) {
        snprintf(da[i].name, sizeof da[i].name, "%s", an[i]);
        da[i].parent = -1;
    }
    for (int i = 0; i < 2; i++) {
        snprintf(db[i].name, sizeof db[i].name, "%s", bn[i]);
        db[i].parent = -1;
    }
    snprintf(dc[0].name, sizeof dc[0].name, "box");
    snprintf(da[0].inside, sizeof da[0].inside, "b:module-0"); /* kept */
    snprintf(da[1].inside, sizeof da[1].inside, "c:box");      /* c is not enabled */
    snprintf(da[2].inside, sizeof da[2].inside, "b:loop");     /* a:loop <-> b:loop@b */
    snprintf(db[1].inside, sizeof db[1].inside, "a:loop");
    snprintf(db[0].inside, sizeof db[0].inside, "b:loop");     /* its own source */
    struct eco_sensor_set set = {s, 3};
    eco_sensors_link(&set);
    CHECK_STR(db[1].name, "loop@b"); /* the repeat in a later source */
    CHECK_STR(da[0].inside, "b:module-0");
    CHECK_STR(da[1].inside, "");
    CHECK_STR(db[0].inside, "");
    /* a:loop named "b:loop", which is now "loop@b": not found, cleared; then
     * b's loop names a:loop, which holds nothing: kept */
    CHECK_STR(da[2].inside, "");
    CHECK_STR(db[1].inside, "a:loop");
    size_t si, di;
    CHECK_INT(eco_sensors_locate(&set, "b:module-0", &si, &di), 0);
    CHECK_INT((int)si, 1);
    CHECK_INT((int)di, 0);
    CHECK_INT(eco_sensors_locate(&set, "c:box", &si, &di), -1);
    CHECK_INT(eco_sensors_locate(&set, "nocolon", &si, &di), -1);
}

/* A true cycle across two sources: both ends cannot hold each other. */
ECO_TEST(hwmon_family_registry_breaks_cycles)
{
    static const struct eco_sensor_ops a_ops = {"a", NULL, NULL, NULL, NULL};
    static const struct eco_sensor_ops b_ops = {"b", NULL, NULL, NULL, NULL};
    struct eco_domain da = {.name = "x", .parent = -1, .inside = "b:y"};
    struct eco_domain db = {.name = "y", .parent = -1, .inside = "a:x"};
    struct eco_sensor s[2] = {{.ops = &a_ops, .domains = &da, .n_domains = 1, .enabled = 1},
                              {.ops = &b_ops, .domains = &db, .n_domains = 1, .enabled = 1}};
    struct eco_sensor_set set = {s, 2};
    eco_sensors_link(&set);
    /* one of them must be top-level, so the pair is counted once */
    CHECK(!da.inside[0] || !db.inside[0]);
    CHECK(da.inside[0] || db.inside[0]);
}
