#include "core/make_parent.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int eco_make_parent(const char *path, mode_t mode, char *dir, size_t len)
{
    snprintf(dir, len, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, mode) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(dir, mode) != 0 && errno != EEXIST ? -1 : 0;
}
