/* `ecometer flops MODEL`: a-priori MACs, FLOPs, parameters and memory of an
 * ONNX model (GGUF files go to eco_cli_flops_gguf). Thin: parse options,
 * read (src/model/onnx.c), infer (src/model/shape_infer.c), print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/flops_device.h"
#include "cli/flops_args.h"
#include "cli/flops_onnx.h"
#include "core/numparse.h"
#include "core/safe_open.h"
#include "core/sigbus_guard.h"
#include "model/device_cost.h"

#define ECO_MAX_AI_ONNX_OPSET 22

static const char help[] =
    "usage: ecometer flops MODEL.onnx [--input NAME=DIMS ...] [--value NAME=V,... ...] [--batch N]\n"
    "                      [--per-layer]\n"
    "                      [--top N] [--format text|json|csv]\n"
    "                      [--device NAME [--precision fp32|fp16|int8] [--utilization F]\n"
    "                       [--region CODE]]\n"
    "       ecometer flops MODEL.gguf [--context N] [--prompt N] [--per-layer]\n"
    "                      [--device NAME ...] [--format text|json|csv]\n\n"
    "A-priori cost of one inference: MACs (multiply-accumulates), FLOPs, parameters,\n"
    "weight bytes and activation bytes, per layer and in total, with the operators\n"
    "that could not be counted. Weights are never read (the file is memory-mapped and\n"
    "tensor payloads are skipped).\n\n"
    "options:\n"
    "  --input NAME=DIMS  set a graph input's shape, e.g. --input images=1x3x224x224\n"
    "  --value NAME=V,... the run-time values of a small input (integers or decimals, at most\n"
    "                     4096, filling its shape in row-major order), e.g. --value k=3 or\n"
    "                     --value sizes=1,3,64,64: shapes computed from them (Reshape targets,\n"
    "                     Resize sizes, TopK's K, Pad's pads...) are then followed; every\n"
    "                     output lists the values given\n"
    "  --batch N          set the first dimension of inputs whose first dim is symbolic\n"
    "  --per-layer        list every node in the text table (default: the --top costliest)\n"
    "  --top N            rows of the text table (default 10)\n"
    "  --format F         text (default), json (totals, outputs, nodes, unsupported) or csv\n"
    "                     (one row per node)\n"
    "  --device NAME      also estimate inferences/s, J and CO2e per inference on that GPU or\n"
    "                     CPU (`ecometer hardware show`): a roofline, max(FLOPs / (peak x\n"
    "                     compute efficiency), bytes moved / (bandwidth x memory efficiency))\n"
    "                     for the whole --batch, x power at that load (an estimate)\n"
    "  --precision P      fp32 (default), fp16 or int8 peak rate and element width\n"
    "  --utilization F    compute efficiency, 0 < F <= 1 (default: the fitted constant, 0.43)\n"
    "  --region CODE      grid region for the CO2e (default: world average)\n\n"
    "GGUF models: parameters and weight bytes per tensor and per quantisation type, and\n"
    "for a decoder LLM the FLOPs per generated token (2 x non-embedding parameters plus\n"
    "the attention term 2 x n_layer x n_ctx x d_attn, Kaplan et al. 2020) and for a\n"
    "prompt; --per-layer lists every tensor, --device gives tokens/s, J and CO2e per token\n"
    "(--precision: the fp16 tensor rate where published, else fp32, unless given).\n"
    "  --context N        tokens in context when generating (default: <arch>.context_length)\n"
    "  --prompt N         also give the cost of processing a prompt of N tokens\n\n"
    "Symbolic dimensions left unset are counted per unit and the totals say so; a node whose\n"
    "cost needs a dimension that cannot be inferred is partial, and the totals are then a\n"
    "lower bound (text, JSON partial_nodes/complete, CSV status).\n"
    "Exit status: 0 ok, 1 runtime failure, 2 bad usage or bad model file.\n";

static int parse_dims(const char *s, struct eco_input_override *ov)
{
    ov->rank = 0;
    if (!*s)
        return 0; /* a scalar */
    const char *p = s;
    for (;;) {
        if (ov->rank >= ECO_MAX_RANK)
            return -1;
        uint64_t v;
        if (eco_num_next_u64(&p, 1ULL << 40, &v) != ECO_NUM_OK)
            return -1;
        ov->dims[ov->rank++] = (int64_t)v;
        if (*p == 0)
            return 0;
        if (*p != 'x' && *p != 'X' && *p != ',')
            return -1;
        p++;
    }
}

