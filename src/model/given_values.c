/* A graph input's run-time values given by the user (given_values.h). */
#include "model/given_values.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model/ops.h"
#include "model/sym_expr.h"

const struct eco_value_given *eco_given_find(const struct eco_infer_opts *o, const char *name)
{
    for (size_t k = 0; o && k < o->n_values; k++)
        if (strcmp(o->values[k].name, name) == 0)
            return &o->values[k];
    return NULL;
}

/* The integer types and their ranges (bool: 0 or 1). */
static const struct {
    int dt;
    int64_t lo, hi;
} int_types[] = {
    {ECO_DT_INT8, INT8_MIN, INT8_MAX},     {ECO_DT_UINT8, 0, UINT8_MAX},   {ECO_DT_INT16, INT16_MIN, INT16_MAX},
    {ECO_DT_UINT16, 0, UINT16_MAX},        {ECO_DT_INT32, INT32_MIN, INT32_MAX}, {ECO_DT_UINT32, 0, UINT32_MAX},
    {ECO_DT_INT64, INT64_MIN, INT64_MAX},  {ECO_DT_UINT64, 0, INT64_MAX},  {ECO_DT_BOOL, 0, 1},
};

/* x rounded to the nearest number with `bits` significant bits (ties to
 * even) whose exponent is at least min_exp (below it, the subnormals' fixed
 * step): float16 is (11, -13), bfloat16 (8, -125). */
static double round_to_format(double x, int bits, int min_exp)
{
    if (x == 0 || !isfinite(x))
        return x;
    int e;
    frexp(x, &e);
    if (e < min_exp)
        e = min_exp;
    double step = ldexp(1.0, e - bits);
    return nearbyint(x / step) * step;
}

/* The value x as the float type dt stores it (nan and infinities as they
 * are); *out_of_range when a finite x is too large for dt. */
static double as_float_type(int dt, double x, int *out_of_range)
{
    *out_of_range = 0;
    if (!isfinite(x))
        return x;
    double r = dt == ECO_DT_FLOAT      ? (double)(float)x
               : dt == ECO_DT_FLOAT16  ? round_to_format(x, 11, -13)
               : dt == ECO_DT_BFLOAT16 ? round_to_format(x, 8, -125)
                                       : x;
    double max = dt == ECO_DT_FLOAT16 ? 65504.0 : dt == ECO_DT_BFLOAT16 ? 3.3895313892515355e38 : INFINITY;
    *out_of_range = !isfinite(r) || fabs(r) > max;
    return r;
}

/* The input's element count when its shape is known and holds g's values. */
static int check_shape(const struct eco_val *v, const struct eco_value_given *g, struct eco_err *err)
{
    char shp[256];
    if (v->rank < 0)
        snprintf(shp, sizeof shp, "unknown rank");
    else
        eco_val_shape_str(v, shp, sizeof shp);
    int64_t n = 1;
    int known = v->rank >= 0;
    for (int i = 0; known && i < v->rank; i++)
        known = eco_dim_known(v->d[i]) && !__builtin_mul_overflow(n, v->d[i].v, &n);
    if (!known) {
        eco_err_set(err, ECO_EXIT_USAGE, "--value %s: the input's shape is not known (%s)", g->name, shp);
        eco_err_hint(err, "set it with --input %s=DIMS (the values fill it in row-major order)", g->name);
        return -1;
    }
    if (n != g->n) {
        eco_err_set(err, ECO_EXIT_USAGE, "--value %s gives %lld value%s; the input's shape %s holds %lld", g->name,
                    (long long)g->n, g->n == 1 ? "" : "s", shp, (long long)n);
        eco_err_hint(err, "give exactly %lld, in row-major order, or set the shape with --input %s=DIMS",
                     (long long)n, g->name);
        return -1;
    }
    return 0;
}

/* The integer type row of dt, or -1 (a float or a type without values). */
static int int_type(int dt)
{
    for (size_t t = 0; t < sizeof int_types / sizeof int_types[0]; t++)
        if (int_types[t].dt == dt)
            return (int)t;
    return -1;
}

/* One given value as element k of v: 0, or -1 when it does not fit v's type. */
static int put_value(struct eco_val *v, const struct eco_value_given *g, int64_t k, struct eco_err *err)
{
    const struct eco_given_elem *x = &g->vals[k];
    const char *type = eco_onnx_dtype_name(v->dtype);
    if (eco_dt_is_float(v->dtype)) {
        int out_of_range;
        double f = as_float_type(v->dtype, x->f, &out_of_range);
        if (out_of_range)
            return eco_err_set(err, ECO_EXIT_USAGE, "--value %s: %.17g is out of the range of %s, the input's type",
                               g->name, x->f, type);
        v->fvals[k] = f;
        v->vals[k] = eco_dim_num(eco_f2i(f));
        return 0;
    }
    int t = int_type(v->dtype);
    if (!x->whole)
        return eco_err_set(err, ECO_EXIT_USAGE, "--value %s: %.17g is %s; the input is %s", g->name, x->f,
                           x->f == trunc(x->f) ? "outside the range of 64-bit integers" : "not a whole number", type);
    if (x->i < int_types[t].lo || x->i > int_types[t].hi)
        return eco_err_set(err, ECO_EXIT_USAGE, "--value %s: %lld is outside %s's range, %lld to %lld", g->name,
                           (long long)x->i, type, (long long)int_types[t].lo, (long long)int_types[t].hi);
    v->vals[k] = eco_dim_num(x->i);
    return 0;
}

int eco_given_apply(struct eco_arena *a, const struct eco_infer_opts *o, struct eco_val *v, struct eco_err *err)
{
    const struct eco_value_given *g = eco_given_find(o, v->name);
    if (!g)
        return 0;
    if (v->is_seq || v->non_tensor || (!eco_dt_is_float(v->dtype) && int_type(v->dtype) < 0)) {
        eco_err_set(err, ECO_EXIT_USAGE, "--value %s: the input is %s", g->name,
                    v->is_seq || v->non_tensor ? "a sequence or map, not a tensor" : eco_onnx_dtype_name(v->dtype));
        eco_err_hint(err, "ecometer takes the values of integer, bool and float (32, 64, 16, bfloat16) inputs");
        return -1;
    }
    if (check_shape(v, g, err))
        return -1;
    v->vals = eco_arena_array(a, (size_t)(g->n ? g->n : 1), sizeof *v->vals);
    v->fvals = eco_dt_is_float(v->dtype) ? eco_arena_array(a, (size_t)(g->n ? g->n : 1), sizeof *v->fvals) : NULL;
    if (!v->vals || (eco_dt_is_float(v->dtype) && !v->fvals))
        return eco_err_set(err, ECO_EXIT_RUNTIME, "out of memory");
    for (int64_t k = 0; k < g->n; k++)
        if (put_value(v, g, k, err))
            return -1;
    v->n_vals = g->n;
    v->vals_data = 0; /* known: given, not computed from the input data */
    return 0;
}
