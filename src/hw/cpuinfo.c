/* Which CPU is this? /proc/cpuinfo says it on x86 ("model name"); on ARM
 * it gives only implementer and part numbers, which are mapped here to the
 * core's name, and Jetson boards name themselves in the device tree. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/numparse.h"
#include "core/safe_open.h"
#include "hw/hardware.h"

/* ARM MIDR implementer/part pairs (Arm and NVIDIA technical reference
 * manuals; the same numbers as the Linux kernel's cputype.h). */
static const struct {
    unsigned implementer, part;
    const char *name;
} arm_parts[] = {
    {0x41, 0xd03, "ARM Cortex-A53"},   {0x41, 0xd04, "ARM Cortex-A35"},
    {0x41, 0xd05, "ARM Cortex-A55"},   {0x41, 0xd07, "ARM Cortex-A57"},
    {0x41, 0xd08, "ARM Cortex-A72"},   {0x41, 0xd09, "ARM Cortex-A73"},
    {0x41, 0xd0a, "ARM Cortex-A75"},   {0x41, 0xd0b, "ARM Cortex-A76"},
    {0x41, 0xd0c, "ARM Neoverse-N1"},  {0x41, 0xd0d, "ARM Cortex-A77"},
    {0x41, 0xd40, "ARM Neoverse-V1"},  {0x41, 0xd41, "ARM Cortex-A78"},
    {0x41, 0xd42, "ARM Cortex-A78AE"}, {0x41, 0xd44, "ARM Cortex-X1"},
    {0x41, 0xd46, "ARM Cortex-A510"},  {0x41, 0xd47, "ARM Cortex-A710"},
    {0x41, 0xd49, "ARM Neoverse-N2"},  {0x41, 0xd4f, "ARM Neoverse-V2"},
    {0x41, 0xd84, "ARM Neoverse-V3"},  {0x41, 0xd8e, "ARM Neoverse-N3"},
    {0x4e, 0x003, "NVIDIA Denver 2"},  {0x4e, 0x004, "NVIDIA Carmel"},
    {0xc0, 0xac3, "Ampere-1"},         {0xc0, 0xac4, "Ampere-1a"},
};

/* Value of "key : value" when line starts with key (then spaces/tabs, ':'). */
static const char *value_of(const char *line, const char *key)
{
    size_t k = strlen(key);
    if (strncasecmp(line, key, k) != 0)
        return NULL;
    const char *p = line + k;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != ':')
        return NULL;
    p++;
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static void copy_trimmed(char *buf, size_t len, const char *v, size_t vlen)
{
    while (vlen && isspace((unsigned char)v[vlen - 1]))
        vlen--;
    if (vlen >= len)
        vlen = len - 1;
    memcpy(buf, v, vlen);
    buf[vlen] = 0;
}

/* Generic names some ARM kernels put in "model name" tell nothing. */
static int generic_arm_name(const char *v)
{
    return strncmp(v, "ARMv", 4) == 0 || strstr(v, "Processor rev") != NULL;
}

/* "0x41": the kernel prints implementer and part as "0x%02x" / "0x%03x"
 * (arch/arm64/kernel/cpuinfo.c); -1 for anything else. */
static long hex_field(const char *v, uint64_t max)
{
    uint64_t x;
    return eco_num_hex_u64(v, max, ECO_NUM_BLANKS, &x) == ECO_NUM_OK ? (long)x : -1;
}

int eco_cpu_model_from_cpuinfo(const char *text, char *buf, size_t len)
{
    if (!text || !buf || len == 0)
        return -1;
    buf[0] = 0;
    char model_name[256] = "", model[256] = "", hardware[256] = "";
    long implementer = -1, part = -1;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        char line[512];
        copy_trimmed(line, sizeof line, p, l);
        const char *v;
        if (!model_name[0] && (v = value_of(line, "model name")) && *v)
            snprintf(model_name, sizeof model_name, "%s", v);
        else if (!model[0] && (v = value_of(line, "Model")) && *v)
            snprintf(model, sizeof model, "%s", v);
        else if (!hardware[0] && (v = value_of(line, "Hardware")) && *v)
            snprintf(hardware, sizeof hardware, "%s", v);
        else if (implementer < 0 && (v = value_of(line, "CPU implementer")))
            implementer = hex_field(v, 0xff);
        else if (part < 0 && (v = value_of(line, "CPU part")))
            part = hex_field(v, 0xfff);
        p = nl ? nl + 1 : p + l;
    }
    const char *found = NULL;
    if (model_name[0] && !generic_arm_name(model_name))
        found = model_name;
    for (size_t i = 0; !found && i < sizeof arm_parts / sizeof arm_parts[0]; i++)
        if ((long)arm_parts[i].implementer == implementer && (long)arm_parts[i].part == part)
            found = arm_parts[i].name;
    if (!found && model[0])
        found = model;
    if (!found && hardware[0])
        found = hardware;
    if (!found && model_name[0])
        found = model_name;
    if (!found)
        return -1;
    snprintf(buf, len, "%s", found);
    return 0;
}

static char *read_small_file(const char *path, size_t max)
{
    struct eco_err ignore; /* not a regular file: no model name, as for a missing file */
    FILE *f = eco_fopen_regular(path, "rb", "cpuinfo", &ignore);
    if (!f)
        return NULL;
    char *s = malloc(max + 1);
    size_t n = s ? fread(s, 1, max, f) : 0;
    fclose(f);
    if (!s)
        return NULL;
    s[n] = 0;
    /* device-tree strings end in NUL; cpuinfo never holds one */
    return s;
}

int eco_cpu_model_here(char *buf, size_t len)
{
    const char *path = getenv("ECOMETER_CPUINFO");
    int from_test_file = path && *path;
    /* A fixture machine (ECOMETER_PROC_ROOT) describes its own CPU. */
    char proc_path[4096];
    const char *proc = getenv("ECOMETER_PROC_ROOT");
    if (!from_test_file && proc && *proc) {
        snprintf(proc_path, sizeof proc_path, "%s/cpuinfo", proc);
        path = proc_path;
        from_test_file = 1;
    }
    char *text = read_small_file(from_test_file ? path : "/proc/cpuinfo", 1 << 20);
    if (!text)
        return -1;
    int rc = eco_cpu_model_from_cpuinfo(text, buf, len);
    free(text);
    /* with a test cpuinfo, the device tree is read only from a fixture root */
    if (rc != 0 || (from_test_file && !getenv("ECOMETER_SYSFS_ROOT")))
        return rc;
    /* A Jetson's cores (Cortex-A57, Carmel, A78AE) are shared by several
     * modules; the board's own name in the device tree tells them apart. */
    if (strncmp(buf, "ARM ", 4) == 0 || strncmp(buf, "NVIDIA ", 7) == 0) {
        const char *root = getenv("ECOMETER_SYSFS_ROOT");
        char dt[512];
        snprintf(dt, sizeof dt, "%s/firmware/devicetree/base/model", root && *root ? root : "/sys");
        char *board = read_small_file(dt, 255);
        /* "NVIDIA Jetson Nano Developer Kit", "Jetson-AGX" (AGX Xavier),
         * "NVIDIA Orin NX Developer Kit" */
        if (board && (strstr(board, "Jetson") || strstr(board, "Orin") || strstr(board, "Xavier")))
            snprintf(buf, len, "%s", board);
        free(board);
    }
    return 0;
}
