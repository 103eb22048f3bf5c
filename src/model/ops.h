/* The interface between the shape-inference engine (shape_infer.c) and the
 * per-family operator files (ops_*.c). One op-table row per operator type:
 * infer() sets the output tensors from the inputs and attributes, cost()
 * counts MACs and FLOPs from the now-known shapes. Both see one eco_op_ctx. */
#ifndef ECO_MODEL_OPS_H
#define ECO_MODEL_OPS_H

#include "model/shape_infer.h"

struct eco_infer;
struct eco_scope;

struct eco_op_ctx {
    struct eco_infer *inf;
    struct eco_scope *scope;
    struct eco_arena *arena;
    struct eco_err *err;
    const struct eco_onnx_node *node;
    const char *node_name;
    int64_t opset;   /* version of the node's domain */
    size_t n_in, n_out;
    struct eco_val **in;  /* NULL for an omitted optional input */
    struct eco_val **out; /* NULL for an omitted optional output */
    /* results */
    double macs, flops;
    int symbolic;   /* cost uses named symbols or expressions (counted per unit) */
    int partial;    /* cost uses a dimension that could not be inferred: a lower bound */
    int data_dep;   /* cost uses a dimension that depends on the input data */
    const char *unknown_what; /* what was unknown, for the report's footnote */
    struct eco_onnx_costs *rep;
    int no_shape;   /* cost could not be counted */
    int depth;      /* nesting depth of the node's graph */
};

struct eco_op {
    const char *op_type;
    const char *domain; /* "" = ai.onnx */
    int (*infer)(struct eco_op_ctx *c);
    int (*cost)(struct eco_op_ctx *c); /* NULL: no arithmetic (data movement) */
    double per_elem; /* FLOPs per output element for the generic elementwise cost */
};

const struct eco_op *eco_op_find(const char *op_type, const char *domain);

/* ---- helpers for op files (shape_util.c) ---- */
int eco_dim_known(struct eco_dim d);
struct eco_dim eco_dim_num(int64_t v);
struct eco_dim eco_dim_unknown(void);
struct eco_dim eco_dim_sym(const char *sym, int64_t k); /* k x sym */
/* A dim's size for costs: the number, or k for k x sym (1 when unknown);
 * sets c->symbolic when not a number. */
double eco_dimv(struct eco_op_ctx *c, struct eco_dim d);
int eco_dim_eq(struct eco_dim a, struct eco_dim b); /* same number or same named symbol */

struct eco_val *eco_in(struct eco_op_ctx *c, size_t i); /* NULL when absent */
int eco_has_shape(const struct eco_val *v);
/* Element count with unknown dims counted as 1 (sets c->symbolic); -1 when
 * the rank is unknown. Checked against overflow (error naming the node). */
double eco_numel(struct eco_op_ctx *c, const struct eco_val *v);
/* 1 when all dims are numbers. */
int eco_shape_known(const struct eco_val *v);
/* ONNX Slice on one axis of size dim: the first index taken and the count. -1 when step is 0. */
int eco_slice_range(int64_t dim, int64_t start, int64_t end, int64_t step, int64_t *first, int64_t *len);
/* Normalise a possibly negative axis against rank; -1 when out of range. */
int eco_axis(int64_t axis, int rank);
/* 1 for the floating-point element types (float, double, float16, bfloat16). */
int eco_dt_is_float(int dt);

/* Output setters (no-ops when the output is omitted). */
void eco_out_rank(struct eco_op_ctx *c, size_t i, int dtype, int rank, const struct eco_dim *dims);
void eco_out_like(struct eco_op_ctx *c, size_t i, const struct eco_val *src);
void eco_out_unknown(struct eco_op_ctx *c, size_t i, int dtype);
/* Output 0 of the given rank with every dim unknown; of unknown rank when rank < 0. */
void eco_out_unknown_dims(struct eco_op_ctx *c, int dtype, int rank);
void eco_out_dtype(struct eco_op_ctx *c, size_t i, int dtype);
/* Values of a small integer output (copied into the arena). */
int eco_out_vals(struct eco_op_ctx *c, size_t i, const struct eco_dim *vals, int64_t n);
int eco_out_fvals(struct eco_op_ctx *c, size_t i, const double *f, int64_t n);

