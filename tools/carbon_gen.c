/* carbon_gen: build the carbon-intensity table from data/carbon.tsv at build
 * time, with the same loader the binary uses at run time (eco_carbon_table_build
 * in src/carbon/intensity_load.c: every row checked, sorted by code, cloud
 * regions resolved from their grid row), and print it as C: the built-in table
 * the binary then uses as is, without parsing, sorting or allocating at start
 * (it was three quarters of `ecometer run`'s start-up instructions,
 * docs/PERFORMANCE.md). The TSV stays the single source; a bad row fails the
 * build with the loader's own message. Usage: carbon_gen > carbon_builtin.c */
#include <stdio.h>

#include "carbon/intensity_table.h"

extern const char eco_data_carbon[];
extern const size_t eco_data_carbon_len;

/* A C string literal of s: printable ASCII as is, everything else (UTF-8 bytes,
 * quotes, backslashes, '?' of trigraphs) as three-digit octal escapes. */
static void put_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != '?')
            putchar(*p);
        else
            printf("\\%03o", *p);
    }
    putchar('"');
}

static void put_rows(const struct eco_carbon_table *t)
{
    printf("static struct eco_region rows[%zu] = {\n", t->n);
    for (size_t i = 0; i < t->n; i++) {
        const struct eco_region *r = &t->rows[i];
        printf("    {");
        put_string(r->code);
        printf(", ");
        put_string(r->name);
        printf(", ");
        put_string(r->kind);
        printf(", ");
        put_string(r->grid);
        /* %a: the double exactly as the loader parsed it. */
        printf(", %a, ", r->g_per_kwh);
        put_string(r->source);
        printf(", %d},\n", r->year);
    }
    printf("};\n\n");
}

static void put_links(const struct eco_carbon_table *t)
{
    printf("static const struct eco_region *grid_row[%zu] = {\n", t->n);
    for (size_t i = 0; i < t->n; i++) {
        if (t->grid_row[i])
            printf("    &rows[%zu],\n", (size_t)(t->grid_row[i] - t->rows));
        else
            printf("    NULL,\n");
    }
    printf("};\n\nstatic unsigned char inherited[%zu] = {", t->n);
    for (size_t i = 0; i < t->n; i++)
        printf("%s%d,", i % 32 ? "" : "\n    ", t->inherited[i]);
    printf("\n};\n\n");
}

int main(void)
{
    struct eco_carbon_table *t;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_carbon_table_build(eco_data_carbon, eco_data_carbon_len, "data/carbon.tsv", NULL, &t,
                               &err) != 0) {
        fprintf(stderr, "carbon_gen: %s\n", err.msg);
        if (err.hint[0])
            fprintf(stderr, "carbon_gen: hint: %s\n", err.hint);
        return 1;
    }
    printf("/* generated from data/carbon.tsv by tools/carbon_gen.c; do not edit */\n");
    printf("#include <stddef.h>\n\n#include \"carbon/intensity_table.h\"\n\n");
    put_rows(t);
    put_links(t);
    printf("const struct eco_carbon_table eco_carbon_builtin = {\n    .rows = rows,\n    .n = %zu,\n"
           "    .grid_row = grid_row,\n    .inherited = inherited,\n};\n",
           t->n);
    eco_carbon_table_free(t);
    return ferror(stdout) ? 1 : 0;
}
