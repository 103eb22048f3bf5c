/* Looking up a place in the carbon-intensity table and resolving what the
 * user gave (--carbon-intensity, --region, or nothing) to one figure. People
 * type codes ("fr", "US-CA"), names ("France") and bare cloud region names
 * ("eu-west-3"); anything that does not match exactly gets the closest
 * entries in the error rather than a guess, because a wrong place silently
 * changes the CO2e by up to a factor of 20. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carbon/intensity.h"
#include "core/settings.h"
#include "carbon/intensity_table.h"
#include "carbon/iso3166.h"
#include "core/numparse.h"

const struct eco_region *eco_region_table(size_t *n)
{
    const struct eco_carbon_table *t = eco_carbon_table_get(NULL);
    *n = t ? t->n : 0;
    return t ? t->rows : NULL;
}

/* "aws:eu-west-3" -> "eu-west-3"; NULL for rows without a provider prefix. */
static const char *bare_cloud_name(const struct eco_region *r)
{
    if (strcmp(r->kind, "cloud") != 0)
        return NULL;
    const char *colon = strchr(r->code, ':');
    return colon ? colon + 1 : NULL;
}

/* Edit distance, case-insensitive, on at most 64 characters of each side
 * (enough to rank suggestions; longer input is truncated, not rejected). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64)
        la = 64;
    if (lb > 64)
        lb = 64;
    size_t prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = prev[j - 1] + cost;
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            cur[j] = best;
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return 0;
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return 0;
}

/* How far a row is from what was typed: the best of its code, name and bare
 * cloud name. A name that contains the query ("paris" in "AWS Europe
 * (Paris)") ranks just after exact-ish matches. */
static size_t row_distance(const struct eco_region *r, const char *q)
{
    size_t d = distance(q, r->code);
    size_t dn = distance(q, r->name);
    if (dn < d)
        d = dn;
    const char *bare = bare_cloud_name(r);
    if (bare) {
        size_t db = distance(q, bare);
        if (db < d)
            d = db;
    }
    if (strlen(q) >= 3 && d > 2 && (contains_nocase(r->name, q) || contains_nocase(r->code, q)))
        d = 2;
    return d;
}

static void suggest(const struct eco_carbon_table *t, const char *q, struct eco_err *err)
{
    size_t best[3] = {(size_t)-1, (size_t)-1, (size_t)-1};
    size_t dist[3] = {(size_t)-1, (size_t)-1, (size_t)-1};
    for (size_t i = 0; i < t->n; i++) {
        size_t d = row_distance(&t->rows[i], q);
        for (int k = 0; k < 3; k++) {
            if (d < dist[k]) {
                for (int m = 2; m > k; m--) {
                    dist[m] = dist[m - 1];
                    best[m] = best[m - 1];
                }
                dist[k] = d;
                best[k] = i;
                break;
            }
        }
    }
    char list[400] = "";
    size_t used = 0;
    for (int k = 0; k < 3 && best[k] != (size_t)-1; k++) {
        const struct eco_region *r = &t->rows[best[k]];
        int w = snprintf(list + used, sizeof list - used, "%s%s (%s)", k ? ", " : "", r->code,
                         r->name);
        if (w < 0 || (size_t)w >= sizeof list - used)
            break;
        used += (size_t)w;
    }
    /* A near miss of one row ("Frnace", "eu-west-33") is most likely it. */
    const struct eco_region *top = best[0] != (size_t)-1 ? &t->rows[best[0]] : NULL;
    if (top && dist[0] <= 2 && (best[1] == (size_t)-1 || dist[1] > dist[0]))
        eco_err_hint(err, "did you mean %s (%s)? closest: %s; 'ecometer carbon' lists every region",
                     top->code, top->name, list);
    else
        eco_err_hint(err, "closest: %s; 'ecometer carbon' lists every region", list);
}

