/* The output formats every subcommand accepts with --format, and a CSV field
 * writer (RFC 4180 quoting). JSON is written with cJSON. */
#ifndef ECO_CORE_FORMAT_H
#define ECO_CORE_FORMAT_H

#include <stdio.h>

#include "core/err.h"

enum eco_format { ECO_FMT_TEXT, ECO_FMT_JSON, ECO_FMT_CSV };

/* Parse "text" | "json" | "csv"; -1 with err (code 2) otherwise. */
int eco_parse_format(const char *s, enum eco_format *out, struct eco_err *err);
/* Write one CSV field, quoted when it holds a comma, quote or newline. */
void eco_csv_field(FILE *out, const char *s);
/* Print a cJSON tree to out followed by a newline, then free it. */
struct cJSON;
int eco_json_emit(FILE *out, struct cJSON *root);

#endif
