/* What a measured run looks like to a person: the end-of-run summary. The
 * JSON object and the CSV are render/record_json.c and render/record_csv.c. */
#ifndef ECO_RENDER_RUN_SUMMARY_H
#define ECO_RENDER_RUN_SUMMARY_H

#include <stdio.h>

#include "meter/result.h"

/* The end-of-run summary (text). */
void eco_run_summary_text(FILE *out, const struct eco_run_result *r);

#endif
