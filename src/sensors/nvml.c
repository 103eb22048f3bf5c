/* NVIDIA GPUs through NVML, loaded at run time with dlopen (no build-time
 * dependency): ECOMETER_NVML_LIB if set, else libnvidia-ml.so.1 then
 * libnvidia-ml.so, searched only when an NVIDIA driver is loaded
 * (nvidia_driver_loaded below). Every symbol is resolved with a check; a missing required
 * one means an old driver and is reported by name.
 *
 * One domain per GPU: the energy counter (nvmlDeviceGetTotalEnergyConsumption,
 * mJ since the driver loaded, 64-bit so it never wraps in practice) where the
 * GPU supports it (Volta and later), else the power (nvmlDeviceGetPowerUsage,
 * mW) that the ledger integrates. A GPU lost mid-run (NVML_ERROR_GPU_IS_LOST)
 * reads ok=0 from then on while the others go on. */
#include <dlfcn.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/elf_check.h"
#include "core/clock.h"
#include "sensors/nvml.h"
#include "sensors/sensor.h"
#include "sensors/sources.h"
#include "sensors/sysfs.h"

/* The few NVML types and codes we use (nvml.h is not needed to build). */
typedef int nvmlReturn_t;
typedef struct nvmlDevice_st *nvmlDevice_t;
typedef struct {
    unsigned int gpu, memory;
} nvmlUtilization_t;
typedef struct {
    unsigned long long total, free, used;
} nvmlMemory_t;
typedef struct {
    unsigned int pid;
    unsigned long long timeStamp;
    unsigned int smUtil, memUtil, encUtil, decUtil;
} nvmlProcessUtilizationSample_t;
typedef struct { /* nvmlProcessInfo_v1_t, what the unversioned symbol fills */
    unsigned int pid;
    unsigned long long usedGpuMemory;
} nvmlProcessInfo_v1_t;

enum {
    NVML_SUCCESS = 0,
    NVML_ERROR_NOT_SUPPORTED = 3,
    NVML_ERROR_NO_PERMISSION = 4,
    NVML_ERROR_NOT_FOUND = 6,
    NVML_ERROR_INSUFFICIENT_SIZE = 7,
    NVML_ERROR_DRIVER_NOT_LOADED = 9,
    NVML_ERROR_GPU_IS_LOST = 15,
    NVML_ERROR_LIB_RM_VERSION_MISMATCH = 18,
};
#define NVML_DEVICE_NAME_BUFFER_SIZE 96

struct nvml_api {
    void *lib;
    nvmlReturn_t (*init)(void);
    nvmlReturn_t (*shutdown)(void);
    const char *(*error_string)(nvmlReturn_t);
    nvmlReturn_t (*count)(unsigned int *);
    nvmlReturn_t (*handle)(unsigned int, nvmlDevice_t *);
    nvmlReturn_t (*name)(nvmlDevice_t, char *, unsigned int);
    nvmlReturn_t (*power)(nvmlDevice_t, unsigned int *);
    /* optional */
    nvmlReturn_t (*energy)(nvmlDevice_t, unsigned long long *);
    nvmlReturn_t (*util)(nvmlDevice_t, nvmlUtilization_t *);
    nvmlReturn_t (*memory)(nvmlDevice_t, nvmlMemory_t *);
    nvmlReturn_t (*proc_util)(nvmlDevice_t, nvmlProcessUtilizationSample_t *, unsigned int *,
                              unsigned long long);
    nvmlReturn_t (*procs)(nvmlDevice_t, unsigned int *, nvmlProcessInfo_v1_t *);
    nvmlReturn_t (*limit)(nvmlDevice_t, unsigned int *); /* enforced power limit, mW */
};

struct gpu {
    nvmlDevice_t dev;
    unsigned index;
    int energy; /* 1: energy counter, 0: power */
    int lost;
};

struct nvml_priv {
    struct nvml_api api;
    int inited;
    size_t n;
    struct gpu *gpus;
};

static const char *nv_err(const struct nvml_api *a, nvmlReturn_t rc)
{
    const char *s = a->error_string ? a->error_string(rc) : NULL;
    return s ? s : "unknown NVML error";
}

static void *sym(void *lib, const char *name)
{
    return dlsym(lib, name);
}

/* 1 if a driver that NVML can talk to is loaded: the NVIDIA kernel module
 * (nvidia.ko, open or proprietary) creates /proc/driver/nvidia/version and
 * /sys/module/nvidia; under WSL2 NVML goes through the paravirtual GPU,
 * the misc device "dxg" (/sys/class/misc/dxg). Without any of them,
 * libnvidia-ml cannot find a GPU, so the library search through the whole
 * library path (over a hundred failed opens) is skipped. */
