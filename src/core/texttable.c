#include "core/texttable.h"

#include <stdlib.h>
#include <string.h>

struct eco_table {
    int n_cols;
    char **headers;
    int *right;
    char ***rows;
    size_t n_rows, cap;
};

static char *dup(const char *s)
{
    return strdup(s ? s : "");
}

struct eco_table *eco_table_new(int n_cols, const char *const *headers)
{
    struct eco_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->n_cols = n_cols;
    t->headers = calloc((size_t)n_cols, sizeof(char *));
    t->right = calloc((size_t)n_cols, sizeof(int));
    for (int i = 0; i < n_cols; i++) {
        const char *h = headers[i];
        if (h[0] == '>') {
            t->right[i] = 1;
            h++;
        }
        t->headers[i] = dup(h);
    }
    return t;
}

void eco_table_row(struct eco_table *t, const char *const *cells)
{
    if (!t)
        return;
    if (t->n_rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char ***r = realloc(t->rows, cap * sizeof *r);
        if (!r)
            return;
        t->rows = r;
        t->cap = cap;
    }
    char **row = calloc((size_t)t->n_cols, sizeof(char *));
    if (!row)
        return;
    for (int i = 0; i < t->n_cols; i++)
        row[i] = dup(cells[i]);
    t->rows[t->n_rows++] = row;
}

/* Display width of UTF-8 text: count code points, not bytes. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

static void cell(FILE *out, const char *s, size_t w, int right, int last)
{
    size_t pad = w - width(s);
    if (right)
        fprintf(out, "%*s%s", (int)pad, "", s);
    else if (last)
        fputs(s, out);
    else
        fprintf(out, "%s%*s", s, (int)pad, "");
}

void eco_table_print(const struct eco_table *t, FILE *out)
{
    if (!t)
        return;
    size_t *w = calloc((size_t)t->n_cols, sizeof *w);
    if (!w)
        return;
    for (int i = 0; i < t->n_cols; i++) {
        w[i] = width(t->headers[i]);
        for (size_t r = 0; r < t->n_rows; r++)
            if (width(t->rows[r][i]) > w[i])
                w[i] = width(t->rows[r][i]);
    }
    for (int i = 0; i < t->n_cols; i++) {
        cell(out, t->headers[i], w[i], t->right[i], i == t->n_cols - 1);
        fputs(i == t->n_cols - 1 ? "\n" : "  ", out);
    }
    for (int i = 0; i < t->n_cols; i++) {
        for (size_t k = 0; k < w[i]; k++)
            fputc('-', out);
        fputs(i == t->n_cols - 1 ? "\n" : "  ", out);
    }
    for (size_t r = 0; r < t->n_rows; r++)
        for (int i = 0; i < t->n_cols; i++) {
            cell(out, t->rows[r][i], w[i], t->right[i], i == t->n_cols - 1);
            fputs(i == t->n_cols - 1 ? "\n" : "  ", out);
        }
    free(w);
}

void eco_table_free(struct eco_table *t)
{
    if (!t)
        return;
    for (size_t r = 0; r < t->n_rows; r++) {
        for (int i = 0; i < t->n_cols; i++)
            free(t->rows[r][i]);
        free(t->rows[r]);
    }
    for (int i = 0; i < t->n_cols; i++)
        free(t->headers[i]);
    free(t->headers);
    free(t->right);
    free(t->rows);
    free(t);
}
