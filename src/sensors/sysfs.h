/* Small, strict readers for sysfs-like text files (one number per file).
 * Every read opens, reads and closes the file, so a file replaced by rename
 * (or a sensor that vanishes) is seen at once; nothing is cached. Errors are
 * negative errno values so callers can tell EACCES (permission) from ENOENT
 * (gone) from EINVAL (the file held something that is not a number). */
#ifndef ECO_SENSORS_SYSFS_H
#define ECO_SENSORS_SYSFS_H

#include <stddef.h>

/* Read at most len-1 bytes, NUL-terminate, strip trailing whitespace.
 * 0, or -errno. */
int eco_sysfs_read(const char *path, char *buf, size_t len);
/* A non-negative decimal integer alone on its line. 0, or -errno
 * (-EINVAL for anything else: empty, signs, letters, overflow). */
int eco_sysfs_read_u64(const char *path, unsigned long long *v);
/* A decimal integer that may be negative (hwmon currents can be). */
int eco_sysfs_read_i64(const char *path, long long *v);
/* Join root and a relative path ("class/powercap") into buf; -1 if too long. */
/* The first len-1 bytes of a small regular file (sysfs, /proc), NUL-terminated,
 * as they are (no trimming): how many, or -errno. Opened non-blocking and
 * refused unless regular, so a FIFO planted in a fake tree cannot hang a
 * reader. The one reader of small kernel files. */
long eco_read_small(const char *path, char *buf, size_t len);
int eco_sysfs_join(char *buf, size_t len, const char *root, const char *rel);
/* printf into buf; -1 (and an empty buf) if it does not fit. */
int eco_pathf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 1 if path exists (any type). */
int eco_path_exists(const char *path);

#endif
