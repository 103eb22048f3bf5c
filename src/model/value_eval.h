/* Value propagation: the values of small tensors (shapes, pad amounts,
 * window counts, indices) evaluated through the graph, so that the shape
 * arithmetic exported models do (Shape -> Gather -> Mod -> Concat -> Pad)
 * ends in concrete or symbolic dimensions instead of unknowns. Runs after a
 * node's infer() (which set the output shapes) and fills the outputs'
 * values when every input it needs has values.
 *
 * Bounded: a tensor of more than ECO_VALUE_MAX_ELEMS elements keeps no
 * values, and the whole model gets at most ECO_VALUE_MAX_STEPS element
 * operations; past either, values stop and the report carries a note. */
#ifndef ECO_MODEL_VALUE_EVAL_H
#define ECO_MODEL_VALUE_EVAL_H

#include "model/ops.h"

#define ECO_VALUE_MAX_ELEMS 4096
#define ECO_VALUE_MAX_STEPS 2000000

/* 0 on success (values set or left unknown), -1 on an error set in c->err. */
int eco_value_eval(struct eco_op_ctx *c);

#endif
