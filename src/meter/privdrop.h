/* `sudo ecometer run -- CMD`: the command runs as the user who typed sudo
 * (SUDO_UID, SUDO_GID, their supplementary groups, HOME), and the run's files
 * (history, JSON) are theirs; only the sampler keeps root, to read RAPL.
 * `--as-root` opts out. One invoking user per process (a global state). */
#ifndef ECO_METER_PRIVDROP_H
#define ECO_METER_PRIVDROP_H

#include <signal.h>
#include <sys/types.h>

#include "core/err.h"

struct eco_invoker {
    int active;            /* root through sudo, and the command is to run as the user */
    uid_t uid;
    gid_t gid;
    char name[64];         /* the user's login name (for their groups) */
    char home[4096];       /* their home directory (passwd) */
    gid_t groups[256];     /* their supplementary groups (getgrouplist) */
    int n_groups;
};

/* Decide once: active when the real and effective user are root, SUDO_UID
 * names another user and as_root is 0. Then HOME becomes the user's home and
 * an XDG_DATA_HOME that is not theirs is dropped, so the history goes to their
 * data directory. 0 (active or not), or -1 with err (code 2) when SUDO_UID or
 * SUDO_GID is malformed or names no user. */
int eco_invoker_setup(int as_root, struct eco_err *err);
/* The state eco_invoker_setup decided (inactive before it). */
const struct eco_invoker *eco_invoker_get(void);

/* Create files as the user: effective group and user become theirs until
 * eco_invoker_leave (both no-ops when inactive). 0, or -1 (errno set). */
int eco_invoker_enter(void);
void eco_invoker_leave(void);
/* Give a path ecometer created (the marker socket and its folder) to the user. */
int eco_invoker_chown(const char *path);

/* Start argv as the user: fork, then setgroups, setgid, setuid (checked:
 * root cannot be taken back), the signal mask, and execvp with env in which
 * HOME, USER and LOGNAME are the user's. 0 with *pid, or the errno of the
 * step that failed (exec failures too, like posix_spawnp). */
int eco_invoker_spawn(char **argv, char **env, const sigset_t *mask, pid_t *pid);

#endif
