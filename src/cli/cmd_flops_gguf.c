/* `ecometer flops FILE.gguf`: parameters, bytes per tensor and per ggml
 * type, FLOPs per generated token and per prompt, optionally the time,
 * energy and CO2e they imply on a device (an estimate). cmd_flops.c hands
 * GGUF files here with the options it parsed (cli/flops_args.h). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/device_out.h"
#include "cli/flops_args.h"
#include "core/format.h"
#include "core/texttable.h"
#include "core/units.h"
#include "model/device_cost.h"
#include "model/gguf.h"
#include "model/gguf_cost.h"

static void dims_str(const struct eco_gguf_tensor *t, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (uint32_t d = 0; d < t->n_dims && n < len; d++)
        n += (size_t)snprintf(buf + n, len - n, "%s%" PRIu64, d ? "x" : "", t->dims[d]);
    if (t->n_dims == 0)
        snprintf(buf, len, "scalar");
}

static char *tensor_name(const struct eco_gguf_tensor *t, char *buf, size_t len)
{
    return eco_gguf_str_print(&t->name, buf, len);
}

/* Device figures for `flops`, or NULL (error printed) on failure. */
struct device_view {
    int have;
    struct eco_device_cost token, prompt;
};

static int estimate(const struct eco_flops_args *o, const struct eco_gguf_cost *c, struct device_view *d)
{
    memset(d, 0, sizeof *d);
    if (!o->device)
        return 0;
    struct eco_err e;
    eco_err_clear(&e);
    if (!c->decoder) {
        eco_err_set(&e, 2, "--device needs FLOPs per token, which ecometer does not give for this model: %.600s",
                    c->note);
        return eco_err_print(&e);
    }
    const char *precision = o->precision ? o->precision : "auto";
    double graphs = c->prompt_tokens ? ceil((double)c->prompt_tokens / ECO_DEVICE_GGUF_UBATCH) : 0;
    if (eco_device_cost(c->flops_per_token, c->bytes_per_token, ECO_DEVICE_GGUF_OVERHEAD_S, o->device, precision, o->utilization, o->region,
                        &d->token, &e) != 0)
        return eco_err_print(&e);
    if (c->prompt_tokens &&
        eco_device_cost(c->prompt_flops, c->prompt_bytes, graphs * ECO_DEVICE_GGUF_OVERHEAD_S, o->device, precision, o->utilization, o->region,
                        &d->prompt, &e) != 0)
        return eco_err_print(&e);
    d->have = 1;
    return 0;
}

/* Metadata worth showing: the general.* strings and the decoder keys. */
static int selected_key(const struct eco_gguf_str *k, const char *arch)
{
    static const char *const general[] = {"general.architecture", "general.name", "general.basename",
                                          "general.size_label", "general.file_type",
                                          "general.quantization_version", "general.alignment",
                                          "general.license", "general.finetune"};
    for (size_t i = 0; i < sizeof general / sizeof general[0]; i++)
        if (k->len == strlen(general[i]) && memcmp(k->ptr, general[i], k->len) == 0)
            return 1;
    size_t al = strlen(arch);
    return al && k->len > al + 1 && memcmp(k->ptr, arch, al) == 0 && k->ptr[al] == '.';
}

static cJSON *json_value(const struct eco_gguf *g, const struct eco_gguf_value *v)
{
    switch (v->type) {
    case ECO_GGUF_UINT8: case ECO_GGUF_UINT16: case ECO_GGUF_UINT32: case ECO_GGUF_UINT64:
        return cJSON_CreateNumber((double)v->v.u64);
    case ECO_GGUF_INT8: case ECO_GGUF_INT16: case ECO_GGUF_INT32: case ECO_GGUF_INT64:
        return cJSON_CreateNumber((double)v->v.i64);
    case ECO_GGUF_FLOAT32: case ECO_GGUF_FLOAT64:
        return cJSON_CreateNumber(v->v.f64);
    case ECO_GGUF_BOOL:
        return cJSON_CreateBool(v->v.b);
    case ECO_GGUF_STRING: {
        char buf[1024];
        return cJSON_CreateString(eco_gguf_str_print(&v->v.str, buf, sizeof buf));
    }
    case ECO_GGUF_ARRAY: {
        /* Short arrays of numbers (per-layer head counts) are shown whole;
         * long ones (vocabularies) by type and length only. */
        if (v->v.array.count <= 64 && v->v.array.elem_type != ECO_GGUF_ARRAY &&
            v->v.array.elem_type != ECO_GGUF_STRING) {
            cJSON *arr = cJSON_CreateArray();
            for (uint64_t i = 0; i < v->v.array.count; i++) {
                struct eco_gguf_value e;
                if (eco_gguf_array_get(g, v, i, &e) == 0)
                    cJSON_AddItemToArray(arr, json_value(g, &e));
            }
            return arr;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "array_of", eco_gguf_vtype_name(v->v.array.elem_type));
        cJSON_AddNumberToObject(o, "length", (double)v->v.array.count);
        return o;
    }
    default:
        return cJSON_CreateNull();
    }
}

