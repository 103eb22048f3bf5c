/* Shape inference and cost counting over a parsed ONNX model (onnx.h):
 * nodes are visited in topological order; each node's op-table row
 * (op_table.c) infers its output shapes (and, for small integer tensors,
 * their values: "value propagation", so Reshape targets computed from Shape
 * ops become concrete) and counts its MACs and FLOPs. Unknown dimensions
 * flow through as symbols or symbolic expressions (sym_expr.h); a cost that
 * needs a dimension nothing could infer is a lower bound, flagged partial. */
#ifndef ECO_MODEL_SHAPE_INFER_H
#define ECO_MODEL_SHAPE_INFER_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "model/arena.h"
#include "model/onnx.h"

#define ECO_MAX_RANK 16
#define ECO_DIM_UNKNOWN INT64_MIN

/* A dimension, or an element of a small integer tensor: a number, or
 * unknown (v == ECO_DIM_UNKNOWN) possibly named by a symbol. A named symbol
 * carries a coefficient k >= 1 (the dim is k x sym: a Reshape to
 * [batch*heads, ...] keeps "4*batch"), so costs counted with symbols = 1
 * stay exact per unit of the symbol; k = 0 means no coefficient (counted 1). */
struct eco_dim {
    int64_t v;
    const char *sym;
    int64_t k;
};

/* A tensor flowing through the graph. */
struct eco_val {
    const char *name;
    int dtype;
    int rank; /* -1 = unknown rank */
    struct eco_dim d[ECO_MAX_RANK];
    int64_t n_vals;   /* >= 0: the values are known (small tensors), else -1 */
    struct eco_dim *vals;
    double *fvals;    /* the values as doubles when they came from a float tensor */
    unsigned is_init : 1;   /* an initializer (weights) */
    unsigned declared : 1;  /* the shape comes from value_info / graph output, not inference */
    unsigned data_dep : 1;  /* shape depends on the data (NonZero, TopK with runtime k...) */
    unsigned param_done : 1;/* already attributed to a node's params */
    unsigned non_tensor : 1;/* a map or other non-tensor value: no shape */
    unsigned vals_data : 1; /* its values depend on the input data (a graph input's contents) */
    unsigned vals_dropped : 1; /* an integer tensor too large for value propagation (or made from one) */
    unsigned is_seq : 1;    /* a sequence of tensors: rank/d describe every element when they agree */
    int64_t seq_len;        /* number of elements of a sequence, -1 when unknown */
    /* a short sequence's elements one by one (seq_len of them, in order) when
     * each insertion and erasure was followed; NULL otherwise */
    struct eco_val *const *elems;
    struct eco_val *init_src; /* the initializer an Identity chain forwards (params attribution) */
    struct eco_val *next;   /* hash chain */
};

struct eco_input_override {
    const char *name;
    int rank;
    int64_t dims[ECO_MAX_RANK];
};

/* One value of --value NAME=v1,v2,...: a whole number (exact, int64) or not. */
struct eco_given_elem {
    double f;  /* the value (for a whole number: (double)i) */
    int64_t i; /* the value when whole */
    int whole; /* written as a whole number */
};

/* The run-time values of a small graph input (--value): value propagation
 * takes them as the input's contents (model/given_values.h). */
struct eco_value_given {
    const char *name;
    int64_t n; /* at most ECO_VALUE_MAX_ELEMS (model/value_eval.h) */
    const struct eco_given_elem *vals;
};

struct eco_infer_opts {
    const struct eco_input_override *inputs;
    size_t n_inputs;
    int64_t batch; /* > 0: sets the first dimension of graph inputs whose first dim is not a number */
    const struct eco_value_given *values;
    size_t n_values;
};

enum eco_node_status {
    ECO_NODE_COUNTED = 0,     /* cost known (maybe with symbolic dims counted as 1) */
    ECO_NODE_NO_SHAPE = 1,    /* supported op, but input shapes unknown: cost not counted */
    ECO_NODE_UNSUPPORTED = 2  /* no op-table row */
};

struct eco_node_result {
    const struct eco_onnx_node *node;
    const char *name; /* node name, or OpType_index when unnamed */
    double macs, flops, params;
    int status;
    int symbolic; /* cost uses named symbols or expressions (counted per unit) */
    int partial;  /* cost uses a dimension that could not be inferred (a lower bound) */
    int data_dep; /* cost uses a dimension that depends on the input data */
    const char *unknown_what; /* partial / data-dependent: the tensor and dim that were unknown */
    size_t n_outs;
    struct eco_val **outs;
};

struct eco_op_count {
    const char *op;
    const char *domain;
    size_t count;
};

/* What `flops` finds in an ONNX model: its totals, each node's cost, and what
 * could not be counted (the costs of one model; not a run's report). */
struct eco_onnx_costs {
    double macs, flops, params, weight_bytes, activation_bytes;
    int symbolic;              /* totals depend on dimensions not known */
    size_t n_symbols;
    const char **symbols;      /* the named symbols the totals depend on */
    size_t n_nodes;
    struct eco_node_result *nodes; /* top-level graph, in execution order */
    size_t n_outputs;
    struct eco_val **outputs;  /* graph outputs */
    size_t n_unsupported;
    struct eco_op_count *unsupported;
    size_t n_no_shape;         /* supported nodes whose cost is unknown */
    size_t n_partial;          /* nodes whose cost is a lower bound (incl. n_no_shape) */
    size_t n_data_dep;         /* nodes whose cost depends on the input data */
    size_t n_notes;
    const char **notes;        /* what value propagation gave up on, and why */
    int64_t value_steps;       /* element operations spent by value propagation */
    int value_big_noted, expr_long_noted;
    int64_t opset;             /* ai.onnx opset */
    struct eco_arena arena;
};

/* 1 when every node was counted from known dimensions: no partial, data-dependent,
 * uncounted or unsupported node. */
int eco_onnx_costs_complete(const struct eco_onnx_costs *rep);
/* Add a note (printf-style; at most a few are kept). */
void eco_onnx_costs_note(struct eco_onnx_costs *rep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int eco_infer_model(const struct eco_onnx_model *m, const struct eco_infer_opts *opts,
                    struct eco_onnx_costs *rep, struct eco_err *err);
void eco_onnx_costs_free(struct eco_onnx_costs *rep);
/* A value's shape for people: "1x3x224x224", "batchx3x?x?", "?" for an
 * unknown rank (or no value), "scalar" for rank 0. */
void eco_val_shape_str(const struct eco_val *v, char *buf, size_t len);

#endif
