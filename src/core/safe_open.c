#include "core/safe_open.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *eco_file_type_name(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return "a regular file";
    case S_IFDIR: return "a directory";
    case S_IFIFO: return "a FIFO (named pipe)";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFSOCK: return "a socket";
    case S_IFLNK: return "a symbolic link";
    default: return "not a regular file";
    }
}

static int refuse(const char *path, unsigned mode, const char *what, struct eco_err *err)
{
    eco_err_set(err, 2, "%s %s is %s, not a regular file", what, path, eco_file_type_name(mode));
    eco_err_hint(err, "give the path of a regular file");
    return -1;
}

int eco_open_regular(const char *path, int flags, unsigned mode, const char *what, struct eco_err *err)
{
    int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC, mode);
    if (fd < 0) {
        int e = errno;
        struct stat st;
        /* A FIFO opened for writing without a reader fails with ENXIO, a
         * directory opened for writing with EISDIR: say what the path is. */
        if ((e == ENXIO || e == EISDIR) && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
            return refuse(path, st.st_mode, what, err);
        eco_err_set(err, e == ENOENT || e == EACCES || e == ENOTDIR ? 2 : 1, "cannot %s %s %s: %s",
                    (flags & O_ACCMODE) == O_RDONLY ? "open" : "write", what, path, strerror(e));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        unsigned m = fstat(fd, &st) == 0 ? st.st_mode : 0;
        close(fd);
        return refuse(path, m, what, err);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

FILE *eco_fopen_regular(const char *path, const char *mode, const char *what, struct eco_err *err)
{
    int flags = O_RDONLY;
    int plus = strchr(mode, '+') != NULL;
    if (mode[0] == 'w')
        flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC;
    else if (mode[0] == 'a')
        flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
    else if (plus)
        flags = O_RDWR;
    int fd = eco_open_regular(path, flags, 0666, what, err);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, mode);
    if (!f) {
        eco_err_set(err, 1, "cannot open %s %s: %s", what, path, strerror(errno));
        close(fd);
    }
    return f;
}

int eco_check_not_special(const char *path, const char *what, struct eco_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
        return 0;
    return refuse(path, st.st_mode, what, err);
}