static int is_gguf(const char *path)
{
    struct eco_err ignore; /* a path that is not a regular file is reported by the loader */
    FILE *f = eco_fopen_regular(path, "rb", "model", &ignore);
    if (!f)
        return 0;
    char magic[4] = {0};
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    return n == 4 && memcmp(magic, "GGUF", 4) == 0;
}

static int check_opsets(const struct eco_onnx_model *m, struct eco_err *err)
{
    for (size_t i = 0; i < m->n_opsets; i++) {
        const struct eco_onnx_opset *o = &m->opsets[i];
        int def = !o->domain[0] || strcmp(o->domain, "ai.onnx") == 0;
        if (def && (o->version < 1 || o->version > ECO_MAX_AI_ONNX_OPSET)) {
            eco_err_set(err, ECO_EXIT_USAGE, "the model imports ai.onnx opset %lld; ecometer knows opsets 1 to %d",
                        (long long)o->version, ECO_MAX_AI_ONNX_OPSET);
            eco_err_hint(err, "convert the model to a supported opset with onnx.version_converter");
            return -1;
        }
    }
    return 0;
}

/* The model's inputs that are not initializers, "'a', 'b'", for a hint. */
static void input_list(const struct eco_onnx_graph *g, char *list, size_t cap)
{
    size_t len = 0, shown = 0;
    list[0] = 0;
    for (size_t i = 0; i < g->n_inputs && len + 64 < cap; i++) {
        int is_init = 0;
        for (size_t j = 0; j < g->n_inits && !is_init; j++)
            is_init = strcmp(g->inits[j].name, g->inputs[i].name) == 0;
        if (is_init)
            continue;
        int n = snprintf(list + len, cap - len, "%s'%.100s'", shown++ ? ", " : "", g->inputs[i].name);
        if (n > 0)
            len += (size_t)n;
    }
    if (!shown)
        snprintf(list, cap, "(none)");
}

/* `name`, given with option `opt`, must name a graph input: a typo would
 * otherwise give numbers for the default shapes (or no values) without a word. */
static int check_name(const struct eco_onnx_graph *g, const char *opt, const char *name, struct eco_err *err)
{
    for (size_t i = 0; i < g->n_inputs; i++)
        if (strcmp(g->inputs[i].name, name) == 0)
            return 0;
    char list[512];
    input_list(g, list, sizeof list);
    eco_err_set(err, ECO_EXIT_USAGE, "%s names '%s', which is not an input of the model", opt, name);
    eco_err_hint(err, "the model's inputs are: %s", list);
    return -1;
}

/* Every --input and --value names a graph input. */
static int check_input_names(const struct eco_onnx_model *m, const struct eco_infer_opts *o, struct eco_err *err)
{
    for (size_t k = 0; k < o->n_inputs; k++)
        if (check_name(m->graph, "--input", o->inputs[k].name, err))
            return -1;
    for (size_t k = 0; k < o->n_values; k++)
        if (check_name(m->graph, "--value", o->values[k].name, err))
            return -1;
    return 0;
}

