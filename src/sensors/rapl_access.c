/* Reasons and fixes for RAPL zones that cannot be read (see rapl_access.h). */
#include "sensors/rapl_access.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sensors/sensor.h"
#include "sensors/sysfs.h"

static void user_name(char *buf, size_t len)
{
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name)
        snprintf(buf, len, "%s", pw->pw_name);
    else
        snprintf(buf, len, "uid %u", (unsigned)geteuid());
}

static void group_name(gid_t g, char *buf, size_t len)
{
    struct group *gr = getgrgid(g);
    if (gr && gr->gr_name)
        snprintf(buf, len, "%s", gr->gr_name);
    else
        snprintf(buf, len, "gid %u", (unsigned)g);
}

static int in_group(gid_t g)
{
    if (getegid() == g)
        return 1;
    gid_t list[256];
    int n = getgroups(256, list);
    for (int i = 0; i < n; i++)
        if (list[i] == g)
            return 1;
    return 0;
}

/* The group the recipe gave read access to this file, or 0 (root: not applied). */
static gid_t recipe_group(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || st.st_gid == 0 || !(st.st_mode & S_IRGRP))
        return 0;
    return st.st_gid;
}

/* A zone of another control type that this user reads through the recipe's
 * group: the recipe is applied, but not to zone i's control type. */
static int recipe_elsewhere(const struct rapl_zone *z, size_t nz, size_t i, gid_t *g)
{
    for (size_t j = 0; j < nz; j++)
        if (j != i && z[j].ctl != z[i].ctl && z[j].err == 0 && (*g = recipe_group(z[j].energy)) != 0)
            return (int)j;
    return -1;
}

static void perm_texts(const struct rapl_zone *z, size_t nz, size_t i, char *reason, size_t rlen, char *fix,
                       size_t flen)
{
    char gname[64], uname[64];
    gid_t g = recipe_group(z[i].energy);
    if (g != 0) {
        group_name(g, gname, sizeof gname);
        user_name(uname, sizeof uname);
        if (!in_group(g)) {
            snprintf(reason, rlen, "energy_uj is readable by group '%s' only, and this user (%s) is not in it",
                     gname, uname);
            snprintf(fix, flen, "add this user to group '%s' ('sudo usermod -aG %s %s'), then log in again: "
                     "group membership is read at login", gname, gname, uname);
        } else {
            snprintf(reason, rlen, "energy_uj: permission denied, although group '%s' may read it and this "
                     "user (%s) is in it", gname, uname);
            snprintf(fix, flen, "a folder above it is not searchable by this user: check with 'namei -l %s'",
                     z[i].energy);
        }
        return;
    }
    snprintf(reason, rlen, "%s is readable by root only (Linux 5.10 and later, CVE-2020-8694)", z[i].err_file);
    int j = recipe_elsewhere(z, nz, i, &g);
    if (j >= 0) {
        group_name(g, gname, sizeof gname);
        snprintf(fix, flen, "the recipe gives group '%s' read access to %s:* but not to %s:*: add its %s line "
                 "to the tmpfiles.d file, or use its udev rule, which covers every RAPL control type "
                 "(docs/SECURITY.md); never make energy_uj world-readable",
                 gname, rapl_ctl_name(z[j].ctl), rapl_ctl_name(z[i].ctl), rapl_ctl_name(z[i].ctl));
        return;
    }
    snprintf(fix, flen, "run ecometer as root, or give a dedicated group (e.g. 'ecometer-rapl') read access to "
             "every RAPL zone at boot with systemd-tmpfiles or a udev rule (docs/SECURITY.md); setcap does not "
             "help for sysfs files; never make energy_uj world-readable");
}

void rapl_zone_texts(const struct rapl_zone *z, size_t nz, size_t i, char *reason, size_t rlen, char *fix,
                     size_t flen)
{
    fix[0] = 0;
    int e = -z[i].err;
    if (e == EACCES || e == EPERM)
        perm_texts(z, nz, i, reason, rlen, fix, flen);
    else if (e == ENOENT)
        snprintf(reason, rlen, "no %s file", z[i].err_file);
    else if (e == EINVAL)
        snprintf(reason, rlen, "%s does not hold a number (or holds 0)", z[i].err_file);
    else
        snprintf(reason, rlen, "%s: %s", z[i].err_file, strerror(e));
}

