/* A stand-in for libnvidia-ml.so.1, for tests only (build/tests/
 * libnvml-standin*.so, rules in mk/sensors.mk). It implements the NVML entry
 * points ecometer uses, with GPUs described by environment variables read at
 * nvmlInit_v2:
 *
 *   NVML_STANDIN_GPUS=N              number of GPUs (default 1)
 *   NVML_STANDIN_NAMES=a,b           names (the last repeats; default "NVIDIA A100-SXM4-40GB")
 *   NVML_STANDIN_POWER_MW=P[:S],...  power of each GPU in mW, P + S x t with t the
 *                                    seconds since nvmlInit_v2 (the last repeats;
 *                                    default 100000). Energy is its exact integral.
 *   NVML_STANDIN_ENERGY_BASE_MJ=E    energy counter value at init (default 1000000)
 *   NVML_STANDIN_NO_ENERGY=all|i,j   these GPUs answer NOT_SUPPORTED to the energy call
 *   NVML_STANDIN_NO_POWER=all|i,j    these GPUs answer NOT_SUPPORTED to the power call
 *   NVML_STANDIN_FAIL=fn:N:code;...  the Nth call (from 1, all GPUs) of entry point fn
 *                                    returns code (e.g. nvmlDeviceGetPowerUsage:3:999)
 *   NVML_STANDIN_LOST=i:N            GPU i is lost (GPU_IS_LOST) from its Nth energy or
 *                                    power call on
 *   NVML_STANDIN_INIT_RC=code        nvmlInit_v2 returns code (e.g. 9: driver not loaded)
 *   NVML_STANDIN_UTIL=gpu,mem        utilisation % (default 50,30)
 *   NVML_STANDIN_MEM_MB=total,used   memory (default 40960,1024)
 *   NVML_STANDIN_PROCS=pid:sm:mem,.. processes on GPU 0 (per-process utilisation)
 *   NVML_STANDIN_PROCS_LIVE=1        their samples are stamped with the clock (one every
 *                                    0.1 s since init), as a driver keeps them, instead of
 *                                    the two fixed samples at 1000 and 2000 us
 *   NVML_STANDIN_LIMIT_MW=L,...      enforced power limit of each GPU in mW (the last
 *                                    repeats); unset: the call answers NOT_SUPPORTED
 *   NVML_STANDIN_TRUTH=file          at nvmlShutdown, write per GPU the exact energy (J)
 *                                    between its first and last energy/power query:
 *                                    "gpu-0 123.456" lines
 *
 * Build variants: -DSTANDIN_OLD_DRIVER drops the _v2 entry points (a driver
 * before R319); -DSTANDIN_NO_ENERGY_SYMBOL drops nvmlDeviceGetTotalEnergyConsumption
 * and nvmlDeviceGetProcessUtilization (an old driver that ecometer can still use). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_GPUS 16

typedef int nvmlReturn_t;
struct nvmlDevice_st {
    int index;
};
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
typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
} nvmlProcessInfo_v1_t;

#define EXPORT __attribute__((visibility("default")))

static struct {
    int inited, n;
    double t0;
    struct nvmlDevice_st dev[MAX_GPUS];
    char names[MAX_GPUS][96];
    double p0[MAX_GPUS], slope[MAX_GPUS];
    int no_energy[MAX_GPUS], no_power[MAX_GPUS];
    int lost_at[MAX_GPUS], calls[MAX_GPUS];
    double first_t[MAX_GPUS], last_t[MAX_GPUS];
    double base_mj;
    unsigned limit_mw[MAX_GPUS];
    int procs_live;
    unsigned util_gpu, util_mem;
    unsigned long long mem_total, mem_used;
    char fail[512];
    int fn_calls[16];
} S;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static const char *env(const char *k, const char *def)
{
    const char *v = getenv(k);
    return v && *v ? v : def;
}

/* Field i of a comma list, or the last one. */
static void field(const char *list, int i, char *out, size_t len)
{
    const char *p = list;
    for (int k = 0; k < i; k++) {
        const char *c = strchr(p, ',');
        if (!c)
            break;
        p = c + 1;
    }
    size_t n = strcspn(p, ",");
    if (n >= len)
        n = len - 1;
    memcpy(out, p, n);
    out[n] = 0;
}

