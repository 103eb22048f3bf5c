/* Parsing /proc/PID/stat (see pid_stat.h). */
#include "meter/pid_stat.h"

#include <string.h>

#include "core/numparse.h"

int eco_pid_stat_parse(const char *text, struct eco_pid_stat *out)
{
    const char *open = strchr(text, '('), *close = strrchr(text, ')');
    if (!open || !close || close < open || close[1] != ' ')
        return -1;
    /* fields 3..17: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime;
     * tpgid is -1 without a terminal, the others are >= 0 */
    char state = close[2];
    const char *p = close + 3;
    int64_t f[14];
    if (!state || *p != ' ')
        return -1;
    for (int i = 0; i < 14; i++) {
        p++;
        if (eco_num_next_i64(&p, i == 4 ? -1 : 0, INT64_MAX, &f[i]) != ECO_NUM_OK || (*p != ' ' && *p && *p != '\n'))
            return -1;
        if (i < 13 && *p != ' ')
            return -1;
    }
    int64_t ppid = f[0];
    out->utime = (unsigned long long)f[10];
    out->stime = (unsigned long long)f[11];
    out->cutime = (unsigned long long)f[12];
    out->cstime = (unsigned long long)f[13];
    size_t n = (size_t)(close - open - 1);
    if (n >= sizeof out->comm)
        n = sizeof out->comm - 1;
    memcpy(out->comm, open + 1, n);
    out->comm[n] = '\0';
    out->ppid = (pid_t)ppid;
    out->state = state;
    return 0;
}