enum {
    O_INPUT = ECO_O_OWN, O_VALUE, O_BATCH, O_PER_LAYER, O_DEVICE, O_PRECISION, O_UTILIZATION, O_CONTEXT, O_PROMPT
};
static const struct eco_opt options[] = {
    {"--input", NULL, "NAME=DIMS", O_INPUT, ECO_OPT_REPEAT, NULL},
    {"--value", NULL, "NAME=V,...", O_VALUE, ECO_OPT_REPEAT, NULL},
    {"--batch", NULL, "N", O_BATCH, 0, NULL},
    {"--per-layer", NULL, NULL, O_PER_LAYER, 0, NULL},
    ECO_OPT_USE(top),
    ECO_OPT_USE(format),
    {"--device", NULL, "NAME", O_DEVICE, 0, NULL},
    {"--precision", NULL, "P", O_PRECISION, 0, NULL},
    {"--utilization", NULL, "F", O_UTILIZATION, 0, NULL},
    ECO_OPT_USE(region),
    {"--context", NULL, "N", O_CONTEXT, 0, NULL},
    {"--prompt", NULL, "N", O_PROMPT, 0, NULL},
    ECO_OPT_END,
};
const struct eco_opts_spec eco_opts_flops = {"flops", options, help, NULL};

/* --input NAME=DIMS: 0 or the usage exit code. */
static int take_input(struct eco_flops_args *a, const char *v)
{
    const char *dims;
    char *name = a->input_names[a->n_inputs < ECO_FLOPS_MAX_INPUTS ? a->n_inputs : 0];
    int rc = eco_flops_split_name("--input", "NAME=DIMS (e.g. input=1x3x224x224)", v, a->n_inputs,
                                  ECO_FLOPS_MAX_INPUTS, name, sizeof a->input_names[0], &dims);
    if (rc)
        return rc;
    struct eco_input_override *ov = &a->inputs[a->n_inputs++];
    ov->name = name;
    if (parse_dims(dims, ov))
        return eco_cli_usage_error("flops", "bad dimensions '%s' (use e.g. 1x3x224x224)", dims);
    return 0;
}

/* A whole number in [lo, hi] into *out: 0, or the usage exit code. */
static int take_count(const char *opt, const char *v, long long lo, long long hi, long long *out)
{
    int64_t n;
    if (eco_num_i64(v, lo, hi, 0, &n) != ECO_NUM_OK)
        return eco_cli_usage_error("flops", "%s takes a whole number from %lld to %lld, not '%s'", opt, lo, hi, v);
    *out = n;
    return 0;
}

static int take(void *ctx, int id, const char *v)
{
    struct eco_flops_args *a = ctx;
    struct eco_err err;
    long long n = 0;
    int rc = 0;
    switch (id) {
    case O_INPUT: return take_input(a, v);
    case O_VALUE: return eco_flops_take_value(a, v);
    case O_BATCH: rc = take_count("--batch", v, 1, 1LL << 31, &n); a->batch = n; return rc;
    case ECO_O_TOP: rc = take_count("--top", v, 0, 1000000, &n); a->top = (int)n; a->top_given = 1; return rc;
    case O_CONTEXT: rc = take_count("--context", v, 1, 1LL << 40, &n); a->context = (uint64_t)n; return rc;
    case O_PROMPT: rc = take_count("--prompt", v, 1, 1LL << 40, &n); a->prompt = (uint64_t)n; return rc;
    case O_PER_LAYER: a->per_layer = 1; return 0;
    case ECO_O_FORMAT: return eco_parse_format(v, &a->fmt, &err) ? eco_err_print(&err) : 0;
    case O_DEVICE: a->device = v; return 0;
    case O_PRECISION: a->precision = v; return 0;
    case ECO_O_REGION: a->region = v; return 0;
    case O_UTILIZATION:
        if (eco_num_double(v, 0, 1, 0, &a->utilization) != ECO_NUM_OK || !(a->utilization > 0))
            return eco_cli_usage_error("flops", "--utilization takes a fraction in (0, 1], not '%s'", v);
        return 0;
    default:
        if (a->path)
            return eco_cli_usage_error("flops", "one model at a time ('%s' and '%s')", a->path, v);
        a->path = v;
        return 0;
    }
}

