/* `ecometer flops MODEL`: a-priori MACs, FLOPs, parameters and memory of an
 * ONNX model (GGUF files go to eco_cli_flops_gguf). Thin: parse options,
 * read (src/model/onnx.c), infer (src/model/shape_infer.c), print. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/flops_device.h"
#include "cli/flops_gguf.h"
#include "cli/flops_onnx.h"
#include "core/safe_open.h"
#include "core/sigbus_guard.h"
#include "model/device_cost.h"

#define MAX_OVERRIDES 64
#define ECO_MAX_AI_ONNX_OPSET 22

static void help(void)
{
    puts("usage: ecometer flops MODEL.onnx [--input NAME=DIMS ...] [--batch N] [--per-layer]\n"
         "                      [--top N] [--format text|json|csv]\n"
         "                      [--device NAME [--precision fp32|fp16|int8] [--utilization F]\n"
         "                       [--region CODE]]\n"
         "       ecometer flops MODEL.gguf [--context N] ...\n\n"
         "A-priori cost of one inference: MACs (multiply-accumulates), FLOPs, parameters,\n"
         "weight bytes and activation bytes, per layer and in total, with the operators\n"
         "that could not be counted. Weights are never read (the file is memory-mapped and\n"
         "tensor payloads are skipped).\n\n"
         "options:\n"
         "  --input NAME=DIMS  set a graph input's shape, e.g. --input images=1x3x224x224\n"
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
         "Symbolic dimensions left unset are counted per unit and the totals say so; a node whose\n"
         "cost needs a dimension that cannot be inferred is partial, and the totals are then a\n"
         "lower bound (text, JSON partial_nodes/complete, CSV status).\n"
         "Exit status: 0 ok, 1 runtime failure, 2 bad usage or bad model file.");
}

static int parse_dims(const char *s, struct eco_input_override *ov)
{
    ov->rank = 0;
    if (!*s)
        return 0; /* a scalar */
    const char *p = s;
    for (;;) {
        if (ov->rank >= ECO_MAX_RANK)
            return -1;
        char *end;
        errno = 0;
        long long v = strtoll(p, &end, 10);
        if (end == p || errno || v < 0 || v > (1LL << 40))
            return -1;
        ov->dims[ov->rank++] = v;
        if (*end == 0)
            return 0;
        if (*end != 'x' && *end != 'X' && *end != ',')
            return -1;
        p = end + 1;
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

/* Every --input must name a graph input (not an initializer): a typo would
 * otherwise give numbers for the default shapes without a word. */
static int check_input_names(const struct eco_onnx_model *m, const struct eco_infer_opts *o, struct eco_err *err)
{
    const struct eco_onnx_graph *g = m->graph;
    for (size_t k = 0; k < o->n_inputs; k++) {
        int found = 0;
        for (size_t i = 0; i < g->n_inputs && !found; i++)
            found = strcmp(g->inputs[i].name, o->inputs[k].name) == 0;
        if (found)
            continue;
        char list[512];
        size_t len = 0, shown = 0;
        list[0] = 0;
        for (size_t i = 0; i < g->n_inputs && len < sizeof list - 64; i++) {
            int is_init = 0;
            for (size_t j = 0; j < g->n_inits && !is_init; j++)
                is_init = strcmp(g->inits[j].name, g->inputs[i].name) == 0;
            if (is_init)
                continue;
            int n = snprintf(list + len, sizeof list - len, "%s'%.100s'", shown++ ? ", " : "", g->inputs[i].name);
            if (n > 0)
                len += (size_t)n;
        }
        eco_err_set(err, ECO_EXIT_USAGE, "--input names '%s', which is not an input of the model", o->inputs[k].name);
        eco_err_hint(err, "the model's inputs are: %s", shown ? list : "(none)");
        return -1;
    }
    return 0;
}

struct flops_args {
    int argc;
    char **argv;
};

static int flops_main(int argc, char **argv);

static int flops_guarded(void *p)
{
    struct flops_args *a = p;
    return flops_main(a->argc, a->argv);
}

/* The model is memory-mapped: a file cut short by another program while it
 * is read raises SIGBUS, reported here as a change, not a crash. */
int eco_cmd_flops(int argc, char **argv)
{
    struct flops_args a = {argc, argv};
    int caught;
    int rc = eco_sigbus_guard(flops_guarded, &a, &caught);
    if (!caught)
        return rc;
    fflush(stdout);
    fprintf(stderr, "ecometer: the model file changed while being read (another program cut it short)\n"
                    "ecometer: hint: run 'ecometer flops' again once the file is no longer being written\n");
    return ECO_EXIT_RUNTIME;
}

static int flops_main(int argc, char **argv)
{
    if (eco_cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    const char *path = NULL, *device = NULL, *precision = NULL, *region = NULL;
    double utilization = 0; /* 0: the fitted compute efficiency (model/device_cost.h) */
    int gguf_only = 0;
    struct eco_input_override ovs[MAX_OVERRIDES];
    /* Names live here, not on the heap: a usage error can return from the
     * middle of the option loop without anything to free (no leak under
     * LeakSanitizer on bad input). */
    char ov_names[MAX_OVERRIDES][256];
    struct eco_infer_opts iopts = {ovs, 0, 0};
    struct eco_flops_print_opts popts = {NULL, ECO_FMT_TEXT, 0, 10, NULL, 0};
    struct eco_err err;
    eco_err_clear(&err);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VAL()                                                                       \
    do {                                                                                 \
        if (!val)                                                                        \
            return eco_cli_usage_error("flops", "%s needs a value", a);                  \
        i++;                                                                             \
    } while (0)
        if (strcmp(a, "--input") == 0) {
            NEED_VAL();
            const char *eq = strrchr(val, '=');
            if (!eq || eq == val)
                return eco_cli_usage_error("flops", "--input takes NAME=DIMS (e.g. input=1x3x224x224), not '%s'", val);
            if (iopts.n_inputs >= MAX_OVERRIDES)
                return eco_cli_usage_error("flops", "at most %d --input options", MAX_OVERRIDES);
            struct eco_input_override *ov = &ovs[iopts.n_inputs++];
            size_t nl = (size_t)(eq - val);
            if (nl >= sizeof ov_names[0])
                return eco_cli_usage_error("flops", "--input name longer than %zu bytes", sizeof ov_names[0] - 1);
            memcpy(ov_names[iopts.n_inputs - 1], val, nl);
            ov_names[iopts.n_inputs - 1][nl] = 0;
            ov->name = ov_names[iopts.n_inputs - 1];
            if (parse_dims(eq + 1, ov))
                return eco_cli_usage_error("flops", "bad dimensions '%s' (use e.g. 1x3x224x224)", eq + 1);
        } else if (strcmp(a, "--batch") == 0) {
            NEED_VAL();
            char *end;
            long long b = strtoll(val, &end, 10);
            if (*end || b <= 0 || b > (1LL << 31))
                return eco_cli_usage_error("flops", "--batch takes a positive integer, not '%s'", val);
            iopts.batch = b;
        } else if (strcmp(a, "--top") == 0) {
            NEED_VAL();
            char *end;
            long t = strtol(val, &end, 10);
            if (*end || t < 0 || t > 1000000)
                return eco_cli_usage_error("flops", "--top takes a count, not '%s'", val);
            popts.top = (int)t;
        } else if (strcmp(a, "--per-layer") == 0) {
            popts.per_layer = 1;
        } else if (strcmp(a, "--format") == 0) {
            NEED_VAL();
            if (eco_parse_format(val, &popts.format, &err))
                return eco_err_print(&err);
        } else if (strcmp(a, "--device") == 0) {
            NEED_VAL();
            device = val;
        } else if (strcmp(a, "--precision") == 0) {
            NEED_VAL();
            precision = val;
        } else if (strcmp(a, "--utilization") == 0) {
            NEED_VAL();
            char *end;
            utilization = strtod(val, &end);
            if (*end || !(utilization > 0 && utilization <= 1))
                return eco_cli_usage_error("flops", "--utilization takes a fraction in (0, 1], not '%s'", val);
        } else if (strcmp(a, "--region") == 0) {
            NEED_VAL();
            region = val;
        } else if (strcmp(a, "--context") == 0 || strcmp(a, "--prompt") == 0) {
            NEED_VAL(); /* GGUF options: refused below for an ONNX model */
            gguf_only = 1;
        } else if (a[0] == '-' && a[1]) {
            return eco_cli_usage_error("flops", "unknown option '%s'", a);
        } else if (!path) {
            path = a;
        } else
            return eco_cli_usage_error("flops", "one model at a time ('%s' and '%s')", path, a);
#undef NEED_VAL
    }
    if (!path)
        return eco_cli_usage_error("flops", "no model file given");
    if (is_gguf(path))
        return eco_cli_flops_gguf(argc, argv);
    if ((precision || region || utilization > 0) && !device)
        return eco_cli_usage_error("flops", "--precision, --utilization and --region need --device");
    if (gguf_only)
        return eco_cli_usage_error("flops", "--context and --prompt apply to GGUF models, not to %s", path);

    struct eco_onnx_model model;
    struct eco_report rep;
    memset(&model, 0, sizeof model);
    memset(&rep, 0, sizeof rep);
    int rc = 0;
    if (eco_onnx_load(path, &model, &err) != 0) {
        if (err.code == ECO_EXIT_USAGE && !err.hint[0])
            eco_err_hint(&err, "is %s an ONNX model (.onnx)? it must be a complete ModelProto file", path);
        rc = eco_err_print(&err);
        goto out;
    }
    if (check_opsets(&model, &err) || check_input_names(&model, &iopts, &err) ||
        eco_infer_model(&model, &iopts, &rep, &err) != 0) {
        rc = eco_err_print(&err);
        goto out;
    }
    struct eco_device_cost dc;
    if (device) {
        if (eco_flops_onnx_device(&rep, iopts.batch, device, precision, utilization, region, &dc, &err) != 0) {
            rc = eco_err_print(&err);
            goto out;
        }
        popts.device = &dc;
        popts.batch = iopts.batch > 0 ? iopts.batch : 1;
    }
    popts.path = path;
    if (eco_flops_print(stdout, &model, &rep, &popts) != 0) {
        fprintf(stderr, "ecometer: cannot write the report\n");
        rc = ECO_EXIT_RUNTIME;
    }
out:
    eco_report_free(&rep);
    eco_onnx_free(&model);
    return rc;
}
