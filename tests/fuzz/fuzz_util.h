/* Small helpers shared by the harnesses in tests/fuzz/ (header-only so each
 * harness stays one file plus this). */
#ifndef ECO_FUZZ_UTIL_H
#define ECO_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A broken invariant: say which, then abort so libFuzzer keeps the input. */
#define FUZZ_ASSERT(cond)                                                              \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                   \
        }                                                                              \
    } while (0)

/* The input as a NUL-terminated string (malloc'ed; the caller frees). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

/* Replace the contents of an in-memory file (one per harness, created once)
 * with the input and return a path to it (/proc/self/fd/N), so readers that
 * take a path (override tables, sysfs files) see exactly these bytes. */
static inline const char *fuzz_file(int *fd, const uint8_t *data, size_t size)
{
    static char path[64];
    if (*fd < 0) {
        *fd = memfd_create("ecometer-fuzz", 0);
        if (*fd < 0) {
            perror("memfd_create");
            abort();
        }
    }
    if (ftruncate(*fd, 0) != 0 || pwrite(*fd, data, size, 0) != (ssize_t)size)
        abort();
    snprintf(path, sizeof path, "/proc/self/fd/%d", *fd);
    return path;
}

#endif
