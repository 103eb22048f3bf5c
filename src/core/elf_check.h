/* Is a shared library whole before dlopen maps it? dlopen of a truncated
 * library dies of SIGBUS when it touches a segment past the end of the file,
 * and of a non-ELF file fails with a bare message. eco_elf_check reads the
 * ELF header and the program and section header tables with pread (never
 * mapping the file) and checks that they, and every loadable segment, lie
 * inside the file, and that the library is for this machine. */
#ifndef ECO_CORE_ELF_CHECK_H
#define ECO_CORE_ELF_CHECK_H

#include <stddef.h>

/* 0 when path is a whole shared library for this machine, -1 with why
 * ("not an ELF file", "truncated: ...", "a FIFO (named pipe)"...). */
int eco_elf_check(const char *path, char *why, size_t len);
/* Where the dynamic loader would find a bare library name ("libnvidia-ml.so.1"):
 * LD_LIBRARY_PATH, the folders of /etc/ld.so.conf.d/ *.conf, then the system
 * folders. 0 and the path in out, or -1 when none holds it (then only dlopen
 * can tell, through ld.so.cache). */
int eco_find_library(const char *name, char *out, size_t len);

#endif