static void json_prompt(cJSON *tot, const struct eco_gguf_cost *c)
{
    if (!c->prompt_tokens)
        return;
    cJSON_AddNumberToObject(tot, "prompt_tokens", (double)c->prompt_tokens);
    cJSON_AddNumberToObject(tot, "prompt_macs", c->prompt_macs);
    cJSON_AddNumberToObject(tot, "prompt_flops", c->prompt_flops);
    cJSON_AddNumberToObject(tot, "prompt_bytes", c->prompt_bytes);
}

/* The per-token figures of "totals" (or why there are none), whether they
 * are complete, and what they leave out. */
static void json_totals(cJSON *tot, const struct eco_gguf_cost *c)
{
    cJSON_AddStringToObject(tot, "family", eco_gguf_family_name(c->family));
    cJSON_AddBoolToObject(tot, "complete", (c->decoder || c->input_only) && c->complete);
    if (c->note[0])
        cJSON_AddStringToObject(tot, "note", c->note);
    cJSON_AddNumberToObject(tot, "unrecognised_tensors", (double)c->unknown_tensors);
    cJSON_AddNumberToObject(tot, "params_not_per_token", (double)c->excluded_params);
    if (c->decoder) {
        cJSON_AddNumberToObject(tot, "linear_macs_per_token", c->linear_macs_per_token);
        cJSON_AddNumberToObject(tot, "attention_macs_per_token", c->attn_macs_per_token);
        cJSON_AddNumberToObject(tot, "macs_per_token", c->macs_per_token);
        cJSON_AddNumberToObject(tot, "flops_per_token", c->flops_per_token);
        cJSON_AddNumberToObject(tot, "bytes_per_token", c->bytes_per_token);
        cJSON_AddNumberToObject(tot, "weight_bytes_per_token", c->weight_bytes_per_token);
        cJSON_AddNumberToObject(tot, "activation_bytes_per_token", c->act_bytes_per_token);
        cJSON_AddNumberToObject(tot, "kv_cache_bytes_per_token", c->kv_bytes_per_token);
        cJSON_AddStringToObject(tot, "attention_convention",
                                "n_ctx x n_head x (key_length + value_length) MACs per layer: "
                                "query-key scores and attention x values (Kaplan et al. count one)");
        cJSON_AddNumberToObject(tot, "context", (double)c->context);
        cJSON_AddStringToObject(tot, "context_source", c->context_source);
        cJSON_AddBoolToObject(tot, "tied_output", c->tied_output);
        json_prompt(tot, c);
    } else {
        cJSON_AddNullToObject(tot, "flops_per_token");
        cJSON_AddNullToObject(tot, "macs_per_token");
        if (c->input_only) {
            cJSON_AddNumberToObject(tot, "linear_macs_per_input_token", c->linear_macs_per_token);
            json_prompt(tot, c);
        }
    }
}

