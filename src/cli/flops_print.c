/* The three views of an ONNX flops report: text (totals, the costliest
 * layers, what could not be counted), JSON (the shape the issue fixes:
 * totals, outputs, nodes, unsupported) and CSV (one row per node). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cli/device_out.h"
#include "cli/flops_onnx.h"
#include "cli/flops_values.h"
#include "core/texttable.h"
#include "core/units.h"
#include "model/sym_expr.h"

static const char *fmt_bytes(double b, char *buf, size_t len)
{
    static const char *u[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    int i = 0;
    while (b >= 1000 && i < 5) {
        b /= 1000;
        i++;
    }
    snprintf(buf, len, i ? "%.3g %s" : "%.0f %s", b, u[i]);
    return buf;
}

/* One dim: "224", "batch", "12*batch" (a multiple), "7*ceil(H/7)" (an expression), "?" */
static void dim_str(const struct eco_dim *d, char *buf, size_t len) { eco_sym_str(*d, buf, len); }

static cJSON *shape_json(const struct eco_val *v)
{
    if (!v || v->rank < 0)
        return cJSON_CreateNull();
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < v->rank; i++) {
        const struct eco_dim *d = &v->d[i];
        char one[ECO_SYM_MAX_LEN + 32];
        dim_str(d, one, sizeof one);
        cJSON_AddItemToArray(a, d->v != ECO_DIM_UNKNOWN ? cJSON_CreateNumber((double)d->v) : cJSON_CreateString(one));
    }
    return a;
}

static const char *status_name(int s)
{
    return s == ECO_NODE_COUNTED ? "counted" : s == ECO_NODE_NO_SHAPE ? "shape unknown" : "unsupported";
}

/* A node's status with the partial and data-dependent flags: what CSV and
 * the text table show. */
static const char *node_status(const struct eco_node_result *nr)
{
    if (nr->status == ECO_NODE_COUNTED && nr->partial)
        return "partial";
    if (nr->status == ECO_NODE_COUNTED && nr->data_dep)
        return "data-dependent";
    return status_name(nr->status);
}

/* Up to max nodes of one kind (partial or data-dependent) with what was unknown. */
static void print_flagged(FILE *out, const struct eco_onnx_costs *r, int want_partial, size_t max)
{
    size_t shown = 0, total = 0;
    for (size_t i = 0; i < r->n_nodes; i++) {
        const struct eco_node_result *nr = &r->nodes[i];
        if (want_partial ? !nr->partial : !nr->data_dep)
            continue;
        if (total++ < max) {
            fprintf(out, "  %s (%s): %s unknown\n", nr->name, nr->node->op_type,
                    nr->unknown_what ? nr->unknown_what : "a dimension");
            shown++;
        }
    }
    if (total > shown)
        fprintf(out, "  (%zu more; --format json lists every node)\n", total - shown);
}

/* The lower-bound line of the totals and the footnotes naming the nodes. */
static void print_partial_text(FILE *out, const struct eco_onnx_costs *r, int device)
{
    if (r->n_partial) {
        fprintf(out, "\nlower bound: %zu node%s partial: %s cost needs a dimension ecometer could not infer%s\n",
                r->n_partial, r->n_partial == 1 ? "" : "s", r->n_partial == 1 ? "its" : "their",
                device ? " (the device estimate above is a lower bound too)" : "");
        print_flagged(out, r, 1, 10);
    }
    if (r->n_data_dep) {
        fprintf(out, "\ndata-dependent: %zu node%s whose cost depends on values computed from the input data "
                "(NonZero, NonMaxSuppression, TopK with a computed K...), counted per unit of the unknown size\n",
                r->n_data_dep, r->n_data_dep == 1 ? "" : "s");
        print_flagged(out, r, 0, 10);
    }
    for (size_t i = 0; i < r->n_notes; i++)
        fprintf(out, "\nnote: %s\n", r->notes[i]);
}

static int by_cost(const void *a, const void *b)
{
    const struct eco_node_result *x = *(const struct eco_node_result *const *)a;
    const struct eco_node_result *y = *(const struct eco_node_result *const *)b;
    if (x->flops != y->flops)
        return x->flops < y->flops ? 1 : -1;
    return x < y ? -1 : x > y; /* ties in execution order */
}

/* The device estimate (--device): per batch and per inference, with the
 * bound, the efficiencies and the power at load, labelled an estimate. */