static int in_list(const char *list, int i)
{
    if (!list)
        return 0;
    if (strcmp(list, "all") == 0)
        return 1;
    for (const char *p = list; *p;) {
        if (atoi(p) == i)
            return 1;
        p += strcspn(p, ",");
        if (*p)
            p++;
    }
    return 0;
}

/* Entry points that can be made to fail, by index into fn_calls. */
enum { F_POWER, F_ENERGY, F_UTIL, F_MEM, F_PROCUTIL, F_PROCS, F_NAME, F_HANDLE, F_COUNT };
static const char *const fn_names[] = {
    "nvmlDeviceGetPowerUsage", "nvmlDeviceGetTotalEnergyConsumption", "nvmlDeviceGetUtilizationRates",
    "nvmlDeviceGetMemoryInfo", "nvmlDeviceGetProcessUtilization", "nvmlDeviceGetComputeRunningProcesses",
    "nvmlDeviceGetName",       "nvmlDeviceGetHandleByIndex",    "nvmlDeviceGetCount"};

static int injected(int fn)
{
    int call = ++S.fn_calls[fn];
    const char *p = S.fail;
    size_t nl = strlen(fn_names[fn]);
    while (*p) {
        if (strncmp(p, fn_names[fn], nl) == 0 && p[nl] == ':') {
            int n = 0, code = 0;
            if (sscanf(p + nl + 1, "%d:%d", &n, &code) == 2 && n == call)
                return code;
        }
        p += strcspn(p, ";");
        if (*p)
            p++;
    }
    return 0;
}

static int check_dev(nvmlDevice_t d)
{
    if (!S.inited)
        return 1; /* NVML_ERROR_UNINITIALIZED */
    if (!d || d < S.dev || d >= S.dev + S.n)
        return 2; /* INVALID_ARGUMENT */
    return 0;
}

EXPORT nvmlReturn_t nvmlInit_v2(void)
{
    int rc = atoi(env("NVML_STANDIN_INIT_RC", "0"));
    if (rc)
        return rc;
    memset(&S, 0, sizeof S);
    S.n = atoi(env("NVML_STANDIN_GPUS", "1"));
    if (S.n < 0 || S.n > MAX_GPUS)
        S.n = MAX_GPUS;
    const char *names = env("NVML_STANDIN_NAMES", "NVIDIA A100-SXM4-40GB");
    const char *power = env("NVML_STANDIN_POWER_MW", "100000");
    const char *no_e = getenv("NVML_STANDIN_NO_ENERGY"), *no_p = getenv("NVML_STANDIN_NO_POWER");
    for (int i = 0; i < S.n; i++) {
        S.dev[i].index = i;
        field(names, i, S.names[i], sizeof S.names[i]);
        char f[64];
        field(power, i, f, sizeof f);
        S.p0[i] = atof(f);
        char *c = strchr(f, ':');
        S.slope[i] = c ? atof(c + 1) : 0;
        S.no_energy[i] = in_list(no_e, i);
        S.no_power[i] = in_list(no_p, i);
    }
    S.base_mj = atof(env("NVML_STANDIN_ENERGY_BASE_MJ", "1000000"));
    const char *limits = getenv("NVML_STANDIN_LIMIT_MW");
    for (int i = 0; limits && *limits && i < S.n; i++) {
        char f[32];
        field(limits, i, f, sizeof f);
        S.limit_mw[i] = (unsigned)atol(f);
    }
    S.procs_live = atoi(env("NVML_STANDIN_PROCS_LIVE", "0"));
    const char *lost = getenv("NVML_STANDIN_LOST");
    int lg, ln;
    if (lost && sscanf(lost, "%d:%d", &lg, &ln) == 2 && lg >= 0 && lg < MAX_GPUS)
        S.lost_at[lg] = ln;
    sscanf(env("NVML_STANDIN_UTIL", "50,30"), "%u,%u", &S.util_gpu, &S.util_mem);
    unsigned long long tot = 40960, used = 1024;
    sscanf(env("NVML_STANDIN_MEM_MB", "40960,1024"), "%llu,%llu", &tot, &used);
    S.mem_total = tot << 20;
    S.mem_used = used << 20;
    snprintf(S.fail, sizeof S.fail, "%s", env("NVML_STANDIN_FAIL", ""));
    S.t0 = now();
    S.inited = 1;
    return 0;
}

