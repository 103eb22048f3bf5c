/* mkdir -p of the folder that holds a file (the history, the baseline). */
#ifndef ECO_CORE_MAKE_PARENT_H
#define ECO_CORE_MAKE_PARENT_H

#include <stddef.h>
#include <sys/types.h>

/* Create every missing folder above `path` with `mode` (existing ones are
 * left as they are), working in dir[len]. 0, or -1 with errno set and dir
 * holding the folder that could not be made. A path with no folder part
 * (or only "/") is 0. */
int eco_make_parent(const char *path, mode_t mode, char *dir, size_t len);

#endif
