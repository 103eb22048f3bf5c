/* The command table (src/cli/commands.def), `ecometer help`, `version` and
 * the usage error every command prints. main.c only calls eco_cli_main, so
 * the tests can link every command without a second main(). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/suggest.h"

struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
};

static const struct command commands[] = {
#define ECO_COMMAND(name, summary) {#name, eco_cmd_##name, summary},
#include "cli/commands.def"
#undef ECO_COMMAND
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

int eco_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ecometer: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "ecometer: hint: see 'ecometer help %s'\n", cmd);
    else
        fprintf(stderr, "ecometer: hint: see 'ecometer help'\n");
    return ECO_EXIT_USAGE;
}

static const struct eco_opt no_options[] = {ECO_OPT_END};

const struct eco_opts_spec eco_opts_version = {"version", no_options,
                                               "usage: ecometer version\n\nPrint ecometer's version.\n", NULL};

static int no_words(void *ctx, int id, const char *v)
{
    (void)id;
    return eco_cli_usage_error(ctx, "unexpected argument '%s'", v);
}

int eco_cmd_version(int argc, char **argv)
{
    int rc = eco_opts_parse(&eco_opts_version, argc, argv, no_words, "version", NULL);
    if (rc != ECO_OPTS_GO_ON)
        return rc;
    printf("ecometer %s\n", ECO_VERSION);
    return 0;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: ecometer COMMAND [options]\n\n"
                 "Energy and CO2e of AI training and inference: a priori (model FLOPs),\n"
                 "on the fly (hardware sensors) and a posteriori (runtime and hardware).\n\n"
                 "commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'ecometer help COMMAND' or 'ecometer COMMAND --help' for a command's options.\n"
                 "Common options: --format text|json|csv, --help, --version.\n"
                 "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n");
}

static const struct command *find(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* An unknown command: the closest one when it looks like a typo of it
 * ("exprot", "estmate"), else where the list is. */
static int unknown_command(const char *name)
{
    const char *names[N_COMMANDS + 1];
    for (size_t i = 0; i < N_COMMANDS; i++)
        names[i] = commands[i].name;
    names[N_COMMANDS] = "help";
    const char *near = eco_closest(name, names, N_COMMANDS + 1);
    fprintf(stderr, "ecometer: no command '%s'\n", name);
    if (near)
        fprintf(stderr, "ecometer: hint: did you mean 'ecometer %s'? 'ecometer help' lists the commands\n", near);
    else
        fprintf(stderr, "ecometer: hint: see 'ecometer help' for the commands\n");
    return ECO_EXIT_USAGE;
}

const struct eco_opts_spec eco_opts_help_cmd = {"help", no_options, NULL, usage};

static int help_word(void *ctx, int id, const char *v)
{
    (void)id;
    const struct command **c = ctx;
    if (*c)
        return eco_cli_usage_error("help", "one command at a time, not '%s' too", v);
    if (!(*c = find(v)))
        return unknown_command(v);
    return 0;
}

/* `ecometer help [COMMAND]`. */
static int cmd_help(int argc, char **argv)
{
    const struct command *c = NULL;
    int rc = eco_opts_parse(&eco_opts_help_cmd, argc, argv, help_word, &c, NULL);
    if (rc != ECO_OPTS_GO_ON)
        return rc;
    if (!c) {
        usage(stdout);
        return 0;
    }
    char *hargv[] = {(char *)c->name, "--help", NULL};
    return c->fn(2, hargv);
}

int eco_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return ECO_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
        return eco_cmd_version(1, argv);
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(name, "help") == 0)
        return cmd_help(argc - 1, argv + 1);
    const struct command *c = find(name);
    if (!c)
        return unknown_command(name);
    return c->fn(argc - 1, argv + 1);
}