/* The options that apply to the other kind of model are refused. */
static int check_kind(const struct eco_flops_args *a, int gguf)
{
    if ((a->precision || a->region || a->utilization > 0) && !a->device)
        return eco_cli_usage_error("flops", "--precision, --utilization and --region need --device");
    const char *other = gguf ? (a->n_inputs ? "--input" : a->n_values ? "--value" : a->batch ? "--batch" : a->top_given ? "--top" : NULL)
                             : (a->context ? "--context" : a->prompt ? "--prompt" : NULL);
    if (other)
        return eco_cli_usage_error("flops", "%s applies to %s models, not to %s", other, gguf ? "ONNX" : "GGUF",
                                   a->path);
    return 0;
}

static int flops_onnx(const struct eco_flops_args *a);

static int flops_main(int argc, char **argv)
{
    static struct eco_flops_args a;
    memset(&a, 0, sizeof a);
    a.fmt = ECO_FMT_TEXT;
    a.top = 10;
    int rc = eco_opts_parse(&eco_opts_flops, argc, argv, take, &a, NULL);
    if (rc == ECO_OPTS_GO_ON && !a.path)
        rc = eco_cli_usage_error("flops", "no model file given");
    if (rc == ECO_OPTS_GO_ON) {
        int gguf = is_gguf(a.path);
        if ((rc = check_kind(&a, gguf)) == 0)
            rc = gguf ? eco_cli_flops_gguf(&a) : flops_onnx(&a);
    }
    eco_flops_args_free(&a);
    return rc;
}

struct flops_call {
    int argc;
    char **argv;
};

static int flops_guarded(void *p)
{
    struct flops_call *c = p;
    return flops_main(c->argc, c->argv);
}

/* The model is memory-mapped: a file cut short by another program while it
 * is read raises SIGBUS, reported here as a change, not a crash. */
int eco_cmd_flops(int argc, char **argv)
{
    struct flops_call c = {argc, argv};
    int caught;
    int rc = eco_sigbus_guard(flops_guarded, &c, &caught);
    if (!caught)
        return rc;
    fflush(stdout);
    fprintf(stderr, "ecometer: the model file changed while being read (another program cut it short)\n"
                    "ecometer: hint: run 'ecometer flops' again once the file is no longer being written\n");
    return ECO_EXIT_RUNTIME;
}

/* Load, infer and print an ONNX model. */
static int flops_onnx(const struct eco_flops_args *a)
{
    struct eco_infer_opts iopts = {a->inputs, a->n_inputs, a->batch, a->values, a->n_values};
    struct eco_flops_print_opts popts = {a->path, a->fmt, a->per_layer, a->top, NULL, 0, a->values, a->n_values};
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_onnx_model model;
    struct eco_onnx_costs rep;
    memset(&model, 0, sizeof model);
    memset(&rep, 0, sizeof rep);
    int rc = 0;
    if (eco_onnx_load(a->path, &model, &err) != 0) {
        if (err.code == ECO_EXIT_USAGE && !err.hint[0])
            eco_err_hint(&err, "is %s an ONNX model (.onnx)? it must be a complete ModelProto file", a->path);
        rc = eco_err_print(&err);
        goto out;
    }
    if (check_opsets(&model, &err) || check_input_names(&model, &iopts, &err) ||
        eco_infer_model(&model, &iopts, &rep, &err) != 0) {
        rc = eco_err_print(&err);
        goto out;
    }
    struct eco_device_cost dc;
    if (a->device) {
        if (eco_flops_onnx_device(&rep, a->batch, a->device, a->precision, a->utilization, a->region, &dc, &err)) {
            rc = eco_err_print(&err);
            goto out;
        }
        popts.device = &dc;
        popts.batch = a->batch > 0 ? a->batch : 1;
    }
    if (eco_flops_print(stdout, &model, &rep, &popts) != 0) {
        fprintf(stderr, "ecometer: cannot write the report\n");
        rc = ECO_EXIT_RUNTIME;
    }
out:
    eco_onnx_costs_free(&rep);
    eco_onnx_free(&model);
    return rc;
}
