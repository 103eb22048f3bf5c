/* The one reader of /proc/PID/stat (proc(5)): attribution (the process
 * tree's CPU time), the consumers scan of `top` and `serve`, and the stop
 * path's walk of the tree (which skips zombies) use it. */
#ifndef ECO_METER_PID_STAT_H
#define ECO_METER_PID_STAT_H

#include <sys/types.h>

struct eco_pid_stat {
    char comm[128];                  /* between the first '(' and the last ')', cut to fit */
    char state;                      /* R, S, D, Z, ... */
    pid_t ppid;
    unsigned long long utime, stime, cutime, cstime; /* clock ticks */
};

/* "pid (comm) state ppid ... utime(14) stime(15) cutime(16) cstime(17)":
 * comm may hold spaces and parentheses, so the fields are read after the
 * last ')'. 0, or -1 when the text is not such a line. */
int eco_pid_stat_parse(const char *text, struct eco_pid_stat *out);

#endif