static int nvidia_driver_loaded(void)
{
    char path[PATH_MAX];
    return (eco_sysfs_join(path, sizeof path, eco_proc_root(), "driver/nvidia/version") == 0 &&
            eco_path_exists(path)) ||
           (eco_sysfs_join(path, sizeof path, eco_sysfs_root(), "module/nvidia") == 0 &&
            eco_path_exists(path)) ||
           (eco_sysfs_join(path, sizeof path, eco_sysfs_root(), "class/misc/dxg") == 0 &&
            eco_path_exists(path));
}

static int load(struct nvml_api *a, struct eco_err *why)
{
    const char *env = getenv("ECOMETER_NVML_LIB");
    const char *used = NULL;
    if (!(env && *env) && !nvidia_driver_loaded()) {
        eco_err_set(why, 1, "no NVIDIA driver loaded (no %s/driver/nvidia/version, no %s/module/nvidia)",
                    eco_proc_root(), eco_sysfs_root());
        eco_err_hint(why, "on a machine with an NVIDIA GPU, install and load the NVIDIA driver "
                          "(check that 'nvidia-smi' works); or set ECOMETER_NVML_LIB to the library's path");
        return -1;
    }
    char broken[512], found[4096];
    /* A truncated or non-ELF library crashes dlopen with SIGBUS: check the
     * file it would map first (core/elf_check.h); a missing one is dlopen's
     * to report. */
    const char *name = env && *env ? env : "libnvidia-ml.so.1";
    const char *check = strchr(name, '/') ? name : eco_find_library(name, found, sizeof found) == 0 ? found : NULL;
    if (check && access(check, F_OK) == 0 && eco_elf_check(check, broken, sizeof broken) != 0) {
        eco_err_set(why, 1, "broken NVIDIA library %s: %s", check, broken);
        eco_err_hint(why, env && *env ? "point ECOMETER_NVML_LIB at the driver's libnvidia-ml.so.1, or unset it"
                                      : "reinstall the NVIDIA driver (its libnvidia-ml.so.1 is damaged)");
        return -1;
    }
    if (env && *env) {
        a->lib = dlopen(env, RTLD_NOW | RTLD_LOCAL);
        used = env;
        if (!a->lib) {
            eco_err_set(why, 1, "cannot load the NVIDIA library named by ECOMETER_NVML_LIB: %s",
                        dlerror());
            eco_err_hint(why, "unset ECOMETER_NVML_LIB to use the driver's libnvidia-ml.so.1");
            return -1;
        }
    } else {
        static const char *const names[] = {"libnvidia-ml.so.1", "libnvidia-ml.so"};
        for (size_t i = 0; i < 2 && !a->lib; i++)
            if ((a->lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL)) != NULL)
                used = names[i];
        if (!a->lib) {
            eco_err_set(why, 1, "the NVIDIA driver is loaded but its library libnvidia-ml.so.1 was not found");
            eco_err_hint(why, "install the NVIDIA driver's user-space libraries (they ship NVML, "
                              "libnvidia-ml.so.1); or set ECOMETER_NVML_LIB to the library's path");
            return -1;
        }
    }
    static const struct {
        const char *name;
        size_t off;
    } req[] = {
        {"nvmlInit_v2", offsetof(struct nvml_api, init)},
        {"nvmlShutdown", offsetof(struct nvml_api, shutdown)},
        {"nvmlErrorString", offsetof(struct nvml_api, error_string)},
        {"nvmlDeviceGetCount_v2", offsetof(struct nvml_api, count)},
        {"nvmlDeviceGetHandleByIndex_v2", offsetof(struct nvml_api, handle)},
        {"nvmlDeviceGetName", offsetof(struct nvml_api, name)},
        {"nvmlDeviceGetPowerUsage", offsetof(struct nvml_api, power)},
    }, opt[] = {
        {"nvmlDeviceGetTotalEnergyConsumption", offsetof(struct nvml_api, energy)},
        {"nvmlDeviceGetUtilizationRates", offsetof(struct nvml_api, util)},
        {"nvmlDeviceGetMemoryInfo", offsetof(struct nvml_api, memory)},
        {"nvmlDeviceGetProcessUtilization", offsetof(struct nvml_api, proc_util)},
        {"nvmlDeviceGetComputeRunningProcesses", offsetof(struct nvml_api, procs)},
        {"nvmlDeviceGetEnforcedPowerLimit", offsetof(struct nvml_api, limit)},
    };
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
        void *f = sym(a->lib, req[i].name);
        if (!f) {
            eco_err_set(why, 1, "the NVIDIA library %s has no %s: the driver is too old", used,
                        req[i].name);
            eco_err_hint(why, "update the NVIDIA driver (NVML with the _v2 entry points came with "
                              "driver R319, energy counters with Volta GPUs)");
            return -1;
        }
        memcpy((char *)a + req[i].off, &f, sizeof f);
    }
    for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++) {
        void *f = sym(a->lib, opt[i].name);
        memcpy((char *)a + opt[i].off, &f, sizeof f);
    }
    return 0;
}

