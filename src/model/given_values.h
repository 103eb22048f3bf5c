/* Run-time values a user gives for a small graph input (`ecometer flops
 * --value NAME=v1,v2,...`): the input then holds them as a constant would,
 * so value propagation (value_eval.h) follows them into Reshape targets,
 * Resize sizes and scales, TopK's K, Pad's pads, Range, window lengths.
 * The input's shape (declared, or set by --input / --batch) must be known
 * and hold exactly as many values; each value must fit the input's type. */
#ifndef ECO_MODEL_GIVEN_VALUES_H
#define ECO_MODEL_GIVEN_VALUES_H

#include "core/err.h"
#include "model/arena.h"
#include "model/shape_infer.h"

/* The values given for `name`, or NULL. */
const struct eco_value_given *eco_given_find(const struct eco_infer_opts *o, const char *name);

/* Set v's values from the ones given for v->name (nothing when none are):
 * 0, or -1 with a usage error (exit 2) in err when they do not fit. */
int eco_given_apply(struct eco_arena *a, const struct eco_infer_opts *o, struct eco_val *v, struct eco_err *err);

#endif
