#include "core/sigbus_guard.h"

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>

static _Thread_local sigjmp_buf *active;

static void on_sigbus(int sig)
{
    if (active)
        siglongjmp(*active, 1);
    signal(sig, SIG_DFL); /* not ours: the default action, as if never caught */
    raise(sig);
}

int eco_sigbus_guard(int (*fn)(void *), void *arg, int *caught)
{
    struct sigaction sa = {.sa_handler = on_sigbus}, old;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_NODEFER;
    *caught = 0;
    sigaction(SIGBUS, &sa, &old);
    sigjmp_buf jb;
    int rc;
    if (sigsetjmp(jb, 1) == 0) {
        active = &jb;
        rc = fn(arg);
    } else {
        *caught = 1;
        rc = -1;
    }
    active = NULL;
    sigaction(SIGBUS, &old, NULL);
    return rc;
}
