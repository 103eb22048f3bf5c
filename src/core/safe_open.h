/* Open a path the user named, safely: never hang on a FIFO or a device, never
 * read a directory. The file is opened with O_NONBLOCK|O_CLOEXEC (a FIFO
 * without a writer then opens at once instead of blocking), its type is
 * checked with fstat before any read, and anything but a regular file is
 * refused with an error that names what the path is. O_NONBLOCK is cleared
 * again on the regular file. */
#ifndef ECO_CORE_SAFE_OPEN_H
#define ECO_CORE_SAFE_OPEN_H

#include <stdio.h>

#include "core/err.h"

/* A word for the type in st_mode: "a directory", "a FIFO (named pipe)"... */
const char *eco_file_type_name(unsigned mode);
/* open(2) with the checks above; `what` names the file in the error
 * ("token file", "--db"). Returns the descriptor or -1 (err set, code 2). */
int eco_open_regular(const char *path, int flags, unsigned mode, const char *what, struct eco_err *err);
/* The same as a stdio stream; mode "r", "w", "a", "r+"... */
FILE *eco_fopen_regular(const char *path, const char *mode, const char *what, struct eco_err *err);
/* For a path another library opens itself (SQLite, dlopen): 0 when it does
 * not exist or is a regular file; else -1
 * with the error. Never opens the path, so never blocks. */
int eco_check_not_special(const char *path, const char *what, struct eco_err *err);

#endif
