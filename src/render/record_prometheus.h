/* Stored runs in the Prometheus text format, for node_exporter's textfile
 * collector or a push gateway: gauges per run (duration, energy, CO2e,
 * intensity) and per domain (energy), labelled with the run's id. Figures
 * are the record's own; nothing is computed here. */
#ifndef ECO_RENDER_RECORD_PROMETHEUS_H
#define ECO_RENDER_RECORD_PROMETHEUS_H

#include <stdio.h>

#include "meter/result.h"

void eco_record_prometheus(FILE *out, const struct eco_run_result *runs, size_t n);

#endif
