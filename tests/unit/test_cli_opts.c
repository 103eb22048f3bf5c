/* The one option parser (src/cli/opts.c) and every command's table against
 * its help: an option in the table that the help does not name, or an
 * option the help lists that the table does not hold, fails here, so the help
 * and the parser cannot drift apart. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "test.h"

/* ---- the parser on a small table ------------------------------------------ */

enum { T_NAME = ECO_O_OWN, T_FLAG, T_IN };
static const struct eco_opt t_opts[] = {
    ECO_OPT_USE(format),
    ECO_OPT_USE(output),
    {"--name", NULL, "NAME", T_NAME, 0, NULL},
    {"--flag", NULL, NULL, T_FLAG, 0, NULL},
    {"--in", NULL, "K=V", T_IN, ECO_OPT_REPEAT, NULL},
    ECO_OPT_END,
};
static int helped;
static void t_usage(FILE *out)
{
    (void)out;
    helped++;
}
static const struct eco_opts_spec t_spec = {"test", t_opts, NULL, t_usage};

/* What the parser handed over, in order: "id=value" joined by spaces. */
struct got {
    char log[512];
};

static int t_take(void *ctx, int id, const char *v)
{
    struct got *g = ctx;
    size_t n = strlen(g->log);
    snprintf(g->log + n, sizeof g->log - n, "%s%d=%s", n ? " " : "", id, v ? v : "-");
    return 0;
}

/* Parse a NULL-terminated list; the return code, and the log in g. */
static int parse(struct got *g, int *rest, const char **words)
{
    char *argv[32] = {"test"};
    int argc = 1;
    while (*words)
        argv[argc++] = (char *)*words++;
    memset(g, 0, sizeof *g);
    return eco_opts_parse(&t_spec, argc, argv, t_take, g, rest);
}
#define PARSE(g, rest, ...) parse(g, rest, (const char *[]){__VA_ARGS__, NULL})

ECO_TEST(cli_opts_values_separate_and_attached)
{
    struct got g;
    CHECK_INT(PARSE(&g, NULL, "--format", "json", "--name=a=b", "-o", "out", "word", "--flag"), ECO_OPTS_GO_ON);
    char want[128];
    snprintf(want, sizeof want, "%d=json %d=a=b %d=out %d=word %d=-", ECO_O_FORMAT, T_NAME, ECO_O_OUTPUT, ECO_O_WORD,
             T_FLAG);
    CHECK_STR(g.log, want);
    /* an empty attached value is a value, and a value may start with '-' */
    CHECK_INT(PARSE(&g, NULL, "--name=", "--format", "-x"), ECO_OPTS_GO_ON);
    snprintf(want, sizeof want, "%d= %d=-x", T_NAME, ECO_O_FORMAT);
    CHECK_STR(g.log, want);
}

ECO_TEST(cli_opts_double_dash_ends_options)
{
    struct got g;
    CHECK_INT(PARSE(&g, NULL, "a", "--", "--flag", "-o"), ECO_OPTS_GO_ON);
    CHECK_STR(g.log, "0=a 0=--flag 0=-o");
    /* with rest (run): stop at "--" or at the first word, options before it only */
    int rest = -1;
    CHECK_INT(PARSE(&g, &rest, "--flag", "--", "cmd", "--flag"), ECO_OPTS_GO_ON);
    CHECK_INT(rest, 3);
    char want[64];
    snprintf(want, sizeof want, "%d=-", T_FLAG);
    CHECK_STR(g.log, want);
    CHECK_INT(PARSE(&g, &rest, "--name", "x", "cmd", "--help"), ECO_OPTS_GO_ON);
    CHECK_INT(rest, 3);
    CHECK_INT(PARSE(&g, &rest, "--flag"), ECO_OPTS_GO_ON);
    CHECK_INT(rest, 2); /* argc: no command */
}

ECO_TEST(cli_opts_usage_errors_exit_2)
{
    struct got g;
    CHECK_INT(PARSE(&g, NULL, "--name"), ECO_EXIT_USAGE);           /* missing value */
    CHECK_INT(PARSE(&g, NULL, "--flag=1"), ECO_EXIT_USAGE);         /* a flag takes none */
    CHECK_INT(PARSE(&g, NULL, "--nmae", "x"), ECO_EXIT_USAGE);      /* unknown */
    CHECK_INT(PARSE(&g, NULL, "-z"), ECO_EXIT_USAGE);               /* unknown short one */
    CHECK_INT(PARSE(&g, NULL, "--names", "x"), ECO_EXIT_USAGE);     /* no abbreviation or extension */
    CHECK_STR(g.log, "");
    char want[64];
    /* a single option given again: the last one counts, once */
    CHECK_INT(PARSE(&g, NULL, "--format=a", "w", "--flag", "--format", "b", "--flag"), ECO_OPTS_GO_ON);
    snprintf(want, sizeof want, "%d=w %d=b %d=-", ECO_O_WORD, ECO_O_FORMAT, T_FLAG);
    CHECK_STR(g.log, want);
    /* a repeatable option reaches the command each time */
    CHECK_INT(PARSE(&g, NULL, "--in", "a=1", "--in=b=2"), ECO_OPTS_GO_ON);
    snprintf(want, sizeof want, "%d=a=1 %d=b=2", T_IN, T_IN);
    CHECK_STR(g.log, want);
}

static int refuse(void *ctx, int id, const char *v)
{
    (void)ctx, (void)v;
    return id == T_FLAG ? 7 : 0;
}