/* What /proc/cpuinfo says: vendor_id of the first CPU and the hypervisor
 * flag. 0, or -1 when there is no cpuinfo to read. */
static int cpu_facts(char *vendor, size_t len, int *vm)
{
    vendor[0] = 0;
    *vm = 0;
    char path[4096];
    const char *env = getenv("ECOMETER_CPUINFO");
    if (env && *env)
        snprintf(path, sizeof path, "%s", env);
    else
        snprintf(path, sizeof path, "%s/cpuinfo", eco_proc_root());
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        const char *v = colon + 1 + strspn(colon + 1, " \t");
        if (!vendor[0] && strncmp(line, "vendor_id", 9) == 0)
            snprintf(vendor, len, "%.*s", (int)strcspn(v, " \t\n"), v);
        /* a trimmed cpuinfo (some containers) may lack vendor_id: the model says it */
        if (!vendor[0] && strncmp(line, "model name", 10) == 0)
            snprintf(vendor, len, "%s", strstr(v, "Intel") ? "GenuineIntel" : strstr(v, "AMD") ? "AuthenticAMD" : "");
        if (strncmp(line, "flags", 5) == 0 && (strstr(v, " hypervisor") || strncmp(v, "hypervisor", 10) == 0))
            *vm = 1;
        if (strncmp(line, "flags", 5) == 0)
            break; /* the first CPU says it all */
    }
    fclose(f);
    return 0;
}

/* The TPMI RAPL device of Xeon 6 (intel_vsec.tpmi-rapl.N on the auxiliary bus). */
static int has_tpmi_rapl(void)
{
    char dir[4096];
    if (eco_sysfs_join(dir, sizeof dir, eco_sysfs_root(), "bus/auxiliary/devices") != 0)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int found = 0;
    struct dirent *de;
    while (!found && (de = readdir(d)) != NULL)
        found = strncmp(de->d_name, "intel_vsec.tpmi-rapl.", 21) == 0;
    closedir(d);
    return found;
}

void rapl_absent_texts(struct eco_err *why, const char *what)
{
    eco_err_set(why, 1, "%s", what);
    char vendor[64];
    int vm;
    int known = cpu_facts(vendor, sizeof vendor, &vm) == 0;
    if (vm)
        eco_err_hint(why, "this is a virtual machine (the CPU flags include 'hypervisor'): hypervisors do not "
                          "pass RAPL through, so no module can add it here; measure on bare metal for RAPL");
    else if (has_tpmi_rapl())
        eco_err_hint(why, "this CPU exposes RAPL through TPMI (Xeon 6): load intel_rapl_tpmi ('modprobe "
                          "intel_rapl_tpmi', Linux 6.5 or later); intel_rapl_msr does not read it");
    else if (strcmp(vendor, "GenuineIntel") == 0)
        eco_err_hint(why, "load intel_rapl_msr ('modprobe intel_rapl_msr')");
    else if (strcmp(vendor, "AuthenticAMD") == 0 || strcmp(vendor, "HygonGenuine") == 0)
        eco_err_hint(why, "load intel_rapl_msr ('modprobe intel_rapl_msr'; AMD CPUs need Linux 5.11 or later)");
    else if (vendor[0])
        eco_err_hint(why, "nothing to load: RAPL exists only on Intel and AMD x86 CPUs, and this one is '%s'", vendor);
    else if (known)
        eco_err_hint(why, "nothing to load: RAPL exists only on Intel and AMD x86 CPUs, and this one is not x86");
    else
        eco_err_hint(why, "RAPL needs an Intel or AMD x86 CPU on bare metal with the intel_rapl_msr module "
                          "loaded ('modprobe intel_rapl_msr')");
}
