/* Every figure of a run record that follows from the measured ones: net
 * energy, CO2e and net CO2e, per-region CO2e, energy per item, average
 * power, the forecast's totals. The run driver calls it on each refresh and the
 * history on each load, so every output prints the same numbers. */
#ifndef ECO_METER_RUN_DERIVE_H
#define ECO_METER_RUN_DERIVE_H

#include "meter/result.h"

/* amount / duration_s (an energy into its average power, grams into grams
 * per second); 0 when duration_s is not above 0. */
double eco_rate_per_s(double amount, double duration_s);

/* energy minus baseline_w over duration_s, never below 0. */
double eco_net_energy_j(double energy_j, double baseline_w, double duration_s);

/* Energy of N epochs from the first: the energy up to the end of the first
 * epoch + (N - 1) x that epoch's energy; same for time. */
void eco_forecast_derive(struct eco_forecast *f, double g_per_kwh);

/* Fill r's derived figures from its measured ones (total_energy_j,
 * baseline_w, duration_s, intensity_g_per_kwh, items, regions, forecast
 * inputs). */
void eco_run_derive(struct eco_run_result *r);

/* Items per joule over the run's window (a fixed-time run: up to its stop;
 * otherwise the whole run); -1 when no item or no energy was counted. */
double eco_items_per_j(const struct eco_run_result *r);

#endif