/* The decoder hyper-parameters used ("decoder"). */
static void json_decoder(cJSON *hp, const struct eco_gguf_cost *c)
{
    cJSON_AddNumberToObject(hp, "n_layer", (double)c->llm.n_layer);
    cJSON_AddNumberToObject(hp, "n_embd", (double)c->llm.n_embd);
    cJSON_AddNumberToObject(hp, "n_head", (double)c->llm.n_head);
    cJSON_AddNumberToObject(hp, "n_head_kv", (double)c->llm.n_head_kv);
    cJSON_AddNumberToObject(hp, "head_dim", (double)c->llm.head_dim);
    cJSON_AddNumberToObject(hp, "n_ff", (double)c->llm.n_ff);
    cJSON_AddNumberToObject(hp, "n_vocab", (double)c->llm.n_vocab);
    cJSON_AddNumberToObject(hp, "n_ctx_train", (double)c->llm.n_ctx_train);
    cJSON_AddNumberToObject(hp, "n_expert", (double)c->llm.n_expert);
    cJSON_AddNumberToObject(hp, "n_expert_used", (double)c->llm.n_expert_used);
    cJSON_AddNumberToObject(hp, "d_attn_sum_over_layers", c->llm.sum_d_attn);
    cJSON_AddNumberToObject(hp, "d_attn_v_sum_over_layers", c->llm.sum_d_attn_v);
    cJSON_AddNumberToObject(hp, "head_dim_v", (double)c->llm.head_dim_v);
    cJSON_AddNumberToObject(hp, "sliding_window", (double)c->llm.n_swa);
    cJSON_AddNumberToObject(hp, "sliding_window_layers", (double)c->llm.swa_layers);
    if (c->llm.n_swa && c->llm.swa_rule)
        cJSON_AddStringToObject(hp, "sliding_window_rule", c->llm.swa_rule);
    cJSON_AddNumberToObject(hp, "kv_cache_elements_per_position", c->llm.kv_per_pos);
    cJSON_AddBoolToObject(hp, "sliding_window_chunked", c->llm.swa_chunked);
    cJSON_AddBoolToObject(hp, "mla_k_cache_only", c->llm.mla);
    cJSON_AddNumberToObject(hp, "attention_layers", (double)c->llm.attn_layers);
    cJSON_AddNumberToObject(hp, "kv_cache_layers", (double)c->llm.kv_layers);
    cJSON_AddNumberToObject(hp, "nextn_predict_layers", (double)c->llm.n_nextn);
}

