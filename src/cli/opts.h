/* The one option parser of every command. A command declares its options as
 * a table (long name, short alias, metavar when it takes a value, repeatable
 * or not, an id); the options several commands share are declared once below
 * and included in a table by reference (ECO_OPT_USE). One loop parses them all:
 * `--opt VALUE` and `--opt=VALUE`, `--` ends the options, the other words are
 * handed over as positionals; a single option given twice counts once, the
 * last one (scripts put their defaults first), a repeatable one each time; a
 * missing value or an unknown option is a usage error (exit 2) with
 * curl-style text and, for an unknown option, the nearest name of the table.
 * Adding an option is a row here or in the command's table, plus its line in
 * the command's help (tests/unit/test_cli_opts.c checks that the two agree). */
#ifndef ECO_CLI_OPTS_H
#define ECO_CLI_OPTS_H

#include <stdio.h>

/* Ids of the shared options; a command numbers its own from ECO_O_OWN. */
enum eco_opt_id {
    ECO_O_WORD = 0, /* a positional word (not an option) */
    ECO_O_FORMAT,
    ECO_O_REGION,
    ECO_O_CARBON_INTENSITY,
    ECO_O_DB,
    ECO_O_NO_HISTORY,
    ECO_O_INTERVAL,
    ECO_O_DURATION,
    ECO_O_BASELINE,
    ECO_O_JSON,
    ECO_O_QUIET,
    ECO_O_OUTPUT,
    ECO_O_ALL,
    ECO_O_LIMIT,
    ECO_O_TOP,
    ECO_O_CPU,
    ECO_O_CPU_TDP,
    ECO_O_INTENSITY_SERIES, /* run, monitor, serve: carbon intensity over time */
    ECO_O_SERIES_BASIS,
    ECO_O_LIFETIME,         /* embodied emissions: service life (run, monitor, estimate) */
    ECO_O_EMBODIED_SHARE,   /* embodied emissions: share of the devices */
    ECO_O_OWN = 100,
};

/* Given several times, each one reaches the command (--input A --input B);
 * without it only the last one does. */
#define ECO_OPT_REPEAT 1u

struct eco_opt {
    const char *name;    /* "--format" */
    const char *alias;   /* "-o", or NULL */
    const char *metavar; /* "FILE" when it takes a value; NULL for a flag */
    int id;
    unsigned flags;              /* ECO_OPT_REPEAT */
    const struct eco_opt *same;  /* a row that only points to a shared option */
};

/* The shared options, declared once (src/cli/opts.c). */
extern const struct eco_opt eco_opt_format, eco_opt_region, eco_opt_carbon_intensity, eco_opt_db,
    eco_opt_no_history, eco_opt_interval, eco_opt_duration, eco_opt_baseline, eco_opt_json, eco_opt_quiet,
    eco_opt_output, eco_opt_all, eco_opt_limit, eco_opt_top, eco_opt_cpu, eco_opt_cpu_tdp;
/* carbon intensity over time (issue 14): --intensity-series FILE, --series-basis B */
extern const struct eco_opt eco_opt_intensity_series, eco_opt_series_basis;
/* embodied emissions (issue 14): --lifetime D, --embodied-share F */
extern const struct eco_opt eco_opt_lifetime, eco_opt_embodied_share;

/* A row of a command's table that includes a shared option by reference. */
#define ECO_OPT_USE(x) {.same = &eco_opt_##x}
/* The end of a table. */
#define ECO_OPT_END {0}

/* One command's options. */
struct eco_opts_spec {
    const char *cmd;               /* "show": for the messages */
    const struct eco_opt *opts;    /* ends with ECO_OPT_END */
    const char *help;              /* its help, printed for --help or -h ... */
    void (*usage)(FILE *out);      /* ... or printed by this when help is NULL */
};

/* The command's help on out. */
void eco_opts_help(const struct eco_opts_spec *spec, FILE *out);

/* Called for each option in order (value NULL for a flag) and for each
 * positional word (id ECO_O_WORD). Returns 0 to go on, or the exit code
 * after printing what is wrong. */
typedef int (*eco_opt_take)(void *ctx, int id, const char *value);

#define ECO_OPTS_GO_ON (-1)

/* Parse argv[1..argc-1]. --help or -h anywhere among the options prints the
 * help and returns 0. With rest NULL, every word after `--` is positional;
 * with rest given (run: the command to start), parsing stops at `--` or at
 * the first positional word and *rest is the index after it (argc if none).
 * Returns ECO_OPTS_GO_ON, or the exit code (0 after the help, 2 after a
 * usage error, or what `take` returned). */
int eco_opts_parse(const struct eco_opts_spec *spec, int argc, char **argv, eco_opt_take take, void *ctx,
                   int *rest);

/* The row a table entry stands for (the shared option for ECO_OPT_USE). */
const struct eco_opt *eco_opt_row(const struct eco_opt *entry);

/* The table's option nearest to `given` ("--foramt" -> "--format"): a name
 * it is the start of, else one within a small edit distance; NULL if none. */
const char *eco_opts_suggest(const struct eco_opt *opts, const char *given);

#endif