/* Integer values of input i when known (all numbers): *n and a pointer to a
 * scratch array of int64. Returns 1 when known, 0 when not. */
int eco_in_ints(struct eco_op_ctx *c, size_t i, int64_t *buf, size_t cap, size_t *n);
/* Values possibly holding symbols: 1 when the input has (maybe symbolic) values. */
int eco_in_dims(struct eco_op_ctx *c, size_t i, struct eco_dim *buf, size_t cap, size_t *n);
int eco_in_floats(struct eco_op_ctx *c, size_t i, double *buf, size_t cap, size_t *n);

/* numpy broadcasting of n shapes into out; 0 ok, 1 unknown (rank unknown), -1 incompatible. */
int eco_broadcast(struct eco_op_ctx *c, struct eco_val *const *vs, size_t n, int *rank,
                  struct eco_dim *out);

int eco_op_error(struct eco_op_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Input i when its rank is known. When it is not (or the input is absent),
 * output 0 is set unknown with the input's dtype (0 when absent) and NULL is
 * returned: the op has nothing more to infer. *dtype gets that dtype. */
struct eco_val *eco_in_shaped(struct eco_op_ctx *c, size_t i, int *dtype);
/* Broadcast vs (numpy rules) into output 0 of dtype: 0 with *rank and d set
 * (the output shaped), 1 when a rank is unknown (the output unknown), -1 on
 * inputs that cannot be broadcast (error "input shapes cannot be broadcast together"). */
int eco_out_broadcast(struct eco_op_ctx *c, struct eco_val *const *vs, size_t n, int dtype, int *rank,
                      struct eco_dim *d);
/* Output 0 from a shape computation's rc: -1 (error) is passed on, 1 leaves
 * the output unknown, 0 gives it rank and d. Returns -1 or 0. */
int eco_out_shape_rc(struct eco_op_ctx *c, int rc, int dtype, int rank, const struct eco_dim *d);
/* Cost of `per` FLOPs for each element of input i; no_shape when its rank is unknown. Returns 0. */
int eco_cost_per_input_elem(struct eco_op_ctx *c, size_t i, double per);

/* Sliding-window output length (Conv, pooling): auto_pad "NOTSET" uses the pads. */
int64_t eco_window_out(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe,
                       const char *auto_pad, int ceil_mode);

/* The same for a dim that may be symbolic: an expression of it. */
struct eco_dim eco_window_out_dim(struct eco_op_ctx *c, struct eco_dim in, int64_t k, int64_t s, int64_t d,
                                  int64_t pb, int64_t pe, const char *auto_pad, int ceil_mode);

/* NonZero, Compress, Unique with known input values (ops_data_known.c): 1 when
 * their output sizes were counted from the values, 0 to flag them data-dependent. */
int eco_data_known_sizes(struct eco_op_ctx *c);

/* Shared cost helpers */
int eco_cost_per_output(struct eco_op_ctx *c, double per_elem);

/* Op families (one file each). */
extern const struct eco_op eco_ops_elementwise[], eco_ops_conv[], eco_ops_matmul[], eco_ops_pool[],
    eco_ops_norm[], eco_ops_reduce[], eco_ops_shape[], eco_ops_rnn[], eco_ops_attention[],
    eco_ops_misc[], eco_ops_loss[], eco_ops_sequence[], eco_ops_signal[];

/* Subgraph support for If/Loop/Scan (shape_infer.c): infer graph g in a
 * child scope with the given input values bound to its inputs; fills outs
 * (g->n_outputs values) and adds the graph's cost to *macs, *flops, *params. */
int eco_infer_subgraph(struct eco_op_ctx *c, const struct eco_onnx_graph *g, struct eco_val **inputs,
                       size_t n_inputs, struct eco_val **outs, double *macs, double *flops,
                       double *params, int *symbolic);
struct eco_val *eco_val_new(struct eco_op_ctx *c);

#endif
