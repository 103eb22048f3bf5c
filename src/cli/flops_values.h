/* `ecometer flops --value NAME=V1,V2,...` (src/cli/flops_values.c): parsing
 * (declared in flops_args.h) and the given values as every output shows
 * them, so figures that depend on them can be traced to them. */
#ifndef ECO_CLI_FLOPS_VALUES_H
#define ECO_CLI_FLOPS_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "model/shape_infer.h"

struct cJSON;

/* "k=3; shape=1,3,2,2", as --value takes them; with max_each > 0, an input
 * with more values shows its first max_each and "...(N values)". Heap text
 * (free it), or NULL when out of memory. */
char *eco_given_values_str(const struct eco_value_given *v, size_t n, int64_t max_each);

/* [{"name": "k", "values": [3]}, ...]: whole numbers exactly, decimals as
 * the shortest text that reads back the same, nan and inf as strings. */
struct cJSON *eco_given_values_json(const struct eco_value_given *v, size_t n);

#endif
