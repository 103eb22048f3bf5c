#include "core/tsv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/safe_open.h"

#define ECO_TSV_MAX_BYTES (64u << 20) /* user override files larger than this are refused */

void eco_tsv_free(struct eco_tsv *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_rows; i++)
        free(t->rows[i]);
    free(t->rows);
    free(t->header);
    free(t->line_of);
    free(t->buf);
    memset(t, 0, sizeof *t);
}

/* Split one line (NUL-terminated, in place) on tabs into at most max fields. */
static size_t split(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        if (n < max)
            fields[n] = p;
        n++;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = 0;
        p = tab + 1;
    }
    return n;
}

int eco_tsv_parse(const char *text, size_t len, const char *origin, struct eco_tsv *out,
                  struct eco_err *err)
{
    memset(out, 0, sizeof *out);
    out->buf = malloc(len + 1);
    if (!out->buf)
        return eco_err_set(err, 1, "%s: out of memory", origin);
    memcpy(out->buf, text, len);
    out->buf[len] = 0;
    if (memchr(out->buf, 0, len)) {
        eco_tsv_free(out);
        return eco_err_set(err, 2, "%s: contains a NUL byte; not a text table", origin);
    }
    size_t cap = 0;
    size_t lineno = 0;
    char *p = out->buf;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        lineno++;
        size_t l = strlen(p);
        if (l && p[l - 1] == '\r')
            p[--l] = 0;
        char *line = p;
        p = nl ? nl + 1 : NULL;
        if (l == 0 || line[0] == '#')
            continue;
        if (!out->header) {
            size_t n = split(line, NULL, 0);
            /* split with max 0 only counts and cuts; redo into the array */
            out->header = calloc(n, sizeof(char *));
            if (!out->header)
                goto oom;
            /* fields were already cut at tabs: walk the NULs */
            char *f = line;
            for (size_t j = 0; j < n; j++) {
                out->header[j] = f;
                f += strlen(f) + 1;
            }
            out->n_cols = n;
            continue;
        }
        if (out->n_rows == cap) {
            cap = cap ? cap * 2 : 64;
            char ***r = realloc(out->rows, cap * sizeof *r);
            size_t *lo = realloc(out->line_of, cap * sizeof *lo);
            if (r)
                out->rows = r;
            if (lo)
                out->line_of = lo;
            if (!r || !lo)
                goto oom;
        }
        char **fields = calloc(out->n_cols, sizeof(char *));
        if (!fields)
            goto oom;
        size_t n = split(line, fields, out->n_cols);
        if (n != out->n_cols) {
            free(fields);
            eco_err_set(err, 2, "%s:%zu: %zu fields, but the header has %zu", origin, lineno, n,
                        out->n_cols);
            eco_err_hint(err, "fields are separated by single tabs; empty fields are allowed");
            eco_tsv_free(out);
            return -1;
        }
        out->line_of[out->n_rows] = lineno;
        out->rows[out->n_rows++] = fields;
    }
    if (!out->header) {
        eco_tsv_free(out);
        return eco_err_set(err, 2, "%s: no header line", origin);
    }
    return 0;
oom:
    eco_tsv_free(out);
    return eco_err_set(err, 1, "%s: out of memory", origin);
}

int eco_tsv_load_file(const char *path, struct eco_tsv *out, struct eco_err *err)
{
    FILE *f = eco_fopen_regular(path, "rb", "table", err); /* never a FIFO, device or directory */
    if (!f)
        return -1;
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            if (cap > ECO_TSV_MAX_BYTES) {
                free(data);
                fclose(f);
                return eco_err_set(err, 2, "%s: larger than %u MiB; refusing it", path,
                                   ECO_TSV_MAX_BYTES >> 20);
            }
            char *d = realloc(data, cap);
            if (!d) {
                free(data);
                fclose(f);
                return eco_err_set(err, 1, "%s: out of memory", path);
            }
            data = d;
        }
        size_t n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(data);
        return eco_err_set(err, 1, "cannot read %s", path);
    }
    int rc = eco_tsv_parse(data ? data : "", len, path, out, err);
    free(data);
    return rc;
}

int eco_tsv_col(const struct eco_tsv *t, const char *name)
{
    for (size_t j = 0; j < t->n_cols; j++)
        if (strcmp(t->header[j], name) == 0)
            return (int)j;
    return -1;
}
