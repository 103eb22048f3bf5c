/* Loading the carbon-intensity table: parse data/carbon.tsv (at build time by
 * tools/carbon_gen.c; at run time only under an override), merge the user's
 * ECOMETER_CARBON_TABLE over it (same code replaces), check
 * every row, and resolve each cloud region's figure from its grid row.
 * Nothing is trusted: a bad row is an error naming its file and line, because
 * a silently wrong intensity would make every CO2e figure wrong. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carbon/intensity_table.h"
#include "core/numparse.h"
#include "core/tsv.h"

const char *const eco_region_kinds[] = {"world", "country", "us-state",
                                        "ca-province", "au-state", "cloud", "union", NULL};

static const char *const columns[] = {"code", "name", "kind", "grid", "g_per_kwh", "source", "year"};
enum { C_CODE, C_NAME, C_KIND, C_GRID, C_G, C_SOURCE, C_YEAR, N_COLUMNS };

struct table_impl {
    struct eco_carbon_table pub; /* first, so a pub pointer is an impl pointer */
    struct eco_tsv base, user;
    char **owned;                /* strings built at load (cloud sources) */
    size_t n_owned;
    size_t cap;                  /* allocated rows */
    size_t *line;                /* source line of each row, for messages */
    const char **origin;         /* file of each row */
    long *slot;                  /* hash index of codes (case-insensitive): row or -1 */
    size_t n_slots;              /* a power of two, at least twice the rows */
};

void eco_carbon_table_free(struct eco_carbon_table *pub)
{
    if (!pub)
        return;
    struct table_impl *t = (struct table_impl *)pub;
    for (size_t i = 0; i < t->n_owned; i++)
        free(t->owned[i]);
    free(t->owned);
    free(t->pub.rows);
    free(t->pub.grid_row);
    free(t->pub.inherited);
    free(t->line);
    free(t->origin);
    free(t->slot);
    eco_tsv_free(&t->base);
    eco_tsv_free(&t->user);
    free(t);
}

static int known_kind(const char *k)
{
    for (size_t i = 0; eco_region_kinds[i]; i++)
        if (strcmp(k, eco_region_kinds[i]) == 0)
            return 1;
    return 0;
}

/* Codes are typed on command lines: letters, digits and - _ : . only, and
 * stored in fixed fields of results (region_code[48] in meter/result.h). */
#define ECO_REGION_CODE_MAX 47
static int valid_code(const char *c)
{
    size_t n = strlen(c);
    if (n == 0 || n > ECO_REGION_CODE_MAX)
        return 0;
    for (; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("-_:.", *c))
            return 0;
    return 1;
}

/* A decimal cell (no blanks, hex, inf or nan). */
static int parse_number(const char *s, double *out)
{
    return eco_num_double(s, -INFINITY, INFINITY, 0, out) == ECO_NUM_OK ? 0 : -1;
}

static int parse_year(const char *s, int *out)
{
    double v;
    if (parse_number(s, &v) != 0 || v != floor(v) || v < 1990 || v > 2100)
        return -1;
    *out = (int)v;
    return 0;
}

/* Check one TSV row and fill r (strings point into the TSV buffer). g and
 * year of a cloud row may be empty: they then come from its grid row. */
static int check_row(char **f, const char *origin, size_t line, struct eco_region *r,
                     struct eco_err *err)
{
    memset(r, 0, sizeof *r);
    r->code = f[C_CODE];
    r->name = f[C_NAME];
    r->kind = f[C_KIND];
    r->grid = f[C_GRID];
    r->source = f[C_SOURCE];
    if (!valid_code(r->code)) {
        eco_err_set(err, 2, "%s:%zu: bad region code '%s'", origin, line, r->code);
        eco_err_hint(err, "codes are 1-47 letters, digits or - _ : . (e.g. FR, US-CA, aws:eu-west-3)");
        return -1;
    }
    if (!*r->name)
        return eco_err_set(err, 2, "%s:%zu: region %s has no name", origin, line, r->code);
    if (!known_kind(r->kind)) {
        eco_err_set(err, 2, "%s:%zu: region %s has unknown kind '%s'", origin, line, r->code, r->kind);
        eco_err_hint(err, "kinds: world, country, us-state, ca-province, au-state, cloud, union");
        return -1;
    }
    int cloud = strcmp(r->kind, "cloud") == 0;
    if (cloud && !*r->grid) {
        eco_err_set(err, 2, "%s:%zu: cloud region %s has no grid", origin, line, r->code);
        eco_err_hint(err, "put the code of the country or state row whose intensity it uses in the grid column");
        return -1;
    }
    if (!cloud && *r->grid)
        return eco_err_set(err, 2, "%s:%zu: region %s is not a cloud region but has grid '%s'",
                           origin, line, r->code, r->grid);
    if (!*r->source)
        return eco_err_set(err, 2, "%s:%zu: region %s has no source", origin, line, r->code);
    const char *g = f[C_G], *y = f[C_YEAR];
    if (!*g && cloud) {
        if (*y)
            return eco_err_set(err, 2,
                               "%s:%zu: region %s has a year but no g_per_kwh; leave both empty "
                               "to use the grid's figure",
                               origin, line, r->code);
        r->g_per_kwh = NAN; /* filled from the grid row */
        return 0;
    }
    if (parse_number(g, &r->g_per_kwh) != 0 || r->g_per_kwh < 0 ||
        r->g_per_kwh > ECO_INTENSITY_MAX) {
        eco_err_set(err, 2, "%s:%zu: region %s: g_per_kwh '%s' is not a number in 0..%g", origin,
                    line, r->code, g, ECO_INTENSITY_MAX);
        eco_err_hint(err, "write grams of CO2e per kWh as a plain number, e.g. 56.2");
        return -1;
    }
    if (parse_year(y, &r->year) != 0)
        return eco_err_set(err, 2, "%s:%zu: region %s: year '%s' is not a year in 1990..2100",
                           origin, line, r->code, y);
    return 0;
}

