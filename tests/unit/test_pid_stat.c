/* The one /proc/PID/stat reader (src/meter/pid_stat.c), on lines written as
 * proc(5) describes them, and on this process's own line. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "meter/pid_stat.h"
#include "test.h"

ECO_TEST(pid_stat_fields_after_the_last_paren)
{
    struct eco_pid_stat s;
    /* comm with spaces and parentheses; utime 14, stime 15, cutime 16, cstime 17 */
    const char *line = "4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 30 7 3 20 0 1 0 5 1 1\n";
    CHECK(eco_pid_stat_parse(line, &s) == 0);
    CHECK_STR(s.comm, "my (odd) name");
    CHECK_INT(s.ppid, 17);
    CHECK_INT(s.state, 'S');
    CHECK(s.utime == 250 && s.stime == 30 && s.cutime == 7 && s.cstime == 3);
    CHECK(eco_pid_stat_parse("4242 (x) S 1", &s) == -1);      /* cut short */
    CHECK(eco_pid_stat_parse("no parens at all", &s) == -1);
    CHECK(eco_pid_stat_parse("1 (a)", &s) == -1);               /* nothing after the name */
    CHECK(eco_pid_stat_parse(") 1 (", &s) == -1);               /* close before open */
}

ECO_TEST(pid_stat_reads_this_process)
{
    char buf[1024];
    FILE *f = fopen("/proc/self/stat", "r");
    CHECK(f != NULL);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    struct eco_pid_stat s;
    CHECK(eco_pid_stat_parse(buf, &s) == 0);
    CHECK_INT(s.ppid, getppid());
    CHECK_INT(s.state, 'R'); /* reading its own stat, the process is running */
}

ECO_TEST(pid_stat_zombie_state)
{
    struct eco_pid_stat s; /* a zombie's line as the kernel writes it: times frozen, state Z */
    CHECK(eco_pid_stat_parse("77 (defunct) Z 1 77 77 0 -1 4227084 0 0 0 0 5 1 0 0 20 0 1 0 9 0 0\n", &s) == 0);
    CHECK_INT(s.state, 'Z');
    CHECK_INT(s.ppid, 1);
}
