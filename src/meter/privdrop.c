/* Running the measured command as the user behind sudo (see privdrop.h).
 * The order follows the usual privilege-dropping rules (CERT POS36-C): the
 * supplementary groups first, then the group, then the user, and a check that
 * root cannot be regained. */
#include "meter/privdrop.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/envlist.h"
#include "core/numparse.h"

static struct eco_invoker inv;
static gid_t saved_egid;

const struct eco_invoker *eco_invoker_get(void)
{
    return &inv;
}

/* A decimal id that fits uid_t/gid_t; -1 when it is not one. */
static long long parse_id(const char *s)
{
    uint64_t v; /* (uid_t)-1 means "no change" to setresuid: never an id */
    return eco_num_u64(s, 0, 0xFFFFFFFEull, 0, &v) == ECO_NUM_OK ? (long long)v : -1;
}

static int bad_env(struct eco_err *err, const char *var, const char *val, const char *what)
{
    eco_err_set(err, 2, "%s '%s' %s", var, val, what);
    eco_err_hint(err, "sudo sets it to the id of the user who typed the command; unset it, or pass "
                      "--as-root to run the command as root");
    return -1;
}

int eco_invoker_setup(int as_root, struct eco_err *err)
{
    memset(&inv, 0, sizeof inv);
    const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
    if (as_root || !su || !*su || getuid() != 0 || geteuid() != 0)
        return 0;
    long long uid = parse_id(su);
    if (uid < 0)
        return bad_env(err, "SUDO_UID", su, "is not a user id");
    if (uid == 0)
        return 0; /* sudo from root: nobody to go back to */
    struct passwd *pw = getpwuid((uid_t)uid);
    if (!pw)
        return bad_env(err, "SUDO_UID", su, "names no user of this machine");
    long long gid = sg && *sg ? parse_id(sg) : (long long)pw->pw_gid;
    if (gid < 0)
        return bad_env(err, "SUDO_GID", sg, "is not a group id");
    if (strlen(pw->pw_name) >= sizeof inv.name || strlen(pw->pw_dir) >= sizeof inv.home)
        return bad_env(err, "SUDO_UID", su, "names a user whose name or home is too long");
    inv.uid = (uid_t)uid;
    inv.gid = (gid_t)gid;
    snprintf(inv.name, sizeof inv.name, "%s", pw->pw_name);
    snprintf(inv.home, sizeof inv.home, "%s", pw->pw_dir);
    inv.n_groups = (int)(sizeof inv.groups / sizeof inv.groups[0]);
    if (getgrouplist(inv.name, inv.gid, inv.groups, &inv.n_groups) < 0) {
        eco_err_set(err, 1, "user %s is in more than %zu groups", inv.name,
                    sizeof inv.groups / sizeof inv.groups[0]);
        eco_err_hint(err, "pass --as-root to run the command as root");
        return -1;
    }
    saved_egid = getegid();
    inv.active = 1;
    /* the history and files go to the user's data directory, not root's */
    setenv("HOME", inv.home, 1);
    const char *xdg = getenv("XDG_DATA_HOME");
    struct stat st;
    if (xdg && (stat(xdg, &st) != 0 || st.st_uid != inv.uid))
        unsetenv("XDG_DATA_HOME");
    return 0;
}

int eco_invoker_enter(void)
{
    if (!inv.active)
        return 0;
    if (setegid(inv.gid) != 0)
        return -1;
    if (seteuid(inv.uid) != 0) {
        int e = errno;
        if (setegid(saved_egid) != 0) { /* cannot happen as root; never keep a half state */
            fprintf(stderr, "ecometer: cannot restore the group id: %s\n", strerror(errno));
            abort();
        }
        errno = e;
        return -1;
    }
    return 0;
}

void eco_invoker_leave(void)
{
    if (!inv.active)
        return;
    if (seteuid(0) != 0 || setegid(saved_egid) != 0) {
        fprintf(stderr, "ecometer: cannot take back root after writing as %s: %s\n", inv.name,
                strerror(errno));
        abort();
    }
}

int eco_invoker_chown(const char *path)
{
    if (!inv.active)
        return 0;
    return chown(path, inv.uid, inv.gid);
}

/* env without HOME, USER and LOGNAME, then the user's (three strings in own[]). */
static char **user_env(char **env, char own[3][4200])
{
    static const char *const drop[] = {"HOME", "USER", "LOGNAME", NULL};
    snprintf(own[0], sizeof own[0], "HOME=%s", inv.home);
    snprintf(own[1], sizeof own[1], "USER=%s", inv.name);
    snprintf(own[2], sizeof own[2], "LOGNAME=%s", inv.name);
    char *add[] = {own[0], own[1], own[2], NULL};
    return eco_env_edit(env, drop, add);
}

/* In the forked child: only async-signal-safe calls until exec. */
static void child(char **argv, char **env, const sigset_t *mask, int errfd)
{
    int e = 0;
    if (setgroups((size_t)inv.n_groups, inv.groups) != 0 || setgid(inv.gid) != 0 || setuid(inv.uid) != 0)
        e = errno ? errno : EPERM;
    else if (setuid(0) == 0 || getuid() != inv.uid || geteuid() != inv.uid || getegid() != inv.gid)
        e = EPERM; /* root must be gone for good */
    if (!e) {
        sigprocmask(SIG_SETMASK, mask, NULL);
        execvpe(argv[0], argv, env);
        e = errno;
    }
    ssize_t w = write(errfd, &e, sizeof e);
    (void)w;
    _exit(127);
}

int eco_invoker_spawn(char **argv, char **env, const sigset_t *mask, pid_t *pid)
{
    static char own[3][4200];
    char **uenv = user_env(env, own);
    int fds[2];
    if (!uenv || pipe2(fds, O_CLOEXEC) != 0) {
        int e = uenv ? errno : ENOMEM;
        free(uenv);
        return e;
    }
    pid_t p = fork();
    if (p == 0)
        child(argv, uenv, mask, fds[1]);
    int e = p < 0 ? errno : 0;
    close(fds[1]);
    free(uenv);
    if (p > 0) {
        int ce;
        ssize_t r;
        while ((r = read(fds[0], &ce, sizeof ce)) < 0 && errno == EINTR)
            ;
        if (r == (ssize_t)sizeof ce) { /* the child failed before or at exec */
            while (waitpid(p, NULL, 0) < 0 && errno == EINTR)
                ;
            e = ce;
        } else {
            *pid = p;
        }
    }
    close(fds[0]);
    return e;
}