/* Codes are looked up once per row while loading (repeats, grid rows): a hash
 * index keeps that linear in rows rather than quadratic, which was most of the
 * start-up of every command that needs an intensity (docs/PERFORMANCE.md). */
static size_t code_hash(const char *code)
{
    size_t h = 1469598103934665603u; /* FNV-1a over the lower-cased code */
    for (; *code; code++)
        h = (h ^ (unsigned char)tolower((unsigned char)*code)) * 1099511628211u;
    return h;
}

static void index_put(struct table_impl *t, size_t row)
{
    size_t mask = t->n_slots - 1, i = code_hash(t->pub.rows[row].code) & mask;
    while (t->slot[i] >= 0)
        i = (i + 1) & mask;
    t->slot[i] = (long)row;
}

/* (Re)build the index for rows 0..n-1 with room for `rows` rows. */
static int index_rebuild(struct table_impl *t, size_t rows)
{
    size_t n = 16;
    while (n < 2 * rows)
        n *= 2;
    long *slot = malloc(n * sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < n; i++)
        slot[i] = -1;
    free(t->slot);
    t->slot = slot;
    t->n_slots = n;
    for (size_t r = 0; r < t->pub.n; r++)
        index_put(t, r);
    return 0;
}

static long find_code(const struct table_impl *t, const char *code)
{
    if (!t->slot)
        return -1;
    size_t mask = t->n_slots - 1;
    for (size_t i = code_hash(code) & mask; t->slot[i] >= 0; i = (i + 1) & mask)
        if (strcasecmp(t->pub.rows[t->slot[i]].code, code) == 0)
            return t->slot[i];
    return -1;
}

static int grow(struct table_impl *t, size_t need, struct eco_err *err)
{
    if (need <= t->cap)
        return 0;
    size_t cap = t->cap ? t->cap * 2 : 256;
    while (cap < need)
        cap *= 2;
    struct eco_region *r = realloc(t->pub.rows, cap * sizeof *r);
    if (r)
        t->pub.rows = r;
    size_t *l = realloc(t->line, cap * sizeof *l);
    if (l)
        t->line = l;
    const char **o = realloc(t->origin, cap * sizeof *o);
    if (o)
        t->origin = o;
    if (!r || !l || !o || index_rebuild(t, cap) != 0)
        return eco_err_set(err, 1, "out of memory loading the carbon table");
    t->cap = cap;
    return 0;
}

/* Add the rows of one parsed file. In the base table a repeated code is an
 * error; in the override file it replaces the base row (that is its purpose),
 * but repeating a code within the override file is still an error. */
static int add_rows(struct table_impl *t, const struct eco_tsv *tsv, const char *origin,
                    int is_override, struct eco_err *err)
{
    int col[N_COLUMNS];
    for (int j = 0; j < N_COLUMNS; j++) {
        col[j] = eco_tsv_col(tsv, columns[j]);
        if (col[j] < 0) {
            eco_err_set(err, 2, "%s: no column '%s'", origin, columns[j]);
            eco_err_hint(err, "the header line must name: code name kind grid g_per_kwh source "
                              "year (tab-separated)");
            return -1;
        }
    }
    size_t first_new = t->pub.n;
    for (size_t i = 0; i < tsv->n_rows; i++) {
        char *f[N_COLUMNS];
        for (int j = 0; j < N_COLUMNS; j++)
            f[j] = tsv->rows[i][col[j]];
        struct eco_region r;
        size_t line = tsv->line_of[i];
        if (check_row(f, origin, line, &r, err) != 0)
            return -1;
        long at = find_code(t, r.code);
        if (at >= 0 && (!is_override || (size_t)at >= first_new))
            return eco_err_set(err, 2, "%s:%zu: region code %s repeats line %zu", origin, line,
                               r.code, t->line[at]);
        if (at < 0) {
            if (grow(t, t->pub.n + 1, err) != 0)
                return -1;
            at = (long)t->pub.n++;
            t->pub.rows[at] = r;
            index_put(t, (size_t)at);
        }
        t->pub.rows[at] = r;
        t->line[at] = line;
        t->origin[at] = origin;
    }
    return 0;
}