static int print_json(const struct eco_flops_args *o, const struct eco_gguf *g, const struct eco_gguf_cost *c,
                      const struct device_view *d)
{
    char buf[256];
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "file", o->path);
    cJSON_AddStringToObject(root, "format", "gguf");
    cJSON_AddNumberToObject(root, "gguf_version", g->version);
    cJSON_AddNumberToObject(root, "metadata_count", (double)g->n_kv);
    if (c->llm.arch[0])
        cJSON_AddStringToObject(root, "architecture", c->llm.arch);
    cJSON *tot = cJSON_AddObjectToObject(root, "totals");
    cJSON_AddNumberToObject(tot, "params", (double)c->params);
    cJSON_AddNumberToObject(tot, "weight_bytes", (double)c->weight_bytes);
    cJSON_AddNumberToObject(tot, "embedding_params", (double)c->embedding_params);
    cJSON_AddNumberToObject(tot, "tensors", (double)g->n_tensors);
    json_totals(tot, c);
    json_decoder(cJSON_AddObjectToObject(root, "decoder"), c);

    cJSON *md = cJSON_AddObjectToObject(root, "metadata");
    for (uint64_t i = 0; i < g->n_kv; i++) {
        const struct eco_gguf_kv *kv = &g->kv[i];
        if (!selected_key(&kv->key, c->llm.arch))
            continue;
        eco_gguf_str_print(&kv->key, buf, sizeof buf);
        cJSON_AddItemToObject(md, buf, json_value(g, &kv->value));
    }
    cJSON *ts = cJSON_AddArrayToObject(root, "tensors");
    for (uint64_t i = 0; i < g->n_tensors; i++) {
        const struct eco_gguf_tensor *t = &g->tensors[i];
        cJSON *jt = cJSON_CreateObject();
        cJSON_AddStringToObject(jt, "name", tensor_name(t, buf, sizeof buf));
        cJSON_AddStringToObject(jt, "type", eco_ggml_type_name(t->type, buf, sizeof buf));
        cJSON *dims = cJSON_AddArrayToObject(jt, "dims");
        for (uint32_t k = 0; k < t->n_dims; k++)
            cJSON_AddItemToArray(dims, cJSON_CreateNumber((double)t->dims[k]));
        cJSON_AddNumberToObject(jt, "params", (double)t->n_elements);
        if (eco_ggml_type(t->type))
            cJSON_AddNumberToObject(jt, "bytes", (double)t->n_bytes);
        else
            cJSON_AddNullToObject(jt, "bytes");
        cJSON_AddNumberToObject(jt, "offset", (double)(g->data_offset + t->offset));
        cJSON_AddNumberToObject(jt, "macs_per_token", c->tensors[i].macs_per_token);
        cJSON_AddBoolToObject(jt, "embedding", c->tensors[i].is_embedding);
        cJSON_AddNumberToObject(jt, "expert_share", c->tensors[i].expert_share);
        cJSON_AddItemToArray(ts, jt);
    }
    cJSON *bt = cJSON_AddArrayToObject(root, "by_type");
    cJSON *unk = cJSON_AddArrayToObject(root, "unsupported");
    for (size_t i = 0; i < c->n_by_type; i++) {
        const struct eco_gguf_type_sum *s = &c->by_type[i];
        cJSON *jt = cJSON_CreateObject();
        cJSON_AddStringToObject(jt, "type", eco_ggml_type_name(s->type, buf, sizeof buf));
        cJSON_AddNumberToObject(jt, "count", (double)s->count);
        cJSON_AddNumberToObject(jt, "params", (double)s->params);
        if (eco_ggml_type(s->type)) {
            cJSON_AddNumberToObject(jt, "bytes", (double)s->bytes);
            cJSON_AddItemToArray(bt, jt);
        } else {
            cJSON_AddNullToObject(jt, "bytes");
            cJSON *u = cJSON_CreateObject();
            cJSON_AddStringToObject(u, "type", eco_ggml_type_name(s->type, buf, sizeof buf));
            cJSON_AddNumberToObject(u, "count", (double)s->count);
            cJSON_AddStringToObject(u, "what", "ggml type unknown to ecometer: bytes not counted");
            cJSON_AddItemToArray(unk, u);
            cJSON_AddItemToArray(bt, jt);
        }
    }
    if (d->have) {
        cJSON *dev = cJSON_AddObjectToObject(root, "device_estimate");
        cJSON_AddBoolToObject(dev, "lower_bound", !c->complete);
        cJSON_AddItemToObject(dev, "per_token", eco_device_json(&d->token, "token", 1));
        if (c->prompt_tokens)
            cJSON_AddItemToObject(dev, "prompt", eco_device_json(&d->prompt, "token", (double)c->prompt_tokens));
    }
    return eco_json_emit(stdout, root) == 0 ? 0 : ECO_EXIT_RUNTIME;
}

/* complete: -1 leaves the cell empty (rows other than the totals). */
static void csv_row(const char *kind, const char *name, const char *type, const char *dims,
                    uint64_t tensors, uint64_t params, const char *bytes, double macs, int complete,
                    const char *note)
{
    eco_csv_field(stdout, kind);
    putchar(',');
    eco_csv_field(stdout, name);
    putchar(',');
    eco_csv_field(stdout, type);
    putchar(',');
    eco_csv_field(stdout, dims);
    printf(",%" PRIu64 ",%" PRIu64 ",%s,", tensors, params, bytes);
    if (macs >= 0)
        printf("%.0f,%.0f", macs, 2 * macs);
    else
        putchar(',');
    printf(",%s,", complete < 0 ? "" : complete ? "true" : "false");
    eco_csv_field(stdout, note ? note : "");
}