static void print_device_text(FILE *out, const struct eco_device_cost *d, int64_t batch)
{
    char b1[64], b2[64], b3[64];
    struct eco_device_per_unit u;
    eco_device_per_unit(d, (double)batch, &u);
    fprintf(out, "  estimate on %s (%s peak %sFLOP/s x compute efficiency %.2f; %.4g GB/s x memory efficiency %.2f):\n",
            d->name, d->precision, d->peak_flops > 0 ? eco_fmt_count(d->peak_flops, b1, sizeof b1) : "? ",
            d->compute_eff, d->mem_bw / 1e9, d->memory_eff);
    fprintf(out, "    batch of %.0f: %s-bound, %.3g s (%s bytes moved), %.3g inferences/s\n", u.units, d->bound, d->seconds,
            eco_fmt_count(d->bytes, b1, sizeof b1), u.units_per_s);
    fprintf(out, "    per inference: %s, %s CO2e (%s) at %.0f W = %.0f W TDP x load %.2f\n",
            eco_fmt_energy(u.energy_j, b2, sizeof b2), eco_fmt_mass(u.co2e_g, b3, sizeof b3),
            d->intensity.label, d->power_w, d->tdp_w, d->load);
}

static int print_text(FILE *out, const struct eco_onnx_model *m, const struct eco_onnx_costs *r,
                      const struct eco_flops_print_opts *o)
{
    char b1[64];
    fprintf(out, "model: %s (ONNX IR %lld, opset %lld%s%s, %zu nodes)\n", o->path, (long long)m->ir_version,
            (long long)r->opset, m->producer[0] ? ", from " : "", m->producer, r->n_nodes);
    const char *mark = r->symbolic ? " *" : "";
    if (o->n_values) {
        char *given = eco_given_values_str(o->values, o->n_values, 16);
        if (!given)
            return -1;
        fprintf(out, "  given values (--value, the figures follow from them): %s\n", given);
        free(given);
    }
    if (r->n_partial)
        fprintf(out, "  lower bound: %zu node%s partial (see below)\n", r->n_partial, r->n_partial == 1 ? "" : "s");
    if (r->n_data_dep)
        fprintf(out, "  data-dependent: %zu node%s, counted per unit of each unknown size (see below)\n",
                r->n_data_dep, r->n_data_dep == 1 ? "" : "s");
    fprintf(out, "  MACs              %s%s\n", eco_fmt_count(r->macs, b1, sizeof b1), mark);
    fprintf(out, "  FLOPs             %s%s\n", eco_fmt_count(r->flops, b1, sizeof b1), mark);
    fprintf(out, "  parameters        %s\n", eco_fmt_count(r->params, b1, sizeof b1));
    fprintf(out, "  weight bytes      %s\n", fmt_bytes(r->weight_bytes, b1, sizeof b1));
    fprintf(out, "  activation bytes  %s%s\n", fmt_bytes(r->activation_bytes, b1, sizeof b1), mark);
    if (o->device)
        print_device_text(out, o->device, o->batch);
    /* the costliest layers */
    size_t n = r->n_nodes;
    const struct eco_node_result **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted)
        return -1;
    for (size_t i = 0; i < n; i++)
        sorted[i] = &r->nodes[i];
    qsort(sorted, n, sizeof *sorted, by_cost);
    size_t rows = o->per_layer ? n : (size_t)o->top < n ? (size_t)o->top : n;
    if (rows) {
        fprintf(out, "\n%s:\n", o->per_layer ? "layers by cost" : "costliest layers");
        const char *hdr[] = {"node", "op", "output", ">MACs", ">FLOPs", ">params", "%FLOPs"};
        struct eco_table *t = eco_table_new(7, hdr);
        for (size_t i = 0; i < rows; i++) {
            const struct eco_node_result *nr = sorted[i];
            char shp[1024], macs[32], flops[32], params[32], pct[32];
            eco_val_shape_str(nr->n_outs ? nr->outs[0] : NULL, shp, sizeof shp);
            eco_fmt_count(nr->macs, macs, sizeof macs);
            eco_fmt_count(nr->flops, flops, sizeof flops);
            eco_fmt_count(nr->params, params, sizeof params);
            snprintf(pct, sizeof pct, "%.1f", r->flops > 0 ? 100 * nr->flops / r->flops : 0.0);
            const char *cells[] = {nr->name, nr->node->op_type, shp, macs, flops, params,
                                   nr->status == ECO_NODE_COUNTED && !nr->partial && !nr->data_dep
                                       ? pct : node_status(nr)};
            eco_table_row(t, cells);
        }
        eco_table_print(t, out);
        eco_table_free(t);
        if (rows < n)
            fprintf(out, "(%zu more; --per-layer lists them all)\n", n - rows);
    }
    free(sorted);
    if (r->n_unsupported) {
        fprintf(out, "\nnot counted (no cost model in ecometer):\n");
        for (size_t i = 0; i < r->n_unsupported; i++)
            fprintf(out, "  %s%s%s: %zu node%s\n", r->unsupported[i].domain, r->unsupported[i].domain[0] ? "." : "",
                    r->unsupported[i].op, r->unsupported[i].count, r->unsupported[i].count == 1 ? "" : "s");
    }
    if (r->n_no_shape)
        fprintf(out, "\nnot counted: %zu node%s whose input shapes could not be inferred\n", r->n_no_shape,
                r->n_no_shape == 1 ? "" : "s");
    print_partial_text(out, r, o->device != NULL);
    if (r->symbolic) {
        fprintf(out, "\n* depends on symbolic dimensions, counted per unit of each");
        if (r->n_symbols) {
            fprintf(out, ":");
            for (size_t i = 0; i < r->n_symbols; i++)
                fprintf(out, " %s", r->symbols[i]);
        }
        fprintf(out, "\n  set them with --input NAME=DIMS or --batch N\n");
    }
    return ferror(out) ? -1 : 0;
}

