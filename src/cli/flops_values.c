/* --value NAME=V1,V2,...: the run-time values of a small graph input for
 * value propagation (model/given_values.h applies them to the model). */
#include "cli/flops_values.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/flops_args.h"
#include "core/numparse.h"
#include "model/value_eval.h"

/* [+-]inf, [+-]infinity, [+-]nan in any case: the float values numpy and C print. */
static int special_value(const char *b, double *f)
{
    double sign = *b == '-' ? -1 : 1;
    b += *b == '-' || *b == '+';
    if (strcasecmp(b, "inf") == 0 || strcasecmp(b, "infinity") == 0)
        return *f = sign * INFINITY, 0;
    if (strcasecmp(b, "nan") == 0)
        return *f = NAN, 0;
    return -1;
}

/* One number of the list (len bytes at s) into *e: 0, or -1 when it is not one. */
static int parse_number(const char *s, size_t len, struct eco_given_elem *e)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    int64_t i;
    if (eco_num_i64(buf, INT64_MIN, INT64_MAX, ECO_NUM_BLANKS, &i) == ECO_NUM_OK) {
        *e = (struct eco_given_elem){(double)i, i, 1};
        return 0;
    }
    /* decimal (no hex floats); an underflow is the tiny number it rounds to,
     * an overflow is refused; nan and inf are taken (float inputs hold them) */
    double f;
    if (eco_num_double(buf, -INFINITY, INFINITY, ECO_NUM_BLANKS | ECO_NUM_PLUS, &f) != ECO_NUM_OK &&
        special_value(buf, &f) != 0)
        return -1;
    /* "2.0" and "1e3" are whole numbers too (integer inputs take them) */
    int whole = isfinite(f) && f == trunc(f) && fabs(f) < 9.2e18;
    *e = (struct eco_given_elem){f, whole ? (int64_t)f : 0, whole};
    return 0;
}

/* The comma-separated numbers of list into g (values on the heap). */
static int parse_list(const char *list, struct eco_value_given *g)
{
    int64_t n = *list ? 1 : 0;
    for (const char *p = list; *p; p++)
        n += *p == ',';
    if (n > ECO_VALUE_MAX_ELEMS)
        return eco_cli_usage_error("flops", "--value %s gives %lld values; value propagation keeps at most %d per "
                                   "tensor", g->name, (long long)n, ECO_VALUE_MAX_ELEMS);
    struct eco_given_elem *e = calloc((size_t)(n ? n : 1), sizeof *e);
    if (!e) {
        fprintf(stderr, "ecometer: out of memory\n");
        return ECO_EXIT_RUNTIME;
    }
    g->vals = e; /* freed by eco_flops_args_free, even after an error below */
    const char *p = list;
    for (int64_t k = 0; k < n; k++) {
        size_t len = strcspn(p, ",");
        if (parse_number(p, len, &e[k]))
            return eco_cli_usage_error("flops", "--value %s: '%.*s' is not a number, or out of range (give "
                                       "integers or decimals separated by commas, e.g. %s=1,3,224,224)", g->name, (int)(len < 64 ? len : 64),
                                       p, g->name);
        p += len + (p[len] == ',');
    }
    g->n = n;
    return 0;
}

int eco_flops_split_name(const char *opt, const char *form, const char *v, size_t n_given, size_t max, char *name,
                         size_t cap, const char **rest)
{
    const char *eq = strrchr(v, '='); /* the values and dims hold no '=': a name may */
    if (!eq || eq == v)
        return eco_cli_usage_error("flops", "%s takes %s, not '%s'", opt, form, v);
    if (n_given >= max)
        return eco_cli_usage_error("flops", "at most %zu %s options", max, opt);
    size_t nl = (size_t)(eq - v);
    if (nl >= cap)
        return eco_cli_usage_error("flops", "%s name longer than %zu bytes", opt, cap - 1);
    memcpy(name, v, nl);
    name[nl] = 0;
    *rest = eq + 1;
    return 0;
}

int eco_flops_take_value(struct eco_flops_args *a, const char *v)
{
    const char *list;
    char *name = a->value_names[a->n_values < ECO_FLOPS_MAX_VALUES ? a->n_values : 0];
    int rc = eco_flops_split_name("--value", "NAME=V1,V2,... (e.g. k=3 or shape=1,3,224,224)", v, a->n_values,
                                  ECO_FLOPS_MAX_VALUES, name, sizeof a->value_names[0], &list);
    if (rc)
        return rc;
    for (size_t k = 0; k < a->n_values; k++)
        if (strcmp(a->values[k].name, name) == 0)
            return eco_cli_usage_error("flops", "--value %s is given twice", name);
    struct eco_value_given *g = &a->values[a->n_values++];
    g->name = name;
    return parse_list(list, g);
}

void eco_flops_args_free(struct eco_flops_args *a)
{
    for (size_t k = 0; k < a->n_values; k++) {
        free((void *)a->values[k].vals);
        a->values[k].vals = NULL;
    }
    a->n_values = 0;
}

/* One value as text: a whole number exactly, else the shortest decimal
 * that reads back as the same double. */
static void number_text(const struct eco_given_elem *e, char *buf, size_t len)
{
    if (e->whole && e->f == (double)e->i) {
        snprintf(buf, len, "%lld", (long long)e->i);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, e->f);
        /* raw strtod on purpose: it reads back our own printf, inf and nan included */
        if (strtod(buf, NULL) == e->f)
            return;
    }
}

char *eco_given_values_str(const struct eco_value_given *v, size_t n, int64_t max_each)
{
    size_t cap = 1;
    for (size_t k = 0; k < n; k++)
        cap += strlen(v[k].name) + 48 + 32 * (size_t)(max_each > 0 && v[k].n > max_each ? max_each : v[k].n);
    char *s = malloc(cap), num[32];
    if (!s)
        return NULL;
    size_t o = 0;
    s[0] = 0;
    for (size_t k = 0; k < n; k++) {
        o += (size_t)snprintf(s + o, cap - o, "%s%s=", k ? "; " : "", v[k].name);
        int64_t shown = max_each > 0 && v[k].n > max_each ? max_each : v[k].n;
        for (int64_t i = 0; i < shown; i++) {
            number_text(&v[k].vals[i], num, sizeof num);
            o += (size_t)snprintf(s + o, cap - o, "%s%s", i ? "," : "", num);
        }
        if (shown < v[k].n)
            o += (size_t)snprintf(s + o, cap - o, ",...(%lld values)", (long long)v[k].n);
    }
    return s;
}

cJSON *eco_given_values_json(const struct eco_value_given *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    char num[32];
    for (size_t k = 0; a && k < n; k++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", v[k].name);
        cJSON *vals = cJSON_AddArrayToObject(x, "values");
        for (int64_t i = 0; i < v[k].n; i++) {
            number_text(&v[k].vals[i], num, sizeof num);
            /* exact, int64 beyond 2^53 too; JSON has no nan or inf: those as strings */
            cJSON_AddItemToArray(vals, isfinite(v[k].vals[i].f) ? cJSON_CreateRaw(num) : cJSON_CreateString(num));
        }
        cJSON_AddItemToArray(a, x);
    }
    return a;
}
