/* --cpu NAME and --cpu-tdp W, shared by run, monitor, top, serve and sensors:
 * which CPU the estimate uses when no sensor measures it (a cloud VM that
 * hides its model, a CPU missing from the table). The figures themselves are
 * resolved in src/sensors/cpu_choice.c. */
#ifndef ECO_CLI_CPU_CLI_H
#define ECO_CLI_CPU_CLI_H

/* The usage lines of the two options, for each command's help (descriptions
 * at column 25, or 26 for run and monitor). */
#define ECO_CPU_CLI_USAGE_AT(pad)                                                                \
    "  --cpu NAME             " pad "the CPU to estimate with when none measures it (a table\n" \
    "                         " pad "row, e.g. your instance type's; env ECOMETER_CPU)\n"       \
    "  --cpu-tdp W            " pad "its TDP per socket in watts (env ECOMETER_CPU_TDP)\n"
#define ECO_CPU_CLI_USAGE ECO_CPU_CLI_USAGE_AT("")

/* Record --cpu (name) or --cpu-tdp (tdp) as parsed (NULL leaves it as it
 * was); the options themselves are eco_opt_cpu and eco_opt_cpu_tdp of
 * cli/opts.h. */
void eco_cpu_cli_set(const char *name, const char *tdp);
/* Check the flags (or ECOMETER_CPU / ECOMETER_CPU_TDP) before measuring: 0,
 * or the usage exit code after printing what is wrong. */
int eco_cpu_cli_apply(void);

#endif