static cJSON *node_json(const struct eco_node_result *nr)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", nr->name);
    cJSON_AddStringToObject(o, "op", nr->node->op_type);
    if (nr->node->domain[0])
        cJSON_AddStringToObject(o, "domain", nr->node->domain);
    cJSON *outs = cJSON_AddArrayToObject(o, "outputs");
    for (size_t k = 0; k < nr->n_outs; k++) {
        if (!nr->outs[k])
            continue;
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", nr->outs[k]->name);
        cJSON_AddItemToObject(x, "shape", shape_json(nr->outs[k]));
        if (nr->outs[k]->is_seq)
            cJSON_AddBoolToObject(x, "sequence", 1); /* shape = every element's */
        cJSON_AddItemToArray(outs, x);
    }
    cJSON_AddNumberToObject(o, "macs", nr->macs);
    cJSON_AddNumberToObject(o, "flops", nr->flops);
    cJSON_AddNumberToObject(o, "params", nr->params);
    cJSON_AddStringToObject(o, "status", status_name(nr->status));
    if (nr->symbolic)
        cJSON_AddBoolToObject(o, "symbolic", 1);
    if (nr->partial)
        cJSON_AddBoolToObject(o, "partial", 1);
    if (nr->data_dep)
        cJSON_AddBoolToObject(o, "data_dependent", 1);
    if ((nr->partial || nr->data_dep) && nr->unknown_what)
        cJSON_AddStringToObject(o, "unknown", nr->unknown_what);
    return o;
}

static int print_json(FILE *out, const struct eco_onnx_model *m, const struct eco_onnx_costs *r,
                      const struct eco_flops_print_opts *o)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "model", o->path);
    cJSON_AddNumberToObject(root, "ir_version", (double)m->ir_version);
    cJSON_AddNumberToObject(root, "opset", (double)r->opset);
    cJSON_AddStringToObject(root, "producer", m->producer);
    /* the run-time input values the user gave (--value): figures may follow from them */
    cJSON_AddItemToObject(root, "given_values", eco_given_values_json(o->values, o->n_values));
    cJSON *t = cJSON_AddObjectToObject(root, "totals");
    cJSON_AddNumberToObject(t, "macs", r->macs);
    cJSON_AddNumberToObject(t, "flops", r->flops);
    cJSON_AddNumberToObject(t, "params", r->params);
    cJSON_AddNumberToObject(t, "weight_bytes", r->weight_bytes);
    cJSON_AddNumberToObject(t, "activation_bytes", r->activation_bytes);
    cJSON_AddBoolToObject(t, "symbolic", r->symbolic);
    cJSON *syms = cJSON_AddArrayToObject(t, "symbols");
    for (size_t i = 0; i < r->n_symbols; i++)
        cJSON_AddItemToArray(syms, cJSON_CreateString(r->symbols[i]));
    cJSON_AddNumberToObject(t, "nodes_not_counted", (double)r->n_no_shape);
    cJSON_AddNumberToObject(t, "partial_nodes", (double)r->n_partial);
    cJSON_AddNumberToObject(t, "data_dependent_nodes", (double)r->n_data_dep);
    /* complete: every node counted from known dimensions (else the totals are a lower bound) */
    cJSON_AddBoolToObject(t, "complete", eco_onnx_costs_complete(r));
    cJSON *outs = cJSON_AddArrayToObject(root, "outputs");
    for (size_t i = 0; i < r->n_outputs; i++) {
        const struct eco_val *v = r->outputs[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", v->name);
        cJSON_AddItemToObject(x, "shape", shape_json(v));
        cJSON_AddStringToObject(x, "dtype", eco_onnx_dtype_name(v->dtype));
        /* "declared": the shape was taken from value_info, not inferred */
        cJSON_AddStringToObject(x, "source", v->declared ? "declared" : v->is_init ? "initializer" : "inferred");
        if (v->data_dep)
            cJSON_AddBoolToObject(x, "data_dependent", 1);
        if (v->is_seq)
            cJSON_AddBoolToObject(x, "sequence", 1); /* shape = every element's */
        cJSON_AddItemToArray(outs, x);
    }
    cJSON *nodes = cJSON_AddArrayToObject(root, "nodes");
    for (size_t i = 0; i < r->n_nodes; i++)
        cJSON_AddItemToArray(nodes, node_json(&r->nodes[i]));
    cJSON *uns = cJSON_AddArrayToObject(root, "unsupported");
    for (size_t i = 0; i < r->n_unsupported; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "op", r->unsupported[i].op);
        cJSON_AddStringToObject(x, "domain", r->unsupported[i].domain);
        cJSON_AddNumberToObject(x, "count", (double)r->unsupported[i].count);
        cJSON_AddItemToArray(uns, x);
    }
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    for (size_t i = 0; i < r->n_notes; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(r->notes[i]));
    if (o->device) {
        cJSON *dev = eco_device_json(o->device, "inference", (double)(o->batch > 0 ? o->batch : 1));
        /* from lower-bound totals, the time and energy are lower bounds too */
        cJSON_AddBoolToObject(dev, "lower_bound", r->n_partial > 0);
        cJSON_AddItemToObject(root, "device", dev);
    }
    return eco_json_emit(out, root);
}

