/* The CSV of a run record, walked from its field tables: one header (the
 * section, then every CSV column of the run, domain and region tables, each
 * name once), a `run` row, a `domain` row per domain, a `region` row per
 * region; a row leaves empty the columns its section does not have.
 * `ecometer run --format csv` and `show --format csv` print it. */
#ifndef ECO_RENDER_RECORD_CSV_H
#define ECO_RENDER_RECORD_CSV_H

#include <stdio.h>

#include "meter/result.h"

void eco_record_csv(FILE *out, const struct eco_run_result *r);
/* `ecometer runs --format csv`: a header of the columns flagged
 * ECO_FIELD_LIST and a row per run, values as in eco_record_csv. */
void eco_record_list_csv(FILE *out, const struct eco_run_result *runs, size_t n);

#endif