ECO_TEST(cli_opts_command_verdict_and_help)
{
    char *argv[] = {"test", "--name", "x", "--flag", "--name", "y", NULL};
    CHECK_INT(eco_opts_parse(&t_spec, 6, argv, refuse, NULL, NULL), 7); /* stops at the first refusal */
    helped = 0;
    char *help[] = {"test", "--bogus", "-h", NULL}; /* help wins over an unknown option */
    CHECK_INT(eco_opts_parse(&t_spec, 3, help, refuse, NULL, NULL), 0);
    CHECK_INT(helped, 1);
    char *not_help[] = {"test", "--name", "--help", NULL}; /* the value of --name */
    struct got g;
    memset(&g, 0, sizeof g);
    CHECK_INT(eco_opts_parse(&t_spec, 3, not_help, t_take, &g, NULL), ECO_OPTS_GO_ON);
    char *after[] = {"test", "--", "--help", NULL};
    CHECK_INT(eco_opts_parse(&t_spec, 3, after, t_take, &g, NULL), ECO_OPTS_GO_ON);
    CHECK_INT(helped, 1);
}

ECO_TEST(cli_opts_did_you_mean)
{
    CHECK_STR(eco_opts_suggest(t_opts, "--foramt"), "--format");
    CHECK_STR(eco_opts_suggest(t_opts, "--nmae=x"), "--name");
    CHECK_STR(eco_opts_suggest(t_opts, "--outptu"), "--output");
    CHECK_STR(eco_opts_suggest(t_opts, "--fla"), "--flag"); /* the start of one name */
    CHECK(eco_opts_suggest(t_opts, "--completely-else") == NULL);
    CHECK(eco_opts_suggest(t_opts, "-z") == NULL);
}

/* ---- every command: table against help ------------------------------------ */

static const struct {
    const char *name;
    const struct eco_opts_spec *spec;
} commands[] = {
#define ECO_COMMAND(name, summary) {#name, &eco_opts_##name},
#include "cli/commands.def"
#undef ECO_COMMAND
};

static char *help_of(const struct eco_opts_spec *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(f != NULL);
    eco_opts_help(s, f);
    fclose(f);
    return buf;
}

/* `name` appears in text as a whole option (not the start of a longer one). */
static int names(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
        int before_ok = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '-');
        int after_ok = !(isalnum((unsigned char)p[n]) || p[n] == '-');
        if (before_ok && after_ok)
            return 1;
    }
    return 0;
}

static int in_table(const struct eco_opt *opts, const char *name)
{
    for (int k = 0; opts[k].name || opts[k].same; k++) {
        const struct eco_opt *o = eco_opt_row(&opts[k]);
        if (strcmp(o->name, name) == 0 || (o->alias && strcmp(o->alias, name) == 0))
            return 1;
    }
    return strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0;
}

/* Each "-x"/"--word" token of text[0..len) must be in the table. */
static void check_tokens(const char *cmd, const struct eco_opt *opts, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '-' || (i > 0 && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '-')))
            continue;
        char word[64];
        size_t w = 0;
        while (i + w < len && w < sizeof word - 1 && (isalnum((unsigned char)text[i + w]) || text[i + w] == '-'))
            w++;
        memcpy(word, text + i, w);
        word[w] = 0;
        if (w > 1 && strcmp(word, "--") != 0 && !in_table(opts, word))
            eco_test_fail(__FILE__, __LINE__, "'ecometer help %s' lists %s, which its option table lacks", cmd, word);
        i += w;
    }
}

/* The options a help lists: all those of its usage lines (up to the first
 * blank line), and on an option line ("  --db FILE   the history...", "  -o,
 * --output F", "  --region CODE | --carbon-intensity G") those before its
 * description (two spaces); not those the prose mentions. */
static void check_listed(const char *cmd, const struct eco_opt *opts, const char *help)
{
    int usage_block = 1;
    for (const char *line = help; *line;) {
        size_t len = strcspn(line, "\n");
        size_t lead = strspn(line, " ");
        if (lead >= len)
            usage_block = 0;
        if (usage_block) {
            check_tokens(cmd, opts, line, len);
        } else if (lead > 0 && line[lead] == '-') {
            const char *desc = strstr(line + lead, "  ");
            size_t upto = desc && desc < line + len ? (size_t)(desc - line) : len;
            check_tokens(cmd, opts, line, upto);
        }
        line += len + (line[len] == '\n');
    }
}

ECO_TEST(cli_opts_every_command_table_matches_its_help)
{
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
        const struct eco_opts_spec *s = commands[c].spec;
        CHECK_STR(s->cmd, commands[c].name);
        char *help = help_of(s);
        CHECK(help && strlen(help) > 20);
        int rows = 0;
        for (int k = 0; s->opts[k].name || s->opts[k].same; k++, rows++) {
            const struct eco_opt *o = eco_opt_row(&s->opts[k]);
            CHECK(o->name && o->name[0] == '-' && o->name[1] == '-');
            CHECK(o->id != ECO_O_WORD);
            if (!names(help, o->name))
                eco_test_fail(__FILE__, __LINE__, "'ecometer help %s' does not mention %s, which it accepts",
                              s->cmd, o->name);
            if (o->alias && !names(help, o->alias))
                eco_test_fail(__FILE__, __LINE__, "'ecometer help %s' does not mention %s (%s)", s->cmd,
                              o->alias, o->name);
            for (int j = 0; j < k; j++)
                CHECK(strcmp(eco_opt_row(&s->opts[j])->name, o->name) != 0 &&
                      eco_opt_row(&s->opts[j])->id != o->id);
        }
        CHECK(rows < 64);
        check_listed(s->cmd, s->opts, help);
        free(help);
    }
}
