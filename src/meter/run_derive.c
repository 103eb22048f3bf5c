/* The derived figures of a run record (see run_derive.h). */
#include "meter/run_derive.h"

#include "carbon/co2e.h"
#include "carbon/embodied.h"

double eco_rate_per_s(double amount, double duration_s) { return duration_s > 0 ? amount / duration_s : 0; }

double eco_net_energy_j(double energy_j, double baseline_w, double duration_s)
{
    double net = energy_j - baseline_w * duration_s;
    return net > 0 ? net : 0;
}

static double per_item(double energy_j, long long items)
{
    return items > 0 ? energy_j / (double)items : -1;
}

void eco_forecast_derive(struct eco_forecast *f, double g_per_kwh)
{
    if (f->epochs <= 0) {
        f->energy_j = f->co2e_g = f->duration_s = 0;
        return;
    }
    double more = (double)(f->epochs - 1);
    f->energy_j = f->energy_at_first_epoch_end_j + more * f->first_epoch_energy_j;
    f->co2e_g = eco_co2e_g(f->energy_j, g_per_kwh);
    f->duration_s = f->after_s + more * f->first_epoch_s;
}

/* Time-resolved CO2e and the advice's grams, from the stored intensities
 * (meter/run_series.c); -1 where there is no series or no advice. */
static void series_derive(struct eco_run_result *r)
{
    int has = r->intensity_series[0] != '\0';
    r->series_co2e_g = has ? eco_co2e_g(r->total_energy_j, r->series_intensity_g_per_kwh) : -1;
    r->series_net_co2e_g = has ? eco_co2e_g(r->net_energy_j, r->series_intensity_g_per_kwh) : -1;
    if (!has || !(r->advice_start_unix > 0)) {
        r->advice_start_unix = r->advice_g_per_kwh = r->advice_actual_g_per_kwh = -1;
        r->advice_co2e_g = r->advice_saving_g = r->advice_saving_pct = -1;
        return;
    }
    double own = eco_co2e_g(r->total_energy_j, r->advice_actual_g_per_kwh);
    r->advice_co2e_g = eco_co2e_g(r->total_energy_j, r->advice_g_per_kwh);
    /* the own window not covered by the series can look better than any: no saving then */
    r->advice_saving_g = own > r->advice_co2e_g ? own - r->advice_co2e_g : 0;
    r->advice_saving_pct = own > 0 ? 100.0 * r->advice_saving_g / own : 0;
}

void eco_run_derive(struct eco_run_result *r)
{
    double g = r->intensity_g_per_kwh;
    if (!r->intensity_recomputed) /* run_recompute.c keeps the recorded one when it changes g */
        r->recorded_intensity_g_per_kwh = g;
    r->net_energy_j = eco_net_energy_j(r->total_energy_j, r->baseline_w, r->duration_s);
    r->co2e_g = eco_co2e_g(r->total_energy_j, g);
    r->net_co2e_g = eco_co2e_g(r->net_energy_j, g);
    r->energy_per_item_j = per_item(r->total_energy_j, r->items);
    r->average_power_w = eco_rate_per_s(r->total_energy_j, r->duration_s);
    for (size_t k = 0; k < r->n_regions; k++) {
        struct eco_region_result *x = &r->regions[k];
        x->duration_s = x->end_s - x->start_s;
        x->co2e_g = eco_co2e_g(x->energy_j, g);
        x->energy_per_item_j = per_item(x->energy_j, x->items);
    }
    eco_forecast_derive(&r->forecast, g);
    series_derive(r);
    /* embodied: beside the operational figure, never folded into co2e_g */
    r->embodied_co2e_g = eco_embodied_amortised_g(r->embodied_footprint_kg, r->duration_s, r->embodied_lifetime_s,
                                                  r->embodied_share);
    r->total_lifecycle_co2e_g = r->embodied_co2e_g < 0 ? -1 : r->co2e_g + r->embodied_co2e_g;
    r->items_per_j = eco_items_per_j(r);
}

double eco_items_per_j(const struct eco_run_result *r)
{
    /* The window (up to a fixed-time run's stop); a run recorded before
     * windows existed has none: its whole run is its window. */
    double j = r->window_energy_j > 0 ? r->window_energy_j : r->total_energy_j;
    long long n = r->window_energy_j > 0 ? r->window_items : r->items;
    return n > 0 && j > 0 ? (double)n / j : -1;
}
