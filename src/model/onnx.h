/* An ONNX model as read from the protobuf wire format (pb.h): the graph's
 * structure only. Tensor payloads are never read, except the values of
 * small tensors (at most ECO_ONNX_SMALL_VALUES elements: shapes for Reshape,
 * Slice starts, Resize scales...) which shape inference needs. Strings and
 * arrays live in the model's arena; the file mapping is released after
 * parsing, so nothing points into it. */
#ifndef ECO_MODEL_ONNX_H
#define ECO_MODEL_ONNX_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "model/arena.h"

#define ECO_ONNX_SMALL_VALUES 64
#define ECO_ONNX_MAX_DEPTH 16 /* nested graphs (If inside Loop inside ...) */

/* TensorProto.DataType */
enum {
    ECO_DT_UNDEFINED = 0, ECO_DT_FLOAT = 1, ECO_DT_UINT8 = 2, ECO_DT_INT8 = 3, ECO_DT_UINT16 = 4,
    ECO_DT_INT16 = 5, ECO_DT_INT32 = 6, ECO_DT_INT64 = 7, ECO_DT_STRING = 8, ECO_DT_BOOL = 9,
    ECO_DT_FLOAT16 = 10, ECO_DT_DOUBLE = 11, ECO_DT_UINT32 = 12, ECO_DT_UINT64 = 13,
    ECO_DT_COMPLEX64 = 14, ECO_DT_COMPLEX128 = 15, ECO_DT_BFLOAT16 = 16, ECO_DT_FLOAT8E4M3FN = 17,
    ECO_DT_FLOAT8E4M3FNUZ = 18, ECO_DT_FLOAT8E5M2 = 19, ECO_DT_FLOAT8E5M2FNUZ = 20,
    ECO_DT_UINT4 = 21, ECO_DT_INT4 = 22, ECO_DT_FLOAT4E2M1 = 23
};

/* AttributeProto.AttributeType */
enum {
    ECO_AT_UNDEFINED = 0, ECO_AT_FLOAT = 1, ECO_AT_INT = 2, ECO_AT_STRING = 3, ECO_AT_TENSOR = 4,
    ECO_AT_GRAPH = 5, ECO_AT_FLOATS = 6, ECO_AT_INTS = 7, ECO_AT_STRINGS = 8, ECO_AT_TENSORS = 9,
    ECO_AT_GRAPHS = 10, ECO_AT_SPARSE_TENSOR = 11, ECO_AT_SPARSE_TENSORS = 12,
    ECO_AT_TYPE_PROTO = 13, ECO_AT_TYPE_PROTOS = 14
};

struct eco_onnx_tensor {
    const char *name;
    int dtype;
    int n_dims;
    int64_t *dims;
    int64_t n_elem;    /* product of dims (checked) */
    int external;      /* data_location = EXTERNAL: weights in another file, never opened */
    size_t off;        /* the TensorProto's byte offset in the file (for messages) */
    int64_t n_vals;    /* values read (small tensors only), else -1 */
    int64_t *ivals;    /* the values as integers (floats truncated) */
    double *fvals;     /* the values as doubles */
};

struct eco_onnx_graph;

struct eco_onnx_attr {
    const char *name;
    int type;
    double f;
    int64_t i;
    const char *s;
    size_t s_len;
    struct eco_onnx_tensor *t;
    struct eco_onnx_graph *g;
    size_t n_floats, n_ints, n_strings, n_tensors, n_graphs;
    float *floats;
    int64_t *ints;
    char **strings;
    struct eco_onnx_tensor *tensors;
    struct eco_onnx_graph **graphs;
};

struct eco_onnx_node {
    const char *name; /* may be "" in the file; a name is made up then ("Conv_12") */
    const char *op_type;
    const char *domain; /* "" = ai.onnx */
    size_t n_inputs, n_outputs, n_attrs;
    char **inputs; /* "" = optional input left out */
    char **outputs;
    struct eco_onnx_attr *attrs;
    size_t off; /* byte offset of the NodeProto */
};

/* A dimension as declared: value >= 0, or a symbol (dim_param), or unknown. */
struct eco_onnx_dim {
    int64_t value; /* -1 when not a number */
    const char *param; /* dim_param, or NULL */
};

struct eco_onnx_value_info {
    const char *name;
    int kind;      /* 0 tensor, 1 sequence of tensors, 2 optional tensor, 3 other (map...) */
    int elem_type; /* of the tensor (or of the sequence's / optional's tensors) */
    int rank;      /* -1 when the shape is not given */
    struct eco_onnx_dim *dims;
};

struct eco_onnx_graph {
    const char *name;
    size_t n_nodes, n_inits, n_inputs, n_outputs, n_value_info;
    struct eco_onnx_node *nodes;
    struct eco_onnx_tensor *inits;
    struct eco_onnx_value_info *inputs, *outputs, *value_info;
};

struct eco_onnx_opset {
    const char *domain; /* "" or "ai.onnx" = the default domain */
    int64_t version;
};

struct eco_onnx_model {
    int64_t ir_version;
    const char *producer;
    size_t n_opsets;
    struct eco_onnx_opset *opsets;
    struct eco_onnx_graph *graph;
    size_t file_size;
    int mapped; /* set by eco_onnx_load: the buffer is a file mapping */
    struct eco_arena arena;
};

/* Parse a whole ModelProto from memory. model must be zeroed; on failure
 * call eco_onnx_free anyway. */
int eco_onnx_parse(const uint8_t *buf, size_t len, struct eco_onnx_model *model, struct eco_err *err);
/* Memory-map path, parse, unmap. */
int eco_onnx_load(const char *path, struct eco_onnx_model *model, struct eco_err *err);
void eco_onnx_free(struct eco_onnx_model *model);

/* The opset version of a domain ("" and "ai.onnx" are the same), 0 if none. */
int64_t eco_onnx_opset(const struct eco_onnx_model *m, const char *domain);

/* Attribute look-ups by name; NULL / the default when absent. */
const struct eco_onnx_attr *eco_onnx_attr(const struct eco_onnx_node *n, const char *name);
int64_t eco_onnx_attr_int(const struct eco_onnx_node *n, const char *name, int64_t def);
double eco_onnx_attr_float(const struct eco_onnx_node *n, const char *name, double def);
/* The string value NUL-terminated (copied at parse time), or def. */
const char *eco_onnx_attr_str(const struct eco_onnx_node *n, const char *name, const char *def);
/* INTS attribute: count in *n; NULL when absent. */
const int64_t *eco_onnx_attr_ints(const struct eco_onnx_node *n, const char *name, size_t *count);

/* double -> int64 without undefined behaviour: NaN gives 0, values out of
 * range saturate (hostile files carry any float). */
int64_t eco_f2i(double v);

/* Bytes per element of a data type (0.5 for 4-bit types, 0 if unknown). */
double eco_onnx_dtype_size(int dtype);
const char *eco_onnx_dtype_name(int dtype);

#endif
