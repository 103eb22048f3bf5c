#include "sensors/sysfs.h"

#include "core/numparse.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

long eco_read_small(const char *path, char *buf, size_t len)
{
    /* O_NONBLOCK: a FIFO planted in a fake tree must not hang the sampler. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -errno;
    struct stat st; /* sysfs and /proc values are regular files: a device is no value */
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -EINVAL;
    }
    size_t got = 0;
    while (got < len - 1) {
        ssize_t n = read(fd, buf + got, len - 1 - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            return -e;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = 0;
    return (long)got;
}

int eco_sysfs_read(const char *path, char *buf, size_t len)
{
    if (len == 0)
        return -EINVAL;
    long r = eco_read_small(path, buf, len);
    if (r < 0)
        return (int)r;
    size_t got = (size_t)r;
    while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == ' ' || buf[got - 1] == '\t' ||
                       buf[got - 1] == '\r'))
        buf[--got] = 0;
    return 0;
}

/* A number file's text without the whitespace around it (the kernel writes
 * "123\n"). Malformed (-EINVAL): a NUL byte inside ("123\0" would read as
 * 123), or a file that fills the buffer (an over-long, maybe zero-padded
 * number would be cut and read as another value). */
static int read_number_text(const char *path, char *buf, size_t len)
{
    long r = eco_read_small(path, buf, len);
    if (r < 0)
        return (int)r;
    size_t got = (size_t)r;
    if (got >= len - 1 || memchr(buf, 0, got))
        return -EINVAL;
    while (got > 0 && strchr(" \t\r\n", buf[got - 1]))
        buf[--got] = 0;
    size_t lead = strspn(buf, " \t\r\n");
    memmove(buf, buf + lead, got - lead + 1);
    return 0;
}

int eco_sysfs_read_u64(const char *path, unsigned long long *v)
{
    char buf[64];
    int rc = read_number_text(path, buf, sizeof buf);
    if (rc)
        return rc;
    uint64_t x;
    if (eco_num_u64(buf, 0, UINT64_MAX, 0, &x) != ECO_NUM_OK)
        return -EINVAL;
    *v = x;
    return 0;
}

int eco_sysfs_read_i64(const char *path, long long *v)
{
    char buf[64];
    int rc = read_number_text(path, buf, sizeof buf);
    if (rc)
        return rc;
    int64_t x;
    if (eco_num_i64(buf, INT64_MIN, INT64_MAX, 0, &x) != ECO_NUM_OK)
        return -EINVAL;
    *v = x;
    return 0;
}

int eco_sysfs_join(char *buf, size_t len, const char *root, const char *rel)
{
    int n = snprintf(buf, len, "%s/%s", root, rel);
    return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

int eco_pathf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= len) {
        if (len)
            buf[0] = 0;
        return -1;
    }
    return 0;
}

int eco_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}
