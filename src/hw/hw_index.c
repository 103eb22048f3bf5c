/* The exact-match index of a hardware table: every name and alias
 * normalised once (at build time for the built-in tables, tools/hw_gen.c)
 * and sorted, so that looking up a name or alias is one tokenisation of
 * the query and a binary search, not a tokenisation of every row. */
#include "hw/hw_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/fuzzy.h"

int eco_hw_normalise(const char *text, char *buf)
{
    struct eco_fz_tokens t;
    eco_fz_tokenize(text, &t);
    eco_fz_join(&t, buf, ECO_HW_NORM_LEN); /* never cut: see ECO_HW_NORM_LEN */
    return t.n;
}

static int key_cmp(const void *a, const void *b, void *text)
{
    const struct eco_hw_key *x = a, *y = b;
    int c = strcmp((const char *)text + x->norm, (const char *)text + y->norm);
    if (c)
        return c;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return (int)x->alias - (int)y->alias;
}

/* Keys under construction, their norm strings in one growing text. */
struct builder {
    struct eco_hw_key *keys;
    size_t n, cap;
    char *text;
    size_t used, room;
};

static int push_key(struct builder *b, const char *one, size_t row, int alias)
{
    char norm[ECO_HW_NORM_LEN];
    if (eco_hw_normalise(one, norm) == 0)
        return 0; /* matches nothing, as eco_fz_same says of empty token lists */
    size_t len = strlen(norm) + 1;
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 256;
        struct eco_hw_key *k = realloc(b->keys, b->cap * sizeof *k);
        if (!k)
            return -1;
        b->keys = k;
    }
    if (b->used + len > UINT32_MAX)
        return -1;
    if (b->used + len > b->room) {
        b->room = 2 * (b->room + len);
        char *t = realloc(b->text, b->room);
        if (!t)
            return -1;
        b->text = t;
    }
    memcpy(b->text + b->used, norm, len);
    b->keys[b->n].norm = (uint32_t)b->used;
    b->keys[b->n].row = (unsigned)row;
    b->keys[b->n].alias = (unsigned char)alias;
    b->n++;
    b->used += len;
    return 0;
}

int eco_hw_row_keys(int is_gpu, const void *rows, size_t i, int (*fn)(const char *key, int alias, void *ctx),
                    void *ctx)
{
    int rc = fn(eco_hw_row_name(is_gpu, rows, i), 0, ctx);
    const char *p = eco_hw_row_aliases(is_gpu, rows, i);
    while (*p && rc == 0) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        char one[256];
        snprintf(one, sizeof one, "%.*s", (int)l, p);
        rc = fn(one, 1, ctx);
        p = bar ? bar + 1 : p + l;
    }
    return rc;
}

struct row_ctx {
    struct builder *b;
    size_t row;
};

static int push_row_key(const char *key, int alias, void *ctx)
{
    struct row_ctx *c = ctx;
    return push_key(c->b, key, c->row, alias);
}

int eco_hw_index_build(int is_gpu, const void *rows, size_t n, struct eco_hw_index *out, struct eco_err *err)
{
    struct builder b = {0};
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++)
        if (eco_hw_row_keys(is_gpu, rows, i, push_row_key, &(struct row_ctx){&b, i}) != 0) {
            free(b.keys);
            free(b.text);
            return eco_err_set(err, 1, "out of memory");
        }
    if (b.n)
        qsort_r(b.keys, b.n, sizeof *b.keys, key_cmp, b.text);
    out->keys = b.keys;
    out->n = b.n;
    out->text = b.text;
    return 0;
}

void eco_hw_index_free(struct eco_hw_index *ix)
{
    free(ix->keys);
    free(ix->text);
    memset(ix, 0, sizeof *ix);
}

size_t eco_hw_index_find(const struct eco_hw_table *t, const char *norm, size_t *first)
{
    const struct eco_hw_key *keys = t->keys;
    size_t lo = 0, hi = t->n_keys, n = t->n_keys;
    while (lo < hi) { /* the first key not below norm */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->key_text + keys[mid].norm, norm) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && strcmp(t->key_text + keys[end].norm, norm) == 0)
        end++;
    *first = lo;
    return end - lo;
}
