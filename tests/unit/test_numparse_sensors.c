/* The kernel-text readers on core/numparse: what each took before that the
 * kernel never writes (a sign, hex, a wrapped negative, text after the
 * number) is refused now, and what the kernel writes still reads. ABI:
 * proc(5) for /proc/stat and /proc/PID/stat, the kernel's
 * Documentation/admin-guide/cgroup-v2.rst for cpu.max, memory.max and
 * cpu.stat, Documentation/power/powercap/powercap.rst for zone names. */
#include <stdint.h>

#include "core/err.h"
#include "meter/pid_stat.h"
#include "sensors/cpu_choice.h"
#include "sensors/cpu_estimate.h"
#include "sensors/cpu_quota.h"
#include "sensors/rapl_zones.h"
#include "test.h"

ECO_TEST(numparse_proc_stat_refuses_a_wrapped_negative)
{
    unsigned long long busy = 0, total = 0;
    CHECK_INT(eco_proc_stat_parse("cpu  10 20 30 40 5 6 7 8 0 0\ncpu0 1 2 3 4\n", &busy, &total), 0);
    CHECK(busy == 10 + 20 + 30 + 6 + 7 + 8 && total == busy + 40 + 5);
    CHECK_INT(eco_proc_stat_parse("cpu  10 20 30 40\n", &busy, &total), 0); /* old kernels: 4 fields */
    /* sscanf's %llu read "-1" as 18446744073709551615 */
    CHECK_INT(eco_proc_stat_parse("cpu  -1 20 30 40\n", &busy, &total), -1);
    CHECK_INT(eco_proc_stat_parse("cpu  10 20 30 99999999999999999999\n", &busy, &total), -1);
    CHECK_INT(eco_proc_stat_parse("cpu  10 20 30\n", &busy, &total), -1);
    CHECK_INT(eco_proc_stat_parse("cpu  10 20 30 4x0\n", &busy, &total), -1);
}

ECO_TEST(numparse_cgroup_files_refuse_signs_and_garbage)
{
    unsigned long long usec = 0;
    CHECK_INT(eco_cpu_stat_usage("usage_usec 123456\nuser_usec 1\n", &usec), 0);
    CHECK(usec == 123456);
    CHECK_INT(eco_cpu_stat_usage("usage_usec -5\n", &usec), -1); /* sscanf: 2^64 - 5 */
    CHECK_INT(eco_cpu_stat_usage("usage_usec 12abc\n", &usec), -1);
    CHECK(eco_cpu_max_parse("max 100000\n") == 0);
    CHECK(eco_cpu_max_parse("150000 100000\n") == 1.5);
    CHECK(eco_cpu_max_parse("150000 100000 junk\n") < 0); /* sscanf stopped before it */
    CHECK(eco_cpu_max_parse("150000 +100000\n") < 0);
    CHECK(eco_cpu_max_parse("150000 0\n") < 0);
    CHECK(eco_memory_max_parse("max\n") == 0);
    CHECK(eco_memory_max_parse("1073741824\n") == 1);
    CHECK(eco_memory_max_parse("0x40000000\n") < 0);
    CHECK_INT(eco_cpu_list_count("0-3,8\n"), 5);
    CHECK_INT(eco_cpu_list_count("0-+3\n"), -1);
}

ECO_TEST(numparse_rapl_zone_names_are_decimal)
{
    int s, d;
    CHECK_INT(rapl_zone_socket("package-1-die-2", &s, &d), 1);
    CHECK(s == 1 && d == 2);
    CHECK_INT(rapl_zone_socket("psys-0", &s, &d), 1);
    CHECK_INT(rapl_zone_socket("package-+1", &s, &d), 0); /* sscanf's %d took "+1" and " 1" */
    CHECK_INT(rapl_zone_socket("package- 1", &s, &d), 0);
    CHECK_INT(rapl_zone_socket("package-1-die-", &s, &d), 0);
}

ECO_TEST(numparse_pid_stat_refuses_a_negative_time)
{
    struct eco_pid_stat st;
    CHECK_INT(eco_pid_stat_parse("5 (x) S 1 5 5 0 -1 0 0 0 0 0 7 8 9 10 20 0\n", &st), 0);
    CHECK(st.utime == 7 && st.cstime == 10);
    CHECK_INT(eco_pid_stat_parse("5 (x) S 1 5 5 0 -1 0 0 0 0 0 -7 8 9 10 20 0\n", &st), -1); /* %llu wrapped it */
    CHECK_INT(eco_pid_stat_parse("5 (x) S -3 5 5 0 -1 0 0 0 0 0 7 8 9 10 20 0\n", &st), -1);
}

ECO_TEST(numparse_cpu_tdp_refuses_hex)
{
    struct eco_err err;
    eco_err_clear(&err);
    CHECK_INT(eco_cpu_choice_apply(NULL, "150 W", &err), 0);
    eco_err_clear(&err);
    CHECK(eco_cpu_choice_apply(NULL, "0x64", &err) != 0); /* strtod read 100 W */
    eco_err_clear(&err);
    CHECK(eco_cpu_choice_apply(NULL, "inf", &err) != 0);
    eco_cpu_choice_reset();
}
