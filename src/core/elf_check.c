#include "core/elf_check.h"

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/safe_open.h"

#if defined(__x86_64__)
#define ECO_ELF_MACHINE EM_X86_64
#define ECO_MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define ECO_ELF_MACHINE EM_AARCH64
#define ECO_MULTIARCH "aarch64-linux-gnu"
#else
#define ECO_ELF_MACHINE EM_NONE /* not checked */
#define ECO_MULTIARCH ""
#endif

typedef Elf64_Ehdr ehdr_t;
typedef Elf64_Phdr phdr_t;

static int fits(unsigned long long off, unsigned long long n, unsigned long long size)
{
    return off <= size && n <= size - off;
}

static int check_header(const ehdr_t *h, unsigned long long size, char *why, size_t len)
{
    if (memcmp(h->e_ident, ELFMAG, SELFMAG) != 0)
        return snprintf(why, len, "not an ELF file (no \\\\x7fELF at byte 0)"), -1;
    if (h->e_ident[EI_CLASS] != ELFCLASS64 || h->e_ident[EI_DATA] != ELFDATA2LSB)
        return snprintf(why, len, "not a 64-bit little-endian ELF file"), -1;
    if (h->e_type != ET_DYN)
        return snprintf(why, len, "not a shared library (ELF type %u)", (unsigned)h->e_type), -1;
    if (ECO_ELF_MACHINE != EM_NONE && h->e_machine != ECO_ELF_MACHINE)
        return snprintf(why, len, "built for another processor (ELF machine %u)", (unsigned)h->e_machine), -1;
    if (h->e_phentsize != sizeof(phdr_t) || h->e_phnum == 0 || h->e_phnum > 4096 ||
        !fits(h->e_phoff, (unsigned long long)h->e_phnum * sizeof(phdr_t), size))
        return snprintf(why, len, "truncated or damaged: its program headers lie outside its %llu bytes", size),
               -1;
    if (h->e_shoff && !fits(h->e_shoff, (unsigned long long)h->e_shnum * h->e_shentsize, size))
        return snprintf(why, len, "truncated: its section headers end past its %llu bytes", size), -1;
    return 0;
}

int eco_elf_check(const char *path, char *why, size_t len)
{
    struct eco_err err;
    int fd = eco_open_regular(path, O_RDONLY, 0, "library", &err);
    if (fd < 0)
        return snprintf(why, len, "%s", err.msg), -1;
    struct stat st;
    ehdr_t h;
    int rc = -1;
    if (fstat(fd, &st) != 0 || pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
        snprintf(why, len, "truncated: %lld bytes, shorter than an ELF header", (long long)st.st_size);
        goto out;
    }
    unsigned long long size = (unsigned long long)st.st_size;
    if (check_header(&h, size, why, len) != 0)
        goto out;
    for (unsigned i = 0; i < h.e_phnum; i++) {
        phdr_t p;
        if (pread(fd, &p, sizeof p, (off_t)(h.e_phoff + (unsigned long long)i * sizeof p)) != (ssize_t)sizeof p) {
            snprintf(why, len, "cannot read program header %u", i);
            goto out;
        }
        if (p.p_type == PT_LOAD && !fits(p.p_offset, p.p_filesz, size)) {
            snprintf(why, len, "truncated: a loadable segment ends at byte %llu, the file has %llu",
                     (unsigned long long)(p.p_offset + p.p_filesz), size);
            goto out;
        }
    }
    rc = 0;
out:
    close(fd);
    return rc;
}

/* A library the loader would skip: an ELF file of another class or
 * processor (the 32-bit one in /lib32, say). */
static int other_machine(const char *path)
{
    struct eco_err err;
    int fd = eco_open_regular(path, O_RDONLY, 0, "library", &err);
    ehdr_t h;
    int other = fd >= 0 && pread(fd, &h, sizeof h, 0) == (ssize_t)sizeof h &&
                memcmp(h.e_ident, ELFMAG, SELFMAG) == 0 &&
                (h.e_ident[EI_CLASS] != ELFCLASS64 ||
                 (ECO_ELF_MACHINE != EM_NONE && h.e_machine != ECO_ELF_MACHINE));
    if (fd >= 0)
        close(fd);
    return other;
}

static int try_dir(const char *dir, size_t dlen, const char *name, char *out, size_t len)
{
    if (dlen == 0 || dir[0] != '/')
        return -1;
    int n = snprintf(out, len, "%.*s/%s", (int)dlen, dir, name);
    struct stat st;
    return n > 0 && (size_t)n < len && stat(out, &st) == 0 && !other_machine(out) ? 0 : -1;
}

/* Folders named in /etc/ld.so.conf.d/ *.conf (one absolute path a line). */
static int try_conf_dirs(const char *name, char *out, size_t len)
{
    DIR *d = opendir("/etc/ld.so.conf.d");
    struct dirent *de;
    int found = -1;
    while (d && found != 0 && (de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        if (nl < 6 || strcmp(de->d_name + nl - 5, ".conf") != 0)
            continue;
        char path[PATH_MAX], line[PATH_MAX];
        snprintf(path, sizeof path, "/etc/ld.so.conf.d/%s", de->d_name);
        struct eco_err ignore;
        FILE *f = eco_fopen_regular(path, "r", "conf", &ignore);
        while (f && found != 0 && fgets(line, sizeof line, f)) {
            line[strcspn(line, " \t\r\n#")] = 0;
            found = try_dir(line, strlen(line), name, out, len);
        }
        if (f)
            fclose(f);
    }
    if (d)
        closedir(d);
    return found;
}

int eco_find_library(const char *name, char *out, size_t len)
{
    const char *lp = getenv("LD_LIBRARY_PATH");
    for (const char *p = lp; p && *p;) {
        size_t n = strcspn(p, ":;");
        if (try_dir(p, n, name, out, len) == 0)
            return 0;
        p += n + (p[n] != 0);
    }
    if (try_conf_dirs(name, out, len) == 0)
        return 0;
    static const char *const sys[] = {"/lib/" ECO_MULTIARCH, "/usr/lib/" ECO_MULTIARCH, "/lib64", "/usr/lib64",
                                      "/lib", "/usr/lib"};
    for (size_t i = 0; i < sizeof sys / sizeof sys[0]; i++)
        if (try_dir(sys[i], strlen(sys[i]), name, out, len) == 0)
            return 0;
    return -1;
}
