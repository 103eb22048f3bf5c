/* The one writer of a device estimate (`flops --device`, ONNX and GGUF):
 * the same keys in the JSON object and the CSV columns, whatever the model.
 * "unit" says what one evaluation serves ("inference" for an ONNX batch,
 * "token" for a GGUF model), "units" how many (the batch, the prompt's
 * tokens), and the *_per_unit figures divide by it. */
#ifndef ECO_CLI_DEVICE_OUT_H
#define ECO_CLI_DEVICE_OUT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "model/device_cost.h"

cJSON *eco_device_json(const struct eco_device_cost *d, const char *unit, double units);
/* The device columns of a CSV header, each after a comma. */
void eco_device_csv_header(FILE *out);
/* Their cells, each after a comma; d NULL: empty cells (a row without an
 * estimate). */
void eco_device_csv_cells(FILE *out, const struct eco_device_cost *d, const char *unit, double units);

#endif