static double energy_mj(int i, double t)
{
    double s = t - S.t0;
    return S.base_mj + S.p0[i] * s + S.slope[i] * s * s / 2;
}

EXPORT nvmlReturn_t nvmlShutdown(void)
{
    const char *truth = getenv("NVML_STANDIN_TRUTH");
    if (truth && S.inited) {
        FILE *f = fopen(truth, "w");
        if (f) {
            for (int i = 0; i < S.n; i++)
                if (S.first_t[i] > 0)
                    fprintf(f, "gpu-%d %.6f\n", i,
                            (energy_mj(i, S.last_t[i]) - energy_mj(i, S.first_t[i])) / 1000.0);
            fclose(f);
        }
    }
    S.inited = 0;
    return 0;
}

EXPORT const char *nvmlErrorString(nvmlReturn_t rc)
{
    switch (rc) {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 2: return "Invalid Argument";
    case 3: return "Not Supported";
    case 4: return "Insufficient Permissions";
    case 6: return "Not Found";
    case 7: return "Insufficient Size";
    case 9: return "Driver Not Loaded";
    case 15: return "GPU is lost";
    case 18: return "RM has detected an NVML/RM version mismatch";
    default: return "Unknown Error";
    }
}

static nvmlReturn_t get_count(unsigned int *n)
{
    if (!S.inited)
        return 1;
    int rc = injected(F_COUNT);
    if (rc)
        return rc;
    *n = (unsigned)S.n;
    return 0;
}

static nvmlReturn_t get_handle(unsigned int i, nvmlDevice_t *d)
{
    if (!S.inited)
        return 1;
    if (i >= (unsigned)S.n)
        return 2;
    int rc = injected(F_HANDLE);
    if (rc)
        return rc;
    *d = &S.dev[i];
    return 0;
}

#ifdef STANDIN_OLD_DRIVER
EXPORT nvmlReturn_t nvmlDeviceGetCount(unsigned int *n) { return get_count(n); }
EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex(unsigned int i, nvmlDevice_t *d) { return get_handle(i, d); }
#else
EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *n) { return get_count(n); }
EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t *d) { return get_handle(i, d); }
#endif

EXPORT nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned int len)
{
    int rc = check_dev(d);
    if (rc || (rc = injected(F_NAME)))
        return rc;
    if (len == 0)
        return 7;
    snprintf(name, len, "%s", S.names[d->index]);
    return 0;
}

/* Shared by the energy and power calls: lost GPUs, time of the query. */
static int query(nvmlDevice_t d, int fn, double *t)
{
    int rc = check_dev(d);
    if (rc)
        return rc;
    int i = d->index;
    if ((rc = injected(fn)))
        return rc;
    S.calls[i]++;
    if (S.lost_at[i] && S.calls[i] >= S.lost_at[i])
        return 15;
    *t = now();
    if (S.first_t[i] == 0)
        S.first_t[i] = *t;
    S.last_t[i] = *t;
    return 0;
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int *mw)
{
    double t;
    int rc = check_dev(d);
    if (rc)
        return rc;
    if (S.no_power[d->index])
        return 3;
    if ((rc = query(d, F_POWER, &t)))
        return rc;
    double p = S.p0[d->index] + S.slope[d->index] * (t - S.t0);
    *mw = (unsigned)(p < 0 ? 0 : p + 0.5);
    return 0;
}

#ifndef STANDIN_NO_ENERGY_SYMBOL
EXPORT nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t d, unsigned long long *mj)
{
    double t;
    int rc = check_dev(d);
    if (rc)
        return rc;
    if (S.no_energy[d->index])
        return 3;
    if ((rc = query(d, F_ENERGY, &t)))
        return rc;
    *mj = (unsigned long long)energy_mj(d->index, t);
    return 0;
}
#endif

EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u)
{
    int rc = check_dev(d);
    if (rc || (rc = injected(F_UTIL)))
        return rc;
    if (S.lost_at[d->index] && S.calls[d->index] >= S.lost_at[d->index])
        return 15;
    u->gpu = S.util_gpu;
    u->memory = S.util_mem;
    return 0;
}

EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *m)
{
    int rc = check_dev(d);
    if (rc || (rc = injected(F_MEM)))
        return rc;
    m->total = S.mem_total;
    m->used = S.mem_used;
    m->free = S.mem_total - S.mem_used;
    return 0;
}

