/* Parsing /proc/PID/stat (see pid_stat.h). */
#include "meter/pid_stat.h"

#include <stdio.h>
#include <string.h>

int eco_pid_stat_parse(const char *text, struct eco_pid_stat *out)
{
    const char *open = strchr(text, '('), *close = strrchr(text, ')');
    if (!open || !close || close < open || close[1] != ' ')
        return -1;
    long ppid;
    char state;
    /* fields 3..17: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime */
    if (sscanf(close + 2, "%c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu", &state, &ppid, &out->utime,
               &out->stime, &out->cutime, &out->cstime) != 6)
        return -1;
    size_t n = (size_t)(close - open - 1);
    if (n >= sizeof out->comm)
        n = sizeof out->comm - 1;
    memcpy(out->comm, open + 1, n);
    out->comm[n] = '\0';
    out->ppid = (pid_t)ppid;
    out->state = state;
    return 0;
}
