/* `ecometer serve` and `ecometer top` in the main binary: they hand over to
 * ecometer-full, the same command set linked with libmicrohttpd (and through
 * it gnutls) and ncursesw. The main binary links neither, so every other
 * command starts without loading them (docs/PERFORMANCE.md, "Start-up").
 *
 * ecometer-full is looked for, in order:
 *   1. beside this executable (the build tree: build/ecometer-full);
 *   2. ../libexec/ecometer/ beside this executable's directory (an installed
 *      tree, wherever PREFIX put it: the install is relocatable);
 *   3. ECO_LIBEXECDIR, the directory `make install` was configured with.
 * The arguments are passed on unchanged (no shell). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef ECO_LIBEXECDIR
#define ECO_LIBEXECDIR "/usr/local/libexec/ecometer"
#endif
#define HELPER "ecometer-full"

/* The directory of the running executable, or "" if /proc is not there. */
static void self_dir(char *dir, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", dir, len - 1);
    if (n <= 0) {
        dir[0] = 0;
        return;
    }
    dir[n] = 0;
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        dir[0] = 0;
}

static int exec_helper(int argc, char **argv)
{
    char dir[PATH_MAX], cand[3][PATH_MAX + 64];
    self_dir(dir, sizeof dir);
    int n = 0;
    if (dir[0]) {
        snprintf(cand[n++], sizeof cand[0], "%s/%s", dir, HELPER);
        snprintf(cand[n++], sizeof cand[0], "%s/../libexec/ecometer/%s", dir, HELPER);
    }
    snprintf(cand[n++], sizeof cand[0], "%s/%s", ECO_LIBEXECDIR, HELPER);

    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (!args) {
        fprintf(stderr, "ecometer: out of memory\n");
        return ECO_EXIT_RUNTIME;
    }
    for (int i = 0; i < argc; i++)
        args[i + 1] = argv[i];
    for (int i = 0; i < n; i++) {
        if (access(cand[i], X_OK) != 0)
            continue;
        args[0] = cand[i];
        execv(cand[i], args);
        fprintf(stderr, "ecometer: cannot start %s: %s\n", cand[i], strerror(errno));
        free(args);
        return ECO_EXIT_RUNTIME;
    }
    free(args);
    fprintf(stderr, "ecometer: '%s' needs %s, which is not installed (looked in %s and %s)\n",
            argv[0], HELPER, dir[0] ? dir : "(this binary's directory)", ECO_LIBEXECDIR);
    fprintf(stderr, "ecometer: hint: reinstall ecometer ('make install' installs it to "
                    "LIBEXECDIR/ecometer/)\n");
    return ECO_EXIT_RUNTIME;
}

int eco_cmd_serve(int argc, char **argv)
{
    return exec_helper(argc, argv);
}

int eco_cmd_top(int argc, char **argv)
{
    return exec_helper(argc, argv);
}
