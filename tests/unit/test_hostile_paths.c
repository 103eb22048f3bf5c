/* Issue 16: special files and hostile paths. safe_open refuses FIFOs,
 * devices and folders without blocking; the SIGBUS guard turns a read past
 * the end of a truncated mapping into an error; the ELF check finds a
 * truncated or non-ELF library before dlopen; the marker socket's cleanup
 * follows no link the measured program planted. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/elf_check.h"
#include "core/safe_open.h"
#include "core/sigbus_guard.h"
#include "meter/marker_socket.h"
#include "test.h"

static const char *tmp_path(const char *name)
{
    static char p[8][4200];
    static int k;
    char *s = p[k++ % 8];
    snprintf(s, sizeof p[0], "%s/%s", eco_test_tmpdir(), name);
    return s;
}

ECO_TEST(safe_open_refuses_fifo_device_and_folder)
{
    const char *fifo = tmp_path("fifo");
    CHECK_INT(mkfifo(fifo, 0600), 0);
    struct eco_err e;
    const char *paths[] = {fifo, "/dev/zero", eco_test_tmpdir()};
    const char *words[] = {"FIFO", "character device", "directory"};
    for (int i = 0; i < 3; i++) {
        eco_err_clear(&e);
        CHECK(eco_fopen_regular(paths[i], "r", "table", &e) == NULL);
        CHECK(strstr(e.msg, words[i]) != NULL);
        CHECK_INT(e.code, 2);
        eco_err_clear(&e);
        CHECK(eco_open_regular(paths[i], O_WRONLY | O_CREAT, 0600, "the JSON file", &e) < 0);
        CHECK(strstr(e.msg, words[i]) != NULL);
        CHECK(eco_check_not_special(paths[i], "--db", &e) != 0);
    }
    const char *reg = tmp_path("regular");
    FILE *f = eco_fopen_regular(reg, "w", "file", &e);
    CHECK(f != NULL);
    fputs("x\n", f);
    fclose(f);
    CHECK_INT(eco_check_not_special(reg, "--db", &e), 0);
    CHECK_INT(eco_check_not_special(tmp_path("missing"), "--db", &e), 0);
    int fd = eco_open_regular(reg, O_RDONLY, 0, "file", &e);
    CHECK(fd >= 0 && !(fcntl(fd, F_GETFL) & O_NONBLOCK)); /* cleared again on a regular file */
    close(fd);
}

struct mapped {
    const volatile char *p;
    size_t n;
};

static int read_all(void *arg)
{
    struct mapped *m = arg;
    unsigned sum = 0;
    for (size_t i = 0; i < m->n; i += 4096)
        sum += (unsigned char)m->p[i];
    return (int)(sum & 1);
}

ECO_TEST(sigbus_guard_catches_a_truncated_mapping)
{
    const char *path = tmp_path("shrinks");
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_INT(ftruncate(fd, 1 << 20), 0);
    void *map = mmap(NULL, 1 << 20, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(map != MAP_FAILED);
    struct mapped m = {map, 1 << 20};
    int caught = 1;
    CHECK_INT(eco_sigbus_guard(read_all, &m, &caught), 0);
    CHECK_INT(caught, 0);
    CHECK_INT(ftruncate(fd, 4096), 0); /* another program cuts the file short */
    CHECK_INT(eco_sigbus_guard(read_all, &m, &caught), -1);
    CHECK_INT(caught, 1);
    /* and again: the guard is reusable and the handler restored between */
    CHECK_INT(eco_sigbus_guard(read_all, &m, &caught), -1);
    CHECK_INT(caught, 1);
    munmap(map, 1 << 20);
    close(fd);
}

static void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    fwrite(data, 1, n, f);
    fclose(f);
}

ECO_TEST(elf_check_finds_truncated_and_foreign_files)
{
    char why[256];
    /* This test binary's own libc is a whole shared library for this machine. */
    char libc[4096];
    CHECK_INT(eco_find_library("libc.so.6", libc, sizeof libc), 0);
    CHECK_INT(eco_elf_check(libc, why, sizeof why), 0);
    FILE *f = fopen(libc, "rb");
    CHECK(f != NULL);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    CHECK(n > 4096);
    write_bytes(tmp_path("half.so"), buf, n / 2);
    CHECK_INT(eco_elf_check(tmp_path("half.so"), why, sizeof why), -1);
    CHECK(strstr(why, "truncated") != NULL);
    write_bytes(tmp_path("head.so"), buf, 40);
    CHECK_INT(eco_elf_check(tmp_path("head.so"), why, sizeof why), -1);
    CHECK(strstr(why, "truncated") != NULL);
    write_bytes(tmp_path("text.so"), "not a library at all, only words and more words, to be long enough\n", 68);
    CHECK_INT(eco_elf_check(tmp_path("text.so"), why, sizeof why), -1);
    CHECK(strstr(why, "not an ELF file") != NULL);
    CHECK_INT(eco_elf_check("/dev/zero", why, sizeof why), -1);
    CHECK(strstr(why, "device") != NULL);
}

ECO_TEST(marker_socket_cleanup_follows_no_link)
{
    setenv("TMPDIR", eco_test_tmpdir(), 1);
    const char *victim = tmp_path("victim");
    CHECK_INT(mkdir(victim, 0700), 0);
    char keep[4300], keep2[4300], p[4400];
    snprintf(keep, sizeof keep, "%s/precious", victim);
    snprintf(keep2, sizeof keep2, "%s/markers.sock", victim);
    write_bytes(keep, "x", 1);
    write_bytes(keep2, "x", 1);

    /* Links planted inside the folder: removed, their targets kept. */
    struct eco_marker_socket s;
    struct eco_err e;
    CHECK_INT(eco_marker_socket_open(&s, &e), 0);
    char dir[256];
    snprintf(dir, sizeof dir, "%s", s.dir);
    snprintf(p, sizeof p, "%s/link", dir);
    CHECK_INT(symlink(keep, p), 0);
    snprintf(p, sizeof p, "%s/sub", dir);
    CHECK_INT(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/sub/dirlink", dir);
    CHECK_INT(symlink(victim, p), 0);
    eco_marker_socket_close(&s);
    struct stat st;
    CHECK(lstat(dir, &st) != 0);
    CHECK_INT(stat(keep, &st), 0);

    /* The folder replaced by a link to another folder: nothing there is touched. */
    CHECK_INT(eco_marker_socket_open(&s, &e), 0);
    snprintf(dir, sizeof dir, "%s", s.dir);
    snprintf(p, sizeof p, "%s/markers.sock", dir);
    CHECK_INT(unlink(p), 0);
    CHECK_INT(rmdir(dir), 0);
    CHECK_INT(symlink(victim, dir), 0);
    eco_marker_socket_close(&s);
    CHECK_INT(stat(keep2, &st), 0);
    CHECK_INT(stat(keep, &st), 0);
    unlink(dir);
}
