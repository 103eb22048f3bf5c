/* From a model's work (FLOPs and bytes moved) to time, energy and CO2e on a
 * device, always labelled an estimate: a roofline,
 *   seconds = max(FLOPs / (peak x compute efficiency),
 *                 bytes / (memory bandwidth x memory efficiency)),
 * saying which bound applies; power at load = TDP x load, where load is the
 * fraction of its peak the busier resource runs at (the Green Algorithms
 * "usage factor x TDP" with the usage taken from the roofline); energy =
 * seconds x power. The device is a GPU row (data/gpus.tsv, Apple M-series
 * included) or a CPU row with device figures (data/cpus.tsv). The two
 * efficiencies are constants fitted to published measurements
 * (tests/data/published_inference.tsv; docs/METHODOLOGY.md, "Device
 * estimate"). Used by `ecometer flops --device` for ONNX and GGUF. For
 * GGUF (llama.cpp) a fixed time per evaluated graph is added to the
 * roofline: the launches and synchronisation of one token's few hundred
 * kernels, which the bandwidth bound alone misses on fast GPUs.
 * Implemented in src/model/device_cost.c. */
#ifndef ECO_MODEL_DEVICE_COST_H
#define ECO_MODEL_DEVICE_COST_H

#include "carbon/intensity.h"
#include "core/err.h"
#include "hw/hardware.h"

/* Memory efficiency and the per-graph overhead are fitted together by
 * tests/e2e/device_calibration.py over the published llama.cpp decode rows
 * (tests/data/published_inference.tsv): the pair, on a grid of 0.01 and
 * 0.1 ms, with the least median absolute error of time per token. The test
 * prints the fit and fails when these constants drift from it. */
#define ECO_DEVICE_MEMORY_EFFICIENCY 0.96
#define ECO_DEVICE_GGUF_OVERHEAD_S 0.0031
/* llama.cpp evaluates a prompt in micro-batches of 512 tokens (n_ubatch):
 * one graph, hence one overhead, each. */
#define ECO_DEVICE_GGUF_UBATCH 512
/* Fitted by the same test over the published CNN throughput rows (MLPerf
 * Inference ResNet-50, INT8, Offline): the median of achieved FLOP/s
 * (images/s x FLOPs per image as `flops` counts them) over the peak at that
 * precision. --utilization overrides it. */
#define ECO_DEVICE_COMPUTE_EFFICIENCY 0.43
/* Kept for callers that named the old constant: the compute efficiency. */
#define ECO_DEVICE_UTILIZATION_DEFAULT ECO_DEVICE_COMPUTE_EFFICIENCY

struct eco_device_cost {
    const struct eco_gpu *gpu;     /* the table row used: gpu or cpu, the other NULL */
    const struct eco_cpu *cpu;
    const char *name;              /* the row's name */
    const char *precision;         /* "fp32", "fp16" (tensor FP16/BF16) or "int8" */
    double peak_flops;             /* FLOP/s (OP/s for int8); 0 = not published */
    double mem_bw;                 /* bytes/s */
    double compute_eff, memory_eff;/* fractions of peak reached */
    double utilization;            /* = compute_eff (the --utilization option) */
    double flops, bytes;           /* the work of one evaluation */
    double compute_s, memory_s;    /* each bound alone; compute_s < 0 when the peak is unknown */
    double overhead_s;             /* fixed time added per evaluation (GGUF graph launches) */
    const char *bound;             /* "compute", "memory", or "memory (compute peak not published)" */
    double seconds;                /* per evaluation: max(compute_s, memory_s) + overhead_s */
    double load;                   /* fraction of peak of the busier resource: the power factor */
    double tdp_w;                  /* the row's TDP (whole module/machine for Jetson, Apple) */
    double power_w;                /* tdp_w x load */
    double energy_j;
    struct eco_intensity intensity;
    double co2e_g;
};

/* precision NULL = "fp32"; "auto" = the fastest of fp16 (tensor) and fp32
 * the row publishes (GGUF: quantised weights are expanded to FP16/FP32 to
 * multiply). compute_eff <= 0 = ECO_DEVICE_COMPUTE_EFFICIENCY. device:
 * a GPU or CPU name as `hardware show` resolves it ("cpu:NAME"/"gpu:NAME"
 * pick the table). region NULL = world average (intensity.is_default).
 * overhead_s: fixed seconds added (0 for ONNX; GGUF: graphs x
 * ECO_DEVICE_GGUF_OVERHEAD_S). Errors: code 2 for an unknown device,
 * precision or region, an efficiency outside (0, 1], or a row without the
 * needed figure. */
int eco_device_cost(double flops, double bytes, double overhead_s, const char *device, const char *precision,
                    double compute_eff, const char *region, struct eco_device_cost *out,
                    struct eco_err *err);

/* One evaluation's figures per unit (an inference of a batch, a token of a
 * prompt): units per second, energy and CO2e per unit. units <= 0 counts as
 * one; units_per_s is 0 when the time is 0. Every output of an estimate
 * prints these (cli/device_out.c, flops_print.c, cmd_flops_gguf.c). */
struct eco_device_per_unit {
    double units, units_per_s, energy_j, co2e_g;
};
void eco_device_per_unit(const struct eco_device_cost *d, double units, struct eco_device_per_unit *out);

#endif