static void init_hint(struct eco_err *why, nvmlReturn_t rc)
{
    if (rc == NVML_ERROR_DRIVER_NOT_LOADED)
        eco_err_hint(why, "the NVIDIA kernel module is not loaded: check that 'nvidia-smi' works");
    else if (rc == NVML_ERROR_LIB_RM_VERSION_MISMATCH)
        eco_err_hint(why, "the driver library and kernel module differ: reboot after a driver update");
    else if (rc == NVML_ERROR_NO_PERMISSION)
        eco_err_hint(why, "this user may not open /dev/nvidia*: add it to the group owning them");
    else
        eco_err_hint(why, "check that 'nvidia-smi' works");
}

static void nvml_close(struct eco_sensor *s)
{
    struct nvml_priv *p = s->priv;
    if (!p)
        return;
    if (p->inited && p->api.shutdown)
        p->api.shutdown();
    if (p->api.lib)
        dlclose(p->api.lib);
    free(p->gpus);
    free(p);
    s->priv = NULL;
}

static void note_add(struct eco_sensor *s, const char *fmt, const char *a, const char *b)
{
    size_t l = strlen(s->note);
    if (l + 4 >= sizeof s->note)
        return;
    if (l)
        l += (size_t)snprintf(s->note + l, sizeof s->note - l, "; ");
    snprintf(s->note + l, sizeof s->note - l, fmt, a, b);
}

static int nvml_probe(struct eco_sensor *s, struct eco_err *why)
{
    struct nvml_priv *p = calloc(1, sizeof *p);
    if (!p)
        return eco_err_set(why, 1, "out of memory");
    s->priv = p;
    struct nvml_api *a = &p->api;
    if (load(a, why) != 0)
        return -1;
    nvmlReturn_t rc = a->init();
    if (rc != NVML_SUCCESS) {
        eco_err_set(why, 1, "NVML could not start: %s (code %d)", nv_err(a, rc), rc);
        init_hint(why, rc);
        return -1;
    }
    p->inited = 1;
    unsigned count = 0;
    rc = a->count(&count);
    if (rc != NVML_SUCCESS)
        return eco_err_set(why, 1, "NVML could not count the GPUs: %s", nv_err(a, rc));
    if (count == 0) {
        eco_err_set(why, 1, "NVML found no GPU");
        eco_err_hint(why, "check 'nvidia-smi -L'; in a container, pass the GPUs through");
        return -1;
    }
    p->gpus = calloc(count, sizeof *p->gpus);
    s->domains = calloc(count, sizeof *s->domains);
    if (!p->gpus || !s->domains)
        return eco_err_set(why, 1, "out of memory");
    char left_out[160] = "";
    int n_power = 0;
    for (unsigned i = 0; i < count; i++) {
        nvmlDevice_t dev;
        char name[NVML_DEVICE_NAME_BUFFER_SIZE] = "";
        char label[16];
        snprintf(label, sizeof label, "gpu-%u", i);
        rc = a->handle(i, &dev);
        if (rc == NVML_SUCCESS)
            rc = a->name(dev, name, sizeof name);
        if (rc != NVML_SUCCESS) {
            note_add(s, "%s left out: %s", label, nv_err(a, rc));
            continue;
        }
        struct gpu *g = &p->gpus[p->n];
        struct eco_domain *d = &s->domains[p->n];
        g->dev = dev;
        g->index = i;
        unsigned long long mj;
        unsigned mw;
        if (a->energy && a->energy(dev, &mj) == NVML_SUCCESS) {
            g->energy = 1;
        } else if ((rc = a->power(dev, &mw)) != NVML_SUCCESS) {
            size_t l = strlen(left_out);
            snprintf(left_out + l, sizeof left_out - l, "%s%s (%s)", l ? ", " : "", label,
                     nv_err(a, rc));
            continue;
        } else {
            n_power++;
        }
        snprintf(d->name, sizeof d->name, "%s", label);
        snprintf(d->device, sizeof d->device, "%.90s (GPU %u)", name, i);
        d->kind = ECO_KIND_GPU;
        d->method = ECO_MEASURED;
        d->parent = -1;
        unsigned limit_mw = 0;
        if (p->api.limit && p->api.limit(g->dev, &limit_mw) == NVML_SUCCESS && limit_mw > 0)
            d->limit_w = limit_mw / 1000.0;
        if (g->energy) {
            d->type = ECO_VALUE_ENERGY_COUNTER;
            d->unit_j = 1e-3;
            d->counter_max = 0;
        } else {
            d->type = ECO_VALUE_POWER;
        }
        p->n++;
    }
    s->n_domains = p->n;
    if (p->n == 0) {
        eco_err_set(why, 1, "NVML lists %u GPU%s but none gives its power: %s", count,
                    count == 1 ? "" : "s", left_out[0] ? left_out : s->note);
        eco_err_hint(why, "power readings need a data-centre or recent GeForce GPU and driver");
        return -1;
    }
    if (left_out[0])
        note_add(s, "no power reading, left out: %s%s", left_out, "");
    if (n_power)
        note_add(s, "%s%s", n_power == (int)p->n ? "power only (no energy counter): integrated by ecometer"
                                                 : "some GPUs give power only (integrated by ecometer)", "");
    if (!a->proc_util)
        note_add(s, "%s%s",
                 a->procs ? "no per-process utilisation (old driver): processes known by memory only"
                          : "no per-process data (old driver)",
                 "");
    return 0;
}