/* What people type for a place that has another code here: the UK (ISO's
 * code is GB), an ISO alpha-3 code (FRA, USA, DEU: CodeCarbon's and the
 * UN's), EU-27 for the EU row. The code to look up instead, or NULL. */
static const char *alias_of(const char *q)
{
    if (strcasecmp(q, "UK") == 0)
        return "GB";
    if (strcasecmp(q, "EU27") == 0 || strcasecmp(q, "EU-27") == 0)
        return "EU";
    if (strlen(q) == 3 && isalpha((unsigned char)q[0]) && isalpha((unsigned char)q[1]) &&
        isalpha((unsigned char)q[2]))
        return eco_iso_alpha2(q);
    return NULL;
}

/* Report an ambiguous query, listing the candidates (at most 8 shown). */
static void ambiguous(const char *q, const struct eco_region **c, size_t n, struct eco_err *err)
{
    eco_err_set(err, 2, "region '%s' is ambiguous: %zu regions match", q, n);
    char list[480] = "";
    size_t used = 0;
    for (size_t k = 0; k < n && k < 8; k++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s (%s)", k ? ", " : "", c[k]->code,
                         c[k]->name);
        if (w < 0 || (size_t)w >= sizeof list - used)
            break;
        used += (size_t)w;
    }
    eco_err_hint(err, "type one of: %s", list);
}

const struct eco_region *eco_region_find(const char *query, struct eco_err *err)
{
    const struct eco_carbon_table *t = eco_carbon_table_get(err);
    if (!t)
        return NULL;
    /* Surrounding blanks are an artefact of quoting or copy-paste, not meaning. */
    char trimmed[256];
    if (query) {
        while (isspace((unsigned char)*query))
            query++;
        size_t n = strlen(query);
        while (n && isspace((unsigned char)query[n - 1]))
            n--;
        if (n < sizeof trimmed) {
            memcpy(trimmed, query, n);
            trimmed[n] = 0;
            query = trimmed;
        }
    }
    if (!query || !*query) {
        eco_err_set(err, 2, "empty region");
        eco_err_hint(err, "give a country code (FR), a state (US-CA), a cloud region "
                          "(aws:eu-west-3) or a name; 'ecometer carbon' lists them");
        return NULL;
    }
    /* 1. a code is unique; 2. names and bare cloud names may collide
     * ("Georgia" the country and the US state), so collect candidates. */
    for (size_t i = 0; i < t->n; i++)
        if (strcasecmp(t->rows[i].code, query) == 0)
            return &t->rows[i];
    const char *alias = alias_of(query);
    for (size_t i = 0; alias && i < t->n; i++)
        if (strcasecmp(t->rows[i].code, alias) == 0)
            return &t->rows[i];
    const struct eco_region *cand[16];
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct eco_region *r = &t->rows[i];
        const char *bare = bare_cloud_name(r);
        if (strcasecmp(r->name, query) == 0 || (bare && strcasecmp(bare, query) == 0)) {
            if (n < sizeof cand / sizeof cand[0])
                cand[n] = r;
            n++;
        }
    }
    if (n == 1)
        return cand[0];
    if (n > 1) {
        ambiguous(query, cand, n < 16 ? n : 16, err);
        return NULL;
    }
    eco_err_set(err, 2, "unknown region '%s'", query);
    suggest(t, query, err);
    return NULL;
}

const struct eco_region *eco_region_world(void)
{
    const struct eco_carbon_table *t = eco_carbon_table_get(NULL);
    if (!t)
        return NULL;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].code, "WORLD") == 0)
            return &t->rows[i];
    return NULL;
}

int eco_intensity_from_text(const char *text, double *out)
{
    /* decimal only (no "0x10"); "-0" is 0, never printed "-0 g" */
    return eco_num_double(text, 0, ECO_INTENSITY_MAX, ECO_NUM_PLUS, out) == ECO_NUM_OK ? 0 : -1;
}