static char *own(struct table_impl *t, char *s)
{
    if (!s)
        return NULL;
    char **o = realloc(t->owned, (t->n_owned + 1) * sizeof *o);
    if (!o) {
        free(s);
        return NULL;
    }
    t->owned = o;
    t->owned[t->n_owned++] = s;
    return s;
}

static int by_code(const void *a, const void *b)
{
    return strcasecmp(((const struct eco_region *)a)->code, ((const struct eco_region *)b)->code);
}

/* Sort by code, then point every cloud region at its grid row. A cloud
 * region may not use another cloud region (no chains to follow or loop in). */
static int link_grids(struct table_impl *t, struct eco_err *err)
{
    struct eco_carbon_table *p = &t->pub;
    /* Sorting loses the line numbers' pairing; check references first. */
    for (size_t i = 0; i < p->n; i++) {
        if (!*p->rows[i].grid)
            continue;
        long g = find_code(t, p->rows[i].grid);
        if (g < 0)
            return eco_err_set(err, 2, "%s:%zu: cloud region %s uses grid '%s', which is not in the table",
                               t->origin[i], t->line[i], p->rows[i].code, p->rows[i].grid);
        if (strcmp(p->rows[g].kind, "cloud") == 0)
            return eco_err_set(err, 2, "%s:%zu: cloud region %s uses another cloud region (%s) as grid",
                               t->origin[i], t->line[i], p->rows[i].code, p->rows[i].grid);
    }
    if (p->n == 0) /* (and qsort must not be handed the NULL rows of an empty table) */
        return eco_err_set(err, 2, "the carbon table has no rows; it needs at least the WORLD row");
    qsort(p->rows, p->n, sizeof *p->rows, by_code);
    if (index_rebuild(t, t->cap) != 0) /* rows moved */
        return eco_err_set(err, 1, "out of memory loading the carbon table");
    p->grid_row = calloc(p->n ? p->n : 1, sizeof *p->grid_row);
    p->inherited = calloc(p->n ? p->n : 1, 1);
    if (!p->grid_row || !p->inherited)
        return eco_err_set(err, 1, "out of memory loading the carbon table");
    for (size_t i = 0; i < p->n; i++) {
        struct eco_region *r = &p->rows[i];
        if (!*r->grid)
            continue;
        long g = find_code(t, r->grid);
        const struct eco_region *gr = &p->rows[g];
        p->grid_row[i] = gr;
        if (!isnan(r->g_per_kwh))
            continue;
        r->g_per_kwh = gr->g_per_kwh;
        r->year = gr->year;
        p->inherited[i] = 1;
        /* The row's own source says where the region is; the figure's source
         * is the grid's, so a reader sees both. */
        size_t len = strlen(gr->source) + strlen(r->source) + strlen(gr->code) + 40;
        char *s = malloc(len);
        if (s)
            snprintf(s, len, "grid %s: %s; location: %s", gr->code, gr->source, r->source);
        if (!own(t, s))
            return eco_err_set(err, 1, "out of memory loading the carbon table");
        r->source = s;
    }
    long w = find_code(t, "WORLD");
    if (w < 0 || strcmp(p->rows[w].kind, "world") != 0)
        return eco_err_set(err, 2, "the carbon table has no WORLD row of kind world");
    return 0;
}

int eco_carbon_table_build(const char *text, size_t len, const char *origin,
                           const char *override_path, struct eco_carbon_table **out,
                           struct eco_err *err)
{
    *out = NULL;
    struct table_impl *t = calloc(1, sizeof *t);
    if (!t)
        return eco_err_set(err, 1, "out of memory loading the carbon table");
    if (eco_tsv_parse(text, len, origin, &t->base, err) != 0 ||
        add_rows(t, &t->base, origin, 0, err) != 0)
        goto fail;
    if (override_path) {
        if (eco_tsv_load_file(override_path, &t->user, err) != 0) {
            eco_err_hint(err, "ECOMETER_CARBON_TABLE names a TSV file with columns code name kind "
                              "grid g_per_kwh source year; unset it to use the built-in table");
            err->code = 2;
            goto fail;
        }
        if (add_rows(t, &t->user, override_path, 1, err) != 0)
            goto fail;
    }
    if (link_grids(t, err) != 0)
        goto fail;
    *out = &t->pub;
    return 0;
fail:
    eco_carbon_table_free(&t->pub);
    return -1;
}