static int print_csv(const struct eco_flops_args *o, const struct eco_gguf *g, const struct eco_gguf_cost *c,
                     const struct device_view *d)
{
    char name[256], tb[32], dims[160], bytes[32];
    fputs("kind,name,type,dims,tensors,params,bytes,macs_per_token,flops_per_token,complete,note", stdout);
    if (d->have)
        eco_device_csv_header(stdout);
    putchar('\n');
    if (o->per_layer) {
        for (uint64_t i = 0; i < g->n_tensors; i++) {
            const struct eco_gguf_tensor *t = &g->tensors[i];
            dims_str(t, dims, sizeof dims);
            if (eco_ggml_type(t->type))
                snprintf(bytes, sizeof bytes, "%" PRIu64, t->n_bytes);
            else
                bytes[0] = 0;
            csv_row("tensor", tensor_name(t, name, sizeof name), eco_ggml_type_name(t->type, tb, sizeof tb),
                    dims, 1, t->n_elements, bytes, c->tensors[i].macs_per_token, -1, NULL);
            if (d->have)
                eco_device_csv_cells(stdout, NULL, NULL, 0);
            putchar('\n');
        }
    } else {
        for (size_t i = 0; i < c->n_by_type; i++) {
            const struct eco_gguf_type_sum *s = &c->by_type[i];
            if (eco_ggml_type(s->type))
                snprintf(bytes, sizeof bytes, "%" PRIu64, s->bytes);
            else
                bytes[0] = 0;
            csv_row("type", "", eco_ggml_type_name(s->type, tb, sizeof tb), "", s->count, s->params, bytes, -1, -1,
                    NULL);
            if (d->have)
                eco_device_csv_cells(stdout, NULL, NULL, 0);
            putchar('\n');
        }
    }
    snprintf(bytes, sizeof bytes, "%" PRIu64, c->weight_bytes);
    int complete = (c->decoder || c->input_only) && c->complete;
    csv_row("total", o->path, "", "", g->n_tensors, c->params, bytes, c->decoder ? c->macs_per_token : -1,
            complete, c->note);
    if (d->have)
        eco_device_csv_cells(stdout, &d->token, "token", 1);
    putchar('\n');
    if (c->prompt_tokens && (c->decoder || c->input_only)) {
        snprintf(name, sizeof name, "%s of %" PRIu64 " tokens", c->input_only ? "input" : "prompt",
                 c->prompt_tokens);
        csv_row("prompt", name, "", "", g->n_tensors, c->params, bytes, c->prompt_macs, complete, c->note);
        if (d->have)
            eco_device_csv_cells(stdout, &d->prompt, "token", (double)c->prompt_tokens);
        putchar('\n');
    }
    return 0;
}

/* qsort has no context argument in C11: the table being sorted. */
static const struct eco_gguf *sort_g;
static const struct eco_gguf_cost *sort_c;

static int by_cost_desc(const void *a, const void *b)
{
    uint64_t i = *(const uint64_t *)a, j = *(const uint64_t *)b;
    double mi = sort_c->tensors[i].macs_per_token, mj = sort_c->tensors[j].macs_per_token;
    if (mi != mj)
        return mi < mj ? 1 : -1;
    uint64_t bi = sort_g->tensors[i].n_bytes, bj = sort_g->tensors[j].n_bytes;
    if (bi != bj)
        return bi < bj ? 1 : -1;
    return (i > j) - (i < j); /* then file order */
}

static void print_device_text(const char *what, const struct eco_device_cost *d, double tokens)
{
    char e[32], m[32], b[32];
    struct eco_device_per_unit u;
    eco_device_per_unit(d, tokens, &u);
    printf("  %-18s %.4g tokens/s, %s/token, %s CO2e/token (%s-bound, %s bytes moved)\n", what, u.units_per_s,
           eco_fmt_energy(u.energy_j, e, sizeof e), eco_fmt_mass(u.co2e_g, m, sizeof m), d->bound,
           eco_fmt_count(d->bytes, b, sizeof b));
}