/* One row per node; with --value, a given_values column holding them on
 * every row ("k=3; shape=1,3,2,2"), so a row read alone still says what its
 * figures may follow from; with --device, the device columns
 * (cli/device_out.h), filled on a last row (name: the model file, op:
 * "total") that holds the model's totals. */
static int print_csv(FILE *out, const struct eco_onnx_costs *r, const struct eco_flops_print_opts *o)
{
    char *given = eco_given_values_str(o->values, o->n_values, 0);
    if (!given)
        return -1;
    /* status: counted, partial, data-dependent, shape unknown, unsupported;
     * unknown: what a partial or data-dependent node's cost lacked */
    fputs(o->n_values ? "name,op,domain,output_shape,macs,flops,params,status,unknown,given_values"
                      : "name,op,domain,output_shape,macs,flops,params,status,unknown", out);
    if (o->device)
        eco_device_csv_header(out);
    fputc('\n', out);
    for (size_t i = 0; i < r->n_nodes; i++) {
        const struct eco_node_result *nr = &r->nodes[i];
        char shp[4096];
        eco_val_shape_str(nr->n_outs ? nr->outs[0] : NULL, shp, sizeof shp);
        eco_csv_field(out, nr->name);
        fputc(',', out);
        eco_csv_field(out, nr->node->op_type);
        fputc(',', out);
        eco_csv_field(out, nr->node->domain);
        fputc(',', out);
        eco_csv_field(out, shp);
        fprintf(out, ",%.0f,%.0f,%.0f,%s,", nr->macs, nr->flops, nr->params, node_status(nr));
        eco_csv_field(out, (nr->partial || nr->data_dep) && nr->unknown_what ? nr->unknown_what : "");
        if (o->n_values) {
            fputc(',', out);
            eco_csv_field(out, given);
        }
        if (o->device)
            eco_device_csv_cells(out, NULL, NULL, 0);
        fputc('\n', out);
    }
    if (o->device) {
        /* from lower-bound totals, the time and energy are lower bounds too */
        eco_csv_field(out, o->path);
        fprintf(out, ",total,,,%.0f,%.0f,%.0f,%s,", r->macs, r->flops, r->params,
                eco_onnx_costs_complete(r) ? "complete" : "lower bound");
        if (o->n_values) {
            fputc(',', out);
            eco_csv_field(out, given);
        }
        eco_device_csv_cells(out, o->device, "inference", (double)(o->batch > 0 ? o->batch : 1));
        fputc('\n', out);
    }
    free(given);
    return ferror(out) ? -1 : 0;
}

int eco_flops_print(FILE *out, const struct eco_onnx_model *m, const struct eco_onnx_costs *r,
                    const struct eco_flops_print_opts *o)
{
    switch (o->format) {
    case ECO_FMT_JSON: return print_json(out, m, r, o);
    case ECO_FMT_CSV: return print_csv(out, r, o);
    default: return print_text(out, m, r, o);
    }
}