int eco_intensity_parse(const char *text, double *out, struct eco_err *err)
{
    if (eco_intensity_from_text(text, out) != 0) {
        eco_err_set(err, 2, "carbon intensity '%s' is not a number of gCO2e/kWh in 0..%g",
                    text ? text : "", ECO_INTENSITY_MAX);
        eco_err_hint(err, "e.g. --carbon-intensity 56 (France) or 380 (United States); or use "
                          "--region CODE");
        return -1;
    }
    return 0;
}

/* The publication's short name: a source is written "Short name: details;
 * URL", so the label keeps what comes before the first ':' ';' ',' or '('
 * ("Ember via OWID", "EPA eGRID2022"). */
static void short_source(const char *src, char *out, size_t cap)
{
    size_t n = strcspn(src, ":;,(");
    while (n && src[n - 1] == ' ')
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, src, n);
    out[n] = 0;
}

/* "FR (France, Ember via OWID 2023)"; the year is not repeated when the
 * source's name already holds it ("NGA Factors 2023"). */
static void label_region(const struct eco_region *r, struct eco_intensity *out)
{
    const struct eco_carbon_table *t = eco_carbon_table_get(NULL);
    size_t i = (size_t)(r - t->rows);
    char src[96], year[16] = "";
    short_source(t->inherited[i] ? t->grid_row[i]->source : r->source, src, sizeof src);
    snprintf(year, sizeof year, "%d", r->year);
    const char *sep = strstr(src, year) ? "" : " ";
    if (!*sep)
        year[0] = 0;
    if (t->inherited[i])
        snprintf(out->label, sizeof out->label, "%s (%s, grid %s, %s%s%s)", r->code, r->name,
                 r->grid, src, sep, year);
    else
        snprintf(out->label, sizeof out->label, "%s (%s, %s%s%s)", r->code, r->name, src, sep,
                 year);
}

int eco_intensity_resolve(const char *region, double given_g_per_kwh,
                          struct eco_intensity *out, struct eco_err *err)
{
    memset(out, 0, sizeof *out);
    if (given_g_per_kwh != ECO_INTENSITY_NONE) {
        if (!isfinite(given_g_per_kwh) || given_g_per_kwh < 0 ||
            given_g_per_kwh > ECO_INTENSITY_MAX) {
            eco_err_set(err, 2, "carbon intensity %g gCO2e/kWh is outside 0..%g", given_g_per_kwh,
                        ECO_INTENSITY_MAX);
            eco_err_hint(err, "the dirtiest grids are about 1100-1300 gCO2e/kWh; check the unit "
                              "(grams per kWh, not kg or lb/MWh)");
            return -1;
        }
        out->g_per_kwh = given_g_per_kwh;
        snprintf(out->label, sizeof out->label, "given on the command line");
        return 0;
    }
    const struct eco_region *r;
    struct eco_setting set;
    int from_setting = region ? 0 : eco_setting_get("region", &set, err);
    if (from_setting < 0)
        return -1;
    if (from_setting) { /* ECOMETER_REGION or the config file: a place given once */
        struct eco_err e;
        eco_err_clear(&e);
        r = eco_region_find(set.value, &e);
        if (!r) {
            eco_err_set(err, 2, "region '%s' (set by %s): %s", set.value, set.where, e.msg);
            snprintf(err->hint, sizeof err->hint, "%s", e.hint);
            return -1;
        }
    } else if (region) {
        r = eco_region_find(region, err);
        if (!r)
            return -1;
    } else {
        if (!eco_carbon_table_get(err))
            return -1;
        r = eco_region_world();
        if (!r)
            return eco_err_set(err, 1, "the carbon table has no WORLD row");
        out->is_default = 1;
    }
    out->region = r;
    out->g_per_kwh = r->g_per_kwh;
    label_region(r, out);
    if (from_setting) { /* say where the place came from, in every output that shows the label */
        size_t n = strlen(out->label);
        snprintf(out->label + n, sizeof out->label - n, "; set by %s",
                 set.origin == ECO_SETTING_ENV ? set.where : "the config file");
    }
    return 0;
}
