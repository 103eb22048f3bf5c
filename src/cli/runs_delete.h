/* `ecometer runs delete RUN...` and `ecometer runs prune --older-than D`
 * (argv[0] = "delete" / "prune"); usage in cmd_runs.c. */
#ifndef ECO_CLI_RUNS_DELETE_H
#define ECO_CLI_RUNS_DELETE_H

int eco_runs_delete(int argc, char **argv);
int eco_runs_prune(int argc, char **argv);

#endif