/* Per-token and prompt figures of a decoder (or why there are none). */
static void print_decoder_text(const struct eco_gguf_cost *c)
{
    char a[32], b[32], k[32], m[32];
    if (c->decoder) {
        printf("  per token          %s FLOPs (%s MACs) at a context of %" PRIu64 " tokens (%s)\n",
               eco_fmt_count(c->flops_per_token, a, sizeof a), eco_fmt_count(c->macs_per_token, b, sizeof b),
               c->context, strcmp(c->context_source, "--context") == 0 ? "--context" :
               strcmp(c->context_source, "context_length") == 0 ? "the model's context_length" :
               "unknown: pass --context");
        printf("    weights          2 x %s parameters a token multiplies through%s\n",
               eco_fmt_count(c->linear_macs_per_token, a, sizeof a),
               c->tied_output ? " (incl. the output head tied to token_embd)" : "");
        printf("    attention        2 x %s MACs on %" PRIu64 " of %" PRIu64
               " layers (per layer: keys seen x heads x (key + value dims): scores and attention x values)\n",
               eco_fmt_count(c->attn_macs_per_token, a, sizeof a), c->llm.attn_layers, c->llm.n_layer);
        if (c->llm.n_swa)
            printf("    %s   %" PRIu64 " tokens on %" PRIu64 " of %" PRIu64 " layers (%s)\n",
                   c->llm.swa_chunked ? "chunks        " : "sliding window", c->llm.n_swa,
                   c->llm.swa_layers, c->llm.n_layer, c->llm.swa_rule);
        printf("  bytes per token    %s (weights %s, KV cache %s, activations %s)\n",
               eco_fmt_count(c->bytes_per_token, a, sizeof a), eco_fmt_count(c->weight_bytes_per_token, b, sizeof b),
               eco_fmt_count(c->kv_bytes_per_token, k, sizeof k),
               eco_fmt_count(c->act_bytes_per_token, m, sizeof m));
        if (c->prompt_tokens)
            printf("  prompt             %s FLOPs (%s MACs) for %" PRIu64 " tokens (causal attention)\n",
                   eco_fmt_count(c->prompt_flops, a, sizeof a), eco_fmt_count(c->prompt_macs, b, sizeof b),
                   c->prompt_tokens);
    } else {
        printf("  per token          not estimated (see the note)\n");
        if (c->input_only && c->prompt_tokens)
            printf("  input              %s FLOPs (%s MACs) for one input of %" PRIu64
                   " tokens (bidirectional attention)\n",
                   eco_fmt_count(c->prompt_flops, a, sizeof a), eco_fmt_count(c->prompt_macs, b, sizeof b),
                   c->prompt_tokens);
    }
    if ((c->decoder || c->input_only) && !c->complete)
        printf("  INCOMPLETE         the figures above are a lower bound or leave work out (see the note)\n");
    if (c->note[0])
        printf("  note: %s\n", c->note);
}

/* The --device estimate: decode at the context, the prompt, the power. */
static void print_device_block(const struct eco_gguf_cost *c, const struct device_view *d)
{
    char pk[32], ctx[64];
    const struct eco_device_cost *t = &d->token;
    printf("  estimate on %s (%s peak %sFLOP/s x compute efficiency %.2f; %.4g GB/s x memory efficiency %.2f;\n"
           "    + %.1f ms per graph evaluated):\n",
           t->name, t->precision, t->peak_flops > 0 ? eco_fmt_count(t->peak_flops, pk, sizeof pk) : "? ",
           t->compute_eff, t->mem_bw / 1e9, t->memory_eff, 1e3 * ECO_DEVICE_GGUF_OVERHEAD_S);
    snprintf(ctx, sizeof ctx, "decode at %" PRIu64, c->context);
    print_device_text(ctx, t, 1);
    if (c->prompt_tokens) {
        snprintf(ctx, sizeof ctx, "prompt of %" PRIu64, c->prompt_tokens);
        print_device_text(ctx, &d->prompt, (double)c->prompt_tokens);
    }
    printf("  power at load: %s x load (decode %.0f W = %.0f W x %.2f); %s\n",
           t->gpu ? "TDP" : "CPU TDP", t->power_w, t->tdp_w, t->load, t->intensity.label);
    printf("  (an estimate: a roofline with efficiencies fitted to published measurements, not a reading)\n");
    if (!c->complete)
        printf("  (a lower bound: the FLOPs and bytes it starts from leave work out, see the note)\n");
    if (t->intensity.is_default)
        fprintf(stderr, "ecometer: warning: no --region given; using the world-average carbon intensity\n");
}

