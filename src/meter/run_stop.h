/* Fixed-time runs (`ecometer run --for D`): the deadline, the grace before
 * SIGKILL, and the signal to the command's whole process tree. The command's
 * event loop polls eco_run_stop_fd beside its other fds and calls
 * eco_run_stop_fire when it is readable. */
#ifndef ECO_METER_RUN_STOP_H
#define ECO_METER_RUN_STOP_H

#include <sys/types.h>

#include "core/err.h"

/* --grace when not given: long enough for a training script to write its
 * checkpoint after SIGTERM, short beside a --for of minutes. */
#define ECO_RUN_GRACE_DEFAULT_S 10.0

enum eco_run_stop_phase {
    ECO_STOP_RUNNING = 0, /* before the deadline (or no deadline) */
    ECO_STOP_TERM,        /* deadline reached: SIGTERM sent to the tree */
    ECO_STOP_KILL         /* grace over: SIGKILL sent to the tree */
};

struct eco_run_stop {
    int fd;               /* timerfd (CLOCK_MONOTONIC), -1 without --for */
    double for_s, grace_s;
    enum eco_run_stop_phase phase;
    pid_t root;           /* whose descendants are signalled (ecometer itself) */
};

/* Arm the deadline for_s from now (for_s > 0); with for_s == 0 nothing is
 * armed (fd -1). 0, or -1 with err. */
int eco_run_stop_arm(struct eco_run_stop *st, pid_t root, double for_s, double grace_s, struct eco_err *err);
/* The timer fired: the next phase (SIGTERM then SIGKILL to every descendant
 * of root); returns the phase entered, or ECO_STOP_RUNNING if the timer had
 * not really expired. */
enum eco_run_stop_phase eco_run_stop_fire(struct eco_run_stop *st);
void eco_run_stop_close(struct eco_run_stop *st);
/* How the command ended, as the record says it: "exited" (by itself),
 * "stopped" (after SIGTERM), "killed" (after SIGKILL). */
const char *eco_run_stop_end_name(enum eco_run_stop_phase p);

/* Send sig to every live descendant of root (not root itself), read from
 * PROC (normally "/proc"). Returns how many were signalled. A process born
 * between the scan and the signal is caught by the next call (ecometer is a
 * subreaper, so orphans stay its descendants). */
int eco_tree_signal(const char *proc, pid_t root, int sig);

#endif
