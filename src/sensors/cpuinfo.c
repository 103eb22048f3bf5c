#include "sensors/cpuinfo.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/safe_open.h"
#include "hw/hardware.h"
#include "sensors/sensor.h"
#include "sensors/sysfs.h"
#include "core/numparse.h"


int eco_sensors_cpu_model(char *buf, size_t len)
{
    return eco_cpu_model_here(buf, len);
}

int eco_sensors_cpu_sockets(void)
{
    int n = eco_sensors_cpu_sockets_read();
    return n > 0 ? n : 1;
}

int eco_sensors_cpu_sockets_read(void)
{
    char dir[PATH_MAX];
    if (eco_sysfs_join(dir, sizeof dir, eco_sysfs_root(), "devices/system/cpu") != 0)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    long long seen[256];
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, "cpu", 3) != 0 || de->d_name[3] < '0' || de->d_name[3] > '9')
            continue;
        char path[PATH_MAX + 300];
        eco_pathf(path, sizeof path, "%s/%s/topology/physical_package_id", dir, de->d_name);
        long long id;
        if (eco_sysfs_read_i64(path, &id) != 0)
            continue;
        int dup = 0;
        for (int i = 0; i < n; i++)
            dup |= seen[i] == id;
        if (!dup && n < 256)
            seen[n++] = id;
    }
    closedir(d);
    return n;
}

double eco_sensors_mem_gb(void)
{
    char path[PATH_MAX];
    if (eco_sysfs_join(path, sizeof path, eco_proc_root(), "meminfo") != 0)
        return -1;
    struct eco_err ignore;
    FILE *f = eco_fopen_regular(path, "r", "meminfo", &ignore); /* a FIFO must not hang the probe */
    if (!f)
        return -1;
    char line[256];
    double gb = -1;
    while (fgets(line, sizeof line, f)) {
        uint64_t kb;
        const char *p = line + 9;
        eco_num_skip_blanks(&p);
        if (strncmp(line, "MemTotal:", 9) == 0 && eco_num_next_u64(&p, UINT64_MAX, &kb) == ECO_NUM_OK) {
            gb = (double)kb / (1024.0 * 1024.0);
            break;
        }
    }
    fclose(f);
    return gb;
}