static int print_text(const struct eco_flops_args *o, const struct eco_gguf *g, const struct eco_gguf_cost *c,
                      const struct device_view *d)
{
    char a[32], name[256], tb[32], dims[160];
    printf("%s: GGUF v%" PRIu32 ", %s, %" PRIu64 " tensors, %" PRIu64 " metadata keys\n", o->path, g->version,
           c->llm.arch[0] ? c->llm.arch : "no architecture", g->n_tensors, g->n_kv);
    printf("  parameters         %" PRIu64 " (%s)\n", c->params, eco_fmt_count((double)c->params, a, sizeof a));
    printf("  weight bytes       %" PRIu64 " (%.1f MiB, %.2f bits per parameter)%s\n", c->weight_bytes,
           (double)c->weight_bytes / 1048576.0,
           c->params ? 8.0 * (double)c->weight_bytes / (double)c->params : 0.0,
           c->unknown_type_tensors ? ", tensors of unknown types not counted" : "");
    printf("  embedding params   %" PRIu64 " (lookup tables, no FLOPs per token)\n", c->embedding_params);
    print_decoder_text(c);
    if (d->have)
        print_device_block(c, d);
    putchar('\n');
    static const char *const th[] = {"type", ">tensors", ">params", ">bytes", ">bits/param"};
    struct eco_table *t = eco_table_new(5, th);
    for (size_t i = 0; i < c->n_by_type; i++) {
        const struct eco_gguf_type_sum *s = &c->by_type[i];
        char n[32], p[32], by[32], bpp[32];
        snprintf(n, sizeof n, "%" PRIu64, s->count);
        snprintf(p, sizeof p, "%" PRIu64, s->params);
        int known = eco_ggml_type(s->type) != NULL;
        snprintf(by, sizeof by, known ? "%" PRIu64 : "unknown", s->bytes);
        snprintf(bpp, sizeof bpp, known && s->params ? "%.3f" : "-", 8.0 * (double)s->bytes / (double)(s->params ? s->params : 1));
        const char *row[] = {eco_ggml_type_name(s->type, tb, sizeof tb), n, p, by, bpp};
        eco_table_row(t, row);
    }
    eco_table_print(t, stdout);
    eco_table_free(t);
    if (o->per_layer) {
        putchar('\n');
        static const char *const hh[] = {"tensor", "type", "dims", ">params", ">bytes", ">MACs/token"};
        t = eco_table_new(6, hh);
        /* Costliest first (MACs per token, then bytes), as for ONNX layers. */
        uint64_t *order = malloc((size_t)(g->n_tensors ? g->n_tensors : 1) * sizeof *order);
        if (!order) {
            eco_table_free(t);
            fprintf(stderr, "ecometer: out of memory\n");
            return ECO_EXIT_RUNTIME;
        }
        for (uint64_t i = 0; i < g->n_tensors; i++)
            order[i] = i;
        sort_g = g;
        sort_c = c;
        if (g->n_tensors > 1)
            qsort(order, (size_t)g->n_tensors, sizeof *order, by_cost_desc);
        for (uint64_t k = 0; k < g->n_tensors; k++) {
            uint64_t i = order[k];
            const struct eco_gguf_tensor *te = &g->tensors[i];
            char p[32], by[32], m[32];
            dims_str(te, dims, sizeof dims);
            snprintf(p, sizeof p, "%" PRIu64, te->n_elements);
            snprintf(by, sizeof by, eco_ggml_type(te->type) ? "%" PRIu64 : "unknown", te->n_bytes);
            snprintf(m, sizeof m, "%.0f", c->tensors[i].macs_per_token);
            const char *row[] = {tensor_name(te, name, sizeof name), eco_ggml_type_name(te->type, tb, sizeof tb),
                                 dims, p, by, m};
            eco_table_row(t, row);
        }
        free(order);
        eco_table_print(t, stdout);
        eco_table_free(t);
    }
    if (c->unknown_type_tensors)
        printf("\n%" PRIu64 " tensor(s) have ggml types ecometer does not know: their bytes are not counted\n",
               c->unknown_type_tensors);
    return 0;
}

int eco_cli_flops_gguf(const struct eco_flops_args *o)
{
    int rc;
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_gguf g;
    if (eco_gguf_open(o->path, &g, &err) != 0) {
        /* Name the file: the reader's message names the offset. */
        char msg[sizeof err.msg];
        snprintf(msg, sizeof msg, "%.200s: %.500s", o->path, err.msg);
        memcpy(err.msg, msg, sizeof msg);
        return eco_err_print(&err);
    }
    struct eco_gguf_cost c;
    if (eco_gguf_cost(&g, o->context, o->prompt, &c, &err) != 0) {
        eco_gguf_close(&g);
        return eco_err_print(&err);
    }
    struct device_view d;
    rc = estimate(o, &c, &d);
    if (rc == 0) {
        if (o->fmt == ECO_FMT_JSON)
            rc = print_json(o, &g, &c, &d);
        else if (o->fmt == ECO_FMT_CSV)
            rc = print_csv(o, &g, &c, &d);
        else
            rc = print_text(o, &g, &c, &d);
    }
    eco_gguf_cost_free(&c);
    eco_gguf_close(&g);
    return rc;
}
