/* Errors are values: a function that can fail returns a status and fills an
 * eco_err with a message a person can act on, plus an optional hint. */
#ifndef ECO_CORE_ERR_H
#define ECO_CORE_ERR_H

#include <stddef.h>

/* Process exit codes shared by every subcommand. */
enum {
    ECO_EXIT_OK = 0,      /* success */
    ECO_EXIT_RUNTIME = 1, /* the work failed (I/O, sensor, child...) */
    ECO_EXIT_USAGE = 2    /* bad usage or bad input */
};

struct eco_err {
    int code;          /* one of ECO_EXIT_*; 0 when no error */
    char msg[768];     /* what happened */
    char hint[512];    /* what to do instead (may be empty) */
};

void eco_err_clear(struct eco_err *e);
/* Set message and exit code; printf-style. Returns -1 so callers can `return eco_err_set(...)`. */
int eco_err_set(struct eco_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void eco_err_hint(struct eco_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "ecometer: msg" and "ecometer: hint: ..." to stderr; returns e->code (or 1). */
int eco_err_print(const struct eco_err *e);

#endif
