/* Helpers shared by the thin subcommand files. */
#ifndef ECO_CLI_H
#define ECO_CLI_H

#include "core/err.h"
#include "core/format.h"

#define ECO_COMMAND(name, fn, summary) int fn(int argc, char **argv);
#include "cli/commands.def"
#undef ECO_COMMAND

/* Print "ecometer: <msg>" and "ecometer: hint: try 'ecometer help CMD'" on
 * stderr; returns ECO_EXIT_USAGE. */
int eco_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True when argv has --help or -h (before a "--"). */
int eco_cli_wants_help(int argc, char **argv);

#endif
