/* Helpers shared by the thin subcommand files. */
#ifndef ECO_CLI_H
#define ECO_CLI_H

#include "core/err.h"
#include "core/format.h"

struct eco_opts_spec;

#define ECO_COMMAND(name, summary) \
    int eco_cmd_##name(int argc, char **argv); \
    extern const struct eco_opts_spec eco_opts_##name;
#include "cli/commands.def"
#undef ECO_COMMAND

/* Print "ecometer: <msg>" and "ecometer: hint: try 'ecometer help CMD'" on
 * stderr; returns ECO_EXIT_USAGE. */
int eco_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The whole command line: `ecometer COMMAND ...`, help and version. */
int eco_cli_main(int argc, char **argv);

#endif