static int nvml_read(struct eco_sensor *s, struct eco_reading *out, struct eco_err *err)
{
    struct nvml_priv *p = s->priv;
    size_t lost = 0;
    for (size_t i = 0; i < p->n; i++) {
        struct gpu *g = &p->gpus[i];
        nvmlReturn_t rc;
        out[i].ok = 0;
        out[i].value = 0;
        if (g->lost) {
            out[i].t = eco_monotonic_s();
            lost++;
            continue;
        }
        if (g->energy) {
            unsigned long long mj = 0;
            rc = p->api.energy(g->dev, &mj);
            out[i].value = (double)mj;
        } else {
            unsigned mw = 0;
            rc = p->api.power(g->dev, &mw);
            out[i].value = mw / 1000.0;
        }
        out[i].t = eco_monotonic_s();
        if (rc == NVML_SUCCESS) {
            out[i].ok = 1;
            continue;
        }
        out[i].value = 0;
        if (rc == NVML_ERROR_GPU_IS_LOST) {
            g->lost = 1;
            lost++;
            eco_err_set(err, 1, "%s (%s) is lost: %s; measuring goes on with the others",
                        s->domains[i].name, s->domains[i].device, nv_err(&p->api, rc));
        } else {
            eco_err_set(err, 1, "%s: %s", s->domains[i].name, nv_err(&p->api, rc));
        }
    }
    if (lost == p->n)
        return eco_err_set(err, 1, "every NVIDIA GPU is lost");
    return 0;
}

static struct gpu *gpu_of(struct eco_sensor *s, size_t gpu, struct eco_err *err)
{
    struct nvml_priv *p = s && s->enabled && s->ops == &eco_nvml_ops ? s->priv : NULL;
    if (!p || gpu >= p->n) {
        eco_err_set(err, 1, "no such NVIDIA GPU (domain %zu)", gpu);
        return NULL;
    }
    if (p->gpus[gpu].lost) {
        eco_err_set(err, 1, "%s is lost", s->domains[gpu].name);
        return NULL;
    }
    return &p->gpus[gpu];
}

int eco_nvml_utilisation(struct eco_sensor *s, size_t gpu, struct eco_gpu_util *out,
                         struct eco_err *err)
{
    struct gpu *g = gpu_of(s, gpu, err);
    if (!g)
        return -1;
    struct nvml_priv *p = s->priv;
    *out = (struct eco_gpu_util){-1, -1, 0, 0};
    if (!p->api.util)
        return eco_err_set(err, 1, "the driver has no nvmlDeviceGetUtilizationRates");
    nvmlUtilization_t u;
    nvmlReturn_t rc = p->api.util(g->dev, &u);
    if (rc == NVML_ERROR_GPU_IS_LOST)
        g->lost = 1;
    if (rc != NVML_SUCCESS)
        return eco_err_set(err, 1, "%s: utilisation: %s", s->domains[gpu].name, nv_err(&p->api, rc));
    out->gpu_pct = (int)u.gpu;
    out->mem_pct = (int)u.memory;
    nvmlMemory_t m;
    if (p->api.memory && p->api.memory(g->dev, &m) == NVML_SUCCESS) {
        out->mem_used = m.used;
        out->mem_total = m.total;
    }
    return 0;
}

