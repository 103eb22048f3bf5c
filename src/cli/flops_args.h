/* The options of `ecometer flops`, parsed once (src/cli/cmd_flops.c) for both
 * model kinds: cmd_flops.c runs ONNX models with them and hands GGUF files
 * to eco_cli_flops_gguf (src/cli/cmd_flops_gguf.c). */
#ifndef ECO_CLI_FLOPS_ARGS_H
#define ECO_CLI_FLOPS_ARGS_H

#include <stdint.h>

#include "core/format.h"
#include "model/shape_infer.h"

#define ECO_FLOPS_MAX_INPUTS 64
#define ECO_FLOPS_MAX_VALUES 64

struct eco_flops_args {
    const char *path;
    enum eco_format fmt;
    int per_layer;
    int top; /* rows of the ONNX text table */
    const char *device, *precision, *region;
    double utilization; /* 0: the fitted compute efficiency (model/device_cost.h) */
    /* ONNX only */
    struct eco_input_override inputs[ECO_FLOPS_MAX_INPUTS];
    /* The --input names live here, not on the heap: a usage error can return
     * from the middle of parsing with nothing to free. */
    char input_names[ECO_FLOPS_MAX_INPUTS][256];
    size_t n_inputs;
    /* --value NAME=V1,V2,...: names here like --input's; the values on the
     * heap (up to 4096 each), freed by eco_flops_args_free whatever happens */
    struct eco_value_given values[ECO_FLOPS_MAX_VALUES];
    char value_names[ECO_FLOPS_MAX_VALUES][256];
    size_t n_values;
    int64_t batch;
    int top_given;
    /* GGUF only */
    uint64_t context, prompt;
};

/* NAME=REST of option opt (--input, --value; form: how it is written, for
 * the message), the n_given+1-th of at most max: NAME copied into name (cap
 * bytes), *rest after the '='. 0, or the usage exit code. */
int eco_flops_split_name(const char *opt, const char *form, const char *v, size_t n_given, size_t max, char *name,
                         size_t cap, const char **rest);
/* --value NAME=V1,V2,... (src/cli/flops_values.c): 0, or the usage exit code. */
int eco_flops_take_value(struct eco_flops_args *a, const char *v);
/* Free what parsing allocated (the --value numbers). */
void eco_flops_args_free(struct eco_flops_args *a);

/* A GGUF model with the parsed options: 0 or the exit code. */
int eco_cli_flops_gguf(const struct eco_flops_args *a);

#endif