/* "pid:sm:mem" entries of NVML_STANDIN_PROCS, for GPU 0 only. */
static int procs_of(nvmlDevice_t d, unsigned pid[], unsigned sm[], unsigned mem[], int cap)
{
    if (d->index != 0)
        return 0;
    const char *p = env("NVML_STANDIN_PROCS", "");
    int n = 0;
    while (*p && n < cap) {
        if (sscanf(p, "%u:%u:%u", &pid[n], &sm[n], &mem[n]) == 3)
            n++;
        p += strcspn(p, ",");
        if (*p)
            p++;
    }
    return n;
}

#ifndef STANDIN_NO_ENERGY_SYMBOL
/* NVML_STANDIN_PROCS_LIVE: one sample per process every 0.1 s since init,
 * time stamps in us since init; the last 20 kept, as a driver's buffer. */
static nvmlReturn_t live_samples(const unsigned *pid, const unsigned *sm, const unsigned *mem, int n,
                                 nvmlProcessUtilizationSample_t *u, unsigned int *count, unsigned long long since)
{
    unsigned long long newest = (unsigned long long)((now() - S.t0) * 10) * 100000ull;
    unsigned long long oldest = newest > 1900000ull ? newest - 1900000ull : 0;
    if (since >= oldest)
        oldest = (since / 100000ull + 1) * 100000ull;
    int per = oldest > newest ? 0 : (int)((newest - oldest) / 100000ull) + 1;
    if (per == 0 || n == 0)
        return 6; /* NOT_FOUND: nothing newer than since */
    if (!u || *count < (unsigned)(per * n)) {
        *count = (unsigned)(per * n);
        return 7;
    }
    int j = 0;
    for (int k = 0; k < per; k++)
        for (int i = 0; i < n; i++)
            u[j++] = (nvmlProcessUtilizationSample_t){pid[i], oldest + 100000ull * (unsigned)k, sm[i], mem[i], 0, 0};
    *count = (unsigned)j;
    return 0;
}

EXPORT nvmlReturn_t nvmlDeviceGetProcessUtilization(nvmlDevice_t d, nvmlProcessUtilizationSample_t *u,
                                                     unsigned int *count, unsigned long long since)
{
    int rc = check_dev(d);
    if (rc || (rc = injected(F_PROCUTIL)))
        return rc;
    unsigned pid[64], sm[64], mem[64];
    int n = procs_of(d, pid, sm, mem, 64);
    if (S.procs_live)
        return live_samples(pid, sm, mem, n, u, count, since);
    /* Two samples per process, at 1000 and 2000 us, to exercise averaging
     * and the "since" time stamp. */
    int want = 0;
    for (int i = 0; i < n; i++)
        for (int k = 1; k <= 2; k++)
            if (1000ull * k > since)
                want++;
    if (want == 0)
        return 6; /* NOT_FOUND */
    if (!u || *count < (unsigned)want) {
        *count = (unsigned)want;
        return 7;
    }
    int j = 0;
    for (int i = 0; i < n; i++)
        for (int k = 1; k <= 2; k++)
            if (1000ull * k > since)
                u[j++] = (nvmlProcessUtilizationSample_t){pid[i], 1000ull * k,
                                                          k == 1 ? sm[i] - sm[i] / 10 : sm[i] + sm[i] / 10,
                                                          mem[i], 0, 0};
    *count = (unsigned)j;
    return 0;
}
#endif

EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses(nvmlDevice_t d, unsigned int *count,
                                                          nvmlProcessInfo_v1_t *info)
{
    int rc = check_dev(d);
    if (rc || (rc = injected(F_PROCS)))
        return rc;
    unsigned pid[64], sm[64], mem[64];
    int n = procs_of(d, pid, sm, mem, 64);
    if (*count < (unsigned)n) {
        *count = (unsigned)n;
        return 7;
    }
    for (int i = 0; i < n; i++)
        info[i] = (nvmlProcessInfo_v1_t){pid[i], (unsigned long long)(i + 1) << 28};
    *count = (unsigned)n;
    return 0;
}

EXPORT nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t d, unsigned int *limit_mw)
{
    int rc = check_dev(d);
    if (rc)
        return rc;
    if (!S.limit_mw[d->index])
        return 3; /* NOT_SUPPORTED */
    *limit_mw = S.limit_mw[d->index];
    return 0;
}