/* Average the samples of each pid into out (at most cap pids). */
static size_t fold_samples(const nvmlProcessUtilizationSample_t *smp, unsigned n,
                           struct eco_gpu_proc *out, size_t cap, unsigned long long *since)
{
    size_t k = 0;
    unsigned *cnt = calloc(cap ? cap : 1, sizeof *cnt);
    long long *sm = calloc(cap ? cap : 1, sizeof *sm), *mem = calloc(cap ? cap : 1, sizeof *mem);
    if (!cnt || !sm || !mem) {
        free(cnt), free(sm), free(mem);
        return 0;
    }
    for (unsigned i = 0; i < n; i++) {
        size_t j = 0;
        while (j < k && out[j].pid != smp[i].pid)
            j++;
        if (j == k) {
            if (k == cap)
                continue;
            out[k++] = (struct eco_gpu_proc){smp[i].pid, 0, 0, 0};
        }
        cnt[j]++;
        sm[j] += smp[i].smUtil;
        mem[j] += smp[i].memUtil;
        if (smp[i].timeStamp > *since)
            *since = smp[i].timeStamp;
    }
    for (size_t j = 0; j < k; j++) {
        out[j].sm_pct = (int)(sm[j] / cnt[j]);
        out[j].mem_pct = (int)(mem[j] / cnt[j]);
    }
    free(cnt), free(sm), free(mem);
    return k;
}

int eco_nvml_processes(struct eco_sensor *s, size_t gpu, unsigned long long *since_us,
                       struct eco_gpu_proc *out, size_t cap, size_t *n, struct eco_err *err)
{
    *n = 0;
    struct gpu *g = gpu_of(s, gpu, err);
    if (!g)
        return -1;
    struct nvml_priv *p = s->priv;
    nvmlReturn_t rc = NVML_ERROR_NOT_SUPPORTED;
    if (p->api.proc_util) {
        unsigned count = 0;
        rc = p->api.proc_util(g->dev, NULL, &count, *since_us);
        if (rc == NVML_ERROR_NOT_FOUND)
            return 0; /* no sample since then: no process used the GPU */
        if (rc == NVML_SUCCESS || rc == NVML_ERROR_INSUFFICIENT_SIZE) {
            if (count == 0)
                return 0;
            nvmlProcessUtilizationSample_t *smp = calloc(count, sizeof *smp);
            if (!smp)
                return eco_err_set(err, 1, "out of memory");
            rc = p->api.proc_util(g->dev, smp, &count, *since_us);
            if (rc == NVML_SUCCESS)
                *n = fold_samples(smp, count, out, cap, since_us);
            free(smp);
            if (rc == NVML_ERROR_NOT_FOUND)
                return 0;
            if (rc == NVML_SUCCESS)
                return 0;
        }
        if (rc == NVML_ERROR_GPU_IS_LOST) {
            g->lost = 1;
            return eco_err_set(err, 1, "%s is lost", s->domains[gpu].name);
        }
    }
    /* Fall back to the running compute processes (memory only). */
    if (!p->api.procs)
        return eco_err_set(err, 1, "%s: no per-process data from this driver", s->domains[gpu].name);
    unsigned count = (unsigned)(cap > 4096 ? 4096 : cap);
    nvmlProcessInfo_v1_t *info = calloc(count ? count : 1, sizeof *info);
    if (!info)
        return eco_err_set(err, 1, "out of memory");
    rc = p->api.procs(g->dev, &count, info);
    if (rc == NVML_SUCCESS)
        for (unsigned i = 0; i < count && *n < cap; i++)
            out[(*n)++] = (struct eco_gpu_proc){info[i].pid, -1, -1, info[i].usedGpuMemory};
    free(info);
    if (rc != NVML_SUCCESS)
        return eco_err_set(err, 1, "%s: processes: %s", s->domains[gpu].name, nv_err(&p->api, rc));
    return 0;
}

const struct eco_sensor_ops eco_nvml_ops = {
    .name = "nvml",
    .probe = nvml_probe,
    .read = nvml_read,
    .close = nvml_close,
};
