#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void eco_err_clear(struct eco_err *e)
{
    if (!e)
        return;
    e->code = 0;
    e->msg[0] = 0;
    e->hint[0] = 0;
}

int eco_err_set(struct eco_err *e, int code, const char *fmt, ...)
{
    if (!e)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->code = code;
    e->hint[0] = 0;
    return -1;
}

void eco_err_hint(struct eco_err *e, const char *fmt, ...)
{
    if (!e)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->hint, sizeof e->hint, fmt, ap);
    va_end(ap);
}

int eco_err_print(const struct eco_err *e)
{
    fprintf(stderr, "ecometer: %s\n", e->msg[0] ? e->msg : "unknown error");
    if (e->hint[0])
        fprintf(stderr, "ecometer: hint: %s\n", e->hint);
    return e->code ? e->code : ECO_EXIT_RUNTIME;
}
