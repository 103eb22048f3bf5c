/* Symbolic integer expressions over named dimensions: what a dimension is
 * when it follows from a symbol the file leaves open (`batch`, `H`) through
 * the shape arithmetic of an exported graph. An expression is an eco_dim
 * with v = ECO_DIM_UNKNOWN, sym = its text ("ceil(H/7)", "(H + 1)") and
 * k = an integer coefficient >= 1 (the dim is k x sym), so `H*4/2` stays
 * "2*H" and two dims derived the same way compare equal by their text.
 * Texts are bounded (ECO_SYM_MAX_LEN): a longer one gives an unnamed
 * unknown, so a hostile chain of arithmetic cannot grow without end. */
#ifndef ECO_MODEL_SYM_EXPR_H
#define ECO_MODEL_SYM_EXPR_H

#include "model/arena.h"
#include "model/shape_infer.h"

#define ECO_SYM_MAX_LEN 200

enum eco_sym_op {
    ECO_SYM_ADD, ECO_SYM_SUB, ECO_SYM_MUL,
    ECO_SYM_DIV,   /* integer division, floor (dims are >= 0) */
    ECO_SYM_FDIV,  /* real division (a float tensor) */
    ECO_SYM_MOD, ECO_SYM_MAX, ECO_SYM_MIN, ECO_SYM_POW
};
enum eco_sym_fn { ECO_SYM_CEIL, ECO_SYM_FLOOR, ECO_SYM_ROUND, ECO_SYM_SQRT, ECO_SYM_NEG, ECO_SYM_ABS };

/* 1 when d is a named expression (not a number, not unnamed, not data-dependent). */
int eco_sym_named(struct eco_dim d);
/* 1 when d stands for a value that depends on the input data. */
int eco_sym_data_dep(struct eco_dim d);
/* x op y where at least one side is symbolic; an unnamed unknown when the
 * result cannot be written (unknown operand, text too long, overflow). */
struct eco_dim eco_sym_binop(struct eco_arena *a, enum eco_sym_op op, struct eco_dim x, struct eco_dim y);
struct eco_dim eco_sym_unop(struct eco_arena *a, enum eco_sym_fn fn, struct eco_dim x);
/* Comparison of two dims when it is decided (same text, or numbers):
 * -1 x<y, 0 equal, 1 x>y; 2 when not decided. */
int eco_sym_cmp(struct eco_dim x, struct eco_dim y);
/* The text of d ("7*ceil(H/7)", "224", "?"). */
void eco_sym_str(struct eco_dim d, char *buf, size_t len);

#endif
